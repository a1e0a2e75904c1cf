/* The mc_bm25() ranking function, the counts of its IDF, and ranking by
 * walking each phrase's rows (rank.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "index/rank.h"
#include "index/doclens.h"
#include "index/idmap.h"
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

/* Sets *ROWS and *TOKENS to the table's rows and tokens, as bm25() reads
 * them. */
static int
table_totals(const Fts5ExtensionApi *api, Fts5Context *fts, gint64 *rows, gint64 *tokens)
{
	sqlite3_int64 r = 0, t = 0;
	int rc = api->xRowCount(fts, &r);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &t);
	*rows = r;
	*tokens = t;
	return rc;
}

/* Sets C to the table's rows and tokens and, for a query of at least
 * MIN_PHRASES phrases, the rows holding each (FTS5 reads them all). */
static int
count_phrases(const Fts5ExtensionApi *api, Fts5Context *fts, int min_phrases, struct rank_counts *c)
{
	*c = (struct rank_counts){ .phrases = api->xPhraseCount(fts) };
	c->hits = g_new0(gint64, MAX(c->phrases, 1));
	int rc = table_totals(api, fts, &c->rows, &c->tokens);
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

/* A phrase's share of bm25()'s score of a row of TOKENS tokens holding it
 * FREQ times, before its IDF weighs it: bm25()'s own expression. */
static inline double
share_of(double freq, double tokens, double avgdl)
{
	return (freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * tokens / avgdl));
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
			shares[i] = share_of(r->freq[i], D, r->avgdl);
		sqlite3_result_blob(ctx, shares, (int)(r->phrases * sizeof(double)),
		                    SQLITE_TRANSIENT);
		return;
	}
	double score = 0.0;
	for (int i = 0; i < r->phrases; i++)
		score += r->idf[i] * share_of(r->freq[i], D, r->avgdl);
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
	if (h->ranks)
		g_array_unref(h->ranks);
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

/* The full-text index's structure record as DB's connection reads it:
 * FTS5 rewrites it (fts_data row 10, FTS5_STRUCTURE_ROWID, its layout
 * FTS5's own) at every commit that changes the full text, so two
 * connections that read equal records read the same full text; a row
 * count and token total can stay equal across a rewrite (a reindex).
 * NULL and ERROR on a database error. */
static GBytes *
fts_structure(struct mc_db *db, GError **error)
{
	sqlite3_stmt *s = db_cached(db, "SELECT block FROM fts_data WHERE id = 10", error);
	if (!s)
		return NULL;
	int rc = sqlite3_step(s);
	GBytes *out = NULL;
	if (rc == SQLITE_ROW)
		out = g_bytes_new(sqlite3_column_blob(s, 0), (gsize)sqlite3_column_bytes(s, 0));
	else if (rc == SQLITE_DONE)
		out = g_bytes_new(NULL, 0);
	else
		db_set_error(error, db, "reading the full-text index's structure");
	sqlite3_reset(s);
	return out;
}

struct rank_job {
	char *path, *match;
	gint64 lo, hi;
	GThread *thread; /* NULL when it could not start */
	struct rank_counts counts;
	struct rank_hits hits;
	GBytes *structure; /* fts_structure() of what it read */
	GError *error;
	gboolean ok;
};

static gpointer
job_run(gpointer data)
{
	struct rank_job *k = data;
	/* One read transaction: the counts and the hits of one snapshot. */
	g_autoptr(mc_db) db = db_open(k->path, DB_READ, &k->error);
	k->ok = db && db_exec(db, "BEGIN", &k->error) &&
	        (k->structure = fts_structure(db, &k->error)) &&
	        rank_count(db, k->match, &k->counts, &k->error) &&
	        rank_collect(db, k->match, k->lo, k->hi, &k->hits, &k->error);
	if (db)
		db_exec(db, "COMMIT", NULL);
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
rank_job_finish(struct rank_job *k, struct mc_db *db, struct rank_hits *hits,
                struct rank_counts *counts, GError **error)
{
	if (k->thread)
		g_thread_join(k->thread);
	gboolean ok = k->thread && k->ok;
	*hits = k->hits;
	*counts = k->counts;
	if (ok) {
		g_autoptr(GBytes) here = fts_structure(db, NULL);
		if (!here || !g_bytes_equal(here, k->structure)) {
			ok = FALSE;
			g_set_error(&k->error, MC_ERROR, MC_ERROR_FAILED,
			            "ranking on another thread read another full text");
		}
	}
	g_clear_pointer(&k->structure, g_bytes_unref);
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

/* ---- Phrases walked one by one ---- */

/* One phrase's rows in rowid order and its instances in each, walked by
 * mc_rank_walk() bound as a pointer of type RANK_WALK. */
#define RANK_WALK "mc_rank_walk"
struct phrase_rows {
	gint64 *ids;         /* in rowid order */
	guint32 *freqs;      /* of each */
	guint len, size;     /* rows kept; room for */
	guint count;         /* rows walked */
	gint64 rows, tokens; /* in the table, as the walking connection sees it */
	int phrases;         /* in the MATCH text walked (1); 0 when it found nothing */
	GError *error;
	/* Another phrase's rows, walked already: a row not among them is
	 * counted, not kept (it is no hit). Read from the pool's SHARED. */
	gpointer *shared;
	const struct phrase_rows *filter;
	guint at; /* in FILTER */
};

static void
phrase_rows_clear(struct phrase_rows *w)
{
	g_free(w->ids);
	g_free(w->freqs);
	g_clear_error(&w->error);
	*w = (struct phrase_rows){ 0 };
}

/* The position in V (LEN ids, sorted) of the first id not below ID, from
 * FROM on: doubling steps, then halving. */
static guint
gallop_to(const gint64 *v, guint len, guint from, gint64 id)
{
	guint lo = from, step = 1;
	while (lo + step < len && v[lo + step] < id) {
		lo += step;
		step *= 2;
	}
	guint hi = MIN(lo + step, len);
	while (lo < hi && v[lo] < id) {
		guint mid = lo + (hi - lo) / 2;
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
walk_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *data)
{
	struct phrase_rows *w = data;
	gint64 id = api->xRowid(fts);
	w->count++;
	const struct phrase_rows *f = w->shared ? g_atomic_pointer_get(w->shared) : NULL;
	if (G_UNLIKELY(f != w->filter && f)) {
		w->filter = f;
		w->at = gallop_to(f->ids, f->len, 0, id);
	}
	if (f) {
		while (w->at < f->len && f->ids[w->at] < id)
			w->at++;
		if (w->at == f->len || f->ids[w->at] != id)
			return SQLITE_OK;
	}
	/* Each instance counts 1.0, as in mc_bm25(). */
	Fts5PhraseIter it;
	int column, offset;
	guint32 n = 0;
	int rc = api->xPhraseFirst(fts, 0, &it, &column, &offset);
	for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &it, &column, &offset))
		n++;
	if (G_UNLIKELY(w->len == w->size)) {
		w->size = MAX(w->size * 2, 65536);
		w->ids = g_renew(gint64, w->ids, w->size);
		w->freqs = g_renew(guint32, w->freqs, w->size);
	}
	w->ids[w->len] = id;
	w->freqs[w->len++] = n;
	return rc;
}

/* mc_rank_walk(fts, ?): on the first row of a MATCH of one phrase, walks
 * all its rows with xQueryPhrase(), which costs no statement step a row.
 * bm25() counts a phrase's rows with the same walk. */
static void
mc_rank_walk(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
             sqlite3_value **argv)
{
	struct phrase_rows *w = argc > 0 ? sqlite3_value_pointer(argv[0], RANK_WALK) : NULL;
	if (!w || w->phrases) {
		sqlite3_result_error(ctx, "mc_rank_walk(): called without its walk, or twice", -1);
		return;
	}
	w->phrases = api->xPhraseCount(fts);
	int rc = table_totals(api, fts, &w->rows, &w->tokens);
	if (rc == SQLITE_OK && w->phrases == 1)
		rc = api->xQueryPhrase(fts, 0, w, walk_row);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
}

/* Sets W (cleared first) to the rows of PHRASE, the MATCH text of one
 * phrase, on DB's connection; W->error when that fails. */
static void
walk_phrase(struct mc_db *db, const char *phrase, struct phrase_rows *w, gpointer *shared)
{
	phrase_rows_clear(w);
	w->shared = shared;
	if (!rank_register(db, &w->error))
		return;
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db, "SELECT mc_rank_walk(fts, ?) FROM fts WHERE fts MATCH ? LIMIT 1", &w->error);
	if (!s)
		return;
	sqlite3_bind_pointer(s, 1, w, RANK_WALK, NULL);
	db_bind_text(s, 2, phrase);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_set_error(&w->error, db, "searching");
	else if (rc == SQLITE_ROW && w->phrases != 1)
		g_set_error(&w->error, MC_ERROR, MC_ERROR_FAILED,
		            "ranking: '%s' is %d phrases, not one", phrase, w->phrases);
}

/* Keeps, in place, the rows that all N WALKS hold: each walk's freqs are
 * cut to them, the k-th result at k in each, and the ids of walk *INTO
 * (the shortest). Returns how many. */
static guint
intersect(struct phrase_rows *walks, int n, int *into)
{
	int shortest = 0;
	for (int i = 1; i < n; i++)
		if (walks[i].len < walks[shortest].len)
			shortest = i;
	/* The walks met so far, whose freqs move with the ids kept. */
	int *met = g_newa(int, n);
	int nmet = 0;
	met[nmet++] = shortest;
	gint64 *have = walks[shortest].ids;
	guint hlen = walks[shortest].len;
	/* Every write goes to an index no greater than the one each list is
	 * read at next, so the lists are cut where they lie. */
	for (int i = 0; i < n; i++) {
		if (i == shortest)
			continue;
		const gint64 *v = walks[i].ids;
		guint32 *vf = walks[i].freqs;
		guint vlen = walks[i].len, p = 0, k = 0, kept = 0;
		if (vlen / 16 > hlen) {
			/* A list far longer than what is left: skipped through. */
			for (; k < hlen && p < vlen; k++) {
				p = gallop_to(v, vlen, p, have[k]);
				if (p < vlen && v[p] == have[k]) {
					for (int j = 0; j < nmet; j++)
						walks[met[j]].freqs[kept] = walks[met[j]].freqs[k];
					vf[kept] = vf[p];
					have[kept++] = have[k];
				}
			}
		} else {
			/* Lists of like sizes: a merge without a branch to
			 * mispredict, each step writing its pair and keeping it
			 * only when the ids are equal. */
			while (k < hlen && p < vlen) {
				gint64 x = have[k], y = v[p];
				for (int j = 0; j < nmet; j++)
					walks[met[j]].freqs[kept] = walks[met[j]].freqs[k];
				vf[kept] = vf[p];
				have[kept] = x;
				kept += x == y;
				k += x <= y;
				p += y <= x;
			}
		}
		hlen = kept;
		met[nmet++] = i;
	}
	*into = shortest;
	return hlen;
}

/* Of the FOUND rows the N WALKS met (intersect(): the ids in walk INTO),
 * keeps in place those in KEEP (sorted ids). Returns how many. */
static guint
keep_only(struct phrase_rows *walks, int n, int into, guint found, const GArray *keep)
{
	const gint64 *kept = (const gint64 *)(void *)keep->data;
	gint64 *ids = walks[into].ids;
	guint at = 0, len = 0;
	for (guint k = 0; k < found && at < keep->len; k++) {
		at = gallop_to(kept, keep->len, at, ids[k]);
		if (at == keep->len || kept[at] != ids[k])
			continue;
		for (int i = 0; i < n; i++)
			walks[i].freqs[len] = walks[i].freqs[k];
		ids[len++] = ids[k];
	}
	return len;
}

/* The rows any of the N WALKS holds, in rowid order, into IDS; each walk's
 * freqs become one a row of IDS, 0 where the walk has not the row. Rows
 * not in KEEP (sorted ids; NULL: every row) are left out. */
static void
unite(struct phrase_rows *walks, int n, const GArray *keep, GArray *ids)
{
	guint most = 0;
	for (int i = 0; i < n; i++)
		most += walks[i].len;
	if (keep)
		most = MIN(most, keep->len);
	guint32 **freqs = g_newa(guint32 *, n);
	guint *at = g_newa(guint, n);
	for (int i = 0; i < n; i++) {
		freqs[i] = g_new(guint32, MAX(most, 1));
		at[i] = 0;
	}
	g_array_set_size(ids, most);
	gint64 *out = (gint64 *)(void *)ids->data;
	const gint64 *kept = keep ? (const gint64 *)(void *)keep->data : NULL;
	guint kept_at = 0, len = 0;
	for (;;) {
		gint64 id = G_MAXINT64;
		gboolean any = FALSE;
		for (int i = 0; i < n; i++)
			if (at[i] < walks[i].len && walks[i].ids[at[i]] <= id) {
				id = walks[i].ids[at[i]];
				any = TRUE;
			}
		if (!any)
			break;
		gboolean take = TRUE;
		if (kept) {
			kept_at = gallop_to(kept, keep->len, kept_at, id);
			if (kept_at == keep->len)
				break; /* no row after this one is kept */
			take = kept[kept_at] == id;
		}
		for (int i = 0; i < n; i++) {
			gboolean here = at[i] < walks[i].len && walks[i].ids[at[i]] == id;
			if (take)
				freqs[i][len] = here ? walks[i].freqs[at[i]] : 0;
			at[i] += here;
		}
		if (take)
			out[len++] = id;
	}
	g_array_set_size(ids, len);
	for (int i = 0; i < n; i++) {
		g_free(walks[i].freqs);
		walks[i].freqs = freqs[i];
	}
}

/* Scores the hits of a walk from FROM to TO on DB's connection. */
struct walk_scores {
	const struct phrase_rows *walks;
	int n;
	const char *match;
	const gint64 *ids;
	const double *idf; /* rank_idf() of the walks' counts */
	double *ranks;     /* one a hit */
	struct rank_deferred defer;
};

static enum rank_walk_result
score_range(const struct walk_scores *w, struct mc_db *db, struct doclens *lengths, guint from,
            guint to, GError **error)
{
	int n = w->n;
	double avgdl = (double)w->defer.tokens / (double)w->defer.rows;
	double *shares = g_newa(double, n);
	for (guint k = from; k < to; k++) {
		guint tokens = DOCLEN_UNKNOWN;
		if (!doclens_get(lengths, w->ids[k], &tokens, error))
			return RANK_WALK_FAILED;
		if (tokens != DOCLEN_UNKNOWN) {
			for (int i = 0; i < n; i++)
				shares[i] = share_of(w->walks[i].freqs[k], (double)tokens, avgdl);
			w->ranks[k] = rank_finish(w->idf, n, shares);
			continue;
		}
		/* A length the map does not hold: mc_bm25() asks FTS5. */
		struct rank_hits one = { 0 };
		enum rank_walk_result r = RANK_WALK_DONE;
		if (!rank_collect(db, w->match, w->ids[k], w->ids[k], &one, error))
			r = RANK_WALK_FAILED;
		else if (one.ids->len != 1 || one.defer.phrases != n ||
		         one.defer.rows != w->defer.rows || one.defer.tokens != w->defer.tokens)
			r = RANK_WALK_AGAIN;
		else
			w->ranks[k] =
			    rank_finish(w->idf, n, (const double *)(void *)one.shares->data);
		rank_hits_clear(&one);
		if (r != RANK_WALK_DONE)
			return r;
	}
	return RANK_WALK_DONE;
}

/* The hits are scored on both threads from this many on (fewer are
 * scored sooner than the other thread is told). The test hook
 * MAILCLERK_TEST_RANK_SPLIT sets another. */
static guint
score_split_min(void)
{
#ifdef MC_TEST_HOOKS
	const char *n = g_getenv("MAILCLERK_TEST_RANK_SPLIT");
	if (n)
		return (guint)g_ascii_strtoull(n, NULL, 10);
#endif
	return 8192;
}

/* What the caller and the thread helping it share. Each walks phrases
 * until none is left; the thread then waits for the caller to say which
 * hits it scores. */
struct walk_pool {
	const char *path;
	const GPtrArray *phrases;
	/* The hits are rows of any phrase (RANK_ANY): every walk keeps all
	 * its rows. */
	gboolean any;
	struct phrase_rows *walks;
	/* The fewest rows kept by a walk done (a struct phrase_rows *, NULL
	 * before the first): the walks after it keep only rows among them. */
	gpointer fewest;
	GThread *thread;
	GMutex lock;
	GCond changed;
	/* The first walk done cuts the ids in two at its middle row: the
	 * caller scores the hits up to SPLIT, the thread those after; each
	 * reads the lengths of its side meanwhile (preload_lengths()). 0 until
	 * then. */
	gint64 split;
	/* Under LOCK: */
	gboolean helper_has_all;  /* the thread read every length (preload_lengths()) */
	GBytes *helper_structure; /* fts_structure() of the thread's read */
	int helper_walked;        /* phrases the thread walked */
	gboolean helper_ready;    /* the thread waits to be told what it scores */
	int next;                 /* the next phrase to walk */
	int walking;              /* phrases being walked (also read atomically) */
	gboolean helper_can;      /* the thread has a connection */
	gboolean told;            /* the caller has said what the thread scores */
	struct walk_scores *job;  /* NULL: nothing */
	guint from, to;
	/* The thread's, read after it ends: */
	enum rank_walk_result result;
	GError *error;
};

/* Whether a walk keeps only the rows of one done before (the test hook
 * MAILCLERK_TEST_RANK_FILTER=0 has each keep all, as the walks that run
 * at once do). */
static gboolean
walks_filtered(void)
{
#ifdef MC_TEST_HOOKS
	return g_strcmp0(g_getenv("MAILCLERK_TEST_RANK_FILTER"), "0") != 0;
#else
	return TRUE;
#endif
}

/* The next phrase to walk, -1 when none is left; counted as being walked
 * until walk_done(). */
static int
walk_claim(struct walk_pool *p)
{
	g_mutex_lock(&p->lock);
	int i = p->next < (int)p->phrases->len ? p->next++ : -1;
	if (i >= 0)
		g_atomic_int_inc(&p->walking);
	g_mutex_unlock(&p->lock);
	return i;
}

static void
walk_done(struct walk_pool *p, const struct phrase_rows *w, gboolean helper)
{
	g_mutex_lock(&p->lock);
	p->helper_walked += helper;
	if (!p->split && w->len)
		p->split = w->ids[w->len / 2];
	g_atomic_int_add(&p->walking, -1);
	g_cond_broadcast(&p->changed);
	g_mutex_unlock(&p->lock);
}

static void
walk_some(struct walk_pool *p, struct mc_db *db, gboolean helper)
{
	gpointer *shared = !p->any && walks_filtered() ? &p->fewest : NULL;
	for (int i; (i = walk_claim(p)) >= 0;) {
		struct phrase_rows *w = &p->walks[i];
		walk_phrase(db, p->phrases->pdata[i], w, shared);
		while (!w->error) {
			const struct phrase_rows *had = g_atomic_pointer_get(&p->fewest);
			if ((had && had->len <= w->len) ||
			    g_atomic_pointer_compare_and_exchange(&p->fewest, (gpointer)had, w))
				break;
		}
		walk_done(p, w, helper);
	}
}

/* Whether the thread reads every length before it says it is done, and
 * the caller waits for it to (the test hook MAILCLERK_TEST_RANK_PRELOAD=
 * thread), so that the thread scores every hit. */
static gboolean
thread_preloads_all(void)
{
#ifdef MC_TEST_HOOKS
	return g_strcmp0(g_getenv("MAILCLERK_TEST_RANK_PRELOAD"), "thread") == 0;
#else
	return FALSE;
#endif
}

/* Reads into LENGTHS the chunks of the lengths of the ids from LO to HI
 * while another thread still walks (or whatever it does, with ALWAYS).
 * TRUE when it read them all. */
static gboolean
preload_range(struct walk_pool *p, struct doclens *lengths, gint64 lo, gint64 hi, gboolean always)
{
	for (gint64 id = lo; id <= hi; id = (id / IDMAP_CHUNK + 1) * IDMAP_CHUNK) {
		guint tokens;
		if ((!always && g_atomic_int_get(&p->walking) == 0) ||
		    !doclens_get(lengths, id, &tokens, NULL))
			return FALSE; /* scoring says what went wrong */
	}
	return TRUE;
}

/* While another thread still walks, reads the lengths scoring will want
 * into LENGTHS (reading them is most of scoring): those of this thread's
 * side of the split (AFTER: the ids after it), then of the other side,
 * within the fewest rows kept so far (every hit of phrases joined by AND
 * is among them; of phrases ORed, only some). Returns whether it read
 * every one: then this thread scores every hit. Nothing for a few rows,
 * or none (a phrase without rows). */
static gboolean
preload_lengths(struct walk_pool *p, struct doclens *lengths, gboolean after)
{
	const struct phrase_rows *f = g_atomic_pointer_get(&p->fewest);
	g_mutex_lock(&p->lock);
	gint64 split = p->split;
	g_mutex_unlock(&p->lock);
	if (!f || f->len == 0 || f->len < score_split_min() || !split)
		return FALSE;
	gint64 first = f->ids[0], last = f->ids[f->len - 1];
	gboolean always = after && thread_preloads_all();
	gboolean all;
	if (after)
		all = preload_range(p, lengths, split + 1, last, always) &&
		      preload_range(p, lengths, first, split, always);
	else
		all = preload_range(p, lengths, first, split, FALSE) &&
		      preload_range(p, lengths, split + 1, last, FALSE);
	return all && !p->any;
}

static gpointer
walk_thread(gpointer data)
{
	struct walk_pool *p = data;
	GError *error = NULL;
	/* One read transaction: the walks and the lengths of one snapshot. */
	g_autoptr(mc_db) db = db_open(p->path, DB_READ, &error);
	GBytes *structure = NULL;
	if (db && (!db_exec(db, "BEGIN", &error) || !(structure = fts_structure(db, &error))))
		g_clear_pointer(&db, db_close);
	g_clear_error(&error); /* the caller does what this cannot */
	g_mutex_lock(&p->lock);
	p->helper_can = db != NULL;
	p->helper_structure = structure;
	g_mutex_unlock(&p->lock);
	g_autoptr(doclens) lengths = db ? doclens_new(db) : NULL;
	gboolean has_all = FALSE;
	if (db) {
		walk_some(p, db, TRUE);
		has_all = preload_lengths(p, lengths, TRUE);
	}
	g_mutex_lock(&p->lock);
	p->helper_has_all = has_all;
	p->helper_ready = TRUE;
	g_cond_broadcast(&p->changed);
	while (!p->told)
		g_cond_wait(&p->changed, &p->lock);
	struct walk_scores *job = p->job;
	g_mutex_unlock(&p->lock);
	if (job)
		p->result = score_range(job, db, lengths, p->from, p->to, &p->error);
	g_clear_pointer(&lengths, doclens_free);
	if (db)
		db_exec(db, "COMMIT", NULL);
	return NULL;
}

/* Tells the thread what it scores (JOB from FROM to TO, or nothing). */
static void
pool_tell(struct walk_pool *p, struct walk_scores *job, guint from, guint to)
{
	g_mutex_lock(&p->lock);
	p->job = job;
	p->from = from;
	p->to = to;
	p->told = TRUE;
	g_cond_broadcast(&p->changed);
	g_mutex_unlock(&p->lock);
}

/* rank_walk_phrases() with the help of a thread (WITH_HELPER), or alone.
 * RANK_WALK_AGAIN when the thread walked another full text. */
static enum rank_walk_result
walk_rank(struct mc_db *db, const GPtrArray *phrases, const char *match, const GArray *keep,
          gboolean any, struct rank_hits *h, struct rank_counts *c, gboolean with_helper,
          GError **error)
{
	rank_hits_clear(h);
	rank_counts_clear(c);
	int n = (int)phrases->len;
	g_return_val_if_fail(n >= 1, RANK_WALK_FAILED);
	/* One read transaction here too, unless the caller has one. */
	gboolean own_read = sqlite3_get_autocommit(db->sql);
	if (own_read && !db_exec(db, "BEGIN", error))
		return RANK_WALK_FAILED;
	g_autoptr(GBytes) structure = with_helper ? fts_structure(db, error) : NULL;
	if (with_helper && !structure) {
		if (own_read)
			db_exec(db, "COMMIT", NULL);
		return RANK_WALK_FAILED;
	}
	struct walk_pool pool = { .path = db->path, .phrases = phrases, .any = any };
	g_mutex_init(&pool.lock);
	g_cond_init(&pool.changed);
	pool.walks = g_new0(struct phrase_rows, n);
	/* The other core walks some of the phrases on a connection of its
	 * own, and scores half the hits; the phrases go to whichever thread
	 * is free. Its connection takes a few milliseconds to open: a rare
	 * word is walked and scored here meanwhile. */
	pool.thread = with_helper ? g_thread_try_new("rank", walk_thread, &pool, NULL) : NULL;
	g_autoptr(doclens) lengths = doclens_new(db);
	walk_some(&pool, db, FALSE);
	gboolean has_all = preload_lengths(&pool, lengths, FALSE);
	g_mutex_lock(&pool.lock);
	while (pool.walking > 0 || (pool.thread && thread_preloads_all() && !pool.helper_ready))
		g_cond_wait(&pool.changed, &pool.lock);
	gboolean helper_can = pool.helper_can;
	gboolean helper_has_all = pool.helper_has_all;
	/* Two connections are two reads: the thread's counts only when it
	 * read the same full text (a commit may have come between). */
	gboolean helper_same = !helper_can || g_bytes_equal(structure, pool.helper_structure);
	int helper_walked = pool.helper_walked;
	g_mutex_unlock(&pool.lock);
	if (!helper_same) {
		helper_can = FALSE;
		helper_has_all = FALSE;
	}

	enum rank_walk_result result =
	    helper_same || !helper_walked ? RANK_WALK_DONE : RANK_WALK_AGAIN;
	for (int i = 0; i < n && result == RANK_WALK_DONE; i++)
		if (pool.walks[i].error) {
			g_propagate_error(error, g_steal_pointer(&pool.walks[i].error));
			result = RANK_WALK_FAILED;
		}
	/* A phrase without rows: no hits of them all, whatever the others
	 * found; of any, when every phrase has none. A phrase without rows
	 * read no totals. */
	gboolean empty = any;
	int with_rows = -1;
	for (int i = 0; i < n; i++) {
		gboolean has = pool.walks[i].phrases != 0;
		empty = any ? empty && !has : empty || !has;
		if (has && with_rows < 0)
			with_rows = i;
	}
	for (int i = 0; i < n && result == RANK_WALK_DONE && !empty; i++)
		if (pool.walks[i].phrases != 0 &&
		    (pool.walks[i].rows != pool.walks[with_rows].rows ||
		     pool.walks[i].tokens != pool.walks[with_rows].tokens))
			result = RANK_WALK_AGAIN;

	h->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	h->ranks = g_array_new(FALSE, FALSE, sizeof(double));
	struct walk_scores scores = { .walks = pool.walks, .n = n, .match = match };
	g_autofree double *idf = NULL;
	guint split = 0;
	if (result == RANK_WALK_DONE && !empty) {
		*c = (struct rank_counts){ .rows = pool.walks[with_rows].rows,
			                   .tokens = pool.walks[with_rows].tokens,
			                   .phrases = n,
			                   .hits = g_new(gint64, n) };
		for (int i = 0; i < n; i++)
			c->hits[i] = pool.walks[i].count;
		if (any) {
			unite(pool.walks, n, keep, h->ids);
		} else {
			int shortest;
			guint found = intersect(pool.walks, n, &shortest);
			if (keep)
				found = keep_only(pool.walks, n, shortest, found, keep);
			g_array_append_vals(h->ids, pool.walks[shortest].ids, found);
		}
		guint found = h->ids->len;
		h->defer =
		    (struct rank_deferred){ .phrases = n, .rows = c->rows, .tokens = c->tokens };
		g_array_set_size(h->ranks, found);
		idf = rank_idf(c);
		scores.ids = (const gint64 *)(void *)h->ids->data;
		scores.idf = idf;
		scores.ranks = (double *)(void *)h->ranks->data;
		scores.defer = h->defer;
		/* Reading the lengths is most of scoring: a thread that has them
		 * all scores every hit; otherwise each its side of the split,
		 * whose lengths it may have read already. */
		split = h->ids->len;
		if (helper_has_all && !has_all)
			split = 0;
		else if (helper_can && !has_all && h->ids->len >= score_split_min()) {
			guint lo = 0, hi = h->ids->len;
			while (lo < hi) {
				guint mid = lo + (hi - lo) / 2;
				if (scores.ids[mid] <= pool.split)
					lo = mid + 1;
				else
					hi = mid;
			}
			split = lo;
		}
	}
	if (pool.thread) {
		pool_tell(&pool, split < h->ids->len ? &scores : NULL, split, h->ids->len);
		if (result == RANK_WALK_DONE && !empty)
			result = score_range(&scores, db, lengths, 0, split, error);
		g_thread_join(pool.thread);
		if (split < h->ids->len && result == RANK_WALK_DONE) {
			result = pool.result;
			if (pool.error)
				g_propagate_error(error, g_steal_pointer(&pool.error));
		}
		g_clear_error(&pool.error);
	} else if (result == RANK_WALK_DONE && !empty) {
		result = score_range(&scores, db, lengths, 0, split, error);
	}
	g_clear_pointer(&lengths, doclens_free);
	for (int i = 0; i < n; i++)
		phrase_rows_clear(&pool.walks[i]);
	g_free(pool.walks);
	g_mutex_clear(&pool.lock);
	g_cond_clear(&pool.changed);
	g_clear_pointer(&pool.helper_structure, g_bytes_unref);
	if (own_read)
		db_exec(db, "COMMIT", NULL);
	if (result != RANK_WALK_DONE) {
		rank_hits_clear(h);
		rank_counts_clear(c);
	}
	return result;
}

enum rank_walk_result
rank_walk_phrases(struct mc_db *db, const GPtrArray *phrases, const char *match,
                  enum rank_join join, const GArray *keep, struct rank_hits *h,
                  struct rank_counts *c, GError **error)
{
	gboolean any = join == RANK_ANY;
	enum rank_walk_result r = walk_rank(db, phrases, match, keep, any, h, c, TRUE, error);
	/* The thread read another full text: walked again here alone, in
	 * this connection's read, which the caller's statements share. */
	if (r == RANK_WALK_AGAIN)
		r = walk_rank(db, phrases, match, keep, any, h, c, FALSE, error);
	return r;
}

gboolean
rank_register(struct mc_db *db, GError **error)
{
	if (db->rank_registered)
		return TRUE;
	fts5_api *api = tokenizer_fts5_api(db->sql);
	if (!api || api->xCreateFunction(api, "mc_bm25", db, mc_bm25, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "mc_bm25_counts", db, mc_bm25_counts, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "mc_rank_walk", db, mc_rank_walk, NULL) != SQLITE_OK) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot register mc_bm25(): %s",
		            sqlite3_errmsg(db->sql));
		return FALSE;
	}
	db->rank_registered = TRUE;
	return TRUE;
}
