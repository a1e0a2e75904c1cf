#!/bin/sh
# TNEF (winmail.dat): the files inside are the message's attachments, listed,
# searched and saved like any other; a damaged one is listed as it is, with
# the reason on stderr. The samples are tests/corpus/shapes/tnef-*.eml
# (make-tnef.py); the Debian tool tnef, when installed, reads them too.
. "$top_srcdir/tests/lib.sh"
have_tnef || skip_all "built without libytnef"
plan 20

SHAPES=$CORPUS/shapes
mc ingest --file "$SHAPES"/tnef-*.eml > "$TMP/out" 2> "$TMP/err"
check_eq 'ingest indexes every message, the damaged ones too' "$?:$(sed 's/, in .*//' "$TMP/out")" \
	'0:ingest: 6 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped'
check_eq 'a damaged TNEF is reported with the path and why' "$(LC_ALL=C sort "$TMP/err")" \
"mailclerk: $SHAPES/tnef-bad-signature.eml: part 2 (winmail.dat): TNEF not read: not TNEF: the signature is 0x223e9f79, not 0x223e9f78; listed as it is
mailclerk: $SHAPES/tnef-lying-length.eml: part 2 (winmail.dat): TNEF not read: checksum mismatch in attribute 0x0006800f at byte 592; listed as it is
mailclerk: $SHAPES/tnef-truncated.eml: part 2 (winmail.dat): TNEF not read: attribute 0x0006800f at byte 592 claims 3004 bytes; only 2511 follow; listed as it is"

list() { mc attachments --format=json "$@" | jq -r '.[] | [.part, .filename, .mime_type, .size, .sha256, .inline] | map(tostring) | join(" | ")'; }
check_eq 'the files inside are the attachments: names, types, sizes, hashes' "$(list id:tnef-two-files.1@fjordline.example)" \
"2/tnef/1 | rates-2024.txt | text/plain | 75 | ba224c18071105dba749f84024e2682eb158e125f8767c75b19fd2ee9525fbe0 | false
2/tnef/2 | proposal.docx | application/vnd.openxmlformats-officedocument.wordprocessingml.document | 3004 | e427c004928c0b01ccebfe7deaafa3b4ce784bf9c27444fe6a5f865388c4bb1a | false"
check_eq 'winmail.dat itself only with --include-inline' "$(list --include-inline id:tnef-two-files.1@fjordline.example | head -n 1)" \
	'2 | winmail.dat | application/ms-tnef | 3814 | 68ce2a49a0c90395c940028d4e36d2f314df0acf188397d996eac38b92529ef5 | true'
check_eq 'a long name in UTF-16 (PR_ATTACH_LONG_FILENAME), application/vnd.ms-tnef' "$(list id:tnef-long-name.2@fjordline.example)" \
	'2/tnef/1 | Übergabeprotokoll für Ελληνικά Kunden – März 2024 (endgültig).txt | text/plain | 47 | 08c849a070198bcd4e361a8fd63e04de92d13217758fe6e856da9f0a96f0b650 | false'
check_eq 'a TNEF with no files (octet-stream named winmail.dat) lists nothing' "$(list id:tnef-no-files.3@fjordline.example)" ''
check_eq '... and is no attachment' "$(mids has:attachment)" \
'tnef-bad-signature.4@fjordline.example
tnef-long-name.2@fjordline.example
tnef-lying-length.6@fjordline.example
tnef-truncated.5@fjordline.example
tnef-two-files.1@fjordline.example'
check_eq 'a damaged TNEF: winmail.dat is the attachment' "$(list id:tnef-truncated.5@fjordline.example)" \
	'2 | winmail.dat | application/ms-tnef | 3114 | 8b3ec04eaf546f2d1f083d44f1ebbcd91ba273d99aa1ad28fb0e59d3bb3ecf21 | false'
check_eq 'a damaged TNEF: the message is searchable' "$(mids wobblecrest OR frondlemere OR quastelbrim)" \
'tnef-bad-signature.4@fjordline.example
tnef-lying-length.6@fjordline.example
tnef-truncated.5@fjordline.example'
check_eq 'the text of a text file inside is searchable' "$(mids plimsquorth)" 'tnef-two-files.1@fjordline.example'
check_eq '... with its name (a non-ASCII one)' "$(mids vandergroast)" 'tnef-long-name.2@fjordline.example'
check_eq 'type: finds the files inside' "$(mids type:docx)" 'tnef-two-files.1@fjordline.example'

mc attachments save --to "$TMP/saved" id:tnef-two-files.1@fjordline.example > "$TMP/out" 2>&1
check_eq 'attachments save writes the files inside' "$?:$(cd "$TMP/saved" && ls)" \
	'0:2024-03-05_proposal.docx
2024-03-05_rates-2024.txt'
check_eq '... the bytes listed' "$(cd "$TMP/saved" && sha256sum 2024-03-05_rates-2024.txt 2024-03-05_proposal.docx | cut -c1-64)" \
'ba224c18071105dba749f84024e2682eb158e125f8767c75b19fd2ee9525fbe0
e427c004928c0b01ccebfe7deaafa3b4ce784bf9c27444fe6a5f865388c4bb1a'
check_eq 'json of show lists the files inside, and nothing else is on stdout' \
	"$(mc show --format=json id:tnef-two-files.1@fjordline.example | jq -r '.attachments[] | .part')" \
	'2/tnef/1
2/tnef/2'

# The winmail.dat parts as Python's email package decodes them.
python3 - "$SHAPES" "$TMP" <<'PY'
import email, email.policy, os, sys
for name in ("two-files", "long-name", "truncated"):
    with open(os.path.join(sys.argv[1], "tnef-%s.eml" % name), "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    part = [p for p in msg.walk() if p.get_content_type().endswith("tnef")][0]
    with open(os.path.join(sys.argv[2], name + ".dat"), "wb") as f:
        f.write(part.get_payload(decode=True))
PY
check_eq 'the hash of winmail.dat is that of its decoded bytes' \
	"$(sha256sum < "$TMP/two-files.dat" | cut -c1-64) $(sha256sum < "$TMP/truncated.dat" | cut -c1-64)" \
	'68ce2a49a0c90395c940028d4e36d2f314df0acf188397d996eac38b92529ef5 8b3ec04eaf546f2d1f083d44f1ebbcd91ba273d99aa1ad28fb0e59d3bb3ecf21'
mc attachments save --include-inline --to "$TMP/whole" id:tnef-two-files.1@fjordline.example > /dev/null 2>&1
check 'with --include-inline, winmail.dat is saved too, as it was sent' cmp -s "$TMP/whole/2024-03-05_winmail.dat" "$TMP/two-files.dat"

mc attachments save --to "$TMP/damaged" id:tnef-truncated.5@fjordline.example > /dev/null 2>&1
check 'a damaged TNEF is saved as it was sent' cmp -s "$TMP/damaged/2024-03-09_winmail.dat" "$TMP/truncated.dat"

# An independent reader: the tnef tool (Debian package tnef).
if command -v tnef > /dev/null; then
	mkdir "$TMP/tnef" "$TMP/tnef2"
	tnef -C "$TMP/tnef" -f "$TMP/two-files.dat" && tnef -C "$TMP/tnef2" -f "$TMP/long-name.dat"
	check 'the saved files are the bytes the tnef tool reads' \
		sh -c "cmp '$TMP/tnef/rates-2024.txt' '$TMP/saved/2024-03-05_rates-2024.txt' && cmp '$TMP/tnef/proposal.docx' '$TMP/saved/2024-03-05_proposal.docx'"
	check_eq '... with the same long name' "$(ls "$TMP/tnef2")" 'Übergabeprotokoll für Ελληνικά Kunden – März 2024 (endgültig).txt'
else
	skip 'the saved files are the bytes the tnef tool reads' 'no tnef tool (Debian package tnef)'
	skip '... with the same long name' 'no tnef tool (Debian package tnef)'
fi
