#!/bin/sh
# The numbers of `clients` and `projects` kept by the writer (filing_stats,
# index/migrate-14.sql) and each thread's last message (thread_last,
# index/migrate-16.sql) equal a count of the rows they sum up: after an
# ingest, a kill -9 in the middle of one, reclassify with another
# configuration, reindex of changed messages, messages removed, threads
# merging, automated replies, mail ingested without clients, and migration
# from schema versions 13 and 15; and filing by thread after mail leaves.
. "$top_srcdir/tests/lib.sh"
plan 54

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

[client kawasemi]
match = subject:/見積/

[client stop]
domains = stop.example

[project stop/odd]
match = subject:/odd/
EOC
copy_corpus
q() { sqlite3 -cmd '.timeout 10000' "$DB" "$@"; }
# The rows where filing_stats differs from a count of the filings (with the
# key '/' for a client's mail in none of its projects), "extra" or
# "missing"; nothing when they agree. A key whose mail is all gone may keep
# a row of zeros.
recount() {
	q "WITH k AS (SELECT message, client, project FROM filings UNION ALL
		SELECT message, client, '/' FROM filings f WHERE project = '' AND NOT EXISTS
		(SELECT 1 FROM filings g WHERE g.message = f.message AND g.client = f.client
		AND g.project != '')),
	want AS (SELECT k.client, k.project, sum(m.direction = 0), sum(m.direction = 1),
		count(DISTINCT m.thread_id), min(m.date), max(m.date),
		sum((SELECT count(*) FROM attachments a WHERE a.message = m.id AND a.is_inline = 0))
		FROM k JOIN messages m ON m.id = k.message GROUP BY 1, 2),
	have AS (SELECT client, project, inbound, outbound, threads, first, last, attachments
		FROM filing_stats WHERE inbound + outbound + threads + attachments != 0)
	SELECT 'extra', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want)
	UNION ALL SELECT 'missing', * FROM (SELECT * FROM want EXCEPT SELECT * FROM have)"
	# ... and so for each thread's share (thread_stats), with nothing left
	# to count again.
	q "WITH k AS (SELECT message, client, project FROM filings UNION ALL
		SELECT message, client, '/' FROM filings f WHERE project = '' AND NOT EXISTS
		(SELECT 1 FROM filings g WHERE g.message = f.message AND g.client = f.client
		AND g.project != '')),
	want AS (SELECT m.thread_id, k.client, k.project, sum(m.direction = 0),
		sum(m.direction = 1), min(m.date), max(m.date),
		sum((SELECT count(*) FROM attachments a WHERE a.message = m.id AND a.is_inline = 0))
		FROM k JOIN messages m ON m.id = k.message GROUP BY 1, 2, 3),
	have AS (SELECT thread_id, client, project, inbound, outbound, first, last, attachments
		FROM thread_stats)
	SELECT 'extra thread', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want)
	UNION ALL SELECT 'missing thread', * FROM (SELECT * FROM want EXCEPT SELECT * FROM have)
	UNION ALL SELECT 'dirty', thread_id, '', '', '', '', '', '', '' FROM stats_dirty"
	# ... and contacts (contact_stats): per client and address, its messages,
	# first and last dates, and the name of its latest row with one.
	q "WITH r AS (SELECT f.client, a.address, a.message, m.date, a.name, a.rowid AS row
		FROM filings f JOIN addresses a ON a.message = f.message
		JOIN messages m ON m.id = f.message WHERE f.project = ''),
	want AS (SELECT client, address, count(DISTINCT message), min(date), max(date),
		coalesce((SELECT x.name FROM r x WHERE x.client = r.client AND x.address = r.address
			AND x.name != '' ORDER BY x.date DESC, x.message DESC, x.row DESC LIMIT 1), '')
		FROM r GROUP BY client, address),
	have AS (SELECT client, address, messages, first, last, name FROM contact_stats)
	SELECT 'extra contact', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want)
	UNION ALL SELECT 'missing contact', * FROM (SELECT * FROM want EXCEPT SELECT * FROM have)
	UNION ALL SELECT 'pending', message, client, '', '', '', '' FROM contacts_pending
	UNION ALL SELECT 'dirty contact', client, address, '', '', '', '' FROM contacts_dirty"
	# ... and each thread's last message (thread_last): the first by
	# automated, then date and id descending, found here by a window.
	q "WITH want AS (SELECT thread_id, id, date, automated FROM (SELECT thread_id, id, date,
		automated, row_number() OVER (PARTITION BY thread_id ORDER BY automated, date DESC,
		id DESC) AS n FROM messages) WHERE n = 1),
	have AS (SELECT thread_id, message, date, automated FROM thread_last)
	SELECT 'extra last', * FROM (SELECT * FROM have EXCEPT SELECT * FROM want)
	UNION ALL SELECT 'missing last', * FROM (SELECT * FROM want EXCEPT SELECT * FROM have)"
}
# last MESSAGE-ID: the Message-ID of the last message of MESSAGE-ID's thread.
last() {
	q "SELECT x.message_id FROM messages m JOIN thread_last t ON t.thread_id = m.thread_id
		JOIN messages x ON x.id = t.message WHERE m.message_id = '$1'"
}
# reply DIR N PARENT DATE [HEADER]: a message stop-reply-N in DIR answering
# PARENT (a Message-ID), dated DATE, with HEADER.
reply() {
	printf 'From: Sender <s1@stop.example>\nTo: sam@studio.example\nSubject: Re: stop reply %s\nMessage-ID: <stop-reply-%s@stop.example>\nIn-Reply-To: <%s>\nReferences: <%s>\n%sDate: %s\n\nreply %s\n' \
		"$2" "$2" "$3" "$3" "${5:+$5
}" "$4" "$2" > "$1/cur/$(( 1800000000 + $2 )).M$2P2.host:2,S"
}
keys() { q "SELECT count(*) FROM filing_stats WHERE inbound + outbound > 0"; }

mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
mc ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
check_eq 'after an ingest: the aggregates are the recount' "$(recount)" ''
check_eq '... of every client, project and other mail' "$(keys)" 7
check_eq '... clients shows them' "$(mc clients --format=json | jq -c '[.[] | select(.client == "acme") | .messages_in, .messages_out, .threads]')" \
	"[$(q "SELECT sum(m.direction = 0), sum(m.direction = 1), count(DISTINCT m.thread_id) FROM filings f JOIN messages m ON m.id = f.message WHERE f.client = 'acme' AND f.project = ''" | tr '|' ',')]"

# Mail of a client in threads that merge: replies arrive before the mail
# they answer, in batches of 7, and the thread of the first reply takes in
# the others' when its parent comes.
mkdir -p "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp"
awk -v dir="$TMP/big/cur" 'BEGIN {
	for (i = 1; i <= 600; i++) {
		f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
		parent = i > 3 ? sprintf("References: <stop-%d@stop.example>\n", 601 - int(i / 3)) : ""
		printf "From: Sender %d <s%d@stop.example>\nTo: sam@studio.example\nSubject: stop test %d%s\nMessage-ID: <stop-%d@stop.example>\n%sDate: Mon, %02d Jan 2024 00:%02d:00 +0000\n\nmessage %d\n", i % 5, i % 5, i, i % 4 ? "" : " odd", 601 - i, parent, 1 + i % 28, i % 60, i > f
		close(f)
	}
}'
touch -d "2024-12-31 12:00" "$TMP/big/cur" "$TMP/big/new" "$TMP/big/tmp" "$TMP/big"
MAILCLERK_TEST_BATCH=7 mc ingest --maildir "$TMP/big" >/dev/null 2>&1
check_eq 'after threads merged over many batches: the recount' "$(recount)" ''
check 'threads did merge' test "$(q "SELECT count(DISTINCT thread_id) FROM messages m JOIN filings f ON f.message = m.id AND f.client = 'stop'")" -lt 300
# The same into another index in batches of 250, whose counts are written
# every 7 messages inside the transaction (MAILCLERK_TEST_COUNTS), as a real
# run's are every 5,000 of its 50,000: the recount, and what the counts held
# to each commit give.
held=$(q 'SELECT * FROM filing_stats ORDER BY 1, 2'; mc clients; mc contacts)
DB_HELD=$DB
DB="$TMP/counts.db"
mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
mc ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
MAILCLERK_TEST_BATCH=250 MAILCLERK_TEST_COUNTS=7 mc ingest --maildir "$TMP/big" >/dev/null 2>&1
check_eq 'counts written within batches: the recount' "$(recount)" ''
check_eq '... the numbers, clients and contacts of counts held to each commit' \
	"$(q 'SELECT * FROM filing_stats ORDER BY 1, 2'; mc clients; mc contacts)" "$held"
DB=$DB_HELD

# kill -9 after a commit, in the middle of an ingest.
rm -f "$DB" "$DB-wal" "$DB-shm"
mc ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1
MAILCLERK_TEST_BATCH=7 MAILCLERK_TEST_PAUSE="$TMP/paused" mc ingest --maildir "$TMP/big" >/dev/null 2>&1 &
pid=$!
wait_until test -e "$TMP/paused" || [ ! -e "$TMP/paused" ]
if [ -e "$TMP/paused" ]; then
	# The run is a child process: both die.
	kill -9 $(pgrep -P "$pid") "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	n=$(q 'SELECT count(*) FROM messages WHERE message_id LIKE "stop-%"')
	check 'kill -9 left part of the mail' test "$n" -gt 0 -a "$n" -lt 600
	check_eq '... and aggregates that are its recount' "$(recount)" ''
else
	wait "$pid"
	skip 'kill -9 in an ingest' 'no test hooks in this build (configure --disable-test-hooks)'
	skip 'kill -9 in an ingest' 'no test hooks in this build'
fi
mc ingest --maildir "$TMP/big" >/dev/null 2>&1
check_eq 'the next run finishes: the recount' "$(recount)" ''
check_eq '... and clients says what a clean run says' "$(mc clients)" \
	"$(MAILCLERK_TEST_BATCH=7 "$MAILCLERK" --config "$TMP/config" --db "$TMP/clean.db" ingest --maildir "$TMP/corpus/maildir" >/dev/null 2>&1;
	MAILCLERK_TEST_BATCH=7 "$MAILCLERK" --config "$TMP/config" --db "$TMP/clean.db" ingest --maildir "$TMP/big" >/dev/null 2>&1;
	"$MAILCLERK" --config "$TMP/config" --db "$TMP/clean.db" clients)"

# reclassify with another configuration: rules gone, a project and a
# client added.
sed -e 's/^match = subject:\/odd\//match = subject:\/test 1\//' -e '/^exclude/d' "$TMP/config" > "$TMP/config2"
printf '\n[client initech]\ndomains = initech.example\n' >> "$TMP/config2"
check_exit 'reclassify with another configuration: exit 0' 0 "$MAILCLERK" --config "$TMP/config2" --db "$DB" reclassify
check_eq 'after reclassify with another configuration: the recount' "$(recount)" ''
check_eq '... of the keys it has now' "$(q "SELECT count(*) FROM filing_stats WHERE client = 'initech' AND inbound + outbound > 0")" 2
check_eq '... with nothing left to count again' "$(q 'SELECT count(*) FROM stats_dirty')" 0

# reindex of messages whose files changed: another date, another sender.
f=$(ls "$TMP/big/cur" | head -1)
sed -i -e 's/^Date: .*/Date: Sun, 01 Jan 2023 00:00:00 +0000/' -e 's/^From: .*/From: Sam <sam@studio.example>/' "$TMP/big/cur/$f"
mc reindex >/dev/null 2>&1
check_eq 'after a reindex that changed a date and a direction: the recount' "$(recount)" ''
check_eq '... with the new first date' "$(q "SELECT date(first, 'unixepoch') FROM filing_stats WHERE client = 'stop' AND project = ''")" 2023-01-01

# Messages removed: the oldest and the newest of a client among them.
for m in $(q "SELECT substr(l.name, 1) FROM locations l JOIN messages m ON m.id = l.message JOIN filings f ON f.message = m.id AND f.client = 'stop' AND f.project = '' ORDER BY m.date LIMIT 40"); do
	rm -f "$TMP/big/cur/$m"*
done
rm -f "$TMP/big/cur/$(ls "$TMP/big/cur" | tail -1)"
mc ingest --maildir "$TMP/big" >/dev/null 2>&1
check_eq 'after messages left the index: the recount' "$(recount)" ''
check_eq '... no first or last date is left unknown' "$(q 'SELECT count(*) FROM filing_stats WHERE first IS NULL OR last IS NULL')" 0

# Replies to older threads in later runs: an automated one is no thread's
# last message, unless the thread has nothing else; a person's is, dated
# after the last, and not dated before it.
mkdir -p "$TMP/late/cur" "$TMP/late/new" "$TMP/late/tmp"
for n in 1 2 3 4; do
	reply "$TMP/late" $n "first-$n@stop.example" 'Sun, 01 Sep 2024 10:00:00 +0000'
done
mc ingest --maildir "$TMP/late" >/dev/null 2>&1
reply "$TMP/late" 11 stop-reply-1@stop.example 'Tue, 01 Oct 2024 10:00:00 +0000' 'Auto-Submitted: auto-replied'
reply "$TMP/late" 12 stop-reply-2@stop.example 'Tue, 01 Oct 2024 10:00:00 +0000'
reply "$TMP/late" 13 stop-reply-3@stop.example 'Mon, 01 Jan 2001 10:00:00 +0000'
reply "$TMP/late" 14 nobody@nowhere.example 'Tue, 01 Oct 2024 10:00:00 +0000' 'Auto-Submitted: auto-generated'
mc ingest --maildir "$TMP/late" >/dev/null 2>&1
check_eq 'replies to older threads: the recount' "$(recount)" ''
check_eq '... an automated reply is not the last' "$(last stop-reply-11@stop.example)" stop-reply-1@stop.example
check_eq "... a person's later reply is" "$(last stop-reply-2@stop.example)" stop-reply-12@stop.example
check_eq '... an earlier one is not' "$(last stop-reply-13@stop.example)" stop-reply-3@stop.example
check_eq '... a thread of automated mail alone has its own' "$(q "SELECT t.automated FROM thread_last t JOIN messages m ON m.id = t.message WHERE m.message_id = 'stop-reply-14@stop.example'")" 1

# Replies added to threads of earlier transactions (batches of 2, parents
# first): each adds to its thread's rows, one of them under a key the
# thread had no mail under (the project odd), one outbound, one with an
# attachment, one dated before the thread's first; and in one batch a
# reply adds to a thread that the next message then merges into another.
mkdir -p "$TMP/grow/cur" "$TMP/grow/new" "$TMP/grow/tmp"
grow() { # N FROM SUBJECT DATE HEADERS BODY
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <grow-%s@stop.example>\n%sDate: %s\n%s' \
		"$2" "$( [ "$2" = 'sam@studio.example' ] && echo 's1@stop.example' || echo 'sam@studio.example')" \
		"$3" "$1" "$5" "$4" "$6" > "$TMP/grow/cur/$(( 1900000000 + $1 )).M$1P3.host:2,S"
}
grow 1 s1@stop.example 'grow root' 'Mon, 02 Sep 2024 10:00:00 +0000' '' '
root
'
grow 2 s2@stop.example 'other root' 'Mon, 02 Sep 2024 11:00:00 +0000' '' '
other
'
grow 3 sam@studio.example 'Re: grow root' 'Tue, 03 Sep 2024 10:00:00 +0000' 'In-Reply-To: <grow-1@stop.example>
' '
outbound
'
grow 4 s1@stop.example 'Re: grow root odd' 'Wed, 04 Sep 2024 10:00:00 +0000' 'In-Reply-To: <grow-3@stop.example>
' '
into the project
'
grow 5 s1@stop.example 'Re: grow root' 'Thu, 05 Sep 2024 10:00:00 +0000' 'In-Reply-To: <grow-4@stop.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"
' '
--b
Content-Type: text/plain

with a file
--b
Content-Type: application/pdf
Content-Disposition: attachment; filename="plan.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--b--
'
grow 6 s2@stop.example 'Re: grow root' 'Sun, 01 Sep 2024 10:00:00 +0000' 'In-Reply-To: <grow-1@stop.example>
' '
dated before the root
'
grow 7 s2@stop.example 'Re: other root' 'Fri, 06 Sep 2024 10:00:00 +0000' 'In-Reply-To: <grow-2@stop.example>
' '
adds to the other thread
'
grow 8 s1@stop.example 'Re: both' 'Sat, 07 Sep 2024 10:00:00 +0000' 'References: <grow-1@stop.example> <grow-7@stop.example>
' '
merges them
'
touch -d "2024-12-31 12:00" "$TMP/grow/cur" "$TMP/grow/new" "$TMP/grow/tmp" "$TMP/grow"
thread_of() { q "SELECT thread_id FROM messages WHERE message_id = 'grow-$1@stop.example'"; }
MAILCLERK_TEST_BATCH=2 mc ingest --maildir "$TMP/grow" >/dev/null 2>&1
check_eq 'replies to threads of earlier batches: the recount' "$(recount)" ''
check_eq '... the threads merged' "$(thread_of 2)" "$(thread_of 1)"
check_eq "... the thread's share of the client: 7 in, 1 out, 1 attachment, from the earliest reply" \
	"$(q "SELECT inbound, outbound, attachments, date(first, 'unixepoch'), date(last, 'unixepoch') FROM thread_stats WHERE thread_id = $(thread_of 1) AND client = 'stop' AND project = ''")" \
	'7|1|1|2024-09-01|2024-09-07'
check_eq '... and of the project, from the reply that brought it' \
	"$(q "SELECT inbound, outbound, date(first, 'unixepoch') FROM thread_stats WHERE thread_id = $(thread_of 1) AND client = 'stop' AND project = 'odd'")" \
	'1|0|2024-09-04'
check_eq '... clients counts the merged thread once' \
	"$(mc clients --format=json | jq -c '.[] | select(.client == "stop") | .threads')" \
	"$(q "SELECT count(DISTINCT m.thread_id) FROM filings f JOIN messages m ON m.id = f.message WHERE f.client = 'stop' AND f.project = ''")"

# A reply ingested with a configuration without clients (no filing rules)
# still becomes its thread's last message.
printf '[mailclerk]\nme = sam@studio.example\n' > "$TMP/noclients"
reply "$TMP/late" 15 stop-reply-4@stop.example 'Wed, 02 Oct 2024 10:00:00 +0000'
"$MAILCLERK" --config "$TMP/noclients" --db "$DB" ingest --maildir "$TMP/late" >/dev/null 2>&1
check_eq 'a reply ingested without clients: the recount' "$(recount)" ''
check_eq "... it is its thread's last" "$(last stop-reply-4@stop.example)" stop-reply-15@stop.example

# reclassify that changes automated marks and no filing: each thread's last
# message is found again all the same.
mc reclassify >/dev/null 2>&1
sed '/^\[mailclerk\]/a automated = s1@stop.example' "$TMP/config" > "$TMP/config3"
flips=$(q "SELECT count(*) FROM messages WHERE from_addr = 's1@stop.example' AND automated = 0")
check_eq 'reclassify that marks mail automated and files as before' \
	"$("$MAILCLERK" --config "$TMP/config3" --db "$DB" reclassify 2>&1 | sed -n 's/.*(\([0-9]* added, [0-9]* removed\)).* automated (\([0-9]*\) changed).*/\1, \2/p')" "0 added, 0 removed, $flips"
check_eq '... the recount' "$(recount)" ''
check_eq "... a thread of mail now all automated keeps its last, marked so" \
	"$(q "SELECT t.automated FROM thread_last t JOIN messages m ON m.id = t.message WHERE m.message_id = 'stop-reply-12@stop.example'")" 1
mc reclassify >/dev/null 2>&1

# reclassify after another address became the user's: the mail it sent is
# outbound now (as a fresh ingest would count it), and the numbers follow
# (its filings change too: domain rules look only at the other party).
sed 's/^me = .*/me = sam@studio.example, S2@Stop.Example/' "$TMP/config" > "$TMP/config4"
sent=$(q "SELECT count(*) FROM messages WHERE from_addr = 's2@stop.example'")
check 'mail from the address to be the user' test "$sent" -gt 0
check_eq 'reclassify after me changed: the directions it changed' \
	"$("$MAILCLERK" --config "$TMP/config4" --db "$DB" reclassify 2>&1 | sed -n 's/.* outbound (\([0-9]*\) changed).*/\1/p')" "$sent"
check_eq '... the recount' "$(recount)" ''
check_eq '... all its mail is outbound' "$(q "SELECT count(*) FROM messages WHERE from_addr = 's2@stop.example' AND direction = 1")" "$sent"
check_eq '... and clients counts it so' \
	"$("$MAILCLERK" --config "$TMP/config4" --db "$DB" clients --format=json | jq -c '.[] | select(.client == "stop") | .messages_out')" \
	"$(q "SELECT count(*) FROM filings f JOIN messages m ON m.id = f.message WHERE f.client = 'stop' AND f.project = '' AND m.from_addr IN ('sam@studio.example', 's2@stop.example')")"
mc reclassify >/dev/null 2>&1
check_eq '... and back: none of its mail is' "$(q "SELECT count(*) FROM messages WHERE from_addr = 's2@stop.example' AND direction = 1")" 0

# What `followups` starts from is what it started from before thread_last:
# the messages no message of their thread that is not automated comes after.
check_eq 'the threads followups starts from are those it did' \
	"$(q "SELECT message FROM thread_last WHERE automated = 0 ORDER BY message")" \
	"$(q "SELECT m.id FROM messages m WHERE m.automated = 0 AND NOT EXISTS (SELECT 1 FROM
		messages x WHERE x.thread_id = m.thread_id AND x.date >= m.date AND x.automated = 0
		AND (x.date > m.date OR x.id > m.id)) ORDER BY m.id")"
rm -f "$TMP/clean.db"*
mkdir -p "$TMP/empty/cur" "$TMP/empty/new" "$TMP/empty/tmp"
"$MAILCLERK" --config "$TMP/config" --db "$TMP/clean.db" ingest --maildir "$TMP/empty" >/dev/null 2>&1

# An index of version 15: migration finds every thread's last message.
q "$(before_16) PRAGMA user_version = 15;"
mc clients >/dev/null
check_eq 'migration from version 15: the version of a new index' "$(q 'PRAGMA user_version')" "$(sqlite3 "$TMP/clean.db" 'PRAGMA user_version')"
check_eq '... last messages that are the recount' "$(recount)" ''

# An index of version 13: migration fills the aggregates.
q "$(before_14) PRAGMA user_version = 13;"
mc clients >/dev/null
check_eq 'migration from version 13: the version of a new index' "$(q 'PRAGMA user_version')" "$(sqlite3 "$TMP/clean.db" 'PRAGMA user_version')"
check_eq '... aggregates that are the recount' "$(recount)" ''

# Filing by thread follows what leaves, as a fresh ingest of the same mail
# files it: a reply from an address of no client (inh-b) between mail of
# two clients loses the filing (client, or client and project) of the one
# whose mail left, and its contacts and the thread's numbers follow.
mkdir -p "$TMP/inh/cur" "$TMP/inh/new" "$TMP/inh/tmp"
inh() { # NAME FROM PARENT
	printf 'From: %s\nTo: sam@studio.example\nSubject: Re: inherited\nMessage-ID: <inh-%s@x.example>\n%sDate: Mon, 02 Dec 2024 1%s:00:00 +0000\n\ninherited %s\n' \
		"$2" "$1" "${3:+In-Reply-To: <inh-$3@x.example>
}" "$(printf %s "$1" | tr abcd 1234)" "$1" > "$TMP/inh/cur/inh-$1:2,S"
}
# filed [DB]: what the inh- mail is filed under, and by which rule.
filed() {
	sqlite3 "${1:-$DB}" "SELECT m.message_id, f.client, f.project, f.rule FROM filings f
		JOIN messages m ON m.id = f.message WHERE m.message_id LIKE 'inh-%' ORDER BY 1, 2, 3"
}
# fresh N: the same, after the mail as it is now is ingested into a new index.
fresh() {
	"$MAILCLERK" --config "$TMP/config" --db "$TMP/fresh-$1.db" ingest --maildir "$TMP/inh" >/dev/null 2>&1
	filed "$TMP/fresh-$1.db"
}
inh a ann@acme.example ''
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
inh b zed@other.example a
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
inh c gil@globex.example b
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
check_eq 'a reply between mail of two clients inherits both' "$(filed | grep inh-b)" 'inh-b@x.example|acme||thread
inh-b@x.example|globex||thread'
rm "$TMP/inh/cur/inh-a:2,S"
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
check_eq '... and keeps only the other once the mail of one left' "$(filed)" 'inh-b@x.example|globex||thread
inh-c@x.example|globex||domain globex.example'
check_eq '... as a fresh ingest files it' "$(filed)" "$(fresh 1)"
check_eq '... the recount' "$(recount)" ''
check_eq '... its sender is no contact of the client it left' \
	"$(q "SELECT count(*) FROM contact_stats WHERE client = 'acme' AND address = 'zed@other.example'")" 0
# A project's mail at the end of the thread, then gone again.
printf 'From: zed@other.example\nTo: sam@studio.example\nSubject: [ACME-12] plan\nMessage-ID: <inh-e@x.example>\nIn-Reply-To: <inh-c@x.example>\nDate: Mon, 02 Dec 2024 15:00:00 +0000\n\ninherited e\n' > "$TMP/inh/cur/inh-e:2,S"
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
check_eq 'a project filed by subject gives the reply its client and project' "$(filed | grep inh-b)" 'inh-b@x.example|acme||thread
inh-b@x.example|acme|website|thread
inh-b@x.example|globex||thread'
rm "$TMP/inh/cur/inh-e:2,S"
mc ingest --maildir "$TMP/inh" >/dev/null 2>&1
check_eq '... which it loses with that mail' "$(filed)" "$(fresh 2)"
check_eq '... the recount' "$(recount)" ''
check_eq "... the thread's numbers are globex's alone" \
	"$(q "SELECT client, project, inbound FROM thread_stats WHERE thread_id = (SELECT thread_id FROM messages WHERE message_id = 'inh-b@x.example')")" \
	'globex||2
globex|/|2'
