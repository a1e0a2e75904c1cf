#!/bin/sh
# Hostile mail never crashes ingest and never blocks a source: what GMime
# would crash on is refused, a message that crashes mailclerk anyway is
# skipped (and remembered) while everything else is indexed, and skipped
# files are not parsed again until they change.
. "$top_srcdir/tests/lib.sh"
plan 32

# message DIR NAME SUBJECT BODY: a small message file.
message() {
	printf 'From: a@hostile.example\nTo: b@studio.example\nSubject: %s\nMessage-ID: <%s@hostile.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\n%s\n' \
		"$3" "$2" "$4" > "$1/$2:2,S"
}
maildir() { mkdir -p "$1/cur" "$1/new" "$1/tmp"; }

# Ten good messages and the two crashers a hostile-input run found: a 4 MiB
# charset name behind a quote in an encoded word, and address groups
# nested 50,000 deep.
M="$TMP/guarded"
maildir "$M"
for i in 1 2 3 4 5 6 7 8 9 10; do message "$M/cur" "good$i" "good $i" "zorbgood $i"; done
awk 'BEGIN {
	printf "From: a@hostile.example\nSubject: =?A\047"
	for (i = 0; i < 4194304; i += 64) printf "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	printf "?Q?x?=\n\nbody\n"
}' > "$M/cur/charset:2,S"
awk 'BEGIN {
	printf "From: a@hostile.example\nSubject: groups\nTo: "
	for (i = 0; i < 50000; i++) printf "g:"
	printf "x@y.example"
	for (i = 0; i < 50000; i++) printf ";"
	printf "\n\nbody\n"
}' > "$M/cur/groups:2,S"

mc ingest --maildir "$M" >"$TMP/out" 2>"$TMP/err"
check_eq 'the crashers: ingest exits 0' "$?" 0
check_eq '... indexes the ten good messages' "$(mc count '*')" 10
check_eq '... and counts two skipped' "$(sed 's/, in .*//' "$TMP/out")" \
	'ingest: 10 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 2 skipped'
check_eq '... each named with its reason' "$(LC_ALL=C sort "$TMP/err")" \
	"mailclerk: skipped $M/cur/charset:2,S: an encoded word or parameter names a charset longer than 256 bytes
mailclerk: skipped $M/cur/groups:2,S: the To header nests address groups 50000 deep (at most 32)"

# Skipped files are remembered: not parsed or reported again.
message "$M/new" "good11" "good 11" "zorbgood 11"
mc ingest --maildir "$M" >"$TMP/out" 2>"$TMP/err"
check_eq 'the next run: exit 0' "$?" 0
check_eq '... says nothing of the known skipped files' "$(cat "$TMP/err")" ''
check_eq '... and counts them as known' "$(sed 's/, in .*//' "$TMP/out")" \
	'ingest: 1 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped, 2 skipped (known)'
check_eq 'the index lists them with their reasons' \
	"$(sqlite3 "$DB" "SELECT name || ' ' || reason FROM skipped ORDER BY name")" \
	'charset an encoded word or parameter names a charset longer than 256 bytes
groups the To header nests address groups 50000 deep (at most 32)'

# A skipped file that changes is read again.
message "$M/cur" "groups" "groups fixed" "zorbfixed"
mc ingest --maildir "$M" >"$TMP/out" 2>"$TMP/err"
check_eq 'a skipped file that changed is indexed' "$(mc count zorbfixed)" 1
check_eq '... and no longer listed as skipped' "$(sqlite3 "$DB" "SELECT name FROM skipped")" charset
check_eq '... the other still known' "$(sed 's/.*skipped, //; s/, in .*//' "$TMP/out")" '1 skipped (known)'

# An index an older mailclerk wrote remembers ordinary mail it refused:
# the padding of a base64 word ("==?=") before a long list of addresses was
# taken for a long charset name. Upgraded (schema 17), it forgets the
# files skipped for that reason: the mail is indexed, and the file that is
# hostile is refused again.
others=$(awk 'BEGIN { for (i = 0; i < 12; i++) printf ", Team Member %d <member%d@agency.example>", i, i }')
printf 'From: a@hostile.example\nTo: =?UTF-8?B?SsO8cmdlbg==?= <j@c.example>%s\nSubject: padded\nMessage-ID: <padded@hostile.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nzorbpadded\n' \
	"$others" > "$M/cur/padded:2,S"
sqlite3 "$DB" "INSERT INTO skipped (container, name, size, mtime, reason) SELECT container, 'padded',
	$(stat -c %s "$M/cur/padded:2,S"), $(stat -c %Y "$M/cur/padded:2,S"), reason FROM skipped
	WHERE name = 'charset'; PRAGMA user_version = 16"
mc ingest --maildir "$M" >"$TMP/out" 2>"$TMP/err"
check_eq 'upgraded, ordinary mail once refused as a long charset name is indexed' \
	"$(mc count zorbpadded)|$(mc search --format=json zorbpadded | jq -r '.[0].to[0].name')" '1|Jürgen'
check_eq '... and the hostile file is refused again, and named' "$(sed 's/, in .*//' "$TMP/out")|$(cat "$TMP/err")" \
	"ingest: 1 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped|mailclerk: skipped $M/cur/charset:2,S: an encoded word or parameter names a charset longer than 256 bytes"
check_eq '... and remembered' "$(sqlite3 "$DB" "SELECT name FROM skipped; PRAGMA user_version")" 'charset
17'

# A skipped file that is deleted is forgotten.
rm "$M/cur/charset:2,S"
# (A folder changed in the last two seconds is looked at again next run
# before it counts as read; an older time stands in for the wait.)
touch -d '2020-01-01 00:00' "$M/cur" "$M/new"
mc ingest --maildir "$M" >/dev/null 2>&1
check_eq 'a skipped file deleted is forgotten' "$(sqlite3 "$DB" "SELECT count(*) FROM skipped")" 0

# A message that crashes mailclerk anyway (the test hook overflows the
# stack while parsing it, as GMime did): reported with its path, remembered,
# and every other message of the run is indexed; the run exits 1, not 139.
P="$TMP/poison"
maildir "$P"
# The hook is left out of builds configured with --disable-test-hooks.
maildir "$TMP/probe"
message "$TMP/probe/cur" "probe" "probe" "KABOOM-TEST-MARK"
if MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK "$MAILCLERK" --config "$TMP/config" --db "$TMP/probe.db" \
	ingest --maildir "$TMP/probe" >/dev/null 2>&1; then
	for i in $(seq 15); do skip "crash $i" "no test hooks in this build (configure --disable-test-hooks)"; done
	exit 0
fi
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do message "$P/cur" "p$i" "poison test $i" "zorbpoison $i"; done
message "$P/cur" "p7" "poison test 7" "zorbpoison 7 KABOOM-TEST-MARK"
MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK mc ingest --maildir "$P" >"$TMP/out" 2>"$TMP/err"
check_eq 'a message that crashes the parser: exit 1' "$?" 1
check_eq '... it is named' "$(cat "$TMP/err")" \
	"mailclerk: skipped $P/cur/p7:2,S: parsing it crashed mailclerk (Segmentation fault); it is skipped until it changes"
check_eq '... the other 11 are indexed' "$(mc count zorbpoison)" 11
check_eq '... and the summary counts them and it' "$(sed 's/, in .*//' "$TMP/out")" \
	'ingest: 11 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped'
check_eq '... the index is sound' "$(mc check 2>&1 >/dev/null; echo $?)" 0
MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK mc ingest --maildir "$P" >"$TMP/out" 2>"$TMP/err"
check_eq 'the next run does not parse it again: exit 0' "$?" 0
check_eq '... silently' "$(cat "$TMP/err")" ''
# Changed as mail clients change a maildir: a new file renamed into place
# (rewriting it in place would leave cur/ looking unchanged).
message "$P/tmp" "p7" "poison test 7" "zorbpoison 7 now harmless"
mv "$P/tmp/p7:2,S" "$P/cur/p7:2,S"
MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK mc ingest --maildir "$P" >/dev/null 2>&1
check_eq 'once it changes, it is indexed' "$(mc count zorbpoison)" 12

# The same in an mbox: the message is named by its offset.
awk 'BEGIN {
	for (i = 1; i <= 6; i++)
		printf "From a@hostile.example Mon Jan  1 00:00:00 2024\nFrom: a@hostile.example\nSubject: mbox %d\nMessage-ID: <mb%d@hostile.example>\n\nzorbmbox %s\n\n", i, i, (i == 4 ? "KABOOM-TEST-MARK" : "ok")
}' > "$TMP/poison.mbox"
offset=$(grep -b '^From: a@hostile.example' "$TMP/poison.mbox" | sed -n 4p | cut -d: -f1)
MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK mc ingest --mbox "$TMP/poison.mbox" >/dev/null 2>"$TMP/err"
check_eq 'a crashing message in an mbox: exit 1' "$?" 1
check_eq '... named by its offset' "$(cat "$TMP/err")" \
	"mailclerk: skipped $TMP/poison.mbox (message at offset $offset): parsing it crashed mailclerk (Segmentation fault); it is skipped until it changes"
check_eq '... the other five are indexed' "$(mc count zorbmbox)" 5

# From standard input: the message is stored first, so the run started
# again does not wait for input that is gone.
printf 'From: a@hostile.example\nSubject: piped\nMessage-ID: <piped@hostile.example>\n\nzorbpiped KABOOM-TEST-MARK\n' |
	MAILCLERK_TEST_CRASH=KABOOM-TEST-MARK mc ingest --file - >"$TMP/out" 2>"$TMP/err"
check_eq 'a crashing message on stdin: exit 1' "$?" 1
check 'it is named by its stored copy' grep -q "^mailclerk: skipped $TMP/store/stdin/new/.*: parsing it crashed mailclerk" "$TMP/err"
check_eq '... one line of error, nothing about stdin' "$(wc -l < "$TMP/err")" 1
printf 'From: a@hostile.example\nSubject: piped\nMessage-ID: <piped2@hostile.example>\n\nzorbpiped fine\n' |
	mc ingest --file - >/dev/null 2>&1
check_eq 'the next delivery is indexed' "$(mc count zorbpiped)" 1

# A NUL byte in a header (a broken mailer, a garbage Status) costs nothing
# but the byte: the message is indexed and the problem named with the file.
printf 'From: a@hostile.example\nSubject: nul\nX-Mailer: Foo\000Mailer\nStatus: RO\000\nMessage-ID: <nul@hostile.example>\n\nzorbnulhead\n' > "$TMP/nul.eml"
mc ingest --file "$TMP/nul.eml" >/dev/null 2>"$TMP/err"
check_eq 'NUL bytes in headers: exit 0, the message found' "$?|$(mc count zorbnulhead)" "0|1"
check_eq '... and said, with the file' "$(cat "$TMP/err")" \
	"mailclerk: $TMP/nul.eml: NUL bytes in the header block, read as spaces"
