#!/bin/sh
# mbox flags: Status and X-Status as mutt writes them (tests/corpus/shapes/
# flags-mutt.mbox, made by make-flags.py), garbage in them, a rewrite by the
# mail client, copies in a maildir and an mbox, and an index that lacks them.
. "$top_srcdir/tests/lib.sh"
plan 24
cp "$CORPUS/shapes/flags-mutt.mbox" "$TMP/mutt.mbox"

# subjects QUERY: the subjects of a search ("flags N"), by N, space-separated.
subjects() { mc search --format=json "$@" | jq -r '.[].subject' | sed 's/flags //' | sort -n | tr '\n' ' '; }
# table: every message's Message-ID and id, for comparing before and after.
table() { mc search --format=json '*' | jq -r '.[] | "\(.id) \(.message_id)"' | sort -n; }

out=$(mc ingest --mbox "$TMP/mutt.mbox" 2>"$TMP/garbage-err")
check_eq 'eleven messages, garbage and all' "$(printf '%s\n' "$out" | sed 's/, in .*//')" \
	"ingest: 11 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"
check_eq '... the garbage in Status said, with the file and offset' "$(sort "$TMP/garbage-err")" \
	"mailclerk: $TMP/mutt.mbox (message at offset 1598): Status: letters other than RO ignored
mailclerk: $TMP/mutt.mbox (message at offset 1875): Status: letters other than RO ignored"
check_eq 'is:read: Status R (RO; any case; among unknown letters; beside bytes that are not UTF-8)' \
	"$(subjects is:read)" "1 4 6 7 8 "
check_eq 'is:unread: no R (O is old, not read; no Status at all; X-Status only)' \
	"$(subjects is:unread)" "2 3 5 9 10 11 "
check_eq 'is:replied: X-Status A' "$(subjects is:replied)" "4 8 9 "
check_eq 'is:flagged: X-Status F (garbage around it ignored; a folded F is not read)' "$(subjects is:flagged)" "4 7 "
check_eq 'is:draft: X-Status T' "$(subjects is:draft)" "5 "
check_eq 'is:trashed: X-Status D' "$(subjects is:trashed)" "6 "
check_eq 'JSON "flags" by name' \
	"$(mc search --format=json 'oxlipgrove OR mistletorch OR brackenfume' | jq -c '[.[] | .flags]')" \
	'[["replied","seen"],["flagged","replied","seen"],[]]'
check_eq 'the words find their messages' \
	"$(mc count glimmerbock OR tallowquist OR brackenfume OR oxlipgrove OR pebblewraith OR sorrelmantle OR quincebarrow OR mistletorch OR larchpocket OR cobblewane OR fennelcrowd)" 11
check_eq 'show prints the flags too' "$(mc show --format=json id:flags-6@mutt.example | jq -c .flags)" '["seen","trashed"]'

# mutt rewrites the mbox after flags changed: message 2 read and flagged
# (its Status line grows, so every later message moves), message 11 (no
# Message-ID) read. Ids stay; only the flags change.
before=$(table)
sed -e '/^Message-ID: <flags-2@mutt.example>$/{n;s/^Status: O$/Status: RO\nX-Status: F/;}' \
	-e '/^Subject: flags 11$/{n;n;s/^Status: O$/Status: RO/;}' "$TMP/mutt.mbox" > "$TMP/new.mbox"
check_eq 'the rewrite changed two Status lines (the test itself)' "$(grep -c '^Status: RO$' "$TMP/new.mbox") $(grep -c '^Status: RO$' "$TMP/mutt.mbox")" '5 3'
mv "$TMP/new.mbox" "$TMP/mutt.mbox"
out=$(mc ingest --mbox "$TMP/mutt.mbox" 2>&1)
check_eq 'after the rewrite: no new message' "$(printf '%s\n' "$out" | sed -n 's/^ingest: \([0-9]*\) new messages.*/\1/p')" 0
check_eq '... the same ids and Message-IDs (the synthesized one too)' "$(table)" "$before"
check_eq '... the new flags are seen' "$(subjects is:read) / $(subjects is:flagged)" "1 2 4 6 7 8 11  / 2 4 7 "
check_eq 'is:seen is is:read, is:starred is is:flagged (as mu and Gmail say)' "$(subjects is:seen) / $(subjects is:starred)" "1 2 4 6 7 8 11  / 2 4 7 "
check_eq '... an unchanged mbox then: nothing to do' \
	"$(mc ingest --mbox "$TMP/mutt.mbox" 2>&1 | sed 's/, in .*//')" \
	"ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped"

# A message in a maildir (unread, in new/) and in the mbox (read): read, as
# a message with any read copy is; its flags are those of all its copies.
mkdir -p "$TMP/md/cur" "$TMP/md/new" "$TMP/md/tmp"
sed -n '/^From mutt4@/,/^$/p' "$TMP/mutt.mbox" | sed '1d' > "$TMP/md/new/1700000000.1.host"
printf 'This message'"'"'s word is oxlipgrove.\n' >> "$TMP/md/new/1700000000.1.host"
mc ingest --maildir "$TMP/md" >/dev/null 2>&1
check_eq 'a copy in each: read, not unread, flags of both' \
	"$(mc count id:flags-4@mutt.example is:read) $(mc count id:flags-4@mutt.example is:unread) $(mc search --format=json id:flags-4@mutt.example | jq -c '[.[0].flags, (.[0].files | length)]')" \
	'1 0 [["flagged","replied","seen"],2]'

# An index made before mbox flags were read: its mbox copies have none, and
# migration 12 has every mbox read again. They learn their flags without
# being parsed (counted as renamed).
sqlite3 "$DB" "UPDATE locations SET info = '' WHERE container IN (SELECT id FROM containers WHERE kind = 'mbox'); UPDATE containers SET mtime_ns = -1 WHERE kind = 'mbox';"
check_eq 'an old index: no flags on mbox copies (the test itself)' "$(mc count is:trashed)" 0
check_eq 'the next ingest learns them without parsing' \
	"$(mc ingest --mbox "$TMP/mutt.mbox" 2>&1 | sed 's/, in .*//')" \
	"ingest: 0 new messages, 0 new copies of known messages, 9 renamed, 0 copies removed (0 messages), 0 skipped"
check_eq '... all of them' "$(subjects is:read) / $(subjects is:trashed)" "1 2 4 6 7 8 11  / 6 "

# A megabyte of Status and of X-Status: read (the first 256 bytes of each),
# indexed, nothing else happens.
{
	printf 'From big@mutt.example Mon Jan  1 10:00:00 2024\nFrom: Big <big@mutt.example>\nSubject: big status\nMessage-ID: <flags-big@mutt.example>\nStatus: R'
	head -c 1048576 /dev/zero | tr '\0' 'Q'
	printf '\nX-Status: '
	head -c 1048576 /dev/zero | tr '\0' 'A'
	printf '\n\nThis message'"'"'s word is sprocketmoss.\n'
} > "$TMP/big.mbox"
check_eq 'a megabyte of flag letters: the message is indexed with its flags' \
	"$(mc ingest --mbox "$TMP/big.mbox" >/dev/null 2>&1; mc search --format=json sprocketmoss | jq -c '[.[] | .flags]')" '[["replied","seen"]]'

# Two files of one unique name, as a mail client leaves them for a moment
# while it changes flags (or a link made by hand): both copies count with
# their own flags, and the one left when the other goes keeps its flags.
mkdir -p "$TMP/twin/cur" "$TMP/twin/new" "$TMP/twin/tmp"
printf 'From: Twin <twin@flags.example>\nTo: sam@studio.example\nSubject: twin\nMessage-ID: <flags-twin@flags.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nThe word is gemelloquartz.\n' \
	> "$TMP/twin/cur/1704067200.twin.host:2,S"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
ln "$TMP/twin/cur/1704067200.twin.host:2,S" "$TMP/twin/cur/1704067200.twin.host:2,RS"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
check_eq 'a second file of one unique name (:2,S and :2,RS): its flags count too' \
	"$(mc search --format=json gemelloquartz | jq -c '[.[] | .flags]') $(mc count 'gemelloquartz is:replied')" '[["replied","seen"]] 1'
rm "$TMP/twin/cur/1704067200.twin.host:2,S"
mc ingest --maildir "$TMP/twin" >/dev/null 2>&1
check_eq '... and, the first removed, the one left keeps them; its path is right' \
	"$(mc search --format=json gemelloquartz | jq -c '[.[] | .flags]') $(mc count 'gemelloquartz is:read') $(mc search --format=files gemelloquartz)" \
	"[[\"replied\",\"seen\"]] 1 $TMP/twin/cur/1704067200.twin.host:2,RS"
