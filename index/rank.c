/* The mc_bm25() ranking function (rank.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "index/rank.h"
#include "index/doclens.h"
#include "index/tokenizer.h"
#include "common/error.h"

/* What one query's ranking computes once (as fts5_aux.c's Fts5Bm25Data)
 * and the map it reads lengths from, freed with the query. */
struct rank_query {
	int phrases;
	double avgdl; /* average row length in tokens */
	double *idf;  /* of each phrase */
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

double
rank_finish(const struct rank_deferred *d, gint64 hits, double partial)
{
	double score = 0.0;
	score += idf_of(d->rows, hits) * partial;
	return -1.0 * score;
}

/* The query's rank_query, made on its first row: the IDF of each phrase
 * from the rows that hold it, as bm25() computes it, unless DEFER (then
 * the IDFs are 1.0 and DEFER->rows is set). */
static int
rank_query_of(const Fts5ExtensionApi *api, Fts5Context *fts, struct mc_db *db,
              struct rank_deferred *defer, struct rank_query **out)
{
	struct rank_query *r = api->xGetAuxdata(fts, 0);
	if (r) {
		*out = r;
		return SQLITE_OK;
	}
	r = g_new0(struct rank_query, 1);
	r->phrases = api->xPhraseCount(fts);
	r->idf = g_new0(double, MAX(r->phrases, 1));
	r->freq = g_new0(double, MAX(r->phrases, 1));
	r->lengths = doclens_new(db);
	sqlite3_int64 rows = 0, tokens = 0;
	int rc = api->xRowCount(fts, &rows);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &tokens);
	if (rc == SQLITE_OK)
		r->avgdl = (double)tokens / (double)rows;
	if (defer)
		defer->rows = rows;
	for (int i = 0; rc == SQLITE_OK && i < r->phrases; i++) {
		sqlite3_int64 hits = 0;
		if (defer)
			r->idf[i] = 1.0;
		else if ((rc = api->xQueryPhrase(fts, i, &hits, count_row)) == SQLITE_OK)
			r->idf[i] = idf_of(rows, hits);
	}
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
	const double k1 = 1.2, b = 0.75; /* bm25()'s */
	struct rank_deferred *defer =
	    argc > 0 ? sqlite3_value_pointer(argv[0], RANK_DEFERRED) : NULL;
	if (defer)
		defer->deferred = api->xPhraseCount(fts) == 1;
	struct rank_query *r;
	int rc = rank_query_of(api, fts, api->xUserData(fts),
	                       defer && defer->deferred ? defer : NULL, &r);
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
	if (defer && defer->deferred) {
		sqlite3_result_double(ctx, (r->freq[0] * (k1 + 1.0)) /
		                               (r->freq[0] + k1 * (1 - b + b * D / r->avgdl)));
		return;
	}
	double score = 0.0;
	for (int i = 0; i < r->phrases; i++)
		score += r->idf[i] * ((r->freq[i] * (k1 + 1.0)) /
		                      (r->freq[i] + k1 * (1 - b + b * D / r->avgdl)));
	sqlite3_result_double(ctx, -1.0 * score);
}

gboolean
rank_register(struct mc_db *db, GError **error)
{
	if (db->rank_registered)
		return TRUE;
	fts5_api *api = tokenizer_fts5_api(db->sql);
	if (!api || api->xCreateFunction(api, "mc_bm25", db, mc_bm25, NULL) != SQLITE_OK) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot register mc_bm25(): %s",
		            sqlite3_errmsg(db->sql));
		return FALSE;
	}
	db->rank_registered = TRUE;
	return TRUE;
}
