/* Follow-ups: each client thread whose last message is old, and who wrote it. */
#include "config.h"

#include "query/followups.h"

void
followup_free(struct followup *f)
{
	if (!f)
		return;
	g_free(f->client);
	g_free(f->subject);
	g_free(f->from_name);
	g_free(f->from_addr);
	g_free(f->to_addr);
	g_free(f);
}

GPtrArray *
followups_collect(struct mc_db *db, const char *client, gint64 now, gint64 days, GError **error)
{
	/* A client's threads are those with a message filed under it; the last
	 * message of each (latest date, then highest id) says who owes whom. */
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "WITH threads AS (SELECT DISTINCT f.client, m.thread_id FROM filings f "
	    "JOIN messages m ON m.id = f.message WHERE f.project = '' "
	    "AND (?1 IS NULL OR f.client = ?1)), "
	    "ranked AS (SELECT t.client, m.thread_id, m.id, m.date, m.direction, m.subject, "
	    "m.from_name, m.from_addr, ROW_NUMBER() OVER (PARTITION BY t.client, m.thread_id "
	    "ORDER BY m.date DESC, m.id DESC) AS rn FROM threads t JOIN messages m "
	    "ON m.thread_id = t.thread_id) "
	    "SELECT r.client, r.thread_id, r.id, r.date, r.direction, r.subject, r.from_name, "
	    "r.from_addr, coalesce((SELECT a.address FROM addresses a WHERE a.message = r.id "
	    "AND a.role = 1 ORDER BY a.rowid LIMIT 1), '') FROM ranked r "
	    "WHERE r.rn = 1 AND r.date < ?2 ORDER BY r.date, r.id",
	    error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	sqlite3_bind_int64(s, 2, now - days * 86400);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)followup_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct followup *f = g_new0(struct followup, 1);
		f->client = g_strdup(db_column_text(s, 0));
		f->thread = sqlite3_column_int64(s, 1);
		f->id = sqlite3_column_int64(s, 2);
		f->date = sqlite3_column_int64(s, 3);
		f->outbound = sqlite3_column_int(s, 4) == 1;
		f->subject = g_strdup(db_column_text(s, 5));
		f->from_name = g_strdup(db_column_text(s, 6));
		f->from_addr = g_strdup(db_column_text(s, 7));
		f->to_addr = g_strdup(f->outbound ? db_column_text(s, 8) : "");
		g_ptr_array_add(out, f);
	}
	if (rc != SQLITE_DONE) {
		g_ptr_array_unref(out);
		db_set_error(error, db, "finding follow-ups");
		return NULL;
	}
	return out;
}
