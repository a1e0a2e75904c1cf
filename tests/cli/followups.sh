#!/bin/sh
# Follow-ups on a labelled mailbox (every case with its own message and an
# exact date): owe a reply, chase, the maximum age, done, snooze and undo,
# clients and projects gone quiet, follow-ups of a project; clients' and
# projects' counts; timeline ids and --since; thread thread:N; bad input.
. "$top_srcdir/tests/lib.sh"
plan 68

# The configuration: acme with two projects; globex waits 30 days before it
# has gone quiet; initech is a former client (active = no); umbrella has no mail.
cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
name = ACME Corp
domains = acme.example

[project acme/website]
name = Website
match = subject:/\[WEB\]/

[project acme/app]
name = App
match = subject:/\[APP\]/

[client globex]
name = Globex
domains = globex.example
followup_days = 30

[client initech]
name = Initech
domains = initech.example
active = no

[client umbrella]
name = Umbrella
domains = umbrella.example
EOC
M="$TMP/mail"
mkdir -p "$M/cur" "$M/new" "$M/tmp"
n=0
# msg FLAGS FROM TO CC BCC SUBJECT MSGID DATE [IN-REPLY-TO]: one message file;
# FLAGS "" is new/ (no flags), else cur/NAME:2,FLAGS.
msg() {
	n=$((n + 1))
	if [ -z "$1" ]; then f="$M/new/17000000$n.M$n.host"; else f="$M/cur/17000000$n.M$n.host:2,$1"; fi
	{
		printf 'From: %s\nTo: %s\n' "$2" "$3"
		[ -n "$4" ] && printf 'Cc: %s\n' "$4"
		[ -n "$5" ] && printf 'Bcc: %s\n' "$5"
		printf 'Subject: %s\nMessage-ID: <%s>\nDate: %s\n' "$6" "$7" "$8"
		[ -n "${9:-}" ] && printf 'In-Reply-To: <%s>\nReferences: <%s>\n' "$9" "$9"
		printf '\nbody of %s\n' "$7"
	} > "$f"
}
SAM='Sam Carter <sam@studio.example>'
BOB='Bob Martin <bob@acme.example>'
# Owed: Bob asks, nobody answered.
msg S "$BOB" "$SAM" '' '' '[WEB] Owed question' owed@acme.example '20 Feb 2025 10:00:00 +0000'
# Answered by a later message of mine (4 days ago: nothing to chase yet).
msg S "$BOB" "$SAM" '' '' 'Answered question' answered-1@acme.example '10 Feb 2025 10:00:00 +0000'
msg S "$SAM" "$BOB" '' '' 'Re: Answered question' answered-2@studio.example '25 Feb 2025 09:00:00 +0000' answered-1@acme.example
# Answered from the phone: its copy carries the R flag.
msg RS 'Carol <carol@acme.example>' "$SAM" '' '' 'Answered from the phone' phone@acme.example '15 Feb 2025 10:00:00 +0000'
# Me in Cc only: owed.
msg S 'Dave <dave@acme.example>' 'team@acme.example' "$SAM" '' 'Cc question' cc@acme.example '18 Feb 2025 10:00:00 +0000'
# Me in Bcc only, and me in no header at all: not owed.
msg S 'Eve <eve@acme.example>' 'list@acme.example' '' "$SAM" 'Bcc notice' bcc@acme.example '17 Feb 2025 10:00:00 +0000'
msg S 'Eve <eve@acme.example>' 'ops@acme.example' '' '' 'Not to me' notme@acme.example '16 Feb 2025 10:00:00 +0000'
# Mine, unanswered for 40 days (chase) and for 7 (not yet).
msg S "$SAM" 'Frank <frank@acme.example>' '' '' '[APP] Proposal sent' chase-old@studio.example '20 Jan 2025 10:00:00 +0000'
msg S "$SAM" 'Frank <frank@acme.example>' '' '' 'Quote sent' chase-young@studio.example '22 Feb 2025 10:00:00 +0000'
# Owed, but 151 days old: history, unless --all.
msg S "$BOB" "$SAM" '' '' 'Old question' old@acme.example '1 Oct 2024 10:00:00 +0000'
# Globex: two owed threads, to be marked done and snoozed.
msg S 'Dana <dana@globex.example>' "$SAM" '' '' 'Invoice question' invoice-1@globex.example '1 Feb 2025 10:00:00 +0000'
msg S 'Dana <dana@globex.example>' "$SAM" '' '' 'Logo files' logo@globex.example '5 Feb 2025 10:00:00 +0000'
# Initech (active = no): owed all the same, but never "gone quiet".
msg S 'Ivan <ivan@initech.example>' "$SAM" '' '' 'Initech question' initech@initech.example '15 Dec 2024 10:00:00 +0000'
mc ingest --maildir "$M" >/dev/null 2>&1
export MAILCLERK_NOW=2025-03-01

idof() { mc search --format=json "id:$1" | jq '.[0].id'; }
threadof() { mc search --format=json "id:$1" | jq '.[0].thread'; }
# The follow-up marks as the index holds them.
marks() { sqlite3 "$DB" 'SELECT message, state, until, note, marked FROM followup_state ORDER BY message'; }
subjects() { mc followups --format=json "$@" | jq -r '([.owe[].subject] | join("|")), ([.chase[].subject] | join("|"))'; }

OWED=$(idof owed@acme.example) CC=$(idof cc@acme.example) INVOICE=$(idof invoice-1@globex.example)
LOGO=$(idof logo@globex.example) INITECH=$(idof initech@initech.example) CHASE=$(idof chase-old@studio.example)
check_eq 'followups: owed, to chase, gone quiet, with ids and ages' "$(mc followups)" "You owe a reply (they wrote last, to you):
$(printf '  %-16s 2024-12-15  ← Ivan  Initech question  (id %s, 75 days)' initech "$INITECH")
$(printf '  %-16s 2025-02-01  ← Dana  Invoice question  (id %s, 27 days)' globex "$INVOICE")
$(printf '  %-16s 2025-02-05  ← Dana  Logo files  (id %s, 23 days)' globex "$LOGO")
$(printf '  %-16s 2025-02-18  ← Dave  Cc question  (id %s, 10 days)' acme "$CC")
$(printf '  %-16s 2025-02-20  ← Bob Martin  [WEB] Owed question  (id %s, 8 days)' acme/website "$OWED")
Chase them (you wrote last, no answer for more than 14 days):
$(printf '  %-16s 2025-01-20  → frank@acme.example  [APP] Proposal sent  (id %s, 39 days)' acme/app "$CHASE")
Gone quiet (no mail either way for more than 14 days, or the client's followup_days):
  umbrella         never       Umbrella  (no exchange yet)
$(printf '  %-16s 2025-01-20  App  (id %s, 39 days)' acme/app "$CHASE")"
j=$(mc followups --format=json)
check_eq 'json: an owed thread, with its project' "$(printf '%s' "$j" | jq -c '.owe[] | select(.subject == "[WEB] Owed question")')" \
	"{\"client\":\"acme\",\"project\":\"website\",\"thread\":$(threadof owed@acme.example),\"id\":$OWED,\"date\":\"2025-02-20T10:00:00Z\",\"days\":8,\"subject\":\"[WEB] Owed question\",\"from\":\"bob@acme.example\"}"
check_eq 'json: a thread to chase, to whom' "$(printf '%s' "$j" | jq -c '.chase')" \
	"[{\"client\":\"acme\",\"project\":\"app\",\"thread\":$(threadof chase-old@studio.example),\"id\":$CHASE,\"date\":\"2025-01-20T10:00:00Z\",\"days\":39,\"subject\":\"[APP] Proposal sent\",\"to\":\"frank@acme.example\"}]"
check_eq 'a thread I answered later is neither owed nor to chase (4 days)' "$(printf '%s' "$j" | jq '[.owe[], .chase[] | select(.subject | test("Answered question"))] | length')" 0
check_eq 'an answer from the phone (R flag on the copy) is not owed' "$(printf '%s' "$j" | jq '[.owe[] | select(.subject == "Answered from the phone")] | length')" 0
check_eq 'me in Cc only: owed' "$(printf '%s' "$j" | jq -c '[.owe[] | select(.subject == "Cc question") | .client]')" '["acme"]'
check_eq 'me in Bcc only, or in no header: not owed' "$(printf '%s' "$j" | jq '[.owe[] | select(.subject == "Bcc notice" or .subject == "Not to me")] | length')" 0
check_eq 'my message of 7 days is not to chase yet; --days 5 chases it' "$(subjects --days 5 | sed -n 2p)" "[APP] Proposal sent|Quote sent"
check_eq 'a thread older than the maximum age (90 days) is history' "$(printf '%s' "$j" | jq '[.owe[] | select(.subject == "Old question")] | length')" 0
check_eq '... --all keeps it' "$(subjects --all | sed -n 1p)" "Old question|Initech question|Invoice question|Logo files|Cc question|[WEB] Owed question"
check_eq '... and so does --max-age 200' "$(subjects --max-age 200 | sed -n 1p)" "Old question|Initech question|Invoice question|Logo files|Cc question|[WEB] Owed question"
check_eq '... --max-age 60 leaves Initech'"'"'s 75 days out too' "$(subjects --max-age 60 | sed -n 1p)" "Invoice question|Logo files|Cc question|[WEB] Owed question"
cp "$TMP/config" "$TMP/config.orig"
sed 's/^me = sam@studio.example$/&\nfollowup_max_age = 200/' "$TMP/config.orig" > "$TMP/config"
check_eq '... and followup_max_age = 200 in the config' "$(subjects | sed -n 1p)" "Old question|Initech question|Invoice question|Logo files|Cc question|[WEB] Owed question"
cp "$TMP/config.orig" "$TMP/config"

# Gone quiet: globex's last mail is 24 days old, under its followup_days of
# 30; acme's is 4 days old, but its app project's 39; initech (active = no)
# is never listed; umbrella never wrote.
check_eq 'quiet: a project of a client that has not gone quiet, and a client with no mail' "$(printf '%s' "$j" | jq -c '.quiet')" \
	"[{\"client\":\"umbrella\",\"project\":null,\"last\":null,\"days\":null,\"last_id\":null},{\"client\":\"acme\",\"project\":\"app\",\"last\":\"2025-01-20T10:00:00Z\",\"days\":39,\"last_id\":$CHASE}]"
check_eq '--quiet 20 counts for every client, followup_days or not' "$(mc followups --quiet 20 --format=json | jq -r '[.quiet[] | "\(.client)/\(.project)"] | join(" ")')" "umbrella/null acme/app globex/null"
check_eq '... and says so' "$(mc followups --quiet 20 | grep '^Gone quiet')" "Gone quiet (no mail either way for more than 20 days):"
check_eq 'a client gone quiet stands for its projects; active = no is never listed' "$(mc followups --quiet 3 | sed -n '/^Gone quiet/,$p')" "Gone quiet (no mail either way for more than 3 days):
  umbrella         never       Umbrella  (no exchange yet)
$(printf '  %-16s 2025-02-05  Globex  (id %s, 23 days)' globex "$LOGO")
$(printf '  %-16s 2025-02-25  ACME Corp  (id %s, 3 days)' acme "$(idof answered-2@studio.example)")"
check_eq '... but its threads are still owed' "$(printf '%s' "$j" | jq -c '[.owe[] | select(.client == "initech") | .subject]')" '["Initech question"]'

# One client, one project.
check_eq 'followups CLIENT' "$(subjects acme)" "Cc question|[WEB] Owed question
[APP] Proposal sent"
check_eq 'followups CLIENT/PROJECT: threads whose last message is the project'"'"'s' "$(mc followups acme/website)" "You owe a reply (they wrote last, to you):
$(printf '  %-16s 2025-02-20  ← Bob Martin  [WEB] Owed question  (id %s, 8 days)' acme/website "$OWED")
Chase them (you wrote last, no answer for more than 14 days):
  nothing
Gone quiet (no mail either way for more than 14 days):
  nothing"
check_eq '... and a project gone quiet' "$(mc followups --format=json acme/app | jq -c '[(.owe | length), (.chase | length), [.quiet[].project]]')" '[0,1,["app"]]'
check_eq 'followups of an unknown client: exit 2, the nearest named' "$(mc followups acmee 2>&1; echo "rc=$?")" "mailclerk: no client 'acmee' — did you mean 'acme'?
rc=2"
check_eq '... and of an unknown project' "$(mc followups acme/webiste 2>&1; echo "rc=$?")" "mailclerk: no project 'acme/webiste' — did you mean 'acme/website'?
rc=2"
check_eq '... or one with no near name' "$(mc followups nosuchclient 2>&1; echo "rc=$?")" "mailclerk: no client 'nosuchclient'
rc=2"

# clients counts what followups lists; projects splits it.
check_eq 'clients: the follow-ups column is what followups lists, client by client' \
	"$(mc clients --format=json | jq -c '[.[] | [.client, .followups]]')" \
	"$(printf '%s' "$j" | jq -c '[.owe[], .chase[]] as $all | ["acme", "globex", "initech", "umbrella"] | map(. as $c | [$c, ([$all[] | select(.client == $c)] | length)])')"
check_eq '... which is 3 2 1 0 here' "$(mc clients | awk 'NR > 1 { printf "%s ", $(NF - 1) }')" "3 2 1 0 "
F="$TMP/attachments"
check_eq 'projects: each project, then each client'"'"'s other mail' "$(mc projects)" \
"project              name                    in   out threads  first       last        followups  attachments  folder
acme/website         Website                  1     0       1  2025-02-20  2025-02-20          1            0  $F/acme/website
acme/app             App                      0     1       1  2025-01-20  2025-01-20          1            0  $F/acme/app
acme                 (no project)             6     2       7  2024-10-01  2025-02-25          1            0  $F/acme/_unsorted
globex               (no project)             2     0       2  2025-02-01  2025-02-05          2            0  $F/globex/_unsorted
initech              (no project)             1     0       1  2024-12-15  2024-12-15          1            0  $F/initech/_unsorted"
check_eq 'projects --format=json CLIENT' "$(mc projects --format=json acme | jq -c '.[]')" \
"{\"client\":\"acme\",\"project\":\"website\",\"name\":\"Website\",\"messages_in\":1,\"messages_out\":0,\"threads\":1,\"first\":\"2025-02-20T10:00:00Z\",\"last\":\"2025-02-20T10:00:00Z\",\"followups\":1,\"attachments\":0,\"folder\":\"$F/acme/website\"}
{\"client\":\"acme\",\"project\":\"app\",\"name\":\"App\",\"messages_in\":0,\"messages_out\":1,\"threads\":1,\"first\":\"2025-01-20T10:00:00Z\",\"last\":\"2025-01-20T10:00:00Z\",\"followups\":1,\"attachments\":0,\"folder\":\"$F/acme/app\"}
{\"client\":\"acme\",\"project\":null,\"name\":null,\"messages_in\":6,\"messages_out\":2,\"threads\":7,\"first\":\"2024-10-01T10:00:00Z\",\"last\":\"2025-02-25T09:00:00Z\",\"followups\":1,\"attachments\":0,\"folder\":\"$F/acme/_unsorted\"}"
check_eq 'a project'"'"'s follow-ups are what followups CLIENT/PROJECT lists' "$(mc followups --format=json acme/website | jq '.owe + .chase | length') $(mc followups --format=json acme/app | jq '.owe + .chase | length')" "1 1"
check_eq 'projects of an unknown client: exit 2' "$(mc projects acmee 2>&1; echo "rc=$?")" "mailclerk: no client 'acmee' — did you mean 'acme'?
rc=2"

# Done, snooze, undo. A mark is kept on the thread's last message.
before=$(marks)
check_eq 'done ID: prints the thread it marked' "$(mc followups done "$INVOICE" --note 'paid by phone')" \
	"done: thread $(threadof invoice-1@globex.example) (last message $INVOICE, 2025-02-01): Invoice question"
ANSWERED=$(idof answered-2@studio.example) ATHREAD=$(threadof answered-1@acme.example)
check_eq '... an earlier message of a thread marks the thread, at its last message' "$(mc followups done "$(idof answered-1@acme.example)")" \
	"done: thread $ATHREAD (last message $ANSWERED, 2025-02-25): Re: Answered question"
LTHREAD=$(threadof logo@globex.example)
check_eq 'snooze thread:N --until DATE' "$(mc followups snooze "thread:$LTHREAD" --until 2025-03-10)" \
	"snoozed until 2025-03-10: thread $LTHREAD (last message $LOGO, 2025-02-05): Logo files"
check_eq 'the index holds the marks, by message' "$(marks)" "$(printf '%s\n' "$ANSWERED|done|||1740787200" "$LOGO|snoozed|1741564800||1740787200" "$INVOICE|done||paid by phone|1740787200" | sort -n)"
check_eq 'done and snoozed threads leave the list' "$(subjects | sed -n 1p)" "Initech question|Cc question|[WEB] Owed question"
check_eq 'followups --done lists them, with note and end' "$(mc followups --done)" "Done and snoozed:
$(printf '%s\n' "  done             2025-02-25  → bob@acme.example  Re: Answered question  (id $ANSWERED, thread $ATHREAD)" \
	"  until 2025-03-10 2025-02-05  ← Dana  Logo files  (id $LOGO, thread $LTHREAD)" \
	"  done             2025-02-01  ← Dana  Invoice question  (id $INVOICE, thread $(threadof invoice-1@globex.example))  note: paid by phone" | sort -t'(' -k2.4n)"
check_eq '--done --format=json' "$(mc followups --done --format=json globex | jq -c '.[]' | sort)" "$(printf '%s\n' \
	"{\"thread\":$(threadof invoice-1@globex.example),\"id\":$INVOICE,\"date\":\"2025-02-01T10:00:00Z\",\"subject\":\"Invoice question\",\"from\":\"dana@globex.example\",\"state\":\"done\",\"until\":null,\"note\":\"paid by phone\",\"marked\":\"2025-03-01T00:00:00Z\"}" \
	"{\"thread\":$LTHREAD,\"id\":$LOGO,\"date\":\"2025-02-05T10:00:00Z\",\"subject\":\"Logo files\",\"from\":\"dana@globex.example\",\"state\":\"snoozed\",\"until\":\"2025-03-10T00:00:00Z\",\"note\":\"\",\"marked\":\"2025-03-01T00:00:00Z\"}" | sort)"
check_eq 'clients counts them out too' "$(mc clients --format=json | jq -c '[.[].followups]')" '[3,0,1,0]'
check_eq 'the snooze ends: the thread is back' "$(subjects --now 2025-03-10 | sed -n 1p)" "Initech question|Logo files|Cc question|[WEB] Owed question"
check_eq '... and no longer listed as snoozed' "$(mc followups --done --now 2025-03-10 --format=json | jq -r '[.[].subject] | sort | join("|")')" "Invoice question|Re: Answered question"
check_eq 'marks survive reclassify' "$(mc reclassify >/dev/null 2>&1; marks)" "$(printf '%s\n' "$ANSWERED|done|||1740787200" "$LOGO|snoozed|1741564800||1740787200" "$INVOICE|done||paid by phone|1740787200" | sort -n)"

# A new message in a done thread brings it back, and it is the one owed.
printf 'From: Dana <dana@globex.example>\nTo: Sam Carter <sam@studio.example>\nSubject: Re: Invoice question\nMessage-ID: <invoice-2@globex.example>\nIn-Reply-To: <invoice-1@globex.example>\nReferences: <invoice-1@globex.example>\nDate: 27 Feb 2025 10:00:00 +0000\n\nstill waiting\n' > "$M/new/1800000001.M1.host"
mc ingest --maildir "$M" >/dev/null 2>&1
check_eq 'a new message in a done thread: it is back' "$(mc followups --format=json globex | jq -c '[.owe[] | [.subject, .id]]')" "[[\"Re: Invoice question\",$(idof invoice-2@globex.example)]]"
check_eq '... and no longer done' "$(mc followups --done --format=json | jq -r '[.[].subject] | sort | join("|")')" "Logo files|Re: Answered question"
check_eq 'undo: the snooze is taken away' "$(mc followups undo "$LOGO")" "no longer snoozed: thread $LTHREAD (last message $LOGO, 2025-02-05): Logo files"
check_eq '... and the thread is owed again' "$(mc followups --format=json globex | jq -r '[.owe[].subject] | join("|")')" "Logo files|Re: Invoice question"
check_eq 'snooze --until 2w: two weeks ahead' "$(mc followups snooze "$LOGO" --until 2w --note 'after the holidays' && mc followups --done --format=json globex | jq -c '.[] | [.until, .note]')" \
	"snoozed until 2025-03-15: thread $LTHREAD (last message $LOGO, 2025-02-05): Logo files
[\"2025-03-15T00:00:00Z\",\"after the holidays\"]"

# Bad input: exit 2, naming it, and nothing written.
before=$(marks)
bad() { mc followups "$@" 2>&1; echo "rc=$?"; }
check_eq 'done of an unknown id' "$(bad done 999999)" "mailclerk: no message with id 999999
rc=2"
check_eq 'done of an unknown thread' "$(bad done thread:999999)" "mailclerk: no thread thread:999999
rc=2"
check_eq 'done of an unknown Message-ID' "$(bad done id:nosuch@example.org)" "mailclerk: no message with Message-ID <nosuch@example.org>
rc=2"
check_eq 'a reference that is none' "$(bad done thread:x)" "mailclerk: 'thread:x' is not a thread: give thread:N
rc=2"
check_eq 'done without an ID' "$(bad done)" "mailclerk: followups done takes one message ID or thread:N
rc=2"
check_eq 'snooze without --until' "$(bad snooze "$OWED")" "mailclerk: followups snooze needs --until DATE (2w, 2025-01-10)
rc=2"
check_eq 'snooze with a bad date' "$(bad snooze "$OWED" --until 2025-13-01)" "mailclerk: --until: bad date '2025-13-01' at column 1
rc=2"
check_eq 'snooze until a day gone' "$(bad snooze "$OWED" --until yesterday)" "mailclerk: --until: 'yesterday' is not after today (2025-03-01)
rc=2"
check_eq 'undo of a thread not marked' "$(bad undo "$OWED")" "mailclerk: thread $(threadof owed@acme.example) is not marked done or snoozed
rc=2"
check_eq 'done takes no --until' "$(bad done "$OWED" --until 2w)" "mailclerk followups done: Unknown option --until (see 'mailclerk followups done --help')
rc=2"
check_eq 'a maximum age or quiet days of 0' "$(bad --max-age 0; bad --quiet 0)" "mailclerk: --max-age must be at least 1
rc=2
mailclerk: --quiet must be at least 1
rc=2"
check_eq 'nothing was written by any of them' "$(marks)" "$before"
check_eq 'done with no index: exit 1, and no index made' "$("$MAILCLERK" --config "$TMP/config" --db "$TMP/none.db" followups done 1 2>&1; echo "rc=$?"; test -e "$TMP/none.db" && echo made)" \
	"mailclerk: no index at $TMP/none.db: run 'mailclerk ingest' first
rc=1"

# timeline: each message's id (show follows it), --since.
t=$(mc timeline acme)
check_eq 'timeline: each message with its id' "$(printf '%s\n' "$t" | grep -c "^  $OWED  *2025-02-20 10:00 ← Bob Martin  *\[WEB\] Owed question$")" 1
check_eq '... which show follows' "$(mc show "$(printf '%s\n' "$t" | awk '/Owed question$/ && $1 ~ /^[0-9]+$/ { print $1 }')" | grep '^Subject:')" "Subject: [WEB] Owed question"
check_eq 'timeline --since DATE: only mail from then on' "$(mc timeline --since 2025-02-20 --format=json acme | jq -r '[.[].messages[].subject] | join("|")')" "[WEB] Owed question|Quote sent|Re: Answered question"
check_eq 'timeline --since 5d (relative, as in queries)' "$(mc timeline --since 5d --format=json acme | jq -r '[.[].messages[].subject] | join("|")')" "Re: Answered question"
check_eq 'timeline --since with a bad date: exit 2, the column' "$(mc timeline --since 2025-02-30 acme 2>&1; echo "rc=$?")" "mailclerk: --since: bad date '2025-02-30' at column 1
rc=2"

# thread thread:N is thread ID.
check_eq 'thread thread:N lists the thread' "$(mc thread --format=json "thread:$ATHREAD" | jq -r '[.[].subject] | join("|")')" "Answered question|Re: Answered question"
check_eq '... as thread ID does' "$(mc thread "thread:$ATHREAD")" "$(mc thread "$ANSWERED")"
check_eq 'thread of an unknown thread: exit 1, as of an unknown id' "$(mc thread thread:999999 2>&1; echo "rc=$?")" "mailclerk: no thread thread:999999
rc=1"

# As it stood on a day before the last message of a thread: judged by what
# it held then, not left out. At the start of 2025-02-20 Bob's "Answered
# question" of 02-10 was owed (answered on 02-25); mail of that day and
# later had not come ("[WEB] Owed question", "Quote sent").
check_eq 'followups --now before a reply: the question it answered was owed then' "$(mc followups --now 2025-02-20 --format=json acme | jq -c '[.owe[] | [.subject, .days]], [.chase[] | [.subject, .days]]')" "$(printf '%s\n' '[["Answered question",9],["Cc question",1]]' '[["[APP] Proposal sent",30]]')"
