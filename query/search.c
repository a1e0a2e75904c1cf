#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "query/search.h"
#include "common/error.h"
#include "index/dates.h"
#include "index/load.h"

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

static void
location_free(gpointer p)
{
	struct result_location *l = p;
	g_free(l->kind);
	g_free(l->path);
	g_free(l->folder);
	g_free(l);
}

void
result_free(struct result *r)
{
	if (!r)
		return;
	g_free(r->message_id);
	g_free(r->subject);
	g_free(r->from.name);
	g_free(r->from.address);
	g_free(r->from.domain);
	g_ptr_array_unref(r->to);
	g_ptr_array_unref(r->cc);
	g_ptr_array_unref(r->folders);
	g_ptr_array_unref(r->files);
	g_ptr_array_unref(r->locations);
	g_ptr_array_unref(r->attachments);
	g_ptr_array_unref(r->clients);
	g_ptr_array_unref(r->projects);
	g_free(r->snippet);
	g_free(r);
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

/* Returns a one-line preview of the body when the query has no words to show. */
static char *
load_preview(struct mc_db *db, gint64 id)
{
	sqlite3_stmt *s =
	    db_cached(db, "SELECT substr(body, 1, 160) FROM fts_source WHERE id = ?", NULL);
	if (!s)
		return g_strdup("");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return g_strdup("");
	return g_strdup(db_column_text(s, 0));
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
	 * which a fresh process reads cold. */
	g_autoptr(GString) insert = g_string_new(
	    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.page USING fts5(subject, sender, recipients, "
	    "body, attachments, tokenize = 'mailclerk');"
	    "DELETE FROM temp.page;"
	    "INSERT INTO temp.page (rowid, subject, sender, recipients, body, attachments) "
	    "SELECT id, subject, sender, recipients, body, attachments FROM fts_source WHERE id IN "
	    "(");
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

char *
search_location_path(const char *kind, const char *container, const char *sub, const char *name,
                     const char *info)
{
	if (!g_str_equal(kind, "maildir"))
		return g_strdup(container);
	if (*sub)
		return g_strconcat(container, "/", sub, "/", name, info, NULL);
	return g_strconcat(container, "/", name, info, NULL);
}

struct result *
search_load(struct mc_db *db, gint64 id, const char *snippet, GError **error)
{
	sqlite3_stmt *s =
	    db_cached(db,
	              "SELECT message_id, thread_id, date, subject, direction, from_name, "
	              "from_addr FROM messages WHERE id = ?",
	              error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "no message with id %" G_GINT64_FORMAT, id);
		return NULL;
	}
	g_autoptr(result) r = g_new0(struct result, 1);
	r->id = id;
	r->message_id = g_strdup(db_column_text(s, 0));
	r->thread = sqlite3_column_int64(s, 1);
	r->date = sqlite3_column_int64(s, 2);
	r->subject = g_strdup(db_column_text(s, 3));
	r->direction = sqlite3_column_int(s, 4);
	r->from.role = MC_ROLE_FROM;
	r->from.name = g_strdup(db_column_text(s, 5));
	r->from.address = g_strdup(db_column_text(s, 6));
	r->from.domain = g_strdup("");
	r->to = g_ptr_array_new_with_free_func(mc_address_free);
	r->cc = g_ptr_array_new_with_free_func(mc_address_free);
	r->folders = g_ptr_array_new_with_free_func(g_free);
	r->files = g_ptr_array_new_with_free_func(g_free);
	r->locations = g_ptr_array_new_with_free_func(location_free);
	r->attachments = g_ptr_array_new_with_free_func(mc_attachment_free);
	r->clients = g_ptr_array_new_with_free_func(g_free);
	r->projects = g_ptr_array_new_with_free_func(g_free);

	/* From is in the message row; To and Cc are printed, Bcc is not. */
	g_autoptr(GPtrArray) addrs = g_ptr_array_new();
	if (!load_addresses(db, id, addrs, error))
		return NULL;
	for (guint i = 0; i < addrs->len; i++) {
		struct mc_address *addr = g_ptr_array_index(addrs, i);
		if (addr->role == MC_ROLE_TO)
			g_ptr_array_add(r->to, addr);
		else if (addr->role == MC_ROLE_CC)
			g_ptr_array_add(r->cc, addr);
		else
			mc_address_free(addr);
	}

	sqlite3_stmt *l = db_cached(
	    db,
	    "SELECT c.kind, c.path, l.sub, l.name, l.info, l.offset, l.length, c.folder "
	    "FROM locations l JOIN containers c ON c.id = l.container WHERE l.message = ? "
	    "ORDER BY c.folder, c.path, l.name",
	    error);
	if (!l)
		return NULL;
	sqlite3_bind_int64(l, 1, id);
	while (sqlite3_step(l) == SQLITE_ROW) {
		struct result_location *loc = g_new0(struct result_location, 1);
		loc->kind = g_strdup(db_column_text(l, 0));
		loc->path =
		    search_location_path(loc->kind, db_column_text(l, 1), db_column_text(l, 2),
		                         db_column_text(l, 3), db_column_text(l, 4));
		loc->offset = sqlite3_column_int64(l, 5);
		loc->length = sqlite3_column_int64(l, 6);
		loc->folder = g_strdup(db_column_text(l, 7));
		g_ptr_array_add(r->locations, loc);
		if (!g_ptr_array_find_with_equal_func(r->files, loc->path, g_str_equal, NULL))
			g_ptr_array_add(r->files, g_strdup(loc->path));
		if (*loc->folder &&
		    !g_ptr_array_find_with_equal_func(r->folders, loc->folder, g_str_equal, NULL))
			g_ptr_array_add(r->folders, g_strdup(loc->folder));
	}

	if (!load_attachments(db, id, r->attachments, error) ||
	    !load_filings(db, id, r->clients, r->projects, error))
		return NULL;
	r->snippet = snippet ? g_strdup(snippet) : load_preview(db, id);
	return g_steal_pointer(&r);
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
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
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
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "no message with id %" G_GINT64_FORMAT, id);
		return 0;
	}
	return id;
}

gint64
search_parse_time(const char *what, const char *text, GError **error)
{
	char *end;
	gint64 v = g_ascii_strtoll(text, &end, 10);
	/* All digits: epoch seconds ("2024-03-01" stops at the first '-'). */
	if (*end == '\0' && end != text)
		return v;
	g_autofree char *iso =
	    strlen(text) == 10 ? g_strconcat(text, "T00:00:00Z", NULL) : g_strdup(text);
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, utc);
	if (!dt) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: '%s' is not a date (YYYY-MM-DD, ISO 8601 or epoch seconds)", what,
		            text);
		return -1;
	}
	return g_date_time_to_unix(dt);
}

gint64
search_now(GError **error)
{
	const char *env = g_getenv("MAILCLERK_NOW");
	if (!env || !*env)
		return g_get_real_time() / G_USEC_PER_SEC;
	return search_parse_time("MAILCLERK_NOW", env, error);
}
