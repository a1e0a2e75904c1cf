/* The numbers `clients`, `projects` and `contacts` show and each thread's
 * last message, kept in the writer's transactions: counting what changed
 * again, and everything. */
#include "config.h"

#include "common/error.h"
#include "index/aggregates.h"

gboolean
aggregates_begin(struct mc_db *db, GError **error)
{
	return db_exec(db,
	               "CREATE TEMP TABLE IF NOT EXISTS stats_old (client, project, inbound, "
	               "outbound, threads, first, last, attachments, PRIMARY KEY (client, "
	               "project)) WITHOUT ROWID;"
	               "CREATE TEMP TABLE IF NOT EXISTS stats_new (client, project, inbound, "
	               "outbound, threads, first, last, attachments, PRIMARY KEY (client, "
	               "project)) WITHOUT ROWID;",
	               error);
}

/* Counts the threads of stats_dirty again in thread_stats and moves the
 * difference into filing_stats (migrate-14.sql): the old rows' sums per key
 * out, the new ones' in. A key's first (last) date stays unless the old
 * rows held it and the new ones do not come back to it, when it is counted
 * again from thread_stats (a removal, a date changed by reindex: rare). */
static const char threads_flush_sql[] =
    "DELETE FROM temp.stats_old; DELETE FROM temp.stats_new;"
    "INSERT INTO temp.stats_old SELECT client, project, sum(inbound), sum(outbound), "
    "count(*), min(first), max(last), sum(attachments) FROM thread_stats "
    "WHERE thread_id IN (SELECT thread_id FROM stats_dirty) GROUP BY client, project;"
    "DELETE FROM thread_stats WHERE thread_id IN (SELECT thread_id FROM stats_dirty);"
    /* Each thread's share of each key: the rows of a key are the filings of
     * its messages, and for a client's own filing of a message in none of the
     * client's projects, the key '/' too (k = 1). CROSS JOIN: from the few. */
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
    "INSERT INTO temp.stats_new SELECT client, project, sum(inbound), sum(outbound), "
    "count(*), min(first), max(last), sum(attachments) FROM thread_stats "
    "WHERE thread_id IN (SELECT thread_id FROM stats_dirty) GROUP BY client, project;"
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
    /* The last message of each thread of stats_dirty found again (as
     * LAST_OF_THREAD in query/followups.c; migrate-16.sql): the writer
     * upserted those of the threads new mail joined, but a thread that lost
     * a message, merged or had one parsed again may have another now, or
     * none. */
    "DELETE FROM thread_last WHERE thread_id IN (SELECT thread_id FROM stats_dirty);"
    "INSERT INTO thread_last (thread_id, message, date, automated) "
    "SELECT m.thread_id, m.id, m.date, m.automated FROM stats_dirty d "
    "CROSS JOIN messages m ON m.id = (SELECT x.id FROM messages x WHERE "
    "x.thread_id = d.thread_id ORDER BY x.automated, x.date DESC, x.id DESC LIMIT 1);"
    "DELETE FROM stats_dirty;";

/* Runs SQL, which notes what changed, on message ID (and CLIENT). */
static gboolean
note(struct mc_db *db, const char *sql, gint64 id, const char *client, GError **error)
{
	sqlite3_stmt *s = db_cached(db, sql, error);
	if (!s)
		return FALSE;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	if (client)
		db_bind_text(s, 2, client);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, db, "noting what changed");
	return TRUE;
}

gboolean
aggregates_note_thread(struct mc_db *db, gint64 id, GError **error)
{
	return note(db,
	            "INSERT OR IGNORE INTO stats_dirty (thread_id) "
	            "SELECT thread_id FROM messages WHERE id = ?",
	            id, NULL, error);
}

gboolean
aggregates_note_contacts(struct mc_db *db, gint64 id, GError **error)
{
	return note(db,
	            "INSERT OR IGNORE INTO contacts_dirty (client, address) SELECT f.client, "
	            "a.address FROM filings f JOIN addresses a ON a.message = f.message "
	            "WHERE f.message = ? AND f.project = ''",
	            id, NULL, error);
}

gboolean
aggregates_note_filing(struct mc_db *db, gint64 id, const char *client, GError **error)
{
	return note(db, "INSERT OR IGNORE INTO contacts_pending (message, client) VALUES (?, ?)",
	            id, client, error);
}

gboolean
aggregates_note_unfiled(struct mc_db *db, gint64 id, const char *client, GError **error)
{
	return note(db,
	            "INSERT OR IGNORE INTO contacts_dirty (client, address) "
	            "SELECT ?2, address FROM addresses WHERE message = ?1",
	            id, client, error);
}

/* One client's address, counted. */
struct contact {
	const char *client, *address; /* in the strings of struct contacts */
	gint64 messages, first, last;
	const char *name;                         /* "" when none */
	gint64 name_date, name_message, name_row; /* of NAME */
	gint64 last_message;                      /* the last message counted */
};

struct contacts {
	GHashTable *by_key;    /* "client\x1faddress" -> struct contact */
	GStringChunk *strings; /* their strings */
	GString *key;
};

struct contacts *
contacts_new(void)
{
	struct contacts *c = g_new0(struct contacts, 1);
	c->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	c->strings = g_string_chunk_new(4096);
	c->key = g_string_new(NULL);
	return c;
}

void
contacts_free(struct contacts *c)
{
	if (!c)
		return;
	g_hash_table_unref(c->by_key);
	g_string_chunk_free(c->strings);
	g_string_free(c->key, TRUE);
	g_free(c);
}

void
contacts_clear(struct contacts *c)
{
	g_hash_table_remove_all(c->by_key);
	g_string_chunk_clear(c->strings);
}

void
contacts_count(struct contacts *c, const char *client, const char *address, gint64 message,
               gint64 date, const char *name, gint64 row)
{
	g_string_printf(c->key, "%s%c%s", client, 0x1F, address);
	struct contact *e = g_hash_table_lookup(c->by_key, c->key->str);
	if (!e) {
		e = g_new0(struct contact, 1);
		e->client = g_string_chunk_insert_const(c->strings, client);
		e->address = g_string_chunk_insert_const(c->strings, address);
		e->name = "";
		e->first = e->last = date;
		e->last_message = -1;
		g_hash_table_insert(c->by_key, g_string_chunk_insert(c->strings, c->key->str), e);
	}
	if (e->last_message != message) {
		e->last_message = message;
		e->messages++;
		e->first = MIN(e->first, date);
		e->last = MAX(e->last, date);
	}
	/* The latest name: by date, then message, then row. */
	if (*name &&
	    (!*e->name || date > e->name_date ||
	     (date == e->name_date &&
	      (message > e->name_message || (message == e->name_message && row > e->name_row))))) {
		e->name = g_string_chunk_insert_const(c->strings, name);
		e->name_date = date;
		e->name_message = message;
		e->name_row = row;
	}
}

/* Whether the name of the row `excluded` is later than the one kept. */
#define CONTACTS_NEWER                                                                             \
	"(excluded.name != '' AND (name = '' OR (excluded.name_date, excluded.name_message, "      \
	"excluded.name_row) > (name_date, name_message, name_row)))"

gboolean
contacts_write(struct contacts *c, struct mc_db *db, GError **error)
{
	/* A key there already adds these to its numbers. */
	sqlite3_stmt *s = db_cached(
	    db,
	    "INSERT INTO contact_stats (client, address, messages, first, last, name, name_date, "
	    "name_message, name_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (client, address) DO UPDATE SET messages = messages + excluded.messages, "
	    "first = min(first, excluded.first), last = max(last, excluded.last), "
	    "name = CASE WHEN " CONTACTS_NEWER " THEN excluded.name ELSE name END, "
	    "name_date = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_date ELSE name_date END, "
	    "name_message = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_message "
	    "ELSE name_message END, "
	    "name_row = CASE WHEN " CONTACTS_NEWER " THEN excluded.name_row ELSE name_row END",
	    error);
	if (!s)
		return FALSE;
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, c->by_key);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct contact *e = value;
		sqlite3_reset(s);
		db_bind_text(s, 1, e->client);
		db_bind_text(s, 2, e->address);
		sqlite3_bind_int64(s, 3, e->messages);
		sqlite3_bind_int64(s, 4, e->first);
		sqlite3_bind_int64(s, 5, e->last);
		db_bind_text(s, 6, e->name);
		for (int i = 7; i <= 9; i++)
			sqlite3_bind_null(s, i);
		if (*e->name) {
			sqlite3_bind_int64(s, 7, e->name_date);
			sqlite3_bind_int64(s, 8, e->name_message);
			sqlite3_bind_int64(s, 9, e->name_row);
		}
		int rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "counting contacts");
	}
	contacts_clear(c);
	return TRUE;
}

/* Counts into C the rows of SQL: client, address, message, date, name, row,
 * the rows of a key and message together. */
static gboolean
count_rows(struct mc_db *db, const char *sql, struct contacts *c, GError **error)
{
	sqlite3_stmt *s = db_cached(db, sql, error);
	if (!s)
		return FALSE;
	sqlite3_reset(s);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		contacts_count(c, db_column_text(s, 0), db_column_text(s, 1),
		               sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
		               db_column_text(s, 4), sqlite3_column_int64(s, 5));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, db, "counting contacts");
	return TRUE;
}

/* Every row of the contacts to count again (contacts_dirty), each address
 * sought in each epoch of its index (DB_ADDRESS_EPOCHS). */
static const char recount_dirty_sql[] =
    "SELECT d.client, a.address, a.message, m.date, a.name, a.rowid "
    "FROM contacts_dirty d CROSS JOIN addresses a ON " DB_ADDRESS_EPOCHS " AND "
    "a.address = d.address CROSS JOIN filings f ON f.message = a.message AND f.client = "
    "d.client AND f.project = '' CROSS JOIN messages m ON m.id = a.message "
    "ORDER BY d.client, d.address, a.message";

/* The contacts of the messages newly filed under a client that the writer
 * did not count (filings inherited from the thread), and of the keys to
 * count again: a message that left, or whose addresses or date changed. */
static gboolean
flush_contacts(struct mc_db *db, GError **error)
{
	g_autoptr(contacts) c = contacts_new();
	return count_rows(db,
	                  "SELECT p.client, a.address, a.message, m.date, a.name, a.rowid "
	                  "FROM contacts_pending p CROSS JOIN addresses a ON a.message = "
	                  "p.message CROSS JOIN messages m ON m.id = p.message",
	                  c, error) &&
	       contacts_write(c, db, error) &&
	       db_exec(db,
	               "DELETE FROM contact_stats WHERE (client, address) IN (SELECT client, "
	               "address FROM contacts_dirty)",
	               error) &&
	       count_rows(db, recount_dirty_sql, c, error) && contacts_write(c, db, error) &&
	       db_exec(db, "DELETE FROM contacts_pending; DELETE FROM contacts_dirty", error);
}

gboolean
aggregates_flush(struct mc_db *db, GError **error)
{
	sqlite3_stmt *dirty = db_cached(db,
	                                "SELECT 1 FROM stats_dirty UNION ALL SELECT 1 FROM "
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
	return db_exec(db, threads_flush_sql, error) && flush_contacts(db, error);
}

gboolean
aggregates_forget(struct mc_db *db, GError **error)
{
	return aggregates_begin(db, error) &&
	       db_exec(db,
	               "DELETE FROM stats_dirty; DELETE FROM contacts_pending; "
	               "DELETE FROM contacts_dirty",
	               error);
}

/* Threads counted again at a time by aggregates_rebuild(): each time's
 * sorting stays small. */
#define REBUILD_THREADS 20000

gboolean
aggregates_rebuild(struct mc_db *db, GError **error)
{
	if (!aggregates_begin(db, error) ||
	    !db_exec(
	        db,
	        "DELETE FROM stats_dirty; DELETE FROM thread_stats; DELETE FROM filing_stats; "
	        "DELETE FROM contacts_pending; "
	        "DELETE FROM contacts_dirty; DELETE FROM contact_stats; DELETE FROM thread_last",
	        error))
		return FALSE;
	/* Every thread, as if each had changed, a slice of them at a time. */
	g_autoptr(sqlite3_stmt) slice = db_prepare(
	    db,
	    "INSERT INTO stats_dirty (thread_id) SELECT DISTINCT thread_id FROM messages "
	    "WHERE thread_id > ? ORDER BY thread_id LIMIT " G_STRINGIFY(
	        REBUILD_THREADS) " RETURNING thread_id",
	    error);
	if (!slice)
		return FALSE;
	for (gint64 after = G_MININT64;;) {
		sqlite3_reset(slice);
		sqlite3_bind_int64(slice, 1, after);
		int rc;
		gint64 n = 0;
		while ((rc = sqlite3_step(slice)) == SQLITE_ROW) {
			after = MAX(after, sqlite3_column_int64(slice, 0));
			n++;
		}
		sqlite3_reset(slice);
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "counting every thread");
		if (!n)
			break;
		if (!db_exec(db, threads_flush_sql, error))
			return FALSE;
	}
	/* Every client's own filing of every message, in message order. */
	g_autoptr(contacts) c = contacts_new();
	return count_rows(db,
	                  "SELECT f.client, a.address, a.message, m.date, a.name, a.rowid "
	                  "FROM filings f CROSS JOIN addresses a ON a.message = f.message "
	                  "CROSS JOIN messages m ON m.id = f.message WHERE f.project = '' "
	                  "ORDER BY f.message",
	                  c, error) &&
	       contacts_write(c, db, error);
}
