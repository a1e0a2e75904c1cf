#!/bin/sh
# The labelled mailbox (tests/labelled/, made by its make.py): every message
# stands for one case of issue 11 and LABELS says what mailclerk must make of
# it. Automated mail by each sign and the config, follow-ups (owed, answered,
# the R flag, Cc only, not addressed, chase, too young, history, an
# out-of-office after your mail), done, snooze and come-back, clients and
# projects gone quiet, and a refiled message whose saved file moves while
# the one the user edited stays. reindex keeps all of it.
. "$top_srcdir/tests/lib.sh"
LABELLED="$top_srcdir/tests/labelled"
nlabels=$(grep -vc '^#' "$LABELLED/LABELS")
plan $((nlabels + 39))

cp -R "$LABELLED/maildir" "$TMP/mail"
chmod -R u+w "$TMP/mail"
write_config() { # write_config [PROJECT-RULES]
	cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example
automated = @monitor.initech.example
people = notifications@acme.example

[client acme]
name = ACME Corp
domains = acme.example

[project acme/website]
match = subject:/website/i
$1
[client globex]
name = Globex
domains = globex.example
followup_days = 30

[client initech]
name = Initech
domains = initech.example

[client umbrella]
name = Umbrella
domains = umbrella.example
active = no
EOC
}
write_config ""
export MAILCLERK_NOW=2025-03-01T12:00:00Z
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'the labelled mailbox is ingested whole' "$(mc count '*')" 33

idof() { mc search --format=json "id:$1" | jq '.[0].id'; }
threadof() { mc search --format=json "id:$1" | jq '.[0].thread'; }
# labelled WORD: the Message-IDs whose label has WORD, sorted.
labelled() { awk -F'\t' -v w="$1" '!/^#/ { n = split($2, a, " "); for (i = 1; i <= n; i++) if (a[i] == w) print $1 }' "$LABELLED/LABELS" | LC_ALL=C sort; }
owed() { mc followups --format=json "$@" | jq -r '.owe[].id' | while read -r i; do mc show --format=json "$i" | jq -r '.message_id'; done | LC_ALL=C sort; }
chased() { mc followups --format=json "$@" | jq -r '.chase[].id' | while read -r i; do mc show --format=json "$i" | jq -r '.message_id'; done | LC_ALL=C sort; }

# Automated mail: exactly the messages labelled so, each for its sign.
check_eq 'is:automated is exactly the messages labelled automated' "$(mids is:automated)" "$(labelled automated)"
check_eq 'NOT is:automated is every other message' "$(mc count NOT is:automated)" $((33 - $(labelled automated | wc -l)))
while IFS="$(printf '\t')" read -r mid label; do
	case $mid in '#'*) continue ;; esac
	last=$(mc explain "id:$mid" | tail -n 1)
	case $label in
	automated\ config) want="automated: config automated = @monitor.initech.example" ;;
	automated\ *) want="automated: ${label#automated }" ;;
	person*) want="" ;;
	*) want="" ;;
	esac
	if [ -n "$want" ]; then
		case $last in "$want"*) ok "explain $mid: $want…" ;; *) not_ok "explain $mid: $want…"; echo "#   got: $last" ;; esac
	else
		case $last in "not automated" | "a person: config people = notifications@acme.example"*) ok "explain $mid: a person" ;; *) not_ok "explain $mid: a person"; echo "#   got: $last" ;; esac
	fi
done < "$LABELLED/LABELS"
check_eq 'a machine sender the config calls a person is not automated' "$(mc search --format=json 'id:person-1@acme.example' | jq '.[0].automated')" false

# Follow-ups as of 2025-03-01 12:00.
own=$(labelled owe | grep -vxF "$(labelled history)")
check_eq 'owed: exactly the threads labelled owe (history left out)' "$(owed)" "$own"
check_eq 'to chase: exactly the threads labelled chase' "$(chased)" "$(labelled chase)"
check_eq '--all brings back the history' "$(owed --all)" "$(labelled owe)"
check_eq 'nothing labelled answered, replied-flag, not-addressed or too-young is listed' \
	"$( (owed; chased) | grep -xF "$(labelled answered; labelled replied-flag; labelled not-addressed; labelled too-young)" | wc -l)" 0
check_eq 'gone quiet: globex (its newsletters are no exchange) and acme/website; not umbrella (active = no)' \
	"$(mc followups --format=json | jq -c '[.quiet[] | [.client, .project, .days]] | sort')" '[["acme","website",49],["globex",null,45]]'
check_eq 'clients counts what followups lists' "$(mc clients --format=json | jq -c '[.[] | [.client, .followups]]')" \
	"$(mc followups --format=json | jq -c '[(.owe + .chase)[] | .client] | group_by(.) | map([.[0], length]) as $n | ["acme","globex","initech","umbrella"] | map(. as $c | [$c, ([$n[] | select(.[0] == $c) | .[1]] | add // 0)])')"

# Done, snooze, come back.
T9=$(idof t9@acme.example)
T10THREAD=$(threadof t10@acme.example)
mc followups done "$T9" --note 'called Bob' >/dev/null
mc followups snooze "thread:$T10THREAD" --until 2025-03-10 >/dev/null
check_eq 'done and snoozed threads leave the owed list' "$(owed)" "$(echo "$own" | grep -vxF "$(labelled done; labelled snooze)")"
check_eq 'followups --done lists both, with the note' "$(mc followups --done --format=json | jq -c '[.[] | [.subject, .state, .note]] | sort')" \
	'[["Hosting renewal","snoozed",""],["Photos for the site","done","called Bob"]]'
check_eq 'the snooze ends on 2025-03-10' "$(owed --now 2025-03-10T00:00:01Z | grep -c t10@acme.example)" 1
check_eq 'an automated reply in the done thread does not bring it back' "$(
	cat > "$TMP/mail/INBOX/new/1740700000.ooo.labelled" <<'EOM'
From: Bob Stone <bob@acme.example>
To: Sam Carter <sam@studio.example>
Subject: Auto: Re: Photos for the site
Date: Fri, 28 Feb 2025 08:00:00 +0000
Message-ID: <t9-ooo@acme.example>
In-Reply-To: <t9@acme.example>
Auto-Submitted: auto-replied

Away today.
EOM
	mc ingest --maildir "$TMP/mail" >/dev/null 2>&1; owed | grep -c '^t9')" 0
check_eq 'a message from Bob in the done thread brings it back, owed at the new message' "$(
	cat > "$TMP/mail/INBOX/new/1740700001.re.labelled" <<'EOM'
From: Bob Stone <bob@acme.example>
To: Sam Carter <sam@studio.example>
Subject: Re: Photos for the site
Date: Fri, 28 Feb 2025 09:00:00 +0000
Message-ID: <t9-re@acme.example>
In-Reply-To: <t9-ooo@acme.example>
References: <t9@acme.example> <t9-ooo@acme.example>

More photos.
EOM
	mc ingest --maildir "$TMP/mail" >/dev/null 2>&1; owed | grep '^t9')" "t9-re@acme.example"
check_eq '... and it is no longer listed as done' "$(mc followups --done --format=json | jq -r '[.[].subject] | join("|")')" "Hosting renewal"
# A thread whose newest message is automated (an out-of-office after your
# invoice) is marked on the message the lists judge it by.
T6=$(idof t6@studio.example)
mc followups done "$(idof t6-ooo@acme.example)" >/dev/null
check_eq 'done on a thread ending in an auto-reply: it leaves the chase list' "$(chased | grep -c '^t6@')" 0
check_eq '... is listed as done, on the message a person wrote' "$(mc followups --done --format=json | jq -r '.[] | select(.subject == "Invoice 2025-01") | .id')" "$T6"
check_eq '... and undo takes the mark away' "$(mc followups undo "thread:$(threadof t6@studio.example)" >/dev/null; chased | grep -c '^t6@')" 1
check_eq 'options go after the word' "$(mc followups --now 2025-03-01 done "$T9" 2>&1; echo "exit $?")" \
	"mailclerk: options go after the word: followups done|snooze|undo ID [OPTION...]
exit 2"
check_exit 'a negative --max-age: exit 2' 2 mc followups --max-age -1
before=$(sqlite3 "$DB" 'SELECT * FROM followup_state ORDER BY message')
check_exit 'done of an unknown id: exit 2' 2 mc followups done 999999
check_exit 'snooze with a bad date: exit 2' 2 mc followups snooze "$T9" --until 2025-13-01
check_eq '... and nothing was written' "$(sqlite3 "$DB" 'SELECT * FROM followup_state ORDER BY message')" "$before"

# With the clock (no --now), a reply dated ahead of it (the sender's clock)
# has still come: owed, 0 days old. As of a given day it has not, and the
# thread is judged by what it held then.
cat > "$TMP/mail/INBOX/new/1740700002.ahead.labelled" <<'EOM'
From: Tom Lee <tom@initech.example>
To: Sam Carter <sam@studio.example>
Subject: Re: Kickoff
Date: Fri, 01 Jan 2100 00:00:00 +0000
Message-ID: <i1-ahead@initech.example>
In-Reply-To: <i1@initech.example>

Tomorrow works.
EOM
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'a reply dated ahead of the clock is owed, 0 days old' "$(env -u MAILCLERK_NOW "$MAILCLERK" --config "$TMP/config" --db "$DB" followups --format=json initech | jq -c '[.owe[] | [.subject, .days]]')" '[["Re: Kickoff",0]]'
check_eq '... as of 2025-03-01 it has not come yet: the message it answers is still owed' "$(mc followups --format=json initech | jq -c '[.owe[] | .subject]')" '["Kickoff"]'
printf '[client acme]\ndomains = acme.example\n' > "$TMP/no-me.config"
check_eq 'no me in the configuration: followups says why nothing is owed' "$("$MAILCLERK" --config "$TMP/no-me.config" --db "$DB" followups 2>&1 >/dev/null)" \
	"mailclerk: the configuration names none of your addresses ([mailclerk] me = ...): no thread can be owed a reply or chased"

# Saved files follow a refiled message; the one the user edited stays.
mc attachments save --by-project 'id:spec-1@acme.example' >/dev/null 2>&1
A="$TMP/attachments/acme"
check_eq 'saved under acme/_unsorted first' "$(cd "$A" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" "./_unsorted/2025-02-12_brief.txt ./_unsorted/2025-02-12_spec.pdf "
echo 'my notes' >> "$A/_unsorted/2025-02-12_brief.txt"
edited=$(cat "$A/_unsorted/2025-02-12_brief.txt")
write_config '
[project acme/specs]
match = subject:/Specs/'
mc reclassify >/dev/null 2>&1
check_eq 'reclassify files it under acme/specs' "$(mc count project:acme/specs)" 1
mc attachments save --by-project 'id:spec-1@acme.example' > "$TMP/save.out" 2>&1
check_eq 'the next save moves the unchanged file and copies the edited one' "$(cd "$A" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
	"./_unsorted/2025-02-12_brief.txt ./specs/2025-02-12_brief.txt ./specs/2025-02-12_spec.pdf "
check_eq '... the edited file is untouched, byte for byte' "$(cat "$A/_unsorted/2025-02-12_brief.txt")" "$edited"
check_eq '... the fresh copy is the attachment' "$(cat "$A/specs/2025-02-12_brief.txt")" "Brief: an app for field staff."
check_eq '... and the index records the files where they are now' "$(sqlite3 "$DB" "SELECT replace(path, '$A/', '') FROM saved_files ORDER BY path" | tr '\n' ' ')" "specs/2025-02-12_brief.txt specs/2025-02-12_spec.pdf "

# reindex re-reads every copy and keeps the marks, filings and saved files.
state=$(sqlite3 "$DB" 'SELECT * FROM followup_state ORDER BY message; SELECT * FROM filings ORDER BY 1, 2, 3; SELECT * FROM saved_files ORDER BY path')
fu=$(mc followups --format=json)
auto=$(mids is:automated)
check_exit 'reindex re-reads every message' 0 mc reindex
check_eq 'reindex: marks, filings and saved files unchanged' "$(sqlite3 "$DB" 'SELECT * FROM followup_state ORDER BY message; SELECT * FROM filings ORDER BY 1, 2, 3; SELECT * FROM saved_files ORDER BY path')" "$state"
check_eq '... follow-ups unchanged' "$(mc followups --format=json)" "$fu"
check_eq '... automated mail unchanged' "$(mids is:automated)" "$auto"
check_eq '... and the index is sound' "$(mc check >/dev/null 2>&1; echo $?)" 0
sqlite3 "$DB" "INSERT INTO reindex_needed VALUES (1, 'the automated mark')"
check_eq "reindex '*' is a whole reindex: the index needs none after it" "$(mc reindex '*' >/dev/null 2>&1; sqlite3 "$DB" 'SELECT count(*) FROM reindex_needed')" 0
