/* Opening the index: pragmas, migrations, statement helpers, the integrity check. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/aggregates.h"
#include "index/dates.h"
#include "index/db.h"
#include "index/doclens.h"
#include "common/error.h"
#include "common/progress.h"
#include "index/schema.h"
#include "index/text.h"
#include "index/tokenizer.h"

gboolean
db_set_error(GError **error, struct mc_db *db, const char *what)
{
	int code = sqlite3_extended_errcode(db->sql);
	int busy = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
	g_set_error(error, MC_ERROR, busy ? MC_ERROR_BUSY : MC_ERROR_FAILED, "%s: %s: %s", db->path,
	            what, sqlite3_errmsg(db->sql));
	return FALSE;
}

gboolean
db_exec(struct mc_db *db, const char *sql, GError **error)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_set_error(error, db, "database error");
	return TRUE;
}

gboolean
db_commit(struct mc_db *db, GError **error)
{
	/* A statement left on a row keeps the connection's read transaction
	 * open after COMMIT, and no checkpoint can then copy the WAL back into
	 * the index: the WAL grows for the whole run (160 MB for 100,000
	 * messages) and every later read searches it. Statements are reset
	 * before use, so none is relied on across a commit. */
	for (sqlite3_stmt *s = sqlite3_next_stmt(db->sql, NULL); s;
	     s = sqlite3_next_stmt(db->sql, s))
		if (sqlite3_stmt_busy(s))
			sqlite3_reset(s);
	return db_exec(db, "COMMIT", error);
}

gboolean
db_analyze(struct mc_db *db, GError **error)
{
	/* The tables with an index (or a primary key of their own): the
	 * planner's choices are between indexes. A table without one
	 * (message_text, FTS5's data and sizes) would be counted row by row
	 * however small analysis_limit is: 0.3-0.6 s a run at a million
	 * messages, where these take 10 ms. Their old counts stay, unused. */
	g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func(g_free);
	{
		g_autoptr(sqlite3_stmt) s = db_prepare(
		    db,
		    "SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE "
		    "'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' AND EXISTS (SELECT 1 FROM "
		    "pragma_index_list(m.name))",
		    error);
		if (!s)
			return FALSE;
		int rc;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			g_ptr_array_add(tables, g_strdup(db_column_text(s, 0)));
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "listing the tables to analyze");
	}
	if (!db_exec(db, "PRAGMA analysis_limit = 1000", error))
		return FALSE;
	for (guint i = 0; i < tables->len; i++) {
		char *sql = sqlite3_mprintf("ANALYZE \"%w\"", (char *)g_ptr_array_index(tables, i));
		gboolean ok = db_exec(db, sql, error);
		sqlite3_free(sql);
		if (!ok)
			return FALSE;
	}
	/* ANALYZE's sample of the address indexes by epoch (migrate-20.sql) is
	 * the start of epoch 0: it tells the planner an address has a dozen
	 * rows an epoch, and the planner then reads all of an address's rows
	 * for to: (roles 1 and 3) rather than seek each role: 1.2 ms instead of
	 * 0.04 for a sender never written to, at a million messages. Without
	 * counts it seeks every column it is given. */
	if (!db_exec(db,
	             "DELETE FROM sqlite_stat1 WHERE idx IN ('addresses_epoch_address', "
	             "'addresses_epoch_domain')",
	             error))
		return FALSE;
	return db_count_work_tables(db, FALSE, error);
}

gboolean
db_count_work_tables(struct mc_db *db, gboolean if_missing, GError **error)
{
	/* The tables a transaction fills and empties before it commits (the
	 * writer's notes of what to count again or check) are empty whenever
	 * ANALYZE runs, and it writes no counts for an empty table. Without
	 * counts the planner takes one for a million rows, and for a statement
	 * driven from it chose to index all of addresses on the fly or to
	 * filter filings with a Bloom filter built by reading the whole table:
	 * at a million messages, 12 s for the contacts of one message that
	 * left. Counts of ten rows make it look each row up. */
	if (if_missing) {
		g_autoptr(sqlite3_stmt) s = NULL;
		/* No sqlite_stat1 (never analyzed): nothing to correct. */
		if (sqlite3_prepare_v2(db->sql,
		                       "SELECT NOT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE "
		                       "tbl = 'stats_dirty')",
		                       -1, &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW || !sqlite3_column_int(s, 0))
			return TRUE;
	}
	return db_exec(db,
	               "DELETE FROM sqlite_stat1 WHERE tbl IN ('stats_dirty', 'orphan_check', "
	               "'contacts_dirty', 'contacts_pending');"
	               "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES "
	               "('stats_dirty', NULL, '10'), ('orphan_check', NULL, '10'), "
	               "('contacts_dirty', 'contacts_dirty', '10 2 1'), "
	               "('contacts_pending', 'contacts_pending', '10 1 1');"
	               /* Read the counts again. */
	               "ANALYZE sqlite_schema",
	               error);
}

gboolean
db_begin_read(struct mc_db *db, GError **error)
{
	return db_exec(db, "BEGIN", error);
}

sqlite3_stmt *
db_prepare(struct mc_db *db, const char *sql, GError **error)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		db_set_error(error, db, "preparing a query");
		return NULL;
	}
	return stmt;
}

void
db_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text)
		sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, index);
}

const char *
db_column_text(sqlite3_stmt *stmt, int col)
{
	const char *s = (const char *)sqlite3_column_text(stmt, col);
	return s ? s : "";
}

static void
stmt_finalize(gpointer stmt)
{
	sqlite3_finalize(stmt);
}

sqlite3_stmt *
db_cached(struct mc_db *db, const char *sql, GError **error)
{
	if (!db->cache)
		db->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, stmt_finalize);
	sqlite3_stmt *stmt = g_hash_table_lookup(db->cache, sql);
	if (stmt) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	stmt = db_prepare(db, sql, error);
	if (stmt)
		g_hash_table_insert(db->cache, g_strdup(sql), stmt);
	return stmt;
}

void
db_close(struct mc_db *db)
{
	if (!db)
		return;
	if (db->cache)
		g_hash_table_unref(db->cache);
	sqlite3_close_v2(db->sql);
	g_free(db->path);
	g_free(db);
}

/* SQLite creates the file with 0644 less the umask and gives -wal/-shm the
 * main file's mode, so creating it 0600 first keeps all three private. */
static gboolean
create_private_file(const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(path);
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", dir,
		            g_strerror(errno));
		return FALSE;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", path,
		            g_strerror(errno));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

static gboolean
db_user_version(struct mc_db *db, int *version, GError **error)
{
	g_autoptr(sqlite3_stmt) st = db_prepare(db, "PRAGMA user_version", error);
	if (!st)
		return FALSE;
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_set_error(error, db, "reading the schema version");
	*version = sqlite3_column_int(st, 0);
	return TRUE;
}

/* Forward migrations: migrations[v] takes a version-v database to v+1.
 * Version 0 is an empty file. */
static const char *const migrations[] = {
	schema_sql,     migrate_2_sql, /* filings */
	migrate_3_sql,                 /* exclusions */
	migrate_4_sql,                 /* autosave */
	migrate_5_sql,                 /* imap_folders, inherit_pending */
	migrate_6_sql,                 /* skipped */
	migrate_7_sql,                 /* containers_folder COLLATE NOCASE */
	migrate_8_sql,                 /* messages.automated, reindex_needed */
	migrate_9_sql,                 /* followup_state */
	migrate_10_sql,                /* saved_files */
	migrate_11_sql,                /* labels */
	migrate_12_sql,                /* imap_folders.highestmodseq */
	migrate_13_sql,                /* fts: folding, HTML words */
	migrate_14_sql,                /* filing_stats and contact_stats (aggregates.c) */
	migrate_15_sql,                /* message_doclens (doclens.c) */
	migrate_16_sql,                /* thread_last (aggregates.c) */
	migrate_17_sql,                /* skipped: long charset names read again */
	migrate_18_sql,                /* domains (the @domain of a search) */
	migrate_19_sql,                /* message_date_newest (dates.c) */
	migrate_20_sql,                /* addresses by epoch (DB_ADDRESS_EPOCHS) */
};
G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == DB_SCHEMA_VERSION);

/* Takes the index to DB_SCHEMA_VERSION in one transaction (db_migrate()). */
static gboolean
migrate_locked(struct mc_db *db, GError **error)
{
	int version;
	/* IMMEDIATE takes the write lock first, so two processes cannot migrate at once;
	 * the version is re-read under the lock. */
	if (!db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (!db_user_version(db, &version, error))
		goto fail;
	/* The aggregates of version 14 are counted from the rows there, once
	 * every table they keep is made (later migrations add some). */
	gboolean rebuild = FALSE;
	for (; version < DB_SCHEMA_VERSION; version++) {
		if (!db_exec(db, migrations[version], error))
			goto fail;
		rebuild = rebuild || version + 1 == 14;
		/* The lengths of version 15, from FTS5's. */
		if (version + 1 == 15 && !doclens_rebuild(db, error))
			goto fail;
		g_autofree char *set = g_strdup_printf("PRAGMA user_version = %d", version + 1);
		if (!db_exec(db, set, error))
			goto fail;
	}
	if (rebuild && !aggregates_rebuild(db, error))
		goto fail;
	return db_commit(db, error);
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

static gboolean
db_migrate(struct mc_db *db, GError **error)
{
	int version;
	if (!db_user_version(db, &version, error))
		return FALSE;
	if (version == DB_SCHEMA_VERSION)
		return TRUE;
	if (version > DB_SCHEMA_VERSION) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "%s: the index has schema version %d, newer than this mailclerk's %d; "
		            "upgrade mailclerk",
		            db->path, version, DB_SCHEMA_VERSION);
		return FALSE;
	}
	/* A migration may sort a whole table to index it (migrate-20.sql: every
	 * address row twice): in memory, as temp_store has it, that took 165
	 * MB at 900,000 messages; in a temporary file, the cache's size. */
	if (!db_exec(db, "PRAGMA temp_store = FILE", error))
		return FALSE;
	gboolean ok = migrate_locked(db, error);
	return db_exec(db, "PRAGMA temp_store = MEMORY", ok ? error : NULL) && ok;
}

/* Process-wide SQLite settings; they must precede sqlite3_initialize(). */
static void
db_global_init(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		/* Memory statistics take a global mutex around every allocation:
		 * a tenth of the writer's time, for numbers nobody reads. */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		sqlite3_initialize();
		g_once_init_leave(&once, 1);
	}
}

/* The number a pragma that reads one gives (PRAGMA page_size: the size
 * the index will have, before its first write); 0 when it cannot be read. */
static gint64
pragma_number(struct mc_db *db, const char *pragma)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, pragma, NULL);
	return s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
}

struct mc_db *
db_open(const char *path, enum db_mode mode, GError **error)
{
	db_global_init();
	g_autoptr(mc_db) db = g_new0(struct mc_db, 1);
	db->path = g_strdup(path);

	struct stat st;
	gboolean exists = stat(path, &st) == 0;
	gboolean unwritten = !exists || st.st_size == 0;
	if (!exists) {
		if (mode != DB_WRITE) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
			            "no index at %s: run 'mailclerk ingest' first", path);
			return NULL;
		}
		if (!create_private_file(path, error))
			return NULL;
	}
	if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		db_set_error(error, db, "cannot open the index");
		return NULL;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	/* An index not yet written gets pages of 16 KiB, not SQLite's 4 KiB:
	 * an ingest writes each page to the WAL, reads it back and writes it
	 * to the file, a system call each time, and a quarter as many calls
	 * took 5 % off a first ingest (HACKING, "Pages of 16 KiB"). An index
	 * made with pages of 4 KiB keeps them: the size is the file's. */
	if (unwritten && mode == DB_WRITE && !db_exec(db, "PRAGMA page_size = 16384", error))
		return NULL;
	/* A writer checkpoints every 8,192 pages of WAL (128 MB at 16 KiB, 32
	 * MB at 4 KiB) rather than every 1,000: each checkpoint copies pages
	 * back and syncs the file, and an ingest writes a lot. */
	if (mode != DB_READ && !db_exec(db, "PRAGMA wal_autocheckpoint = 8192", error))
		return NULL;
	if (mode == DB_READ) {
		/* A reader keeps the -wal and -shm files when it is the last to
		 * close: every search is a short process of its own, and creating,
		 * sizing and deleting them cost a millisecond of each. The WAL is
		 * cut to nothing at that last checkpoint, so that the next process
		 * has nothing to read back from it. The writer deletes it as usual. */
		int persist = 1;
		sqlite3_file_control(db->sql, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
		if (!db_exec(db, "PRAGMA journal_size_limit = 0", error))
			return NULL;
	}
	/* Long enough to wait out another process's batch commit; short enough that
	 * a stuck writer is reported rather than hanging a search. */
	sqlite3_busy_timeout(db->sql, 15000);
	if (!tokenizer_register(db->sql, error) || !text_register(db->sql, error))
		return NULL;
	if (!db_exec(db,
	             "PRAGMA journal_mode = WAL;"
	             "PRAGMA synchronous = NORMAL;"
	             "PRAGMA foreign_keys = ON;"
	             "PRAGMA temp_store = MEMORY;"
	             /* 16 MiB of page cache: well inside the 64 MB RSS budget. */
	             "PRAGMA cache_size = -16384;",
	             error))
		return NULL;
	/* A writer fills its cache, and the allocator gives a page of 16 KiB
	 * (and SQLite's header) a block of 20 KiB, one of 4 KiB 5 KiB: 14 MiB
	 * of the larger cost what 16 MiB of the smaller did (16 MiB took the
	 * busier million in one run to 64.1 MB, over the target). */
	if (mode != DB_READ && pragma_number(db, "PRAGMA page_size") == 16384 &&
	    !db_exec(db, "PRAGMA cache_size = -14336", error))
		return NULL;
	if (!db_migrate(db, error))
		return NULL;
	return g_steal_pointer(&db);
}

char *
db_reindex_needed(struct mc_db *db)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "SELECT why FROM reindex_needed", NULL);
	if (!s || sqlite3_step(s) != SQLITE_ROW)
		return NULL;
	return g_strdup(db_column_text(s, 0));
}

/* How far a check is: the pages it has read (cache misses) of the
 * index's pages, drawn by sqlite3_progress_handler while a statement runs. */
struct check_progress {
	sqlite3 *sql;
	struct progress *bar;
	const char *what;
	int misses_before;
	guint64 pages;
};

static int
cache_misses(sqlite3 *sql)
{
	int now = 0, highest = 0;
	sqlite3_db_status(sql, SQLITE_DBSTATUS_CACHE_MISS, &now, &highest, 0);
	return now;
}

static int
check_progress_draw(void *data)
{
	struct check_progress *c = data;
	progress_update_what(c->bar, c->what, "pages", cache_misses(c->sql) - c->misses_before,
	                     c->pages);
	return 0; /* go on */
}

/* Starts a progress line for one part of the check. */
static void
check_progress_start(struct check_progress *c, struct mc_db *db, const char *what, guint64 pages)
{
	c->sql = db->sql;
	c->bar = progress_new();
	c->what = what;
	c->misses_before = cache_misses(db->sql);
	c->pages = pages;
	sqlite3_progress_handler(db->sql, 100000, check_progress_draw, c);
}

static void
check_progress_end(struct check_progress *c)
{
	sqlite3_progress_handler(c->sql, 0, NULL, NULL);
	g_clear_pointer(&c->bar, progress_free);
}

/* Adds to PROBLEMS each domain (up to ten) that has addresses but no row
 * in `domains`, where a search for @domain starts (migrate-18.sql). */
static void
check_domains(struct mc_db *db, GPtrArray *problems)
{
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db,
	               "SELECT DISTINCT a.domain FROM addresses a WHERE NOT EXISTS "
	               "(SELECT 1 FROM domains d WHERE d.domain = a.domain) LIMIT 10",
	               NULL);
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(s))
		g_ptr_array_add(problems,
		                g_strdup_printf("domains: '%s' has addresses but is not in the "
		                                "table, so a search for @%s misses their mail",
		                                db_column_text(s, 0), db_column_text(s, 0)));
	if (rc != SQLITE_DONE)
		g_ptr_array_add(problems, g_strdup_printf("domains: %s", sqlite3_errmsg(db->sql)));
}

/* An ISO 8601 date of UTC seconds T, "?" where GLib has none. */
static char *
iso_date(gint64 t)
{
	g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc(t);
	return d ? g_date_time_format_iso8601(d) : g_strdup("?");
}

/* Adds to PROBLEMS each chunk of the date map (up to ten) holding a message
 * dated later than its row in message_date_newest says, or no row, where a
 * page of words newest first would stop too soon (migrate-19.sql). */
static void
check_date_newest(struct mc_db *db, GPtrArray *problems)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT m.chunk, m.newest, n.newest FROM (SELECT id / ?1 AS chunk, max(date) AS newest "
	    "FROM messages GROUP BY id / ?1) m LEFT JOIN message_date_newest n ON n.chunk = "
	    "m.chunk "
	    "WHERE n.newest IS NULL OR n.newest < m.newest LIMIT 10",
	    NULL);
	if (s)
		sqlite3_bind_int(s, 1, DATES_CHUNK);
	int rc = s ? sqlite3_step(s) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(s)) {
		gint64 chunk = sqlite3_column_int64(s, 0);
		g_autofree char *newest = iso_date(sqlite3_column_int64(s, 1));
		g_autofree char *recorded = sqlite3_column_type(s, 2) == SQLITE_NULL
		                                ? g_strdup("none")
		                                : iso_date(sqlite3_column_int64(s, 2));
		g_ptr_array_add(problems,
		                g_strdup_printf("message_date_newest: ids %" G_GINT64_FORMAT
		                                "-%" G_GINT64_FORMAT " hold mail dated %s, newer "
		                                "than recorded (%s), which a search newest first "
		                                "may miss: `mailclerk reindex` records it again",
		                                chunk * DATES_CHUNK,
		                                chunk * DATES_CHUNK + DATES_CHUNK - 1, newest,
		                                recorded));
	}
	if (rc != SQLITE_DONE)
		g_ptr_array_add(
		    problems, g_strdup_printf("message_date_newest: %s", sqlite3_errmsg(db->sql)));
}

GPtrArray *
db_check(struct mc_db *db, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "PRAGMA integrity_check", error);
	if (!s)
		return NULL;
	guint64 pages = (guint64)pragma_number(db, "PRAGMA page_count");
	struct check_progress shown;
	GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
	check_progress_start(&shown, db, "check 1/2, the database", pages);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = db_column_text(s, 0);
		if (!g_str_equal(line, "ok"))
			g_ptr_array_add(problems, g_strdup(line));
	}
	if (rc != SQLITE_DONE)
		g_ptr_array_add(problems, g_strdup(sqlite3_errmsg(db->sql)));
	check_domains(db, problems);
	check_date_newest(db, problems);
	check_progress_end(&shown);
	/* The full-text index reads its own pages and every message's text,
	 * most of the file again. */
	check_progress_start(&shown, db, "check 2/2, the full-text index", pages);
	if (sqlite3_exec(db->sql, "INSERT INTO fts(fts) VALUES('integrity-check')", NULL, NULL,
	                 NULL) != SQLITE_OK)
		g_ptr_array_add(problems,
		                g_strdup_printf("full-text index: %s", sqlite3_errmsg(db->sql)));
	check_progress_end(&shown);
	return problems;
}
