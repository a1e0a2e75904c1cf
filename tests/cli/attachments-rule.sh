#!/bin/sh
# What an attachment is (issue 12): one rule for attachments, JSON,
# has:attachment and attachments save, on tests/corpus/shapes/att-*.eml.
. "$top_srcdir/tests/lib.sh"
plan 28

S="$CORPUS/shapes"
mc ingest --file "$S"/att-*.eml >/dev/null 2>&1
check_eq 'the eleven shapes are indexed' "$(mc count '*')" 11

# "search word: names" for every message, from attachments --format=json.
by_word() {
	for w in vorplindash quenderwick throssleby plimvaster grendalope fennimuck olbrechtz \
		mistlewhorp crandolith wembletusk dorvanquil; do
		printf '%s: %s\n' "$w" "$(mc attachments "$@" --format=json "$w" |
			jq -r '[.[] | "\(.part) \(if .filename == "" then "-" else .filename end) \(.mime_type)\(if .inline then " inline" else "" end)"] | join(", ")')"
	done
}
check_eq 'attachments: named parts whatever their disposition, nameless files, no signatures, no encrypted parts, no report status, no cid: images' \
	"$(by_word)" \
	"vorplindash: 2 contract-signed.pdf application/pdf
quenderwick: 2 0001-fix.patch text/x-patch
throssleby: 2 IMG_2041.jpg image/jpeg
plimvaster: 2 test.html text/html
grendalope: 2 report-may.pdf application/pdf
fennimuck: 
olbrechtz: 
mistlewhorp: 
crandolith: 1.2 invoice-2024-117.pdf application/pdf
wembletusk: 2 minutes.txt text/plain
dorvanquil: 2 - application/pdf, 3 - text/plain"
check_eq 'attachments --include-inline: the parts that are no attachment too, marked inline' \
	"$(by_word --include-inline)" \
	"vorplindash: 2 contract-signed.pdf application/pdf
quenderwick: 2 0001-fix.patch text/x-patch
throssleby: 2 IMG_2041.jpg image/jpeg
plimvaster: 2 test.html text/html
grendalope: 1.2 logo.png image/png inline, 1.3 - image/jpeg inline, 2 report-may.pdf application/pdf
fennimuck: 2 - message/delivery-status inline
olbrechtz: 2 signature.asc application/pgp-signature inline
mistlewhorp: 1 - application/pgp-encrypted inline, 2 encrypted.asc application/octet-stream inline
crandolith: 1.2 invoice-2024-117.pdf application/pdf, 2 smime.p7s application/pkcs7-signature inline
wembletusk: 2 minutes.txt text/plain
dorvanquil: 2 - application/pdf, 3 - text/plain"
check_eq 'the text listing: sizes and hashes of the decoded files' "$(mc attachments vorplindash OR throssleby)" \
	"2024-05-16  -                Carol Nguyen         IMG_2041.jpg  image/jpeg  913 bytes  12247f6a
2024-05-14  -                Lena Fischer         contract-signed.pdf  application/pdf  622 bytes  a8c5c87b"

subjects() { mc search --format=json "$@" | jq -r '[.[].subject] | sort | join(" | ")'; }
check_eq 'has:attachment: exactly the messages with an attachment by the rule' "$(subjects has:attachment)" \
	'Globex news, May | Invoice 2024-117 | Minutes | Photo from the site | Scan | Signed contract | The test page | [PATCH] fix the footer'
check_eq 'not has:attachment: the bounce, PGP/MIME signed and encrypted' "$(subjects 'NOT has:attachment')" \
	'Credentials mistlewhorp | Signed release notes | Undelivered Mail Returned to Sender'
check_eq 'type:image: the inline photo, not the images the newsletter HTML shows by cid:' \
	"$(mc search --format=json type:image | jq -r '[.[].message_id] | join(" ")')" 'att-03@shapes.example'

# JSON of search and show carries the same attachments.
check_eq 'search --format=json: the attachments of the message' \
	"$(mc search --format=json grendalope | jq -c '.[0].attachments | map([.filename, .part, .size])')" \
	'[["report-may.pdf","2",416]]'
check_eq 'show --format=json: the same' \
	"$(mc show --format=json id:att-09@shapes.example | jq -c '.attachments | map([.filename, .part, .mime_type])')" \
	'[["invoice-2024-117.pdf","1.2","application/pdf"]]'
check_eq 'no attachment in JSON for a signed message' \
	"$(mc search --format=json olbrechtz | jq -c '.[0].attachments')" '[]'
check_eq 'show lists every part, the hidden ones marked inline' \
	"$(mc show id:att-05@shapes.example | sed -n '/^Attachments:/,$p')" \
	"Attachments:
  [1.2] logo.png (image/png, 208 bytes, inline) sha256:4cf065cb5f37
  [1.3] (no name) (image/jpeg, 306 bytes, inline) sha256:29c7ba5e876b
  [2] report-may.pdf (application/pdf, 416 bytes) sha256:93405cb650b1"

# Text: named inline text parts are read as the message, in order; the
# status of a bounce too.
check_eq 'the text of an inline patch is found, inside the body' \
	"$(mc count zabrinocle) $(mc search --format=json zabrinocle | jq -r '.[0].subject')" '1 [PATCH] fix the footer'
check_eq 'the text of an inline test.html, an inline minutes.txt' "$(mc count brolliwink) $(mc count wembletusk)" '1 1'
check_eq 'the inline text in its place in show' \
	"$(mc show id:att-10@shapes.example | sed -n '/^Minutes below/,/^Carol/p')" \
	'Minutes below.

Decided: the wembletusk banner goes.

Carol'
check_eq "a bounce's failed address and status are found" \
	"$(mc count '"nobody-here@initech.example" AND "5.1.1"') $(mc count 'body:"user unknown"')" '1 1'

# Saving: the attachments by the rule, byte for byte what Python's email
# package decodes from the same parts.
mc attachments save --to "$TMP/out" '*' >"$TMP/save.out" 2>&1
check_eq 'attachments save --to DIR: exit 0 and a summary' "$?:$(tail -n 1 "$TMP/save.out")" \
	'0:attachments save: 9 saved, 0 moved, 0 duplicates, 0 failed'
check_eq '... these files' "$(cd "$TMP/out" && ls)" \
	"2024-05-14_contract-signed.pdf
2024-05-15_0001-fix.patch
2024-05-16_IMG_2041.jpg
2024-05-17_test.html
2024-05-20_report-may.pdf
2024-05-24_invoice-2024-117.pdf
2024-05-27_minutes.txt
2024-05-28_attachment-13e5a29b.pdf
2024-05-28_attachment-49a1046b.txt"
python3 - "$S" "$TMP/want" <<'PY'
import email, email.policy, os, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
for f in ("apple-inline-pdf", "inline-patch", "inline-photo", "inline-html", "newsletter",
          "smime-signed", "inline-text"):
    msg = email.message_from_binary_file(open(os.path.join(src, "att-%s.eml" % f), "rb"),
                                         policy=email.policy.default)
    for part in msg.walk():
        name = part.get_filename()
        if name and part.get_content_type() not in ("image/png", "application/pkcs7-signature"):
            open(os.path.join(out, name), "wb").write(part.get_payload(decode=True))
scan = email.message_from_binary_file(open(os.path.join(src, "att-nameless.eml"), "rb"),
                                      policy=email.policy.default)
for part in scan.walk():
    if part.get_content_type() == "application/pdf":
        open(out + ".scan.pdf", "wb").write(part.get_payload(decode=True))
PY
sums() { (cd "$1" && sha256sum -- * | sed 's/  [0-9-]*_/  /'); }
check_eq '... holding the decoded bytes of each part (sha256sum against Python email)' \
	"$(sums "$TMP/out" | grep -v attachment- | sort)" "$(sums "$TMP/want" | sort)"
check 'the nameless scanned PDF is the bytes of its part' \
	cmp -s "$TMP/out/2024-05-28_attachment-13e5a29b.pdf" "$TMP/want.scan.pdf"
mc attachments save --include-inline --to "$TMP/all" '*' >/dev/null 2>&1
check_eq 'attachments save --include-inline: the hidden parts too (16 files)' "$(ls "$TMP/all" | wc -l)" 16
check 'a saved signature is the signature part' grep -q 'BEGIN PGP SIGNATURE' "$TMP/all/2024-05-22_signature.asc"

# An index made by the old rule gets the new one through reindex: only
# is_inline and has_attachments differ, and that is rewritten.
q() { sqlite3 "$DB" "$1"; }
id_of() { mc search --format=json "$1" | jq '.[0].id'; }
APPLE=$(id_of vorplindash)
SIGNED=$(id_of olbrechtz)
q "UPDATE attachments SET is_inline = 1 WHERE message = $APPLE;
   UPDATE messages SET has_attachments = 0 WHERE id = $APPLE;
   UPDATE attachments SET is_inline = 0 WHERE message = $SIGNED;
   UPDATE messages SET has_attachments = 1 WHERE id = $SIGNED;"
check_eq 'as the old rule had it: the inline PDF is invisible, the signature an attachment' \
	"$(subjects 'has:attachment AND (vorplindash OR olbrechtz)')" 'Signed release notes'
check_eq 'reindex rewrites the two messages whose attachments changed' \
	"$(mc reindex 2>&1 | sed 's/, in .*//')" 'reindex: 11 messages read again, 2 changed, 0 unreadable'
check_eq '... and has:attachment follows the rule again' \
	"$(subjects 'has:attachment AND (vorplindash OR olbrechtz)')" 'Signed contract'
check_eq '... as does the listing' "$(mc attachments --format=json 'vorplindash OR olbrechtz' | jq -r '.[].filename')" \
	contract-signed.pdf

# Autosave (save_attachments = yes) follows the same rule.
cat > "$TMP/config" <<CONF
[client shapes]
domains = acme.example, initech.example, globex.example
[project shapes/all]
match = subject:/./
save_attachments = yes
CONF
DB="$TMP/auto.db"
out=$(mc ingest --file "$S"/att-*.eml 2>&1 | tail -n 1)
check_eq 'ingest saves the attachments of the project mail by the rule' "$out" \
	'ingest: saved 9 attachments into project folders (0 moved, 0 duplicates, 0 failed)'
check_eq '... the inline ones and the nameless ones, no signature, no encrypted part, no cid: image' \
	"$(cd "$TMP/attachments/shapes/all" && ls)" \
	"2024-05-14_contract-signed.pdf
2024-05-15_0001-fix.patch
2024-05-16_IMG_2041.jpg
2024-05-17_test.html
2024-05-20_report-may.pdf
2024-05-24_invoice-2024-117.pdf
2024-05-27_minutes.txt
2024-05-28_attachment-13e5a29b.pdf
2024-05-28_attachment-49a1046b.txt"

# The text of a file named as text is read whatever type the mailer gave it:
# Google Calendar's application/ics, an application/octet-stream notes.txt.
cat > "$TMP/typed.eml" <<'EOM'
From: cal@shapes.example
To: sam@studio.example
Subject: Invitation
Message-ID: <typed@shapes.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

See the invitation.
--b
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"

BEGIN:VCALENDAR
BEGIN:VEVENT
SUMMARY:Kickoff glorbenquist
END:VEVENT
END:VCALENDAR
--b
Content-Type: application/octet-stream; name="notes.txt"
Content-Disposition: attachment; filename="notes.txt"

plumvexhaust in the notes
--b
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename="data.bin"

snorfwiddle is not read
--b--
EOM
mc ingest --file "$TMP/typed.eml" >/dev/null 2>&1
check_eq 'an application/ics invite.ics and an octet-stream notes.txt are read as text; data.bin is not' \
	"$(mc count glorbenquist) $(mc count plumvexhaust) $(mc count snorfwiddle)" "1 1 0"
