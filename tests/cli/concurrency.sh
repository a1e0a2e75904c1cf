#!/bin/sh
# One writer at a time; readers are never blocked by it.
. "$top_srcdir/tests/lib.sh"
plan 5

# A few thousand small messages make an ingest that lasts a moment.
mkdir -p "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp"
awk -v dir="$TMP/big/cur" 'BEGIN {
	for (i = 1; i <= 4000; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		printf "From: Sender %d <s%d@load.example>\nTo: sam@studio.example\nSubject: load test %d\nMessage-ID: <load-%d@load.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nmessage number %d of the load test, word loadword%d\n", i % 50, i % 50, i, i, i, i % 10 > f
		close(f)
	}
}'
mc ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1

mc ingest --maildir "$TMP/big" > "$TMP/first.out" 2>&1 &
first=$!
# Searches while it writes: each must succeed.
fails=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	mc count '*' >/dev/null 2>&1 || fails=$((fails + 1))
	mc search --limit 5 zorbleflux >/dev/null 2>&1 || fails=$((fails + 1))
done
check_eq 'searches during an ingest all succeed' "$fails" 0
# A second ingest at the same time waits for the first, then finds nothing new.
mc ingest --maildir "$TMP/big" > "$TMP/second.out" 2>&1
second=$?
wait "$first"
check_eq 'the first ingest succeeds' "$?" 0
check_eq 'the concurrent second ingest succeeds too' "$second" 0
check_eq 'together they index each message once' "$(mc count '*')" 4029
check_eq 'the index is sound' "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
