/* An ingest run: sources scanned on the calling thread, messages parsed on a
 * pool of worker threads, and everything written by one writer thread in
 * large transactions. */
#ifndef MC_PIPELINE_H
#define MC_PIPELINE_H

#include <glib.h>

#include "common/conf.h"
#include "index/rules.h"
#include "index/writer.h"
#include "ingest/source.h"

struct ingest_report {
	struct writer_stats stats;
	guint64 scanned;        /* messages read and parsed */
	guint64 skipped;        /* files or messages reported and not indexed */
	guint64 skipped_known;  /* ...by an earlier run, unchanged since: not parsed again */
	guint64 sources_failed; /* sources that could not be read at all */
	gboolean interrupted;   /* a signal stopped the run (common/interrupt.h): what
	                         * was parsed is committed, nothing is recorded as
	                         * scanned or removed, and the next run goes on */
	double seconds;
};

/* Runs every source in SOURCES (struct source *) into the index at DB_PATH,
 * filing new messages with FILING_RULES (may be NULL).
 * The caller must hold the ingest lock. Returns FALSE and sets ERROR when the
 * index could not be written; REPORT is filled either way. */
gboolean pipeline_run(const char *db_path, const struct mc_config *cfg,
                      const struct rules *filing_rules, GPtrArray *sources,
                      struct ingest_report *report, GError **error);

#endif
