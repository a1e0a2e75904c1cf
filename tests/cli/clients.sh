#!/bin/sh
# Client and project rules: filing at ingest, with reasons; client: and
# project: queries; explain; and bad rules as clear errors.
. "$top_srcdir/tests/lib.sh"
plan 73

cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
name = ACME Corp
domains = acme.example
match = subject:/\bACME-\d+\b/
exclude = from:/^noreply@/

[project acme/website]
name = Website relaunch
match = subject:/\[ACME-12\]/

[client globex]
domains = globex.example

[client kawasemi]
name = 川蝉工房
match = subject:/見積/

[project globex/annual-report-2024]
name = Jahresbericht
match = subject:/zzqq-never/

[client northwind]
match = body:/was:\s+>from/i
EOC
copy_corpus
# Two more messages: a notification from ACME's noreply address (excluded),
# and a "thanks!" from a personal address in ACME's kickoff thread.
printf 'From: ACME Portal <noreply@acme.example>\nTo: sam@studio.example\nSubject: Your password was changed\nMessage-ID: <portal-1@acme.example>\nDate: Mon, 05 Feb 2024 11:00:00 +0000\n\nnoreplyword\n' > "$TMP/corpus/maildir/INBOX/new/1800000000.M1P1.host"
printf 'From: Bob <bob.personal@gmail.example>\nTo: sam@studio.example\nSubject: thanks!\nMessage-ID: <thanks-1@gmail.example>\nIn-Reply-To: <65c0e8a0.5a3b@studio.example>\nReferences: <20240205090000.kickoff@acme.example> <65c0e8a0.5a3b@studio.example>\nDate: Mon, 05 Feb 2024 15:00:00 +0000\n\nthanksword\n' > "$TMP/corpus/maildir/INBOX/new/1800000001.M2P2.host"
mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1

check_eq 'client:acme: mail from and to acme.example' "$(mc count client:acme)" 11
check_eq 'project:acme/website: the [ACME-12] subjects' "$(mc count project:acme/website)" 10
check_eq 'project:website (unambiguous) is the same' "$(mc count project:website)" 10
check_eq 'client:globex, received and sent' "$(mc count client:globex)" 4
check_eq 'a sent proposal is filed under its recipient' "$(mc search --format=json id:65e58e10.9c2d@studio.example | jq -c '.[0].clients')" '["globex"]'
check_eq 'exclude: the noreply notification is not ACME mail' "$(mc count client:acme noreplyword)" 0
check_eq '... and counts as unfiled' "$(mc count client:none noreplyword)" 1
check_eq 'a reply from a personal address inherits its thread' "$(mc search --format=json thanksword | jq -c '.[0] | [.clients, .projects]')" '[["acme"],["acme/website"]]'
check_eq '... and says so' "$(mc explain id:thanks-1@gmail.example)" "client acme (ACME Corp): thread
project acme/website: thread
not automated"
check_eq 'explain: the rule and the text that matched' "$(mc explain id:20240205090000.kickoff@acme.example)" 'client acme (ACME Corp): domain acme.example, matched "bob@acme.example"
project acme/website: subject /\[ACME-12\]/, matched "[ACME-12]"
not automated'
check_eq 'explain --format=json' "$(mc explain --format=json id:65e58e10.9c2d@studio.example | jq -c .)" '{"filings":[{"client":"globex","project":null,"rule":"domain globex.example","matched":"dana@globex.example","excluded":false}],"automated":{"automated":false,"reason":"not automated","signal":"","config":null,"reclassify_needed":false}}'
check_eq 'a CJK regex files a Japanese subject' "$(mc search --format=json client:kawasemi | jq -r '.[].subject')" "お見積りの件について"
check_eq 'a regex keeps its backslashes as written (\s is not a space)' "$(mc ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1; mc search --format=json client:northwind | jq -r '.[].message_id')" CAOldArchive.0110@mail.northwind.example
# count of one key reads the number the writer keeps (filing_stats); an OR
# of the key with itself is the same messages, gathered from their filings.
# key_counts CLIENT: acme, acme/website and CLIENT so and so.
key_counts() {
	echo "$(mc count client:acme) $(mc count project:acme/website) $(mc count "client:$1")" \
		"$(mc count 'client:acme OR client:acme') $(mc count 'project:acme/website OR project:acme/website')" \
		"$(mc count "client:$1 OR client:$1")"
}
check_eq 'count of a key: the writer'"'"'s number is its filings'"'"' messages' "$(key_counts kawasemi)" "11 10 1 11 10 1"
check_eq '... and not of a key: the rest' "$(mc count -- -client:acme) $(mc count 'NOT project:acme/website')" "$(( $(mc count '*') - 11 )) $(( $(mc count '*') - 10 ))"
check_eq 'client:none is everything else' "$(mc count client:none)" "$(( $(mc count '*') - $(mc count client:acme OR client:globex OR client:kawasemi OR client:northwind) ))"

# A key that names no client or project is an error, not an empty result,
# with the nearest key when one is close.
err=$(mc count client:globx 2>&1)
check_eq 'an unknown client: exits 2' "$?" 2
check_eq '... naming the key, its column and the nearest client' "$err" "mailclerk: no client 'globx' at column 1 — did you mean 'globex'?"
check_eq '... in search, at its column, whatever the case' "$(mc search 'invoice -client:ACME' 2>&1; echo "rc=$?")" "mailclerk: no client 'ACME' at column 10 — did you mean 'acme'?
rc=2"
check_eq '... in attachments' "$(mc attachments client:kawasemy 2>&1; echo "rc=$?")" "mailclerk: no client 'kawasemy' at column 1 — did you mean 'kawasemi'?
rc=2"
check_eq '... and in attachments save' "$(mc attachments save --dry-run --to "$TMP/x" client:northwnd 2>&1; echo "rc=$?")" "mailclerk: no client 'northwnd' at column 1 — did you mean 'northwind'?
rc=2"
check_eq '... without a suggestion when no key is near' "$(mc count client:initech 2>&1; echo "rc=$?")" "mailclerk: no client 'initech' at column 1
rc=2"
check_eq 'an unknown project: KEY' "$(mc count project:webiste 2>&1; echo "rc=$?")" "mailclerk: no project 'webiste' at column 1 — did you mean 'website'?
rc=2"
check_eq '... and CLIENT/KEY' "$(mc count 'date:2024 project:acmee/website' 2>&1; echo "rc=$?")" "mailclerk: no project 'acmee/website' at column 11 — did you mean 'acme/website'?
rc=2"
check_eq '... a project of another client' "$(mc count project:globex/website 2>&1; echo "rc=$?")" "mailclerk: no project 'globex/website' at column 1
rc=2"
check_eq 'known keys still count exactly' "$(mc count client:acme) $(mc count project:website) $(mc count project:acme/website) $(mc count client:globex)" "11 10 10 4"

# Views, with a fixed now.
export MAILCLERK_NOW=2024-12-31
# By the end of 2024 every thread is older than followup_max_age (90 days).
check_eq 'clients: ACME in numbers' "$(mc clients --format=json | jq -c '.[] | select(.client == "acme") | [.name, .messages_in, .messages_out, .threads, .first, .last, .followups, .attachments]')" \
	'["ACME Corp",10,1,7,"2024-02-05T09:00:00Z","2024-04-22T07:12:00Z",0,4]'
check_eq 'clients: in May, the five ACME threads that wrote to you last' "$(MAILCLERK_NOW=2024-05-01 mc clients --format=json | jq -c '.[] | select(.client == "acme") | .followups')" 5
# Text columns line up by what a terminal shows: a wide name takes two
# columns a character, and the key column fits the longest key.
check_eq 'clients text: a CJK name keeps the columns' "$(mc clients | sed -n '1p;/^kawasemi/p')" \
"client       name                    in   out threads  first       last        followups  attachments
kawasemi     川蝉工房                 1     0       1  2023-10-02  2023-10-02          0  0"
check_eq 'projects text: the key column fits a long key' "$(mc projects globex | sed 's|  /.*||')" \
"project                   name                    in   out threads  first       last        followups  attachments  folder
globex/annual-report-2024 Jahresbericht            0     0       0  -           -                   0            0
globex                    (no project)             3     1       4  2023-03-08  2024-06-03          0            1"
check_eq 'clients lists every configured client, mail or not' "$(mc clients --format=json | jq -r '[.[].client] | join(" ")')" "acme globex kawasemi northwind"
f=$(mc followups --all --days 30 --format=json globex)
check_eq 'followups: threads where globex wrote last, oldest first' "$(printf '%s' "$f" | jq -r '[.owe[].subject] | join("|")')" \
	"Signed SOW attached|Quick question about the logo files"
check_eq 'followups: a thread to chase, with its age' "$(printf '%s' "$f" | jq -c '.chase[] | [.subject, .to, .days]')" '["Invoice 2024-007 (February)","dana@globex.example",301]'
check_eq 'followups --days only moves what to chase; --now' "$(mc followups --all --days 400 --now 2024-12-31 --format=json | jq -c '[(.owe | length), (.chase | length)]') $(mc followups --all --days 300 --now 2024-12-31 --format=json | jq -c '[(.owe | length), (.chase | length)]')" '[9,0] [9,1]'
check_exit 'followups of an unknown client is an error (2)' 2 mc followups nosuch
t=$(mc timeline --format=json acme)
check_eq 'timeline: threads in the order they began' "$(printf '%s' "$t" | jq -r '[.[] | "\(.count) \(.messages[0].subject)"] | join("|")')" \
	"5 [ACME-12] Website relaunch kickoff|1 [ACME-12] Meeting notes 12 Feb|1 [ACME-12] New logo in the footer|1 [ACME-12] Homepage wireframes v2: consolidated feedback from the design team|1 [ACME-12] Signed sitemap|1 [ACME-12] Rates and greetings|1 Fwd: Signed contract"
check_eq 'timeline: each message with its direction, sender and attachments' "$(printf '%s' "$t" | jq -c '[.[0].messages[] | [.date, .direction, .from.address]], [.[] | .messages[].attachments] ')" \
	'[["2024-02-05T09:00:00Z","in","bob@acme.example"],["2024-02-05T14:00:00Z","out","sam@studio.example"],["2024-02-05T15:00:00Z","in","bob.personal@gmail.example"],["2024-02-06T10:00:00Z","in","bob@acme.example"],["2024-02-07T14:30:00Z","in","carol@acme.example"]]
[0,0,0,0,0,1,0,0,1,2,0]'
check_eq 'timeline CLIENT/PROJECT: only the project'"'"'s mail, as text' "$(mc timeline acme/website | grep -Ec '^  [0-9]+ +2024')" 10
check_eq 'timeline --limit=2: the two threads with the newest mail, in the order they began' "$(mc timeline --limit=2 --format=json acme 2>"$TMP/err" | jq -r '[.[] | "\(.count) \(.messages[0].subject)"] | join("|")')" \
	"1 [ACME-12] Rates and greetings|1 Fwd: Signed contract"
check_eq '... and a word on stderr about the others' "$(cat "$TMP/err")" 'mailclerk: the 2 threads with the newest mail; older ones with --limit=0 or --since'
check_eq 'timeline --limit=0: every thread' "$(mc timeline --limit=0 --format=json acme | jq length)" 7
check_eq 'timeline text: a thread heading, then its messages with their ids' "$(mc timeline acme | sed -n '1,3p')" \
	"[ACME-12] Website relaunch kickoff  (thread $(printf '%s' "$t" | jq '.[0].thread'), 5 messages)
$(printf '  %-6s 2024-02-05 09:00 ← Bob Martin               [ACME-12] Website relaunch kickoff' "$(printf '%s' "$t" | jq '.[0].messages[0].id')")
$(printf '  %-6s 2024-02-05 14:00 → Sam Carter               Re: [ACME-12] Website relaunch kickoff' "$(printf '%s' "$t" | jq '.[0].messages[1].id')")"
check_exit 'timeline of an unknown client is an error (2)' 2 mc timeline nosuch
check_eq 'contacts: who wrote or was written to, most mail first' "$(mc contacts --format=json acme | jq -c '.[0:2][] | [.name, .address, .messages, .first, .last]')" \
	'["Bob Martin","bob@acme.example",6,"2024-02-05T09:00:00Z","2024-04-22T07:12:00Z"]
["Carol Nguyen","carol@acme.example",5,"2024-02-05T09:00:00Z","2024-02-12T17:45:00Z"]'
check_eq 'contacts: your own address is not a contact' "$(mc contacts --format=json | jq '[.[] | select(.address == "sam@studio.example")] | length')" 0
check_eq 'contacts text: columns line up for wide names' "$(mc contacts kawasemi)" \
	"田中 太郎                kawasemi     1  2023-10-02  2023-10-02  tanaka@kawasemi.example"
check_exit 'contacts of an unknown client is an error (2)' 2 mc contacts nosuch
check_eq 'the client views print text or json, and say so' "$(mc timeline --format=files acme 2>&1)" "mailclerk: timeline prints text or json, not 'files'"
unset MAILCLERK_NOW

# Bad rules: exit 2, the file, group and key named, nothing written.
bad() { printf '%s\n' "$@" > "$TMP/bad"; "$MAILCLERK" --config "$TMP/bad" --db "$TMP/bad.db" ingest --maildir "$CORPUS/maildir" 2>&1; }
check_eq 'a regex that does not compile' "$(bad '[client a]' 'match = subject:/a(b/')" \
	"mailclerk: $TMP/bad:2: [client a]: key 'match': regex /a(b/ does not compile: missing closing parenthesis at offset 3"
check_eq 'an unknown field' "$(bad '[client a]' 'match = sender:/x/')" \
	"mailclerk: $TMP/bad:2: [client a]: key 'match': unknown field 'sender' (subject, body, from, to, cc, address, attachment, label, header:NAME)"
check_eq 'a project for an unknown client' "$(bad '[project nope/site]' 'match = subject:/x/')" \
	"mailclerk: $TMP/bad:1: [project nope/site]: no [client nope] for this project"
check_eq 'a group given twice' "$(bad '[client a]' 'domains = a.example' '[client a]' 'domains = b.example')" \
	"mailclerk: $TMP/bad:3: group [client a] is given twice (also at line 1)"
check_eq 'a key given twice' "$(bad '[client a]' 'domains = a.example' 'domains = b.example')" \
	"mailclerk: $TMP/bad:3: [client a]: key 'domains' is given twice (also at line 2)"
check_eq 'an unknown key' "$(bad '[client a]' 'domain = a.example')" \
	"mailclerk: $TMP/bad:2: [client a]: unknown key 'domain' — did you mean 'domains'?"
check_exit 'bad rules exit 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$TMP/bad.db" ingest --maildir "$CORPUS/maildir"
check 'and nothing was written' test ! -e "$TMP/bad.db"
check_eq 'explain of unfiled mail says so' "$(mc explain id:maint-2024-0417@hosting.example)" "not filed under any client
not automated"

# The rules change: globex goes, initech comes, the website project is now
# only the kickoff thread's subject, and a header rule files the list digest.
cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
name = ACME Corp
domains = acme.example
exclude = from:/^noreply@/

[project acme/website]
match = subject:/relaunch kickoff/

[client initech]
domains = initech.example

[client designers]
match = header:List-Id:/freelancers\.example/
EOC
# Keys the index has filed mail under still exist, until reclassify.
check_eq 'a client gone from the config answers while the index has its filings' "$(mc count client:globex)" 4
check_eq '... and is suggested' "$(mc count client:globx 2>&1)" "mailclerk: no client 'globx' at column 1 — did you mean 'globex'?"
before_acme=$(mc count client:acme)
out=$(mc reclassify)
check_eq 'reclassify exits 0' "$?" 0
check_eq 'globex filings are removed: client:globex names nothing now' "$(mc count client:globex 2>&1; echo "rc=$?")" "mailclerk: no client 'globex' at column 1
rc=2"
check_eq 'initech filings are added' "$(mc count client:initech)" 3
check_eq 'the project follows its new rule (and its thread)' "$(mc count project:acme/website)" 5
check_eq 'a header: rule reads the message file' "$(mc search --format=json client:designers | jq -r '.[].message_id')" digest.v12i7@freelancers.example
check_eq 'acme itself is unchanged' "$(mc count client:acme)" "$before_acme"
check_eq 'count of a key after reclassify: the writer'"'"'s number is its filings'"'"' messages' "$(key_counts initech)" "$before_acme 5 3 $before_acme 5 3"
check 'the summary counts what changed' sh -c 'printf "%s" "$1" | grep -Eq "^reclassify: 35 messages, [0-9]+ filings \([0-9]+ added, [0-9]+ removed\), [0-9]+ automated \([0-9]+ changed\), [0-9]+ outbound \([0-9]+ changed\), in "' - "$out"

# contacts leaves machine senders out unless --all.
printf '\n[client portal]\ndomains = acme.example\n' >> "$TMP/config"
mc reclassify >/dev/null 2>&1
check_eq 'contacts leaves out noreply senders' "$(mc contacts --format=json portal | jq '[.[] | select(.address == "noreply@acme.example")] | length')" 0
check_eq 'contacts --all keeps them' "$(mc contacts --all --format=json portal | jq -c '[.[] | select(.address == "noreply@acme.example") | [.name, .messages]]')" '[["ACME Portal",1]]'

# An exclude holds against the thread too: a noreply ticket update in ACME's
# kickoff thread does not inherit acme (nor its project), only portal.
printf 'From: Tickets <noreply@tickets.example>\nTo: sam@studio.example\nSubject: Re: [ticket] kickoff\nMessage-ID: <ticket-1@tickets.example>\nIn-Reply-To: <20240205090000.kickoff@acme.example>\nReferences: <20240205090000.kickoff@acme.example>\nDate: Tue, 06 Feb 2024 08:00:00 +0000\n\nticketword\n' > "$TMP/corpus/maildir/INBOX/new/1800000002.M3P3.host"
mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
check_eq 'count of a key after a new message: the same' "$(key_counts initech)" "$before_acme 5 3 $before_acme 5 3"
check_eq 'an excluded message does not inherit the client from its thread' "$(mc search --format=json ticketword | jq -c '.[0] | [.clients, .projects]')" '[["portal"],[]]'
check_eq '... and reclassify agrees' "$(mc reclassify >/dev/null 2>&1; mc search --format=json ticketword | jq -c '.[0] | [.clients, .projects]')" '[["portal"],[]]'
check_eq 'explain names the exclude that kept it out' "$(mc explain id:ticket-1@tickets.example)" 'client portal: thread
excluded from client acme (ACME Corp): from /^noreply@/, matched "noreply@"
automated: machine sender noreply@tickets.example'
