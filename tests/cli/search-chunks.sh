#!/bin/sh
# A page of words newest first is read from the highest id down, a chunk of
# 4,096 ids at a time, and stops once no lower chunk holds mail newer than
# the worst it keeps (message_date_newest, query/search.c). Here mail comes
# in five ingests whose ids are put in chunks 0, 1, 2, 3 and 5 (the
# sequence moved on between them, as a big archive's would be) and whose
# dates are not in id order: every page must be what sorting all the hits
# gives (oldest first, which collects them all, read backwards).
. "$top_srcdir/tests/lib.sh"
plan 57

DB="$TMP/index.db"
printf '[mailclerk]\nme = sam@studio.example\n' > "$TMP/config"
q() { sqlite3 "$DB" "$1"; }

# batch NAME N DATE-PREFIX WORDS: a maildir of N messages dated
# DATE-PREFIX-<day> (day 1..N), each with zephyr and WORDS in its body;
# every third also says "amber lantern", every fourth quill.
batch() {
	mkdir -p "$TMP/$1/cur" "$TMP/$1/new" "$TMP/$1/tmp"
	awk -v dir="$TMP/$1/cur" -v name="$1" -v n="$2" -v when="$3" -v words="$4" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%d.%s.host:2,S", dir, i, name)
			body = "zephyr " words
			if (i % 3 == 0) body = body " amber lantern"
			if (i % 4 == 0) body = body " quill"
			printf "From: a@chunks.example\nTo: sam@studio.example\nSubject: %s %d\nMessage-ID: <%s-%d@chunks.example>\nDate: %s-%02d 10:00:00 +0000\n\n%s\n", name, i, name, i, when, i, body > f
			close(f)
		}
	}'
}
# one NAME DATE: a maildir NAME of one message dated DATE, with zephyr and knot.
one() {
	mkdir -p "$TMP/$1/cur" "$TMP/$1/new" "$TMP/$1/tmp"
	printf 'From: a@chunks.example\nTo: sam@studio.example\nSubject: %s\nMessage-ID: <%s@chunks.example>\nDate: %s\n\nzephyr knot lantern amber\n' \
		"$1" "$1" "$2" > "$TMP/$1/cur/1.$1.host:2,S"
}
# tie NAME: one message dated 2022-06-01 00:00:00, as the other tie.
tie() { one "$1" 'Wed, 01 Jun 2022 00:00:00 +0000'; }
# into CHUNK: the next message's id is the first of CHUNK.
into() { q "UPDATE sqlite_sequence SET seq = $(($1 * 4096 - 1)) WHERE name = 'messages'"; }

batch a 10 2021-01 'knot'             # chunk 0: 2021
mc ingest --maildir "$TMP/a" >/dev/null 2>&1
into 1
batch b 10 2019-03 ''                 # chunk 1: 2019
mc ingest --maildir "$TMP/b" >/dev/null 2>&1
into 2
batch c 5 2018-05 ''                  # chunk 2: 2018, and a tie, its newest
tie ctie
mc ingest --maildir "$TMP/c" --maildir "$TMP/ctie" >/dev/null 2>&1
into 3
batch d 10 2020-02 'knot'             # chunk 3: 2020, and a second before the ties
one dlate 'Tue, 31 May 2022 23:59:59 +0000'
mc ingest --maildir "$TMP/d" --maildir "$TMP/dlate" >/dev/null 2>&1
into 5                                # chunk 4 holds nothing
batch e 3 2022-08 ''                  # chunk 5: 2022-08, and the other tie
tie etie
mc ingest --maildir "$TMP/e" --maildir "$TMP/etie" >/dev/null 2>&1

check_eq 'the mail is in chunks 0, 1, 2, 3 and 5' \
	"$(q 'SELECT group_concat(c) FROM (SELECT DISTINCT id / 4096 AS c FROM messages ORDER BY c)')" '0,1,2,3,5'
check_eq 'each chunk has its newest date' \
	"$(q "SELECT group_concat(chunk || ':' || date(newest, 'unixepoch')) FROM (SELECT * FROM message_date_newest ORDER BY chunk)")" \
	'0:2021-01-10,1:2019-03-10,2:2022-06-01,3:2022-05-31,5:2022-08-03'

page() { mc search --format=json "$@" | jq -r '[.[].message_id] | join(" ")'; }
# sorted LIMIT OFFSET QUERY: every hit oldest first, read backwards, cut.
sorted() {
	mc search --format=json --sort=oldest "$3" |
		jq -r --argjson l "$1" --argjson o "$2" '[.[].message_id] | reverse | .[$o:$o + $l] | join(" ")'
}
for q in zephyr knot '"amber lantern"' quill 'quill OR knot' 'zeph*' 'zephyr -quill' 'lantern amber'; do
	for lo in '1 0' '3 0' '4 2' '9 0' '14 7' '40 0' '50 3'; do
		set -- $lo
		[ "$q" = zephyr ] || [ "$lo" = '1 0' ] || [ "$lo" = '9 0' ] || [ "$lo" = '50 3' ] || continue
		check_eq "newest first, limit $1 offset $2: $q" "$(page --limit="$1" --offset="$2" "$q")" "$(sorted "$1" "$2" "$q")"
	done
done
# Words with other terms, the page looked for among the words' hits (a
# date, a negated sender: no set of their own): each hit tested as read,
# a phrase's before they are counted (and after, when that read runs out
# of time: MAILCLERK_TEST_SEARCH=words-page-spent).
spent() { MAILCLERK_TEST_SEARCH=words-page-spent page "$@"; }
for q in 'knot date:2019..' 'zephyr date:..2022-06-01' '"amber lantern" -from:b@chunks.example' \
	'"amber lantern" date:..2022-06-01'; do
	for lo in '1 0' '4 2' '9 0' '50 3'; do
		set -- $lo
		check_eq "among the words' hits, limit $1 offset $2, read and counted first: $q" \
			"$(page --limit="$1" --offset="$2" "$q") / $(spent --limit="$1" --offset="$2" "$q")" \
			"$(sorted "$1" "$2" "$q") / $(sorted "$1" "$2" "$q")"
	done
done
check_eq 'the newest of all: August 2022, then the two ties, the later id first' \
	"$(page --limit=6 zephyr)" 'e-3@chunks.example e-2@chunks.example e-1@chunks.example etie@chunks.example ctie@chunks.example dlate@chunks.example'
check_eq 'knot: the tie of the highest id, the tie below it, a second before them, 2021' \
	"$(page --limit=4 knot)" 'etie@chunks.example ctie@chunks.example dlate@chunks.example a-10@chunks.example'
check_eq '... two of them: the second tie, in a lower chunk than a message a second older' \
	"$(page --limit=2 knot)" 'etie@chunks.example ctie@chunks.example'
check_eq 'a page past the hits is empty' "$(page --limit=5 --offset=41 zephyr)" ''

# check compares each chunk's recorded date with its mail (only damage or a
# hand edit makes them differ); reindex writes them again.
check_eq 'check: the dates recorded are sound' "$(mc check 2>&1 | grep -c message_date_newest)" 0
q "UPDATE message_date_newest SET newest = 0 WHERE chunk <= 2"
check_eq 'check: each chunk recorded older than its mail is named' \
	"$(mc check 2>&1 | grep -c message_date_newest) $(mc check 2>&1 | grep 'ids 8192-')" \
	'3 message_date_newest: ids 8192-12287 hold mail dated 2022-06-01T00:00:00Z, newer than recorded (1970-01-01T00:00:00Z), which a search newest first may miss: `mailclerk reindex` records it again'
check_exit '... and check fails' 1 mc check
check_eq '... which a page newest first then misses (why check names it)' \
	"$(page --limit=2 knot)" 'etie@chunks.example dlate@chunks.example'
mc reindex >/dev/null 2>&1
check_eq 'reindex records it again: check is clean, the page whole' \
	"$(mc check 2>&1 | grep -c message_date_newest) $(page --limit=2 knot)" '0 etie@chunks.example ctie@chunks.example'
q "DELETE FROM message_date_newest WHERE chunk = 3"
check_eq 'check: a chunk with no date recorded is named' \
	"$(mc check 2>&1 | grep -o 'ids 12288-16383 hold mail dated 2022-05-31T23:59:59Z, newer than recorded (none)')" \
	'ids 12288-16383 hold mail dated 2022-05-31T23:59:59Z, newer than recorded (none)'

# An index of version 18 gets the table when opened, from its messages.
q "$(before_19) PRAGMA user_version = 18;"
check_eq 'an index of version 18: the table made and filled when it is opened' \
	"$(page --limit=4 knot)|$(q 'SELECT count(*) FROM message_date_newest')|$(q 'PRAGMA user_version')" \
	'etie@chunks.example ctie@chunks.example dlate@chunks.example a-10@chunks.example|5|20'
