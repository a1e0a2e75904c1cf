#!/bin/sh
# ^C and SIGTERM during an ingest: said, exit 130, the index sound, and the
# next run finishes the job. A second ingest waits for the index lock and
# says who holds it.
. "$top_srcdir/tests/lib.sh"
plan 24

small_maildir "$TMP/big" 11000 stop
# Batches of 5,000, so that a run's first commit is a part of the mail (a
# real run's are 50,000).
MAILCLERK_TEST_BATCH=5000
export MAILCLERK_TEST_BATCH
# Old enough that a whole scan records the folder (see ingest-maildir.sh).
touch -d "2024-12-31 12:00" "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp" "$TMP/big"
count() { sqlite3 "$DB" 'SELECT count(*) FROM messages'; }
# wait_for FILE [PATTERN]: wait (up to 60 s) until FILE exists [and has a
# line matching PATTERN].
wait_for() {
	_i=0
	while { [ ! -e "$1" ] || { [ $# -gt 1 ] && ! grep -q "$2" "$1"; }; } && [ $_i -lt 6000 ]; do
		_i=$((_i + 1))
		sleep 0.01
	done
}

# ingest_paused NAME: an ingest of the big maildir in the background that
# stops just after its first commit until it gets a signal, so the signal
# lands at a known point (MAILCLERK_TEST_PAUSE: not in a build configured
# with --disable-test-hooks). sh starts background jobs with SIGINT ignored, which mailclerk
# respects: env lets it through. Sets $pid; fails in a build without the
# hook (the ingest then ran to its end).
ingest_paused() {
	rm -f "$TMP/paused"
	MAILCLERK_TEST_PAUSE="$TMP/paused" env --default-signal=INT "$MAILCLERK" --config "$TMP/config" --db "$DB" \
		ingest --maildir "$TMP/big" >"$TMP/$1.out" 2>"$TMP/$1.err" &
	pid=$!
	_i=0
	while [ ! -e "$TMP/paused" ] && [ ! -s "$TMP/$1.out" ] && [ $_i -lt 6000 ]; do
		_i=$((_i + 1))
		sleep 0.01
	done
	[ -e "$TMP/paused" ]
}

if ! ingest_paused first; then
	wait "$pid"
	for i in $(seq 24); do skip "interrupt $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	exit 0
fi
c1=$(count)
kill -INT "$pid"
wait "$pid"
check_eq 'SIGINT during an ingest: exit 130' "$?" 130
check_eq '... saying how many messages are indexed, and what to do' "$(cat "$TMP/first.err")" \
	"mailclerk: interrupted: $c1 messages indexed; run ingest again to finish"
check_eq '... which is what the index holds' "$(count)" "$c1"
check 'the first commit was a part of the mail' test "$c1" -gt 0 -a "$c1" -lt 11000
check_eq 'the index is sound' "$(mc check)" ok
check_eq 'the folder is not marked as scanned' "$(sqlite3 "$DB" 'SELECT count(*) FROM containers WHERE mtime_ns >= 0')" 0

# A second run, paused after its first commit, holds the lock: a third one
# waits and says who holds it, once, though stderr is no terminal.
ingest_paused second
"$MAILCLERK" --config "$TMP/config" --db "$DB" ingest --maildir "$TMP/big" >"$TMP/third.out" 2>"$TMP/third.err" &
third=$!
wait_for "$TMP/third.err" waiting
check_eq 'a waiting ingest names the holder of the lock' "$(cat "$TMP/third.err")" \
	"mailclerk: waiting for the index lock held by pid $pid (ingest)"
c2=$(count)
kill -TERM "$pid"
wait "$pid"
check_eq 'SIGTERM: exit 130 too' "$?" 130
check_eq '... saying how many messages this run indexed' "$(cat "$TMP/second.err")" \
	"mailclerk: interrupted: $((c2 - c1)) messages indexed; run ingest again to finish"
wait "$third"
check_eq 'the waiting ingest then runs, exit 0' "$?" 0
check_eq '... said it waited once' "$(grep -c waiting "$TMP/third.err")" 1
check 'the next run indexes the rest' grep -q "^ingest: $((11000 - c2)) new messages, " "$TMP/third.out"
check_eq 'every message once' "$(mc count '*')" 11000
check_eq 'the index is sound after it' "$(mc check)" ok
check_eq '... and marks the folder as scanned' "$(sqlite3 "$DB" 'SELECT count(*) FROM containers WHERE mtime_ns >= 0')" 1
out=$(mc ingest --maildir "$TMP/big" 2>&1)
check 'a run after that has nothing to do' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"' - "$out"

# A lock held by something else (flock(1), as the code takes it): said too.
flock "$DB.lock" sh -c ': > "$1/held"; while [ ! -e "$1/release" ]; do sleep 0.05; done' - "$TMP" &
holder=$!
wait_for "$TMP/held"
mc ingest --maildir "$TMP/big" >/dev/null 2>"$TMP/fourth.err" &
fourth=$!
wait_for "$TMP/fourth.err" waiting
: > "$TMP/release"
wait "$holder" "$fourth"
check_eq 'a lock held by another program: said without a name' "$(cat "$TMP/fourth.err")" \
	"mailclerk: waiting for the index lock held by another process"

# A service manager's stop (systemd's KillMode=control-group): SIGTERM to
# the ingest's child, the supervised run, and to the ingest, which passes
# it on, so the child gets it twice. Still a clean stop, not a death by
# signal 15.
rm -f "$DB" "$DB-wal" "$DB-shm"
ingest_paused fifth
child=$(cat "/proc/$pid/task/$pid/children")
kill -TERM $child "$pid"
wait "$pid"
check_eq 'SIGTERM to the ingest and its child: exit 130' "$?" 130
check_eq '... one clean stop, said' "$(sed 's/: [0-9]* messages/: N messages/' "$TMP/fifth.err")" \
	"mailclerk: interrupted: N messages indexed; run ingest again to finish"
check_eq '... the index sound' "$(mc check)" ok
check 'the child was there to be sent it' test -n "$child"

# SIGINT sent by a program to the ingest and its child (kill -INT to the
# process group, as a script or a process manager may): the child gets it
# twice, once passed on, which must not be a person's second ^C.
rm -f "$DB" "$DB-wal" "$DB-shm"
ingest_paused sixth
child=$(cat "/proc/$pid/task/$pid/children")
kill -INT $child "$pid"
wait "$pid"
check_eq 'SIGINT to the ingest and its child: exit 130' "$?" 130
check_eq '... one clean stop, said, what was written kept' \
	"$(sed 's/: [0-9]* messages/: N messages/' "$TMP/sixth.err") $(sed 's/.*: \([0-9]*\) messages.*/\1/' "$TMP/sixth.err")" \
	"mailclerk: interrupted: N messages indexed; run ingest again to finish $(count)"
check_eq '... the index sound' "$(mc check)" ok
