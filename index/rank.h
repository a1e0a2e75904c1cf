/* mc_bm25(fts): FTS5's bm25() with the document lengths of doclens.h.
 *
 * The same score, bit for bit (the same formula in the same order, from the
 * same counts), for every row: only where a row's length comes from
 * differs. FTS5 reads it from fts_docsize, a B-tree probe a hit; mc_bm25()
 * from the id map, a few blobs for all of them, and from FTS5 for a length
 * the map does not hold.
 *
 * bm25()'s IDF needs how many rows hold each phrase, which FTS5 finds by
 * reading them all again, a quarter of a common word's ranking. Deferred,
 * mc_bm25() leaves the IDF out and the caller finishes each score with
 * rank_finish() from counts it gets more cheaply: for a query of one phrase
 * they are its hits, for more they are counted on another thread, with a
 * connection of its own, which then reads the newest hits while the
 * caller reads the others (rank_job_start()). */
#ifndef MC_RANK_H
#define MC_RANK_H

#include <glib.h>

#include "index/db.h"

/* mc_bm25(fts, ?) with a struct rank_deferred bound as a pointer of this
 * type returns, for each row, a blob of one double per phrase: its share
 * of the score before the IDF weighs it. */
#define RANK_DEFERRED "mc_rank_deferred"
struct rank_deferred {
	int phrases;         /* set by mc_bm25() */
	gint64 rows, tokens; /* in the table, as mc_bm25()'s connection sees it */
};

/* What bm25()'s IDF needs. */
struct rank_counts {
	gint64 rows, tokens; /* in the table */
	int phrases;
	gint64 *hits; /* the rows holding each phrase; owned, rank_counts_clear() */
};
void rank_counts_clear(struct rank_counts *c);

/* bm25()'s IDF of each of C's phrases: C->phrases doubles, g_free() them.
 * Once a query: a logarithm a hit was a tenth of ranking a common word. */
double *rank_idf(const struct rank_counts *c);

/* The score bm25() gives a row whose deferred shares are PARTIAL, weighed
 * by IDF from rank_idf() (PHRASES of each). */
double rank_finish(const double *idf, int phrases, const double *partial);

/* The rows of MATCH with rowids from LO to HI, in rowid order, and their
 * deferred shares. */
struct rank_hits {
	GArray *ids;    /* gint64 */
	GArray *shares; /* double, defer.phrases a hit; NULL when RANKS */
	GArray *ranks;  /* double, a hit's score (rank_walk_phrases()); or NULL */
	struct rank_deferred defer;
};
void rank_hits_clear(struct rank_hits *h);

/* Sets H (cleared first) to the rows of MATCH from LO to HI on DB's
 * connection. FALSE and ERROR on a database error. */
gboolean rank_collect(struct mc_db *db, const char *match, gint64 lo, gint64 hi,
                      struct rank_hits *h, GError **error);

/* Starts, on a thread with its own read connection to the index at PATH,
 * counting what the IDF of the phrases of MATCH needs (nothing for one
 * phrase), then rank_collect() from LO to HI. Never NULL. */
struct rank_job *rank_job_start(const char *path, const char *match, gint64 lo, gint64 hi);

/* Waits for JOB and frees it. TRUE with HITS and COUNTS set (free them with
 * rank_hits_clear() and rank_counts_clear(); COUNTS has no phrases when
 * MATCH found nothing); FALSE and ERROR when it could not, or when it read
 * another full text than DB's connection reads (a commit came between). */
gboolean rank_job_finish(struct rank_job *job, struct mc_db *db, struct rank_hits *hits,
                         struct rank_counts *counts, GError **error);

/* Ranks MATCH, the phrases PHRASES (the MATCH text of each, in FTS5's
 * order) joined by AND (RANK_ALL) or by OR (RANK_ANY), or one alone, by
 * walking each phrase's rows once, its count and its instances in each row
 * together, the phrases shared between this thread and another with a
 * connection of its own; the hits are where the walks meet (RANK_ALL) or
 * every row of any (RANK_ANY), then only those in KEEP (sorted ids) when
 * it is not NULL. Sets H and C (cleared first) as rank_collect()
 * and rank_count() would, but each hit's score in H->ranks (bm25()'s, bit
 * for bit) instead of its shares: the same ids, scores and counts, all read in
 * DB's read transaction (or one of its own, when the caller has none):
 * when the other thread read another full text (a commit came between),
 * the phrases are walked again on DB's connection alone. RANK_WALK_FAILED
 * and ERROR on a database error; H and C are cleared unless
 * RANK_WALK_DONE. */
enum rank_walk_result {
	RANK_WALK_DONE,
	RANK_WALK_AGAIN,
	RANK_WALK_FAILED,
};
enum rank_join {
	RANK_ALL,
	RANK_ANY,
};
enum rank_walk_result rank_walk_phrases(struct mc_db *db, const GPtrArray *phrases,
                                        const char *match, enum rank_join join, const GArray *keep,
                                        struct rank_hits *h, struct rank_counts *c, GError **error);

/* The same counts on DB's connection (no other statement of it running). */
gboolean rank_count(struct mc_db *db, const char *match, struct rank_counts *c, GError **error);

/* Registers mc_bm25() and mc_bm25_counts() on DB's connection (once; DB
 * must outlive it). FALSE and ERROR when FTS5 refuses them. */
gboolean rank_register(struct mc_db *db, GError **error);

#endif
