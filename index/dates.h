/* A compact map from message id to date, for sorting full-text hits.
 *
 * "Newest first" over a word that half the mail contains means looking up
 * the date of thousands of hits; a B-tree probe each was half the time of
 * such a search. The dates live instead in blobs of DATES_CHUNK ids
 * (table message_dates, 8 bytes an id, little-endian seconds), so a search
 * reads a few blobs and looks dates up in an array. The writer keeps the
 * blobs in step with messages inside its own transactions, and with them
 * the newest date of each chunk (table message_date_newest), where a page
 * read from the highest id down may stop. */
#ifndef MC_DATES_H
#define MC_DATES_H

#include <glib.h>

#include "index/db.h"
#include "index/idmap.h"

#define DATES_CHUNK IDMAP_CHUNK
/* Fewer hits than this in a chunk are looked up row by row
 * (dates_get_sorted()): a blob costs about as much as this many lookups.
 * They read the covering (id, date) index, 16 bytes an entry, not the
 * message rows: fewer pages, read cold by every search (134 lookups at
 * 250,000 messages: 3.8 ms, against 4.5 to 20 ms through the rows). A
 * lookup reads a leaf of its own where the ids are sparse: 15-20 us each
 * on a machine whose page faults cost 10 us. */
#define DATES_SPARSE 48

struct dates;

/* Returns a map reading (and, for the writer, writing) DB, which must
 * outlive it. Free with dates_free(). */
struct dates *dates_new(struct mc_db *db);
void dates_free(struct dates *d);
typedef struct dates dates;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(dates, dates_free)

/* Sets *DATE to the date of message ID (0 when unknown). FALSE and ERROR on
 * a database error. */
gboolean dates_get(struct dates *d, gint64 id, gint64 *date, GError **error);

/* Sets DATES[i] to the date of IDS[i] (0 when unknown) for N ids in
 * ascending order (in any order within one chunk). A chunk holding many
 * of them is read whole; one holding a few, their message rows each: a
 * rare word's hits are one or two a chunk, and reading a 32 KB blob for
 * each cost most of such a search. FALSE and ERROR on a database error. */
gboolean dates_get_sorted(struct dates *d, const gint64 *ids, gint64 *out, gsize n, GError **error);

/* Records DATE (UTC seconds, as messages.date) for message ID; written
 * by dates_flush(). */
gboolean dates_set(struct dates *d, gint64 id, gint64 date, GError **error);

/* Has the newest date of ID's chunk written again by dates_flush(), from
 * its blob, whatever the table says (a message read again by reindex). */
void dates_touch(struct dates *d, gint64 id);

/* Writes the changed blobs and their chunks' newest dates; call inside the
 * transaction, before COMMIT. */
gboolean dates_flush(struct dates *d, GError **error);

/* Returns an array of *N dates, one for each chunk of DATES_CHUNK ids up
 * to the one holding LAST_ID: no message of that chunk or of a lower one
 * is dated later (G_MININT64 while they hold none). Free with g_free().
 * NULL and ERROR on a database error. */
gint64 *dates_newest_upto(struct mc_db *db, gint64 last_id, gsize *n, GError **error);

/* Forgets what was read or set (after a ROLLBACK). */
void dates_forget(struct dates *d);

#endif
