#!/bin/sh
# The address and domain indexes are kept by epoch, a message's id / 65536
# (index/migrate-20.sql): mail whose ids are in epochs 0, 1 and 3, as a big
# archive's are, is found by address and by domain in each epoch, as reading
# every address row finds it; a client's contacts are counted again across
# the epochs when mail leaves; an index of version 19 gets the new indexes
# when it is opened, and finds the same.
. "$top_srcdir/tests/lib.sh"
plan 12

cat > "$TMP/config" <<'EOC'
[mailclerk]
me = sam@studio.example

[client alpha]
domains = alpha.example
EOC
q() { sqlite3 "$DB" "$1"; }
# into EPOCH: the next message's id is the first of EPOCH.
into() { q "UPDATE sqlite_sequence SET seq = $(($1 * 65536 - 1)) WHERE name = 'messages'"; }
# batch NAME DAY: a maildir NAME of four messages dated 2024-03-DAY: ann to
# sam with bo in Cc, sam to ann, cy to sam and ann, NAME@alpha.example to sam.
batch() {
	d="$TMP/$1/cur"
	mkdir -p "$d" "$TMP/$1/new" "$TMP/$1/tmp"
	m() { # FILE FROM TO CC
		printf 'From: %s\nTo: %s\n%sSubject: %s %s\nMessage-ID: <%s.%s@test.example>\nDate: %s Mar 2024 10:00:00 +0000\n\nzorbepochs %s\n' \
			"$2" "$3" "${4:+Cc: $4
}" "$1" "$2" "$1" "$2" "$DAY" "$1" > "$d/$1:2,S"
	}
	DAY=$2
	m "$1-1" 'Ann <ann@alpha.example>' 'sam@studio.example' 'Bo <bo@eu.beta.example>'
	m "$1-2" 'sam@studio.example' 'Ann <ann@alpha.example>' ''
	m "$1-3" 'Cy <cy@gamma.example>' 'sam@studio.example, ann@alpha.example' ''
	m "$1-4" "$1@alpha.example" 'sam@studio.example' ''
}
batch one 01
mc ingest --maildir "$TMP/one" >/dev/null 2>&1
into 1
batch two 02
mc ingest --maildir "$TMP/two" >/dev/null 2>&1
into 3
batch three 03
mc ingest --maildir "$TMP/three" >/dev/null 2>&1

check_eq 'the mail is in epochs 0, 1 and 3' \
	"$(q 'SELECT group_concat(e, " ") FROM (SELECT DISTINCT id >> 16 AS e FROM messages ORDER BY e)')" '0 1 3'

# Every address and domain of the index, and each parent of a domain, in
# each field: mailclerk's count against reading every address row (NOT
# INDEXED); prints the lines that differ.
differences() {
	{
		q "SELECT DISTINCT address FROM addresses"
		q "SELECT DISTINCT domain FROM addresses" | while read -r d; do
			while :; do
				printf '@%s\n' "$d"
				case $d in *.*) d=${d#*.} ;; *) break ;; esac
			done
		done
	} | LC_ALL=C sort -u | while read -r s; do
		for f in 'from:a.role = 0' 'to:a.role IN (1, 3)' 'cc:a.role = 2' 'address:1'; do
			field=${f%%:*}
			roles=${f#*:}
			case $s in
			@*) cond="(a.domain = '${s#@}' OR a.domain LIKE '%.${s#@}')" ;;
			*) cond="a.address = '$s'" ;;
			esac
			got=$(mc count "$field:$s")
			want=$(q "SELECT count(DISTINCT a.message) FROM addresses a NOT INDEXED WHERE $roles AND $cond")
			[ "$got" = "$want" ] || echo "$field:$s: $got, reading every row $want"
		done
	done
}
check_eq 'each address, domain and field finds what reading every row finds' "$(differences)" ''
check_eq '... in all three epochs: an address, a domain, a prefix, with a word' \
	"$(mc count from:ann@alpha.example) $(mc count to:ann@alpha.example) $(mc count cc:@beta.example) $(mc count from:@alpha.example) $(mc count 'from:ann@alp*') $(mc count 'address:@gamma.example zorbepochs') $(mc count 'from:@alpha.example -from:ann@alpha.example')" \
	'3 6 3 6 3 3 3'
check_eq '... and the ids of each epoch' \
	"$(mc search --format=json from:cy@gamma.example | jq -r '[.[].id] | sort | map(tostring) | join(" ")')" \
	"$(q "SELECT group_concat(id, ' ') FROM (SELECT id FROM messages WHERE from_addr = 'cy@gamma.example' ORDER BY id)")"
check_eq '... one in each' "$(q "SELECT group_concat(id >> 16, ' ') FROM (SELECT id FROM messages WHERE from_addr = 'cy@gamma.example' ORDER BY id)")" '0 1 3'

contact() { # ADDRESS: messages, first and last day of alpha's contact
	mc contacts --format=json alpha | jq -r --arg a "$1" \
		'.[] | select(.addresses | index($a)) | "\(.messages) \(.first[0:10]) \(.last[0:10])"'
}
check_eq "alpha's contacts count every epoch's mail" "$(contact cy@gamma.example)|$(contact ann@alpha.example)" \
	'3 2024-03-01 2024-03-03|9 2024-03-01 2024-03-03'
rm "$TMP/three/cur/three-3:2,S" "$TMP/one/cur/one-2:2,S"
mc ingest --maildir "$TMP/one" --maildir "$TMP/two" --maildir "$TMP/three" >/dev/null 2>&1
check_eq '... and are counted again across them when mail leaves' \
	"$(contact cy@gamma.example)|$(contact ann@alpha.example)" \
	'2 2024-03-01 2024-03-02|7 2024-03-01 2024-03-03'
check_eq '... every search still finds what reading every row finds' "$(differences)" ''
check_eq 'check: ok' "$(mc check 2>&1)" ok

# An index of version 19: the indexes of address and domain alone.
q "$(before_20) PRAGMA user_version = 19;"
check_eq 'an index of version 19 gets the indexes by epoch when opened' \
	"$(mc count from:ann@alpha.example)|$(q "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'addresses' ORDER BY name)")|$(q 'PRAGMA user_version')" \
	'3|addresses_epoch_address addresses_epoch_domain addresses_message|20'
check_eq '... and finds what reading every row finds' "$(differences)" ''
check_eq '... check: ok' "$(mc check 2>&1)" ok
