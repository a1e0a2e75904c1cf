#!/bin/sh
# An ingest's parse workers are 10 nicer than its writer thread, which keeps
# the nice value mailclerk was started with (`nice mailclerk ingest` stays
# nice: the workers go to at most 19). Read from /proc while the ingest is
# paused after its first commit (MAILCLERK_TEST_PAUSE).
. "$top_srcdir/tests/lib.sh"
plan 9

[ -d /proc/self/task ] || skip_all "no /proc"

small_maildir "$TMP/mail" 3000 nice

# nice_of PID: PID's threads, one "comm|nice" line each (a thread's comm
# may hold spaces: stat's fields are counted after its last ")").
nice_of() {
	for t in /proc/"$1"/task/*; do
		_c=$(cat "$t/comm" 2>/dev/null) || continue
		_n=$(sed 's/^.*) //' "$t/stat" 2>/dev/null | awk '{ print $17 }')
		echo "$_c|$_n"
	done
}

# paused_threads NAME NICE...: runs an ingest under `nice -n NICE` (none when
# NICE is empty) into a new index until it pauses after its first commit;
# prints the nice values of the ingest's writer and of its parse workers
# ("writer N" and "workers N N..." sorted and unique), then stops it.
paused_threads() {
	rm -f "$DB" "$DB-wal" "$DB-shm" "$TMP/paused"
	if [ -n "$2" ]; then set -- "$1" nice -n "$2"; else set -- "$1"; fi
	_name=$1
	shift
	MAILCLERK_TEST_PAUSE="$TMP/paused" MAILCLERK_TEST_BATCH=500 "$@" "$MAILCLERK" \
		--config "$TMP/config" --db "$DB" ingest --maildir "$TMP/mail" \
		>"$TMP/$_name.out" 2>"$TMP/$_name.err" &
	_pid=$!
	_i=0
	while [ ! -e "$TMP/paused" ] && [ ! -s "$TMP/$_name.out" ] && [ $_i -lt 6000 ]; do
		_i=$((_i + 1))
		sleep 0.01
	done
	# The run is in a child of the process started (index/supervise.c):
	# whichever of them has the writer thread. Through cat: mawk stops at
	# the first file it cannot open, and a process that ended after the
	# glob hid every pid after it (a run of distcheck found no writer).
	for _p in $_pid $(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$_pid" '$4 == p { print $1 }'); do
		nice_of "$_p"
	done >"$TMP/$_name.threads"
	kill -TERM "$_pid" 2>/dev/null
	wait "$_pid"
	awk -F'|' '$1 == "writer" { print "writer", $2 }' "$TMP/$_name.threads"
	printf 'workers'
	awk -F'|' '$1 ~ /^pool-/ { print $2 }' "$TMP/$_name.threads" | sort -un | sed 's/^/ /' | tr -d '\n'
	echo
}

out=$(paused_threads plain "")
if [ ! -e "$TMP/paused" ]; then
	for i in $(seq 9); do skip "priority $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	exit 0
fi
check_eq 'the writer keeps the nice value of the command' "$(echo "$out" | sed -n 1p)" "writer 0"
check_eq 'the parse workers are 10 nicer' "$(echo "$out" | sed -n 2p)" "workers 10"
check 'there was more than the writer thread' test "$(grep -c '^pool-' "$TMP/plain.threads")" -ge 1

out=$(paused_threads nice5 5)
check_eq 'under nice -n 5: the writer at 5' "$(echo "$out" | sed -n 1p)" "writer 5"
check_eq '... the parse workers at 15' "$(echo "$out" | sed -n 2p)" "workers 15"

out=$(paused_threads nice15 15)
check_eq 'under nice -n 15: the writer at 15' "$(echo "$out" | sed -n 1p)" "writer 15"
check_eq '... the parse workers at 19, the most there is' "$(echo "$out" | sed -n 2p)" "workers 19"

# The run stopped at its pause is finished by the next, as after ^C.
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'the index then holds every message' "$(sqlite3 "$DB" 'SELECT count(*) FROM messages')" 3000
check_eq 'and is sound' "$(mc check)" ok
