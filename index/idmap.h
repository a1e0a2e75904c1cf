/* A compact map from message id to a small fixed-width number, kept in the
 * index as blobs of IDMAP_CHUNK ids each (a table of (chunk INTEGER PRIMARY
 * KEY, <column> BLOB)), little-endian. Looking a number up is an array
 * index once its blob is read: a search that needs one for each of
 * thousands of hits reads a few blobs rather than probing a B-tree for
 * each. The date map (dates.c) and the document lengths of ranking
 * (doclens.c) are two. */
#ifndef MC_IDMAP_H
#define MC_IDMAP_H

#include <glib.h>

#include "index/db.h"

#define IDMAP_CHUNK 4096

struct idmap;

/* Returns a map of WIDTH-byte numbers (2 or 8) in TABLE's COLUMN on DB,
 * which must outlive it; an id its blobs do not hold reads as UNSET. TABLE
 * and COLUMN are names of the schema, never user text. Free with
 * idmap_free(). */
struct idmap *idmap_new(struct mc_db *db, const char *table, const char *column, guint width,
                        guint64 unset);
void idmap_free(struct idmap *m);
typedef struct idmap idmap;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(idmap, idmap_free)

/* Sets *VALUE to the number of ID, reading its chunk's blob when not read
 * yet. FALSE and ERROR on a database error. */
gboolean idmap_get(struct idmap *m, gint64 id, guint64 *value, GError **error);

/* Sets VALUES[i] to the number of IDS[i], for N ids all in one chunk: from
 * the chunk when it has been read, else straight from its blob, which is
 * not kept (a search's hits read each chunk once: keeping them all was 8 MB
 * of new memory for a word in 4 % of a million messages). FALSE and ERROR
 * on a database error. */
gboolean idmap_get_once(struct idmap *m, const gint64 *ids, guint64 *values, gsize n,
                        GError **error);

/* Whether the chunk holding ID has been read (or written) already. */
gboolean idmap_has_chunk(struct idmap *m, gint64 id);

/* Records VALUE for ID, written by idmap_flush(). */
gboolean idmap_set(struct idmap *m, gint64 id, guint64 value, GError **error);

/* Writes the changed blobs; call inside the transaction, before COMMIT. */
gboolean idmap_flush(struct idmap *m, GError **error);

/* Forgets what was read or set (after a ROLLBACK, or before reading what
 * another connection may have written since). */
void idmap_forget(struct idmap *m);

#endif
