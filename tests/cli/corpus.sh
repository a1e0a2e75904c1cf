#!/bin/sh
# The sample corpus (tests/corpus/README.md): what parsing must get right,
# checked through what a user sees.
. "$top_srcdir/tests/lib.sh"
plan 42
mc ingest --maildir "$CORPUS/maildir" --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1
mc ingest --file "$CORPUS"/eml/*.eml >/dev/null 2>&1
check_eq 'the whole corpus: 37 distinct messages' "$(mc count '*')" 37

# Each message's own word finds exactly that message.
bad=""
while read -r word mid; do
	got=$(mids "$word")
	[ "$got" = "$mid" ] || bad="$bad $word(got:$got)"
done <<'WORDS'
zorbleflux 20240205090000.kickoff@acme.example
quendrapix 65c0e8a0.5a3b@studio.example
malvoriste 20240206100000.reply2@acme.example
tembrikade OF1A2B3C4D.5E6F7A8B-ON85258A@acme.example
snevvitude newsletter.2024-06.4411@news.globex.example
brombulate maint-2024-0417@hosting.example
kresslewort mfp4020.000117@office.studio.example
glimmervane a81f03c2-77d4-4bde-9c8e-0f6c3b5e1d20@initech.example
drazzlemop 5f2e9c1a.relais@bergmann.example
plonkivere 8bit-utf8-0814@bergmann.example
yarrowquist 20231231223000.GA4411@bergmann.example
thrumbelic 3c1d9e0f-zoe@nordic.example
wubbleshank CAF=mike.0702@mail.northwind.example
cravendoodle 6d2f1c4e-rates@acme.example
moxifrandle 20240422071200.fwd@acme.example
sproingwell dw211.20240806@designweekly.example
quibbletorn 20231002100000.tanaka@kawasemi.example
zanthropy 000801db0371$4a2b1c90$de7155b0$@umbrella.example
blorptastic x-unknown-0629@obscure-mailer.example
frimpledorf 202410151020001234567@lotus-trading.example
gorbashank CAGlobex.sow.20230308@mail.globex.example
hulverine OF9F8E7D6C.notes-ON85258A@acme.example
klatchmoor 20240220093000.logo@acme.example
lumbriform wireframes-v2-feedback@acme.example
nixtaplume 65e58e10.9c2d@studio.example
oxbarrowly q4-budget-approved.20231114@initech.example
brindlequast 20240229111500.sitemap@acme.example
pindlewhisk deep-nesting-50@qa.example
quorvantine huge-header-1mb@lists.example
rumblequid DB9PR01MB1234.holiday@umbrella.example
tovarindle invite-acme-review-20231211@acme.example
vexillorn CAOldArchive.0110@mail.northwind.example
wimbletack CAInvoices.0214@mail.northwind.example
xylofrunge CAsam.summer.0506@mail.studio.example
yoddleberry digest.v12i7@freelancers.example
WORDS
check_eq 'every message is found by its own word, and only it' "$bad" ""

j() { mc search --format=json "$1" | jq -r "$2"; }
check 'a message without Message-ID gets a synthesized sha256: id' sh -c 'printf "%s" "$1" | grep -Eq "^sha256:[0-9a-f]{64}$"' - "$(j flanquorrel '.[0].message_id')"
check_eq 'a garbage Date falls back to the topmost Received' "$(j kresslewort '.[0].date')" 2024-03-12T08:15:02Z
check_eq 'a date is stored in UTC (-0700 crosses midnight)' "$(j glimmervane '.[0].date')" 2024-04-10T02:20:00Z
mtime=$(date -u -d "@$(stat -c %Y "$CORPUS/maildir/INBOX/cur/1713340800.M107P2007.studio:2,S")" +%Y-%m-%dT%H:%M:%SZ)
check_eq 'no Date and no Received: the file time' "$(j brombulate '.[0].date')" "$mtime"
check_eq 'a multipart whose boundary never appears is still text' "$(mc count vorpalinth)" 1
check_eq 'raw latin-1 header: subject' "$(j drazzlemop '.[0].subject')" "Réunion café à 15h"
check_eq 'raw latin-1 header: sender name' "$(j drazzlemop '.[0].from.name')" "François Lefèvre"
check_eq 'raw UTF-8 header' "$(j plonkivere '.[0].subject')" "Größe der Übersetzung — Änderungen ✓"
check_eq 'RFC 2047 B subject' "$(j yarrowquist '.[0].subject')" "Angebot für die Übersetzung – 2024 €"
check_eq 'RFC 2047 Q latin-1 name' "$(j yarrowquist '.[0].from.name')" "René Dupré"
check_eq 'adjacent encoded words join without the space' "$(j thrumbelic '.[0].subject')" "Re: Café menü für Freitag"
check_eq 'ISO-2022-JP subject' "$(j quibbletorn '.[0].subject')" "お見積りの件について"
check_eq 'ISO-2022-JP sender name' "$(j quibbletorn '.[0].from.name')" "田中 太郎"
check_eq 'a Japanese word inside ISO-2022-JP text is found' "$(mids 見積書)" 20231002100000.tanaka@kawasemi.example
check_eq 'a Chinese word inside a sentence is found' "$(mids 报价单)" 202410151020001234567@lotus-trading.example
check_eq 'a Chinese subject word is found' "$(mids 'subject:合同')" 202410151020001234567@lotus-trading.example
body() { mc show --format=json "id:$1" | jq -r .body; }
check 'an HTML-only body becomes text with entities decoded' sh -c 'printf "%s" "$1" | grep -q "Prices & terms for the café redesign start at 20€ per month."' - "$(body dw211.20240806@designweekly.example)"
check 'no style or script survives' sh -c '! printf "%s" "$1" | grep -Eiq "<style|<script|color:|function\(|<p>"' - "$(body dw211.20240806@designweekly.example)"
check 'a lying charset is read as windows-1252 (smart quotes, euro)' sh -c 'printf "%s" "$1" | grep -q "’" && printf "%s" "$1" | grep -q "€"' - "$(body '000801db0371$4a2b1c90$de7155b0$@umbrella.example')"
check 'an unknown charset keeps valid UTF-8' sh -c 'printf "%s" "$1" | grep -q "naïve"' - "$(body x-unknown-0629@obscure-mailer.example)"
check_eq 'the index holds no invalid UTF-8' "$(mc search --format=json '*' | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 && echo valid)" valid
check_eq 'RFC 2231 file names are decoded' "$(j cravendoodle '[.[0].attachments[].filename] | join("|")')" "€ rates.pdf|Schöne Grüße aus München_final.txt"
check_eq 'attachment:rates finds it' "$(mids 'attachment:rates')" 6d2f1c4e-rates@acme.example
check_eq 'a binary attachment: type, size and SHA-256 of the decoded bytes' \
	"$(j gorbashank '.[0].attachments[0] | "\(.mime_type) \(.size)"')" "application/pdf 3347"
sha=$(sed -n '/^JVBER/,/^--/p' "$CORPUS/maildir/.Archive.2023/cur/1678303320.M123P3023.studio,S=5252,W=5337:2,S" | sed '$d' | base64 -d | sha256sum | cut -d' ' -f1)
check_eq '... whose hash matches base64 -d' "$(j gorbashank '.[0].attachments[0].sha256')" "$sha"
check_eq 'a word only in a quoted-printable text attachment is found' "$(mids jibberquay)" OF9F8E7D6C.notes-ON85258A@acme.example
check 'the attachment text follows the body, after a line naming the file' sh -c 'printf "%s\n" "$1" | sed -n "/^Carol\$/,\$p" | grep -A1 -x "\[meeting-notes.txt\]" | grep -q "^Meeting notes"' - "$(body OF9F8E7D6C.notes-ON85258A@acme.example)"
check 'random bytes typed as a PDF add no text' sh -c '! printf "%s\n" "$1" | grep -q "SOW-Globex"' - "$(body CAGlobex.sow.20230308@mail.globex.example)"
if have_pdf_text; then
	check_eq 'a word only inside a PDF attachment is found (poppler)' "$(mids quillofrax)" 20240229111500.sitemap@acme.example
else
	skip 'a word only inside a PDF attachment is found (poppler)' 'built without poppler-glib'
fi
check_eq 'the attached message is not a message of its own' "$(mc count id:signed-contract-2024-04-19@acme.example)" 0
check_eq '... but its text is found in the forward' "$(mids pellucitrax)" 20240422071200.fwd@acme.example
check_eq 'an inline image is not counted as an attachment' "$(j klatchmoor '.[0].attachments | length')" 0
check_eq 'an address group: its members are recipients' "$(j lumbriform '[.[0].to[].address] | join(" ")')" "anna@x.example ben@y.example"
check_eq 'a folded subject is unfolded' "$(j lumbriform '.[0].subject')" "[ACME-12] Homepage wireframes v2: consolidated feedback from the design team"
check_eq 'an empty body is fine' "$(mc show --format=json 'id:CAF=mike.0702@mail.northwind.example' | jq -r '.body | length')" 0
check_eq 'CRLF mail is read' "$(j rumblequid '.[0].subject')" "Holiday schedule"
check_eq 'thread: a reply with only References joins the thread' \
	"$(mc thread --format=json id:20240205090000.kickoff@acme.example | jq -r '[.[].message_id] | join(" ")')" \
	"20240205090000.kickoff@acme.example 65c0e8a0.5a3b@studio.example 20240206100000.reply2@acme.example OF1A2B3C4D.5E6F7A8B-ON85258A@acme.example"
check_eq '... all four share one thread id' "$(mc search --format=json 'subject:"Website relaunch kickoff"' | jq '[.[].thread] | unique | length')" 1
check_eq '50-deep nesting is parsed' "$(j pindlewhisk '.[0].subject')" "Fwd: Fwd: Fwd: nested 50 deep"
check_eq 'a 1 MB header is parsed' "$(j quorvantine '.[0].subject')" "Re: the thread that never ends"
