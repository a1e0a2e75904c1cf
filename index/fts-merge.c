/* The full-text index's segment policy: merging after an ingest run. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>

#include "index/fts-merge.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "common/progress.h"

/* Pages one merge step writes, in a transaction of its own: a kill loses at
 * most this much work (about 0.2 s), and a reader meanwhile
 * sees the index before or after each step. */
#define MERGE_STEP_PAGES 2000
/* Merging the smaller segments after a run: this many pages of merge work
 * for each page the run added (100,000 messages onto 350,000 in one
 * segment: left two, about a second of work; once as many left four). */
#define MERGE_PAGES_PER_PAGE_ADDED 2

/* FTS5 holds a transaction's new words in memory and writes them as a
 * segment when they pass hashsize (1 MiB by default) and at the commit. A
 * batch of 5,000 messages held a few MB of them: at 16 MiB each was one
 * segment (peak RSS grew 1 MB); a batch now (index/pipeline.c: 50,000
 * messages or 10 s) writes a segment every 16 MiB. */
#define FTS_HASHSIZE (16 * 1024 * 1024)
/* FTS5 merges the segments of a level once it has automerge of them (4 by
 * default), and each level a page climbs rewrites it: at 16 it climbs
 * fewer. With the hashsize above, a 100,000-message run into a million
 * took 5 % less time (HACKING, "Fewer rewrites during a run").
 * fts_merge_after_run() leaves few segments either way. */
#define FTS_AUTOMERGE 16
/* 'merge' with a positive count (fts_merge_after_run()) merges the level
 * with the most segments once it has usermerge of them: two, so that a
 * run's new segments end as one. */
#define FTS_USERMERGE 2

gboolean
fts_policy_apply(struct mc_db *db, GError **error)
{
	static const struct {
		const char *key;
		gint64 value;
	} settings[] = { { "hashsize", FTS_HASHSIZE },
		         { "automerge", FTS_AUTOMERGE },
		         { "usermerge", FTS_USERMERGE } };
	for (gsize i = 0; i < G_N_ELEMENTS(settings); i++) {
		sqlite3_stmt *get = db_cached(db, "SELECT v FROM fts_config WHERE k = ?", error);
		if (!get)
			return FALSE;
		sqlite3_bind_text(get, 1, settings[i].key, -1, SQLITE_STATIC);
		int rc = sqlite3_step(get);
		gboolean same = rc == SQLITE_ROW && sqlite3_column_type(get, 0) == SQLITE_INTEGER &&
		                sqlite3_column_int64(get, 0) == settings[i].value;
		sqlite3_reset(get);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_set_error(error, db, "reading the full-text index's settings");
		if (same)
			continue;
		sqlite3_stmt *set =
		    db_cached(db, "INSERT INTO fts (fts, rank) VALUES (?, ?)", error);
		if (!set)
			return FALSE;
		sqlite3_bind_text(set, 1, settings[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(set, 2, settings[i].value);
		rc = sqlite3_step(set);
		sqlite3_reset(set);
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "writing the full-text index's settings");
	}
	return TRUE;
}

static gint64
merge_step_pages(void)
{
#ifdef MC_TEST_HOOKS
	/* Tests set a small step, so that a small index takes several. */
	const char *n = g_getenv("MAILCLERK_TEST_MERGE_STEP");
	if (n && atoi(n) > 0)
		return atoi(n);
#endif
	return MERGE_STEP_PAGES;
}

/* The index's segments: how many, their leaf pages and the largest's. */
struct fts_shape {
	gint64 segments;
	gint64 pages;
	gint64 largest;
};

/* Sets *SHAPE. FALSE and ERROR on a database error. */
static gboolean
fts_shape_read(struct mc_db *db, struct fts_shape *shape, GError **error)
{
	/* fts_idx holds, for each segment, the first term of its leaf pages
	 * with the page number (shifted left by one, the low bit a flag): the
	 * last is about the segment's size. FTS5 has no public call that says
	 * this (its structure record's layout changes between versions). */
	sqlite3_stmt *s = db_cached(db,
	                            "SELECT count(*), total(pages), max(pages) FROM "
	                            "(SELECT max(pgno) >> 1 AS pages FROM fts_idx GROUP BY segid)",
	                            error);
	if (!s)
		return FALSE;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		shape->segments = sqlite3_column_int64(s, 0);
		shape->pages = (gint64)sqlite3_column_double(s, 1);
		shape->largest = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ||
	       db_set_error(error, db, "reading the full-text index's segments");
}

/* One merge step of up to PAGES pages (negative: of the merge of every
 * segment into one, as 'optimize'), in its own transaction. Sets *WORKED
 * to whether it found anything to merge. */
static gboolean
merge_step(struct mc_db *db, gint64 pages, gboolean *worked, GError **error)
{
	sqlite3_stmt *s = db_cached(db, "INSERT INTO fts (fts, rank) VALUES ('merge', ?)", error);
	if (!s || !db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	sqlite3_int64 before = sqlite3_total_changes64(db->sql);
	sqlite3_bind_int64(s, 1, pages);
	gboolean ok = sqlite3_step(s) == SQLITE_DONE ||
	              db_set_error(error, db, "merging the full-text index");
	sqlite3_reset(s);
	/* FTS5's documented test: two changes or more, it merged something. */
	*worked = sqlite3_total_changes64(db->sql) - before >= 2;
	if (ok && db_commit(db, error))
		return TRUE;
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

gboolean
fts_merge_after_run(struct mc_db *db, guint64 changed, struct progress *bar, GError **error)
{
	struct fts_shape shape = { 0 };
	if (changed == 0)
		return TRUE;
	if (!fts_shape_read(db, &shape, error))
		return FALSE;
	if (shape.segments <= 1)
		return TRUE;
	gint64 step = merge_step_pages();
	/* The others as big as the largest: merge them all into one. Its cost
	 * is the whole index, paid each time the index doubles. */
	gboolean all = shape.pages - shape.largest >= shape.largest;
	gint64 budget = G_MAXINT64;
	if (!all) {
		sqlite3_stmt *s = db_cached(db, "SELECT max(id) FROM messages", error);
		if (!s)
			return FALSE;
		gint64 messages = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		double added = (double)shape.pages * (double)changed / (double)MAX(messages, 1);
		budget = (gint64)(MERGE_PAGES_PER_PAGE_ADDED * MIN(added, (double)shape.pages));
	}
	gboolean worked = TRUE;
	for (gint64 done = 0; worked && done < budget && !interrupt_caught(); done += step) {
		if (!merge_step(db, all ? -step : MIN(step, budget - done), &worked, error))
			return FALSE;
		/* A merge of all writes about the whole index again (15-20 s at
		 * a million messages): the terminal says so. */
		progress_update_what(bar, "merging the full-text index", "pages", done + step,
		                     all ? shape.pages : budget);
#ifdef MC_TEST_HOOKS
		/* Tests die here, as kill -9 would, once this many steps are
		 * committed: the index must be sound mid-merge. */
		const char *crash = g_getenv("MAILCLERK_TEST_MERGE_CRASH");
		if (crash && atoi(crash) > 0 && done / step + 1 >= atoi(crash))
			raise(SIGKILL);
#endif
	}
	return TRUE;
}
