/* Running a compiled query and loading what the output formats print. */
#ifndef MC_SEARCH_H
#define MC_SEARCH_H

#include <glib.h>

#include "common/message.h"
#include "index/db.h"
#include "query/query.h"

enum search_sort { SORT_NEWEST, SORT_OLDEST, SORT_RELEVANCE };

/* Returns TRUE and sets *SORT for "newest", "oldest", "relevance". */
gboolean search_parse_sort(const char *name, enum search_sort *sort, GError **error);

/* One message as the formats print it; every field owned by the struct. */
struct result {
	gint64 id;
	char *message_id;
	gint64 thread;
	gint64 date;
	char *subject;
	int direction;          /* 0 in, 1 out */
	struct mc_address from; /* role from; name/address "" when missing */
	GPtrArray *to;          /* struct mc_address * */
	GPtrArray *cc;          /* struct mc_address * */
	GPtrArray *folders;     /* char *, distinct, sorted */
	GPtrArray *files;       /* char *, absolute paths of every copy */
	GPtrArray *locations;   /* struct result_location *, every copy */
	GPtrArray *attachments; /* struct mc_attachment * (inline parts included) */
	GPtrArray *clients;     /* char *, client keys it is filed under, sorted */
	GPtrArray *projects;    /* char *, "CLIENT/KEY" of its projects, sorted */
	char *snippet;          /* UTF-8, may be "" */
};

struct result_location {
	char *kind; /* maildir, mbox, file */
	char *path;
	gint64 offset;
	gint64 length;
	char *folder;
};

void result_free(struct result *r);
typedef struct result result;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(result, result_free)

/* Returns the ids (gint64) of messages matching Q in SORT order, after
 * skipping OFFSET, at most LIMIT (-1: all); the caller unrefs it. NULL and
 * ERROR on a database error. */
GArray *search_ids(struct mc_db *db, const struct query *q, enum search_sort sort, gint64 limit,
                   gint64 offset, GError **error);

/* Returns the number of messages matching Q, or -1 and sets ERROR. */
gint64 search_count(struct mc_db *db, const struct query *q, GError **error);

/* Returns the snippets of the N messages IDS for the FTS5 expression
 * HIGHLIGHT, the matched words between OPEN and CLOSE: a table from gint64 *
 * ids to strings, holding the messages whose text matched. One pass over the
 * index for all of them (FTS5 seeks a row of a common word slowly). The
 * caller unrefs it; NULL and ERROR on a database error. */
GHashTable *search_snippets(struct mc_db *db, const gint64 *ids, guint n, const char *highlight,
                            const char *open, const char *close, GError **error);

/* Loads message ID with SNIPPET as its snippet; NULL makes it the start of
 * the body. Returns a result the caller frees with result_free(), or NULL
 * and sets ERROR (MC_ERROR_FAILED when there is no such message). */
struct result *search_load(struct mc_db *db, gint64 id, const char *snippet, GError **error);

/* Returns the path of a copy from its locations and containers columns: a
 * maildir copy is CONTAINER/SUB/NAME+INFO, an mbox or file copy is the
 * CONTAINER itself. The caller frees it. */
char *search_location_path(const char *kind, const char *container, const char *sub,
                           const char *name, const char *info);

/* Resolves a user's message reference: an integer id or "id:<Message-ID>".
 * Returns the id, or 0 and sets ERROR (MC_ERROR_USAGE for a malformed
 * reference, MC_ERROR_FAILED for no such message). */
gint64 search_resolve_id(struct mc_db *db, const char *ref, GError **error);

/* Returns "now" in UTC seconds: MAILCLERK_NOW (YYYY-MM-DD, an ISO 8601 time
 * or epoch seconds) when set, for reproducible tests and reports; else the
 * clock. Returns -1 and sets ERROR when MAILCLERK_NOW is malformed. */
gint64 search_now(GError **error);

/* Returns TEXT (YYYY-MM-DD, ISO 8601 or epoch seconds) as UTC seconds, or -1
 * and sets ERROR naming WHAT (an option or variable). */
gint64 search_parse_time(const char *what, const char *text, GError **error);

#endif
