/* The date map: message dates in blobs, for sorting full-text hits. */
#include "config.h"

#include "index/dates.h"
#include "index/idmap.h"
#include "common/error.h"

struct dates {
	struct mc_db *db;
	struct idmap *map;   /* message_dates: 8 bytes an id, UTC seconds */
	GHashTable *changed; /* chunk numbers set since the last flush */
};

struct dates *
dates_new(struct mc_db *db)
{
	struct dates *d = g_new0(struct dates, 1);
	d->db = db;
	d->map = idmap_new(db, "message_dates", "dates", 8, 0);
	d->changed = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	return d;
}

void
dates_free(struct dates *d)
{
	if (!d)
		return;
	idmap_free(d->map);
	g_hash_table_unref(d->changed);
	g_free(d);
}

void
dates_forget(struct dates *d)
{
	idmap_forget(d->map);
	g_hash_table_remove_all(d->changed);
}

gboolean
dates_get(struct dates *d, gint64 id, gint64 *date, GError **error)
{
	guint64 v;
	if (!idmap_get(d->map, id, &v, error))
		return FALSE;
	*date = (gint64)v;
	return TRUE;
}

gboolean
dates_get_sorted(struct dates *d, const gint64 *ids, gint64 *out, gsize n, GError **error)
{
	for (gsize i = 0; i < n;) {
		gint64 chunk = ids[i] / DATES_CHUNK;
		gsize end = i;
		while (end < n && ids[end] / DATES_CHUNK == chunk)
			end++;
		if (end - i >= DATES_SPARSE || idmap_has_chunk(d->map, ids[i])) {
			/* (A date is stored as the unsigned number of its bits.) */
			if (!idmap_get_once(d->map, ids + i, (guint64 *)(out + i), end - i, error))
				return FALSE;
			i = end;
			continue;
		}
		sqlite3_stmt *s = db_cached(
		    d->db, "SELECT date FROM messages INDEXED BY messages_id_date WHERE id = ?",
		    error);
		if (!s)
			return FALSE;
		for (; i < end; i++) {
			sqlite3_bind_int64(s, 1, ids[i]);
			int rc = sqlite3_step(s);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return db_set_error(error, d->db, "reading dates");
			out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
			sqlite3_reset(s);
		}
	}
	return TRUE;
}

void
dates_touch(struct dates *d, gint64 id)
{
	gint64 chunk = id / DATES_CHUNK;
	if (!g_hash_table_contains(d->changed, &chunk))
		g_hash_table_add(d->changed, g_memdup2(&chunk, sizeof chunk));
}

gboolean
dates_set(struct dates *d, gint64 id, gint64 date, GError **error)
{
	dates_touch(d, id);
	return idmap_set(d->map, id, (guint64)date, error);
}

gboolean
dates_flush(struct dates *d, GError **error)
{
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, d->changed);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		gint64 chunk = *(const gint64 *)key;
		/* The blob as it will be written, ids never set too (0: never
		 * later than a message's date but for mail dated before 1970,
		 * where the chunk's newest is then later than need be). */
		gint64 newest = G_MININT64;
		for (gint64 id = chunk * DATES_CHUNK; id < (chunk + 1) * DATES_CHUNK; id++) {
			gint64 date;
			if (!dates_get(d, id, &date, error))
				return FALSE;
			newest = MAX(newest, date);
		}
		sqlite3_stmt *s =
		    db_cached(d->db,
		              "INSERT OR REPLACE INTO message_date_newest (chunk, newest) "
		              "VALUES (?, ?)",
		              error);
		if (!s)
			return FALSE;
		sqlite3_bind_int64(s, 1, chunk);
		sqlite3_bind_int64(s, 2, newest);
		if (sqlite3_step(s) != SQLITE_DONE)
			return db_set_error(error, d->db, "writing the newest dates");
		sqlite3_reset(s);
	}
	g_hash_table_remove_all(d->changed);
	return idmap_flush(d->map, error);
}

gint64 *
dates_newest_upto(struct mc_db *db, gint64 last_id, gsize *n, GError **error)
{
	*n = last_id < 0 ? 0 : (gsize)(last_id / DATES_CHUNK) + 1;
	/* A chunk without a row holds no message: the writer records each
	 * chunk it dates a message in, and migrate-19.sql each that held one. */
	g_autofree gint64 *upto = g_new(gint64, MAX(*n, 1));
	for (gsize c = 0; c < *n; c++)
		upto[c] = G_MININT64;
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db, "SELECT chunk, newest FROM message_date_newest WHERE chunk BETWEEN 0 AND ?", error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, (gint64)*n - 1);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		upto[sqlite3_column_int64(s, 0)] = sqlite3_column_int64(s, 1);
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading the newest dates");
		return NULL;
	}
	for (gsize c = 1; c < *n; c++)
		upto[c] = MAX(upto[c], upto[c - 1]);
	return g_steal_pointer(&upto);
}
