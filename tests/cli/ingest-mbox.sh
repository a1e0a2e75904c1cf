#!/bin/sh
# mbox ingest: mboxrd quoting, offsets, appends, non-mbox files.
. "$top_srcdir/tests/lib.sh"
plan 40
cp "$CORPUS/mbox/takeout.mbox" "$TMP/takeout.mbox"

out=$(mc ingest --mbox "$TMP/takeout.mbox" 2>&1)
check 'four messages from the Takeout mbox' sh -c 'printf "%s" "$1" | grep -q "^ingest: 4 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"' - "$out"
check_eq 'the folder is the file name' "$(mc count folder:takeout.mbox)" 4
check_eq 'its messages are found by their words' "$(mc count vexillorn OR wimbletack OR xylofrunge OR yoddleberry)" 4
check_eq 'a quoted >>From line loses one >' \
	"$(mc show --format=json id:CAOldArchive.0110@mail.northwind.example | jq -r .body | grep -c '^>From the archive: ')" 1
check_eq 'a quoted >From line is From again' \
	"$(mc show --format=json id:CAInvoices.0214@mail.northwind.example | jq -r .body | grep -c '^From now on, please ')" 1
check_eq 'the last message ends with its own last line (no separator blank line)' \
	"$(mc show --format=json id:digest.v12i7@freelancers.example | jq -r .body | tail -c 1 | od -An -c | tr -d ' ')" '\n'
mid=$(mc search --format=json yoddleberry | jq -r '.[0].message_id')
check_eq 'files of an mbox message: the message extracted beside the index (tests/cli/links.sh)' \
	"$(mc search --format=files yoddleberry)" \
	"$TMP/mbox-messages/cur/$(printf %s "$mid" | sha256sum | cut -c1-32).$(printf %016x "$(sqlite3 "$DB" "SELECT l.fingerprint FROM locations l JOIN messages m ON m.id = l.message WHERE m.message_id = '$mid'")").mailclerk:2,S"

out=$(mc ingest --mbox "$TMP/takeout.mbox" 2>&1)
check 'an unchanged mbox is skipped' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"' - "$out"

# Appending (as a delivery agent does) adds only the new message.
{
	printf 'From someone@example Mon Jan  1 00:00:00 2024\n'
	printf 'From: Ann <ann@append.example>\nSubject: Appended later\nMessage-ID: <appended-1@append.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nbody with quaffleworth\n'
} >> "$TMP/takeout.mbox"
out=$(mc ingest --mbox "$TMP/takeout.mbox" 2>&1)
check 'an appended message is the only new one' sh -c 'printf "%s" "$1" | grep -q "^ingest: 1 new message, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages)"' - "$out"
check_eq '... and shown from its offset' "$(mc show --format=json id:appended-1@append.example | jq -r .body)" "body with quaffleworth"

printf 'this is not\nan mbox\n' > "$TMP/notes.txt"
err=$(mc ingest --mbox "$TMP/notes.txt" 2>&1 >/dev/null); rc=$?
check_eq 'a file that is not an mbox: said, exit 1' "$err rc=$rc" "mailclerk: $TMP/notes.txt: not an mbox file: it does not start with a \"From \" line
mailclerk: 1 of 1 sources could not be read rc=1"
check_eq 'nothing was added from it' "$(mc count '*')" 5

# Same-size messages: deleting one slides the next onto its offset. The
# index must follow the content, not the offset (and keep ids).
msg() { printf 'From x@y Mon Jan  1 00:00:00 2024\nFrom: c@cron.example\nSubject: cron %s\nMessage-ID: <cron-%s@cron.example>\nDate: Mon, 01 Jan 2024 00:00:0%s +0000\n\nword%s\n\n' "$1" "$1" "$1" "$1"; }
{ msg 1; msg 2; msg 3; } > "$TMP/cron.mbox"
mc ingest --mbox "$TMP/cron.mbox" >/dev/null 2>&1
id2=$(mc search --format=json word2 | jq .[0].id)
{ msg 2; msg 3; } > "$TMP/cron.mbox"
mc ingest --mbox "$TMP/cron.mbox" >/dev/null 2>&1
check_eq 'a message deleted from an mbox leaves the index' "$(mc count folder:cron.mbox)" 2
check_eq 'the message that slid onto its offset is shown with its own text' "$(mc show --format=json id:cron-2@cron.example | jq -r .body)" word2
check_eq '... and keeps its id' "$(mc search --format=json word2 | jq .[0].id)" "$id2"
check_eq 'the last message is still found' "$(mc count word3)" 1

# A message edited in place (a mail client rewriting the mbox): its only
# copy holds other bytes under the same Message-ID, so the message is read
# again from it, keeping its id; the summary counts it as changed. The
# same with an edit that moves the messages after it.
sed 's/^Subject: cron 3$/Subject: crxn 3/' "$TMP/cron.mbox" > "$TMP/edited" && cat "$TMP/edited" > "$TMP/cron.mbox"
id3=$(mc search --format=json word3 | jq .[0].id)
out=$(mc ingest --mbox "$TMP/cron.mbox" 2>&1)
check_eq 'a message edited in an mbox is read again: found by its new subject, with its id' \
	"$(mc search --format=json 'subject:crxn' | jq -c '[.[].id]')|$(mc count 'subject:cron AND word3')" "[$id3]|0"
check 'the summary says one changed' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, .* 0 skipped, 1 changed, in "' - "$out"
sed 's/^Subject: cron 2$/Subject: cron 2 with a longer subject zebrafish/' "$TMP/cron.mbox" > "$TMP/edited" && cat "$TMP/edited" > "$TMP/cron.mbox"
mc ingest --mbox "$TMP/cron.mbox" >/dev/null 2>&1
check_eq '... and one made longer, moving the next: each message its own text, the index sound' \
	"$(mc search --format=json zebrafish | jq -c '[.[].id]')|$(mc show --format=json id:cron-3@cron.example | jq -r '.subject + " " + .body')|$(mc count folder:cron.mbox)|$(mc check)" \
	"[$id2]|crxn 3 word3|2|ok"

# mutt's edit-message: the edited message moves to the end of the mbox (a
# new offset); it is read again there, keeping its id.
python3 - "$TMP/cron.mbox" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
msgs = [m for m in re.split(r'(?m)^(?=From x@y )', text) if m]
moved = [m for m in msgs if 'cron-3@' in m][0]
rest = [m for m in msgs if m is not moved]
open(sys.argv[1], 'w').write(''.join(rest) + moved.replace('Subject: crxn 3', 'Subject: moved wombat'))
PY
out=$(mc ingest --mbox "$TMP/cron.mbox" 2>&1)
check_eq 'a message edited and moved to the end (mutt) is read again there, with its id' \
	"$(mc search --format=json wombat | jq -c '[.[].id]')|$(mc count crxn)|$(printf '%s' "$out" | grep -o '1 changed')" "[$id3]|0|1 changed"
# Flags written into every message (Status, X-Status) are no edit: nothing
# is read again, the flags are seen.
sed 's/^Message-ID:/Status: RO\nX-Status: A\nMessage-ID:/' "$TMP/cron.mbox" > "$TMP/edited" && cat "$TMP/edited" > "$TMP/cron.mbox"
out=$(mc ingest --mbox "$TMP/cron.mbox" 2>&1)
check_eq 'flags written into an mbox change no message: none read again, the flags seen' \
	"$(printf '%s' "$out" | grep -c changed)|$(mc count 'folder:cron.mbox is:replied')" '0|2'

# A directory of mbox files (Takeout): a file deleted from it takes its mail.
mkdir "$TMP/export"
cp "$CORPUS/mbox/takeout.mbox" "$TMP/export/a.mbox"
{ msg 7; } > "$TMP/export/b.mbox"
mc ingest --mbox "$TMP/export" >/dev/null 2>&1
rm "$TMP/export/b.mbox"
mc ingest --mbox "$TMP/export" >/dev/null 2>&1
check_eq 'an mbox deleted from a directory source: its messages leave' "$(mc count word7)" 0

# In a directory of mbox files, a file that is not one is skipped and counted.
cp "$TMP/notes.txt" "$TMP/export/notes.txt"
out=$(mc ingest --mbox "$TMP/export" 2>"$TMP/err"); rc=$?
check_eq 'a file that is not an mbox in a directory of them: skipped, exit 0' "$(cat "$TMP/err") rc=$rc" \
	"mailclerk: skipped $TMP/export/notes.txt: not an mbox file: it does not start with a \"From \" line rc=0"
# ... and remembered, as any skipped file is: not said again until it
# changes. So is an mbox of old Mac line ends in the directory.
printf 'From a@b Mon Jan  1 00:00:00 2024\rFrom: a@mac.example\rSubject: classic\r\rmacdirword\r' > "$TMP/export/old-mac.mbox"
err=$(mc ingest --mbox "$TMP/export" 2>&1 >/dev/null); rc=$?
check_eq '... an old-Mac mbox beside it: skipped, saying why, exit 0' "$err rc=$rc" \
	"mailclerk: skipped $TMP/export/old-mac.mbox: line ends are CR only (old Mac format), which mailclerk does not read; convert them first, e.g. with: tr '\\r' '\\n' < OLD > NEW rc=0"
out=$(mc ingest --mbox "$TMP/export" 2>"$TMP/err"); rc=$?
check_eq '... both known the next time: counted, not said' \
	"$(cat "$TMP/err")|$(printf '%s' "$out" | sed 's/.*skipped, //; s/, in .*//') rc=$rc" "|2 skipped (known) rc=0"
check_eq '... and listed with their reasons' \
	"$(sqlite3 "$DB" "SELECT substr(container, length('$TMP/export/') + 1) || '|' || name || '|' || size || '|' || substr(reason, 1, 25) FROM skipped WHERE container LIKE '%/export/%' ORDER BY container")" \
	"notes.txt||$(wc -c < "$TMP/export/notes.txt" | tr -d ' ')|not an mbox file: it does
old-mac.mbox||$(wc -c < "$TMP/export/old-mac.mbox" | tr -d ' ')|line ends are CR only (ol"
tr '\r' '\n' < "$TMP/export/old-mac.mbox" > "$TMP/converted" && mv "$TMP/converted" "$TMP/export/old-mac.mbox"
echo more >> "$TMP/export/notes.txt"
out=$(mc ingest --mbox "$TMP/export" 2>"$TMP/err"); rc=$?
check_eq '... changed: the notes said again, the converted mbox read and no longer skipped' \
	"$(cat "$TMP/err")|$(mc count macdirword)|$(sqlite3 "$DB" "SELECT count(*) FROM skipped WHERE container LIKE '%old-mac.mbox'") rc=$rc" \
	"mailclerk: skipped $TMP/export/notes.txt: not an mbox file: it does not start with a \"From \" line|1|0 rc=0"
rm "$TMP/export/old-mac.mbox" "$TMP/export/notes.txt"

# What is not an mbox at all is said, exit 1.
mkdir -p "$TMP/mail/INBOX/cur" "$TMP/mail/INBOX/new" "$TMP/mail/INBOX/tmp" "$TMP/nothing"
err=$(mc ingest --mbox "$TMP/mail" 2>&1 >/dev/null); rc=$?
check_eq 'a directory of maildirs: said, with a hint, exit 1' "$err rc=$rc" \
	"mailclerk: $TMP/mail is a directory with no mbox file in it; it holds maildirs: use --maildir
mailclerk: 1 of 1 sources could not be read rc=1"
check_eq 'an empty directory: said' "$(mc ingest --mbox "$TMP/nothing" 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: $TMP/nothing is a directory with no mbox file in it"
printf '[source old]\ntype = mbox\npath = %s\n' "$TMP/mail" > "$TMP/config"
check_eq 'a [source] of type mbox: named, with the hint for the config' "$(mc ingest 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: [source old]: $TMP/mail is a directory with no mbox file in it; it holds maildirs: use type = maildir"
: > "$TMP/config"

# An empty mbox (or one of blank lines) holds no messages: fine.
: > "$TMP/empty.mbox"
printf '\n\n' > "$TMP/blank.mbox"
out=$(mc ingest --mbox "$TMP/empty.mbox" --mbox "$TMP/blank.mbox" 2>&1); rc=$?
check 'an empty mbox: 0 messages, exit 0' \
	sh -c 'test "$2" = 0 && printf "%s" "$1" | grep -q "^ingest: 0 new messages, .* 0 skipped, in "' - "$out" "$rc"

# Old Mac line ends (CR only) are refused, with what to do.
printf 'From a@b Mon Jan  1 00:00:00 2024\rFrom: a@mac.example\rSubject: classic\r\rmacword\r' > "$TMP/mac.mbox"
err=$(mc ingest --mbox "$TMP/mac.mbox" 2>&1 >/dev/null); rc=$?
check_eq 'an mbox with CR-only line ends: refused, saying so, exit 1' "$err rc=$rc" \
	"mailclerk: $TMP/mac.mbox: line ends are CR only (old Mac format), which mailclerk does not read; convert them first, e.g. with: tr '\\r' '\\n' < OLD > NEW
mailclerk: 1 of 1 sources could not be read rc=1"
tr '\r' '\n' < "$TMP/mac.mbox" > "$TMP/mac-unix.mbox"
mc ingest --mbox "$TMP/mac-unix.mbox" >/dev/null 2>&1
check_eq '... and converted as it says, it is read' "$(mc count macword)" 1
# A writer that leaves out the blank line before From_: a whole From_ line
# (sender and date, maybe a zone) followed by a header line starts a
# message all the same, as mutt reads it; a body line "From here on" does
# not.
printf 'From a@x Mon Jan  1 00:00:00 2024\nFrom: a@nb.example\nSubject: nb one\nMessage-ID: <nb-1@nb.example>\n\nfigword\nFrom here on, no split\nFrom b@x Tue Jan  2 00:00:00 2024\nFrom: b@nb.example\nSubject: nb two\nMessage-ID: <nb-2@nb.example>\n\nplumword\nFrom - Wed Jan 03 10:00:00 +0000 2024\nFrom: c@nb.example\nSubject: nb three\nMessage-ID: <nb-3@nb.example>\n\nlimeword\n' > "$TMP/noblank.mbox"
check_eq 'From_ lines without a blank line before them: three messages' \
	"$(mc ingest --mbox "$TMP/noblank.mbox" 2>&1 | cut -d, -f1)" "ingest: 3 new messages"
check_eq '... each its own, the body line kept' \
	"$(mc search --format=json 'figword OR plumword OR limeword' | jq -r 'sort_by(.subject) | map(.subject) | join(",")') $(mc search --format=json '"from here on"' | jq -r '.[].subject')" \
	"nb one,nb three,nb two nb one"
# No split at a whole From_ line that a pasted log line makes (text after
# it, no header), nor inside a declared Content-Length; two From_ lines in
# a row are one message's, and a From_ line last, with nothing after it,
# is no message yet.
printf 'From a@x Mon Jan  1 00:00:00 2024\nFrom: a@log.example\nSubject: log\nMessage-ID: <log-1@log.example>\n\nServer log:\nFrom root@srv Tue Feb  6 03:14:15 2024\ncron said cronword\nFrom b@x Tue Jan  2 00:00:00 2024\nFrom: b@log.example\nSubject: counted\nMessage-ID: <log-2@log.example>\nContent-Length: 67\n\nPasted:\nFrom c@x Wed Jan  3 00:00:00 2024\nFrom: c@log.example\nclword\n\nFrom d@x Thu Jan  4 00:00:00 2024\nFrom d@x Thu Jan  4 00:00:00 2024\nFrom: d@log.example\nSubject: twice\nMessage-ID: <log-3@log.example>\n\ntwiceword\nFrom e@x Fri Jan  5 00:00:00 2024\n' > "$TMP/log.mbox"
check_eq 'a pasted log line, a Content-Length, two From_ lines, one last: three messages, none skipped' \
	"$(mc ingest --mbox "$TMP/log.mbox" 2>&1 | sed 's/, 0 renamed.*, \([0-9]* skipped\), in.*/, \1/')" "ingest: 3 new messages, 0 new copies of known messages, 0 skipped"
check_eq '... each with all its text' \
	"$(mc search --format=json 'cronword' | jq -r '.[].subject') $(mc search --format=json clword | jq -r '.[].subject') $(mc search --format=json twiceword | jq -r '.[].subject') $(mc search --format=json '"fri jan"' | jq -r '.[].subject')" \
	"log counted twice twice"
# CR CR LF line ends (CRLF made CRLF again) are no CR-only file: two
# messages, split at the blank line before the second From_ line, each
# with its body, said.
printf 'From a@b Mon Jan  1 00:00:00 2024\r\r\nFrom: a@win.example\r\r\nSubject: first\r\r\nMessage-ID: <crcr-a@win.example>\r\r\n\r\r\nkiwiword\r\r\n\r\r\nFrom a@b Mon Jan  1 00:00:00 2024\r\r\nFrom: a@win.example\r\r\nSubject: second\r\r\nMessage-ID: <crcr-b@win.example>\r\r\n\r\r\nmangoword\r\r\n' > "$TMP/crcrlf.mbox"
err=$(mc ingest --mbox "$TMP/crcrlf.mbox" 2>&1 >/dev/null)
check_eq 'an mbox with CR CR LF line ends: read as CR LF, quietly' "$err" ""
check_eq '... two messages, each with its own body' \
	"$(mc search --format=json kiwiword | jq -r '.[].subject') $(mc search --format=json mangoword | jq -r '.[].subject')" "first second"
# CRLF line ends are no CR-only ones.
printf 'From a@b Mon Jan  1 00:00:00 2024\r\nFrom: a@crlf.example\r\nSubject: crlf\r\nMessage-ID: <crlf@crlf.example>\r\n\r\ncrlfword\r\n' > "$TMP/crlf.mbox"
mc ingest --mbox "$TMP/crlf.mbox" >/dev/null 2>&1
check_eq 'an mbox with CRLF line ends is read' "$(mc count crlfword)" 1
