/* Running a compiled query: ids in order, counts, snippets, previews. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "query/search.h"
#include "common/error.h"
#include "index/dates.h"

gboolean
search_parse_sort(const char *name, enum search_sort *sort, GError **error)
{
	if (g_str_equal(name, "newest"))
		*sort = SORT_NEWEST;
	else if (g_str_equal(name, "oldest"))
		*sort = SORT_OLDEST;
	else if (g_str_equal(name, "relevance"))
		*sort = SORT_RELEVANCE;
	else {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "unknown sort order '%s' (newest, oldest or relevance)", name);
		return FALSE;
	}
	return TRUE;
}

/* A hit and its date, for sorting. */
struct dated {
	gint64 date;
	gint64 id;
};

/* Returns <0 when A sorts before B newest first (later date, then higher id). */
static int
dated_newer_first(const struct dated *a, const struct dated *b)
{
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static gint
dated_cmp_newest(gconstpointer a, gconstpointer b)
{
	return dated_newer_first(a, b);
}

static gint
dated_cmp_oldest(gconstpointer a, gconstpointer b)
{
	return dated_newer_first(b, a);
}

/* The hits of the MATCH expression FTS, newest (or oldest) first, looked up
 * in the date map (index/dates.h). With a LIMIT only the best LIMIT+OFFSET
 * are kept, in a heap whose root is the worst of them. */
static GArray *
search_ids_fts(struct mc_db *db, const char *fts, gboolean oldest, gint64 limit, gint64 offset,
               GError **error)
{
	GCompareFunc cmp = oldest ? dated_cmp_oldest : dated_cmp_newest;
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT rowid FROM fts WHERE fts MATCH ?", error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, fts);
	g_autoptr(dates) map = dates_new(db);
	gint64 keep = limit < 0 || limit > G_MAXINT64 - offset ? G_MAXINT64 : limit + offset;
	g_autoptr(GArray) best = g_array_new(FALSE, FALSE, sizeof(struct dated));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct dated h = { .id = sqlite3_column_int64(s, 0) };
		if (!dates_get(map, h.id, &h.date, error))
			return NULL;
		if ((gint64)best->len < keep) {
			/* Sift up: the root stays the worst kept. */
			g_array_append_val(best, h);
			struct dated *v = (struct dated *)best->data;
			for (guint i = best->len - 1; i > 0;) {
				guint parent = (i - 1) / 2;
				if (cmp(&v[parent], &v[i]) >= 0)
					break;
				struct dated t = v[parent];
				v[parent] = v[i];
				v[i] = t;
				i = parent;
			}
		} else if (keep > 0 && cmp(&h, &g_array_index(best, struct dated, 0)) < 0) {
			/* Better than the worst kept: replace the root, sift down. */
			struct dated *v = (struct dated *)best->data;
			v[0] = h;
			for (guint i = 0;;) {
				guint l = 2 * i + 1, r = l + 1, worst = i;
				if (l < best->len && cmp(&v[l], &v[worst]) > 0)
					worst = l;
				if (r < best->len && cmp(&v[r], &v[worst]) > 0)
					worst = r;
				if (worst == i)
					break;
				struct dated t = v[worst];
				v[worst] = v[i];
				v[i] = t;
				i = worst;
			}
		}
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "searching");
		return NULL;
	}
	g_array_sort(best, cmp);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = (guint)MIN(offset, (gint64)best->len); i < best->len; i++)
		g_array_append_val(ids, g_array_index(best, struct dated, i).id);
	return ids;
}

GArray *
search_ids(struct mc_db *db, const struct query *q, enum search_sort sort, gint64 limit,
           gint64 offset, GError **error)
{
	const char *rank = query_fts_highlight(q);
	/* Words alone (the common case): walk the hits, sort them by date. */
	if (query_fts_only(q) && sort != SORT_RELEVANCE)
		return search_ids_fts(db, query_fts_only(q), sort == SORT_OLDEST, limit, offset,
		                      error);
	g_autofree char *sql = NULL;
	if (sort == SORT_RELEVANCE && rank)
		/* A LEFT JOIN: the text terms rank, they do not filter (a message
		 * may match through a non-text term of an OR). */
		sql = g_strdup_printf("SELECT m.id FROM messages m LEFT JOIN (SELECT rowid, rank "
		                      "FROM fts WHERE fts MATCH ?) r ON r.rowid = m.id WHERE %s "
		                      "ORDER BY coalesce(r.rank, 0), m.date DESC LIMIT ? OFFSET ?",
		                      query_sql(q));
	else
		sql = g_strdup_printf("SELECT m.id FROM messages m WHERE %s ORDER BY m.date %s, "
		                      "m.id %s LIMIT ? OFFSET ?",
		                      query_sql(q), sort == SORT_OLDEST ? "ASC" : "DESC",
		                      sort == SORT_OLDEST ? "ASC" : "DESC");
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return NULL;
	int next = 1;
	if (sort == SORT_RELEVANCE && rank)
		db_bind_text(s, next++, rank);
	next = query_bind(q, s, next);
	sqlite3_bind_int64(s, next++, limit);
	sqlite3_bind_int64(s, next++, offset);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		g_array_unref(ids);
		db_set_error(error, db, "searching");
		return NULL;
	}
	return ids;
}

GArray *
search_thread(struct mc_db *db, gint64 thread, GError **error)
{
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT id FROM messages WHERE thread_id = ? ORDER BY date, id", error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, thread);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 m = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, m);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading a thread");
		return NULL;
	}
	return g_steal_pointer(&ids);
}

gint64
search_count(struct mc_db *db, const struct query *q, GError **error)
{
	g_autofree char *sql =
	    g_strdup_printf("SELECT count(*) FROM messages m WHERE %s", query_sql(q));
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return -1;
	query_bind(q, s, 1);
	if (sqlite3_step(s) != SQLITE_ROW) {
		db_set_error(error, db, "counting");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

char *
search_preview(struct mc_db *db, gint64 id)
{
	sqlite3_stmt *s =
	    db_cached(db, "SELECT substr(body, 1, 160) FROM fts_source WHERE id = ?", NULL);
	if (!s)
		return g_strdup("");
	sqlite3_bind_int64(s, 1, id);
	char *preview = g_strdup(sqlite3_step(s) == SQLITE_ROW ? db_column_text(s, 0) : "");
	sqlite3_reset(s);
	return preview;
}

GHashTable *
search_snippets(struct mc_db *db, const gint64 *ids, guint n, const char *highlight,
                const char *open, const char *close, GError **error)
{
	GHashTable *snippets = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	if (!highlight || n == 0)
		return snippets;
	/* The page's messages go into a small full-text table of their own
	 * (same tokenizer, same columns), and snippet() runs there: the same
	 * snippets, without walking a common word's hits through the big index,
	 * which a fresh process reads cold. Its alt column stays empty: words
	 * only in an HTML alternative are found but never shown, so a message
	 * found by them alone has no snippet here (its preview is shown). */
	g_autoptr(GString) insert = g_string_new(
	    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.page USING fts5(subject, sender, recipients, "
	    "body, attachments, alt, tokenize = 'mailclerk');"
	    "DELETE FROM temp.page;"
	    "INSERT INTO temp.page (rowid, subject, sender, recipients, body, attachments, alt) "
	    "SELECT id, subject, sender, recipients, body, attachments, '' FROM fts_source WHERE "
	    "id IN (");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(insert, "%s%" G_GINT64_FORMAT, i ? "," : "", ids[i]);
	g_string_append(insert, ")");
	g_autoptr(sqlite3_stmt) s = NULL;
	if (!db_exec(db, insert->str, error) ||
	    !(s = db_prepare(db,
	                     "SELECT rowid, snippet(page, -1, ?, ?, '…', 16) FROM temp.page "
	                     "WHERE page MATCH ?",
	                     error))) {
		g_hash_table_unref(snippets);
		return NULL;
	}
	db_bind_text(s, 1, open);
	db_bind_text(s, 2, close);
	db_bind_text(s, 3, highlight);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_hash_table_insert(snippets, g_memdup2(&id, sizeof id),
		                    g_strdup(db_column_text(s, 1)));
	}
	if (rc != SQLITE_DONE) {
		g_hash_table_unref(snippets);
		db_set_error(error, db, "making snippets");
		return NULL;
	}
	return snippets;
}

gint64
search_resolve_id(struct mc_db *db, const char *ref, GError **error)
{
	if (g_str_has_prefix(ref, "id:")) {
		g_autofree char *mid = g_strdup(ref + 3);
		g_strstrip(mid);
		if (mid[0] == '<' && g_str_has_suffix(mid, ">")) {
			mid[strlen(mid) - 1] = '\0';
			memmove(mid, mid + 1, strlen(mid));
		}
		g_autoptr(sqlite3_stmt) s =
		    db_prepare(db, "SELECT id FROM messages WHERE message_id = ?", error);
		if (!s)
			return 0;
		db_bind_text(s, 1, mid);
		if (sqlite3_step(s) != SQLITE_ROW) {
			g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND,
			            "no message with Message-ID <%s>", mid);
			return 0;
		}
		return sqlite3_column_int64(s, 0);
	}
	char *end;
	gint64 id = g_ascii_strtoll(ref, &end, 10);
	if (!*ref || *end || id <= 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "'%s' is not a message id: give a number or id:<Message-ID>", ref);
		return 0;
	}
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "SELECT 1 FROM messages WHERE id = ?", error);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND,
		            "no message with id %" G_GINT64_FORMAT, id);
		return 0;
	}
	return id;
}

gint64
search_resolve_thread(struct mc_db *db, const char *ref, GError **error)
{
	const char *sql = "SELECT thread_id FROM messages WHERE id = ?";
	gint64 key;
	if (g_str_has_prefix(ref, "thread:")) {
		char *end;
		key = g_ascii_strtoll(ref + 7, &end, 10);
		if (!ref[7] || *end || key <= 0 || !g_ascii_isdigit(ref[7])) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "'%s' is not a thread: give thread:N", ref);
			return 0;
		}
		sql = "SELECT thread_id FROM messages WHERE thread_id = ? LIMIT 1";
	} else if (!(key = search_resolve_id(db, ref, error))) {
		return 0;
	}
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(s, 0);
	if (rc == SQLITE_DONE)
		g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND, "no thread %s", ref);
	else
		db_set_error(error, db, "reading a thread");
	return 0;
}
