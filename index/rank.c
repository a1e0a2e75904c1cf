/* The mc_bm25() ranking function and the counts of its IDF (rank.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "index/rank.h"
#include "index/doclens.h"
#include "index/tokenizer.h"
#include "common/error.h"

/* bm25()'s constants. */
#define K1 1.2
#define B  0.75

/* What one query's ranking computes once (as fts5_aux.c's Fts5Bm25Data)
 * and the map it reads lengths from, freed with the query. */
struct rank_query {
	int phrases;
	double avgdl; /* average row length in tokens */
	double *idf;  /* of each phrase; 1.0 when deferred */
	double *freq; /* of each phrase in the current row */
	doclens *lengths;
};

static void
rank_query_free(void *data)
{
	struct rank_query *r = data;
	doclens_free(r->lengths);
	g_free(r->idf);
	g_free(r->freq);
	g_free(r);
}

static int
count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *data)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)data)++;
	return SQLITE_OK;
}

/* bm25()'s IDF of a phrase held by HITS of ROWS rows. */
static double
idf_of(sqlite3_int64 rows, sqlite3_int64 hits)
{
	double idf = log((rows - hits + 0.5) / (hits + 0.5));
	return idf <= 0.0 ? 1e-6 : idf;
}

/* Sets C to the table's rows and tokens and, for a query of at least
 * MIN_PHRASES phrases, the rows holding each (FTS5 reads them all). */
static int
count_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, int min_phrases, struct rank_counts *c)
{
	*c = (struct rank_counts){ .phrases = api->xPhraseCount(fts) };
	c->hits = g_new0(gint64, MAX(c->phrases, 1));
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	c->rows = rows;
	c->tokens = tokens;
	for (int i = 0; rc == SQLITE_OK && c->phrases >= min_phrases && i < c->phrases; i++) {
		sqlite3_int64 hits = 0;
		rc = api->xQueryPhrase(fts, i, &hits, count_row);
		c->hits[i] = hits;
	}
	return rc;
}

void
rank_counts_clear(struct rank_counts *c)
{
	g_free(c->hits);
	*c = (struct rank_counts){ 0 };
}

double *
rank_idf(const struct rank_counts *c)
{
	double *idf = g_new(double, MAX(c->phrases, 1));
	for (int i = 0; i < c->phrases; i++)
		idf[i] = idf_of(c->rows, c->hits[i]);
	return idf;
}

double
rank_finish(const double *idf, int phrases, const double *partial)
{
	double score = 0.0;
	for (int i = 0; i < phrases; i++)
		score += idf[i] * partial[i];
	return -1.0 * score;
}

/* The query's rank_query, made on its first row: the IDF of each phrase
 * as bm25() computes it, or 1.0 when DEFER (which gets the table's rows
 * and tokens instead). */
static int
rank_query_of(const Fts5ExtensionApi *api, Fts5Context *fts, struct mc_db *db,
              struct rank_deferred *defer, struct rank_query **out)
{
	struct rank_query *r = api->xGetAuxdata(fts, 0);
	if (r) {
		*out = r;
		return SQLITE_OK;
	}
	struct rank_counts c;
	int rc = count_phrases(api, fts, defer ? G_MAXINT : 1, &c);
	r = g_new0(struct rank_query, 1);
	r->phrases = c.phrases;
	r->idf = g_new0(double, MAX(r->phrases, 1));
	r->freq = g_new0(double, MAX(r->phrases, 1));
	r->lengths = doclens_new(db);
	r->avgdl = (double)c.tokens / (double)c.rows;
	if (defer) {
		defer->phrases = c.phrases;
		defer->rows = c.rows;
		defer->tokens = c.tokens;
	}
	for (int i = 0; i < r->phrases; i++)
		r->idf[i] = defer ? 1.0 : idf_of(c.rows, c.hits[i]);
	rank_counts_clear(&c);
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, r, rank_query_free);
	else
		rank_query_free(r);
	*out = rc == SQLITE_OK ? r : NULL;
	return rc;
}

static void
mc_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
        sqlite3_value **argv)
{
	struct rank_deferred *defer =
	    argc > 0 ? sqlite3_value_pointer(argv[0], RANK_DEFERRED) : NULL;
	struct rank_query *r;
	int rc = rank_query_of(api, fts, api->xUserData(fts), defer, &r);
	/* Each instance of a phrase counts 1.0, as bm25() without weights
	 * adds them: the same whole numbers. */
	for (int i = 0; rc == SQLITE_OK && i < r->phrases; i++) {
		Fts5PhraseIter it;
		int column, offset, n = 0;
		rc = api->xPhraseFirst(fts, i, &it, &column, &offset);
		for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
			n++;
		r->freq[i] = n;
	}
	guint tokens = DOCLEN_UNKNOWN;
	if (rc == SQLITE_OK && !doclens_get(r->lengths, api->xRowid(fts), &tokens, NULL))
		tokens = DOCLEN_UNKNOWN;
	if (rc == SQLITE_OK && tokens == DOCLEN_UNKNOWN) {
		int n;
		rc = api->xColumnSize(fts, -1, &n);
		tokens = (guint)n;
	}
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	double D = (double)tokens;
	if (defer) {
		double *shares = g_newa(double, MAX(r->phrases, 1));
		for (int i = 0; i < r->phrases; i++)
			shares[i] = (r->freq[i] * (K1 + 1.0)) /
			            (r->freq[i] + K1 * (1 - B + B * D / r->avgdl));
		sqlite3_result_blob(ctx, shares, (int)(r->phrases * sizeof(double)),
		                    SQLITE_TRANSIENT);
		return;
	}
	double score = 0.0;
	for (int i = 0; i < r->phrases; i++)
		score += r->idf[i] * ((r->freq[i] * (K1 + 1.0)) /
		                      (r->freq[i] + K1 * (1 - B + B * D / r->avgdl)));
	sqlite3_result_double(ctx, -1.0 * score);
}

/* mc_bm25_counts(fts): on its first row, a blob of int64s: the table's rows
 * and tokens, the phrases, and the rows holding each (0 for a query of one
 * phrase, whose hits are its count). */
static void
mc_bm25_counts(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
               sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	struct rank_counts c;
	/* One phrase: its hits are its count, which the caller has. */
	int rc = count_phrases(api, fts, 2, &c);
	if (rc != SQLITE_OK) {
		rank_counts_clear(&c);
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	GArray *out = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 head[3] = { c.rows, c.tokens, c.phrases };
	g_array_append_vals(out, head, 3);
	g_array_append_vals(out, c.hits, c.phrases);
	sqlite3_result_blob(ctx, out->data, (int)(out->len * sizeof(gint64)), SQLITE_TRANSIENT);
	g_array_unref(out);
	rank_counts_clear(&c);
}

gboolean
rank_count(struct mc_db *db, const char *match, struct rank_counts *c, GError **error)
{
	*c = (struct rank_counts){ 0 };
	if (!rank_register(db, error))
		return FALSE;
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT mc_bm25_counts(fts) FROM fts WHERE fts MATCH ? LIMIT 1", error);
	if (!s)
		return FALSE;
	db_bind_text(s, 1, match);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW)
		return db_set_error(error, db, "counting the rows of each word");
	int n = sqlite3_column_bytes(s, 0) / (int)sizeof(gint64);
	g_autofree gint64 *v = g_new0(gint64, MAX(n, 3));
	memcpy(v, sqlite3_column_blob(s, 0), (gsize)n * sizeof(gint64));
	if (n < 3 || v[2] < 1 || n != 3 + v[2]) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "counting the rows of each word: a malformed count");
		return FALSE;
	}
	c->rows = v[0];
	c->tokens = v[1];
	c->phrases = (int)v[2];
	c->hits = g_new0(gint64, c->phrases);
	memcpy(c->hits, v + 3, (gsize)(n - 3) * sizeof(gint64));
	return TRUE;
}

void
rank_hits_clear(struct rank_hits *h)
{
	if (h->ids)
		g_array_unref(h->ids);
	if (h->shares)
		g_array_unref(h->shares);
	*h = (struct rank_hits){ 0 };
}

gboolean
rank_collect(struct mc_db *db, const char *match, gint64 lo, gint64 hi, struct rank_hits *h,
             GError **error)
{
	rank_hits_clear(h);
	h->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	h->shares = g_array_new(FALSE, FALSE, sizeof(double));
	if (!rank_register(db, error))
		return FALSE;
	g_autoptr(sqlite3_stmt) s = db_prepare(db,
	                                       "SELECT rowid, mc_bm25(fts, ?) FROM fts WHERE fts "
	                                       "MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid",
	                                       error);
	if (!s)
		return FALSE;
	sqlite3_bind_pointer(s, 1, &h->defer, RANK_DEFERRED, NULL);
	db_bind_text(s, 2, match);
	sqlite3_bind_int64(s, 3, lo);
	sqlite3_bind_int64(s, 4, hi);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_array_append_val(h->ids, id);
		gsize bytes = (gsize)h->defer.phrases * sizeof(double);
		if ((gsize)sqlite3_column_bytes(s, 1) != bytes) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
			            "ranking: mc_bm25() gave no score");
			return FALSE;
		}
		guint at = h->shares->len;
		g_array_set_size(h->shares, at + (guint)h->defer.phrases);
		memcpy(&g_array_index(h->shares, double, at), sqlite3_column_blob(s, 1), bytes);
	}
	return rc == SQLITE_DONE || db_set_error(error, db, "searching");
}

struct rank_job {
	char *path, *match;
	gint64 lo, hi;
	GThread *thread; /* NULL when it could not start */
	struct rank_counts counts;
	struct rank_hits hits;
	GError *error;
	gboolean ok;
};

static gpointer
job_run(gpointer data)
{
	struct rank_job *k = data;
	g_autoptr(mc_db) db = db_open(k->path, DB_READ, &k->error);
	k->ok = db && rank_count(db, k->match, &k->counts, &k->error) &&
	        rank_collect(db, k->match, k->lo, k->hi, &k->hits, &k->error);
	return NULL;
}

struct rank_job *
rank_job_start(const char *path, const char *match, gint64 lo, gint64 hi)
{
	struct rank_job *k = g_new0(struct rank_job, 1);
	k->path = g_strdup(path);
	k->match = g_strdup(match);
	k->lo = lo;
	k->hi = hi;
	k->thread = g_thread_try_new("rank", job_run, k, &k->error);
	return k;
}

gboolean
rank_job_finish(struct rank_job *k, struct rank_hits *hits, struct rank_counts *counts,
                GError **error)
{
	if (k->thread)
		g_thread_join(k->thread);
	gboolean ok = k->thread && k->ok;
	*hits = k->hits;
	*counts = k->counts;
	if (!ok) {
		rank_hits_clear(hits);
		rank_counts_clear(counts);
		if (k->error)
			g_propagate_error(error, g_steal_pointer(&k->error));
		else
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
			            "ranking on another thread failed");
	}
	g_clear_error(&k->error);
	g_free(k->path);
	g_free(k->match);
	g_free(k);
	return ok;
}

gboolean
rank_register(struct mc_db *db, GError **error)
{
	if (db->rank_registered)
		return TRUE;
	fts5_api *api = tokenizer_fts5_api(db->sql);
	if (!api || api->xCreateFunction(api, "mc_bm25", db, mc_bm25, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "mc_bm25_counts", db, mc_bm25_counts, NULL) != SQLITE_OK) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot register mc_bm25(): %s",
		            sqlite3_errmsg(db->sql));
		return FALSE;
	}
	db->rank_registered = TRUE;
	return TRUE;
}
