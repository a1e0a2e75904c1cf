/* The map of full-text lengths that ranking divides by (doclens.h). */
#include "config.h"

#include "index/doclens.h"
#include "index/idmap.h"
#include "common/error.h"

struct doclens {
	struct mc_db *db;
	struct idmap *map;
};

struct doclens *
doclens_new(struct mc_db *db)
{
	struct doclens *d = g_new0(struct doclens, 1);
	d->db = db;
	d->map = idmap_new(db, "message_doclens", "lens", 2, DOCLEN_UNKNOWN);
	return d;
}

void
doclens_free(struct doclens *d)
{
	if (!d)
		return;
	idmap_free(d->map);
	g_free(d);
}

gboolean
doclens_get(struct doclens *d, gint64 id, guint *tokens, GError **error)
{
	guint64 v;
	if (!idmap_get(d->map, id, &v, error))
		return FALSE;
	*tokens = (guint)v;
	return TRUE;
}

/* The sum of the varints of an fts_docsize blob (one a column), as FTS5
 * reads them (sqlite3Fts5GetVarint32: seven bits a byte, high bit set on
 * all but the last); G_MAXUINT64 when the blob is malformed. */
static guint64
docsize_total(const guint8 *p, int len)
{
	guint64 total = 0;
	int i = 0;
	while (i < len) {
		guint64 v = 0;
		int shift = 0;
		for (;;) {
			if (i >= len || shift > 28)
				return G_MAXUINT64;
			guint8 byte = p[i++];
			v = (v << 7) | (byte & 0x7f);
			shift += 7;
			if (!(byte & 0x80))
				break;
		}
		total += v;
	}
	return total;
}

/* Records the length in the docsize blob of column 0 of S for ID. */
static gboolean
record_from(struct doclens *d, gint64 id, sqlite3_stmt *s, GError **error)
{
	guint64 total = docsize_total(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0));
	return idmap_set(d->map, id, MIN(total, DOCLEN_UNKNOWN), error);
}

gboolean
doclens_record(struct doclens *d, gint64 id, GError **error)
{
	sqlite3_stmt *s = db_cached(d->db, "SELECT sz FROM fts_docsize WHERE id = ?", error);
	if (!s)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	gboolean ok = rc == SQLITE_ROW    ? record_from(d, id, s, error)
	              : rc == SQLITE_DONE ? idmap_set(d->map, id, DOCLEN_UNKNOWN, error)
	                                  : db_set_error(error, d->db, "reading a text's length");
	sqlite3_reset(s);
	return ok;
}

gboolean
doclens_flush(struct doclens *d, GError **error)
{
	return idmap_flush(d->map, error);
}

void
doclens_forget(struct doclens *d)
{
	idmap_forget(d->map);
}

gboolean
doclens_rebuild(struct mc_db *db, GError **error)
{
	g_autoptr(doclens) d = doclens_new(db);
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT id, sz FROM fts_docsize ORDER BY id", error);
	if (!s)
		return FALSE;
	int rc;
	gint64 chunk = -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		/* One chunk in memory at a time. */
		if (id / IDMAP_CHUNK != chunk && chunk >= 0) {
			if (!idmap_flush(d->map, error))
				return FALSE;
			idmap_forget(d->map);
		}
		chunk = id / IDMAP_CHUNK;
		guint64 total =
		    docsize_total(sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
		if (!idmap_set(d->map, id, MIN(total, DOCLEN_UNKNOWN), error))
			return FALSE;
	}
	if (rc != SQLITE_DONE)
		return db_set_error(error, db, "reading the lengths of texts");
	return idmap_flush(d->map, error);
}
