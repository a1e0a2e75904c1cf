#!/bin/sh
# mailclerk attachments: the attachments of the messages a query matches.
. "$top_srcdir/tests/lib.sh"
plan 18

cp "$top_srcdir/contrib/demo/config" "$TMP/config"
mc ingest --maildir "$CORPUS/maildir" --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
mc ingest --file "$CORPUS"/eml/*.eml >/dev/null 2>&1

check_eq 'every attachment, newest first: date, filed under, sender, name, type, size, hash' "$(mc attachments)" \
"2024-04-10  -                Eve Santos           budget.csv  text/csv  76 bytes  3fad1754
2024-03-20  acme/website     Lena Fischer         € rates.pdf  application/pdf  1.5 kB  2b358227
2024-03-20  acme/website     Lena Fischer         Schöne Grüße aus München_final.txt  text/plain  58 bytes  47624d4c
2024-02-29  acme/website     Lena Fischer         sitemap-signed.pdf  application/pdf  1.1 kB  68c329ba
2024-02-12  acme/website     Carol Nguyen         meeting-notes.txt  text/plain  144 bytes  3fd8f0e8
2023-12-04  acme             Bob Martin           invite.ics  application/ics  427 bytes  1f5726de
2023-03-08  globex           Dana Whitfield       SOW-Globex-2023.pdf  application/pdf  3.3 kB  7d2a6c46"
check_eq 'a query picks the messages' "$(mc attachments client:globex --format=json | jq -r '.[].filename')" SOW-Globex-2023.pdf
check_eq 'inline parts (a logo with a Content-ID) only with --include-inline' \
	"$(mc attachments --include-inline --format=json | jq -c '[length, ([.[] | select(.inline) | .filename])]')" '[8,["acme-logo.png"]]'
j=$(mc attachments --format=json type:pdf)
check_eq 'json: the message and the part' "$(printf '%s' "$j" | jq -c '.[] | select(.filename == "SOW-Globex-2023.pdf") | [.message_id, .date, .from, .clients, .projects, .mime_type, .size]')" \
	'["CAGlobex.sow.20230308@mail.globex.example","2023-03-08T19:22:00Z",{"name":"Dana Whitfield","address":"dana@globex.example"},["globex"],[],"application/pdf",3347]'
check_eq 'json: a project filing names client and project' "$(printf '%s' "$j" | jq -c '[.[] | select(.filename == "€ rates.pdf") | .clients, .projects]')" '[["acme"],["acme/website"]]'
# The hash and size are of the decoded bytes: decode the part independently.
want=$(python3 - "$CORPUS/maildir/.Archive.2023/cur/1678303320.M123P3023.studio,S=5252,W=5337:2,S" <<'PY'
import email, email.policy, hashlib, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for part in msg.walk():
    if part.get_filename() == "SOW-Globex-2023.pdf":
        data = part.get_payload(decode=True)
        print(hashlib.sha256(data).hexdigest(), len(data))
PY
)
check_eq 'sha256 and size are those of the decoded file' "$(printf '%s' "$j" | jq -r '.[] | select(.filename == "SOW-Globex-2023.pdf") | "\(.sha256) \(.size)"')" "$want"
check_eq 'no attachments: no output, exit 0' "$(mc attachments from:nobody@nowhere.example; echo "rc=$?")" "rc=0"
check_eq 'json of nothing is []' "$(mc attachments --format=json from:nobody@nowhere.example)" "[]"
check_eq 'attachments prints text or json' "$(mc attachments --format=files 2>&1)" "mailclerk: attachments prints text or json, not 'files'"
check_exit 'a bad query exits 2' 2 mc attachments 'date:nonsense'
check_eq 'the text listing marks what is no attachment by the rule with --include-inline' \
	"$(mc attachments --include-inline | grep -c '  inline$')|$(mc attachments --include-inline | grep '  inline$' | grep -c 'acme-logo.png')" '1|1'
# A limit counts attachments, newest first; what it leaves out is said on
# stderr, so that the listing stays what scripts read.
check_eq '--limit 2: the two newest, two of one message cut after the first' \
	"$(mc attachments --limit 2 2>/dev/null)" \
"2024-04-10  -                Eve Santos           budget.csv  text/csv  76 bytes  3fad1754
2024-03-20  acme/website     Lena Fischer         € rates.pdf  application/pdf  1.5 kB  2b358227"
check_eq '... and says so on stderr' "$(mc attachments --limit 2 2>&1 >/dev/null)" \
	'mailclerk: the 2 newest attachments; all of them with --limit=0'
check_eq 'a limit of as many as there are: all, nothing said' \
	"$(mc attachments --limit 7 2>&1 | wc -l | tr -d ' ')" 7
check_eq '--limit 0: all of them' "$(mc attachments --limit 0 2>&1 | wc -l | tr -d ' ')" 7
check_eq 'an OR of the query is the whole query' \
	"$(mc attachments --format=json 'client:globex OR from:eve' | jq -r '.[].filename' | tr '\n' ' ')" \
	'budget.csv SOW-Globex-2023.pdf '
check_eq '--include-inline counts inline parts too' \
	"$(mc attachments --include-inline --limit 8 --format=json 2>&1 | jq -c '[length, ([.[] | select(.inline) | .filename])]')" '[8,["acme-logo.png"]]'
check_eq '--limit below 0: a usage error' "$(mc attachments --limit -1 2>&1; echo "rc=$?")" \
	'mailclerk: --limit: a number of attachments, 0 for all
rc=2'
