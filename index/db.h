/* The SQLite database: opening, pragmas, schema migrations, and the small
 * helpers every user of it needs. */
#ifndef MC_DB_H
#define MC_DB_H

#include <glib.h>
#include <sqlite3.h>

/* The schema version this build writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 14

enum db_mode {
	DB_READ,   /* the database must exist */
	DB_WRITE,  /* created (mode 0600, parent directories 0700) when missing */
	DB_UPDATE, /* for writing, but the database must exist (reindex) */
};

struct mc_db {
	sqlite3 *sql;
	char *path;
	GHashTable *cache; /* SQL text -> sqlite3_stmt *, see db_cached() */
};

/* Opens PATH, sets WAL/busy_timeout/foreign keys, registers the tokenizer and
 * migrates the schema forward. Returns a handle the caller closes with
 * db_close(), or NULL and sets ERROR. */
struct mc_db *db_open(const char *path, enum db_mode mode, GError **error);
void db_close(struct mc_db *db);
typedef struct mc_db mc_db;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mc_db, db_close)

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

/* filing_stats and thread_stats (migrate-14.sql), the numbers of `clients`
 * and `projects`: triggers note the threads that changed, and
 * db_aggregates_flush() counts them again; every transaction that changes
 * messages, filings or attachments calls it before it commits (the writer
 * does). db_aggregates_rebuild() counts everything again (reclassify, which
 * files every message again). Both inside the caller's write
 * transaction; FALSE and ERROR on a database error. */
gboolean db_aggregates_flush(struct mc_db *db, GError **error);

/* Makes the temporary tables db_aggregates_flush() works in, among them
 * stats_fresh: the threads whose rows a writer put in thread_stats itself
 * (new threads of its transaction), which the flush adds to filing_stats.
 * FALSE and ERROR on a database error. */
gboolean db_aggregates_begin(struct mc_db *db, GError **error);

/* What some messages add to a client's contact: the writer counts a batch's
 * new mail itself (cheaper than reading it back). */
struct db_contact {
	const char *client, *address;
	gint64 messages, first, last;
	const char *name;                         /* "" when none */
	gint64 name_date, name_message, name_row; /* of NAME: its message's date and
	                                           * id, and its place among the
	                                           * message's addresses */
	gint64 last_message;                      /* the writer's: the last message counted */
};

/* Adds C to contact_stats (migrate-14.sql), inside the caller's write
 * transaction and before its db_aggregates_flush(). FALSE and ERROR on a
 * database error. */
gboolean db_contact_add(struct mc_db *db, const struct db_contact *c, GError **error);
gboolean db_aggregates_rebuild(struct mc_db *db, GError **error);

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
