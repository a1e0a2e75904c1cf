#!/bin/sh
# Configuration: defaults, sources, and clear errors for bad files.
. "$top_srcdir/tests/lib.sh"
plan 56

check_exit 'a missing --config file is an error (2)' 2 "$MAILCLERK" --config "$TMP/nope" --db "$DB" count '*'
check_eq '... naming the file' "$("$MAILCLERK" --config "$TMP/nope" --db "$DB" count '*' 2>&1)" \
	"mailclerk: $TMP/nope: No such file or directory"
check_exit 'a missing MAILCLERK_CONFIG file is an error too' 2 env MAILCLERK_CONFIG="$TMP/nope" "$MAILCLERK" --db "$DB" count '*'
check_eq '--config /dev/null means no configuration' "$("$MAILCLERK" --config /dev/null --db "$TMP/devnull.db" ingest --file "$CORPUS/eml/outlook-crlf.eml" 2>&1 | cut -c1-22)" "ingest: 1 new message,"
# The XDG default may be missing: defaults, and the XDG default index.
"$MAILCLERK" ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1
check_eq 'no config at all: defaults, and the index under XDG_DATA_HOME' "$("$MAILCLERK" count '*')" 29
check 'the default index file exists' test -f "$XDG_DATA_HOME/mailclerk/index.db"
check_eq 'MAILCLERK_DB names the index' "$(MAILCLERK_DB="$XDG_DATA_HOME/mailclerk/index.db" "$MAILCLERK" --config "$TMP/config" count '*')" 29

printf '[mailclerk]\nme = sam@studio.example\nfoo = bar\n' > "$TMP/bad"
check_eq 'an unknown key names the file, group and key' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*' 2>&1)" \
	"mailclerk: $TMP/bad:3: [mailclerk]: unknown key 'foo'"
check_exit '... and exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
printf '[source old]\ntype = maildir\n' > "$TMP/bad"
check_eq 'a missing path is named' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" ingest 2>&1)" \
	"mailclerk: $TMP/bad:1: [source old]: missing required key 'path'"
printf 'this is not ini\n' > "$TMP/bad"
check_eq 'a syntax error names the file and line' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" count x 2>&1)" \
	"mailclerk: $TMP/bad:1: expected [GROUP], KEY = VALUE or a # comment, not 'this is not ini'"

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

# Lists of addresses and domains take ';' or ','; '@acme.example' is a domain.
cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example, sam.carter@gmail.example

[client  acme]
domains = @acme.example
[client globex ]
addresses = dana@globex.example; news@globex.example , tom@northwind.example
[project acme/website]
match = subject:/\[ACME-12\]/
EOC
rm -f "$DB"
mc ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1
check_eq "me with ',': the user's own mail is outbound" "$(mc count is:outbound)" 2
check_eq "domains = @acme.example files acme.example mail" "$(mc count client:acme)" 10
check_eq '... under the rule "domain acme.example"' "$(mc explain id:20240205090000.kickoff@acme.example | head -n 1)" \
	'client acme: domain acme.example, matched "bob@acme.example"'
check_eq "addresses with ';' and ',' mixed" "$(mc count client:globex)" 4
check_eq '[client  acme] and [client globex ] are acme and globex, once each' "$(mc clients --format=json | jq -r '[.[].client] | join(" ")')" "acme globex"
check_eq '... and [project acme/website] finds its client' "$(mc count project:acme/website)" 9

# What the config cannot use is an error naming FILE:LINE, group and key.
bad() { printf "$@" > "$TMP/bad"; "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*' 2>&1; }
check_eq 'an address that is none' "$(bad '[mailclerk]\nme = sam@studio.example, sam\n')" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'me': 'sam' is not an e-mail address"
check_exit '... exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
check_eq 'a display name around an address' "$(bad '[mailclerk]\nme = Sam Carter <sam@studio.example>\n')" \
	"mailclerk: $TMP/bad:2: [mailclerk]: key 'me': 'Sam Carter <sam@studio.example>' is not an e-mail address"
printf '[mailclerk]\nme = root@localhost\n' > "$TMP/host"
check_exit 'an address at a host of one label is one (root@localhost)' 0 "$MAILCLERK" --config "$TMP/host" --db "$DB" count '*'
check_eq 'a domain in addresses' "$(bad '[client acme]\n# ACME\naddresses = acme.example\n')" \
	"mailclerk: $TMP/bad:3: [client acme]: key 'addresses': 'acme.example' is not an e-mail address"
check_eq 'an address in domains' "$(bad '[client acme]\ndomains = acme.example; bob@acme.example\n')" \
	"mailclerk: $TMP/bad:2: [client acme]: key 'domains': 'bob@acme.example' is not a domain"
check_eq 'a domain of one label' "$(bad '[client acme]\ndomains = acme\n')" \
	"mailclerk: $TMP/bad:2: [client acme]: key 'domains': 'acme' is not a domain"
check_exit '... exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
check_eq 'an IDN domain in UTF-8 is a domain' "$(bad '[client b]\ndomains = Bücher.example\n[client a]\ndomains = a..example\n')" \
	"mailclerk: $TMP/bad:4: [client a]: key 'domains': 'a..example' is not a domain"
check_eq '[client  acme] is [client acme]: given twice' "$(bad '[client acme]\ndomains = acme.example\n\n[client  acme]\n')" \
	"mailclerk: $TMP/bad:4: group [client acme] is given twice (also at line 1)"
check_eq '[client acme ] too' "$(bad '[client acme ]\n[client acme]\n')" \
	"mailclerk: $TMP/bad:2: group [client acme] is given twice (also at line 1)"
check_exit '... exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
check_eq 'invalid UTF-8 in a value' "$(bad '[client acme]\nname = Caf\351 Acme\n')" \
	"mailclerk: $TMP/bad:2: [client acme]: key 'name': not valid UTF-8 (the file must be UTF-8 text)"
check_exit '... exits 2' 2 "$MAILCLERK" --config "$TMP/bad" --db "$DB" count '*'
check_eq 'invalid UTF-8 in a comment' "$(bad '[mailclerk]\n# caf\351\n')" \
	"mailclerk: $TMP/bad:2: not valid UTF-8 (the file must be UTF-8 text)"
check_eq 'a key before any group' "$(bad '# mine\nme = sam@studio.example\n')" \
	"mailclerk: $TMP/bad:2: key 'me': comes before any [group]"
check_eq 'a backslash that starts no escape' "$(bad '[client acme]\nname = ACME\\Corp\n')" \
	"mailclerk: $TMP/bad:2: [client acme]: key 'name': 'ACME\\Corp' has a '\\' that starts no escape (write '\\\\')"
check_eq 'an empty group name' "$(bad '[mailclerk]\n[ ]\n')" "mailclerk: $TMP/bad:2: empty group name []"
check_eq 'followup_max_age out of range' "$(bad '[mailclerk]\nme = sam@studio.example\nfollowup_max_age = 0\n')" \
	"mailclerk: $TMP/bad:3: [mailclerk]: key 'followup_max_age': '0' is not a number from 1 to 36500"
check_eq 'followup_days that is no number' "$(bad '[client acme]\ndomains = acme.example\nfollowup_days = two weeks\n')" \
	"mailclerk: $TMP/bad:3: [client acme]: key 'followup_days': 'two weeks' is not a number from 1 to 3650"
check_eq 'active that is not yes or no' "$(bad '[client acme]\nactive = maybe\n')" \
	"mailclerk: $TMP/bad:2: [client acme]: key 'active': 'maybe' is not yes or no (true or false)"

# Every command that reads clients or projects checks the rules, with the line.
printf '[mailclerk]\nme = sam@studio.example\n\n[client acme]\ndomains = acme.example\nexclude = from:/^noreply@/\nmatch = subject:/ACME-(\\d+/\n' > "$TMP/bad"
msg="mailclerk: $TMP/bad:7: [client acme]: key 'match': regex /ACME-(\\d+/ does not compile: missing closing parenthesis at offset 9"
set -f # the '*' of attachments save is a query
for c in 'explain 1' followups clients projects 'timeline acme' contacts 'attachments save --dry-run *' 'ingest --maildir /nonexistent' reclassify; do
	# shellcheck disable=SC2086
	check_eq "$c: a bad rule is exit 2, naming FILE:LINE" "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" $c 2>&1; echo "exit $?")" "$msg
exit 2"
done
set +f
check_eq 'search does not compile the rules' "$("$MAILCLERK" --config "$TMP/bad" --db "$DB" count client:acme)" 10
