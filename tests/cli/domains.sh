#!/bin/sh
# @domain searches start from the domains table (index/migrate-18.sql): it
# holds every domain an address has, after ingest, new mail, reindex and an
# upgrade, and a search for @domain (and its subdomains) finds what reading
# every address row finds.
. "$top_srcdir/tests/lib.sh"
plan 14
printf '[mailclerk]\nme = sam@studio.example\n' > "$TMP/config"
cp -R "$CORPUS/maildir" "$TMP/mail"
mkdir -p "$TMP/mail/.Domains/cur" "$TMP/mail/.Domains/new" "$TMP/mail/.Domains/tmp"
chmod -R u+w "$TMP/mail"
mc ingest --maildir "$TMP/mail" --mbox "$CORPUS/mbox/takeout.mbox" >/dev/null 2>&1

q() { sqlite3 "$DB" "$1"; }
# missing: the domains of addresses that the table lacks (none, when right).
missing() { q "SELECT DISTINCT domain FROM addresses EXCEPT SELECT domain FROM domains"; }

# Each domain of the index, each of its parents (mail.acme.example: also
# acme.example and example) and each field, counted by mailclerk and by
# reading every address row as the search did before the table; prints the
# lines that differ. $1: the roles of each field as SQL.
differences() {
	q "SELECT DISTINCT domain FROM addresses" | while read -r d; do
		s=$d
		while :; do
			printf '%s\n' "$s"
			case $s in *.*) s=${s#*.} ;; *) break ;; esac
		done
	done | LC_ALL=C sort -u | while read -r s; do
		for f in 'from:a.role = 0' 'to:a.role IN (1, 3)' 'cc:a.role = 2' 'address:1'; do
			field=${f%%:*}
			roles=${f#*:}
			got=$(mc count "$field:@$s")
			want=$(q "SELECT count(DISTINCT a.message) FROM addresses a WHERE $roles AND
				(a.domain = '$s' OR a.domain LIKE '%.$s')")
			[ "$got" = "$want" ] || echo "$field:@$s: $got, reading every row $want"
		done
	done
}

check_eq 'after ingest: every domain of an address is in the table, once' \
	"$(missing)|$(q 'SELECT count(*) FROM domains')" "|$(q 'SELECT count(DISTINCT domain) FROM addresses')"
check_eq '... and each domain, parent and field finds what reading every row finds' "$(differences)" ''
check_eq '... the domains of the corpus, subdomains under their parents' \
	"$(mc count from:@acme.example) $(mc count from:@northwind.example) $(mc count 'address:@example') $(mc count '*')" \
	"9 $(q "SELECT count(DISTINCT message) FROM addresses WHERE role = 0 AND domain LIKE '%northwind.example'") $(mc count '*') 33"
check_eq 'a domain is typed in any case' "$(mc count from:@ACME.Example)" 9
check_eq 'a part of a label is not a parent: @cme.example, @example.com find nothing' \
	"$(mc count from:@cme.example) $(mc count address:@example.com)" '0 0'
# A prefix: @acm* is a domain or subdomain starting so.
check_eq 'a prefix: @acm* and @ex* as reading every row finds them' \
	"$(mc count 'from:@acm*') $(mc count 'address:@nort*')" \
	"$(q "SELECT count(DISTINCT message) FROM addresses WHERE role = 0 AND (domain LIKE 'acm%' OR domain LIKE '%.acm%')") $(q "SELECT count(DISTINCT message) FROM addresses WHERE domain LIKE 'nort%' OR domain LIKE '%.nort%'")"

# New mail from a new domain and a subdomain of it.
new_mail() {
	printf 'From: %s\nTo: sam@studio.example\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 2 Sep 2024 10:00:00 +0000\n\nzorbdomains\n' \
		"$1" "$2" "$2@test.example" > "$TMP/mail/.Domains/cur/$2:2,S"
}
new_mail 'x@newco.example' d1
new_mail 'y@eu.mail.newco.example' d2
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'new mail: its domains are added, and found with their parents' \
	"$(missing)|$(q "SELECT count(*) FROM domains WHERE domain LIKE '%newco.example'")|$(mc count from:@newco.example) $(mc count from:@mail.newco.example) $(mc count 'from:@newco.example zorbdomains')" \
	'|2|2 1 2'
check_eq '... a known domain is not added again' \
	"$(q "SELECT count(*) FROM domains") $(q 'SELECT count(DISTINCT domain) FROM addresses')" \
	"$(q 'SELECT count(DISTINCT domain) FROM addresses') $(q 'SELECT count(DISTINCT domain) FROM addresses')"

# The same message read again with another sender: reindex rewrites its
# addresses.
sed -i 's/^From: y@eu.mail.newco.example/From: z@later.example/' "$TMP/mail/.Domains/cur/d2:2,S"
mc reindex >/dev/null 2>&1
check_eq 'reindex: a message whose sender changed is found under the new domain' \
	"$(missing)|$(mc count from:@later.example) $(mc count from:@mail.newco.example) $(mc count from:@newco.example)" '|1 0 1'

# Mail gone: its domain stays in the table and finds nothing.
rm "$TMP/mail/.Domains/cur/d1:2,S"
mc ingest --maildir "$TMP/mail" >/dev/null 2>&1
check_eq 'a domain whose mail is gone stays and finds nothing' \
	"$(q "SELECT count(*) FROM domains WHERE domain = 'newco.example'") $(mc count from:@newco.example) $(mc count zorbdomains)" '1 0 1'
check_eq '... every search still finds what reading every row finds' "$(differences)" ''

# An index of schema version 17 (no table) gets it filled when opened.
q "$(before_18) PRAGMA user_version = 17;"
check_eq 'an index of version 17: the table is made and filled when it is opened' \
	"$(mc count from:@later.example)|$(missing)|$(q 'PRAGMA user_version')" '1||20'

# check: a domain missing from the table (only a hand edit does this).
q "DELETE FROM domains WHERE domain = 'later.example'"
check_eq 'check names a domain missing from the table and exits 1' \
	"$(mc check 2>/dev/null; echo "rc=$?")" \
	"domains: 'later.example' has addresses but is not in the table, so a search for @later.example misses their mail
rc=1"
q "INSERT INTO domains VALUES ('later.example')"
check_eq '... and says ok when it is there' "$(mc check 2>/dev/null; echo "rc=$?")" "ok
rc=0"
