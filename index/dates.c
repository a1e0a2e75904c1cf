/* The date map: message dates in blobs, for sorting full-text hits. */
#include "config.h"

#include "index/dates.h"
#include "index/idmap.h"
#include "common/error.h"

struct dates {
	struct mc_db *db;
	struct idmap *map; /* message_dates: 8 bytes an id, UTC seconds */
};

struct dates *
dates_new(struct mc_db *db)
{
	struct dates *d = g_new0(struct dates, 1);
	d->db = db;
	d->map = idmap_new(db, "message_dates", "dates", 8, 0);
	return d;
}

void
dates_free(struct dates *d)
{
	if (!d)
		return;
	idmap_free(d->map);
	g_free(d);
}

void
dates_forget(struct dates *d)
{
	idmap_forget(d->map);
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

gboolean
dates_set(struct dates *d, gint64 id, gint64 date, GError **error)
{
	return idmap_set(d->map, id, (guint64)date, error);
}

gboolean
dates_flush(struct dates *d, GError **error)
{
	return idmap_flush(d->map, error);
}
