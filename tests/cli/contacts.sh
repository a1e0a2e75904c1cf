#!/bin/sh
# The address book: contacts by client and person (one person's addresses
# merged), as text, JSON, vCards (read back with python3-vobject, imported
# into khard) and mutt's query_command answer; names that must be escaped.
. "$top_srcdir/tests/lib.sh"
plan 36

S="$CORPUS/shapes"
cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client ferrule]
name = Ferrule & Sons; Ltd.
domains = ferrule.example
addresses = piet.personal@mail.example

[client quayside]
domains = quayside.example
EOC
mc ingest --file "$S"/contacts-*.eml >/dev/null 2>&1
ESC=$(printf '\033')

check_eq 'text: a row per person and client, most mail first, every address' "$(mc contacts)" \
"Piet de Vries            ferrule      6  2024-03-01  2024-03-12  piet@ferrule.example, piet.personal@mail.example, p.devries@ferrule.example
Info                     ferrule      2  2024-03-02  2024-03-11  info@ferrule.example
Anna van Vries, Jr.; QA\\Lead Team ferrule      1  2024-03-15  2024-03-15  anna@ferrule.example
Info                     ferrule      1  2024-03-03  2024-03-03  hello@ferrule.example
Mira Quist               ferrule      1  2024-03-12  2024-03-12  mira@quayside.example
Ferrule Team             ferrule      1  2024-03-11  2024-03-11  team@groups.example
-                        quayside     1  2024-03-13  2024-03-13  jon@quayside.example
Maximiliane Theodora Ålesund-Øvergård von Hohenzollern-Sigmaringen und Wittelsbach-Großherzogtum quayside     1  2024-03-14  2024-03-14  max@quayside.example
Mira Quist               quayside     1  2024-03-12  2024-03-12  mira@quayside.example
Piet de Vries            quayside     1  2024-03-12  2024-03-12  piet@ferrule.example"
check_eq 'json: the person, "address" the most used, "addresses", "clients"' "$(mc contacts --format=json ferrule | jq -c '.[0]')" \
	'{"name":"Piet de Vries","address":"piet@ferrule.example","addresses":["piet@ferrule.example","piet.personal@mail.example","p.devries@ferrule.example"],"clients":["ferrule"],"messages":6,"first":"2024-03-01T09:00:00Z","last":"2024-03-12T11:00:00Z"}'
check_eq 'CLIENT: only its rows' "$(mc contacts --format=json quayside | jq -r '[.[] | .clients[0]] | unique | join(" ")')" quayside
check_eq 'a role name ("Info") merges nobody' "$(mc contacts --format=json ferrule | jq -c '[.[] | select(.name == "Info") | .addresses]')" '[["info@ferrule.example"],["hello@ferrule.example"]]'
check_eq 'a relay writing Piet'"'"'s name ("via") is not Piet' "$(mc contacts --format=json ferrule | jq -c '[.[] | select(.addresses | index("team@groups.example")) | .name]')" '["Ferrule Team"]'
# Without the personal address in the config, the name "Piet" alone is
# not "Piet de Vries".
sed '/^addresses/d' "$TMP/config" > "$TMP/config2"
check_eq 'a personal address is merged only when the config lists it' "$("$MAILCLERK" --config "$TMP/config2" --db "$DB" contacts --format=json ferrule | jq -c '[.[] | select(.name | startswith("Piet")) | [.name, .addresses]]')" \
	'[["Piet de Vries",["piet@ferrule.example","p.devries@ferrule.example"]],["Piet",["piet.personal@mail.example"]]]'
check_eq '--query: name or address, any case, folded as search folds' "$(mc contacts --query OVERGARD --format=json | jq -r '.[].address') $(mc contacts --query PERSONAL --format=json | jq -r '.[].address')" \
	"max@quayside.example piet@ferrule.example"
check_eq '--query and CLIENT together' "$(mc contacts --query piet quayside | cut -c1-39)" "Piet de Vries            quayside     1"

# mutt's query_command: a first line, then address TAB name TAB client.
check_eq 'mutt: a line per address' "$(mc contacts --format=mutt --query piet)" "mailclerk: 2 contacts matching 'piet'
piet@ferrule.example	Piet de Vries	ferrule
piet.personal@mail.example	Piet de Vries	ferrule
p.devries@ferrule.example	Piet de Vries	ferrule
piet@ferrule.example	Piet de Vries	quayside"
check_eq 'mutt: no name: the address stands in (mutt'"'"'s strtok would eat an empty field)' "$(mc contacts --format=mutt --query jon@)" "mailclerk: 1 contact matching 'jon@'
jon@quayside.example	jon@quayside.example	quayside"
check_eq 'mutt: nothing matches: the first line alone' "$(mc contacts --format=mutt --query nobody-at-all)" "mailclerk: no contacts matching 'nobody-at-all'"
check_exit '... and exit 0, as every query with no results' 0 mc contacts --format=mutt --query nobody-at-all
check_eq 'mutt: every line has three fields' "$(mc contacts --format=mutt | sed 1d | awk -F '	' 'NF != 3' | wc -l | tr -d ' ')" 0

# vCards.
mc contacts --format=vcard > "$TMP/all.vcf"
check_eq 'vcard: one card per row' "$(grep -c '^BEGIN:VCARD' "$TMP/all.vcf")" 10
check_eq 'vcard: every line ends with CRLF' "$(grep -c "$(printf '\r')\$" "$TMP/all.vcf")" "$(wc -l < "$TMP/all.vcf" | tr -d ' ')"
check_eq 'vcard: no line over 75 octets' "$(LC_ALL=C awk '{ sub(/\r$/, "") } length($0) > 75' "$TMP/all.vcf" | wc -l | tr -d ' ')" 0
check_eq 'vcard: the long name is folded' "$(LC_ALL=C grep -c '^ ' "$TMP/all.vcf")" 1
check_eq 'vcard: a person, escaped' "$(mc contacts --format=vcard --query piet ferrule | tr -d '\r' | grep -v '^UID')" 'BEGIN:VCARD
VERSION:4.0
FN:Piet de Vries
EMAIL;PREF=1:piet@ferrule.example
EMAIL:piet.personal@mail.example
EMAIL:p.devries@ferrule.example
ORG:Ferrule & Sons\; Ltd.
CATEGORIES:ferrule
NOTE:mailclerk: first seen 2024-03-01\, last seen 2024-03-12\, 6 messages
END:VCARD'
check_eq 'vcard: commas, semicolons and backslashes of a name escaped' "$(grep '^FN:Anna' "$TMP/all.vcf" | tr -d '\r')" 'FN:Anna van Vries\, Jr.\; QA\\Lead Team'
check_eq 'vcard: no name: FN is the address; ORG is the key without a name' "$(mc contacts --format=vcard --query jon@ | tr -d '\r' | grep -E '^(FN|ORG|CATEGORIES)')" 'FN:jon@quayside.example
ORG:quayside
CATEGORIES:quayside'
check_eq 'vcard: the UID is a urn:uuid' "$(grep -c '^UID:urn:uuid:[0-9a-f]\{8\}-[0-9a-f]\{4\}-5[0-9a-f]\{3\}-[89ab][0-9a-f]\{3\}-[0-9a-f]\{12\}.$' "$TMP/all.vcf")" 10
check_eq 'vcard: a UID per person and client' "$(grep '^UID' "$TMP/all.vcf" | sort -u | wc -l | tr -d ' ')" 10

# Read back with a vCard library.
if /usr/bin/python3 -c 'import vobject' 2>/dev/null; then
	readback() {
		/usr/bin/python3 - "$1" <<'EOF'
import sys, vobject
text = open(sys.argv[1], encoding="utf-8", newline="").read()
for c in vobject.readComponents(text):
    emails = " ".join(e.value + ("(PREF=1)" if e.params.get("PREF") == ["1"] else "")
                      for e in c.contents["email"])
    org = c.org.value
    print("|".join([c.version.value, c.fn.value, emails, ";".join(org) if isinstance(org, list) else org,
                    ",".join(c.categories.value), c.note.value]))
EOF
	}
	check_eq 'vobject reads every card back: FN, EMAIL with PREF, ORG, CATEGORIES, NOTE' "$(readback "$TMP/all.vcf")" \
"4.0|Piet de Vries|piet@ferrule.example(PREF=1) piet.personal@mail.example p.devries@ferrule.example|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-01, last seen 2024-03-12, 6 messages
4.0|Info|info@ferrule.example(PREF=1)|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-02, last seen 2024-03-11, 2 messages
4.0|Anna van Vries, Jr.; QA\\Lead Team|anna@ferrule.example(PREF=1)|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-15, last seen 2024-03-15, 1 message
4.0|Info|hello@ferrule.example(PREF=1)|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-03, last seen 2024-03-03, 1 message
4.0|Mira Quist|mira@quayside.example(PREF=1)|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-12, last seen 2024-03-12, 1 message
4.0|Ferrule Team|team@groups.example(PREF=1)|Ferrule & Sons; Ltd.|ferrule|mailclerk: first seen 2024-03-11, last seen 2024-03-11, 1 message
4.0|jon@quayside.example|jon@quayside.example(PREF=1)|quayside|quayside|mailclerk: first seen 2024-03-13, last seen 2024-03-13, 1 message
4.0|Maximiliane Theodora Ålesund-Øvergård von Hohenzollern-Sigmaringen und Wittelsbach-Großherzogtum|max@quayside.example(PREF=1)|quayside|quayside|mailclerk: first seen 2024-03-14, last seen 2024-03-14, 1 message
4.0|Mira Quist|mira@quayside.example(PREF=1)|quayside|quayside|mailclerk: first seen 2024-03-12, last seen 2024-03-12, 1 message
4.0|Piet de Vries|piet@ferrule.example(PREF=1)|quayside|quayside|mailclerk: first seen 2024-03-12, last seen 2024-03-12, 1 message"
else
	skip 'vobject reads every card back' 'no python3-vobject (/usr/bin/python3)'
fi

# The UID stays with the person: the same run after run, and after new
# mail that makes another of Piet's addresses the most used.
uids() { mc contacts --format=vcard ferrule | tr -d '\r' | grep -e '^UID' -e '^EMAIL;PREF'; }
before=$(uids)
check_eq 'vcard: the same UIDs run after run' "$(uids)" "$before"
for n in 1 2 3 4 5; do
	printf 'From: Piet de Vries <p.devries@ferrule.example>\nTo: sam@studio.example\nSubject: more %s\nMessage-ID: <contacts-more-%s@shapes.example>\nDate: Mon, 1%s Apr 2024 09:00:00 +0000\n\nmore\n' $n $n $n > "$TMP/more-$n.eml"
done
mc ingest --file "$TMP"/more-*.eml >/dev/null 2>&1
after=$(uids)
check_eq '... now p.devries is the most used (PREF=1)' "$(printf '%s\n' "$after" | sed -n 1p)" 'EMAIL;PREF=1:p.devries@ferrule.example'
check_eq '... and the UIDs have not changed' "$(printf '%s\n' "$after" | grep '^UID')" "$(printf '%s\n' "$before" | grep '^UID')"

# khard reads a vdir (a vCard per file); the README's recipe writes one.
if command -v khard >/dev/null 2>&1; then
	mkdir -p "$TMP/home/.config/khard" "$TMP/book"
	printf '[addressbooks]\n[[clients]]\npath = %s\n' "$TMP/book" > "$TMP/home/.config/khard/khard.conf"
	vdir() {
		mc contacts --format=vcard | awk -v dir="$TMP/book" '
/^BEGIN:VCARD/ { card = "" }
{ card = card $0 "\n" }
/^UID:urn:uuid:/ { uid = substr($0, 14); sub(/\r$/, "", uid) }
/^END:VCARD/ { f = dir "/" uid ".vcf"; printf "%s", card > f; close(f) }'
	}
	vdir
	check_eq 'khard: a file per card' "$(ls "$TMP/book" | wc -l | tr -d ' ')" 10
	check_eq 'khard email --parsable lists every address with its name' "$(khard email --parsable 2>/dev/null | grep '@' | LC_ALL=C sort)" \
"anna@ferrule.example	Anna van Vries, Jr.; QA\\Lead Team	pref=1
hello@ferrule.example	Info	pref=1
info@ferrule.example	Info	pref=1
jon@quayside.example	jon@quayside.example	pref=1
max@quayside.example	Maximiliane Theodora Ålesund-Øvergård von Hohenzollern-Sigmaringen und Wittelsbach-Großherzogtum	pref=1
mira@quayside.example	Mira Quist	pref=1
mira@quayside.example	Mira Quist	pref=1
p.devries@ferrule.example	Piet de Vries	pref=1
piet.personal@mail.example	Piet de Vries	internet
piet@ferrule.example	Piet de Vries	internet
piet@ferrule.example	Piet de Vries	pref=1
team@groups.example	Ferrule Team	pref=1"
	vdir
	check_eq 'khard: exporting again updates the same files' "$(ls "$TMP/book" | wc -l | tr -d ' ')" 10
else
	skip 'khard: a file per card' 'no khard'
	skip 'khard email --parsable lists every address with its name' 'no khard'
	skip 'khard: exporting again updates the same files' 'no khard'
fi

# A name an index holds with control characters, a newline and a TAB
# (parsing blanks them, but the index is a file): escaped in every format.
# (Both where the name is stored and where contacts reads it, counted by the
# writer: contact_stats.)
for t in addresses contact_stats; do
	sqlite3 "$DB" "UPDATE $t SET name = 'Zed' || char(10) || 'Tab' || char(9) || 'Bell' || char(7) || ', x; y\\z' || char(27) || '[31m' WHERE address = 'anna@ferrule.example'"
done
check_eq 'vcard: a newline escaped, other controls dropped' "$(mc contacts --format=vcard --query anna@ | grep '^FN' | tr -d '\r')" 'FN:Zed\nTabBell\, x\; y\\z[31m'
check_eq 'mutt: controls are spaces, three fields' "$(mc contacts --format=mutt --query anna@ | sed 1d)" 'anna@ferrule.example	Zed Tab Bell , x; y\z [31m	ferrule'
check_eq 'text: controls are spaces' "$(mc contacts --query anna@ | cut -c1-26)" 'Zed Tab Bell , x; y\z [31m'
check_eq 'text: no escape character reaches the terminal' "$(mc contacts | grep -c "$ESC")" 0
check_eq 'json: escaped as JSON' "$(mc contacts --format=json --query anna@ | jq -r '.[0].name' | od -An -c | tr -s ' ' | tr -d '\n')" ' Z e d \n T a b \t B e l l \a , x ; y \ z 033 [ 3 1 m \n'

# Usage errors.
check_eq 'an unknown format names those offered' "$(mc contacts --format=ldif 2>&1; echo "rc=$?")" "mailclerk: contacts prints text, json, vcard or mutt, not 'ldif'
rc=2"
check_eq 'a --query that is not UTF-8' "$(mc contacts --query "$(printf 'a\377')" 2>&1; echo "rc=$?")" "mailclerk: contacts --query: TEXT is not UTF-8
rc=2"
