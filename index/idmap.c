/* Compact id maps: fixed-width numbers per message id in chunked blobs. */
#include "config.h"

#include <string.h>

#include "index/idmap.h"
#include "common/error.h"

struct chunk {
	gboolean dirty;
	guint8 bytes[]; /* IDMAP_CHUNK numbers of width bytes, little-endian */
};

struct idmap {
	struct mc_db *db;
	guint width;
	guint64 unset;
	char *read_sql, *write_sql;
	GHashTable *chunks; /* gint64 chunk number -> struct chunk * */
	/* The chunk of the last lookup: hits come in id order, many a chunk. */
	gint64 last_n;
	struct chunk *last;
};

struct idmap *
idmap_new(struct mc_db *db, const char *table, const char *column, guint width, guint64 unset)
{
	g_assert(width == 2 || width == 8);
	struct idmap *m = g_new0(struct idmap, 1);
	m->db = db;
	m->width = width;
	m->unset = unset;
	m->read_sql = g_strdup_printf("SELECT %s FROM %s WHERE chunk = ?", column, table);
	m->write_sql =
	    g_strdup_printf("INSERT OR REPLACE INTO %s (chunk, %s) VALUES (?, ?)", table, column);
	m->chunks = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	return m;
}

void
idmap_free(struct idmap *m)
{
	if (!m)
		return;
	g_hash_table_unref(m->chunks);
	g_free(m->read_sql);
	g_free(m->write_sql);
	g_free(m);
}

void
idmap_forget(struct idmap *m)
{
	m->last = NULL;
	g_hash_table_remove_all(m->chunks);
}

gboolean
idmap_has_chunk(struct idmap *m, gint64 id)
{
	gint64 n = id / IDMAP_CHUNK;
	return g_hash_table_contains(m->chunks, &n);
}

static void
put(const struct idmap *m, struct chunk *c, gint64 slot, guint64 value)
{
	if (m->width == 8) {
		guint64 le = GUINT64_TO_LE(value);
		memcpy(c->bytes + 8 * slot, &le, 8);
	} else {
		guint16 le = GUINT16_TO_LE((guint16)value);
		memcpy(c->bytes + 2 * slot, &le, 2);
	}
}

static guint64
take(const struct idmap *m, const guint8 *bytes, gint64 slot)
{
	if (m->width == 8) {
		guint64 le;
		memcpy(&le, bytes + 8 * slot, 8);
		return GUINT64_FROM_LE(le);
	}
	guint16 le;
	memcpy(&le, bytes + 2 * slot, 2);
	return GUINT16_FROM_LE(le);
}

static struct chunk *
chunk_for(struct idmap *m, gint64 id, GError **error)
{
	gint64 n = id / IDMAP_CHUNK;
	if (m->last && m->last_n == n)
		return m->last;
	struct chunk *c = g_hash_table_lookup(m->chunks, &n);
	if (c) {
		m->last_n = n;
		m->last = c;
		return c;
	}
	sqlite3_stmt *s = db_cached(m->db, m->read_sql, error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, n);
	gsize size = (gsize)m->width * IDMAP_CHUNK;
	c = g_malloc(sizeof *c + size);
	c->dirty = FALSE;
	for (gint64 i = 0; i < IDMAP_CHUNK; i++)
		put(m, c, i, m->unset);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		/* A shorter blob (from an older chunk size) leaves the rest unset. */
		gsize len = (gsize)MAX(sqlite3_column_bytes(s, 0), 0);
		memcpy(c->bytes, sqlite3_column_blob(s, 0), MIN(len, size) / m->width * m->width);
	} else if (rc != SQLITE_DONE) {
		g_free(c);
		db_set_error(error, m->db, "reading an id map");
		return NULL;
	}
	sqlite3_reset(s);
	g_hash_table_insert(m->chunks, g_memdup2(&n, sizeof n), c);
	m->last_n = n;
	m->last = c;
	return c;
}

gboolean
idmap_get_once(struct idmap *m, const gint64 *ids, guint64 *values, gsize n, GError **error)
{
	if (n == 0)
		return TRUE;
	gint64 chunk = ids[0] / IDMAP_CHUNK;
	if (idmap_has_chunk(m, ids[0])) {
		for (gsize i = 0; i < n; i++)
			if (!idmap_get(m, ids[i], &values[i], error))
				return FALSE;
		return TRUE;
	}
	sqlite3_stmt *s = db_cached(m->db, m->read_sql, error);
	if (!s)
		return FALSE;
	sqlite3_bind_int64(s, 1, chunk);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return db_set_error(error, m->db, "reading an id map");
	}
	/* The blob as SQLite holds it, until the reset; a shorter one (from an
	 * older chunk size) leaves the rest unset, as chunk_for() does. */
	const guint8 *blob = rc == SQLITE_ROW ? sqlite3_column_blob(s, 0) : NULL;
	gsize slots = rc == SQLITE_ROW ? (gsize)MAX(sqlite3_column_bytes(s, 0), 0) / m->width : 0;
	for (gsize i = 0; i < n; i++) {
		g_assert(ids[i] / IDMAP_CHUNK == chunk);
		gsize slot = (gsize)(ids[i] % IDMAP_CHUNK);
		values[i] = slot < slots ? take(m, blob, (gint64)slot) : m->unset;
	}
	sqlite3_reset(s);
	return TRUE;
}

gboolean
idmap_get(struct idmap *m, gint64 id, guint64 *value, GError **error)
{
	struct chunk *c = chunk_for(m, id, error);
	if (!c)
		return FALSE;
	*value = take(m, c->bytes, id % IDMAP_CHUNK);
	return TRUE;
}

gboolean
idmap_set(struct idmap *m, gint64 id, guint64 value, GError **error)
{
	struct chunk *c = chunk_for(m, id, error);
	if (!c)
		return FALSE;
	put(m, c, id % IDMAP_CHUNK, value);
	c->dirty = TRUE;
	return TRUE;
}

gboolean
idmap_flush(struct idmap *m, GError **error)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, m->chunks);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		struct chunk *c = value;
		if (!c->dirty)
			continue;
		sqlite3_stmt *s = db_cached(m->db, m->write_sql, error);
		if (!s)
			return FALSE;
		sqlite3_bind_int64(s, 1, *(gint64 *)key);
		sqlite3_bind_blob64(s, 2, c->bytes, (sqlite3_uint64)m->width * IDMAP_CHUNK,
		                    SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			return db_set_error(error, m->db, "writing an id map");
		sqlite3_reset(s);
		c->dirty = FALSE;
	}
	return TRUE;
}
