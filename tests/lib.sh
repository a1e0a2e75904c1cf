# tests/lib.sh: a few TAP helpers for the command-line tests (after mblaze's t/lib.sh).
# Each test script sources this, calls plan N, then one check per line.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${MAILCLERK:=$top_builddir/mailclerk}"
# Canonical: mailclerk stores absolute, canonical paths.
CORPUS=$(cd "$top_srcdir/tests/corpus" && pwd -P)

# Every test gets its own home, config and index, removed at the end.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mailclerk-test.XXXXXX")
# In a --enable-sanitizers build, any ASan/UBSan report fails the script even
# when the command's output looked right.
export ASAN_OPTIONS="log_path=$TMP/sanitizer:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="log_path=$TMP/sanitizer:print_stacktrace=1:${UBSAN_OPTIONS:-}"
_finish() {
	if ls "$TMP"/sanitizer.* >/dev/null 2>&1; then
		sed 's/^/# /' "$TMP"/sanitizer.*
		echo "not ok - sanitizer reports (see above)"
	fi
	rm -rf "$TMP"
}
trap _finish EXIT
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
mkdir -p "$HOME"
unset MAILCLERK_CONFIG MAILCLERK_DB MAILCLERK_NOW NO_COLOR
: > "$TMP/config"
DB="$TMP/index.db"

_n=0
plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n - $1"; }
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }

# Whether this build indexes PDF text (mailclerk --version says so).
have_pdf_text() { "$MAILCLERK" --version | grep -q '^PDF text: poppler'; }
# Whether this build opens TNEF attachments (winmail.dat).
have_tnef() { "$MAILCLERK" --version | grep -q '^TNEF: libytnef'; }

# check_eq DESCRIPTION GOT EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		printf '%s\n' "expected:" "$3" "got:" "$2" | sed 's/^/#   /'
	fi
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	_desc=$1
	shift
	if "$@"; then ok "$_desc"; else not_ok "$_desc"; fi
}

# check_exit DESCRIPTION STATUS COMMAND...: passes when COMMAND exits with STATUS.
check_exit() {
	_desc=$1
	_want=$2
	shift 2
	"$@" >/dev/null 2>&1
	check_eq "$_desc" "$?" "$_want"
}

# small_maildir DIR N TAG: a maildir DIR of N one-line messages in cur/
# (TAG in the sender's domain, the subject, the Message-ID and the body),
# from 50 senders, all dated 2024-01-01.
small_maildir() {
	mkdir -p "$1/cur" "$1/new" "$1/tmp"
	awk -v dir="$1/cur" -v n="$2" -v tag="$3" 'BEGIN {
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/%d.M%dP1.host:2,S", dir, 1700000000 + i, i)
			printf "From: Sender %d <s%d@%s.example>\nTo: sam@studio.example\nSubject: %s test %d\nMessage-ID: <%s-%d@%s.example>\nDate: Mon, 01 Jan 2024 00:00:00 +0000\n\nmessage %d of the %s test\n", i % 50, i % 50, tag, tag, i, tag, i, tag, i, tag > f
			close(f)
		}
	}'
}

# mc ARGS...: mailclerk on this test's config and index.
mc() { "$MAILCLERK" --config "$TMP/config" --db "$DB" "$@"; }

# ids QUERY...: the ids a search returns, sorted, space-separated.
ids() { mc search --format=json "$@" | jq -r '[.[].id] | sort | map(tostring) | join(" ")'; }

# mids QUERY...: the Message-IDs a search returns, sorted, one per line.
mids() { mc search --format=json "$@" | jq -r '.[].message_id' | LC_ALL=C sort; }

# The SQL of the full-text source view and delete trigger as schema
# versions before 13 had them (no alt column), for tests that make an index
# of an older mailclerk: sqlite3 knows no mc_unzstd, so they are written back
# as text around the dropped column rather than by mailclerk.
fts_before_13() {
	cat <<'EOF'
CREATE VIEW fts_source AS
	SELECT t.id AS id, m.subject AS subject, t.sender AS sender,
	       t.recipients AS recipients, mc_unzstd(t.body) AS body,
	       t.attachments AS attachments
	FROM message_text t JOIN messages m ON m.id = t.id;
CREATE TRIGGER messages_delete_fts BEFORE DELETE ON messages BEGIN
	INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments)
		SELECT 'delete', id, subject, sender, recipients, body, attachments
		FROM fts_source WHERE id = old.id;
	DELETE FROM message_text WHERE id = old.id;
END;
EOF
}

# SQL that takes an index back to before the address indexes by epoch
# (index/migrate-20.sql).
before_20() {
	cat <<'EOF'
DROP VIEW address_epochs;
DROP INDEX addresses_epoch_address;
DROP INDEX addresses_epoch_domain;
CREATE INDEX addresses_address ON addresses(address, role, message);
CREATE INDEX addresses_domain ON addresses(domain, role, message);
EOF
}

# SQL that takes an index back to before message_date_newest (index/migrate-19.sql).
before_19() {
	before_20
	echo 'DROP TABLE message_date_newest;'
}

# SQL that takes an index back to before the domains table (index/migrate-18.sql).
before_18() {
	before_19
	echo 'DROP TABLE domains;'
}

# SQL that takes an index back to before thread_last (index/migrate-16.sql).
before_16() {
	before_18
	echo 'DROP TABLE thread_last;'
}

# SQL that takes an index back to before schema version 15: no text lengths.
before_15() {
	before_16
	echo 'DROP TABLE message_doclens;'
}

# SQL that takes an index back to before schema version 14: no aggregates.
before_14() {
	before_15
	cat <<'EOF'
DROP TRIGGER messages_stats_delete;
DROP TRIGGER messages_stats_thread;
DROP TRIGGER messages_contacts_delete;
DROP TABLE contact_stats;
DROP TABLE contacts_pending;
DROP TABLE contacts_dirty;
DROP TABLE filing_stats;
DROP TABLE thread_stats;
DROP TABLE stats_dirty;
EOF
}

# A writable copy of the sample corpus (tests that rename or delete files).
copy_corpus() {
	cp -R "$CORPUS" "$TMP/corpus"
	chmod -R u+w "$TMP/corpus"
}

# wait_until COMMAND...: polls COMMAND until it succeeds, for 60 s at most
# (a generous bound on a loaded machine; no check depends on the time).
wait_until() {
	_w=600
	while [ $_w -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_w=$((_w - 1))
	done
	return 1
}
# count_is QUERY N: whether QUERY matches N messages.
count_is() { [ "$(mc count "$1")" = "$2" ]; }
