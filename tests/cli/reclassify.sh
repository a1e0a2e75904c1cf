#!/bin/sh
# reclassify loads and files the messages on loader threads and writes only
# the filings that changed (index/reclassify.c): the same filings, exclusions,
# marks and aggregates whatever the number of loaders, an error of a loader
# reported as the writer's own, nothing changed by a failed or killed run.
. "$top_srcdir/tests/lib.sh"
plan 17

cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
domains = acme.example
match = subject:/\bACME-\d+\b/
exclude = from:/^noreply@/

[project acme/website]
match = subject:/\[ACME-12\]/

[client globex]
domains = globex.example

[client stop]
domains = stop.example

[project stop/odd]
match = subject:/odd/
EOC
# Rules changed: a body rule, an attachment rule and a label rule, an exclude
# gone and one added, a client gone.
cat > "$TMP/config2" <<'EOC'
[mailclerk]
me = sam@studio.example

[client acme]
domains = acme.example
match = subject:/\bACME-\d+\b/; attachment:/\.pdf$/

[project acme/website]
match = subject:/\[ACME-1\d\]/

[client forums]
match = label:/^Forums$/

[client stop]
domains = stop.example
exclude = subject:/test \d*7$/

[project stop/odd]
match = body:/message 1\d\b/

[project stop/even]
match = subject:/test \d*[02468] odd/
EOC
copy_corpus
q() { sqlite3 -cmd '.timeout 10000' "$1" "$2"; }
# Everything reclassify writes, in a stable order (contact_stats without
# name_row: an ingest counts a message's addresses by their place in it, a
# recount by their rowid; either orders them the same).
state() {
	for t in "SELECT * FROM filings ORDER BY message, client, project" \
		"SELECT * FROM exclusions ORDER BY message, client" \
		"SELECT id, automated FROM messages ORDER BY id" \
		"SELECT * FROM filing_stats ORDER BY client, project" \
		"SELECT * FROM thread_stats ORDER BY thread_id, client, project" \
		"SELECT client, address, messages, first, last, name, name_date, name_message
			FROM contact_stats ORDER BY client, address"; do
		echo "-- $t"
		q "$1" "$t"
	done
}
# Mail of stop.example in threads (replies before the mail they answer), so
# that some is filed by its thread.
mkdir -p "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp"
awk -v dir="$TMP/big/cur" 'BEGIN {
	for (i = 1; i <= 300; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		from = i % 9 ? sprintf("s%d@stop.example", i % 5) : "sam@personal.example"
		parent = i > 3 ? sprintf("References: <stop-%d@stop.example>\n", 301 - int(i / 3)) : ""
		printf "From: Sender <%s>\nTo: sam@studio.example\nSubject: stop test %d%s\nMessage-ID: <stop-%d@stop.example>\n%sDate: Mon, %02d Jan 2024 00:%02d:00 +0000\n\nmessage %d\n", from, i, i % 4 ? "" : " odd", 301 - i, parent, 1 + i % 28, i % 60, i > f
		close(f)
	}
}'
mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
mc ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
mc ingest --maildir "$TMP/big" >/dev/null 2>&1
cp "$DB" "$TMP/serial.db"
cp "$DB" "$TMP/fresh-before.db"
state "$DB" > "$TMP/before"

# Batches of 7 messages: many batches, several loaders at once.
rc() { "$MAILCLERK" --config "$TMP/config2" --db "$1" reclassify; }
serial=$(MAILCLERK_TEST_LOADERS=0 MAILCLERK_TEST_RECLASSIFY_BATCH=7 rc "$TMP/serial.db" | sed 's/, in .*//')
parallel=$(MAILCLERK_TEST_LOADERS=3 MAILCLERK_TEST_RECLASSIFY_BATCH=7 rc "$DB" | sed 's/, in .*//')
check_eq 'reclassify on three loaders: what it says' "$parallel" \
	'reclassify: 333 messages, 415 filings (103 added, 111 removed), 2 automated (0 changed), 3 outbound (0 changed)'
check_eq '... as on none' "$serial" "$parallel"
keys() { q "$1" "SELECT message || '|' || client || '|' || project FROM filings ORDER BY 1"; }
keys "$TMP/serial.db" > "$TMP/keys-after"
check_eq '... the keys added and removed' "$(keys "$TMP/fresh-before.db" > "$TMP/keys-before";
	echo "$(LC_ALL=C comm -13 "$TMP/keys-before" "$TMP/keys-after" | wc -l) added, $(LC_ALL=C comm -23 "$TMP/keys-before" "$TMP/keys-after" | wc -l) removed")" \
	'103 added, 111 removed'
state "$DB" > "$TMP/parallel"
state "$TMP/serial.db" > "$TMP/serial"
check '... the same filings, exclusions, marks and aggregates' cmp -s "$TMP/serial" "$TMP/parallel"
check '... which did change' sh -c '! cmp -s "$1" "$2"' - "$TMP/before" "$TMP/parallel"
check_eq '... some filed by their thread, some kept out by an exclude' \
	"$(q "$DB" "SELECT count(*) > 0 FROM filings WHERE rule = 'thread'; SELECT count(*) > 0 FROM exclusions")" "$(printf '1\n1')"
check_eq '... a body, attachment and label rule filed mail' \
	"$(q "$DB" "SELECT count(DISTINCT substr(rule, 1, instr(rule, ' '))) FROM filings WHERE rule GLOB 'body *' OR rule GLOB 'attachment *' OR rule GLOB 'label *'")" 3
# An index made with config2 from the start files as reclassify did.
"$MAILCLERK" --config "$TMP/config2" --db "$TMP/fresh.db" ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
"$MAILCLERK" --config "$TMP/config2" --db "$TMP/fresh.db" ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
"$MAILCLERK" --config "$TMP/config2" --db "$TMP/fresh.db" ingest --maildir "$TMP/big" >/dev/null 2>&1
# (Its ids differ: the filings and exclusions by Message-ID.)
filed() {
	q "$1" "SELECT m.message_id, f.client, f.project, f.rule, f.matched FROM filings f
		JOIN messages m ON m.id = f.message ORDER BY 1, 2, 3"
	q "$1" "SELECT m.message_id, x.client, x.rule, x.matched FROM exclusions x
		JOIN messages m ON m.id = x.message ORDER BY 1, 2"
}
check_eq '... as an ingest with those rules does' "$(filed "$TMP/fresh.db")" "$(filed "$DB")"

# Again with the same rules: nothing to write, the aggregates as they were.
check_eq 'reclassify again: nothing added or removed' "$(MAILCLERK_TEST_RECLASSIFY_BATCH=7 rc "$DB" | sed 's/, in .*//')" \
	'reclassify: 333 messages, 415 filings (0 added, 0 removed), 2 automated (0 changed), 3 outbound (0 changed)'
state "$DB" > "$TMP/again"
check '... the filings and aggregates unchanged' cmp -s "$TMP/parallel" "$TMP/again"

# A message whose stored text is broken: the loader's error is the run's.
cp "$DB" "$TMP/broken.db"
state "$TMP/broken.db" > "$TMP/broken-before"
q "$TMP/broken.db" "UPDATE message_text SET body = X'00' WHERE id = 200"
MAILCLERK_TEST_LOADERS=2 MAILCLERK_TEST_RECLASSIFY_BATCH=7 rc "$TMP/broken.db" >"$TMP/out" 2>"$TMP/err"
check_eq 'a loader that fails: exit 1' "$?" 1
check_eq '... saying why, nothing on stdout' "$(cat "$TMP/err" "$TMP/out")" \
	"mailclerk: $TMP/broken.db: reading a message: mc_unzstd: not a mailclerk text"
check_eq '... as the writer does alone' "$(MAILCLERK_TEST_LOADERS=0 rc "$TMP/broken.db" 2>&1)" \
	"mailclerk: $TMP/broken.db: reading a message: mc_unzstd: not a mailclerk text"
state "$TMP/broken.db" > "$TMP/broken-after"
check '... the filings and aggregates as they were' cmp -s "$TMP/broken-before" "$TMP/broken-after"

# kill -9 after filings were written, loaders at work: nothing of the run
# is left, and the next run finishes.
state "$TMP/serial.db" > "$TMP/kill-before"
MAILCLERK_TEST_LOADERS=2 MAILCLERK_TEST_RECLASSIFY_BATCH=3 MAILCLERK_TEST_PAUSE="$TMP/paused" \
	"$MAILCLERK" --config "$TMP/config" --db "$TMP/serial.db" reclassify >/dev/null 2>&1 &
pid=$!
wait_until test -e "$TMP/paused" || [ ! -e "$TMP/paused" ]
if [ -e "$TMP/paused" ]; then
	kill -9 $(pgrep -P "$pid") "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	state "$TMP/serial.db" > "$TMP/kill-after"
	check 'kill -9 in a reclassify: the index as it was' cmp -s "$TMP/kill-before" "$TMP/kill-after"
	check_exit '... and check finds it sound' 0 "$MAILCLERK" --config "$TMP/config" --db "$TMP/serial.db" check
else
	wait "$pid"
	skip 'kill -9 in a reclassify' 'no test hooks in this build (configure --disable-test-hooks)'
	skip 'kill -9 in a reclassify' 'no test hooks in this build'
fi
"$MAILCLERK" --config "$TMP/config" --db "$TMP/serial.db" reclassify >/dev/null 2>&1
"$MAILCLERK" --config "$TMP/config" --db "$DB" reclassify >/dev/null 2>&1
state "$DB" > "$TMP/back"
state "$TMP/serial.db" > "$TMP/serial-back"
check_eq '... the next run files as before the rules changed' "$(cmp -s "$TMP/back" "$TMP/before" && cmp -s "$TMP/serial-back" "$TMP/before" && echo same)" same
