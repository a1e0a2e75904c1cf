/* Saving a project's new attachments during ingest (save_attachments). */
#include "config.h"

#include <stdio.h>

#include "common/paths.h"
#include "common/plural.h"
#include "common/interrupt.h"
#include "index/autosave.h"
#include "index/db.h"
#include "index/load.h"
#include "index/saved-files.h"
#include "ingest/save.h"

static gboolean
any_autosave(const struct mc_config *cfg)
{
	for (guint i = 0; i < cfg->projects->len; i++)
		if (((struct mc_project_config *)g_ptr_array_index(cfg->projects, i))
		        ->save_attachments)
			return TRUE;
	return FALSE;
}

gboolean
autosave_prepare(struct mc_db *db, const struct mc_config *cfg, GError **error)
{
	if (!any_autosave(cfg))
		return TRUE;
	g_autoptr(sqlite3_stmt) mark =
	    db_prepare(db,
	               "INSERT OR IGNORE INTO autosave (client, project, since_message) "
	               "SELECT ?1, ?2, coalesce(max(id), 0) FROM messages",
	               error);
	if (!mark)
		return FALSE;
	for (guint i = 0; i < cfg->projects->len; i++) {
		const struct mc_project_config *p = g_ptr_array_index(cfg->projects, i);
		if (!p->save_attachments)
			continue;
		sqlite3_reset(mark);
		sqlite3_bind_text(mark, 1, p->client, -1, SQLITE_STATIC);
		sqlite3_bind_text(mark, 2, p->key, -1, SQLITE_STATIC);
		if (sqlite3_step(mark) != SQLITE_DONE)
			return db_set_error(error, db, "marking where save_attachments starts");
	}
	return TRUE;
}

/* Saves the attachments of project P's messages newer than its autosave row
 * that are not saved yet, and records each message saved whole. */
static gboolean
autosave_project(struct mc_db *db, const struct mc_config *cfg, const struct mc_project_config *p,
                 const char *root, struct save_run *run, GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	{
		g_autoptr(sqlite3_stmt) st = db_prepare(
		    db,
		    "SELECT f.message FROM filings f JOIN autosave a ON a.client = f.client AND "
		    "a.project = f.project WHERE f.client = ?1 AND f.project = ?2 AND "
		    "f.message > a.since_message AND NOT EXISTS (SELECT 1 FROM autosaved d WHERE "
		    "d.client = f.client AND d.project = f.project AND d.message = f.message) "
		    "ORDER BY f.message",
		    error);
		if (!st)
			return FALSE;
		sqlite3_bind_text(st, 1, p->client, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->key, -1, SQLITE_STATIC);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(st, 0);
			g_array_append_val(ids, id);
		}
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "listing a project's new mail");
	}
	g_autoptr(GPtrArray) dests = g_ptr_array_new_with_free_func(save_destination_free);
	g_ptr_array_add(dests, save_project_destination(cfg, p, root));
	/* Only the counts are printed, as the rest of ingest's output. */
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(sqlite3_stmt) done = db_prepare(
	    db, "INSERT OR IGNORE INTO autosaved (message, client, project) VALUES (?1, ?2, ?3)",
	    error);
	if (!done)
		return FALSE;
	/* ^C or SIGTERM stops it between messages: the rest is saved by the
	 * next run. */
	for (guint i = 0; i < ids->len && !interrupt_caught(); i++) {
		gint64 id = g_array_index(ids, gint64, i);
		g_autoptr(stored_message) r = load_message(db, id, error);
		if (!r)
			return FALSE;
		guint before = save_run_counts(run)->failed;
		if (!save_run_message(run, dests, r, FALSE, out, error))
			return FALSE;
		g_string_truncate(out, 0);
		/* A message with a failure is tried again by the next run. */
		if (save_run_counts(run)->failed > before)
			continue;
		sqlite3_reset(done);
		sqlite3_bind_int64(done, 1, id);
		sqlite3_bind_text(done, 2, p->client, -1, SQLITE_STATIC);
		sqlite3_bind_text(done, 3, p->key, -1, SQLITE_STATIC);
		if (sqlite3_step(done) != SQLITE_DONE)
			return db_set_error(error, db, "recording saved attachments");
#ifdef MC_TEST_HOOKS
		if (i == 0)
			interrupt_test_pause("MAILCLERK_TEST_PAUSE_SAVE");
#endif
	}
	return TRUE;
}

gboolean
autosave_run(struct mc_db *db, const struct mc_config *cfg, guint *failed, GError **error)
{
	*failed = 0;
	if (!any_autosave(cfg))
		return TRUE;
	g_autofree char *root = paths_attachments_root(cfg, db->path);
	g_autoptr(save_run) run = save_run_new(db, cfg, root, FALSE, error);
	if (!run)
		return FALSE;
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < cfg->projects->len && !interrupt_caught(); i++) {
		const struct mc_project_config *p = g_ptr_array_index(cfg->projects, i);
		if (p->save_attachments)
			ok = autosave_project(db, cfg, p, root, run, error);
	}
	const struct save_counts *n = save_run_counts(run);
	*failed = n->failed;
	if (n->saved || n->moved || n->duplicates || n->failed)
		printf("ingest: saved %u attachment%s into project folders (%u moved, %u "
		       "duplicate%s, %u failed)\n",
		       n->saved, PLURAL_S(n->saved), n->moved, n->duplicates,
		       PLURAL_S(n->duplicates), n->failed);
	return ok;
}
