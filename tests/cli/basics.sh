#!/bin/sh
# The command line itself: help, version, exit codes, the index file.
. "$top_srcdir/tests/lib.sh"
plan 34

out=$("$MAILCLERK" --help 2>&1)
check_eq '--help exits 0' "$?" 0
check 'mailclerk --help lists every command' sh -c 'for c in ingest search count show thread check; do printf "%s\n" "$1" | grep -q "^  $c " || exit 1; done' - "$out"
check_eq '--version prints the version' "$("$MAILCLERK" --version | sed -n 1p)" "mailclerk 0.1.0"
check '... and whether PDF text is built in' sh -c '"$1" --version | sed -n 2p | grep -Eq "^PDF text: (poppler-glib [0-9.]+|no \(built without poppler-glib\))$"' - "$MAILCLERK"
check_exit 'no command is a usage error (2)' 2 "$MAILCLERK"
check_exit 'an unknown command is a usage error (2)' 2 "$MAILCLERK" frobnicate
check_eq 'the unknown command is named' "$("$MAILCLERK" frobnicate 2>&1)" "mailclerk: unknown command 'frobnicate' (see 'mailclerk --help')"
check_exit 'an unknown option is a usage error (2)' 2 mc search --frob x
# A command without parameters refuses one rather than ignore it.
for c in check reclassify clients; do
	check_eq "$c with an argument: a usage error naming it" "$(mc $c acme 2>&1; echo "exit $?")" "$(printf "mailclerk: %s takes no arguments ('acme')\nexit 2" "$c")"
done
check_eq '... watch too' "$(mc watch extra 2>&1; echo "exit $?")" "$(printf "mailclerk: watch takes no arguments ('extra')\nexit 2")"
check 'search --help describes --sort' sh -c '"$1" search --help | grep -q -- "--sort=ORDER"' - "$MAILCLERK"

msg=$(mc search foo 2>&1)
check_eq 'searching before any ingest exits 1' "$?" 1
check_eq '... and says what to do' "$msg" "mailclerk: no index at $DB: run 'mailclerk ingest' first"

mc ingest --maildir "$CORPUS/maildir" >/dev/null 2>&1
check_eq 'the index file is created mode 0600' "$(stat -c %a "$DB")" 600
check_eq 'its WAL file is private too' "$(stat -c %a "$DB-wal" 2>/dev/null || echo 600)" 600
check_eq 'the index is in WAL mode' "$(sqlite3 "$DB" 'PRAGMA journal_mode')" wal
check_eq 'the schema version is recorded' "$(sqlite3 "$DB" 'PRAGMA user_version')" 20
# Statistics for the planner (db_analyze()): every index of messages, and
# no row count of the tables without one (counting them row by row took
# 0.3-0.6 s a run at a million messages).
check_eq 'the planner has statistics for the five indexes of messages' \
	"$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'messages'")" 5
check_eq '... and counted no table without an index' \
	"$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_stat1 WHERE tbl IN ('message_text', 'fts_data', 'fts_docsize', 'message_dates', 'message_doclens')")" 0

# Build facts a user relies on: position-independent binaries (Debian's
# libetpan.pc asks for no-PIE), and a query program that does not load GMime.
check_eq 'mailclerk is position independent' "$(readelf -h "$MAILCLERK" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')" DYN
check_eq 'mailclerk-mail is position independent' "$(readelf -h "$top_builddir/mailclerk-mail" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')" DYN
check_eq 'the query program does not load GMime' "$(ldd "$MAILCLERK" | grep -c gmime)" 0
check_eq '... nor poppler' "$(ldd "$MAILCLERK" | grep -c poppler)" 0
# poppler is opened on the first PDF (ingest/pdf.c), never at start-up;
# corpus.sh proves PDF text is found when it is built in.
check_eq 'mailclerk-mail does not load poppler at start-up' "$(ldd "$top_builddir/mailclerk-mail" | grep -c poppler)" 0
# configure links jemalloc into mailclerk-mail when it finds it (not in the
# sanitizer builds): the parse workers and the writer free each other's memory.
# jemalloc prints its statistics at exit when MALLOC_CONF asks; the C
# library's malloc does not read MALLOC_CONF.
jemalloc_stats=$(MALLOC_CONF=stats_print:true "$top_builddir/mailclerk-mail" --version 2>&1 | grep -c 'Begin jemalloc statistics')
if [ "$MC_JEMALLOC" = yes ]; then
	check_eq 'mailclerk-mail allocates with jemalloc' "$jemalloc_stats" 1
else
	check_eq 'mailclerk-mail allocates with the C library malloc' "$jemalloc_stats" 0
fi
# configure links mailclerk-mail's libraries but GLib's and GMime's
# statically when it can (--disable-static-mail: shared).
if [ "$MC_STATIC_MAIL" = yes ]; then
	check_eq 'mailclerk-mail loads no shared SQLite, zstd, GnuTLS, nettle, libetpan, xxHash, libytnef or jemalloc' \
		"$(ldd "$top_builddir/mailclerk-mail" | grep -cE 'lib(sqlite3|zstd|gnutls|nettle|hogweed|gmp|tasn1|etpan|lockfile|db-|xxhash|ytnef|jemalloc)')" 0
	check_eq '... and loads the shared GMime and GLib that poppler shares' \
		"$(ldd "$top_builddir/mailclerk-mail" | grep -cE 'lib(gmime-3.0|glib-2.0|gobject-2.0)[.]so')" 3
else
	check_eq 'the shared mailclerk-mail loads SQLite' "$(ldd "$top_builddir/mailclerk-mail" | grep -c libsqlite3)" 1
	check_eq '... and libetpan' "$(ldd "$top_builddir/mailclerk-mail" | grep -c libetpan)" 1
fi
# configure links the query program's libraries statically when it can
# (--disable-static-query: shared): then it loads libc and libm alone.
if [ "$MC_STATIC_QUERY" = yes ]; then
	check_eq 'the static query program loads no shared GLib, SQLite, zstd, PCRE2 or nettle' "$(ldd "$MAILCLERK" | grep -cE 'lib(glib|sqlite3|zstd|pcre2|nettle)')" 0
else
	check_eq 'the shared query program loads SQLite' "$(ldd "$MAILCLERK" | grep -c libsqlite3)" 1
fi

err=$(mc search '*' 2>&1 >/dev/full)
check_eq 'output that cannot be written is a failure (exit 1)' "$?" 1
check_eq '... and says why' "$err" "mailclerk: cannot write the output: No space left on device"

out=$(mc search zzznotawordanywhere)
check_eq 'no results is success (exit 0)' "$?" 0
check_eq '... and prints nothing' "$out" ""
