#!/bin/sh
# mailclerk watch on maildirs and mbox files: deliveries, moves, deletions,
# appends, bursts, a busy lock, a vanished maildir, SIGTERM, memory.
. "$top_srcdir/tests/lib.sh"
plan 45

# deliver MAILDIR NAME WORD: a message written into tmp/ and renamed into
# new/, as an MDA delivers; its Message-ID is <NAME@watch.test>.
deliver() {
	printf 'From: Watcher <w@watch.test>\nTo: sam@studio.example\nSubject: %s\nMessage-ID: <%s@watch.test>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nThe word is %s.\n' \
		"$2" "$2" "$3" > "$1/tmp/$2"
	mv "$1/tmp/$2" "$1/new/$2"
}
# runs: the ingest runs watch has reported so far.
runs() { grep -c '^mailclerk watch: ' "$TMP/watch.out"; }
# Not through mc(): $! must be the watch itself, not a subshell.
start_watch() {
	"$MAILCLERK" --config "$TMP/config" --db "$DB" watch > "$TMP/watch.out" 2> "$TMP/watch.err" &
	pid=$!
}
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

# Bad starts: exit 2, with what was wrong.
printf '[source work]\ntype = imap\nhost = localhost\nuser = u\npoll = often\n' > "$TMP/config"
out=$(mc watch 2>&1)
check_eq 'a bad poll duration exits 2' "$?" 2
check_eq '... naming the file, line and key' "$out" \
	"mailclerk: $TMP/config:5: [source work]: key 'poll': 'often' is not a duration from 1s to 24h (a number and s, m or h, as in 5m)"
got=""
for v in 90s 5m 1h 10 0s 25h 5x -1m 1.5m; do
	printf '[source work]\ntype = imap\nhost = localhost\nuser = u\npoll = %s\n' "$v" > "$TMP/config"
	mc count '*' >/dev/null 2>&1
	got="$got $v:$?"
done
check_eq 'poll: seconds, minutes or hours, from 1s to 24h (exit 1 here: no index yet)' "$got" \
	" 90s:1 5m:1 1h:1 10:1 0s:2 25h:2 5x:2 -1m:2 1.5m:2"
: > "$TMP/config"
out=$(mc watch 2>&1)
check_eq 'no sources: exit 2' "$?" 2
check_eq '... saying what to add' "$out" "mailclerk: nothing to watch: add [source NAME] groups to $TMP/config"
mkdir -p "$TMP/work/cur" "$TMP/work/new" "$TMP/work/tmp" "$TMP/work/.Lists/cur" \
	"$TMP/work/.Lists/new" "$TMP/work/.Lists/tmp" "$TMP/side/cur" "$TMP/side/new" "$TMP/side/tmp"
printf '[source work]\ntype = maildir\npath = %s\n[source side]\ntype = maildir\npath = %s\n[source box]\ntype = mbox\npath = %s\n' \
	"$TMP/work" "$TMP/side" "$TMP/box.mbox" > "$TMP/config"
check_exit 'an argument: exit 2' 2 mc watch work
printf 'From old@watch.test Mon Jan  1 00:00:00 2024\nFrom: old@watch.test\nSubject: first\nMessage-ID: <mbox-1@watch.test>\n\nThe word is wmboxfirst.\n\n' > "$TMP/box.mbox"
deliver "$TMP/work" before wbefore

start_watch
check 'mail there before the watch started is indexed' wait_until count_is 'wbefore OR wmboxfirst' 2

# A delivery into new/, then into a maildir folder below.
deliver "$TMP/work" one wdeliverone
check 'a delivery into new/ is found' wait_until count_is wdeliverone 1
deliver "$TMP/work/.Lists" two wdelivertwo
check 'a delivery into a folder below is found' wait_until count_is wdelivertwo 1
check_eq '... in that folder' "$(mc search --format=json wdelivertwo | jq -r '.[0].folders[0]')" Lists

# A folder made after the watch started is watched too.
mkdir -p "$TMP/work/.Later/cur" "$TMP/work/.Later/new" "$TMP/work/.Later/tmp"
deliver "$TMP/work/.Later" three wdeliverthree
check 'a folder made later is watched' wait_until count_is wdeliverthree 1

# Read by a mail client: moved into cur/ with flags.
mv "$TMP/work/new/one" "$TMP/work/cur/one:2,S"
check 'a move into cur/ with a flag is seen' wait_until count_is 'wdeliverone AND is:read' 1
check_eq '... the copy is the one in cur/' "$(mc search --format=json wdeliverone | jq -r '.[0].files[0]')" \
	"$TMP/work/cur/one:2,S"
mv "$TMP/work/cur/one:2,S" "$TMP/work/cur/one:2,FS"
check 'a flag change (a rename in cur/) is seen' wait_until count_is 'wdeliverone AND is:flagged' 1
rm "$TMP/work/.Lists/new/two"
check 'a deletion is seen' wait_until count_is wdelivertwo 0

# An mbox: a message appended, as a delivery agent appends.
printf 'From new@watch.test Mon Jan  1 00:00:00 2024\nFrom: new@watch.test\nSubject: second\nMessage-ID: <mbox-2@watch.test>\n\nThe word is wmboxsecond.\n\n' >> "$TMP/box.mbox"
check 'an mbox append is found' wait_until count_is wmboxsecond 1

# A burst: 2,000 files at once are a few ingests, not 2,000.
wait_until count_is wdelivertwo 0
before=$(runs)
awk -v dir="$TMP/work/tmp" 'BEGIN {
	for (i = 1; i <= 2000; i++) {
		f = sprintf("%s/burst%d", dir, i)
		printf "From: b@watch.test\nSubject: burst %d\nMessage-ID: <burst-%d@watch.test>\n\nThe word is wburst.\n", i, i > f
		close(f)
	}
}'
find "$TMP/work/tmp" -name 'burst*' -exec mv -t "$TMP/work/new" {} +
check 'all 2,000 messages of a burst are found' wait_until count_is wburst 2000
after=$(runs)
burst_runs=$((after - before))
check "... in few ingest runs ($burst_runs; at most 20)" [ "$burst_runs" -ge 1 -a "$burst_runs" -le 20 ]

# The lock is taken only while writing: a manual ingest runs beside it.
deliver "$TMP/work" four wdeliverfour
check_exit 'a manual ingest while watch runs succeeds' 0 mc ingest
check_eq '... and reclassify too' "$(mc reclassify >/dev/null 2>&1; echo $?)" 0
check 'what was delivered is found' wait_until count_is wdeliverfour 1

# A busy lock: the watch waits for it and loses nothing.
flock "$DB.lock" sh -c "touch '$TMP/locked'; while [ ! -e '$TMP/unlock' ]; do sleep 0.1; done" &
locker=$!
wait_until test -e "$TMP/locked"
deliver "$TMP/work" five wdeliverfive
check 'the watch waits for a held lock' wait_until grep -q 'waiting for the index lock' "$TMP/watch.err"
check_eq '... meanwhile the delivery is not indexed' "$(mc count wdeliverfive)" 0
touch "$TMP/unlock"
wait "$locker"
check '... and indexes it once the lock is free' wait_until count_is wdeliverfive 1

# A vanished maildir: said once, with its path; the rest still watched; and
# found again when it is back.
deliver "$TMP/side" six wsidesix
wait_until count_is wsidesix 1
mv "$TMP/side" "$TMP/side.away"
check 'a vanished maildir is said' wait_until grep -q "^mailclerk watch: side: $TMP/side is not there; watching for it\$" "$TMP/watch.err"
deliver "$TMP/work" seven wdeliverseven
check '... the rest is still watched' wait_until count_is wdeliverseven 1
check_eq '... it was said once' "$(grep -c 'side: .* is not there' "$TMP/watch.err")" 1
check_eq '... and its mail is kept meanwhile' "$(mc count wsidesix)" 1
mv "$TMP/side.away" "$TMP/side"
deliver "$TMP/side" eight wsideeight
check '... back, it is watched again' wait_until count_is wsideeight 1
check_eq '... said once too' "$(grep -c "^mailclerk watch: side: $TMP/side is back\$" "$TMP/watch.err")" 1

# Memory: 1,000 deliveries in 50 rounds of 20 (50 ingest runs at least).
# The watch keeps nothing per message (the children ingest), so its RSS
# should not move; 4 MB would be 4 KB leaked per delivery, far above the
# noise of malloc's arenas.
rss_before=$(rss_kb "$pid")
runs_before=$(runs)
round=0
while [ $round -lt 50 ]; do
	round=$((round + 1))
	i=0
	while [ $i -lt 20 ]; do
		i=$((i + 1))
		deliver "$TMP/work" "soak-$round-$i" wsoak
	done
	wait_until count_is wsoak $((round * 20)) || break
done
check_eq 'the soak: all 1,000 deliveries found' "$(mc count wsoak)" 1000
rss_after=$(rss_kb "$pid")
check "... in 50 ingest runs or more ($(($(runs) - runs_before)))" [ $(($(runs) - runs_before)) -ge 50 ]
check "... and the watch's RSS grew by less than 4 MB (${rss_before} kB to ${rss_after} kB)" \
	[ $((rss_after - rss_before)) -lt 4096 ]

# SIGTERM: a clean stop, exit 0 (a stop is how a service ends), and a sound index.
kill -TERM "$pid"
wait "$pid"
check_eq 'SIGTERM: exit 0' "$?" 0
check_eq '... the index is sound' "$(mc check 2>&1 >/dev/null; echo $?)" 0
check_eq '... nothing else on stderr' \
	"$(grep -v -e 'waiting for the index lock' -e 'side: ' "$TMP/watch.err")" ""
check_eq 'one line per run that changed something, as the summary says' \
	"$(grep -v -c -E '^mailclerk watch: [a-z, ]+: [0-9]+ (new|renamed|removed|new copies)(, [0-9]+ (new|renamed|removed|new copies))*$' "$TMP/watch.out")" 0

# SIGTERM while a run writes (MAILCLERK_TEST_PAUSE holds the run's child
# just after its first commit; not in a build without test hooks): the
# child stops at a safe point, the watch exits 0, and the next watch
# finishes the work.
DB="$TMP/second.db"
mkdir -p "$TMP/many/cur" "$TMP/many/new" "$TMP/many/tmp"
awk -v dir="$TMP/many/cur" 'BEGIN {
	for (i = 1; i <= 500; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		printf "From: m@watch.test\nSubject: many %d\nMessage-ID: <many-%d@watch.test>\n\nThe word is wmany.\n", i, i > f
		close(f)
	}
}'
printf '[source many]\ntype = maildir\npath = %s\n' "$TMP/many" > "$TMP/config"
MAILCLERK_TEST_PAUSE="$TMP/paused" MAILCLERK_TEST_BATCH=50 "$MAILCLERK" --config "$TMP/config" --db "$DB" watch \
	> "$TMP/watch.out" 2> "$TMP/watch.err" &
pid=$!
if wait_until test -e "$TMP/paused"; then
	kill -TERM "$pid"
	wait "$pid"
	check_eq 'SIGTERM during a run: exit 0' "$?" 0
	partial=$(mc count wmany)
	check "... what was committed is kept ($partial of 500)" [ "$partial" -gt 0 -a "$partial" -lt 500 ]
	check_eq '... the index is sound' "$(mc check 2>&1 >/dev/null; echo $?)" 0
	start_watch
	check '... and the next watch indexes the rest' wait_until count_is wmany 500
	kill -TERM "$pid"
	wait "$pid"
else
	kill -TERM "$pid"
	wait "$pid"
	for i in 1 2 3 4; do skip "SIGTERM during a run $i" "no test hooks in this build (configure --disable-test-hooks)"; done
fi

# Sources given as symlinks (~/Mail on another disk) are watched where they
# point; a second watch on the same index is refused.
DB="$TMP/third.db"
mkdir -p "$TMP/real/box/cur" "$TMP/real/box/new" "$TMP/real/box/tmp"
ln -s "$TMP/real/box" "$TMP/linkbox"
printf 'From old@watch.test Mon Jan  1 00:00:00 2024\nFrom: old@watch.test\nSubject: l1\nMessage-ID: <lmbox-1@watch.test>\n\nThe word is wlinkmboxone.\n\n' > "$TMP/real/l.mbox"
ln -s "$TMP/real/l.mbox" "$TMP/link.mbox"
printf '[source linked]\ntype = maildir\npath = %s\n[source lbox]\ntype = mbox\npath = %s\n' \
	"$TMP/linkbox" "$TMP/link.mbox" > "$TMP/config"
start_watch
wait_until count_is wlinkmboxone 1
deliver "$TMP/real/box" linked wlinkeddelivery
check 'a maildir source that is a symlink: a delivery where it points is found' wait_until count_is wlinkeddelivery 1
printf 'From new@watch.test Mon Jan  1 00:00:00 2024\nFrom: new@watch.test\nSubject: l2\nMessage-ID: <lmbox-2@watch.test>\n\nThe word is wlinkmboxtwo.\n\n' >> "$TMP/real/l.mbox"
check 'an mbox source that is a symlink: an append to the file it names is found' wait_until count_is wlinkmboxtwo 1
out=$("$MAILCLERK" --config "$TMP/config" --db "$DB" watch 2>&1)
check_eq 'a second watch on the index: exit 1, naming the first' "$? $out" \
	"1 mailclerk: $DB is already kept current by another watch, pid $pid (watch)"
check_eq '... said nothing else, and the first said nothing' "$(cat "$TMP/watch.err")" ""
kill -TERM "$pid"
wait "$pid"
