/* The SQLite database: opening, pragmas, schema migrations, and the small
 * helpers every user of it needs. */
#ifndef MC_DB_H
#define MC_DB_H

#include <glib.h>
#include <sqlite3.h>

/* The schema version this build writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 20

/* SQL that limits the address rows (alias a) to the epochs there are, so
 * that a lookup by address or domain seeks addresses_epoch_address or
 * addresses_epoch_domain (migrate-20.sql), whose first key is the
 * expression written here: without it SQLite reads the whole index. */
#define DB_ADDRESS_EPOCHS "(a.message >> 16) IN (SELECT n FROM address_epochs)"
/* ... and to the epoch of message m, for a test of that message alone: it
 * seeks the same indexes, which hold every column such a test reads. */
#define DB_ADDRESS_EPOCH_OF_M "(a.message >> 16) = (m.id >> 16)"

enum db_mode {
	DB_READ,   /* the database must exist */
	DB_WRITE,  /* created (mode 0600, parent directories 0700) when missing */
	DB_UPDATE, /* for writing, but the database must exist (reindex) */
};

struct mc_db {
	sqlite3 *sql;
	char *path;
	GHashTable *cache;        /* SQL text -> sqlite3_stmt *, see db_cached() */
	gboolean rank_registered; /* mc_bm25() (rank.c) */
};

/* Opens PATH, sets WAL/busy_timeout/foreign keys, registers the tokenizer and
 * migrates the schema forward. Returns a handle the caller closes with
 * db_close(), or NULL and sets ERROR. */
struct mc_db *db_open(const char *path, enum db_mode mode, GError **error);
void db_close(struct mc_db *db);
typedef struct mc_db mc_db;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mc_db, db_close)

/* Commits DB's transaction, first resetting every statement still on a row
 * (none may be used across a commit): one left there would keep a read
 * transaction that stops every checkpoint. FALSE and ERROR when it fails. */
gboolean db_commit(struct mc_db *db, GError **error);

/* Refreshes the planner's statistics (ANALYZE, bounded by analysis_limit)
 * of every table with an index, and db_count_work_tables(). FALSE and
 * ERROR when it fails. */
gboolean db_analyze(struct mc_db *db, GError **error);

/* Writes the planner's counts of the tables a write transaction empties
 * before it commits (stats_dirty and the like: a few rows, where ANALYZE
 * only ever sees none). IF_MISSING: only in an analyzed index without them
 * (one an older mailclerk analyzed). FALSE and ERROR when it fails. */
gboolean db_count_work_tables(struct mc_db *db, gboolean if_missing, GError **error);

/* Starts a read transaction on DB: everything read until the connection
 * closes is one snapshot, whatever a writer commits meanwhile (WAL). */
gboolean db_begin_read(struct mc_db *db, GError **error);

/* Runs SQL (no results). */
gboolean db_exec(struct mc_db *db, const char *sql, GError **error);

/* Returns a prepared statement the caller finalizes (g_autoptr(sqlite3_stmt)
 * works), or NULL and sets ERROR. */
sqlite3_stmt *db_prepare(struct mc_db *db, const char *sql, GError **error);

/* Returns a prepared statement for SQL, reset and with its bindings cleared,
 * prepared once per connection and kept: for statements run once per result
 * row. Owned by DB (do not finalize it); NULL and ERROR on failure. */
sqlite3_stmt *db_cached(struct mc_db *db, const char *sql, GError **error);

/* Sets ERROR to "WHAT: <sqlite's message>" for DB. Returns FALSE. */
gboolean db_set_error(GError **error, struct mc_db *db, const char *what);

/* Binds a UTF-8 string (NULL binds NULL); SQLite copies it. */
void db_bind_text(sqlite3_stmt *stmt, int index, const char *text);

/* Returns column COL as a string, "" for NULL; owned by STMT until the next step. */
const char *db_column_text(sqlite3_stmt *stmt, int col);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

/* Returns what the messages of DB lack because an older mailclerk parsed
 * them ("the automated mark"), to be learnt by `mailclerk reindex`; the
 * caller frees it. NULL when nothing is (or the index cannot tell). */
char *db_reindex_needed(struct mc_db *db);

/* Verifies DB: SQLite's integrity_check and the full-text index's
 * integrity-check, with a progress line on stderr when it is a terminal
 * (pages read of the index's pages, part 1 then part 2). Returns the problems found (char *, empty
 * when none); the caller unrefs it. NULL and ERROR when the check could not run. */
GPtrArray *db_check(struct mc_db *db, GError **error);

#endif
