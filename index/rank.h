/* mc_bm25(fts): FTS5's bm25() with the document lengths of doclens.h.
 *
 * The same score, bit for bit (the same formula in the same order, from the
 * same counts), for every row: only where a row's length comes from
 * differs. FTS5 reads it from fts_docsize, a B-tree probe a hit; mc_bm25()
 * from the id map, a few blobs for all of them, and from FTS5 for a length
 * the map does not hold. */
#ifndef MC_RANK_H
#define MC_RANK_H

#include <glib.h>

#include "index/db.h"

/* mc_bm25(fts, ?) with a struct rank_deferred bound as a pointer of type
 * RANK_DEFERRED: for a query of one phrase, whose rows are all the rows
 * that hold the phrase, their count is the count the IDF needs, which FTS5
 * would otherwise find by reading them all a second time. mc_bm25() then
 * returns the score without its IDF and sets DEFERRED and ROWS; the caller
 * counts the rows and finishes each score with rank_finish(). */
#define RANK_DEFERRED "mc_rank_deferred"
struct rank_deferred {
	gboolean deferred;
	gint64 rows; /* in the table */
};

/* The score bm25() gives a row of PARTIAL (mc_bm25()'s deferred score) in
 * a query of one phrase held by HITS rows. */
double rank_finish(const struct rank_deferred *d, gint64 hits, double partial);

/* Registers mc_bm25() on DB's connection (once; DB must outlive it). FALSE
 * and ERROR when FTS5 refuses it. */
gboolean rank_register(struct mc_db *db, GError **error);

#endif
