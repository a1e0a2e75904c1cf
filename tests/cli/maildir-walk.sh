#!/bin/sh
# The maildir walk: which directories it goes into (links below the root are
# not followed, a tree nested too deeply is said), folders that appear or go
# between runs, and a run with nothing new that changes nothing.
. "$top_srcdir/tests/lib.sh"
plan 14

# message DIR NAME WORD: a small message file with WORD in its body.
message() {
	printf 'From: a@walk.example\nTo: b@studio.example\nSubject: %s\nMessage-ID: <%s@walk.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\n%s\n' \
		"$3" "$2" "$3" > "$1/$2:2,S"
}
maildir() { mkdir -p "$1/cur" "$1/new" "$1/tmp"; }
# Folders changed in the last two seconds are looked at again on the next
# run; these are older.
age() { find "$1" -type d -exec touch -h -d '2024-01-02 00:00:00' {} +; }
summary() { sed 's/, in .*//'; }

R="$TMP/mail"
maildir "$R"
message "$R/cur" top zorbtop
maildir "$R/.Sub"
message "$R/.Sub/cur" sub zorbsub
# A maildir outside the tree, linked from inside it, and a link back to the
# root: neither is followed.
maildir "$TMP/outside"
message "$TMP/outside/cur" outside zorboutside
ln -s "$TMP/outside" "$R/Linked"
ln -s "$R" "$R/Loop"
# 34 levels below the root: too deep (32 at most), said and skipped; the
# maildir at 3 levels is read.
d="$R/deep"
for i in $(seq 1 33); do d="$d/x"; done
maildir "$d"
message "$d/cur" deeper zorbdeep
maildir "$R/a/b/c"
message "$R/a/b/c/cur" shallow zorbshallow
# A maildir without tmp/ and one with tmp/, each holding a folder: as many
# subdirectories as a maildir without folders has.
mkdir -p "$R/notmp/cur" "$R/notmp/new"
message "$R/notmp/cur" notmp zorbnotmp
maildir "$R/notmp/.Kid"
message "$R/notmp/.Kid/cur" kid zorbkid
age "$R"
age "$TMP/outside"

mc ingest --maildir "$R" >"$TMP/out" 2>"$TMP/err"
check_eq 'first run: exits 0' "$?" 0
check_eq '... five messages, the too-deep directory skipped' "$(summary <"$TMP/out")" \
	'ingest: 5 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped'
check_eq '... and said with its path' "$(cat "$TMP/err")" \
	"mailclerk: skipped $R/deep/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x: maildir tree nested too deeply"
check_eq '... links below the root are not followed' "$(mc count zorboutside) $(mc search --format=json zorbtop | jq -r '.[0].folders | join(",")')" '0 INBOX'
check_eq '... the folders found' "$(mc search --format=json '*' | jq -r '[.[].folders[]] | sort | join(",")')" 'INBOX,Sub,a/b/c,notmp,notmp/Kid'

mc ingest --maildir "$R" >"$TMP/out" 2>"$TMP/err"
check_eq 'nothing new: nothing changes (the deep directory is said again)' "$(summary <"$TMP/out")" \
	'ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped'
check_eq '... and no folder state changes' "$(sqlite3 "$DB" 'SELECT count(*), sum(mtime_ns) FROM containers')" \
	"$(mc ingest --maildir "$R" >/dev/null 2>&1; sqlite3 "$DB" 'SELECT count(*), sum(mtime_ns) FROM containers')"

# A folder that appears below an unchanged maildir is found; one that goes
# takes its mail with it.
maildir "$R/.Sub/.Inner"
message "$R/.Sub/.Inner/cur" inner zorbinner
rm -r "$R/a"
age "$R"
mc ingest --maildir "$R" >"$TMP/out" 2>/dev/null
check_eq 'a new folder inside a maildir and a deleted one' "$(summary <"$TMP/out")" \
	'ingest: 1 new message, 0 new copies of known messages, 0 renamed, 1 copy removed (1 message), 1 skipped'
check_eq '... its name' "$(mc search --format=json zorbinner | jq -r '.[0].folders | join(",")')" 'Sub/Inner'
check_eq '... the deleted one is forgotten' "$(mc count zorbshallow) $(sqlite3 "$DB" "SELECT count(*) FROM containers WHERE path LIKE '%/a/b/c'")" '0 0'

# The same tree given as the root and as two of its folders: one run of
# each finds nothing new.
mc ingest --maildir "$R/.Sub" --maildir "$R/.Sub/.Inner" >"$TMP/out" 2>&1
check_eq 'folders of the tree as roots of their own: nothing new' "$(summary <"$TMP/out")" \
	'ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped'
check_eq '... and every message stays' "$(mc count '*')" 5

# A file over 256 MiB (sparse: nothing is written) is skipped, said, and
# remembered: the next scan of its folder counts it as known.
mkdir -p "$TMP/huge/cur" "$TMP/huge/new" "$TMP/huge/tmp"
truncate -s 300M "$TMP/huge/cur/1.huge:2,S"
check_eq 'a file over 256 MiB: skipped, said' "$(mc ingest --maildir "$TMP/huge" 2>&1 | sed 's/, in .*//')" \
	"mailclerk: skipped $TMP/huge/cur/1.huge:2,S: file larger than 256 MiB
ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped"
printf 'From: a@huge.example\nSubject: beside it\nMessage-ID: <beside@huge.example>\n\nhi\n' > "$TMP/huge/cur/2.ok:2,S"
touch -d '2 seconds ago' "$TMP/huge/cur/2.ok:2,S"
check_eq '... and then known, not said again' "$(mc ingest --maildir "$TMP/huge" 2>&1 | sed 's/, in .*//')" \
	"ingest: 1 new message, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped, 1 skipped (known)"
