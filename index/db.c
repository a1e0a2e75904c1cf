/* Opening the index: pragmas, migrations, statement helpers, the integrity check. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/db.h"
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
	migrate_14_sql,                /* filing_stats, filled by aggregates.sql */
};
G_STATIC_ASSERT(G_N_ELEMENTS(migrations) == DB_SCHEMA_VERSION);

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
	/* IMMEDIATE takes the write lock first, so two processes cannot migrate at once;
	 * the version is re-read under the lock. */
	if (!db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	if (!db_user_version(db, &version, error))
		goto fail;
	for (; version < DB_SCHEMA_VERSION; version++) {
		if (!db_exec(db, migrations[version], error))
			goto fail;
		/* The aggregates of version 14 are counted from the rows there. */
		if (version + 1 == 14 && !db_aggregates_rebuild(db, error))
			goto fail;
		g_autofree char *set = g_strdup_printf("PRAGMA user_version = %d", version + 1);
		if (!db_exec(db, set, error))
			goto fail;
	}
	return db_exec(db, "COMMIT", error);
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
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

struct mc_db *
db_open(const char *path, enum db_mode mode, GError **error)
{
	db_global_init();
	g_autoptr(mc_db) db = g_new0(struct mc_db, 1);
	db->path = g_strdup(path);

	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
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
	/* A writer checkpoints every 32 MB of WAL rather than every 4 MB: each
	 * checkpoint copies pages back and syncs the file, and an ingest writes
	 * a lot. */
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
	if (!db_migrate(db, error))
		return NULL;
	return g_steal_pointer(&db);
}

/* Counts the threads of stats_dirty again in thread_stats and moves the
 * difference into filing_stats (migrate-14.sql): the old rows' sums per key
 * out, the new ones' in. A key's first (last) date stays unless the old
 * rows held it and the new ones do not come back to it, when it is counted
 * again from thread_stats (a removal, a date changed by reindex: rare). */
static const char flush_sql[] =
    "DELETE FROM temp.stats_old; DELETE FROM temp.stats_new;"
    "INSERT INTO temp.stats_old SELECT client, project, sum(inbound), sum(outbound), "
    "count(*), min(first), max(last), sum(attachments) FROM thread_stats "
    "WHERE thread_id IN (SELECT thread_id FROM stats_dirty) GROUP BY client, project;"
    "DELETE FROM thread_stats WHERE thread_id IN (SELECT thread_id FROM stats_dirty);"
    /* As aggregates.sql, for these threads (CROSS JOIN: from the few). */
    "INSERT INTO thread_stats (thread_id, client, project, inbound, outbound, first, last, "
    "attachments) SELECT m.thread_id, f.client, CASE k.k WHEN 0 THEN f.project ELSE '/' END, "
    "sum(m.direction = 0), sum(m.direction = 1), min(m.date), max(m.date), "
    "sum(CASE WHEN m.has_attachments THEN (SELECT count(*) FROM attachments a "
    "WHERE a.message = m.id AND a.is_inline = 0) ELSE 0 END) "
    "FROM stats_dirty d CROSS JOIN messages m ON m.thread_id = d.thread_id "
    "CROSS JOIN filings f ON f.message = m.id CROSS JOIN (SELECT 0 AS k UNION ALL "
    "SELECT 1) k WHERE k.k = 0 OR (f.project = '' AND NOT EXISTS (SELECT 1 FROM filings g "
    "WHERE g.message = f.message AND g.client = f.client AND g.project != '')) "
    "GROUP BY 1, 2, 3;"
    /* ... and the new threads the writer counted itself (stats_fresh). */
    "INSERT INTO temp.stats_new SELECT client, project, sum(inbound), sum(outbound), "
    "count(*), min(first), max(last), sum(attachments) FROM thread_stats "
    "WHERE thread_id IN (SELECT thread_id FROM stats_dirty UNION ALL SELECT thread_id "
    "FROM temp.stats_fresh) GROUP BY client, project;"
    "INSERT OR IGNORE INTO filing_stats (client, project) "
    "SELECT client, project FROM temp.stats_new;"
    "UPDATE filing_stats AS s SET "
    "inbound = s.inbound + coalesce(n.inbound, 0) - coalesce(o.inbound, 0), "
    "outbound = s.outbound + coalesce(n.outbound, 0) - coalesce(o.outbound, 0), "
    "threads = s.threads + coalesce(n.threads, 0) - coalesce(o.threads, 0), "
    "attachments = s.attachments + coalesce(n.attachments, 0) - coalesce(o.attachments, 0), "
    "first = CASE WHEN o.first IS NULL OR o.first > s.first "
    "THEN coalesce(min(s.first, n.first), s.first, n.first) "
    "WHEN n.first <= o.first THEN n.first END, "
    "last = CASE WHEN o.last IS NULL OR o.last < s.last "
    "THEN coalesce(max(s.last, n.last), s.last, n.last) "
    "WHEN n.last >= o.last THEN n.last END "
    "FROM (SELECT client, project FROM temp.stats_new UNION SELECT client, project "
    "FROM temp.stats_old) k LEFT JOIN temp.stats_new n USING (client, project) "
    "LEFT JOIN temp.stats_old o USING (client, project) "
    "WHERE s.client = k.client AND s.project = k.project;"
    "DELETE FROM filing_stats WHERE inbound + outbound = 0;"
    "UPDATE filing_stats SET first = (SELECT min(first) FROM thread_stats t WHERE "
    "t.client = filing_stats.client AND t.project = filing_stats.project), "
    "last = (SELECT max(last) FROM thread_stats t WHERE t.client = filing_stats.client "
    "AND t.project = filing_stats.project) WHERE first IS NULL OR last IS NULL;"
    "DELETE FROM stats_dirty; DELETE FROM temp.stats_fresh;";

gboolean
db_aggregates_begin(struct mc_db *db, GError **error)
{
	return db_exec(
	    db,
	    "CREATE TEMP TABLE IF NOT EXISTS stats_old (client, project, inbound, "
	    "outbound, threads, first, last, attachments, PRIMARY KEY (client, "
	    "project)) WITHOUT ROWID;"
	    "CREATE TEMP TABLE IF NOT EXISTS stats_new (client, project, inbound, "
	    "outbound, threads, first, last, attachments, PRIMARY KEY (client, "
	    "project)) WITHOUT ROWID;"
	    "CREATE TEMP TABLE IF NOT EXISTS stats_fresh (thread_id INTEGER PRIMARY KEY);",
	    error);
}

/* Adds to contact_stats the rows of the CTE `r` the SQL ROWS makes (client,
 * address, message, date, name, row: addresses.rowid): messages counted
 * once per key, the latest name by date, message and row. A key already
 * there adds these to its numbers; one counted again was deleted first. */
/* Whether the name of the row `excluded` is later than the one kept. */
#define CONTACTS_NEWER                                                                             \
	"(excluded.name != '' AND (name = '' OR (excluded.name_date, excluded.name_message, "      \
	"excluded.name_row) > (name_date, name_message, name_row)))"
#define CONTACTS_ADD(rows)                                                                         \
	"WITH r AS (" rows "), "                                                                   \
	"g AS (SELECT client, address, count(DISTINCT message) AS n, min(date) AS first, "         \
	"max(date) AS last FROM r GROUP BY client, address), "                                     \
	"nm AS (SELECT client, address, name, date, message, row FROM (SELECT client, address, "   \
	"name, date, message, row, row_number() OVER (PARTITION BY client, address "               \
	"ORDER BY date DESC, message DESC, row DESC) AS rn FROM r WHERE name != '') "              \
	"WHERE rn = 1) "                                                                           \
	"INSERT INTO contact_stats (client, address, messages, first, last, name, name_date, "     \
	"name_message, name_row) SELECT g.client, g.address, g.n, g.first, g.last, "               \
	"coalesce(nm.name, ''), nm.date, nm.message, nm.row FROM g LEFT JOIN nm "                  \
	"ON nm.client = g.client AND nm.address = g.address WHERE TRUE " CONTACTS_UPSERT ";"

/* What a row for a key contact_stats has adds to it. */
#define CONTACTS_UPSERT                                                                            \
	"ON CONFLICT (client, address) DO UPDATE SET messages = messages + excluded.messages, "    \
	"first = min(first, excluded.first), last = max(last, excluded.last), "                    \
	"name = CASE WHEN " CONTACTS_NEWER " THEN excluded.name ELSE name END, "                   \
	"name_date = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_date ELSE name_date END, "    \
	"name_message = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_message "                  \
	"ELSE name_message END, "                                                                  \
	"name_row = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_row ELSE name_row END"

gboolean
db_contact_add(struct mc_db *db, const struct db_contact *c, GError **error)
{
	sqlite3_stmt *s = db_cached(db,
	                            "INSERT INTO contact_stats (client, address, messages, first, "
	                            "last, name, name_date, name_message, name_row) VALUES "
	                            "(?, ?, ?, ?, ?, ?, ?, ?, ?) " CONTACTS_UPSERT,
	                            error);
	if (!s)
		return FALSE;
	sqlite3_reset(s);
	db_bind_text(s, 1, c->client);
	db_bind_text(s, 2, c->address);
	sqlite3_bind_int64(s, 3, c->messages);
	sqlite3_bind_int64(s, 4, c->first);
	sqlite3_bind_int64(s, 5, c->last);
	db_bind_text(s, 6, c->name);
	if (*c->name) {
		sqlite3_bind_int64(s, 7, c->name_date);
		sqlite3_bind_int64(s, 8, c->name_message);
		sqlite3_bind_int64(s, 9, c->name_row);
	} else {
		for (int i = 7; i <= 9; i++)
			sqlite3_bind_null(s, i);
	}
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, db, "counting contacts");
	return TRUE;
}

/* The messages newly filed under a client, and the keys to count again. */
static const char contacts_flush_sql[] = CONTACTS_ADD(
    "SELECT p.client, a.address, a.message, m.date, a.name, a.rowid AS row "
    "FROM contacts_pending p CROSS JOIN addresses a ON a.message = p.message "
    "CROSS JOIN messages m ON m.id = p.message") "DELETE FROM contact_stats WHERE (client, "
                                                 "address) IN (SELECT client, address "
                                                 "FROM contacts_dirty);" CONTACTS_ADD(
                                                     "SELECT d.client, a.address, a.message, "
                                                     "m.date, a.name, a.rowid AS row "
                                                     "FROM contacts_dirty d CROSS JOIN addresses a "
                                                     "ON a.address = d.address "
                                                     "CROSS JOIN filings f ON f.message = "
                                                     "a.message AND f.client = d.client "
                                                     "AND f.project = '' CROSS JOIN messages m ON "
                                                     "m.id = a.message") "DELETE FROM "
                                                                         "contacts_pending; DELETE "
                                                                         "FROM contacts_dirty;";

/* contact_stats counted whole. */
static const char contacts_rebuild_sql[] =
    "DELETE FROM contacts_pending; DELETE FROM contacts_dirty; DELETE FROM "
    "contact_stats;" CONTACTS_ADD(
        "SELECT f.client, a.address, a.message, m.date, a.name, a.rowid AS row "
        "FROM filings f JOIN addresses a ON a.message = f.message "
        "JOIN messages m ON m.id = f.message WHERE f.project = ''");

gboolean
db_aggregates_flush(struct mc_db *db, GError **error)
{
	sqlite3_stmt *dirty = db_cached(db,
	                                "SELECT 1 FROM stats_dirty UNION ALL SELECT 1 FROM "
	                                "temp.stats_fresh UNION ALL SELECT 1 FROM "
	                                "contacts_pending UNION ALL SELECT 1 FROM contacts_dirty "
	                                "LIMIT 1",
	                                error);
	if (!dirty)
		return FALSE;
	sqlite3_reset(dirty);
	int rc = sqlite3_step(dirty);
	sqlite3_reset(dirty);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW)
		return db_set_error(error, db, "reading which threads changed");
	return db_exec(db, flush_sql, error) && db_exec(db, contacts_flush_sql, error);
}

gboolean
db_aggregates_rebuild(struct mc_db *db, GError **error)
{
	return db_exec(db, aggregates_sql, error) && db_exec(db, contacts_rebuild_sql, error);
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

static guint64
page_count(struct mc_db *db)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "PRAGMA page_count", NULL);
	return s && sqlite3_step(s) == SQLITE_ROW ? (guint64)sqlite3_column_int64(s, 0) : 0;
}

GPtrArray *
db_check(struct mc_db *db, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "PRAGMA integrity_check", error);
	if (!s)
		return NULL;
	guint64 pages = page_count(db);
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
