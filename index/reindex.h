/* Reading messages again from their stored copies (mailclerk reindex):
 * what parsing gives now replaces what an older parse stored — subject,
 * date, sender, direction, addresses, attachments, text — while the
 * message keeps its id, thread, copies, filings and everything recorded
 * about it. Runs on the ingest's pipeline (pipeline-internal.h): parse
 * workers, one writer, a transaction a batch. */
#ifndef MC_REINDEX_H
#define MC_REINDEX_H

#include <glib.h>

#include "common/conf.h"
#include "index/writer.h"

struct reindex_report {
	struct writer_stats stats; /* messages_rewritten and messages_unchanged: this run's */
	guint64 unreadable;        /* left as they were: no copy could be read or parsed */
	gint64 resumed_after;      /* the message a stopped run of the same reindex got to; 0 */
	gboolean interrupted;      /* a signal stopped the run; the next one goes on */
	double seconds;
};

/* Reads again the copies of the messages IDS (gint64, any order; NULL:
 * every message) of the index at DB_PATH, chosen by QUERY ("" for every
 * message; a stopped reindex of the same QUERY is gone on with, not
 * started again), and rewrites what parsing gives where it changed. Each
 * batch is a transaction that records how far the job got; a reindex of
 * every message that reaches its end forgets that the index needed one
 * (reindex_needed). A message none of whose copies can be read, or whose
 * copy now holds another message, is reported on stderr and left as it
 * was. Call it with the writer lock held, in a supervised child
 * (index/supervise.h) so that a message that crashes the parser is
 * skipped. FALSE and ERROR when the index could not be read or written;
 * REPORT is filled either way. */
gboolean reindex_run(const char *db_path, const struct mc_config *cfg, GArray *ids,
                     const char *query, struct reindex_report *report, GError **error);

#endif
