#!/bin/sh
# The query language over the sample corpus: fields, operators, dates, sorting, errors.
. "$top_srcdir/tests/lib.sh"
plan 76
printf '[mailclerk]\nme = sam@studio.example\n' > "$TMP/config"
mc ingest --maildir "$CORPUS/maildir" --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1

c() { mc count "$@"; }
check_eq 'from: an exact address' "$(c from:bob@acme.example)" 4
check_eq 'from: is case-insensitive' "$(c from:BOB@ACME.EXAMPLE)" 4
check_eq 'from:@domain' "$(c from:@acme.example)" 9
check_eq 'from:@domain takes subdomains' "$(c from:@studio.example)" 4
check_eq 'from: a name word' "$(c from:Lena)" 2
check_eq 'to: an address' "$(mids to:dana@globex.example)" 65e58e10.9c2d@studio.example
check_eq 'cc: an address' "$(c cc:carol@acme.example)" 3
check_eq 'address: any role' "$(c address:dana@globex.example)" 3
check_eq 'is:outbound (From is a me address)' "$(c is:outbound)" 3
check_eq 'is:inbound' "$(c is:inbound)" 30
# Flags, from maildir file names (":2,RS") and mbox Status/X-Status;
# takeout.mbox has none, and its X-Gmail-Labels lack Unread: read.
check_eq 'is:read: a copy has S (or a Takeout message is not labelled Unread)' "$(c is:read)" 29
check_eq 'is:unread: maildir and mbox copies, none with S (new/, an empty ":2,")' "$(mids is:unread | tr '\n' ' ')" \
	'000801db0371$4a2b1c90$de7155b0$@umbrella.example CAF=mike.0702@mail.northwind.example newsletter.2024-06.4411@news.globex.example sha256:cd525144f08b744e7e74419aea9b53701632e61e13343aa67d65f199712bd527 '
check_eq 'the Takeout messages (no Status, labels without Unread) are read; none is neither' "$(c NOT is:read AND NOT is:unread) $(c is:read folder:takeout.mbox)" "0 4"
check_eq 'is:flagged, is:replied, is:draft, is:trashed, is:passed' "$(c is:flagged) $(c is:replied) $(c is:draft) $(c is:trashed) $(c is:passed)" "1 5 0 0 0"
check_eq 'JSON "flags": the flags of any copy, by name' "$(mc search --format=json 'is:flagged OR id:20231231223000.GA4411@bergmann.example' | jq -c '[.[] | .flags]')" '[["flagged","seen"],["replied","seen"]]'
check_eq 'subject: a word' "$(c subject:ACME-12)" 9
check_eq 'subject: a phrase' "$(c 'subject:"website relaunch"')" 4
check_eq 'body: the body only (kickoff is in subjects)' "$(c body:kickoff) $(c kickoff)" "0 4"
check_eq 'a bare word in the body' "$(mids zanthropy)" '000801db0371$4a2b1c90$de7155b0$@umbrella.example'
check_eq 'implicit AND' "$(c zorbleflux relaunch)" 1
check_eq 'AND with nothing in common' "$(c zorbleflux AND zanthropy)" 0
check_eq 'OR' "$(c zorbleflux OR zanthropy)" 2
check_eq 'NOT' "$(c 'from:@acme.example NOT subject:ACME-12')" 1
check_eq 'a leading -' "$(c 'from:@acme.example -subject:ACME-12')" 1
check_eq 'parentheses' "$(c '(zorbleflux OR zanthropy) from:@umbrella.example')" 1
check_eq 'precedence: AND binds tighter than OR' "$(c 'zorbleflux OR zanthropy from:@acme.example')" 1
check_eq 'a prefix*' "$(c 'zorble*')" 1
check_eq 'a quoted phrase' "$(c '"new logo in the footer"')" 1
check_eq 'diacritics are folded: cafe finds café' "$(c cafe)" "$(c café)"
check_eq 'has:attachment' "$(c has:attachment)" 5
check_eq 'type:pdf' "$(c type:pdf)" 3
check_eq 'attachment: a file name word' "$(c attachment:meeting-notes)" 1
check_eq 'folder:' "$(c folder:Sent)" 2
check_eq 'id:<...> with brackets' "$(c 'id:<zorbleflux-none@x>')" 0
check_eq 'id: a Message-ID' "$(c id:20240205090000.kickoff@acme.example)" 1
t=$(mc search --format=json zorbleflux | jq .[0].thread)
check_eq 'thread:N' "$(c "thread:$t")" 4
check_eq 'date:YYYY' "$(c date:2023)" 10
check_eq 'date:YYYY-MM' "$(c date:2024-02)" 8
check_eq 'date:A..B' "$(c date:2024-02-05..2024-02-06)" 3
check_eq 'date:3m..today with a fixed now' "$(MAILCLERK_NOW=2024-11-01 mc count date:3m..today)" 3
check_eq 'MAILCLERK_NOW as epoch seconds' "$(MAILCLERK_NOW=1730419200 mc count date:3m..today)" 3
check_eq 'sort=oldest' "$(mc search --format=json --sort=oldest 'subject:"relaunch kickoff"' | jq -r '.[0].message_id')" 20240205090000.kickoff@acme.example
check_eq 'limit and offset' "$(mc search --format=json --sort=oldest --limit=1 --offset=1 'subject:"relaunch kickoff"' | jq -r '.[].message_id')" 65c0e8a0.5a3b@studio.example
# Words alone are sorted from the date map, anything else by SQL: the same order.
order() { mc search --format=json "$@" | jq -r '[.[].message_id] | join(" ")'; }
check_eq 'words alone sort newest first like any query' "$(order acme)" "$(order 'acme date:1990..')"
check_eq '... and oldest first' "$(order --sort=oldest acme)" "$(order --sort=oldest 'acme date:1990..')"
check_eq '... with limit and offset' "$(order --limit=3 --offset=2 acme)" "$(order --limit=3 --offset=2 'acme date:1990..')"
check_eq 'a negative --limit is refused, not read as all' "$(mc search --limit=-1 acme 2>&1; echo "exit $?")" "$(printf 'mailclerk: --limit must not be negative (leave it out for all)\nexit 2')"
check_eq '... by links too' "$(mc links --limit=-5 "$TMP/neg-links" acme 2>&1; echo "exit $?")" "$(printf 'mailclerk: --limit must not be negative (leave it out for all)\nexit 2')"
check 'a snippet shows the matched word' sh -c 'printf "%s" "$1" | grep -q drazzlemop' - "$(mc search --format=json drazzlemop | jq -r '.[0].snippet')"
check_eq 'a snippet around a Chinese word' "$(mc search --format=json 报价单 | jq -r '.[0].snippet')" "$(printf '…请查看我们的报价单。\n如有问题请随时…')"
# A text line is read from the message row and its attachments alone
# (load_message_summary()): every field it shows, checked (the id column
# depends on ingest order; the date is UTC here).
check_eq 'a text line: date, direction, sender, subject, [📎], the snippet under it' "$(TZ=UTC mc search 'gorbashank OR drazzlemop' | sed 's/^[0-9][0-9]* *//')" "$(printf '%s\n' '2024-05-21 06:30  ← François Lefèvre  Réunion café à 15h' '       Bonjour Sam,  On se retrouve au café en bas à 15h pour parler du drazzlemop ? J…' '2023-03-08 19:22  ← Dana Whitfield  Signed SOW attached  [📎]' '       Hi Sam,  Attached is the signed statement of work for the gorbashank rebrand.  Dana')"
check_eq '... no [📎] for a logo the HTML shows inline: no file is attached' "$(TZ=UTC mc search --limit 1 klatchmoor | sed -n '1s/^[0-9][0-9]* *//p')" '2024-02-20 09:30  ← Bob Martin  [ACME-12] New logo in the footer'
check_eq '... and an outgoing one, with the start of the body when no word matched' "$(TZ=UTC mc search --limit 1 'from:sam@studio.example' | sed 's/^[0-9][0-9]* *//')" "$(printf '%s\n' '2024-05-06 08:00  → Sam Carter  Re: Summer catalogue' '       Tom, the xylofrunge layout is ready for review. Proofs on Thursday.  Sam')"
# "-word" is NOT word, but first on the command line it reads as an option:
# refused with the way to write it, and after "--" it is the query.
check_eq 'a query starting with - is refused, saying to put it after --' \
	"$(mc count -drazzlemop 2>&1; echo "rc=$?")" \
	"mailclerk count: Unknown option -drazzlemop; a query with a word that starts with '-' goes after '--' (see 'mailclerk count --help')
rc=2"
check_eq '... and after -- it is the query' "$(mc count -- -drazzlemop)" "$(($(c '*') - $(c drazzlemop)))"
check_eq '... the hint for a later word too' "$(mc count invoice -drazzlemop 2>&1 | sed 's/.*; //')" \
	"a query with a word that starts with '-' goes after '--' (see 'mailclerk count --help')"
check_eq 'a query of nothing to search for (a lone -) is refused, not every message' \
	"$(mc count -- - 2>&1; echo "rc=$?")" "mailclerk: no word to search for ('*' is every message) at column 1
rc=2"
mc links -- "$TMP/dash-links" -- -drazzlemop >/dev/null 2>&1
check_eq 'links -- DIR QUERY: DIR is the Maildir' "$(ls "$TMP/dash-links/cur" | wc -l)" "$(($(c '*') - $(c drazzlemop)))"
err=$(mc search 'frm:bob' 2>&1)
check_eq 'an unknown field exits 2' "$?" 2
check_eq '... naming the token, its column and the nearest field' "$err" "mailclerk: unknown field 'frm' at column 1 — did you mean 'from'?"
check_exit 'user text never reaches SQL' 0 mc search "'; DROP TABLE messages; --"

# folder: in any ASCII case (IMAP's INBOX is case-insensitive), with its
# subfolder and prefix forms.
check_eq 'folder: in any case' "$(c folder:inbox) $(c folder:Inbox) $(c folder:INBOX) $(c folder:sent)" "15 15 15 2"
check_eq '... also folder:NAME/* and folder:NA*' "$(c 'folder:projects/*') $(c 'folder:ARCHIVE/*') $(c 'folder:archive*') $(c folder:TAKEOUT.MBOX)" "6 7 7 4"

# type: a MIME type, a top-level type or a known extension; nothing else.
check_eq 'type: a MIME type, in any case' "$(c type:application/pdf) $(c type:APPLICATION/PDF) $(c type:text/plain) $(c type:image/jpeg)" "3 3 2 0"
# type: asks about attachments: acme-logo.png, the one image, is shown by its
# HTML (cid:) and so none.
check_eq 'type: a top-level type, alone or with /*' "$(c type:text) $(c 'type:text/*') $(c type:image) $(c 'type:image/*')" "3 3 0 0"
check_eq 'type: a known extension' "$(c type:PDF) $(c type:txt) $(c type:csv) $(c type:png) $(c type:docx) $(c type:xlsx)" "3 2 1 0 0 0"
TAKES='(type: takes a MIME type such as application/pdf or image/*, or a file extension such as pdf or docx)'
err=$(mc count type:pdff 2>&1)
check_eq 'type: anything else exits 2' "$?" 2
check_eq '... naming the token and its column, the nearest extension, and what type: takes' "$err" "mailclerk: unknown type 'pdff' at column 1 — did you mean 'pdf'? $TAKES"
check_eq '... without a suggestion when nothing is near' "$(mc search 'invoice type:xyzzyx' 2>&1; echo "rc=$?")" "mailclerk: unknown type 'xyzzyx' at column 9 $TAKES
rc=2"
check_eq '... a MIME type of no top-level type' "$(mc count 'type:aplication/pdf' 2>&1; echo "rc=$?")" "mailclerk: unknown type 'aplication/pdf' at column 1 — did you mean 'application/pdf'? $TAKES
rc=2"

# search and count need a query; '*' is every message.
NEED="which messages? Give a query ('*' for all)"
check_eq 'search without a query exits 2' "$(mc search 2>&1; echo "rc=$?")" "mailclerk: search: $NEED
rc=2"
check_eq 'count without a query exits 2' "$(mc count 2>&1; echo "rc=$?")" "mailclerk: count: $NEED
rc=2"
check_eq '... also with only options, or a blank query' "$(mc search --format=json --limit 3 2>&1; echo "rc=$?") $(mc count ' ' 2>&1; echo "rc=$?")" "mailclerk: search: $NEED
rc=2 mailclerk: count: $NEED
rc=2"
check_eq 'attachments save says the same' "$(mc attachments save --dry-run --to "$TMP/x" 2>&1; echo "rc=$?")" "mailclerk: attachments save: $NEED
rc=2"
check_eq "'*' is every message" "$(c '*') $(mc search --format=json '*' | jq length)" "33 33"
check_eq 'attachments without a query still lists every attachment (not inline)' "$(mc attachments --format=json | jq length)" 6
