/* Each message's full-text length in tokens, over all the columns of fts,
 * as FTS5's bm25() divides by it (rank.c).
 *
 * Ranking a common word by relevance needs it for every hit, and FTS5 reads
 * it from fts_docsize with a B-tree probe a hit: a third of such a search
 * at a million messages. The lengths live instead in an id map (idmap.h,
 * table message_doclens, 2 bytes an id) that the writer keeps in step with
 * the text inside its own transactions. DOCLEN_UNKNOWN stands for a length
 * the map does not hold: an id never recorded, or a text of that many
 * tokens or more; the ranking then asks FTS5. */
#ifndef MC_DOCLENS_H
#define MC_DOCLENS_H

#include <glib.h>

#include "index/db.h"

#define DOCLEN_UNKNOWN 0xFFFF

struct doclens;

/* Returns a map reading (and, for the writer, writing) DB, which must
 * outlive it. Free with doclens_free(). */
struct doclens *doclens_new(struct mc_db *db);
void doclens_free(struct doclens *d);
typedef struct doclens doclens;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(doclens, doclens_free)

/* Sets *TOKENS to the length of message ID's text, DOCLEN_UNKNOWN when the
 * map does not hold it. FALSE and ERROR on a database error. */
gboolean doclens_get(struct doclens *d, gint64 id, guint *tokens, GError **error);

/* Records the length FTS5 has just stored for message ID's text (its
 * fts_docsize row, written in this transaction); written by
 * doclens_flush(). */
gboolean doclens_record(struct doclens *d, gint64 id, GError **error);

/* Writes the changed blobs; call inside the transaction, before COMMIT. */
gboolean doclens_flush(struct doclens *d, GError **error);

/* Forgets what was read or recorded (after a ROLLBACK). */
void doclens_forget(struct doclens *d);

/* Records the length of every message in the full-text index, inside the
 * caller's transaction (the migration that adds the map). */
gboolean doclens_rebuild(struct mc_db *db, GError **error);

#endif
