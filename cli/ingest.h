/* One ingest run as `mailclerk ingest` does it, for ingest and watch (cli/cmd-ingest.c). */
#ifndef MC_CLI_INGEST_H
#define MC_CLI_INGEST_H

#include <glib.h>

#include "cli/command.h"

/* What a run for `mailclerk watch` does differently: one summary line, and
 * only when the index changed; a busy lock waited for without end; an IMAP
 * outage said when it starts and when it ends. */
struct ingest_watch {
	const char *label;            /* the sources' names, for the summary line */
	const GPtrArray *cfg_sources; /* the configuration's sources */
	gint *imap_down;              /* one per CFG_SOURCES, in memory shared with the child
	                               * (MAP_SHARED): set while that IMAP source fails */
	gboolean first;               /* the watch's first run: says what only needs saying once */
};

/* Ingests SOURCES (struct source *; the child adds the store folders of
 * IMAP_SOURCES, const struct mc_source_config *, after fetching them) in a
 * supervised child (index/supervise.h), which takes the writer lock only
 * after fetching. WATCH is NULL for `mailclerk ingest`. Returns the exit
 * status (enum mc_exit). Call it with no thread started. */
int ingest_run_sources(struct command_env *env, GPtrArray *sources, GPtrArray *imap_sources,
                       const struct ingest_watch *watch);

#endif
