#!/bin/sh
# Gmail labels (X-Gmail-Labels): label: queries, JSON and show, filing rules
# on labels, explain, reindex and reclassify, the 1 MB header.
# The mail: tests/corpus/shapes/labels-* (tests/corpus/README.md).
. "$top_srcdir/tests/lib.sh"
plan 40

SHAPES="$CORPUS/shapes"
MBOX="$SHAPES/labels-takeout.mbox"
cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example

[client kaneren]
match = label:/Kaneren/
EOC
# lm QUERY: the labels- messages a search finds, by number, sorted.
lm() {
	mc search --format=json "$@" | jq -r '.[].message_id' | sed -n 's/^labels-\([0-9]*\)@.*/\1/p' |
		sort -n | tr '\n' ' ' | sed 's/ $//'
}

mc ingest --mbox "$MBOX" >"$TMP/out" 2>"$TMP/err"
check_eq 'ingest of the Takeout mbox with a 1 MB label header: exit 0' "$?" 0
check_eq '... every message indexed; the labels past 200 said, with the file' "$(sed 's/ in [0-9.]* s .*//' "$TMP/out")|$(cat "$TMP/err")" \
	"ingest: 10 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages), 0 skipped,|mailclerk: $MBOX (message at offset 2844): X-Gmail-Labels: more than 200 labels, the first 200 kept"
mc ingest --file "$SHAPES/labels-fetched.eml" >/dev/null 2>&1
check_eq 'a file fetched from Gmail: indexed with its labels' "$(lm label:sent)" 11

# label: is one label in any case; NAME/* it and the labels below it.
check_eq 'label:Clients/Kaneren is that label, in any case (KANEREN too)' "$(lm label:Clients/Kaneren)" "1 10"
check_eq '... typed in any case' "$(lm label:CLIENTS/kaneren)" "1 10"
check_eq 'label:Clients/* is Clients and every label under it' "$(lm 'label:Clients/*')" "1 2 3 4 5 6 10 11"
check_eq '... quoted the same' "$(lm 'label:"clients/*"')" "1 2 3 4 5 6 10 11"
check_eq 'label:Clients/Acme/* is Clients/Acme and Clients/Acme/Web' "$(lm 'label:Clients/Acme/*')" "2 3 11"
check_eq 'label:Clients/Kaneren/* takes in Clients/Kaneren/Invoices' "$(lm 'label:Clients/Kaneren/*')" "1 6 10"
check_eq 'label:Clients is only the label Clients' "$(lm label:Clients)" "4"
check_eq 'label:Cat* a prefix' "$(lm 'label:cat*')" "2 4"
check_eq 'a label with a space, quoted' "$(lm 'label:"Category Promotions"')" "4"
check_eq 'a label with a comma, quoted' "$(lm 'label:"label, with comma"')" "3"

# A Takeout has no Status lines: its labels give the flags (read unless
# Unread, flagged when Starred); a message without X-Gmail-Labels (9) is
# unread, as an mbox message without Status is.
check_eq 'Takeout flags from labels: unread = labelled Unread, or no labels at all' "$(lm is:unread)" "4 9"
check_eq '... flagged = labelled Starred' "$(lm is:flagged)" "3"
check_eq '... read: the rest of the mbox (the 1 MB header and the encoded one included)' "$(lm is:read)" "1 2 3 5 6 7 8 10"
check_eq 'non-ASCII labels, in any case' "$(lm 'label:"clients/KÅNEREN ØST" label:ΕΛΛΗΝΙΚΆ')" "5"
check_eq 'an RFC 2047 label, decoded' "$(lm 'label:"Café crème"')" "6"
check_eq 'a Latin-1 label, read as windows-1252' "$(lm 'label:"Café Paris"')" "8"
check_eq 'blanks trimmed, control characters blanked' "$(lm 'label:"Tab bed"')" "10"
check_eq 'another header is no label; an unknown label matches nothing' \
	"$(lm mizzleport label:*) / $(lm label:NoSuchLabel) / $(mc count label:NoSuchLabel)" " /  / 0"
check_eq 'label:* is every labelled message; -label:* the others' "$(lm 'label:*') / $(lm -- '-label:*')" \
	"1 2 3 4 5 6 7 8 10 11 / 9"
check_eq 'label: combines with words and other fields' "$(lm 'label:inbox kari') / $(lm 'label:clients/* from:sam@studio.example')" \
	"1 5 6 8 10 / 11"
check_eq 'folder: still names where the copy is' \
	"$(mc count folder:labels-takeout.mbox) $(mc count 'folder:Clients/*')" "10 0"
check_eq 'an empty label: is a query error, exit 2' "$(mc count label: 2>&1; echo "rc=$?")" \
	"mailclerk: empty value for label: at column 1
rc=2"

# JSON and show.
check_eq 'JSON "labels": in header order, unquoted, each once' \
	"$(mc search --format=json 'id:labels-3@kaneren.example OR id:labels-10@kaneren.example' | jq -c '[.[].labels]')" \
	'[["inbox","Clients/KANEREN","Tab bed"],["Clients/Acme/Web","Label, with comma","Starred"]]'
check_eq '... decoded and non-ASCII' \
	"$(mc search --format=json 'id:labels-5@kaneren.example OR id:labels-6@kaneren.example' | jq -c '[.[].labels]')" \
	'[["Inbox","Café crème","Clients/Kaneren/Invoices"],["Inbox","Clients/Kåneren Øst","Ελληνικά"]]'
check_eq '... [] when none; show JSON has them too' \
	"$(mc search --format=json mizzleport | jq -c '.[0].labels') $(mc show --format=json id:labels-1@kaneren.example | jq -c .labels)" \
	'[] ["Inbox","Opened","Clients/Kaneren","Important"]'
check_eq 'show: a Labels: line after the subject (a label with a comma quoted)' "$(mc show id:labels-3@kaneren.example | sed -n '/^Subject/,/^Labels/p')" \
	"Subject: Acme web launch
Labels: Clients/Acme/Web, \"Label, with comma\", Starred"
check_eq '... and none without labels' "$(mc show id:labels-9@kaneren.example | grep -c '^Labels')" 0

# The 1 MB header: 200 labels kept, the rest dropped (Clients/Kaneren among them).
check_eq 'the 1 MB label header: 200 labels, the first 200' \
	"$(mc show --format=json id:labels-7@kaneren.example | jq -r '.labels | "\(length) \(.[0]) \(.[199])"')" \
	"200 Bulk000000 Bulk000199"
check_eq '... the label past them is not there' "$(lm label:Bulk000200) / $(lm label:Bulk000199)" " / 7"

# Filing: label:/Kaneren/ (case as written: KANEREN and Kåneren are no match;
# the label past the 200 was dropped).
check_eq 'a label rule files Clients/Kaneren and Clients/Kaneren/Invoices' "$(lm client:kaneren)" "1 6"
check_eq 'clients counts them' "$(mc clients --format=json | jq -c '[.[] | [.client, .messages_in]]')" '[["kaneren",2]]'
check_eq 'explain says the label rule filed it' "$(mc explain id:labels-6@kaneren.example | head -n 1)" \
	'client kaneren: label /Kaneren/, matched "Kaneren"'

# reclassify files by labels read from the index, a new rule included.
cat >> "$TMP/config" <<EOC

[client acme]
match = label:/^clients\/acme(\/|$)/i
EOC
mc reclassify >/dev/null 2>&1
check_eq 'reclassify: a new label rule files from the stored labels' "$(lm client:acme) / $(lm client:kaneren)" "2 3 11 / 1 6"

# An index made before labels: reindex reads them from the copies.
sqlite3 "$DB" "DELETE FROM labels; INSERT INTO reindex_needed VALUES (1, 'labels')"
check_eq 'an index without labels finds none' "$(mc count 'label:*')" 0
check_eq '... and check says why' "$(mc check | tail -n 1)" \
	"reindex needed: this index was made by an older mailclerk and lacks labels; run 'mailclerk reindex'"
mc reindex >"$TMP/out" 2>/dev/null
check_eq 'reindex: every message read again, the labelled ones changed' "$(sed 's/, in .*//' "$TMP/out")" \
	'reindex: 11 messages read again, 10 changed, 0 unreadable'
check_eq '... the labels are back' "$(lm 'label:Clients/*') $(mc count 'label:*') $(sqlite3 "$DB" 'SELECT count(*) FROM labels')" \
	"1 2 3 4 5 6 10 11 10 226"
