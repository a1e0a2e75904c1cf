/* Running a compiled query: the ids it matches, their count, snippets. */
#ifndef MC_SEARCH_H
#define MC_SEARCH_H

#include <glib.h>

#include "index/db.h"
#include "query/query.h"

enum search_sort { SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE };

/* Returns TRUE and sets *SORT for "newest", "oldest", "relevance". */
gboolean search_parse_sort(const char *name, enum search_sort *sort, GError **error);

/* Returns the ids (gint64) of messages matching Q in SORT order, after
 * skipping OFFSET, at most LIMIT (-1: all); the caller unrefs it. NULL and
 * ERROR on a database error. */
GArray *search_ids(struct mc_db *db, const struct query *q, enum search_sort sort, gint64 limit,
                   gint64 offset, GError **error);

/* Returns the ids (gint64) of the messages of thread THREAD, oldest first;
 * the caller unrefs it. NULL and ERROR on a database error. */
GArray *search_thread(struct mc_db *db, gint64 thread, GError **error);

/* Returns the number of messages matching Q, or -1 and sets ERROR. */
gint64 search_count(struct mc_db *db, const struct query *q, GError **error);

/* Returns the snippets of the N messages IDS for the FTS5 expression
 * HIGHLIGHT, the matched words between OPEN and CLOSE: a table from gint64 *
 * ids to strings, holding the messages whose text (not an HTML alternative's
 * alone) matched and can be shown. The caller unrefs it; NULL and ERROR on a
 * database error. */
GHashTable *search_snippets(struct mc_db *db, const gint64 *ids, guint n, const char *highlight,
                            const char *open, const char *close, GError **error);

/* Returns the start of message ID's body as a one-line preview, for a hit
 * that has no snippet (it matched through a non-text term); "" when there
 * is none. The caller frees it. */
char *search_preview(struct mc_db *db, gint64 id);

/* Resolves a user's message reference: an integer id or "id:<Message-ID>".
 * Returns the id, or 0 and sets ERROR (MC_ERROR_USAGE for a malformed
 * reference, MC_ERROR_NOT_FOUND for no such message). */
gint64 search_resolve_id(struct mc_db *db, const char *ref, GError **error);

/* Resolves a user's thread reference: "thread:N", or a message reference as
 * search_resolve_id() takes, for that message's thread. Returns the thread
 * id, or 0 and sets ERROR (MC_ERROR_USAGE for a malformed reference,
 * MC_ERROR_NOT_FOUND for no such message or thread). */
gint64 search_resolve_thread(struct mc_db *db, const char *ref, GError **error);

#endif
