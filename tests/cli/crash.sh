#!/bin/sh
# kill -9 at any moment loses nothing and doubles nothing.
. "$top_srcdir/tests/lib.sh"
plan 12

mkdir -p "$TMP/mail/cur" "$TMP/mail/new" "$TMP/mail/tmp"
awk -v dir="$TMP/mail/cur" 'BEGIN {
	for (i = 1; i <= 12000; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		printf "From: Sender %d <s%d@crash.example>\nTo: sam@studio.example\nSubject: crash test %d\nMessage-ID: <crash-%d@crash.example>\nReferences: <crash-%d@crash.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nbody %d with some words to index: alpha beta gamma delta epsilon %d\n", i % 70, i % 70, i, i, int(i / 3), i, i > f
		close(f)
	}
}'
# The reference: one clean run.
MAILCLERK_REF_DB="$TMP/ref.db"
"$MAILCLERK" --config "$TMP/config" --db "$MAILCLERK_REF_DB" ingest --maildir "$TMP/mail" >/dev/null 2>&1
sqlite3 "$MAILCLERK_REF_DB" 'SELECT message_id, thread_id FROM messages ORDER BY message_id' > "$TMP/ref.txt"

# Kill ingest at several points: before anything is committed, just after the
# first batch commits, and after the second. Batches of 3,000 (a real run's
# are 50,000, more than this test's mail).
MAILCLERK_TEST_BATCH=3000
export MAILCLERK_TEST_BATCH
count() { sqlite3 "$DB" 'SELECT count(*) FROM messages' 2>/dev/null || echo 0; }
# After a kill -9 the next opener of the index recovers its WAL, holding a
# lock meanwhile: the checks wait for it, as mailclerk's own readers do.
q() { sqlite3 -cmd '.timeout 10000' "$@"; }
kill_when() { # kill -9 a new ingest once the index holds more than $1 messages
	mc ingest --maildir "$TMP/mail" >/dev/null 2>&1 &
	pid=$!
	i=0
	while [ "$(count)" -le "$1" ] && [ $i -lt 3000 ] && kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		sleep 0.01
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1 &
pid=$!
sleep 0.01
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
kill_when 0
killed_count=$(count)
check 'a kill after the first commit left a partial index' test "$killed_count" -gt 0 -a "$killed_count" -lt 12000
check_eq 'the partial index is sound' "$(q "$DB" 'PRAGMA integrity_check')" ok
kill_when "$killed_count"
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'a run after the kills completes the index' "$(mc count '*')" 12000
q "$DB" 'SELECT message_id FROM messages ORDER BY message_id' > "$TMP/got.txt"
cut -d'|' -f1 "$TMP/ref.txt" > "$TMP/ref-ids.txt"
check_eq 'exactly the messages of a clean run' "$(cmp -s "$TMP/got.txt" "$TMP/ref-ids.txt" && echo same)" same
check_eq 'no message has two rows' "$(q "$DB" 'SELECT count(*) FROM (SELECT message_id FROM messages GROUP BY message_id HAVING count(*) > 1)')" 0
check_eq 'every file is one location' "$(q "$DB" 'SELECT count(*) FROM locations')" 12000
check_eq 'threads are grouped as in a clean run' "$(q "$DB" 'SELECT count(DISTINCT thread_id) FROM messages')" "$(sqlite3 "$MAILCLERK_REF_DB" 'SELECT count(DISTINCT thread_id) FROM messages')"
check_eq 'SQLite integrity_check passes' "$(q "$DB" 'PRAGMA integrity_check')" ok
check_eq 'mailclerk check (SQLite and FTS5 integrity checks) passes' "$(mc check)" ok
check_eq '... and with stderr not a terminal says nothing on it' "$(mc check 2>&1 >/dev/null)" ""
# On a terminal (script(1) gives it one), a progress line may be drawn while
# the check runs: "check 1/2, the database: N/M pages, R/s, ETA m:ss", each
# redraw and the end erasing the line before it ("\r\033[K"). The verdict
# is what is left.
script -qec "'$MAILCLERK' --config '$TMP/config' --db '$DB' check" /dev/null > "$TMP/tty.txt"
check_eq '... and on a terminal the verdict is what is left on the screen' \
	"$(sed 's/.*\x1b\[K//' "$TMP/tty.txt" | tr -d '\r')" ok
check_eq '... after progress lines of one shape only' "$(sed 's/\x1b\[K/\n/g' "$TMP/tty.txt" |
	tr -d '\r' | grep -v -E '^(|ok|check [12]/2, the (database|full-text index): [0-9]+/[0-9]+ pages, [0-9]+/s(, ETA [0-9]+:[0-9]{2})?)$')" ""
