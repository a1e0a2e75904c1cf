/* The index layer: schema and migrations, and the writer's dedupe, threads
 * and removals, checked in the database itself. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/conf.h"
#include "common/error.h"
#include "index/db.h"
#include "index/dates.h"
#include "index/doclens.h"
#include "index/rank.h"
#include "index/rules.h"
#include "index/writer.h"

struct fixture {
	char *dir;
	char *path;
	struct mc_db *db;
	struct mc_config *cfg;
	struct index_writer *w;
};

static void
setup(struct fixture *f, gconstpointer data)
{
	GError *error = NULL;
	f->dir = g_dir_make_tmp("mailclerk-test-db-XXXXXX", &error);
	g_assert_no_error(error);
	f->path = g_build_filename(f->dir, "sub", "index.db", NULL);
	f->db = db_open(f->path, DB_WRITE, &error);
	g_assert_no_error(error);
	g_autofree char *cfgfile = g_build_filename(f->dir, "config", NULL);
	g_file_set_contents(cfgfile, "[mailclerk]\nme = Sam@Studio.example\n", -1, NULL);
	f->cfg = config_load(cfgfile, TRUE, &error);
	g_assert_no_error(error);
	f->w = writer_new(f->db, f->cfg, NULL, &error);
	g_assert_no_error(error);
}

static void
teardown(struct fixture *f, gconstpointer data)
{
	writer_free(f->w);
	db_close(f->db);
	config_free(f->cfg);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(f->path);
	g_free(f->dir);
}

static gint64
query_int(struct mc_db *db, const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, &error);
	g_assert_no_error(error);
	g_assert_cmpint(sqlite3_step(s), ==, SQLITE_ROW);
	return sqlite3_column_int64(s, 0);
}

static struct parsed_message *
make_message(const char *mid, const char *from, const char *refs)
{
	struct parsed_message *pm = parsed_message_new();
	pm->message_id = g_strdup(mid);
	memset(pm->content_hash, 'a', CONTENT_HASH_HEX_SIZE - 1); /* hex digits */
	pm->date = 1700000000;
	g_free(pm->subject);
	pm->subject = g_strdup_printf("subject of %s", mid);
	struct mc_address *a = g_new0(struct mc_address, 1);
	a->role = MC_ROLE_FROM;
	a->name = g_strdup("");
	a->address = g_strdup(from);
	a->domain = g_strdup(strchr(from, '@') + 1);
	g_ptr_array_add(pm->addresses, a);
	if (refs) {
		g_auto(GStrv) parts = g_strsplit(refs, " ", -1);
		for (char **p = parts; *p; p++)
			g_ptr_array_add(pm->references, g_strdup(*p));
	}
	return pm;
}

/* Adds PM as the maildir file KEY of the folder /c. */
static void
add_parsed(struct fixture *f, const char *key, struct parsed_message *pm)
{
	g_autoptr(GError) error = NULL;
	struct source_item item = {
		.source = "",
		.kind = "maildir",
		.container = "/c",
		.folder = "",
		.name = (char *)key,
		.sub = "cur",
		.info = "",
		.path = (char *)key,
	};
	g_autofree char *refused = NULL;
	g_assert_true(writer_add(f->w, &item, pm, NULL, NULL, &refused, &error));
	g_assert_null(refused);
	g_assert_no_error(error);
}

static void
add(struct fixture *f, const char *key, const char *mid, const char *from, const char *refs)
{
	g_autoptr(parsed_message) pm = make_message(mid, from, refs);
	add_parsed(f, key, pm);
}

static void
test_created_private(struct fixture *f, gconstpointer data)
{
	struct stat st;
	g_assert_cmpint(g_stat(f->path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_autofree char *dir = g_path_get_dirname(f->path);
	g_assert_cmpint(g_stat(dir, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_assert_cmpint(query_int(f->db, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
	g_assert_cmpint(query_int(f->db, "PRAGMA foreign_keys"), ==, 1);
}

/* A new index has pages of 16 KiB; so does one whose file a run created
 * and left empty (killed before it wrote). An index written with pages of
 * 4 KiB, as every index was before, keeps them, and takes mail and answers
 * as before. */
static void
test_page_size(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_cmpint(query_int(f->db, "PRAGMA page_size"), ==, 16384);
	/* A writer's cache: 14 MiB of the larger pages, 16 of the smaller. */
	g_assert_cmpint(query_int(f->db, "PRAGMA cache_size"), ==, -14336);

	g_autofree char *empty = g_build_filename(f->dir, "empty.db", NULL);
	g_assert_true(g_file_set_contents(empty, "", 0, NULL));
	g_autoptr(mc_db) fresh = db_open(empty, DB_WRITE, &error);
	g_assert_no_error(error);
	g_assert_cmpint(query_int(fresh, "PRAGMA page_size"), ==, 16384);
	g_assert_cmpint(query_int(fresh, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);

	/* An older mailclerk's index: SQLite's default pages, written. */
	g_autofree char *old_path = g_build_filename(f->dir, "old.db", NULL);
	sqlite3 *raw = NULL;
	g_assert_cmpint(sqlite3_open(old_path, &raw), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(raw, "PRAGMA page_size = 4096; PRAGMA user_version = 0;", NULL,
	                             NULL, NULL),
	                ==, SQLITE_OK);
	sqlite3_close(raw);
	struct stat st;
	g_assert_cmpint(g_stat(old_path, &st), ==, 0);
	g_assert_cmpint(st.st_size, ==, 4096);
	g_autoptr(mc_db) old = db_open(old_path, DB_WRITE, &error);
	g_assert_no_error(error);
	g_assert_cmpint(query_int(old, "PRAGMA page_size"), ==, 4096);
	g_assert_cmpint(query_int(old, "PRAGMA cache_size"), ==, -16384);
	g_assert_cmpint(query_int(old, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
	struct index_writer *fixture_writer = f->w;
	f->w = writer_new(old, f->cfg, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/old", "old@x", "bob@acme.example", NULL);
	g_assert_true(writer_commit(f->w, &error));
	writer_free(f->w);
	f->w = fixture_writer;
	g_clear_pointer(&old, db_close);
	g_autoptr(mc_db) reader = db_open(old_path, DB_READ, &error);
	g_assert_no_error(error);
	g_assert_cmpint(query_int(reader, "PRAGMA page_size"), ==, 4096);
	g_assert_cmpint(
	    query_int(reader, "SELECT count(*) FROM messages WHERE message_id = 'old@x'"), ==, 1);
}

static void
test_newer_schema_refused(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(db_exec(f->db, "PRAGMA user_version = 99", &error));
	g_autoptr(mc_db) again = db_open(f->path, DB_READ, &error);
	g_assert_null(again);
	g_assert_error(error, MC_ERROR, MC_ERROR_FAILED);
	g_autofree char *want =
	    g_strdup_printf("schema version 99, newer than this mailclerk's %d", DB_SCHEMA_VERSION);
	g_assert_nonnull(strstr(error->message, want));
}

static void
test_dedupe_and_direction(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "bob@acme.example", NULL);
	add(f, "/b", "m1@x", "bob@acme.example", NULL);
	add(f, "/c", "m2@x", "sam@studio.example", NULL);
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 2);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM locations"), ==, 3);
	g_assert_cmpint(writer_stats(f->w)->messages_added, ==, 2);
	g_assert_cmpint(writer_stats(f->w)->copies_added, ==, 1);
	/* `me` matches whatever the case. */
	g_assert_cmpint(
	    query_int(f->db, "SELECT direction FROM messages WHERE message_id = 'm2@x'"), ==, 1);
	g_assert_cmpint(
	    query_int(f->db, "SELECT direction FROM messages WHERE message_id = 'm1@x'"), ==, 0);
}

static void
test_threads_merge_out_of_order(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	/* Two replies arrive before the root they both name only indirectly. */
	add(f, "/1", "c@x", "a@x.example", "b@x");
	add(f, "/2", "d@x", "a@x.example", "root@x");
	g_assert_cmpint(query_int(f->db, "SELECT count(DISTINCT thread_id) FROM messages"), ==, 2);
	add(f, "/3", "b@x", "a@x.example", "root@x");
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(DISTINCT thread_id) FROM messages"), ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 3);
}

/* A commit leaves no statement of the writer on a row: one left there (a
 * reply's thread looked up) kept its read transaction after COMMIT, every
 * checkpoint failed, and an ingest's WAL grew for the whole run. */
static void
test_commit_lets_checkpoint(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	for (int round = 0; round < 2; round++) {
		g_assert_true(writer_begin(f->w, &error));
		g_autofree char *key = g_strdup_printf("/r%d", round);
		g_autofree char *mid = g_strdup_printf("reply%d@x", round);
		if (round == 0)
			add(f, "/root", "root@x", "a@x.example", NULL);
		add(f, key, mid, "b@x.example", "root@x");
		g_assert_true(writer_commit(f->w, &error));
		for (sqlite3_stmt *s = sqlite3_next_stmt(f->db->sql, NULL); s;
		     s = sqlite3_next_stmt(f->db->sql, s))
			if (sqlite3_stmt_busy(s))
				g_error("still running after a commit: %s", sqlite3_sql(s));
		int log = -1, done = -1;
		g_assert_cmpint(sqlite3_wal_checkpoint_v2(f->db->sql, NULL,
		                                          SQLITE_CHECKPOINT_PASSIVE, &log, &done),
		                ==, SQLITE_OK);
		g_assert_cmpint(log, >, 0);
		g_assert_cmpint(done, ==, log);
	}
	g_assert_cmpint(query_int(f->db, "SELECT count(DISTINCT thread_id) FROM messages"), ==, 1);
}

static void
test_remove_last_copy(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "bob@acme.example", NULL);
	add(f, "/b", "m1@x", "bob@acme.example", NULL);
	gint64 a = query_int(f->db, "SELECT id FROM locations WHERE name = '/a'");
	gint64 b = query_int(f->db, "SELECT id FROM locations WHERE name = '/b'");
	g_assert_true(writer_remove_location(f->w, a, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 1);
	g_assert_true(writer_remove_location(f->w, b, &error));
	g_assert_true(writer_remove_location(f->w, b, &error)); /* twice is harmless */
	/* A message without copies stays until the run's sweep: a copy may come
	 * back later in the same run (a rewritten mbox). */
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 1);
	g_assert_true(writer_orphans_pending(f->w));
	g_assert_true(writer_sweep_orphans(f->w, &error));
	g_assert_false(writer_orphans_pending(f->w));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 0);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM addresses"), ==, 0);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM message_text"), ==, 0);
	/* The full-text index forgot the message too (it checks itself against
	 * the stored text). */
	g_assert_true(db_exec(f->db, "INSERT INTO fts(fts) VALUES('integrity-check')", &error));
	g_assert_cmpint(writer_stats(f->w)->messages_removed, ==, 1);
}

static void
test_deleted_message_keeps_thread(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/root", "root@x", "a@x.example", NULL);
	add(f, "/reply", "reply@x", "b@x.example", "root@x");
	gint64 thread =
	    query_int(f->db, "SELECT thread_id FROM messages WHERE message_id = 'reply@x'");
	/* The root leaves the index; a late reply that names only the root still
	 * joins the thread, through the ghost the root left behind. */
	g_assert_true(writer_remove_location(
	    f->w, query_int(f->db, "SELECT id FROM locations WHERE name = '/root'"), &error));
	g_assert_true(writer_sweep_orphans(f->w, &error));
	g_assert_cmpint(
	    query_int(f->db, "SELECT count(*) FROM messages WHERE message_id = 'root@x'"), ==, 0);
	add(f, "/late", "late@x", "c@x.example", "root@x");
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(
	    query_int(f->db, "SELECT thread_id FROM messages WHERE message_id = 'late@x'"), ==,
	    thread);
	/* Ghosts are only what the index lacks. */
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM thread_ghosts"), ==, 1);
}

static void
test_dates_follow_transactions(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "bob@acme.example", NULL);
	g_assert_true(writer_commit(f->w, &error));
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/b", "m2@x", "bob@acme.example", NULL);
	writer_rollback(f->w);

	/* A reader sees the committed message's date, and nothing of the
	 * rolled-back one. */
	g_autoptr(dates) map = dates_new(f->db);
	gint64 date = 0;
	gint64 id = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm1@x'");
	g_assert_true(dates_get(map, id, &date, &error));
	g_assert_cmpint(date, ==, 1700000000);
	g_assert_true(dates_get(map, id + 1, &date, &error));
	g_assert_cmpint(date, ==, 0);
	g_assert_cmpint(query_int(f->db, "SELECT length(dates) FROM message_dates"), ==,
	                8 * DATES_CHUNK);
}

/* Takes the fixture's index back to an older schema with SQL, then opens
 * it again (migrating it) with a new writer. */
static void
reopen_migrated(struct fixture *f, const char *sql)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(db_exec(f->db, sql, &error));
	writer_free(f->w);
	f->w = NULL;
	db_close(f->db);
	f->db = db_open(f->path, DB_WRITE, &error);
	g_assert_no_error(error);
	f->w = writer_new(f->db, f->cfg, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(query_int(f->db, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
}

/* The newest date of each chunk of the date map, where a page newest first
 * may stop (query/search.c): written with the blobs, rolled back with
 * them, made by migrate-19.sql for an index of before; a chunk that holds
 * no message bounds nothing. */
static void
dated_in_chunk(struct fixture *f, gint64 chunk, const char *mid, gint64 date)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *seq = g_strdup_printf("UPDATE sqlite_sequence SET seq = %" G_GINT64_FORMAT
	                                       " WHERE name = 'messages'",
	                                       chunk * DATES_CHUNK + 7);
	g_assert_true(db_exec(f->db, seq, &error));
	g_autoptr(parsed_message) pm = make_message(mid, "bob@acme.example", NULL);
	pm->date = date;
	g_autofree char *key = g_strdup_printf("/%s", mid);
	add_parsed(f, key, pm);
	g_autofree char *id = g_strdup_printf(
	    "SELECT id / %d FROM messages WHERE message_id = '%s'", DATES_CHUNK, mid);
	g_assert_cmpint(query_int(f->db, id), ==, chunk);
}

static char *
newest_rows(struct mc_db *db)
{
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT chunk, newest FROM message_date_newest ORDER BY chunk", NULL);
	g_assert_nonnull(s);
	GString *rows = g_string_new(NULL);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_string_append_printf(rows, "%lld:%lld ", (long long)sqlite3_column_int64(s, 0),
		                       (long long)sqlite3_column_int64(s, 1));
	return g_string_free(rows, FALSE);
}

static void
test_dates_newest(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/first", "first@x", "bob@acme.example", NULL); /* chunk 0, 1700000000 */
	dated_in_chunk(f, 0, "c0@x", 1700005000);
	dated_in_chunk(f, 2, "c2a@x", 1600000000);
	g_assert_true(writer_commit(f->w, &error));
	g_assert_true(writer_begin(f->w, &error));
	dated_in_chunk(f, 2, "c2b@x", 1500000000);
	dated_in_chunk(f, 3, "c3@x", 1800000000);
	g_assert_true(writer_commit(f->w, &error));
	g_autofree char *rows = newest_rows(f->db);
	g_assert_cmpstr(rows, ==, "0:1700005000 2:1600000000 3:1800000000 ");

	/* Up to each chunk: none newer there or below; chunk 1 holds none. */
	gsize n = 0;
	g_autofree gint64 *upto =
	    dates_newest_upto(f->db, query_int(f->db, "SELECT max(id) FROM messages"), &n, &error);
	g_assert_no_error(error);
	g_assert_cmpint(n, ==, 4);
	g_assert_cmpint(upto[0], ==, 1700005000);
	g_assert_cmpint(upto[1], ==, 1700005000);
	g_assert_cmpint(upto[2], ==, 1700005000);
	g_assert_cmpint(upto[3], ==, 1800000000);
	g_autofree gint64 *below = dates_newest_upto(f->db, 3 * DATES_CHUNK - 1, &n, &error);
	g_assert_cmpint(n, ==, 3);
	g_assert_cmpint(below[2], ==, 1700005000);

	/* A rolled-back message leaves its chunk's date as it was. */
	g_assert_true(writer_begin(f->w, &error));
	dated_in_chunk(f, 3, "late@x", 1900000000);
	dated_in_chunk(f, 5, "later@x", 1950000000);
	writer_rollback(f->w);
	g_assert_true(writer_begin(f->w, &error));
	dated_in_chunk(f, 3, "c3b@x", 1850000000);
	dated_in_chunk(f, 4, "c4@x", 1750000000);
	g_assert_true(writer_commit(f->w, &error));
	g_autofree char *after = newest_rows(f->db);
	g_assert_cmpstr(after, ==, "0:1700005000 2:1600000000 3:1850000000 4:1750000000 ");

	/* An index of version 18 gets the table from its messages. */
	reopen_migrated(f, "DROP TABLE message_date_newest; PRAGMA user_version = 18");
	g_autofree char *migrated = newest_rows(f->db);
	g_assert_cmpstr(migrated, ==, "0:1700005000 2:1600000000 3:1850000000 4:1750000000 ");
	g_assert_no_error(error);
}

/* dates_get_sorted() reads a chunk's blob when it asks for many of its ids
 * and the message rows when for a few: shown by a blob zeroed behind its
 * back, which only the first way sees. */
static void
test_dates_sparse_and_dense(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 100; i++) {
		g_autofree char *key = g_strdup_printf("/m%d", i);
		g_autofree char *mid = g_strdup_printf("m%d@x", i);
		g_autoptr(parsed_message) pm = make_message(mid, "bob@acme.example", NULL);
		pm->date = 1700000000 + 1000 * i;
		add_parsed(f, key, pm);
	}
	g_assert_true(writer_commit(f->w, &error));
	gint64 first = query_int(f->db, "SELECT min(id) FROM messages");
	gint64 ids[100], got[100];
	for (int i = 0; i < 100; i++)
		ids[i] = first + i;

	g_autoptr(dates) map = dates_new(f->db);
	g_assert_true(dates_get_sorted(map, ids, got, 100, &error));
	for (int i = 0; i < 100; i++)
		g_assert_cmpint(got[i], ==, 1700000000 + 1000 * i);
	/* A blob shorter than a chunk (an older chunk size) reads as unset past
	 * its end; a chunk without a blob, all unset. */
	g_assert_true(db_exec(f->db,
	                      "CREATE TEMP TABLE saved AS SELECT * FROM message_dates;"
	                      "UPDATE message_dates SET dates = substr(dates, 1, 80)",
	                      &error));
	g_autoptr(dates) short_blob = dates_new(f->db);
	g_assert_true(dates_get_sorted(short_blob, ids, got, 100, &error));
	for (int i = 0; i < 100; i++)
		g_assert_cmpint(got[i], ==,
		                (ids[i] % DATES_CHUNK) < 10 ? 1700000000 + 1000 * i : 0);
	gint64 beyond[64]; /* more than dates.c reads row by row */
	for (int i = 0; i < 64; i++)
		beyond[i] = first + DATES_CHUNK * 3 + i;
	g_assert_true(dates_get_sorted(short_blob, beyond, got, 64, &error));
	for (int i = 0; i < 64; i++)
		g_assert_cmpint(got[i], ==, 0);
	g_assert_true(db_exec(f->db,
	                      "UPDATE message_dates SET dates = (SELECT dates FROM saved s WHERE "
	                      "s.chunk = message_dates.chunk)",
	                      &error));

	g_assert_true(
	    db_exec(f->db, "UPDATE message_dates SET dates = zeroblob(length(dates))", &error));
	g_autoptr(dates) fresh = dates_new(f->db);
	gint64 few[3] = { first + 3, first + 50, first + 1000 }; /* the last: no such message */
	g_assert_true(dates_get_sorted(fresh, few, got, 3, &error));
	g_assert_cmpint(got[0], ==, 1700003000);
	g_assert_cmpint(got[1], ==, 1700050000);
	g_assert_cmpint(got[2], ==, 0);
	g_assert_true(dates_get_sorted(fresh, ids, got, 100, &error));
	for (int i = 0; i < 100; i++)
		g_assert_cmpint(got[i], ==, 0);
	g_assert_no_error(error);
}

static void
test_replaced_copy_keeps_ids(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "a@x.example", NULL);
	add(f, "/b", "m2@x", "b@x.example", NULL);
	gint64 m1 = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm1@x'");
	gint64 m2 = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm2@x'");
	/* A rewritten mbox: m2 now sits where m1 was, m1 moved to a new place. */
	add(f, "/a", "m2@x", "b@x.example", NULL);
	add(f, "/c", "m1@x", "a@x.example", NULL);
	g_assert_true(writer_remove_location(
	    f->w, query_int(f->db, "SELECT id FROM locations WHERE name = '/b'"), &error));
	g_assert_true(writer_sweep_orphans(f->w, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm1@x'"), ==,
	                m1);
	g_assert_cmpint(query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm2@x'"), ==,
	                m2);
	g_assert_cmpint(query_int(f->db, "SELECT message FROM locations WHERE name = '/a'"), ==,
	                m2);
	g_assert_cmpint(query_int(f->db, "SELECT message FROM locations WHERE name = '/c'"), ==,
	                m1);
	g_assert_cmpint(writer_stats(f->w)->messages_removed, ==, 0);
}

/* A message read again: only what parsing gives changes, where it
 * differs; the id, thread and copies stay, and the full text forgets the
 * old words. */
static void
test_rewrite(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "a@x.example", NULL);
	add(f, "/b", "m2@x", "b@x.example", "m1@x");
	g_assert_true(writer_commit(f->w, &error));
	gint64 id = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'm2@x'");
	gint64 thread = query_int(f->db, "SELECT thread_id FROM messages WHERE id = 1");

	/* The same parse again: nothing is written. */
	g_autoptr(parsed_message) same = make_message("m2@x", "b@x.example", "m1@x");
	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_rewrite(f->w, id, same, NULL, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(writer_stats(f->w)->messages_unchanged, ==, 1);
	g_assert_cmpint(writer_stats(f->w)->messages_rewritten, ==, 0);

	/* Another subject, body, date, sender (one of `me`) and an attachment;
	 * no references (threads are kept all the same). */
	g_autoptr(parsed_message) pm = make_message("m2@x", "sam@studio.example", NULL);
	g_free(pm->subject);
	pm->subject = g_strdup("newsubjectword");
	g_free(pm->body_text);
	pm->body_text = g_strdup("newbodyword");
	pm->date = 1600000000;
	struct mc_attachment *a = g_new0(struct mc_attachment, 1);
	a->part = g_strdup("2");
	a->filename = g_strdup("plan.pdf");
	a->mime_type = g_strdup("application/pdf");
	a->size = 3;
	memset(a->sha256, 'b', 64);
	g_ptr_array_add(pm->attachments, a);
	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_rewrite(f->w, id, pm, NULL, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_assert_cmpint(writer_stats(f->w)->messages_rewritten, ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 2);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages WHERE message_id = 'm2@x' "
	                                 "AND subject = 'newsubjectword' AND date = 1600000000 "
	                                 "AND from_addr = 'sam@studio.example' AND direction = 1 "
	                                 "AND has_attachments = 1"),
	                ==, 1);
	g_assert_cmpint(
	    query_int(f->db, "SELECT thread_id FROM messages WHERE message_id = 'm2@x'"), ==,
	    thread);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM locations"), ==, 2);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM attachments"), ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM addresses WHERE address = "
	                                 "'b@x.example'"),
	                ==, 0);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM fts WHERE fts MATCH 'newbodyword'"),
	                ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM fts WHERE fts MATCH 'plan'"), ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM fts WHERE fts MATCH 'm2'"), ==, 0);
	g_autoptr(dates) d = dates_new(f->db);
	gint64 date;
	g_assert_true(dates_get(d, id, &date, &error));
	g_assert_cmpint(date, ==, 1600000000);
	g_autoptr(GPtrArray) problems = db_check(f->db, &error);
	g_assert_cmpint(problems->len, ==, 0);

	/* Labels learnt: written with their folded key; the same labels again
	 * leave the message alone. */
	g_ptr_array_add(pm->labels, g_strdup("Clients/ACME"));
	g_ptr_array_add(pm->labels, g_strdup("Στάλθηκε"));
	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_rewrite(f->w, id, pm, NULL, &error));
	g_assert_true(writer_rewrite(f->w, id, pm, NULL, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(writer_stats(f->w)->messages_rewritten, ==, 2);
	g_assert_cmpint(writer_stats(f->w)->messages_unchanged, ==, 2);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM labels WHERE message = 2 AND "
	                                 "(label, folded) IN (VALUES ('Clients/ACME', "
	                                 "'clients/acme'), ('Στάλθηκε', 'στάλθηκε'))"),
	                ==, 2);
	/* Gone with the message. */
	g_assert_true(db_exec(f->db, "DELETE FROM messages WHERE id = 2", &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM labels"), ==, 0);
}

/* What takes an index back to before schema version 14 (tests/lib.sh before_14). */
#define BEFORE_14                                                                                  \
	"DROP TABLE domains; "                                                                     \
	"DROP TABLE thread_last; "                                                                 \
	"DROP TABLE message_doclens; "                                                             \
	"DROP TRIGGER messages_stats_delete; DROP TRIGGER messages_stats_thread; "                 \
	"DROP TRIGGER messages_contacts_delete; DROP TABLE filing_stats; DROP TABLE "              \
	"thread_stats; "                                                                           \
	"DROP TABLE stats_dirty; DROP TABLE contact_stats; DROP TABLE contacts_pending; "          \
	"DROP TABLE contacts_dirty; "

static void
test_migrates_version_1(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "m1@x", "a@x.example", NULL);
	g_assert_true(writer_commit(f->w, &error));
	/* Back to what a version-1 mailclerk wrote, then open it again. */
	g_assert_true(db_exec(f->db,
	                      BEFORE_14
	                      "DROP TABLE labels; "
	                      "DROP TABLE saved_files; DROP TABLE followup_state; DROP TABLE "
	                      "reindex_needed; DROP TABLE reindex_progress; "
	                      "DROP INDEX messages_automated; "
	                      "ALTER TABLE messages DROP COLUMN automated; "
	                      "ALTER TABLE messages DROP COLUMN automated_why; "
	                      "DROP TABLE skipped; DROP TABLE inherit_pending; DROP TABLE "
	                      "imap_folders; DROP TABLE "
	                      "autosaved; DROP TABLE autosave; DROP TABLE "
	                      "exclusions; DROP TABLE filings; DROP INDEX containers_folder; "
	                      "CREATE INDEX containers_folder ON containers(folder); "
	                      /* The full text of version 1: no alt column. */
	                      "DROP TRIGGER messages_delete_fts; DROP TABLE fts; "
	                      "DROP VIEW fts_source; ALTER TABLE message_text DROP COLUMN alt; "
	                      "CREATE VIEW fts_source AS SELECT t.id AS id, m.subject AS subject, "
	                      "t.sender AS sender, t.recipients AS recipients, "
	                      "mc_unzstd(t.body) AS body, t.attachments AS attachments "
	                      "FROM message_text t JOIN messages m ON m.id = t.id; "
	                      "CREATE VIRTUAL TABLE fts USING fts5(subject, sender, recipients, "
	                      "body, attachments, tokenize = 'mailclerk', content = 'fts_source', "
	                      "content_rowid = 'id'); "
	                      "INSERT INTO fts (fts) VALUES ('rebuild'); "
	                      "CREATE TRIGGER messages_delete_fts BEFORE DELETE ON messages BEGIN "
	                      "INSERT INTO fts (fts, rowid, subject, sender, recipients, body, "
	                      "attachments) SELECT 'delete', id, subject, sender, recipients, "
	                      "body, attachments FROM fts_source WHERE id = old.id; "
	                      "DELETE FROM message_text WHERE id = old.id; END; "
	                      "PRAGMA user_version = 1",
	                      &error));
	g_autoptr(mc_db) again = db_open(f->path, DB_READ, &error);
	g_assert_no_error(error);
	g_assert_cmpint(query_int(again, "PRAGMA user_version"), ==, DB_SCHEMA_VERSION);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM filings"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM exclusions"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM autosave"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM skipped"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM messages"), ==, 1);
	/* Its message was parsed before the automated mark, labels and the
	 * words of HTML parts: reindex is due, one row saying all three. */
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM reindex_needed"), ==, 1);
	g_autofree char *why = db_reindex_needed(again);
	g_assert_cmpstr(why, ==,
	                "the automated mark, labels, words only in HTML parts, inline and TNEF "
	                "attachments, names "
	                "and subjects in several encoded words");
	/* The full text is rebuilt with the alt column, and finds its message. */
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM message_text WHERE alt = ''"), ==,
	                1);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM fts WHERE fts MATCH 'a'"), ==, 1);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM labels"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM messages WHERE automated = 1"), ==,
	                0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM sqlite_master WHERE name = "
	                                 "'messages_automated'"),
	                ==, 1);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM reindex_progress"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM followup_state"), ==, 0);
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM saved_files"), ==, 0);
	/* folder: compares in any ASCII case, and its index does too. */
	g_assert_cmpint(query_int(again, "SELECT count(*) FROM sqlite_master WHERE name = "
	                                 "'containers_folder' AND sql LIKE '%COLLATE NOCASE%'"),
	                ==, 1);
}

/* Replaces F's writer with one that files mail from acme.example under the
 * client acme. Sets *CFG and *RULES, which must outlive the writer: the
 * test frees it first. */
static void
writer_with_acme(struct fixture *f, struct mc_config **cfg, struct rules **r)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *file = g_build_filename(f->dir, "clients", NULL);
	g_file_set_contents(file, "[client acme]\ndomains = acme.example\n", -1, NULL);
	*cfg = config_load(file, TRUE, &error);
	g_assert_no_error(error);
	*r = rules_compile(*cfg, &error);
	g_assert_no_error(error);
	writer_free(f->w);
	f->w = writer_new(f->db, *cfg, *r, &error);
	g_assert_no_error(error);
}

/* Thread filings for a run's new mail look at the new messages' threads
 * alone: no step of a scan through the whole index, whatever the planner's
 * statistics say (a scan of messages_thread took 170 ms a run at a million
 * messages). */
static void
test_inherit_reads_new_mail_only(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = NULL;
	g_autoptr(rules) r = NULL;
	writer_with_acme(f, &cfg, &r);
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 300; i++) {
		g_autofree char *key = g_strdup_printf("/old%d", i);
		g_autofree char *mid = g_strdup_printf("old%d@x", i);
		add(f, key, mid, i % 2 ? "bob@acme.example" : "friend@gmail.example", NULL);
	}
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_true(db_analyze(f->db, &error));

	g_assert_true(writer_begin(f->w, &error));
	add(f, "/reply", "reply@x", "friend@gmail.example", "old1@x");
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM filings WHERE message = "
	                                 "(SELECT id FROM messages WHERE message_id = 'reply@x') "
	                                 "AND client = 'acme' AND rule = 'thread'"),
	                ==, 1);
	gboolean seen = FALSE;
	for (sqlite3_stmt *s = sqlite3_next_stmt(f->db->sql, NULL); s;
	     s = sqlite3_next_stmt(f->db->sql, s)) {
		if (!strstr(sqlite3_sql(s), "WHERE id >= ?1"))
			continue;
		seen = TRUE;
		g_assert_cmpint(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), ==, 0);
	}
	g_assert_true(seen);
	writer_free(f->w);
	f->w = NULL;
}

/* An ingest files the threads of its new mail by thread a slice of new
 * messages at a time (its memory): a thread with mail in several slices
 * is filed whole, once. */
static void
test_inherit_in_slices(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = NULL;
	g_autoptr(rules) r = NULL;
	g_setenv("MAILCLERK_TEST_INHERIT_SLICE", "3", TRUE);
	writer_with_acme(f, &cfg, &r);
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 25; i++) {
		g_autofree char *key = g_strdup_printf("/m%d", i);
		g_autofree char *mid = g_strdup_printf("m%d@x", i);
		g_autofree char *parent = g_strdup_printf("m%d@x", i % 5);
		add(f, key, mid, i < 5 ? "bob@acme.example" : "friend@gmail.example",
		    i < 5 ? NULL : parent);
	}
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_unsetenv("MAILCLERK_TEST_INHERIT_SLICE");
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM filings WHERE rule = 'thread' AND "
	                                 "client = 'acme'"),
	                ==, 20);
	g_assert_cmpint(query_int(f->db, "SELECT count(DISTINCT message) FROM filings WHERE "
	                                 "rule = 'thread'"),
	                ==, 20);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM inherit_pending"), ==, 0);
	writer_free(f->w);
	f->w = NULL;
}

/* The VM steps the writer's statement that files every thread by its
 * messages (reclassify's: 'thread', no parameter) has taken since the last
 * call. */
static int
inherit_all_steps(mc_db *db)
{
	for (sqlite3_stmt *s = sqlite3_next_stmt(db->sql, NULL); s;
	     s = sqlite3_next_stmt(db->sql, s))
		if (strstr(sqlite3_sql(s), "INSERT OR IGNORE INTO filings") &&
		    strstr(sqlite3_sql(s), "'thread'") && !strchr(sqlite3_sql(s), '?'))
			return sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
	g_assert_not_reached();
}

/* Adds COUNT replies to root@x from an address no rule files, keys from
 * FIRST on, and files every thread again (reclassify's statement). */
static void
replies_filed_by_thread(struct fixture *f, int first, int count)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	for (int i = first; i < first + count; i++) {
		g_autofree char *key = g_strdup_printf("/r%d", i);
		g_autofree char *mid = g_strdup_printf("r%d@x", i);
		add(f, key, mid, "friend@gmail.example", "root@x");
	}
	g_assert_true(writer_inherit_filings(f->w, TRUE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
}

/* Filing every thread (reclassify) reads a thread's keys once and then its
 * messages: twice the messages in a thread, about twice the steps. Joining
 * each message to every other message's filings took four times as many
 * (7.3 s for one thread of 10,000 messages). */
static void
test_inherit_all_linear(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = NULL;
	g_autoptr(rules) r = NULL;
	writer_with_acme(f, &cfg, &r);
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/root", "root@x", "bob@acme.example", NULL);
	g_assert_true(writer_commit(f->w, &error));

	replies_filed_by_thread(f, 0, 200);
	int small = inherit_all_steps(f->db);
	replies_filed_by_thread(f, 200, 200);
	int twice = inherit_all_steps(f->db);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM filings WHERE client = 'acme' "
	                                 "AND rule = 'thread'"),
	                ==, 400);
	g_test_message("small %d twice %d", small, twice);
	g_assert_cmpint(small, >, 200);
	g_assert_cmpint(twice, <, 3 * small);
	writer_free(f->w);
	f->w = NULL;
}

/* The tables of the writer's notes (stats_dirty, contacts_dirty...),
 * empty whenever ANALYZE runs, are counted as small: taken for a million
 * rows, they made the planner index all of addresses on the fly for the
 * contacts of a message that left (12 s at a million messages; this small
 * index does not show it, the counts it can). The commit after a message
 * left builds no automatic index and counts right. An index an older
 * mailclerk analyzed gets the counts when a writer starts. */
static void
test_work_tables_counted(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = NULL;
	g_autoptr(rules) r = NULL;
	writer_with_acme(f, &cfg, &r);
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 300; i++) {
		g_autofree char *key = g_strdup_printf("/m%d", i);
		g_autofree char *mid = g_strdup_printf("m%d@x", i);
		g_autofree char *from = g_strdup_printf("p%d@acme.example", i % 7);
		add(f, key, mid, from, i % 3 ? NULL : "m0@x");
	}
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_true(db_analyze(f->db, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM sqlite_stat1 WHERE tbl IN "
	                                 "('stats_dirty', 'orphan_check', 'contacts_dirty', "
	                                 "'contacts_pending') AND stat LIKE '10%'"),
	                ==, 4);

	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_remove_location(
	    f->w, query_int(f->db, "SELECT id FROM locations WHERE name = '/m3'"), &error));
	g_assert_true(writer_sweep_orphans(f->w, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_assert_cmpint(query_int(f->db, "SELECT messages FROM contact_stats WHERE client = "
	                                 "'acme' AND address = 'p3@acme.example'"),
	                ==, 42);
	for (sqlite3_stmt *s = sqlite3_next_stmt(f->db->sql, NULL); s;
	     s = sqlite3_next_stmt(f->db->sql, s)) {
		g_assert_cmpint(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_AUTOINDEX, 0), ==, 0);
	}

	/* Counts an older mailclerk's ANALYZE left out come back; an index
	 * never analyzed gets none. */
	g_assert_true(db_exec(f->db, "DELETE FROM sqlite_stat1 WHERE tbl = 'stats_dirty'", &error));
	g_assert_true(db_count_work_tables(f->db, TRUE, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = "
	                                 "'stats_dirty'"),
	                ==, 1);
	g_assert_true(db_exec(f->db, "DROP TABLE sqlite_stat1", &error));
	g_assert_true(db_count_work_tables(f->db, TRUE, &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name = "
	                                 "'sqlite_stat1'"),
	                ==, 0);
	writer_free(f->w);
	f->w = NULL;
}

/* Thread filings are given to the threads of the mail added since they were
 * last given, also by a run killed before its last transaction. */
static void
test_inherit_after_killed_run(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = NULL;
	g_autoptr(rules) r = NULL;
	/* An earlier thread, fully filed: not walked again. */
	writer_with_acme(f, &cfg, &r);
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/old", "old@x", "bob@acme.example", NULL);
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_false(writer_inherit_pending(f->w));

	/* A run that stored a filed message and an unfiled reply, then died. */
	writer_free(f->w);
	f->w = writer_new(f->db, cfg, r, &error);
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/a", "a@x", "bob@acme.example", NULL);
	add(f, "/b", "b@x", "friend@gmail.example", "a@x");
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	gint64 b = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'b@x'");
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM filings WHERE message = "
	                                 "(SELECT id FROM messages WHERE message_id = 'b@x')"),
	                ==, 0);
	g_assert_cmpint(query_int(f->db, "SELECT since FROM inherit_pending"), ==, b - 1);

	/* The next run adds nothing, and still finishes the job. */
	writer_free(f->w);
	f->w = writer_new(f->db, cfg, r, &error);
	g_assert_true(writer_inherit_pending(f->w));
	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_inherit_filings(f->w, FALSE, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM filings WHERE message = "
	                                 "(SELECT id FROM messages WHERE message_id = 'b@x') "
	                                 "AND client = 'acme' AND rule = 'thread'"),
	                ==, 1);
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM inherit_pending"), ==, 0);
	g_assert_false(writer_inherit_pending(f->w));
	/* The writer goes before the rules and config it uses. */
	writer_free(f->w);
	f->w = NULL;
}

/* The words of the ranking test's messages: "alpha" in all, "beta" in
 * some, more or fewer times, over texts of different lengths. */
static struct parsed_message *
ranked_message(int i)
{
	g_autofree char *mid = g_strdup_printf("r%d@x", i);
	struct parsed_message *pm = make_message(mid, "bob@acme.example", NULL);
	GString *body = g_string_new("alpha");
	for (int k = 0; k < i * 7 % 23; k++)
		g_string_append(body, k % 3 ? " filler" : " beta");
	g_free(pm->body_text);
	pm->body_text = g_string_free(body, FALSE);
	return pm;
}

/* The ids of messages whose mc_bm25() differs from FTS5's bm25() for
 * MATCH, "" when none; FAILS when MATCH finds nothing. */
static char *
rank_differences(struct fixture *f, const char *match)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(rank_register(f->db, &error));
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    f->db, "SELECT rowid, mc_bm25(fts) = bm25(fts) FROM fts WHERE fts MATCH ?", &error);
	g_assert_no_error(error);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	GString *out = g_string_new(NULL);
	int rows = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		rows++;
		if (!sqlite3_column_int(s, 1))
			g_string_append_printf(out, " %lld", sqlite3_column_int64(s, 0));
	}
	g_assert_cmpint(rows, >, 0);
	return g_string_free(out, FALSE);
}

/* The same for mc_bm25(fts, ?), deferred: its shares of each row weighed
 * by rank_finish() with the counts of rank_count() (its hits, for one
 * phrase), which the counting thread gives too. PHRASES is set to how many
 * the query has. */
static char *
deferred_rank_differences(struct fixture *f, const char *match, int *phrases)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(rank_register(f->db, &error));
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(f->db,
	               "SELECT rowid, mc_bm25(fts, ?), bm25(fts) FROM fts WHERE fts MATCH ? "
	               "ORDER BY rowid",
	               &error);
	g_assert_no_error(error);
	struct rank_deferred defer = { 0 };
	sqlite3_bind_pointer(s, 1, &defer, RANK_DEFERRED, NULL);
	sqlite3_bind_text(s, 2, match, -1, SQLITE_STATIC);
	struct scored {
		gint64 id;
		double shares[8], bm25;
	};
	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(struct scored));
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct scored row = { .id = sqlite3_column_int64(s, 0),
			              .bm25 = sqlite3_column_double(s, 2) };
		g_assert_cmpint(sqlite3_column_bytes(s, 1), ==, defer.phrases * sizeof(double));
		memcpy(row.shares, sqlite3_column_blob(s, 1), defer.phrases * sizeof(double));
		g_array_append_val(rows, row);
	}
	g_assert_cmpint(rows->len, >, 0);
	*phrases = defer.phrases;

	/* Counted here, and counted and collected on another thread from the
	 * second row on: the same counts, rows and shares. */
	struct rank_counts here, there;
	rank_count(f->db, match, &here, &error);
	g_assert_no_error(error);
	struct rank_hits newer;
	gint64 second = g_array_index(rows, struct scored, MIN(1, rows->len - 1)).id;
	g_assert_true(rank_job_finish(rank_job_start(f->path, match, second, G_MAXINT64), f->db,
	                              &newer, &there, &error));
	g_assert_no_error(error);
	g_assert_cmpint(newer.ids->len, ==, rows->len - (rows->len > 1));
	for (guint i = 0; i < newer.ids->len; i++) {
		const struct scored *row = &g_array_index(rows, struct scored, i + (rows->len > 1));
		g_assert_cmpint(g_array_index(newer.ids, gint64, i), ==, row->id);
		g_assert_cmpmem(&g_array_index(newer.shares, double, i *defer.phrases),
		                defer.phrases * sizeof(double), row->shares,
		                defer.phrases * sizeof(double));
	}
	rank_hits_clear(&newer);
	g_assert_cmpint(here.phrases, ==, defer.phrases);
	g_assert_cmpint(there.phrases, ==, defer.phrases);
	g_assert_cmpint(here.rows, ==, there.rows);
	g_assert_cmpint(here.tokens, ==, there.tokens);
	for (int i = 0; defer.phrases > 1 && i < defer.phrases; i++)
		g_assert_cmpint(here.hits[i], ==, there.hits[i]);
	if (defer.phrases == 1)
		here.hits[0] = rows->len;
	g_autofree double *idf = rank_idf(&here);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < rows->len; i++) {
		const struct scored *row = &g_array_index(rows, struct scored, i);
		if (rank_finish(idf, here.phrases, row->shares) != row->bm25)
			g_string_append_printf(out, " %" G_GINT64_FORMAT, row->id);
	}
	rank_counts_clear(&here);
	rank_counts_clear(&there);
	return g_string_free(out, FALSE);
}

/* The same for rank_walk_phrases() of MATCH, the phrases PHRASES (NULL
 * ended) joined by AND (or one alone) or by OR (JOIN), the hits kept to
 * every other row of MATCH with ODD_ROWS: its hits are
 * bm25()'s, in id order, its counts rank_count()'s, and its ranks bm25()'s
 * scores, bit for bit. HITS is set to how many it
 * found. */
static char *
walked_rank_differences_of(struct fixture *f, const char *match, const char *const *phrases,
                           enum rank_join join, gboolean odd_rows, guint *hits)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) list = g_ptr_array_new();
	for (const char *const *p = phrases; *p; p++)
		g_ptr_array_add(list, (gpointer)*p);
	g_autoptr(GArray) keep = NULL;
	if (odd_rows) {
		keep = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_autoptr(sqlite3_stmt) k = db_prepare(
		    f->db, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid", &error);
		g_assert_no_error(error);
		sqlite3_bind_text(k, 1, match, -1, SQLITE_STATIC);
		for (int i = 0; sqlite3_step(k) == SQLITE_ROW; i++) {
			gint64 id = sqlite3_column_int64(k, 0);
			if (i % 2)
				g_array_append_val(keep, id);
		}
	}
	struct rank_hits h = { .ids = NULL };
	struct rank_counts c = { 0 };
	g_assert_cmpint(rank_walk_phrases(f->db, list, match, join, keep, &h, &c, &error), ==,
	                RANK_WALK_DONE);
	g_assert_no_error(error);
	*hits = h.ids->len;

	g_autoptr(sqlite3_stmt) s = db_prepare(
	    f->db, "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY rowid", &error);
	g_assert_no_error(error);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	GString *out = g_string_new(NULL);
	guint k = 0;
	if (h.ids->len) {
		struct rank_counts here;
		g_assert_true(rank_count(f->db, match, &here, &error));
		g_assert_cmpint(c.phrases, ==, (int)list->len);
		g_assert_cmpint(here.phrases, ==, c.phrases);
		g_assert_cmpint(c.rows, ==, here.rows);
		g_assert_cmpint(c.tokens, ==, here.tokens);
		/* rank_count() leaves one phrase's to its hits. */
		for (int i = 0; c.phrases > 1 && i < c.phrases; i++)
			g_assert_cmpint(c.hits[i], ==, here.hits[i]);
		if (c.phrases == 1 && !keep)
			g_assert_cmpint(c.hits[0], ==, h.ids->len);
		rank_counts_clear(&here);
		g_assert_cmpint(h.defer.phrases, ==, c.phrases);
		g_assert_cmpuint(h.ranks->len, ==, h.ids->len);
	}
	for (int row = 0; sqlite3_step(s) == SQLITE_ROW; row++) {
		gint64 id = sqlite3_column_int64(s, 0);
		if (keep && row % 2 == 0)
			continue;
		if (k >= h.ids->len || g_array_index(h.ids, gint64, k) != id) {
			g_string_append_printf(out, " missing %" G_GINT64_FORMAT, id);
			continue;
		}
		if (g_array_index(h.ranks, double, k) != sqlite3_column_double(s, 1))
			g_string_append_printf(out, " %" G_GINT64_FORMAT, id);
		k++;
	}
	if (k != h.ids->len)
		g_string_append_printf(out, " %u more", h.ids->len - k);
	rank_hits_clear(&h);
	rank_counts_clear(&c);
	return g_string_free(out, FALSE);
}

static char *
walked_rank_differences(struct fixture *f, const char *match, const char *const *phrases,
                        guint *hits)
{
	return walked_rank_differences_of(f, match, phrases, RANK_ALL, FALSE, hits);
}

/* The length the map holds for message MID. */
static guint
doclen_of(struct fixture *f, const char *mid)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(f->db, "SELECT id FROM messages WHERE message_id = ?", &error);
	sqlite3_bind_text(s, 1, mid, -1, SQLITE_STATIC);
	g_assert_cmpint(sqlite3_step(s), ==, SQLITE_ROW);
	g_autoptr(doclens) map = doclens_new(f->db);
	guint n = 0;
	g_assert_true(doclens_get(map, sqlite3_column_int64(s, 0), &n, &error));
	g_assert_no_error(error);
	return n;
}

static void
test_rank_lengths(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 40; i++) {
		g_autofree char *key = g_strdup_printf("/r%d", i);
		g_autoptr(parsed_message) pm = ranked_message(i);
		add_parsed(f, key, pm);
	}
	/* A text too long for the map: ranked from FTS5's own length. */
	g_autoptr(parsed_message) big = make_message("big@x", "bob@acme.example", NULL);
	GString *body = g_string_new("alpha beta");
	for (int k = 0; k < 70000; k++)
		g_string_append(body, " w");
	g_free(big->body_text);
	big->body_text = g_string_free(body, FALSE);
	add_parsed(f, "/big", big);
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);

	/* "subject of r3@x" is 4 tokens (r3 and x), the sender bob acme example 3,
	 * the body alpha + 21 words. */
	g_assert_cmpint(doclen_of(f, "r3@x"), ==, 4 + 3 + 1 + 3 * 7 % 23);
	g_assert_cmpint(doclen_of(f, "big@x"), ==, DOCLEN_UNKNOWN);
	const char *queries[] = { "alpha",
		                  "beta",
		                  "alpha beta",
		                  "beta OR filler",
		                  "\"alpha beta\"",
		                  "body: beta",
		                  "NEAR(alpha filler, 3)",
		                  "bob beta" };
	for (guint i = 0; i < G_N_ELEMENTS(queries); i++) {
		g_autofree char *diff = rank_differences(f, queries[i]);
		g_assert_cmpstr(diff, ==, "");
	}
	/* Deferred: the same scores; one phrase in the first, second, fifth
	 * and sixth, two in the others. */
	for (guint i = 0; i < G_N_ELEMENTS(queries); i++) {
		int phrases;
		g_autofree char *diff = deferred_rank_differences(f, queries[i], &phrases);
		g_assert_cmpstr(diff, ==, "");
		g_assert_cmpint(phrases, ==, i == 0 || i == 1 || i == 4 || i == 5 ? 1 : 2);
	}

	/* Walked phrase by phrase: the same hits and scores, with the hits
	 * scored on one thread and on two, and the big text's length asked of
	 * FTS5 on either; with the walks after the first keeping only its rows
	 * (as here, where the first is done before the other thread starts)
	 * and keeping all (as when they run at once); and with every hit
	 * scored by the other thread, which read every length meanwhile. */
	struct walked_case {
		const char *match;
		const char *phrases[4];
		guint hits;
	};
	static const struct walked_case walked[] = {
		{ "\"alpha\"", { "\"alpha\"" }, 41 },
		{ "{body} : \"beta\"", { "{body} : \"beta\"" }, 41 },
		{ "\"alpha\" AND \"beta\"", { "\"alpha\"", "\"beta\"" }, 39 },
		{ "\"filler\" AND \"beta\"", { "\"filler\"", "\"beta\"" }, 37 },
		{ "{body} : \"beta\" AND \"alpha\"", { "{body} : \"beta\"", "\"alpha\"" }, 39 },
		{ "\"alpha beta\" AND \"filler\"", { "\"alpha beta\"", "\"filler\"" }, 36 },
		{ "\"bob\" AND \"beta\" AND \"filler\"",
		  { "\"bob\"", "\"beta\"", "\"filler\"" },
		  36 },
		{ "\"alph\" * AND \"beta\"", { "\"alph\" *", "\"beta\"" }, 39 },
		{ "\"beta\" AND \"beta\"", { "\"beta\"", "\"beta\"" }, 41 },
		{ "\"alpha\" AND \"nosuchword\"", { "\"alpha\"", "\"nosuchword\"" }, 0 },
		{ "\"nosuchword\" AND \"alpha\"", { "\"nosuchword\"", "\"alpha\"" }, 0 },
		{ "\"gamma\" AND \"beta\"", { "\"gamma\"", "\"beta\"" }, 2 },
		{ "\"filler\" AND \"gamma\"", { "\"filler\"", "\"gamma\"" }, 2 },
		{ "\"beta\" AND \"filler\" AND \"gamma\"",
		  { "\"beta\"", "\"filler\"", "\"gamma\"" },
		  1 },
		{ "\"gamma\" AND \"alpha\"", { "\"gamma\"", "\"alpha\"" }, 0 },
	};
	/* Joined by OR: every row of any, a row without a phrase scoring 0
	 * for it, as bm25() of the phrases ORed scores it. */
	static const struct walked_case walked_any[] = {
		{ "\"alpha\" OR \"beta\"", { "\"alpha\"", "\"beta\"" }, 43 },
		{ "\"gamma\" OR \"alpha\"", { "\"gamma\"", "\"alpha\"" }, 44 },
		{ "({body} : \"beta\") OR \"gamma\" OR \"bob\"",
		  { "{body} : \"beta\"", "\"gamma\"", "\"bob\"" },
		  44 },
		{ "\"alph\" * OR \"gamma\"", { "\"alph\" *", "\"gamma\"" }, 44 },
		{ "\"beta\" OR \"beta\"", { "\"beta\"", "\"beta\"" }, 41 },
		{ "\"nosuchword\" OR \"gamma\"", { "\"nosuchword\"", "\"gamma\"" }, 3 },
		{ "\"gamma\" OR \"nosuchword\"", { "\"gamma\"", "\"nosuchword\"" }, 3 },
		{ "\"nosuchword\" OR \"nosuchother\"", { "\"nosuchword\"", "\"nosuchother\"" }, 0 },
		{ "\"gamma\"", { "\"gamma\"" }, 3 },
	};
	/* Rows of a phrase that another lacks: "gamma" with "beta" in two
	 * messages, without in one, so no phrase's rows hold another's. */
	g_assert_true(writer_begin(f->w, &error));
	const char *gammas[] = { "gamma filler", "gamma beta", "gamma beta filler" };
	for (guint i = 0; i < G_N_ELEMENTS(gammas); i++) {
		g_autofree char *mid = g_strdup_printf("g%u@x", i);
		g_autoptr(parsed_message) pm = make_message(mid, "carol@globex.example", NULL);
		g_free(pm->body_text);
		pm->body_text = g_strdup(gammas[i]);
		add_parsed(f, mid, pm);
	}
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	for (int way = 0; way < 6; way++) {
		g_setenv("MAILCLERK_TEST_RANK_SPLIT", way & 1 ? "0" : "1000000", TRUE);
		g_setenv("MAILCLERK_TEST_RANK_FILTER", way & 2 ? "0" : "1", TRUE);
		g_setenv("MAILCLERK_TEST_RANK_PRELOAD", way & 4 ? "thread" : "", TRUE);
		for (guint i = 0; i < G_N_ELEMENTS(walked); i++) {
			guint hits;
			g_autofree char *diff =
			    walked_rank_differences(f, walked[i].match, walked[i].phrases, &hits);
			g_assert_cmpstr(diff, ==, "");
			g_assert_cmpuint(hits, ==, walked[i].hits);
			/* Kept to a set (the other terms' hits). */
			g_autofree char *kept = walked_rank_differences_of(
			    f, walked[i].match, walked[i].phrases, RANK_ALL, TRUE, &hits);
			g_assert_cmpstr(kept, ==, "");
			g_assert_cmpuint(hits, ==, walked[i].hits / 2);
		}
		for (guint i = 0; i < G_N_ELEMENTS(walked_any); i++)
			for (int odd = 0; odd < 2; odd++) {
				guint hits;
				g_autofree char *diff = walked_rank_differences_of(
				    f, walked_any[i].match, walked_any[i].phrases, RANK_ANY, odd,
				    &hits);
				g_assert_cmpstr(diff, ==, "");
				g_assert_cmpuint(hits, ==,
				                 odd ? walked_any[i].hits / 2 : walked_any[i].hits);
			}
	}
	g_unsetenv("MAILCLERK_TEST_RANK_SPLIT");
	g_unsetenv("MAILCLERK_TEST_RANK_FILTER");
	g_unsetenv("MAILCLERK_TEST_RANK_PRELOAD");

	/* A rewritten text: its new length. A rolled-back one leaves none. */
	gint64 id = query_int(f->db, "SELECT id FROM messages WHERE message_id = 'r3@x'");
	g_autoptr(parsed_message) longer = ranked_message(3);
	g_free(longer->body_text);
	longer->body_text = g_strdup("alpha beta beta beta gamma");
	g_assert_true(writer_begin(f->w, &error));
	g_assert_true(writer_rewrite(f->w, id, longer, NULL, &error));
	g_assert_true(writer_commit(f->w, &error));
	g_assert_cmpint(doclen_of(f, "r3@x"), ==, 4 + 3 + 5);
	g_assert_true(writer_begin(f->w, &error));
	add(f, "/gone", "gone@x", "bob@acme.example", NULL);
	gint64 gone = query_int(f->db, "SELECT max(id) FROM messages");
	writer_rollback(f->w);
	g_autoptr(doclens) map = doclens_new(f->db);
	guint n = 0;
	g_assert_true(doclens_get(map, gone, &n, &error));
	g_assert_cmpint(n, ==, DOCLEN_UNKNOWN);
	g_autofree char *after = rank_differences(f, "beta");
	g_assert_cmpstr(after, ==, "");

	/* An index of version 14 gets the map from FTS5's lengths. */
	reopen_migrated(
	    f, "DROP TABLE message_doclens; DROP TABLE thread_last; PRAGMA user_version = 14");
	g_assert_cmpint(doclen_of(f, "r3@x"), ==, 4 + 3 + 5);
	g_assert_cmpint(doclen_of(f, "r5@x"), ==, 4 + 3 + 1 + 5 * 7 % 23);
	g_assert_cmpint(doclen_of(f, "big@x"), ==, DOCLEN_UNKNOWN);
	for (guint i = 0; i < G_N_ELEMENTS(queries); i++) {
		g_autofree char *diff = rank_differences(f, queries[i]);
		g_assert_cmpstr(diff, ==, "");
	}
}

/* A search reads in one transaction: ranking gives what that read holds
 * while another connection commits, whichever thread walks what; the
 * counting thread of the other way, which read the new text, is refused. */
static void
test_rank_snapshot(struct fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(writer_begin(f->w, &error));
	for (int i = 0; i < 10; i++) {
		g_autofree char *key = g_strdup_printf("/s%d", i);
		g_autoptr(parsed_message) pm = ranked_message(i);
		add_parsed(f, key, pm);
	}
	g_assert_true(writer_commit(f->w, &error));
	g_assert_no_error(error);
	g_assert_true(db_exec(f->db, "BEGIN", &error));
	g_assert_cmpint(query_int(f->db, "SELECT count(*) FROM messages"), ==, 10);
	{
		g_autoptr(mc_db) other = db_open(f->path, DB_WRITE, &error);
		g_assert_no_error(error);
		struct index_writer *w = writer_new(other, f->cfg, NULL, &error);
		g_assert_no_error(error);
		g_autoptr(parsed_message) pm = ranked_message(10); /* alpha beta */
		struct source_item item = { .source = "",
			                    .kind = "maildir",
			                    .container = "/c",
			                    .folder = "",
			                    .name = "/s10",
			                    .sub = "cur",
			                    .info = "",
			                    .path = "/s10" };
		g_autofree char *refused = NULL;
		g_assert_true(writer_begin(w, &error));
		g_assert_true(writer_add(w, &item, pm, NULL, NULL, &refused, &error));
		g_assert_true(writer_commit(w, &error));
		g_assert_no_error(error);
		writer_free(w);
	}
	const char *phrases[] = { "\"alpha\"", "\"beta\"", NULL };
	const char *match = "\"alpha\" AND \"beta\"";
	for (int way = 0; way < 2; way++) {
		g_setenv("MAILCLERK_TEST_RANK_PRELOAD", way ? "thread" : "", TRUE);
		guint hits;
		g_autofree char *diff = walked_rank_differences(f, match, phrases, &hits);
		g_assert_cmpstr(diff, ==, "");
		g_assert_cmpuint(hits, ==, 9); /* r0 has no beta; r10 came after */
	}
	g_unsetenv("MAILCLERK_TEST_RANK_PRELOAD");
	struct rank_hits newer;
	struct rank_counts there;
	g_assert_false(rank_job_finish(rank_job_start(f->path, match, 1, G_MAXINT64), f->db, &newer,
	                               &there, &error));
	g_assert_error(error, MC_ERROR, MC_ERROR_FAILED);
	g_clear_error(&error);
	g_assert_true(db_exec(f->db, "COMMIT", &error));
	guint hits;
	g_autofree char *diff = walked_rank_differences(f, match, phrases, &hits);
	g_assert_cmpstr(diff, ==, "");
	g_assert_cmpuint(hits, ==, 10);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/db/created-private", struct fixture, NULL, setup, test_created_private,
	           teardown);
	g_test_add("/db/page-size", struct fixture, NULL, setup, test_page_size, teardown);
	g_test_add("/db/newer-schema-refused", struct fixture, NULL, setup,
	           test_newer_schema_refused, teardown);
	g_test_add("/writer/dedupe-and-direction", struct fixture, NULL, setup,
	           test_dedupe_and_direction, teardown);
	g_test_add("/writer/threads-merge-out-of-order", struct fixture, NULL, setup,
	           test_threads_merge_out_of_order, teardown);
	g_test_add("/writer/commit-lets-checkpoint", struct fixture, NULL, setup,
	           test_commit_lets_checkpoint, teardown);
	g_test_add("/writer/remove-last-copy", struct fixture, NULL, setup, test_remove_last_copy,
	           teardown);
	g_test_add("/writer/deleted-message-keeps-thread", struct fixture, NULL, setup,
	           test_deleted_message_keeps_thread, teardown);
	g_test_add("/writer/dates-follow-transactions", struct fixture, NULL, setup,
	           test_dates_follow_transactions, teardown);
	g_test_add("/writer/dates-newest", struct fixture, NULL, setup, test_dates_newest,
	           teardown);
	g_test_add("/writer/dates-sparse-and-dense", struct fixture, NULL, setup,
	           test_dates_sparse_and_dense, teardown);
	g_test_add("/writer/replaced-copy-keeps-ids", struct fixture, NULL, setup,
	           test_replaced_copy_keeps_ids, teardown);
	g_test_add("/db/rewrite", struct fixture, NULL, setup, test_rewrite, teardown);
	g_test_add("/rank/lengths", struct fixture, NULL, setup, test_rank_lengths, teardown);
	g_test_add("/rank/snapshot", struct fixture, NULL, setup, test_rank_snapshot, teardown);
	g_test_add("/db/migrates-version-1", struct fixture, NULL, setup, test_migrates_version_1,
	           teardown);
	g_test_add("/db/inherit-in-slices", struct fixture, NULL, setup, test_inherit_in_slices,
	           teardown);
	g_test_add("/db/inherit-reads-new-mail-only", struct fixture, NULL, setup,
	           test_inherit_reads_new_mail_only, teardown);
	g_test_add("/db/inherit-all-linear", struct fixture, NULL, setup, test_inherit_all_linear,
	           teardown);
	g_test_add("/db/inherit-after-killed-run", struct fixture, NULL, setup,
	           test_inherit_after_killed_run, teardown);
	g_test_add("/db/work-tables-counted", struct fixture, NULL, setup, test_work_tables_counted,
	           teardown);
	return g_test_run();
}
