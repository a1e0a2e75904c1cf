#!/bin/sh
# Configuration: defaults, sources, and clear errors for bad files.
. "$top_srcdir/tests/lib.sh"
plan 19

check_exit 'a missing --config file is an error (2)' 2 "$MAILCLERK" --config "$TMP/nope" --db "$DB" count '*'
check_eq '... naming the file' "$("$MAILCLERK" --config "$TMP/nope" --db "$DB" count '*' 2>&1)" \
	"mailclerk: $TMP/nope: No such file or directory"
check_exit 'a missing MAILCLERK_CONFIG file is an error too' 2 env MAILCLERK_CONFIG="$TMP/nope" "$MAILCLERK" --db "$DB" count '*'
check_eq '--config /dev/null means no configuration' "$("$MAILCLERK" --config /dev/null --db "$TMP/devnull.db" ingest --file "$CORPUS/eml/outlook-crlf.eml" 2>&1 | cut -c1-23)" "ingest: 1 new messages,"
# The XDG default may be missing: defaults, and the XDG default index.
"$MAILCLERK" ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1
check_eq 'no config at all: defaults, and the index under XDG_DATA_HOME' "$("$MAILCLERK" count '*')" 29
check 'the default index file exists' test -f "$XDG_DATA_HOME/mailclerk/index.db"
check_eq 'MAILCLERK_DB names the index' "$(MAILCLERK_DB="$XDG_DATA_HOME/mailclerk/index.db" "$MAILCLERK" --config "$TMP/config" count '*')" 29

printf '[mailclerk]\nme = sam@studio.example\nfoo = bar\n' > "$TMP/bad"
check_eq 'an unknown key names the file, group and key' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*' 2>&1)" \
	"mailclerk: $TMP/bad: [mailclerk]: unknown key 'foo'"
check_exit '... and exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
printf '[source old]\ntype = maildir\n' > "$TMP/bad"
check_eq 'a missing path is named' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" ingest 2>&1)" \
	"mailclerk: $TMP/bad: [source old]: missing required key 'path'"
printf 'this is not ini\n' > "$TMP/bad"
check 'a syntax error names the file and line' sh -c '"$1" --config "$2" --db "$3" count x 2>&1 | grep -q "^mailclerk: $2: .*line"' - "$MAILCLERK" "$TMP/bad" "$DB"

cat > "$TMP/config" <<EOC
[mailclerk]
me = sam@studio.example

[source laptop]
type = maildir
path = $CORPUS/maildir

[source takeout]
type = mbox
path = $CORPUS/mbox/takeout.mbox
EOC
rm -f "$DB"
mc ingest takeout >/dev/null 2>&1
check_eq 'ingest NAME ingests only that source' "$(mc count '*')" 4
mc ingest >/dev/null 2>&1
check_eq 'ingest with no arguments ingests every source' "$(mc count '*')" 33
check_eq 'source: finds mail by source name' "$(mc count source:takeout)" 4
check_exit 'an unknown source name is an error (2)' 2 mc ingest nosuch

# Overlapping sources: a folder is scanned once per run, ids stay put.
cat > "$TMP/config" <<EOC
[source all]
type = maildir
path = $CORPUS/maildir

[source sent]
type = maildir
path = $CORPUS/maildir/.Sent
EOC
rm -f "$DB"
mc ingest >/dev/null 2>&1
check_eq 'overlapping sources: each message once' "$(mc count '*')" 29
before=$(mc search --format=json '*' | jq -c '[.[].id]')
out=$(mc ingest 2>&1)
check 'a second run of overlapping sources changes nothing' sh -c 'printf "%s" "$1" | grep -q "^ingest: 0 new messages, 0 new copies of known messages, 0 renamed, 0 copies removed (0 messages)"' - "$out"
check_eq '... and keeps every id' "$(mc search --format=json '*' | jq -c '[.[].id]')" "$before"
check_exit 'a source whose path is missing fails the run (exit 1)' 1 mc ingest --maildir "$TMP/no-such-dir"
