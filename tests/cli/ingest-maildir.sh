#!/bin/sh
# Maildir ingest: folders, dedupe, renames, deletions, skipped directories.
. "$top_srcdir/tests/lib.sh"
plan 46
copy_corpus
MD="$TMP/corpus/maildir"
# Folders changed in the last two seconds are looked at again on the next run
# (their mtime tick may not be over); a checkout is older than that.
find "$MD" -type d -exec touch -d "2024-12-31 12:00" {} +

out=$(mc ingest --maildir "$MD" 2>"$TMP/err")
check_eq 'first ingest exits 0' "$?" 0
check 'the summary counts 29 new messages, 1 extra copy and 1 skipped file' \
	sh -c 'printf "%s" "$1" | grep -q "^ingest: 29 new messages, 1 new copy of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped, in "' - "$out"
check 'the PNG in a maildir is reported with its path and reason' \
	sh -c 'grep -q "^mailclerk: skipped $1: not mail: " "$2"' - "$MD/.Archive.2023/cur/1703980800.M42P7.studio:2,S" "$TMP/err"
check_eq 'off a terminal, ingest prints one summary line' "$(printf '%s\n' "$out" | wc -l)" 1
check_eq '29 distinct messages' "$(mc count '*')" 29
check_eq "an empty query is no query: exit 2, and '*' is the way to say all" "$(mc count '' 2>&1; echo "rc=$?")" "mailclerk: count: which messages? Give a query ('*' for all)
rc=2"
check_eq 'the same message in two folders is one message' "$(mc count id:q4-budget-approved.20231114@initech.example)" 1
check_eq '... with both copies in JSON files, one path in --format=files (tests/cli/links.sh: which)' \
	"$(mc search --format=json id:q4-budget-approved.20231114@initech.example | jq -r '.[0].files[]' | LC_ALL=C sort; mc search --format=files id:q4-budget-approved.20231114@initech.example | wc -l)" \
	"$MD/.Archive.2023/cur/1699975801.M128P3028.studio,S=471,W=487:2,RS
$MD/INBOX/cur/1699975800.M128P2028.studio:2,S
1"
check_eq '... and both folders' "$(mc search --format=json id:q4-budget-approved.20231114@initech.example | jq -c '.[0].folders')" '["Archive/2023","INBOX"]'
check_eq 'folder names: plain, Maildir++ and nested' \
	"$(sqlite3 "$DB" 'SELECT c.folder, count(*) FROM locations l JOIN containers c ON c.id = l.container GROUP BY c.folder ORDER BY c.folder')" \
	"Archive/2023|7
INBOX|15
Projects/Website|6
Sent|2"
check_eq 'folder:Sent' "$(mc count folder:Sent)" 2
check_eq 'folder:Projects/* includes nested folders' "$(mc count 'folder:Projects/*')" 6

out=$(mc ingest --maildir "$MD" 2>&1)
check 'a second ingest adds nothing and reads nothing' \
	sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"' - "$out"
check_eq '... and the count is unchanged' "$(mc count '*')" 29

# A flag change renames the file: the location follows without re-parsing.
id_before=$(mc search --format=json zorbleflux | jq .[0].id)
mv "$MD/INBOX/cur/1707123600.M101P2001.studio:2,S" "$MD/INBOX/cur/1707123600.M101P2001.studio:2,RS"
out=$(mc ingest --maildir "$MD" 2>&1)
check 'a renamed file is one rename' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 1 renamed, 0 copies removed"' - "$out"
check_eq '... and its path is the new one' "$(mc search --format=files zorbleflux)" "$MD/INBOX/cur/1707123600.M101P2001.studio:2,RS"
check_eq '... with the new flags' "$(sqlite3 "$DB" "SELECT info FROM locations WHERE name LIKE '%M101P2001%'")" :2,RS
check_eq '... which queries see' "$(mc count zorbleflux is:replied) $(mc search --format=json zorbleflux | jq -c .[0].flags)" '1 ["replied","seen"]'
check_eq '... and the same id' "$(mc search --format=json zorbleflux | jq .[0].id)" "$id_before"

# new/ -> cur/ is a rename too (a MUA reading the message).
mv "$MD/INBOX/new/1719936300.M115P2015.studio" "$MD/INBOX/cur/1719936300.M115P2015.studio:2,S"
out=$(mc ingest --maildir "$MD" 2>&1)
check 'moving new/ to cur/ is a rename' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 1 renamed"' - "$out"
check_eq '... and the message is read now' "$(mc count wubbleshank is:read) $(mc count wubbleshank is:unread)" "1 0"

# Deleting one copy keeps the message; deleting the last removes it.
rm "$MD/INBOX/cur/1699975800.M128P2028.studio:2,S"
mc ingest --maildir "$MD" >/dev/null 2>&1
check_eq 'one copy deleted: the message stays' "$(mc count oxbarrowly)" 1
check_eq '... with one file left' "$(mc search --format=files oxbarrowly)" "$MD/.Archive.2023/cur/1699975801.M128P3028.studio,S=471,W=487:2,RS"
rm "$MD/INBOX/cur/1716273000.M111P2011.studio:2,FS"
out=$(mc ingest --maildir "$MD" 2>&1)
check 'the last copy deleted: the message leaves the index' sh -c 'printf "%s" "$1" | grep -q "1 copy removed (1 message)"' - "$out"
check_eq '... 28 messages now' "$(mc count '*')" 28
check_eq '... and its text is no longer found' "$(mc count drazzlemop)" 0

# An unchanged folder is not read: a file rewritten in place (which does not
# change the directory's mtime) is not looked at again.
f="$MD/Projects/Website/cur/1707316200.M104P2004.studio:2,S"
sed 's/tembrikade/zzqrewritten/' "$f" > "$TMP/rewritten" && cat "$TMP/rewritten" > "$f"
mc ingest --maildir "$MD" >/dev/null 2>&1
check_eq 'a file changed in an unchanged folder is not re-read' "$(mc count zzqrewritten)" 0

# Mail in tmp/ is never read; a new file in new/ is.
cp "$CORPUS/eml/outlook-crlf.eml" "$MD/INBOX/tmp/1733000000.M1P1.studio"
cp "$CORPUS/eml/calendar-invite.eml" "$MD/INBOX/new/1733000001.M2P2.studio"
mc ingest --maildir "$MD" >/dev/null 2>&1
check_eq 'tmp/ is never read' "$(mc count rumblequid)" 0
check_eq 'a new file in new/ is indexed' "$(mc count tovarindle)" 1

# A folder deleted as a whole takes its copies with it.
rm -r "$MD/Projects/Website"
mc ingest --maildir "$MD" >/dev/null 2>&1
check_eq 'a deleted folder: its messages leave' "$(mc count 'folder:Projects/*')" 0

# The same unique name in cur/ and new/: two messages. When the cur/ one is
# deleted, the new/ one must not be taken for it.
mkdir -p "$TMP/twin/cur" "$TMP/twin/new" "$TMP/twin/tmp"
printf 'From: a@twin.example\nSubject: twin A\nMessage-ID: <twin-a@twin.example>\n\nalphatwin\n' > "$TMP/twin/cur/555.host:2,S"
printf 'From: b@twin.example\nSubject: twin B\nMessage-ID: <twin-b@twin.example>\n\nbetatwin\n' > "$TMP/twin/new/555.host"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
check_eq 'one unique name in cur/ and new/: both messages' "$(mc count alphatwin OR betatwin)" 2
rm "$TMP/twin/cur/555.host:2,S"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
check_eq '... the cur/ one deleted: it leaves' "$(mc count alphatwin)" 0
check_eq '... and the new/ one stays, with its own text' "$(mc show --format=json id:twin-b@twin.example | jq -r .body)" betatwin

# A folder that is no longer a maildir (cur/ and new/ removed) loses its mail
# (the tree still holds another maildir).
mkdir -p "$TMP/twin/.Keep/cur" "$TMP/twin/.Keep/new" "$TMP/twin/.Keep/tmp"
rm -r "$TMP/twin/cur" "$TMP/twin/new"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
check_eq 'a folder that is no longer a maildir: its messages leave' "$(mc count betatwin)" 0

# A path that holds no maildir at all is said, exit 1; an empty maildir is fine.
mkdir -p "$TMP/empty" "$TMP/fresh/cur" "$TMP/fresh/new" "$TMP/fresh/tmp"
err=$(mc ingest --maildir "$TMP/empty" 2>&1 >/dev/null); rc=$?
check_eq 'a directory with no maildir: said, exit 1' "$err rc=$rc" \
	"mailclerk: $TMP/empty holds no maildir: neither it nor a directory below it has cur/ and new/
mailclerk: 1 of 1 sources could not be read rc=1"
out=$(mc ingest --maildir "$TMP/fresh" 2>&1); rc=$?
check 'an empty maildir (cur/ new/ tmp/, no mail): 0 new, exit 0' \
	sh -c 'test "$2" = 0 && printf "%s" "$1" | grep -q "^ingest: 0 new messages, .* 0 skipped, in "' - "$out" "$rc"
mkdir -p "$TMP/export/2024"
cp "$CORPUS/mbox/takeout.mbox" "$TMP/export/2024/All mail.mbox"
check_eq 'a tree of mbox files: said, with a hint' "$(mc ingest --maildir "$TMP/export" 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: $TMP/export holds no maildir: neither it nor a directory below it has cur/ and new/; $TMP/export/2024/All mail.mbox looks like an mbox file: use --mbox"
check_eq 'an mbox file given as a maildir: said, with a hint' "$(mc ingest --maildir "$TMP/export/2024/All mail.mbox" 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: $TMP/export/2024/All mail.mbox is a file, not a maildir directory; it looks like an mbox file: use --mbox"
check_eq 'a message file given as a maildir: said, with a hint' "$(mc ingest --maildir "$CORPUS/eml/outlook-crlf.eml" 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: $CORPUS/eml/outlook-crlf.eml is a file, not a maildir directory (for a single message, use --file)"
printf '[source laptop]\ntype = maildir\npath = %s\n' "$TMP/export" > "$TMP/config"
check_eq 'a [source] of type maildir with no maildir: named, with the hint for the config' "$(mc ingest 2>&1 >/dev/null | head -n 1)" \
	"mailclerk: [source laptop]: $TMP/export holds no maildir: neither it nor a directory below it has cur/ and new/; $TMP/export/2024/All mail.mbox looks like an mbox file: use type = mbox"
check_exit '... exit 1' 1 mc ingest
: > "$TMP/config"
# A tree whose maildirs all went (an unmounted disk leaves an empty mount
# point) is an error too, and its mail stays in the index.
mkdir -p "$TMP/disk/cur" "$TMP/disk/new" "$TMP/disk/tmp"
printf 'From: a@disk.example\nSubject: on the disk\nMessage-ID: <disk@disk.example>\n\nplorkdisk\n' > "$TMP/disk/new/1733000002.M3P3.studio"
mc ingest --maildir "$TMP/disk" >/dev/null 2>&1
rm -r "$TMP/disk/cur" "$TMP/disk/new" "$TMP/disk/tmp"
check_exit 'a tree that lost every maildir: exit 1' 1 mc ingest --maildir "$TMP/disk"
check_eq '... and its mail stays in the index' "$(mc count plorkdisk)" 1

# A second file with the Message-ID of a message still there, and other
# content (a forged or broken mailer's): skipped, said and remembered, so
# that the index, show and the files mail clients open all keep the first.
# A draft saved again (the old file gone, a new one in its place) is read
# again.
mkdir -p "$TMP/dup/cur" "$TMP/dup/new" "$TMP/dup/tmp"
printf 'From: boss@corp.example\nSubject: pay invoice\nMessage-ID: <pay@corp.example>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nlegitbody account 111\n' > "$TMP/dup/cur/1.first:2,S"
mc ingest --maildir "$TMP/dup" >/dev/null 2>&1
printf 'From: attacker@evil.example\nSubject: pay invoice now\nMessage-ID: <pay@corp.example>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nphishbody account 999\n' > "$TMP/dup/cur/2.second:2,S"
check_eq 'a second file under a known Message-ID with other content: skipped, said' "$(mc ingest --maildir "$TMP/dup" 2>&1 | sed 's/, in .*//')" \
	"mailclerk: skipped $TMP/dup/cur/2.second:2,S: it has the Message-ID <pay@corp.example> of $TMP/dup/cur/1.first:2,S, but other content
ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 1 skipped"
check_eq '... the index keeps the first; show and the file a mail client opens agree' "$(mc count phishbody) $(mc count legitbody) $(mc show --format=json id:pay@corp.example | jq -r '[.from.address, .body] | join(" ")') $(mc search --format=files legitbody)" \
	"0 1 boss@corp.example legitbody account 111 $TMP/dup/cur/1.first:2,S"
printf 'From: sam@studio.example\nSubject: draft\nMessage-ID: <draft@studio.example>\nDate: Mon, 1 Jan 2024 11:00:00 +0000\n\nfirst wording\n' > "$TMP/dup/cur/3.draft:2,DS"
mc ingest --maildir "$TMP/dup" >/dev/null 2>&1
rm "$TMP/dup/cur/3.draft:2,DS"
printf 'From: sam@studio.example\nSubject: draft\nMessage-ID: <draft@studio.example>\nDate: Mon, 1 Jan 2024 11:05:00 +0000\n\nsecond wording\n' > "$TMP/dup/cur/4.draft:2,DS"
out=$(mc ingest --maildir "$TMP/dup" 2>&1)
check_eq 'a draft saved again is read again, with nothing said' "$(printf '%s\n' "$out" | grep -c '^mailclerk:') $(mc count '"second wording"') $(mc count '"first wording"')" "0 1 0"
