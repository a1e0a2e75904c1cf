#!/bin/sh
# Single messages: files on the command line and one message on stdin.
. "$top_srcdir/tests/lib.sh"
plan 26

out=$(mc ingest --file "$CORPUS/eml/outlook-crlf.eml" "$CORPUS/eml/calendar-invite.eml" 2>&1)
check 'two files: two messages' sh -c 'printf "%s" "$1" | grep -q "^ingest: 2 new messages"' - "$out"
check_eq 'their files are recorded' "$(mc search --format=files rumblequid)" "$CORPUS/eml/outlook-crlf.eml"
out=$(mc ingest --file "$CORPUS/eml/outlook-crlf.eml" 2>&1)
check 'the same file again adds nothing' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies"' - "$out"

printf 'From: Pat <pat@pipe.example>\nTo: sam@studio.example\nSubject: Delivered by a pipe\nMessage-ID: <piped-1@pipe.example>\nDate: Tue, 02 Jan 2024 10:00:00 +0000\n\nfrobnitzel from procmail\n' > "$TMP/piped.eml"
mc ingest --file - < "$TMP/piped.eml" >/dev/null 2>&1
check_eq 'a message on stdin is indexed' "$(mc count frobnitzel)" 1
stored=$(mc search --format=files frobnitzel)
# Everything below writes beside $stored: without it, stop rather than
# write into the current directory.
[ -n "$stored" ] || { echo "Bail out! the message from stdin has no file"; exit 1; }
check 'it was stored in the local store beside the index' sh -c 'case "$1" in "$2"/store/stdin/new/*) exit 0;; *) exit 1;; esac' - "$stored" "$TMP"
check_eq '... byte for byte' "$(cmp "$stored" "$TMP/piped.eml" && echo same)" same
check_eq '... privately (0600)' "$(stat -c %a "$stored")" 600
check_eq '... and its folder is stdin' "$(mc count folder:stdin)" 1
check_eq 'show reads it back' "$(mc show --format=json id:piped-1@pipe.example | jq -r .body)" "frobnitzel from procmail"

check_exit 'empty stdin is an error' 1 mc ingest --file - < /dev/null
head -c 3000 /dev/urandom | tr -d '\n:' > "$TMP/random.bin"
err=$(mc ingest --file "$TMP/random.bin" 2>&1 >/dev/null)
check 'a file that is not mail is reported with its path' sh -c 'printf "%s" "$1" | grep -q "^mailclerk: skipped $2: not mail: "' - "$err" "$TMP/random.bin"
# Old Mac line ends (CR only) would read as one header line: refused with
# the way to convert them, as for an mbox; CR CR LF (a broken Windows
# tool), in all the lines or some, is read as CR LF, its body too (GMime
# alone took the body for more headers), without a word: nothing is lost.
printf 'From: Mac <mac@old.example>\rTo: sam@studio.example\rSubject: Classic\rMessage-ID: <cr-1@old.example>\r\rpowerbookword\r' > "$TMP/cr-only.eml"
check_eq 'a CR-only message is skipped, saying why and what to do' "$(mc ingest --file "$TMP/cr-only.eml" 2>&1 >/dev/null)" \
	"mailclerk: skipped $TMP/cr-only.eml: not mail as mailclerk reads it: line ends are CR only (old Mac format), which mailclerk does not read; convert them first, e.g. with: tr '\\r' '\\n' < OLD > NEW"
printf 'From: Win <win@odd.example>\r\r\nTo: sam@studio.example\r\r\nSubject: Doubled\r\r\nMessage-ID: <crcr-1@odd.example>\r\r\n\r\r\nwinboxword\r\r\n' > "$TMP/crcrlf.eml"
check_eq 'CR CR LF line ends are read as CR LF, quietly' "$(mc ingest --file "$TMP/crcrlf.eml" 2>&1 >/dev/null)" ""
check_eq '... its subject and its body' "$(mc search --format=json winboxword | jq -r '.[].subject')" Doubled
# A From_ line first (the From header after it is kept), a delivery agent's
# LF line on top, CR CR CR LF, and a multipart whose parts are CR CR LF
# under LF headers: each read whole.
printf 'From a@b Mon Jan  1 10:00:00 2024\r\r\nFrom: Alice <alice@crcr.example>\r\r\nSubject: fromline\r\r\nMessage-ID: <crcr-2@odd.example>\r\r\n\r\r\nfromlineword\r\r\n' > "$TMP/crcr2.eml"
printf 'Return-Path: <b@crcr.example>\nFrom: b@crcr.example\r\r\nSubject: ontop\r\r\nMessage-ID: <crcr-3@odd.example>\r\r\n\r\r\nontopword\r\r\n' > "$TMP/crcr3.eml"
printf 'From: c@crcr.example\r\r\r\nSubject: triple\r\r\r\nMessage-ID: <crcr-4@odd.example>\r\r\r\n\r\r\r\ntripleword\r\r\r\n' > "$TMP/crcr4.eml"
printf 'From: d@crcr.example\nSubject: parts\nMessage-ID: <crcr-5@odd.example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\r\r\nContent-Type: text/plain\r\r\n\r\r\npartsword\r\r\n--b1\r\r\nContent-Type: application/octet-stream\r\r\nContent-Disposition: attachment; filename="a.bin"\r\r\nContent-Transfer-Encoding: base64\r\r\n\r\r\naGVsbG8gd29ybGQ=\r\r\n--b1--\r\r\n' > "$TMP/crcr5.eml"
mc ingest --file "$TMP/crcr2.eml" "$TMP/crcr3.eml" "$TMP/crcr4.eml" "$TMP/crcr5.eml" >/dev/null 2>&1
check_eq '... after a From_ line, under an LF line, CR CR CR LF, in the parts' \
	"$(mc search --format=json fromlineword | jq -r '.[].from.address') $(mc count ontopword) $(mc count tripleword) $(mc count partsword) $(mc search --format=json partsword | jq -c '[.[0].attachments[] | [.filename, .size]]')" \
	'alice@crcr.example 1 1 1 [["a.bin",11]]'
# Message-IDs over 512 bytes that start alike are two messages, each found
# by its whole id.
long=$(printf 'm%.0s' $(seq 600))
printf 'From: a@long.example\nSubject: longone\nMessage-ID: <%s1@long.example>\n\nb\n' "$long" > "$TMP/long1.eml"
printf 'From: a@long.example\nSubject: longtwo\nMessage-ID: <%s2@long.example>\n\nb\n' "$long" > "$TMP/long2.eml"
check_eq 'two long Message-IDs alike for 600 bytes: two messages' "$(mc ingest --file "$TMP/long1.eml" "$TMP/long2.eml" 2>&1 | cut -d, -f1)" "ingest: 2 new messages"
check_eq '... each found by its whole id' "$(mc show --format=json "id:<${long}1@long.example>" | jq -r .subject) $(mc search --format=json "id:${long}2@long.example" | jq -r '.[].subject')" "longone longtwo"

# Hostile text cannot drive the terminal: C0 and C1 controls are blanked.
printf 'From: x@evil.example\nSubject: =?UTF-8?B?%s?=\nMessage-ID: <evil@evil.example>\n\nevilword\n' "$(printf 'a\302\233[31mred\033[2Jb' | base64 -w0)" > "$TMP/evil.eml"
mc ingest --file "$TMP/evil.eml" >/dev/null 2>&1
out=$(mc search evilword)
check 'no escape or CSI reaches the terminal' sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "$(printf "\033\|\302\233")"' - "$out"
check 'the subject is still there, controls blanked' sh -c 'printf "%s" "$1" | grep -q "a \[31mred \[2Jb"' - "$out"
# Nor show text in another order: the bidirectional controls (U+202E
# would show "invoice<RLO>fdp.exe" as "invoiceexe.pdf") are left out of
# what a terminal gets, the line separator U+2028 is a space, or a line
# end in a body; JSON, for programs, keeps a body as the mail has it
# (headers lose embeddings, overrides and isolates at ingest).
bidi_subject=$(printf 'invoice\342\200\256fdp.exe \342\201\246iso\342\201\251 \342\200\216mark\330\234 a\342\200\250b')
printf 'From: x@evil.example\nSubject: =?UTF-8?B?%s?=\nMessage-ID: <bidi@evil.example>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n%s\n' \
	"$(printf '%s' "$bidi_subject" | base64 -w0)" \
	"$(printf 'bidiword \342\200\256dne\342\200\254 one\342\200\250two\n' | base64 -w0)" > "$TMP/bidi.eml"
mc ingest --file "$TMP/bidi.eml" >/dev/null 2>&1
bidi_bytes="$(printf '\342\200\256\|\342\201\246\|\342\201\251\|\342\200\216\|\330\234\|\342\200\250')"
out=$(mc search bidiword)
check 'search: no bidirectional control or line separator reaches the terminal' sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "$2"' - "$out" "$bidi_bytes"
check_eq '... the subject in its own order, the separator a space' "$(printf '%s\n' "$out" | grep -o 'invoice.*')" 'invoicefdp.exe iso mark a b'
check_eq '... the snippet too' "$(printf '%s\n' "$out" | grep -o 'bidiword.*' | tr -s ' ')" 'bidiword dne one two'
out=$(mc show id:bidi@evil.example)
check 'show: none reaches the terminal either' sh -c '! printf "%s" "$1" | LC_ALL=C grep -q "$2"' - "$out" "$bidi_bytes"
check_eq '... the body'"'"'s line separator ends a line' "$(printf '%s\n' "$out" | grep -A1 '^bidiword')" 'bidiword dne one
two'
check_eq 'json keeps the body as the mail has it' "$(mc show --format=json id:bidi@evil.example | jq -r .body)" \
	"$(printf 'bidiword \342\200\256dne\342\200\254 one\342\200\250two')"

# Mail stored from stdin by a run killed before it indexed it is indexed by
# the next run, whatever that run ingests.
store=$(dirname "$stored")
printf 'From: k@kill.example\nSubject: stored, not indexed\nMessage-ID: <killed@kill.example>\n\nkilledword\n' > "$store/1700000000.M1P1.host"
mc ingest --file "$CORPUS/eml/outlook-crlf.eml" >/dev/null 2>&1
check_eq 'stored mail a killed run did not index is indexed next time' "$(mc search --format=json killedword | jq -r '.[0].folders[0]')" stdin
