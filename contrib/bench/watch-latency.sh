#!/bin/sh
# contrib/bench/watch-latency.sh [N [IDLE_SECONDS [SOAK]]]: the figures of
# `mailclerk watch`, printed as a table:
#  - latency from delivery to searchable, median and worst over N (default
#    100) deliveries, one at a time: into a maildir (written into tmp/,
#    renamed into new/), and APPENDed to INBOX of a local Dovecot (doveadm
#    save; the watch keeps an IDLE there). "Searchable" is the first
#    `mailclerk count WORD` that says 1, tried every 10 ms, so a figure
#    includes up to 10 ms of that and a count's start-up;
#  - CPU of the watch and its IDLE process (utime + stime) over IDLE_SECONDS
#    (default 60) with nothing happening;
#  - the watch's RSS (VmRSS) before and after SOAK (default 1000) more
#    maildir deliveries, 20 at a time.
# The maildir source holds 2,000 messages besides, so that each ingest
# rescans a folder of some size. Needs dovecot-imapd for the IMAP figure
# (contrib/bootstrap.sh installs it); without it that row says so.
# Use a release build: MAILCLERK=/path/to/build/mailclerk.
set -u
N=${1:-100}
IDLE=${2:-60}
SOAK=${3:-1000}
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
: "${MAILCLERK:=$top_srcdir/mailclerk}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/imap/dovecot.sh"

now_ms() { date +%s%3N; }
# wait_count WORD: until one message has WORD (60 s at most).
wait_count() {
	_i=0
	while [ "$(mc count "$1")" != 1 ]; do
		_i=$((_i + 1))
		[ $_i -lt 6000 ] || return 1
		sleep 0.01
	done
}
# stats: "median worst" (ms) of the numbers on stdin.
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[int((NR + 1) / 2)], v[NR] }'; }
cpu_ticks() { # the watch and its children
	for _s in /proc/[0-9]*/stat; do
		awk -v p="$1" '($1 == p || $4 == p) { print $14 + $15 }' "$_s" 2>/dev/null
	done | awk '{ t += $1 } END { print t + 0 }'
}
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

mkdir -p "$TMP/mail/cur" "$TMP/mail/new" "$TMP/mail/tmp"
awk -v dir="$TMP/mail/cur" 'BEGIN {
	for (i = 1; i <= 2000; i++) {
		f = sprintf("%s/%d.M%dP1.bench:2,S", dir, 1700000000 + i, i)
		printf "From: s%d@bench.test\nSubject: base %d\nMessage-ID: <base-%d@bench.test>\n\nbase message %d\n", i % 50, i, i, i > f
		close(f)
	}
}'
printf '[source mail]\ntype = maildir\npath = %s\n' "$TMP/mail" > "$TMP/config"
imap=no
if dovecot_available && dovecot_start; then
	imap=yes
	export MAILCLERK_PASSWORD_WORK="$DOVECOT_PASS"
	printf '[source work]\ntype = imap\nhost = localhost\nport = %s\nuser = %s\nca_file = %s\n' \
		"$IMAPS_PORT" "$DOVECOT_USER" "$CA_FILE" >> "$TMP/config"
fi
"$MAILCLERK" --config "$TMP/config" --db "$DB" watch > "$TMP/watch.out" 2> "$TMP/watch.err" &
pid=$!
_i=0
while [ "$(mc count '*' 2>/dev/null)" != 2000 ]; do
	_i=$((_i + 1))
	[ $_i -lt 600 ] || { echo "watch-latency: the watch did not start" >&2; exit 1; }
	sleep 0.1
done

deliver() {
	printf 'From: w@bench.test\nSubject: %s\nMessage-ID: <%s@bench.test>\n\nThe word is %s.\n' \
		"$1" "$1" "$1" > "$TMP/mail/tmp/$1"
	mv "$TMP/mail/tmp/$1" "$TMP/mail/new/$1"
}
i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	t0=$(now_ms)
	deliver "wlatmd$i"
	wait_count "wlatmd$i" || break
	echo $(($(now_ms) - t0))
done > "$TMP/maildir.ms"
md=$(stats < "$TMP/maildir.ms")

im="- -"
if [ $imap = yes ]; then
	sleep 1 # the first sync and the IDLE are set up
	i=0
	while [ $i -lt "$N" ]; do
		i=$((i + 1))
		printf 'From: w@bench.test\nSubject: x\nMessage-ID: <wlatimap%d@bench.test>\n\nThe word is wlatimap%d.\n' \
			$i $i > "$TMP/imap.eml"
		t0=$(now_ms)
		dovecot_doveadm save -u "$DOVECOT_USER" -m INBOX < "$TMP/imap.eml"
		wait_count "wlatimap$i" || break
		echo $(($(now_ms) - t0))
	done > "$TMP/imap.ms"
	im=$(stats < "$TMP/imap.ms")
fi

sleep 2
c0=$(cpu_ticks $pid)
sleep "$IDLE"
c1=$(cpu_ticks $pid)
hz=$(getconf CLK_TCK)

rss0=$(rss_kb $pid)
round=0
while [ $((round * 20)) -lt "$SOAK" ]; do
	round=$((round + 1))
	j=0
	while [ $j -lt 20 ]; do
		j=$((j + 1))
		printf 'From: w@bench.test\nSubject: soak\nMessage-ID: <soak-%d-%d@bench.test>\n\nwsoak\n' $round $j > "$TMP/mail/tmp/soak-$round-$j"
		mv "$TMP/mail/tmp/soak-$round-$j" "$TMP/mail/new/soak-$round-$j"
	done
	while [ "$(mc count wsoak)" != $((round * 20)) ]; do sleep 0.05; done
done
rss1=$(rss_kb $pid)
kill -TERM $pid
wait $pid
rc=$?
[ $imap = yes ] && dovecot_stop

echo "| figure | value |"
echo "|---|---|"
echo "| maildir: delivery to searchable, median / worst of $(wc -l < "$TMP/maildir.ms") (ms) | ${md% *} / ${md#* } |"
if [ $imap = yes ]; then
	echo "| IMAP (APPEND, IDLE): median / worst of $(wc -l < "$TMP/imap.ms") (ms) | ${im% *} / ${im#* } |"
else
	echo "| IMAP | not measured: no dovecot |"
fi
echo "| idle CPU over ${IDLE} s, watch and IDLE process (ms) | $(((c1 - c0) * 1000 / hz)) |"
echo "| watch RSS before / after $SOAK deliveries (kB) | $rss0 / $rss1 |"
echo "| ingest runs reported | $(grep -c '^mailclerk watch: ' "$TMP/watch.out") |"
echo "| exit status on SIGTERM | $rc |"
