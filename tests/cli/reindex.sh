#!/bin/sh
# reindex: the stored copies read again. What parsing gives (subject, date,
# sender, direction, addresses, attachments, text) is rewritten as a fresh
# ingest would store it; ids, threads, copies and filings are kept. Only
# the messages of a query; unreadable copies; a message that crashes the
# parser; kill -9 and the run after it; a bad query; an index made by an
# older mailclerk.
. "$top_srcdir/tests/lib.sh"
plan 80

cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
domains = acme.example

[project acme/website]
match = subject:/\[ACME-12\]/

[client northwind]
domains = northwind.example
EOC
copy_corpus
C="$TMP/corpus"
# The files as they were, times kept, to put back what a test changes.
cp -Rp "$C" "$TMP/pristine"
mc ingest --maildir "$C/maildir" >/dev/null 2>&1
mc ingest --mbox "$C/mbox/takeout.mbox" --file "$C"/eml/*.eml >/dev/null 2>&1

q() { sqlite3 "$DB" "$1"; }
id_of() { q "SELECT id FROM messages WHERE message_id = '$1'"; }
# What a reindex must leave as a fresh ingest made it: the messages as
# search shows them (also sorted through the date map), ids and threads,
# filings, explain.
snapshot() {
	mc search --format=json '*' > "$TMP/$1.json"
	mc search --format=json acme > "$TMP/$1.acme.json"
	q 'SELECT id, message_id, thread_id FROM messages ORDER BY id' > "$TMP/$1.ids"
	q 'SELECT message, client, project, rule, matched FROM filings ORDER BY 1, 2, 3' > "$TMP/$1.filings"
	for i in $(q 'SELECT id FROM messages ORDER BY id'); do mc explain "$i"; done > "$TMP/$1.explain" 2>&1
}
same() { cmp -s "$TMP/$1" "$TMP/$2"; }
summary() { sed 's/, in .*//' "$TMP/out"; }
snapshot before

K=$(id_of 20240205090000.kickoff@acme.example)
K_FILE="$C/maildir/INBOX/cur/1707123600.M101P2001.studio:2,S"
SENT=$(id_of 65c0e8a0.5a3b@studio.example)
HOLIDAY=$(id_of DB9PR01MB1234.holiday@umbrella.example)
BUDGET=$(q "SELECT message FROM attachments WHERE filename = 'budget.csv'")
INVOICES=$(id_of CAInvoices.0214@mail.northwind.example)
sent_addresses=$(q "SELECT count(*) FROM addresses WHERE message = $SENT")

mc reindex >"$TMP/out" 2>"$TMP/err"
check_eq 'reindex of an index this mailclerk made: exit 0' "$?" 0
check_eq '... every message read again, none changed' "$(summary)" \
	'reindex: 37 messages read again, 0 changed, 0 unreadable'
check_eq '... nothing on stderr' "$(cat "$TMP/err")" ''
mc search --format=json '*' > "$TMP/intact.json"
check '... and the messages are as they were' same intact.json before.json

# Content hashes as an older mailclerk stored them, SHA-256s of 32 bytes:
# a reindex counts no change for them, and leaves each message's XXH3. A
# hash of today's form that differs is a change (the copy was edited).
q 'UPDATE messages SET content_hash = randomblob(32)'
mc reindex >"$TMP/out" 2>&1
check_eq 'content hashes of the older form: no message changed' "$(summary)" \
	'reindex: 37 messages read again, 0 changed, 0 unreadable'
check_eq '... each one an XXH3-128 now' \
	"$(q 'SELECT count(*) FROM messages WHERE length(content_hash) = 16')" 37
mc search --format=json '*' > "$TMP/rehashed.json"
check '... and the messages are as they were' same rehashed.json before.json
q "UPDATE messages SET content_hash = randomblob(16) WHERE id = $K"
mc reindex >"$TMP/out" 2>&1
check_eq 'a content hash of the new form that differs: that message changed' "$(summary)" \
	'reindex: 37 messages read again, 1 changed, 0 unreadable'
mc reindex >"$TMP/out" 2>&1
check_eq '... and no more after' "$(summary)" \
	'reindex: 37 messages read again, 0 changed, 0 unreadable'

# An older parse, as an older mailclerk would have stored it: the copies
# read with another subject (none) and other words, of the same length so
# that the mbox offsets hold, times kept. A reindex stores that parse,
# full text included.
older() {
	sed "s/$2/$3/g" "$1" > "$TMP/older" && cat "$TMP/older" > "$1" &&
		touch -r "$TMP/pristine/${1#"$C"/}" "$1"
}
older "$K_FILE" '^Subject: \[ACME-12\] Website relaunch kickoff$' "Subject:$(printf '%35s' '')"
older "$K_FILE" zorbleflux staleoldxy
older "$C/mbox/takeout.mbox" wimbletack staleoldmb
older "$C/eml/calendar-invite.eml" tovarindle staleoldcl
mc reindex >"$TMP/out" 2>&1
check_eq 'copies that parse differently: their messages are rewritten' "$(summary)" \
	'reindex: 37 messages read again, 3 changed, 0 unreadable'
check_eq '... the subject as parsed now (none)' \
	"$(mc search --format=json id:20240205090000.kickoff@acme.example | jq -r '.[0].subject')" ''
check_eq '... the new words are found (maildir, mbox, file)' \
	"$(mc count staleoldxy) $(mc count staleoldmb) $(mc count staleoldcl)" '1 1 1'
# (The invite's invite.ics, base64 that sed left as it was, is read as text
# and still has tovarindle; its text parts no longer do.)
check_eq '... the old ones no longer' \
	"$(mc count zorbleflux) $(mc count wimbletack) $(mc count tovarindle) $(mc count 'tovarindle staleoldcl')" '0 0 1 1'
q 'SELECT message, client, project, rule, matched FROM filings ORDER BY 1, 2, 3' > "$TMP/older.filings"
check '... filings are kept (reclassify files by the new text)' same older.filings before.filings
check_eq '... the full-text index is sound' "$(mc check)" ok
for f in "$K_FILE" "$C/mbox/takeout.mbox" "$C/eml/calendar-invite.eml"; do
	cp -p "$TMP/pristine/${f#"$C"/}" "$f"
done

# Derived data damaged besides: addresses and attachments rows gone, the
# sender, direction and date wrong, the date map blank.
q "DELETE FROM addresses WHERE message IN ($K, $INVOICES);
   DELETE FROM attachments WHERE message = $BUDGET;
   UPDATE messages SET has_attachments = 0 WHERE id = $BUDGET;
   UPDATE messages SET from_name = '', from_addr = '', direction = 1 WHERE id = $HOLIDAY;
   UPDATE messages SET date = 0 WHERE id = $INVOICES;
   UPDATE message_dates SET dates = zeroblob(length(dates));"
mc reindex >"$TMP/out" 2>"$TMP/err"
check_eq 'reindex of the damaged index: exit 0' "$?" 0
check_eq '... every message rewritten (the date map was blank)' "$(summary)" \
	'reindex: 37 messages read again, 37 changed, 0 unreadable'
check_eq '... nothing on stderr' "$(cat "$TMP/err")" ''
snapshot after
check 'search --format=json shows every message as before, byte for byte' same after.json before.json
check '... sorted by date through the date map too' same after.acme.json before.acme.json
check '... the same ids and threads' same after.ids before.ids
check '... the same filings' same after.filings before.filings
check '... explain says the same' same after.explain before.explain
check_eq '... the words of the copies are found again' \
	"$(mc count zorbleflux) $(mc count wimbletack) $(mc count tovarindle)" '1 1 1'
check_eq '... and not the older parse'"'"'s' \
	"$(mc count staleoldxy) $(mc count staleoldmb) $(mc count staleoldcl)" '0 0 0'
check_eq '... attachments and addresses are queried again' \
	"$(mc count type:csv) $(mc count 'from:tom@northwind.example subject:invoices')" '1 1'
check_eq '... the index is sound' "$(mc check)" ok
check_eq '... no progress mark is left' "$(q 'SELECT count(*) FROM reindex_progress')" 0

# Only the messages of the query.
q "DELETE FROM addresses WHERE message IN ($SENT, $K)"
mc reindex folder:Sent >"$TMP/out" 2>"$TMP/err"
check_eq 'reindex QUERY: exit 0' "$?" 0
check_eq '... reads only the messages it matches' "$(summary)" \
	'reindex: 2 messages read again, 1 changed, 0 unreadable'
check_eq '... which are rewritten' "$(q "SELECT count(*) FROM addresses WHERE message = $SENT")" \
	"$sent_addresses"
check_eq '... while a damaged message it does not match stays damaged' \
	"$(q "SELECT count(*) FROM addresses WHERE message = $K")" 0
check_eq '... and the index still needs no mark' "$(q 'SELECT count(*) FROM reindex_progress')" 0

# A bad query: exit 2, nothing read or written.
mc reindex 'date:2024-13' >"$TMP/out" 2>"$TMP/err"
check_eq 'reindex with a bad query: exit 2' "$?" 2
check_eq '... said, with the column' "$(cat "$TMP/err")" "mailclerk: bad date '2024-13' at column 6"
check_eq '... nothing printed' "$(cat "$TMP/out")" ''
check_exit 'a client that does not exist: exit 2' 2 mc reindex client:nosuch
check_eq '... nothing was written' "$(q "SELECT count(*) FROM addresses WHERE message = $K")" 0
mc reindex id:20240205090000.kickoff@acme.example >"$TMP/out" 2>&1
check_eq 'reindex id:<Message-ID>: that message' "$(summary)" \
	'reindex: 1 message read again, 1 changed, 0 unreadable'

# Copies that cannot be read: the next copy, else reported and counted.
mv "$C/eml/outlook-crlf.eml" "$TMP/away.eml"
mv "$C/maildir/.Archive.2023/cur/1699975801.M128P3028.studio,S=471,W=487:2,RS" "$TMP/away-copy"
q "DELETE FROM addresses WHERE message = $K; UPDATE messages SET subject = 'x' WHERE id = $HOLIDAY"
mc reindex >"$TMP/out" 2>"$TMP/err"
check_eq 'a message with no copy left to read: exit 1' "$?" 1
check_eq '... named on stderr with its path' "$(cat "$TMP/err")" \
	"mailclerk: message $HOLIDAY left as it was: no copy can be read ($C/eml/outlook-crlf.eml: No such file or directory)"
check_eq '... counted; the others are read again, a message from its other copy' "$(summary)" \
	'reindex: 36 messages read again, 1 changed, 1 unreadable'
check_eq '... it is left as it was' "$(q "SELECT subject FROM messages WHERE id = $HOLIDAY")" x
check_eq '... the message read is rewritten' "$(q "SELECT count(*) > 0 FROM addresses WHERE message = $K")" 1
mv "$TMP/away.eml" "$C/eml/outlook-crlf.eml"
mv "$TMP/away-copy" "$C/maildir/.Archive.2023/cur/1699975801.M128P3028.studio,S=471,W=487:2,RS"
mc reindex >"$TMP/out" 2>&1
check_eq 'the copy back: read again' "$(summary)" \
	'reindex: 37 messages read again, 1 changed, 0 unreadable'
mc search --format=json '*' > "$TMP/back.json"
check '... every message as before' same back.json before.json

# A message that crashes the parser (the test hook overflows the stack
# while parsing it): recorded by the parent, skipped, the rest read.
MALV=$(id_of 20240206100000.reply2@acme.example)
MALV_FILE="$C/maildir/INBOX/cur/1707213600.M103P2003.studio:2,RS"
q "DELETE FROM addresses WHERE message IN ($K, $MALV)"
if MAILCLERK_TEST_CRASH=malvoriste mc reindex >"$TMP/out" 2>"$TMP/err"; then
	for i in $(seq 7); do skip "crash $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	q "DELETE FROM addresses WHERE message = $K"
	mc reindex >/dev/null 2>&1
else
	check_eq 'a message that crashes the parser: exit 1' "$?" 1
	check_eq '... named by the parent, then left as it was' "$(cat "$TMP/err")" \
		"mailclerk: skipped message $MALV ($MALV_FILE): parsing it crashed mailclerk (Segmentation fault); it is skipped until it changes
mailclerk: message $MALV left as it was: $MALV_FILE: parsing it crashed mailclerk (Segmentation fault); it is skipped until it changes"
	check_eq '... the others are read again' "$(summary)" \
		'reindex: 36 messages read again, 1 changed, 1 unreadable'
	check_eq '... it is left as it was' "$(q "SELECT count(*) FROM addresses WHERE message = $MALV")" 0
	check_eq '... the index is sound' "$(mc check)" ok
	MAILCLERK_TEST_CRASH=malvoriste mc reindex >"$TMP/out" 2>/dev/null
	check_eq 'the next run does not parse it again' "$(summary)" \
		'reindex: 36 messages read again, 0 changed, 1 unreadable'
	touch -d "2024-03-01 12:00" "$MALV_FILE"
	mc reindex >"$TMP/out" 2>&1
	check_eq 'once its copy changes, it is read again' "$(summary)" \
		'reindex: 37 messages read again, 1 changed, 0 unreadable'
fi
mc search --format=json '*' > "$TMP/crash.json"
check 'every message as before' same crash.json before.json

# kill -9 during a reindex of 300 messages: batches of 50 (a test hook), a
# pause just after the first commit, where the whole process group is
# killed (the supervising parent and its child).
mkdir -p "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp"
awk -v dir="$TMP/big/cur" 'BEGIN {
	for (i = 1; i <= 300; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		printf "From: Sender %d <s%d@kill.example>\nTo: sam@studio.example\nCc: c%d@kill.example\nSubject: kill test %d\nMessage-ID: <kill-%d@kill.example>\nDate: Mon, 01 Jan 2024 00:%02d:00 +0000\n\nmessage %d of the kill test\n", i % 7, i % 7, i, i, i, i % 60, i > f
		close(f)
	}
}'
BIG="$TMP/big.db"
mb() { "$MAILCLERK" --config "$TMP/config" --db "$BIG" "$@"; }
mb ingest --maildir "$TMP/big" >/dev/null 2>&1
mb search --format=json '*' > "$TMP/big.before"
sqlite3 "$BIG" 'DELETE FROM addresses'
MAILCLERK_TEST_PAUSE="$TMP/paused" MAILCLERK_TEST_BATCH=50 setsid "$MAILCLERK" --config "$TMP/config" \
	--db "$BIG" reindex >"$TMP/killed.out" 2>"$TMP/killed.err" &
pid=$!
i=0
while [ ! -e "$TMP/paused" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 6000 ]; do
	i=$((i + 1))
	sleep 0.01
done
if [ ! -e "$TMP/paused" ]; then
	wait "$pid"
	for i in $(seq 11); do skip "kill $i" "no test hooks in this build (configure --disable-test-hooks)"; done
else
	kill -KILL "-$pid"
	{ wait "$pid"; } 2>/dev/null
	check_eq 'kill -9 during a reindex: the index is sound' "$(mb check)" ok
	done_id=$(sqlite3 "$BIG" 'SELECT done FROM reindex_progress')
	fixed=$(sqlite3 "$BIG" 'SELECT count(DISTINCT message) FROM addresses')
	check 'how far it got is recorded: a part of the mail' test "${done_id:-0}" -gt 0 -a "${done_id:-0}" -lt 300
	check '... every message up to there is rewritten' test "$fixed" -ge "${done_id:-0}"
	mb reindex >"$TMP/out" 2>"$TMP/err"
	check_eq 'reindex again: exit 0' "$?" 0
	check_eq '... it goes on after the last message done' "$(summary)" \
		"reindex: going on after message $done_id, where a stopped reindex got to
reindex: $((300 - done_id)) messages read again, $((300 - fixed)) changed, 0 unreadable"
	mb search --format=json '*' > "$TMP/big.after"
	check '... and leaves what a reindex run whole does' same big.after big.before
	check_eq '... the index is sound' "$(mb check)" ok
	check_eq '... the mark is gone' "$(sqlite3 "$BIG" 'SELECT count(*) FROM reindex_progress')" 0

	# SIGTERM (as ^C): stopped at a safe point, said, exit 130.
	sqlite3 "$BIG" 'DELETE FROM addresses'
	rm -f "$TMP/paused"
	MAILCLERK_TEST_PAUSE="$TMP/paused" MAILCLERK_TEST_BATCH=50 "$MAILCLERK" --config "$TMP/config" \
		--db "$BIG" reindex >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	i=0
	while [ ! -e "$TMP/paused" ] && [ $i -lt 6000 ]; do
		i=$((i + 1))
		sleep 0.01
	done
	kill -TERM "$pid"
	wait "$pid"
	check_eq 'SIGTERM during a reindex: exit 130' "$?" 130
	check_eq '... saying how many messages it read again' "$(cat "$TMP/err")" \
		"mailclerk: interrupted: $(sqlite3 "$BIG" 'SELECT count(DISTINCT message) FROM addresses') messages read again; run reindex again to finish"
	mb reindex >/dev/null 2>&1
	mb search --format=json '*' > "$TMP/big.after"
	check '... and the next run finishes the job' same big.after big.before
fi

# An index made by an older mailclerk (schema version 7, before the
# automated mark, labels and HTML words): migrated, it needs a reindex, which ingest and
# check say, and search does not.
# (sqlite3 knows no mc_unzstd: the view and trigger that call it are put
# back as they were before version 13, around the dropped columns.)
fts_before_13 > "$TMP/text.sql"
q "$(before_14)"
q "$(q "SELECT 'DROP TABLE ' || name || ';' FROM sqlite_master WHERE type = 'table' AND name NOT IN
	('messages', 'message_dates', 'thread_ghosts', 'containers', 'locations', 'orphan_check',
	 'addresses', 'attachments', 'message_text', 'filings', 'exclusions', 'autosave', 'autosaved',
	 'imap_folders', 'inherit_pending', 'skipped', 'sqlite_sequence', 'sqlite_stat1')
	AND name NOT LIKE 'fts%'")
	$(q "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql LIKE '%automated%'")
	DROP TRIGGER messages_delete_fts; DROP VIEW fts_source;
	ALTER TABLE messages DROP COLUMN automated; ALTER TABLE messages DROP COLUMN automated_why;
	ALTER TABLE imap_folders DROP COLUMN modseq;
	ALTER TABLE message_text DROP COLUMN alt;
	$(cat "$TMP/text.sql")
	PRAGMA user_version = 7;"
hint="this index was made by an older mailclerk and lacks the automated mark, labels, words only in HTML parts, inline and TNEF attachments, names and subjects in several encoded words; run 'mailclerk reindex'"
mc ingest --file "$C/eml/outlook-crlf.eml" >/dev/null 2>"$TMP/err"
check_eq 'ingest into a migrated older index: exit 0' "$?" 0
check_eq '... with a hint to reindex' "$(cat "$TMP/err")" "mailclerk: $hint"
check_eq 'check says it too, and passes' "$(mc check; echo "exit $?")" "ok
reindex needed: $hint
exit 0"
check_eq 'search does not (scripts read it)' "$(mc search '*' 2>&1 >/dev/null)" ''
check_eq 'the older index knows no automated mail' "$(mc count is:automated)" 0
mc reindex folder:INBOX >/dev/null 2>&1
check_eq 'a reindex of some messages leaves the need' "$(q 'SELECT count(*) FROM reindex_needed')" 1
check_eq '... and learns the mark of the newsletter in INBOX' "$(mids is:automated)" 'newsletter.2024-06.4411@news.globex.example'
mc reindex >"$TMP/out" 2>&1
check_eq 'a reindex of every message: the list digest and the labels of the mbox are left to change' "$(summary)" \
	'reindex: 37 messages read again, 4 changed, 0 unreadable'
check_eq '... the labels are back' "$(q 'SELECT count(*) FROM labels')" 9
check_eq '... every automated message is known' "$(mids is:automated | tr '\n' ' ')" 'digest.v12i7@freelancers.example newsletter.2024-06.4411@news.globex.example '
check_eq '... forgets it' "$(q 'SELECT count(*) FROM reindex_needed')" 0
check_eq '... ingest says nothing then' "$(mc ingest --file "$C/eml/outlook-crlf.eml" 2>&1 >/dev/null)" ''
check_eq '... nor check' "$(mc check)" ok

check_eq 'reindex with no index: exit 1' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/none.db" reindex 2>&1; echo "exit $?")" \
	"mailclerk: no index at $TMP/none.db: run 'mailclerk ingest' first
exit 1"
check 'and none is created' test ! -e "$TMP/none.db"
