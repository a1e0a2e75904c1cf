/* The full-text index's segments, and the merging that keeps them few.
 *
 * FTS5 writes each batch's words as a new segment and merges segments of a
 * level four at a time (automerge), so a big index has a dozen or more. A
 * search that tests messages one by one (query/search.c's walk) looks every
 * word up in every segment: at a million messages, 15 segments made a
 * two-word test ~15 times dearer than one. After a run that changed the
 * index, fts_merge_after_run() merges: all segments into one once the others
 * hold as many pages as the largest (so each page is rewritten about twice
 * over the index's growth), otherwise the smaller ones, in work proportional
 * to what the run added. Each step is a transaction of its own.
 *
 * During a run, fts_policy_apply()'s settings keep FTS5's own merging
 * small: a batch's words make one segment, not one a megabyte, and levels
 * merge sixteen at a time, not four. */
#ifndef MC_FTS_MERGE_H
#define MC_FTS_MERGE_H

#include <glib.h>

#include "common/progress.h"
#include "index/db.h"

/* Merges segments after a run that added, removed or rewrote CHANGED
 * messages (nothing when 0), outside any transaction, showing its pages
 * on BAR; stops early, with what it merged committed, when interrupted. FALSE and ERROR on a
 * database error (the step that failed is rolled back). Its merges of the smaller segments need
 * fts_policy_apply()'s usermerge, set at the writer's start. */
gboolean fts_merge_after_run(struct mc_db *db, guint64 changed, struct progress *bar,
                             GError **error);

/* Sets the index's FTS5 settings for a writer (kept in fts_config; written
 * only when they differ, so one run of an index written by an older
 * mailclerk sets them). FALSE and ERROR on a database error. */
gboolean fts_policy_apply(struct mc_db *db, GError **error);

#endif
