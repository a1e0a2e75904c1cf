#!/bin/sh
# Results a mail client can open: --format=files prints one path per message
# (a maildir copy first, else the message extracted from its mbox into
# mbox-messages/ beside the index), and links DIR QUERY makes DIR a Maildir
# of symlinks to them. Mail: tests/corpus/shapes/links-* (make-links.py).
. "$top_srcdir/tests/lib.sh"
plan 41
cp "$CORPUS/shapes/links-mutt.mbox" "$TMP/m.mbox"
CACHE="$TMP/mbox-messages/cur"
# fp N: the fingerprint of message links-N@links.example's mbox copy, in hex.
fp() { printf '%016x' "$(sqlite3 "$DB" "SELECT l.fingerprint FROM locations l JOIN messages m ON m.id = l.message JOIN containers c ON c.id = l.container WHERE c.kind = 'mbox' AND m.message_id = 'links-$1@links.example'")"; }
# cached N FLAGS: the cache file of message links-N@links.example: the hash of
# its Message-ID, its copy's fingerprint, its flags.
cached() { echo "$CACHE/$(printf 'links-%s@links.example' "$1" | sha256sum | cut -c1-32).$(fp "$1").mailclerk:2,$2"; }
# id N: the index id of message links-N@links.example.
id() { mc search --format=json "id:links-$1@links.example" | jq -r '.[0].id'; }
# listing DIR: everything in DIR, with types, link targets and times.
listing() { (cd "$1" && find . -printf '%p %y %l %T@ %s\n' | LC_ALL=C sort); }

mc ingest --mbox "$TMP/m.mbox" >/dev/null 2>&1
# A copy of message 3 in two maildirs, the second found last.
mkdir -p "$TMP/md1/cur" "$TMP/md1/new" "$TMP/md1/tmp" "$TMP/md2/cur" "$TMP/md2/new" "$TMP/md2/tmp"
sed -n '/^Subject: links 3$/,$p' "$TMP/m.mbox" | sed '1i From: Lin Marsh <lin@links.example>\nTo: Sam <sam@studio.example>' > "$TMP/md1/cur/1727946000.1.host:2,S"
cp "$TMP/md1/cur/1727946000.1.host:2,S" "$TMP/md2/cur/1727946000.2.host:2,S"
mc ingest --maildir "$TMP/md1" >/dev/null 2>&1
mc ingest --maildir "$TMP/md2" >/dev/null 2>&1

check_eq 'an mbox message: extracted once into the cache beside the index, its flags in the name' \
	"$(mc search --format=files quillfenwick; echo "rc=$?")" "$(cached 1 FS)
rc=0"
sed -n '2,12p' "$TMP/m.mbox" | sed 's/^>\(>*From \)/\1/' > "$TMP/want1"
check 'its bytes are the message in the mbox, without the From_ line and one level of >From quoting less' \
	cmp -s "$(cached 1 FS)" "$TMP/want1"
check_eq '... which is what mutt shows: From here on, >From the archive' \
	"$(grep -c '^From here on' "$(cached 1 FS)") $(grep -c '^>From the archive' "$(cached 1 FS)")" '1 1'
check_eq '... private (0600), in a Maildir (cur new tmp)' \
	"$(stat -c %a "$(cached 1 FS)") $(ls "$TMP/mbox-messages" | tr '\n' ' ')" '600 cur new tmp '
touch -d @978307200 "$(cached 1 FS)"
before=$(stat -c '%i %Y' "$(cached 1 FS)")
check_eq 'the same path a second time' "$(mc search --format=files quillfenwick)" "$(cached 1 FS)"
check_eq '... not written again' "$(stat -c '%i %Y' "$(cached 1 FS)")" "$before"
check_eq 'an unread message: no flag letters (":2,")' "$(mc search --format=files marrowtansy)" "$(cached 2 '')"
check_eq 'a maildir copy is preferred to the mbox copy; of two, the one found last' \
	"$(mc search --format=files pewterglade)" "$TMP/md2/cur/1727946000.2.host:2,S"
check_eq '... and, that copy gone, the other maildir copy' \
	"$(mv "$TMP/md2/cur/1727946000.2.host:2,S" "$TMP/gone"; mc search --format=files pewterglade; mv "$TMP/gone" "$TMP/md2/cur/1727946000.2.host:2,S")" \
	"$TMP/md1/cur/1727946000.1.host:2,S"
# A mail client renames a file when its flags change, and moves new/ to
# cur/: until the next ingest, the same unique name is found there.
mv "$TMP/md2/cur/1727946000.2.host:2,S" "$TMP/md2/cur/1727946000.2.host:2,RS"
check_eq 'a maildir copy renamed by a mail client since the ingest (:2,S to :2,RS): found under its new name' \
	"$(mc search --format=files pewterglade 2>&1; echo "rc=$?")" "$TMP/md2/cur/1727946000.2.host:2,RS
rc=0"
mv "$TMP/md2/cur/1727946000.2.host:2,RS" "$TMP/md2/new/1727946000.2.host"
mv "$TMP/md1/cur/1727946000.1.host:2,S" "$TMP/md1/cur/1727946000.1.host:2,FS"
mv "$TMP/m.mbox" "$TMP/m.away"
check_eq '... in new/ too; and show reads it when no copy is where it was indexed' \
	"$(mc search --format=files pewterglade 2>&1; mc show "$(id 3)" | grep -c pewterglade)" "$TMP/md2/new/1727946000.2.host
1"
mv "$TMP/m.away" "$TMP/m.mbox"
mv "$TMP/md2/new/1727946000.2.host" "$TMP/md2/cur/1727946000.2.host:2,S"
mv "$TMP/md1/cur/1727946000.1.host:2,FS" "$TMP/md1/cur/1727946000.1.host:2,S"
check_eq "one path per message, however many copies ('*': 3 messages)" \
	"$(mc search --format=files '*' | wc -l) $(mc search --format=json pewterglade | jq '.[0].files | length')" '3 3'
check_eq 'show and thread print the same path' \
	"$(mc show --format=files "$(id 1)"; mc thread --format=files "$(id 2)")" "$(cached 1 FS)
$(cached 2 '')"
check_eq '... and only the mbox messages were extracted' "$(ls "$CACHE" | wc -l)" 2

# mutt marks message 2 read and rewrites the mbox: after an ingest, the cache
# file is renamed to the new flags (the same file, not a second one).
sed 's/^Status: O$/Status: RO/' "$TMP/m.mbox" > "$TMP/m2" && mv "$TMP/m2" "$TMP/m.mbox"
mc ingest --mbox "$TMP/m.mbox" >/dev/null 2>&1
check_eq 'flags changed in the mbox (so its bytes): extracted again, the old file replaced' \
	"$(mc search --format=files marrowtansy; ls "$CACHE" | wc -l; grep -c '^Status: RO$' "$(cached 2 S)")" "$(cached 2 S)
2
1"
mv "$(cached 2 S)" "$CACHE/renamed:2,RS"
mv "$CACHE/renamed:2,RS" "$(cached 2 RS)"
touch -d @978307200 "$(cached 2 RS)"
check_eq 'a cache file whose flags a client changed: renamed back to the mbox copy'"'"'s, not rewritten' \
	"$(mc search --format=files marrowtansy; ls "$CACHE" | wc -l; stat -c %Y "$(cached 2 S)")" "$(cached 2 S)
2
978307200"

# The mbox rewritten and not ingested again: offsets that no longer hold the
# message indexed there (a byte changed in message 1, same length; message
# 2 removed) are said, once per mbox; the others are printed.
rm -rf "$TMP/mbox-messages"
sed -e 's/quillfenwick/quillfenwicj/' -e '/^Subject: links 2$/,/^Not read yet/d' "$TMP/m.mbox" > "$TMP/m2" && mv "$TMP/m2" "$TMP/m.mbox"
out=$(mc search --format=files '*' 2>"$TMP/err"; echo "rc=$?")
check_eq 'a changed mbox: its messages left out, the maildir copy printed, exit 1' "$out" "$TMP/md2/cur/1727946000.2.host:2,S
rc=1"
check_eq "... said once: MBOX: changed since it was indexed; run 'mailclerk ingest'" "$(cat "$TMP/err")" \
	"mailclerk: $TMP/m.mbox: changed since it was indexed; run 'mailclerk ingest'"
check_eq '... and nothing was extracted' "$(ls "$CACHE" | wc -l)" 0
check_eq 'links then: the others linked, the mbox said, exit 1' \
	"$(mc links "$TMP/partial" '*' 2>&1; echo "rc=$?"; ls "$TMP/partial/cur")" "links: 1 message in $TMP/partial
mailclerk: $TMP/m.mbox: changed since it was indexed; run 'mailclerk ingest'
rc=1
$(id 3).mailclerk-link:2,S"
mc ingest --mbox "$TMP/m.mbox" >/dev/null 2>&1
check_eq 'after an ingest: the message, as the mbox has it now' \
	"$(mc search --format=files id:links-1@links.example 2>&1; echo "rc=$?"; grep -c quillfenwicj "$(cached 1 FS)")" "$(cached 1 FS)
rc=0
1"

# links
cp "$CORPUS/shapes/links-mutt.mbox" "$TMP/m.mbox"
mc ingest --mbox "$TMP/m.mbox" >/dev/null 2>&1
R="$TMP/results"
out=$(mc links "$R" 'quillfenwick OR marrowtansy OR pewterglade' 2>&1; echo "rc=$?")
check_eq 'links: a summary line, exit 0' "$out" "links: 3 messages in $R
rc=0"
check_eq '... a Maildir with the mark' "$(ls -A "$R" | tr '\n' ' ')" '.mailclerk-links cur new tmp '
check_eq '... one link per message in cur/, named with its flags' "$(ls "$R/cur" | LC_ALL=C sort)" \
	"$(printf '%s\n' "$(id 1).mailclerk-link:2,FS" "$(id 2).mailclerk-link:2," "$(id 3).mailclerk-link:2,S" | LC_ALL=C sort)"
check_eq '... each to the path --format=files prints' \
	"$(for f in "$R"/cur/*; do readlink "$f"; done | LC_ALL=C sort)" \
	"$(mc search --format=files 'quillfenwick OR marrowtansy OR pewterglade' | LC_ALL=C sort)"
check_eq '... which opens as the message' "$(grep -l quillfenwick "$R"/cur/* | wc -l)" 1

inodes=$(ls -i "$R/cur" | sort)
check_eq 'the same query again: the same links, kept as they were' \
	"$(mc links "$R" 'quillfenwick OR marrowtansy OR pewterglade' >/dev/null; ls -i "$R/cur" | sort)" "$inodes"

# mutt renames a link it marks read; the next run replaces it all the same.
mv "$R/cur/$(id 2).mailclerk-link:2," "$R/cur/$(id 2).mailclerk-link:2,S"
out=$(mc links --limit 1 --sort oldest "$R" 'links' 2>&1; echo "rc=$?")
check_eq 'a second run (--limit 1 --sort oldest) replaces every link it made, the renamed one too' \
	"$out $(ls "$R/cur")" "links: 1 message in $R
rc=0 $(id 1).mailclerk-link:2,FS"
check_eq 'no match: an empty Maildir' "$(mc links "$R" nosuchwordanywhere; ls "$R/cur" | wc -l)" "links: 0 messages in $R
0"

# Folders that are not links' own: refused, exit 2, not touched.
mc links "$R" '*' >/dev/null 2>&1
: > "$R/cur/1727946000.9.host:2,S"
before=$(listing "$R")
out=$(mc links "$R" '*' 2>&1; echo "rc=$?")
check_eq 'a file it did not make in cur/: refused, exit 2' "$out" \
	"mailclerk: $R: it holds cur/1727946000.9.host:2,S, which 'mailclerk links' did not make; it replaces only its own links: give it a new or empty folder
rc=2"
check_eq '... and the folder is as it was' "$(listing "$R")" "$before"
rm "$R/cur/1727946000.9.host:2,S"
ln -s "$TMP/m.mbox" "$R/new/mine"
before=$(listing "$R")
check_eq 'a symlink it did not make: refused, exit 2, untouched' \
	"$(mc links "$R" '*' >/dev/null 2>&1; echo "rc=$?"; listing "$R")" "rc=2
$before"
rm "$R/new/mine"
mkdir "$R/cur/99.mailclerk-link:2,S.d"
check_eq 'a directory named like a link: refused, exit 2' "$(mc links "$R" '*' >/dev/null 2>&1; echo "rc=$?")" 'rc=2'
rmdir "$R/cur/99.mailclerk-link:2,S.d"
: > "$R/dovecot-uidlist"
check_eq 'another file beside cur/ new/ tmp/: refused, exit 2' "$(mc links "$R" '*' 2>&1; echo "rc=$?")" \
	"mailclerk: $R: it holds dovecot-uidlist, which 'mailclerk links' did not make; it replaces only its own links: give it a new or empty folder
rc=2"
mkdir -p "$TMP/mine/cur" "$TMP/mine/new" "$TMP/mine/tmp"
before=$(listing "$TMP/mine")
check_eq 'a Maildir without the mark, even an empty one: refused, exit 2, untouched' \
	"$(mc links "$TMP/mine" '*' 2>&1; echo "rc=$?"; listing "$TMP/mine")" \
	"mailclerk: $TMP/mine: it is not empty and has no .mailclerk-links mark, which 'mailclerk links' did not make; it replaces only its own links: give it a new or empty folder
rc=2
$before"
mkdir "$TMP/empty"
check_eq 'an empty folder is taken' "$(mc links "$TMP/empty" quillfenwick 2>&1; echo "rc=$?")" "links: 1 message in $TMP/empty
rc=0"
check_eq 'no query: exit 2, nothing made' "$(mc links "$TMP/new" 2>&1; echo "rc=$?"; ls "$TMP/new" 2>&1 | wc -l)" \
	"mailclerk: links: which messages? Give a query ('*' for all)
rc=2
1"

# Odd characters in paths: the index, the cache and a maildir.
ODD="$TMP/odd dir \"q\" 'é' [x] \$HOME *"
mkdir -p "$ODD/md/cur" "$ODD/md/new" "$ODD/md/tmp"
cp "$CORPUS/shapes/links-odd.eml" "$ODD/md/cur/1728378000.1.host:2,"
"$MAILCLERK" --config "$TMP/config" --db "$ODD/index.db" ingest --maildir "$ODD/md" --mbox "$TMP/m.mbox" >/dev/null 2>&1
check_eq 'odd characters: the maildir path and the cache beside the index, exact' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$ODD/index.db" search --format=files 'thimbleraft OR quillfenwick')" \
	"$ODD/md/cur/1728378000.1.host:2,
$ODD/mbox-messages/cur/$(printf 'links-1@links.example' | sha256sum | cut -c1-32).$(DB="$ODD/index.db" fp 1).mailclerk:2,FS"
"$MAILCLERK" --config "$TMP/config" --db "$ODD/index.db" links "$ODD/res" 'thimbleraft OR quillfenwick' >/dev/null
check_eq '... and links to them' \
	"$(for f in "$ODD"/res/cur/*; do readlink "$f"; done | LC_ALL=C sort)" \
	"$("$MAILCLERK" --config "$TMP/config" --db "$ODD/index.db" search --format=files 'thimbleraft OR quillfenwick' | LC_ALL=C sort)"
# A newline in a file's name: files0 ends each path with a NUL byte instead,
# for xargs -0, and the path comes out whole.
NL="$TMP/nl/md/cur/1728378000.2.host
two:2,"
mkdir -p "$TMP/nl/md/cur" "$TMP/nl/md/new" "$TMP/nl/md/tmp"
cp "$CORPUS/shapes/links-odd.eml" "$NL"
"$MAILCLERK" --config "$TMP/config" --db "$TMP/nl/index.db" ingest --maildir "$TMP/nl/md" >/dev/null 2>&1
check_eq 'files0: the path with its newline, ended by a NUL byte' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/nl/index.db" search --format=files0 thimbleraft | od -An -c | tr -s ' \n' ' ')" \
	"$(printf '%s\0' "$NL" | od -An -c | tr -s ' \n' ' ')"
check_eq '... which xargs -0 opens, as show --format=files0 gives it' \
	"$("$MAILCLERK" --config "$TMP/config" --db "$TMP/nl/index.db" search --format=files0 thimbleraft | xargs -0 grep -c thimbleraft) $("$MAILCLERK" --config "$TMP/config" --db "$TMP/nl/index.db" show --format=files0 "$("$MAILCLERK" --config "$TMP/config" --db "$TMP/nl/index.db" search --format=json thimbleraft | jq -r '.[0].id')" | xargs -0 grep -c thimbleraft)" '1 1'
