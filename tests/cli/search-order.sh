#!/bin/sh
# A page in date order is found two ways (query/search.c): by walking the
# messages newest (or oldest) first and testing each, where hits are common,
# or by collecting every hit and sorting. Both must give the same pages, in
# the same order, for every kind of term; the test hook MAILCLERK_TEST_SEARCH
# forces each way (left alone, it depends on the mail and the query). A
# search without --limit is SQL's own ORDER BY: the same order again.
. "$top_srcdir/tests/lib.sh"
plan 219

cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
name = ACME Corp
domains = acme.example
match = subject:/\bACME-\d+\b/

[project acme/website]
match = subject:/\[ACME-12\]/

[client globex]
domains = globex.example
EOC
mc ingest --maildir "$CORPUS/maildir" --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1

# The message ids of a page, in order.
page() { mc search --format=json "$@" | jq -r '[.[].id] | join(" ")'; }
walk() { MAILCLERK_TEST_SEARCH=walk page "$@"; }
set_() { MAILCLERK_TEST_SEARCH=set page "$@"; }
# The walk stopped after every third message it tests and taken up again
# where it stopped (as when it is about to give up and the join it would
# fall back on is costed dearer), the join costed at its first stop.
legs() { MAILCLERK_TEST_SEARCH=walk-legs page "$@"; }

check_eq 'four of acme, newest first: the walk and the sort agree' \
	"$(walk --limit=4 acme | wc -w) $(walk --limit=4 acme)" "4 $(set_ --limit=4 acme)"
# Every kind of term with a subquery, words alone and mixed, newest and
# oldest first, a first page and a later one.
for q in acme 'acme website' '"new logo"' 'zorble*' 'from:bob@acme.example' 'from:@acme.example' \
	'to:sam@studio.example' 'client:acme' 'project:website' 'client:none' 'folder:Sent' \
	'type:pdf' 'acme -website' 'acme OR globex' 'client:acme acme' 'acme date:2024' \
	'NOT from:@acme.example' 'acme OR is:outbound'; do
	check_eq "newest first, limit 5: $q" "$(walk --limit=5 "$q") / $(page "$q" | cut -d' ' -f1-5)" \
		"$(set_ --limit=5 "$q") / $(set_ --limit=5 "$q")"
	check_eq "oldest first, limit 3 offset 2: $q" \
		"$(walk --sort=oldest --limit=3 --offset=2 "$q")" "$(set_ --sort=oldest --limit=3 --offset=2 "$q")"
	check_eq "walked in legs, newest first limit 5, oldest first limit 3 offset 2: $q" \
		"$(legs --limit=5 "$q") / $(legs --sort=oldest --limit=3 --offset=2 "$q")" \
		"$(set_ --limit=5 "$q") / $(set_ --sort=oldest --limit=3 --offset=2 "$q")"
done
# A date: term bounds the walk (it starts at one end of the range and stops
# at the other): ranges inside the corpus's dates, an AND and an OR of
# them, negated, and none left unbounded; walked, in legs and collected.
for q in 'date:2024-02..2024-05' 'acme date:2024-02..2024-05' 'acme date:..2024-02' \
	'date:2024-03.. acme' '(date:2023 OR date:2024-02) acme' \
	'(date:2023-11.. acme) OR (date:2024-05.. website)' 'date:2024-02 date:2024-01..2024-03' \
	'date:2024-02 OR acme' 'NOT date:2024-02 acme' 'date:1990 acme' 'date:2024-03 date:2024-05'; do
	check_eq "date-bounded, walked and in legs, newest 3, oldest 3 offset 1: $q" \
		"$(walk --limit=3 "$q") / $(walk --sort=oldest --limit=3 --offset=1 "$q") / $(legs --limit=3 "$q") / $(legs --sort=oldest --limit=3 --offset=1 "$q")" \
		"$(set_ --limit=3 "$q") / $(set_ --sort=oldest --limit=3 --offset=1 "$q") / $(set_ --limit=3 "$q") / $(set_ --sort=oldest --limit=3 --offset=1 "$q")"
done
check_eq 'date-bounded pages are not empty where the range has mail' \
	"$(set_ --limit=3 'acme date:2024-02..2024-05' | wc -w) $(set_ --limit=3 'date:2024-03.. acme' | wc -w) $(set_ --sort=oldest --limit=3 --offset=1 '(date:2023 OR date:2024-02) acme' | wc -w)" \
	"3 2 3"

# An OR at the top, in date order, left to choose (walked whole while that
# is quick), split by the hook at once or once its walk whole ran out of
# time: each branch's page found its own way and the pages merged, a
# message that matches two branches once; the same pages as the whole OR
# collected.
split() { MAILCLERK_TEST_SEARCH=or-split page "$@"; }
spent() { MAILCLERK_TEST_SEARCH=or-walk-spent page "$@"; }
for q in 'acme OR is:outbound' 'date:2024-02 OR acme' '(date:2023-11.. acme) OR (date:2024-05.. website)' \
	'from:bob@acme.example OR logo' 'client:globex OR "new logo"' 'date:1990 OR acme website' \
	'from:@acme.example OR from:@acme.example website' 'NOT from:@acme.example OR website' \
	'acme client:acme OR type:pdf OR folder:Sent' 'acme OR globex OR is:outbound' 'zorble* OR to:@globex.example'; do
	check_eq "an OR split into its branches, newest 5, oldest 3 offset 2, 4 at offset 4, chosen, split once its walk ran out: $q" \
		"$(split --limit=5 "$q") / $(split --sort=oldest --limit=3 --offset=2 "$q") / $(split --limit=4 --offset=4 "$q") / $(page --limit=5 "$q") / $(spent --limit=5 "$q") / $(spent --sort=oldest --limit=3 --offset=2 "$q")" \
		"$(set_ --limit=5 "$q") / $(set_ --sort=oldest --limit=3 --offset=2 "$q") / $(set_ --limit=4 --offset=4 "$q") / $(set_ --limit=5 "$q") / $(set_ --limit=5 "$q") / $(set_ --sort=oldest --limit=3 --offset=2 "$q")"
done
check_eq 'an OR with a branch of nothing to search for is the other branch, split or not' \
	"$(split --limit=5 'from:bob@acme.example OR -') / $(page --limit=5 'from:bob@acme.example OR - OR !')" \
	"$(set_ --limit=5 from:bob@acme.example) / $(set_ --limit=5 from:bob@acme.example)"
check_eq 'an OR split: every hit once, as many as it counts' \
	"$(split --limit=1000 'acme OR is:outbound OR from:@acme.example' | tr ' ' '\n' | sort -n | uniq | wc -l) $(split --limit=1000 'acme OR is:outbound OR from:@acme.example' | wc -w)" \
	"$(mc count 'acme OR is:outbound OR from:@acme.example') $(mc count 'acme OR is:outbound OR from:@acme.example')"

# Left to choose, a query whose matches are all in a small set of ids (a
# sender, a client, a folder, alone or with other terms; every set of this
# corpus is small) tests the ids of that set: the same pages.
for q in 'from:bob@acme.example' 'from:bob@acme.example acme' 'from:@acme.example -website' \
	'client:acme from:@acme.example' 'folder:Sent acme' '(acme OR globex) client:acme' \
	'type:pdf date:2020..'; do
	check_eq "chosen, newest first, limit 5: $q" "$(page --limit=5 "$q")" "$(set_ --limit=5 "$q")"
	check_eq "chosen, oldest first, limit 3 offset 2: $q" \
		"$(page --sort=oldest --limit=3 --offset=2 "$q")" "$(set_ --sort=oldest --limit=3 --offset=2 "$q")"
done
# A client's or project's mail walked in date order (where a walk of all
# the mail would be long; forced here, and forced to give up at once when
# the newest it tests is no hit, when the walk of all the mail goes on):
# the same pages. So is another set (a domain, a sender, a word's hits, the
# union of an OR's), counted first.
for q in 'client:acme acme' 'project:acme/website kickoff' 'client:acme -website' \
	'client:acme (logo OR website)' 'client:acme date:..2024-01' 'from:@acme.example website' \
	'to:@globex.example' 'from:bob@acme.example acme' 'address:@exam* logo' \
	'(from:bob@acme.example OR cc:carol@acme.example) acme' 'from:@globex.example OR website'; do
	check_eq "a client walked in date order, newest first, limit 3 offset 1: $q" \
		"$(MAILCLERK_TEST_SEARCH=set-walk page --limit=3 --offset=1 "$q")" "$(set_ --limit=3 --offset=1 "$q")"
	check_eq "... oldest first, limit 4: $q" \
		"$(MAILCLERK_TEST_SEARCH=set-walk page --sort=oldest --limit=4 "$q")" "$(set_ --sort=oldest --limit=4 "$q")"
	check_eq "... given up at a first test with no hit: $q" \
		"$(MAILCLERK_TEST_SEARCH=set-walk-empty page --limit=3 "$q") / $(MAILCLERK_TEST_SEARCH=set-walk-empty page --sort=oldest --limit=3 "$q")" \
		"$(set_ --limit=3 "$q") / $(set_ --sort=oldest --limit=3 "$q")"
done
check_eq 'a client walked in date order finds its page: client:acme acme has hits' \
	"$(MAILCLERK_TEST_SEARCH=set-walk page --limit=3 'client:acme acme' | wc -w)" 3
check_eq '... and a domain: from:@acme.example website has hits' \
	"$(MAILCLERK_TEST_SEARCH=set-walk page --limit=3 'from:@acme.example website' | wc -w)" 3
# A sample of the walk's density that runs out of time (a rare phrase of
# common words takes FTS5 milliseconds a test) leaves the set to collect:
# the same pages, no error.
for q in 'client:acme acme' '"new logo" date:2020..' 'from:@acme.example website' 'acme OR is:outbound' \
	acme '"new logo"'; do
	check_eq "the sample out of time, newest first: $q" \
		"$(MAILCLERK_TEST_SEARCH=sample-spent mc search --format=json --limit=5 "$q" 2>&1 | jq -r '[.[].id] | join(" ")')" \
		"$(set_ --limit=5 "$q")"
done
# A word's set slow to count (a rare phrase of common words), the other
# sets too big to look in: its hits are looked in, each tested
# (MAILCLERK_TEST_SEARCH=words-spent: its count runs out of time at once).
for q in 'acme date:2024' '"new logo" date:2020..' 'acme -from:@acme.example' '(acme OR globex) date:..2024-06' \
	'website is:outbound'; do
	check_eq "a word's set slow to count, looked in: $q" \
		"$(MAILCLERK_TEST_SEARCH=words-spent page --limit=5 "$q") / $(MAILCLERK_TEST_SEARCH=words-spent page --sort=oldest --limit=3 --offset=1 "$q")" \
		"$(set_ --limit=5 "$q") / $(set_ --sort=oldest --limit=3 --offset=1 "$q")"
done
# A prefix is written out as the index's words that begin with it (an OR of
# them), which the walk can test a message for: the same pages as the
# prefix kept (MAILCLERK_TEST_PREFIX=keep), walked or collected, newest and
# oldest first, alone or with other terms, in a column, negated, ORed.
kept() { MAILCLERK_TEST_PREFIX=keep MAILCLERK_TEST_SEARCH=set page "$@"; }
for q in 'acme*' 'inv*' 'web*' 'subject:web*' 'from:ac*' 'acme* -logo' 'zorble* OR log*' \
	'inv* client:acme' 'w* date:2024' 'ACME*'; do
	check_eq "a prefix written out, newest first, limit 5: $q" \
		"$(walk --limit=5 "$q") / $(set_ --limit=5 "$q") / $(page --limit=5 "$q")" \
		"$(kept --limit=5 "$q") / $(kept --limit=5 "$q") / $(kept --limit=5 "$q")"
	check_eq "a prefix written out, oldest first, limit 3 offset 2: $q" \
		"$(walk --sort=oldest --limit=3 --offset=2 "$q")" "$(kept --sort=oldest --limit=3 --offset=2 "$q")"
done
check_eq 'a prefix written out finds what it found: web* has 8 hits' \
	"$(page --limit=100 'web*' | wc -w) $(kept --limit=100 'web*' | wc -w)" "8 8"
# count: words alone are counted by FTS5 (a row a message), other queries
# by SQL; both as many as a search lists.
for q in acme 'acme*' '"new logo"' 'subject:website' 'acme -website' 'acme OR globex' 'w*' \
	'zorble*' nosuchwordanywhere 'from:ac*' 'acme client:acme' 'NOT acme'; do
	check_eq "count: $q" "$(mc count "$q") $(MAILCLERK_TEST_PREFIX=keep mc count "$q")" \
		"$(page --limit=1000 "$q" | wc -w) $(page --limit=1000 "$q" | wc -w)"
done
n=$(mc count '*')
check_eq 'all of them, one page: the same order as every message sorted' \
	"$(walk --limit="$n" 'acme OR NOT acme')" "$(page --limit="$n" '*')"
check_eq '... and as many as match' "$(walk --limit="$n" 'acme OR NOT acme' | wc -w)" "$n"
check_eq '... and walked in legs, each message once' \
	"$(legs --limit="$n" 'acme OR NOT acme')" "$(page --limit="$n" '*')"
check_eq 'a page past the end is empty' "$(walk --limit=10 --offset="$n" acme)" ""
check_eq 'nothing matches: an empty page' "$(walk --limit=10 nosuchwordanywhere) $(walk --limit=10 from:nobody@nowhere.example)" " "
# Ties: messages of one date sort by id, newest id first, both ways.
for i in 1 2 3 4 5 6 7; do
	printf 'From: a@tie.example\nSubject: tieword %s\nMessage-ID: <tie-%s@x>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\ntieword\n' "$i" "$i" > "$TMP/t$i.eml"
done
mc ingest --file "$TMP/t1.eml" --file "$TMP/t2.eml" --file "$TMP/t3.eml" --file "$TMP/t4.eml" \
	--file "$TMP/t5.eml" --file "$TMP/t6.eml" --file "$TMP/t7.eml" >/dev/null 2>&1
check_eq 'equal dates: the higher id first' "$(walk --limit=2 tieword)" "$(set_ --limit=2 tieword)"
check_eq '... walked in legs that stop among them: each once, in order' \
	"$(legs --limit=6 tieword | wc -w) $(legs --limit=6 tieword) / $(legs --sort=oldest --limit=5 --offset=1 from:a@tie.example)" \
	"6 $(set_ --limit=6 tieword) / $(set_ --sort=oldest --limit=5 --offset=1 from:a@tie.example)"
check_eq '... and the lower first, oldest first' "$(walk --sort=oldest --limit=2 from:a@tie.example)" "$(set_ --sort=oldest --limit=2 from:a@tie.example)"
check_eq '... which is the order of the ids' "$(walk --sort=oldest --limit=2 tieword | tr ' ' '\n' | sort -n | tr '\n' ' ')" "$(walk --sort=oldest --limit=2 tieword) "
# Relevance: words joined by AND are ranked in one pass over their hits
# (each word's rows walked once, and met); any other query with words by
# the same walks of its words that are not negated, its hits found first
# (or, words ORed, the walks' rows); the test hook MAILCLERK_TEST_RANK=join
# has SQL's join rank those instead. The same bm25() order, equal ranks
# newest first, with another term that changes nothing or without.
joined() { MAILCLERK_TEST_RANK=join page "$@"; }
for q in acme invoice 'acme invoice' 'website OR logo' 'zorbleflux OR acme invoice' '(acme website) OR (logo -acme)' 'acme*' \
	'acme website' 'acme logo' 'subject:website acme' '"new logo" acme' 'acme* website' \
	'acme logo website' 'acme zorbleflux' 'acme OR invoice' 'from:bob@acme.example OR logo' \
	'acme -website' 'client:acme logo' 'logo OR client:globex' 'subject:website OR invoice' \
	'acme OR acme website' 'zorbleflux OR nosuchwordanywhere' 'acme* OR "new logo"' \
	'(invoice OR logo) folder:Sent' 'NOT acme logo' 'client:acme website' 'acme folder:Sent' \
	'(acme OR logo) client:globex' 'acme website client:acme' 'client:acme -website logo' \
	'-(-(acme client:acme))'; do
	check_eq "relevance, walked as joined: $q" \
		"$(page --sort=relevance --limit=8 "$q") / $(page --sort=relevance --limit=8 "$q date:1990..")" \
		"$(joined --sort=relevance --limit=8 "$q date:1990..") / $(joined --sort=relevance --limit=8 "$q date:1990..")"
done
check_eq 'relevance of words ORed: every hit in the same order' \
	"$(page --sort=relevance --limit=1000 'acme OR logo OR invoice' | wc -w) $(page --sort=relevance --limit=1000 'acme OR logo OR invoice')" \
	"$(mc count 'acme OR logo OR invoice') $(joined --sort=relevance --limit=1000 'acme OR logo OR invoice')"
check_eq 'relevance of words with other terms: every hit in the same order, from an offset' \
	"$(page --sort=relevance --limit=1000 --offset=3 'acme OR from:@globex.example')" \
	"$(joined --sort=relevance --limit=1000 --offset=3 'acme OR from:@globex.example')"
check_eq 'relevance of two words: all six hits in the same order' \
	"$(page --sort=relevance --limit=100 'acme website' | wc -w) $(page --sort=relevance --limit=100 'acme website')" \
	"6 $(page --sort=relevance --limit=100 'acme website date:1990..')"
check_eq 'relevance with an offset' "$(page --sort=relevance --limit=3 --offset=2 acme)" \
	"$(page --sort=relevance --limit=3 --offset=2 'acme date:1990..')"
# (The tie messages' ids depend on which parse worker finished first.)
check_eq 'relevance: equal ranks and dates, the higher id first, both ways' \
	"$(page --sort=relevance tieword) / $(page --sort=relevance 'tieword date:1990..')" \
	"$(page --sort=relevance tieword | tr ' ' '\n' | sort -rn | paste -sd ' ') / $(page --sort=relevance tieword | tr ' ' '\n' | sort -rn | paste -sd ' ')"
# An OR over an AND: every word that is not negated ranks (the join's way),
# not only the branch a message matches. A and B both match through
# rankzeta, alike in length; A also has rankalpha, of the failed branch, and
# so ranks first although B is newer.
printf 'From: a@rank.example\nSubject: ranking\nMessage-ID: <rank-a@x>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nrankzeta rankalpha\n' > "$TMP/ra.eml"
printf 'From: a@rank.example\nSubject: ranking\nMessage-ID: <rank-b@x>\nDate: Tue, 02 Jan 2024 00:00:00 +0000\n\nrankzeta rankomega\n' > "$TMP/rb.eml"
mc ingest --file "$TMP/ra.eml" --file "$TMP/rb.eml" >/dev/null 2>&1
check_eq 'relevance of an OR over an AND: the other branch'"'"'s words count too' \
	"$(mc search --format=json --sort=relevance 'rankzeta OR rankalpha rankbeta' | jq -r '[.[].message_id] | join(" ")')" 'rank-a@x rank-b@x'
