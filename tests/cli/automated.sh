#!/bin/sh
# Automated mail: each signal recognised at ingest, the automated and people
# lists of the config, is:automated, the JSON field, explain, reclassify.
. "$top_srcdir/tests/lib.sh"
plan 37

# One message per signal, near misses, and senders the config corrects.
MD="$TMP/mail"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
n=0
# msg NAME FROM HEADERS [BODY]: a message <NAME@test.example>; HEADERS are
# extra header lines (printf escapes), BODY its Content-Type line and text.
msg() {
	n=$((n + 1))
	{
		printf 'From: %s\nTo: sam@studio.example\nSubject: %s\n' "$2" "$1"
		printf 'Date: Mon, 03 Jun 2024 07:%02d:00 +0000\nMessage-ID: <%s@test.example>\n' "$n" "$1"
		printf "$3"
		printf 'MIME-Version: 1.0\n'
		printf "${4:-Content-Type: text/plain\n\nHello.\n}"
	} > "$MD/cur/1717398$(printf %03d $n).M$n.host:2,S"
}
msg list-id 'Globex News <news@globex.example>' 'List-Id: Globex news <news.globex.example>\n'
msg list-unsubscribe 'offers@shop.example' 'List-Unsubscribe: <https://shop.example/u/1>\n'
msg list-post 'carol@lists.example' 'List-Post: <mailto:team@lists.example>\n'
msg precedence 'dave@lists.example' 'Precedence: Bulk\n'
msg auto-submitted 'Dana <dana@initech.example>' 'Auto-Submitted: auto-replied; owner=dana\n'
msg x-autoreply 'eve@initech.example' 'X-Autoreply: yes\n'
msg x-autorespond 'frank@initech.example' 'X-Autorespond: Out of office\n'
msg report 'Mail Delivery System <mta@mx.example>' '' 'Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nUndeliverable.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n--b--\n'
msg return-path 'grace@example.org' 'Return-Path: < >\n'
msg machine 'Portal <NoReply@portal.example>' ''
# Near misses: no signal.
msg submitted-no 'ann@acme.example' 'Auto-Submitted: no\n'
msg first-class 'ann@acme.example' 'Precedence: first-class\n'
msg return-address 'ann@acme.example' 'Return-Path: <ann@acme.example>\n'
msg mixed 'ann@acme.example' '' 'Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nSee the report.\n--m\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nFailed.\n--b--\n--m--\n'
# The config decides.
msg people-bulk 'Bob <bob@globex.example>' 'Precedence: bulk\n'
msg people-domain 'noreply@friends.example' ''
msg config-domain 'help@support.tickets.example' ''
msg config-address 'billing@initech.example' ''
msg not-subdomain 'ann@notickets.example' ''

cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example
automated = @tickets.example; billing@initech.example
people = bob@globex.example, @friends.example
EOC
mc ingest --maildir "$MD" >/dev/null 2>&1
check_eq 'every message indexed' "$(mc count '*')" 19
check_eq 'is:automated: ten signals and two config entries' "$(mc count is:automated)" 12
check_eq 'NOT is:automated: the rest' "$(mc count NOT is:automated) $(mc count -- -is:automated) $(mc count '* -is:automated')" "7 7 7"
check_eq 'is:automated finds each signal and config entry' "$(mids is:automated)" "auto-submitted@test.example
config-address@test.example
config-domain@test.example
list-id@test.example
list-post@test.example
list-unsubscribe@test.example
machine@test.example
precedence@test.example
report@test.example
return-path@test.example
x-autoreply@test.example
x-autorespond@test.example"
check_eq 'is:automated combines with other terms' "$(mc count is:automated from:@initech.example) $(mc count 'is:automated OR from:ann@acme.example')" "4 16"
check_eq 'is:AUTOMATED in any case' "$(mc count is:AUTOMATED)" 12
check_eq 'an unknown is: value is still an error' "$(mc count is:robot 2>&1; echo "rc=$?")" "mailclerk: unknown value 'robot' for is: at column 1
rc=2"

check_eq 'search JSON: "automated" for every message' "$(mc search --format=json 'from:@initech.example OR from:@acme.example' | jq -c '[.[] | [(.message_id | sub("@test.example"; "")), .automated]] | sort')" \
	'[["auto-submitted",true],["config-address",true],["first-class",false],["mixed",false],["return-address",false],["submitted-no",false],["x-autoreply",true],["x-autorespond",true]]'
check_eq 'show JSON: "automated" too' "$(mc show --format=json id:list-id@test.example | jq .automated) $(mc show --format=json id:mixed@test.example | jq .automated)" "true false"

ex() { mc explain "id:$1@test.example" | tail -n 1; }
check_eq 'explain: List-Id' "$(ex list-id)" "automated: List-Id: Globex news <news.globex.example>"
check_eq 'explain: List-Unsubscribe' "$(ex list-unsubscribe)" "automated: List-Unsubscribe: <https://shop.example/u/1>"
check_eq 'explain: List-Post' "$(ex list-post)" "automated: List-Post: <mailto:team@lists.example>"
check_eq 'explain: Precedence, lower-cased' "$(ex precedence)" "automated: Precedence: bulk"
check_eq 'explain: Auto-Submitted, without its parameters' "$(ex auto-submitted)" "automated: Auto-Submitted: auto-replied"
check_eq 'explain: X-Autoreply and X-Autorespond' "$(ex x-autoreply) / $(ex x-autorespond)" "automated: X-Autoreply: yes / automated: X-Autorespond: Out of office"
check_eq 'explain: a delivery report' "$(ex report)" "automated: multipart/report (delivery-status)"
check_eq 'explain: the null Return-Path' "$(ex return-path)" "automated: Return-Path: <>"
check_eq 'explain: a machine sender' "$(ex machine)" "automated: machine sender noreply@portal.example"
check_eq 'explain: near misses are not automated' "$(ex submitted-no) / $(ex first-class) / $(ex return-address) / $(ex mixed)" \
	"not automated / not automated / not automated / not automated"
check_eq 'explain: a person by address, the signal ignored' "$(ex people-bulk)" "a person: config people = bob@globex.example (signal ignored: Precedence: bulk)"
check_eq 'explain: a person by domain' "$(ex people-domain)" "a person: config people = @friends.example (signal ignored: machine sender noreply@friends.example)"
check_eq 'explain: automated by a domain, which takes its subdomains' "$(ex config-domain)" "automated: config automated = @tickets.example"
check_eq 'explain: automated by an address' "$(ex config-address)" "automated: config automated = billing@initech.example"
check_eq '... but not a domain that only ends like it' "$(ex not-subdomain)" "not automated"
check_eq 'explain --format=json' "$(mc explain --format=json id:people-bulk@test.example | jq -c .automated)" \
	'{"automated":false,"reason":"a person: config people = bob@globex.example (signal ignored: Precedence: bulk)","signal":"Precedence: bulk","config":"people = bob@globex.example","reclassify_needed":false}'

# Changing the lists takes effect with reclassify; explain says so until then.
cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example
automated = @tickets.example
people = bob@globex.example, @friends.example, news@globex.example
EOC
check_eq 'a changed config: is:automated keeps what the index says' "$(mc count is:automated)" 12
check_eq '... and explain says reclassify will change it' "$(ex list-id)" "a person: config people = news@globex.example (signal ignored: List-Id: Globex news <news.globex.example>) (not yet in the index: run mailclerk reclassify)"
check_eq '... also in JSON' "$(mc explain --format=json id:config-address@test.example | jq -c '.automated | [.automated, .reason, .reclassify_needed]')" \
	'[true,"not automated",true]'
check_eq 'reclassify counts the marks it changed' "$(mc reclassify | sed 's/, in .*//')" "reclassify: 19 messages, 0 filings (0 added, 0 removed), 10 automated (2 changed), 0 outbound (0 changed)"
check_eq '... and is:automated follows' "$(mc count is:automated) $(mc count -- -is:automated)" "10 9"
check_eq '... and explain agrees' "$(ex list-id) / $(ex config-address)" "a person: config people = news@globex.example (signal ignored: List-Id: Globex news <news.globex.example>) / not automated"

# Bad entries are config errors: exit 2, file:line and key, nothing written.
bad() { printf '%s\n' "$@" > "$TMP/bad"; "$MAILCLERK" --config "$TMP/bad" --db "$TMP/bad.db" ingest --maildir "$MD" 2>&1; echo "rc=$?"; }
check_eq 'a bad address in people' "$(bad '[mailclerk]' 'me = sam@studio.example' 'people = bob@globex.example; bob@')" \
	"mailclerk: $TMP/bad:3: [mailclerk]: key 'people': 'bob@' is neither an e-mail address nor @DOMAIN
rc=2"
check_eq 'a domain without its @' "$(bad '[mailclerk]' 'automated = globex.example')" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'automated': 'globex.example' is neither an e-mail address nor @DOMAIN
rc=2"
check_eq 'an @ without a domain' "$(bad '[mailclerk]' '' 'automated = @tickets.example, @localhost')" \
	"mailclerk: $TMP/bad:3: [mailclerk]: key 'automated': '@localhost' is not @ followed by a domain
rc=2"
check 'and nothing was written' test ! -e "$TMP/bad.db"

# The sample corpus: its newsletter and its mailing-list digest are automated.
cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example
EOC
DB="$TMP/corpus.db"
mc ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1
mc ingest --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
check_eq 'the corpus: the newsletter and the list digest' "$(mc search --format=json is:automated | jq -r '.[].subject')" "Globex quarterly update, June 2024
[freelancers] Digest, Vol 12, Issue 7"
check_eq '... the newsletter by its List-Unsubscribe' "$(mc explain id:newsletter.2024-06.4411@news.globex.example | tail -n 1)" \
	"automated: List-Unsubscribe: <https://news.globex.example/u/8f3a>"
