#!/bin/sh
# contrib/bench/imap.sh [N [RUNS]]: mailclerk fetching and indexing N
# messages (default 2000) from a local Dovecot over IMAPS, against mbsync
# (isync) fetching the same folder into a Maildir, in the same run. Each
# run starts from nothing (a new index and store; a new mbsync Maildir and
# state). Prints the medians and their ratio; the target is mailclerk's
# fetch and index together taking no longer than mbsync's fetch alone.
#
# Needs dovecot-imapd and isync (contrib/bootstrap.sh installs both).
set -u
N=${1:-2000}
RUNS=${2:-5}
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
: "${MAILCLERK:=$top_srcdir/mailclerk}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/imap/dovecot.sh"
dovecot_available || { echo "imap bench: dovecot is not installed" >&2; exit 1; }
command -v mbsync >/dev/null || echo "imap bench: mbsync (isync) is not installed: mailclerk only" >&2
dovecot_start || exit 1
echo "imap bench: seeding $N messages into folder Bench" >&2
dovecot_seed_many Bench "$N" >/dev/null
export MAILCLERK_PASSWORD_BENCH="$DOVECOT_PASS"
bytes=$(cat "$DOVECOT_MAILDIR"/.Bench/cur/* | wc -c)

cat > "$TMP/config" <<CONF
[source bench]
type = imap
host = localhost
port = $IMAPS_PORT
user = $DOVECOT_USER
ca_file = $CA_FILE
folders = Bench
CONF
cat > "$TMP/mbsyncrc" <<CONF
IMAPAccount bench
Host localhost
Port $IMAPS_PORT
User $DOVECOT_USER
Pass $DOVECOT_PASS
SSLType IMAPS
CertificateFile $CA_FILE

IMAPStore far
Account bench

MaildirStore near
Path $TMP/mbsync/
Inbox $TMP/mbsync/INBOX
SubFolders Verbatim

Channel bench
Far :far:
Near :near:
Patterns Bench
Create Near
Sync Pull
SyncState *
CONF

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\n\", $1 }"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: > "$TMP/mc.times"
: > "$TMP/mbsync.times"
for run in $(seq "$RUNS"); do
	rm -rf "$TMP/mc" && mkdir "$TMP/mc"
	t0=$(now)
	"$MAILCLERK" --config "$TMP/config" --db "$TMP/mc/index.db" ingest > "$TMP/mc.out" 2>&1 ||
		{ cat "$TMP/mc.out" >&2; exit 1; }
	t1=$(now)
	calc "$t1 - $t0" >> "$TMP/mc.times"
	got=$("$MAILCLERK" --config "$TMP/config" --db "$TMP/mc/index.db" count '*')
	[ "$got" = "$N" ] || { echo "imap bench: mailclerk indexed $got of $N" >&2; exit 1; }
	if command -v mbsync >/dev/null; then
		rm -rf "$TMP/mbsync" && mkdir "$TMP/mbsync"
		t0=$(now)
		mbsync -q -c "$TMP/mbsyncrc" -a > "$TMP/mbsync.out" 2>&1 ||
			{ cat "$TMP/mbsync.out" >&2; exit 1; }
		t1=$(now)
		calc "$t1 - $t0" >> "$TMP/mbsync.times"
		got=$(find "$TMP/mbsync/Bench/cur" "$TMP/mbsync/Bench/new" -type f | wc -l | tr -d " ")
		[ "$got" = "$N" ] || { echo "imap bench: mbsync fetched $got of $N" >&2; exit 1; }
	fi
done
mc=$(median < "$TMP/mc.times")
printf 'IMAP: %s messages (%s bytes) over IMAPS from a local Dovecot, median of %s runs\n' "$N" "$bytes" "$RUNS"
printf '| tool | time (s) | msg/s |\n|---|---|---|\n'
printf '| mailclerk fetch + index | %.3f | %.0f |\n' "$mc" "$(calc "$N / $mc")"
if [ -s "$TMP/mbsync.times" ]; then
	mb=$(median < "$TMP/mbsync.times")
	printf '| mbsync fetch only | %.3f | %.0f |\n' "$mb" "$(calc "$N / $mb")"
	printf 'mailclerk/mbsync: %.2fx (target: at most 1.00x)\n' "$(calc "$mc / $mb")"
fi
