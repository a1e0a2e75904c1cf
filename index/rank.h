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

/* Registers mc_bm25() on DB's connection (once; DB must outlive it). FALSE
 * and ERROR when FTS5 refuses it. */
gboolean rank_register(struct mc_db *db, GError **error);

#endif
