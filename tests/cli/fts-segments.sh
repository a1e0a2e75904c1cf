#!/bin/sh
# After an ingest run the full-text index has few segments
# (index/fts-merge.h): a run that doubles it merges them all into one, a
# smaller one merges its own; a kill mid-merge leaves a sound index.
. "$top_srcdir/tests/lib.sh"
plan 23

# N messages, numbered from $2, into maildir $3.
make_mail() {
	mkdir -p "$3/cur" "$3/new" "$3/tmp"
	awk -v n="$1" -v first="$2" -v dir="$3/cur" 'BEGIN {
		for (i = first; i < first + n; i++) {
			f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
			printf "From: Sender %d <s%d@seg.example>\nTo: sam@studio.example\nSubject: segment test %d\nMessage-ID: <seg-%d@seg.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nbody %d word%d alpha beta gamma delta\n", i % 40, i % 40, i, i, i, i > f
			close(f)
		}
	}'
}
segments() { sqlite3 "$DB" 'SELECT count(DISTINCT segid) FROM fts_idx'; }
# The test hooks (MAILCLERK_TEST_BATCH, _MERGE_STEP, _MERGE_CRASH) are not
# in a build configured with --disable-test-hooks: there, a run of two
# messages in batches of one is not killed in its merge.
make_mail 2 1 "$TMP/probe"
MAILCLERK_TEST_BATCH=1 MAILCLERK_TEST_MERGE_CRASH=1 "$MAILCLERK" --config "$TMP/config" \
	--db "$TMP/probe.db" ingest --maildir "$TMP/probe" >/dev/null 2>&1
if [ $? != 137 ]; then
	for i in $(seq 23); do skip "segments $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	exit 0
fi
make_mail 600 1 "$TMP/a"
make_mail 100 601 "$TMP/b"
make_mail 100 701 "$TMP/c"

# Batches of 10: sixty transactions, each its own segment, which FTS5's own
# merging (sixteen at a time) leaves as several. The run built the whole
# index: all merged into one, in steps of one page. On a terminal (script(1)
# gives it one) the merge has a progress line of its own, as the messages
# had (MAILCLERK_TEST_PROGRESS: every update drawn, not one in 0.2 s), each
# erasing the one before ("\r\033[K"); the summary is what is left.
MAILCLERK_TEST_PROGRESS=1 MAILCLERK_TEST_BATCH=10 MAILCLERK_TEST_MERGE_STEP=1 script -qec \
	"'$MAILCLERK' --config '$TMP/config' --db '$DB' ingest --maildir '$TMP/a'" /dev/null > "$TMP/tty.txt"
check_eq 'a run that built the index leaves one segment' "$(segments)" 1
tty_lines() { sed 's/\x1b\[K/\n/g' "$TMP/tty.txt" | tr -d '\r'; }
check 'on a terminal, the merge shows its pages as it goes' test "$(tty_lines |
	grep -c -E '^merging the full-text index: [0-9]+/[0-9]+ pages, [0-9]+/s(, ETA [0-9]+:[0-9]{2})?$')" -gt 1
check_eq '... after the messages, and no other line' "$(tty_lines | grep -v -E '^(|ingest: .*)$' |
	sed -E 's/^[0-9]+\/600 messages, .*/messages/; s/^merging the full-text index: .*/merging/' | uniq)" \
	"messages
merging"
check_eq '... and the summary is what is left on the screen' \
	"$(sed 's/.*\x1b\[K//' "$TMP/tty.txt" | tr -d '\r' | cut -d, -f1)" 'ingest: 600 new messages'
check_eq '... every message found' "$(mc count alpha)" 600
# All 600 printed (not a terminal): snippets are made 500 messages at a
# time, in a small full-text table made again for each; every message's
# snippet is its own (subject "segment test N", body "body N wordN ...").
check_eq '... and printed, each with its own snippet' "$(mc search alpha |
	awk 'NR % 2 == 1 { n = $NF } NR % 2 == 0 { c++; if ($0 ~ ("^ +body " n " word" n " alpha")) own++ } END { print c, own }')" '600 600'
check_eq '... one by a word of its own' "$(mc search --format=json word77 | jq -r '.[].message_id')" seg-77@seg.example
check_eq '... and check passes' "$(mc check)" ok

# A sixth more: the new segments are merged among themselves, not into the
# big one (that waits until the others are as big).
MAILCLERK_TEST_BATCH=10 mc ingest --maildir "$TMP/b" >/dev/null 2>&1
check_eq 'a smaller run merges its own segments: two in all' "$(segments)" 2
check_eq '... every message found' "$(mc count alpha)" 700
check_eq '... a new one by its word' "$(mc search --format=json word650 | jq -r '.[].message_id')" seg-650@seg.example
check_eq '... and check passes' "$(mc check)" ok

# Killed after the first merge step (as kill -9 would): what was merged is
# committed, the rest is as it was, and the index is sound.
MAILCLERK_TEST_BATCH=10 MAILCLERK_TEST_MERGE_STEP=1 MAILCLERK_TEST_MERGE_CRASH=1 \
	mc ingest --maildir "$TMP/c" >/dev/null 2>&1
check_eq 'killed mid-merge' $? 137
check 'killed mid-merge: more segments than after a whole merge' test "$(segments)" -gt 2
check_eq '... every message found' "$(mc count alpha)" 800
check_eq '... and check passes' "$(mc check)" ok
before=$(segments)
mc ingest --maildir "$TMP/c" >/dev/null 2>&1
check_eq 'a run that adds nothing merges nothing' "$(segments)" "$before"
# A hundred more: with the killed run's, the others are now as big as the
# largest, and all are merged into one.
make_mail 100 801 "$TMP/d"
MAILCLERK_TEST_BATCH=10 mc ingest --maildir "$TMP/d" >/dev/null 2>&1
check_eq 'the next run that adds mail merges again: one segment' "$(segments)" 1
check_eq '... and check passes' "$(mc check)" ok

# One batch's words make one segment, however many (fts_policy_apply();
# FTS5's default wrote one a megabyte, five here): 3,000 messages of 300
# words from 5,000, 12 MB, in one transaction. Killed at the first merge
# step, as above, it is not: there is nothing to merge.
big=$TMP/big
mkdir -p "$big/cur" "$big/new" "$big/tmp"
awk -v dir="$big/cur" 'BEGIN {
	for (i = 1; i <= 3000; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		printf "From: s@big.example\nSubject: big %d\nMessage-ID: <big-%d@big.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\n", i, i > f
		for (j = 0; j < 300; j++)
			printf "v%d%s", (i * 7 + j * 13) % 5000, (j % 15 == 14 ? "\n" : " ") > f
		close(f)
	}
}'
DB=$TMP/big.db
MAILCLERK_TEST_BATCH=3000 MAILCLERK_TEST_MERGE_STEP=1 MAILCLERK_TEST_MERGE_CRASH=1 \
	mc ingest --maildir "$big" >/dev/null 2>&1
check_eq 'one batch of 3,000 messages, 12 MB, is one segment: nothing to merge' "$?.$(segments)" 0.1
settings() { sqlite3 "$DB" "SELECT group_concat(k || '=' || v, ' ') FROM (SELECT k, v FROM fts_config WHERE k IN ('automerge', 'hashsize') ORDER BY k)"; }
check_eq '... the index keeps the settings' "$(settings)" 'automerge=16 hashsize=16777216'
# An index written by an older mailclerk has FTS5's defaults (no rows): its
# next run sets them, even one that adds nothing.
sqlite3 "$DB" "DELETE FROM fts_config WHERE k IN ('automerge', 'hashsize')"
check_eq 'an index with the defaults' "$(settings)" ''
mc ingest --maildir "$big" >/dev/null 2>&1
check_eq '... has the settings after its next run' "$(settings)" 'automerge=16 hashsize=16777216'
