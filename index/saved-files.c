/* The record of saved files (saved_files), and saving through it: a
 * message's files follow it into the folders of its filings. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "common/error.h"
#include "common/sha256.h"
#include "index/load.h"
#include "index/saved-files.h"
#include "ingest/save.h"

/* How a move is kept safe from a crash (saver_move() does the file work,
 * move_begin() is its BEFORE, move_end() follows):
 *   1. the file's rows get the new path, and moving_from the old one
 *      (committed before anything moves);
 *   2. the file is renamed without replacing anything; across file systems
 *      it is copied to a temporary file beside the new name, fsynced and
 *      renamed into place, and only then is the old file removed;
 *   3. moving_from is cleared, and the rows take the new folder's client
 *      and project.
 * A run killed between 1 and 3 leaves rows naming both paths, and the next
 * run decides by what is on disk (recover()): the new path holding the
 * recorded bytes means the move got there (an old file still holding them,
 * a copy across file systems killed before step 2 ended, is removed: its
 * bytes are safe at the new path); else the old path holding them means it
 * did not, and the rows go back; else the user changed or removed the file
 * meanwhile and the rows are forgotten. So the record names the old or the
 * new path at every point, and a file is removed only when another holds
 * its bytes. (A power cut may also lose step 1's commit, synchronous =
 * NORMAL, but not a rename fsynced: the rows then name the old path, which
 * is empty, and are forgotten; the file at the new path is kept as the
 * user's.) Removing a file whose bytes the new folder has already follows
 * the same steps, the rows going to the file that stays. */

struct save_run {
	struct mc_db *db;
	const struct mc_config *cfg;
	char *root;
	gboolean dry_run;
	struct saver *saver;
	GHashTable *gone; /* paths moved away or removed by this run (a dry run's: would be) */
	struct save_counts counts;
	gboolean db_failed; /* set by move_begin() when its error is the database's */
};

/* One row of saved_files. */
struct saved_row {
	char *path;
	gint64 message;
	char *part;
	char *sha256;
	gint64 size;
	gboolean by_project;
	char *client;
	char *project;
};

#define ROW_COLUMNS "path, message, part, sha256, size, by_project, client, project"

static void
saved_row_free(gpointer data)
{
	struct saved_row *row = data;
	g_free(row->path);
	g_free(row->part);
	g_free(row->sha256);
	g_free(row->client);
	g_free(row->project);
	g_free(row);
}

/* Returns the rows ST (selecting ROW_COLUMNS, bound) gives; the caller
 * unrefs them. NULL and ERROR on a database error. */
static GPtrArray *
read_rows(struct save_run *run, sqlite3_stmt *st, GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(saved_row_free);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct saved_row *row = g_new0(struct saved_row, 1);
		row->path = g_strdup(db_column_text(st, 0));
		row->message = sqlite3_column_int64(st, 1);
		row->part = g_strdup(db_column_text(st, 2));
		row->sha256 = g_strdup(db_column_text(st, 3));
		row->size = sqlite3_column_int64(st, 4);
		row->by_project = sqlite3_column_int(st, 5) != 0;
		row->client = g_strdup(db_column_text(st, 6));
		row->project = g_strdup(db_column_text(st, 7));
		g_ptr_array_add(rows, row);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_set_error(error, run->db, "reading the saved files");
		return NULL;
	}
	return g_steal_pointer(&rows);
}

/* Runs ST (bound) to the end. */
static gboolean
run_statement(struct save_run *run, sqlite3_stmt *st, const char *what, GError **error)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || db_set_error(error, run->db, what);
}

/* Runs SQL with the strings that follow, up to a NULL, bound to ?1, ?2... */
static gboolean run_with(struct save_run *run, const char *sql, const char *what, GError **error,
                         ...) G_GNUC_NULL_TERMINATED;

static gboolean
run_with(struct save_run *run, const char *sql, const char *what, GError **error, ...)
{
	sqlite3_stmt *st = db_cached(run->db, sql, error);
	if (!st)
		return FALSE;
	va_list ap;
	va_start(ap, error);
	const char *text;
	for (int i = 1; (text = va_arg(ap, const char *)); i++)
		db_bind_text(st, i, text);
	va_end(ap);
	return run_statement(run, st, what, error);
}

/* Makes the rows of PATH moving from FROM name FROM again, as the move did
 * not happen. */
static gboolean
move_undo(struct save_run *run, const char *from, GError **error)
{
	return run_with(run,
	                "UPDATE OR REPLACE saved_files SET path = moving_from, moving_from = NULL "
	                "WHERE moving_from = ?1",
	                "recording a move undone", error, from, NULL);
}

/* Step 3: the move to TO is done; its rows take CLIENT and PROJECT. */
static gboolean
move_end(struct save_run *run, const char *to, const char *client, const char *project,
         GError **error)
{
	return run_with(run,
	                "UPDATE saved_files SET moving_from = NULL, client = ?2, project = ?3 "
	                "WHERE path = ?1 AND moving_from IS NOT NULL",
	                "recording a move", error, to, client, project, NULL);
}

/* Finishes or undoes each move a killed run left half done (see the top of
 * this file). */
static gboolean
recover(struct save_run *run, GError **error)
{
	g_autoptr(sqlite3_stmt) st =
	    db_prepare(run->db,
	               "SELECT DISTINCT path, moving_from, sha256, size FROM saved_files "
	               "WHERE moving_from IS NOT NULL ORDER BY path",
	               error);
	if (!st)
		return FALSE;
	g_autoptr(GPtrArray) moves = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (int i = 0; i < 4; i++)
			g_ptr_array_add(moves, g_strdup(db_column_text(st, i)));
	if (rc != SQLITE_DONE)
		return db_set_error(error, run->db, "reading unfinished moves");
	for (guint i = 0; i < moves->len; i += 4) {
		const char *to = g_ptr_array_index(moves, i);
		const char *from = g_ptr_array_index(moves, i + 1);
		const char *sha = g_ptr_array_index(moves, i + 2);
		gint64 size = g_ascii_strtoll(g_ptr_array_index(moves, i + 3), NULL, 10);
		const char *sql;
		if (save_file_unchanged(to, size, sha)) {
			if (save_file_unchanged(from, size, sha)) {
				g_autoptr(GError) local = NULL;
				if (!saver_remove(run->saver, from, &local))
					g_printerr("mailclerk: %s\n", local->message);
			}
			g_printerr("mailclerk: finished moving %s → %s (its run was killed)\n",
			           from, to);
			sql = "UPDATE saved_files SET moving_from = NULL WHERE path = ?1 AND "
			      "moving_from = ?2";
		} else if (save_file_unchanged(from, size, sha)) {
			g_printerr("mailclerk: %s stays: its move was killed before it moved\n",
			           from);
			sql = "UPDATE OR REPLACE saved_files SET path = moving_from, moving_from = "
			      "NULL WHERE path = ?1 AND moving_from = ?2";
		} else {
			sql = "DELETE FROM saved_files WHERE path = ?1 AND moving_from = ?2";
		}
		if (!run_with(run, sql, "finishing a move", error, to, from, NULL))
			return FALSE;
	}
	return TRUE;
}

struct save_run *
save_run_new(struct mc_db *db, const struct mc_config *cfg, const char *root, gboolean dry_run,
             GError **error)
{
	g_autoptr(save_run) run = g_new0(struct save_run, 1);
	run->db = db;
	run->cfg = cfg;
	run->root = g_strdup(root);
	run->dry_run = dry_run;
	run->saver = saver_new(dry_run);
	run->gone = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (!dry_run && !recover(run, error))
		return NULL;
	return g_steal_pointer(&run);
}

void
save_run_free(struct save_run *run)
{
	if (!run)
		return;
	g_free(run->root);
	saver_free(run->saver);
	g_hash_table_unref(run->gone);
	g_free(run);
}

const struct save_counts *
save_run_counts(const struct save_run *run)
{
	return &run->counts;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* The client and project saved_files gives DEST's folder. */
static const char *
dest_client(const struct save_destination *d)
{
	return d->filing ? or_empty(d->client) : "";
}

static const char *
dest_project(const struct save_destination *d)
{
	return d->filing ? or_empty(d->project) : "";
}

/* Forgets the rows of PATH: the file there is not what mailclerk wrote (or
 * not there). */
static gboolean
forget_path(struct save_run *run, const char *path, GError **error)
{
	if (run->dry_run)
		return TRUE;
	return run_with(run, "DELETE FROM saved_files WHERE path = ?1 AND moving_from IS NULL",
	                "forgetting a saved file", error, path, NULL);
}

/* Records the file just written at PATH for part PART of message MESSAGE
 * in DEST. Rows naming PATH before are of a file no longer there (its name
 * was free), so they go. */
static gboolean
record_new(struct save_run *run, const char *path, gint64 message, const char *part,
           const char *sha256, gint64 size, const struct save_destination *dest, GError **error)
{
	if (!forget_path(run, path, error))
		return FALSE;
	sqlite3_stmt *st =
	    db_cached(run->db,
	              "INSERT INTO saved_files (path, message, part, sha256, size, by_project, "
	              "client, project, saved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	              error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, message);
	db_bind_text(st, 3, part);
	db_bind_text(st, 4, sha256);
	sqlite3_bind_int64(st, 5, size);
	sqlite3_bind_int(st, 6, dest->filing);
	db_bind_text(st, 7, dest_client(dest));
	db_bind_text(st, 8, dest_project(dest));
	sqlite3_bind_int64(st, 9, g_get_real_time() / G_USEC_PER_SEC);
	return run_statement(run, st, "recording a saved file", error);
}

/* A part whose bytes (SHA256) the folder had at PATH already: recorded
 * against that file only when mailclerk recorded it with those bytes. */
static gboolean
record_duplicate(struct save_run *run, const char *path, gint64 message, const char *part,
                 const char *sha256, const struct save_destination *dest, GError **error)
{
	sqlite3_stmt *st =
	    db_cached(run->db,
	              "INSERT OR IGNORE INTO saved_files (path, message, part, sha256, size, "
	              "by_project, client, project, saved) SELECT ?1, ?2, ?3, sha256, size, ?4, "
	              "client, project, ?5 FROM saved_files WHERE path = ?1 AND sha256 = ?6 AND "
	              "moving_from IS NULL LIMIT 1",
	              error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, path);
	sqlite3_bind_int64(st, 2, message);
	db_bind_text(st, 3, part);
	sqlite3_bind_int(st, 4, dest->filing);
	sqlite3_bind_int64(st, 5, g_get_real_time() / G_USEC_PER_SEC);
	db_bind_text(st, 6, sha256);
	return run_statement(run, st, "recording a saved file", error);
}

/* Forgets ROW alone: its message no longer needs the file, others do. */
static gboolean
forget_row(struct save_run *run, const struct saved_row *row, GError **error)
{
	if (run->dry_run)
		return TRUE;
	sqlite3_stmt *st = db_cached(run->db,
	                             "DELETE FROM saved_files WHERE path = ?1 AND message = ?2 AND "
	                             "part = ?3 AND moving_from IS NULL",
	                             error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, row->path);
	sqlite3_bind_int64(st, 2, row->message);
	db_bind_text(st, 3, row->part);
	return run_statement(run, st, "forgetting a saved file", error);
}

/* The rows of PATH take the client and project of DEST, its folder. */
static gboolean
set_folder(struct save_run *run, const char *path, const struct save_destination *dest,
           GError **error)
{
	return run_with(run,
	                "UPDATE saved_files SET client = ?2, project = ?3 WHERE path = ?1 AND "
	                "moving_from IS NULL",
	                "recording a saved file", error, path, dest_client(dest),
	                dest_project(dest), NULL);
}

/* Returns the filing folder of DESTS that is DIR, or NULL. */
static const struct save_destination *
find_folder(GPtrArray *dests, const char *dir)
{
	for (guint i = 0; i < dests->len; i++) {
		const struct save_destination *d = g_ptr_array_index(dests, i);
		if (d->filing && g_str_equal(d->dir, dir))
			return d;
	}
	return NULL;
}

/* Returns TRUE when DESTS has the filing folder of CLIENT and PROJECT. */
static gboolean
has_key(GPtrArray *dests, const char *client, const char *project)
{
	for (guint i = 0; i < dests->len; i++) {
		const struct save_destination *d = g_ptr_array_index(dests, i);
		if (d->filing && g_str_equal(dest_client(d), client) &&
		    g_str_equal(dest_project(d), project))
			return TRUE;
	}
	return FALSE;
}

/* Sets *WANTS to whether message ID, if still in the index, is filed so
 * that CLIENT and PROJECT's folder is one of its folders. */
static gboolean
message_wants(struct save_run *run, gint64 id, const char *client, const char *project,
              gboolean *wants, GError **error)
{
	*wants = FALSE;
	sqlite3_stmt *st = db_cached(run->db, "SELECT 1 FROM messages WHERE id = ?1", error);
	if (!st)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW)
		return db_set_error(error, run->db, "reading a message");
	g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func(g_free);
	if (!load_filings(run->db, id, clients, projects, error))
		return FALSE;
	g_autoptr(GPtrArray) dests =
	    save_filing_destinations(run->cfg, clients, projects, run->root);
	*wants = has_key(dests, client, project);
	return TRUE;
}

/* Sets *SHARED to whether ROW's file must stay for another: a --to save
 * recorded it, or another message still filed there did. */
static gboolean
file_shared(struct save_run *run, const struct saved_row *row, gboolean *shared, GError **error)
{
	*shared = FALSE;
	sqlite3_stmt *st = db_cached(run->db,
	                             "SELECT " ROW_COLUMNS " FROM saved_files WHERE path = ?1 AND "
	                             "moving_from IS NULL",
	                             error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, row->path);
	g_autoptr(GPtrArray) others = read_rows(run, st, error);
	if (!others)
		return FALSE;
	for (guint i = 0; i < others->len && !*shared; i++) {
		const struct saved_row *o = g_ptr_array_index(others, i);
		if (o->message == row->message && g_str_equal(o->part, row->part))
			continue;
		if (!o->by_project) {
			*shared = TRUE;
		} else if (o->message != row->message &&
		           !message_wants(run, o->message, o->client, o->project, shared, error)) {
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns the files of part A of R that mailclerk saved into folders of
 * filings R no longer has (FILING: the folders it has now) and may move:
 * unchanged and needed there by nothing else. The rest are forgotten, an
 * edited file said "kept" in OUT. The caller unrefs them; NULL and ERROR on
 * a database error. */
static GPtrArray *
movable_files(struct save_run *run, const struct stored_message *r, const struct mc_attachment *a,
              GPtrArray *filing, GString *out, GError **error)
{
	sqlite3_stmt *st = db_cached(run->db,
	                             "SELECT " ROW_COLUMNS " FROM saved_files WHERE message = ?1 "
	                             "AND part = ?2 AND by_project AND moving_from IS NULL "
	                             "ORDER BY path",
	                             error);
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, r->id);
	db_bind_text(st, 2, a->part);
	g_autoptr(GPtrArray) rows = read_rows(run, st, error);
	if (!rows)
		return NULL;
	g_autoptr(GPtrArray) movable = g_ptr_array_new_with_free_func(saved_row_free);
	for (guint i = 0; i < rows->len; i++) {
		struct saved_row *row = g_ptr_array_index(rows, i);
		if (g_hash_table_contains(run->gone, row->path))
			continue;
		g_autofree char *dir = g_path_get_dirname(row->path);
		const struct save_destination *here = find_folder(filing, dir);
		if (here) {
			/* Still one of its folders; a move a killed run finished
			 * left the old folder's names. */
			if (!run->dry_run &&
			    (!g_str_equal(row->client, dest_client(here)) ||
			     !g_str_equal(row->project, dest_project(here))) &&
			    !set_folder(run, row->path, here, error))
				return NULL;
			continue;
		}
		/* A filing it still has whose folder the configuration moved: that
		 * is no refiling, and the file stays. */
		if (has_key(filing, row->client, row->project))
			continue;
		if (!save_file_unchanged(row->path, row->size, row->sha256)) {
			struct stat st_buf;
			if (lstat(row->path, &st_buf) == 0)
				g_string_append_printf(
				    out, "kept %s (changed since it was saved)\n", row->path);
			if (!forget_path(run, row->path, error))
				return NULL;
			continue;
		}
		gboolean shared;
		if (!file_shared(run, row, &shared, error))
			return NULL;
		if (shared) {
			if (!forget_row(run, row, error))
				return NULL;
			continue;
		}
		g_ptr_array_add(movable, g_ptr_array_steal_index(rows, i--));
	}
	return g_steal_pointer(&movable);
}

/* Step 1 of a move (saver_move()'s BEFORE): the rows of FROM name TO. */
static gboolean
move_begin(const char *from, const char *to, gpointer data, GError **error)
{
	struct save_run *run = data;
	/* Rows of a file once at TO are gone with it, as the name is free. */
	run->db_failed =
	    !run_with(run,
	              "DELETE FROM saved_files WHERE path = ?2 AND (moving_from IS NULL OR "
	              "moving_from <> ?1)",
	              "recording a move", error, from, to, NULL) ||
	    !run_with(run,
	              "UPDATE saved_files SET path = ?2, moving_from = ?1 WHERE (path = ?1 AND "
	              "moving_from IS NULL) OR moving_from = ?1",
	              "recording a move", error, from, to, NULL);
	return !run->db_failed;
}

static void
say_failure(struct save_run *run, const struct stored_message *r, const struct mc_attachment *a,
            const GError *error)
{
	fprintf(stderr, "mailclerk: message %" G_GINT64_FORMAT " part %s: %s\n", r->id, a->part,
	        error->message);
	run->counts.failed++;
}

/* Moves ROW's file into DEST. Sets *PATH to its new path and returns 1, or
 * returns 0 when it could not be moved (said on stderr), -1 and ERROR on a
 * database error. */
static int
move_file(struct save_run *run, const struct save_destination *dest, const struct stored_message *r,
          const struct mc_attachment *a, const struct saved_row *row, GString *out, char **path,
          GError **error)
{
	g_autoptr(GError) local = NULL;
	run->db_failed = FALSE;
	if (!saver_move(run->saver, dest, r, a, row->path, row->sha256, move_begin, run, path,
	                &local)) {
		if (run->db_failed) {
			g_propagate_error(error, g_steal_pointer(&local));
			return -1;
		}
		if (!run->dry_run && !move_undo(run, row->path, error))
			return -1;
		say_failure(run, r, a, local);
		return 0;
	}
	g_hash_table_add(run->gone, g_strdup(row->path));
	if (!run->dry_run) {
		save_test_hook("kill-before-done");
		if (!move_end(run, *path, dest_client(dest), dest_project(dest), error))
			return -1;
	}
	g_string_append_printf(out, "%s %s → %s\n", run->dry_run ? "would move" : "moved",
	                       row->path, *path);
	run->counts.moved++;
	return 1;
}

/* Removes ROW's file, whose bytes KEPT in DEST holds. FALSE and ERROR on a
 * database error. */
static gboolean
remove_file(struct save_run *run, const struct stored_message *r, const struct mc_attachment *a,
            const struct saved_row *row, const char *kept, const struct save_destination *dest,
            GString *out, GError **error)
{
	if (!run->dry_run) {
		/* The rows follow to the file that stays when mailclerk recorded
		 * it; a file of the user's takes none (it never moves). */
		sqlite3_stmt *st = db_cached(run->db,
		                             "SELECT 1 FROM saved_files WHERE path = ?1 AND "
		                             "sha256 = ?2 AND moving_from IS NULL",
		                             error);
		if (!st)
			return FALSE;
		db_bind_text(st, 1, kept);
		db_bind_text(st, 2, row->sha256);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_set_error(error, run->db, "reading the saved files");
		if (rc == SQLITE_ROW) {
			if (!run_with(
			        run,
			        "UPDATE OR REPLACE saved_files SET path = ?2, moving_from = ?1 "
			        "WHERE path = ?1 AND moving_from IS NULL",
			        "recording a move", error, row->path, kept, NULL))
				return FALSE;
		} else if (!forget_path(run, row->path, error)) {
			return FALSE;
		}
	}
	g_autoptr(GError) local = NULL;
	if (!saver_remove(run->saver, row->path, &local)) {
		if (!move_undo(run, row->path, error))
			return FALSE;
		say_failure(run, r, a, local);
		return TRUE;
	}
	g_hash_table_add(run->gone, g_strdup(row->path));
	if (!run->dry_run) {
		save_test_hook("kill-before-done");
		if (!move_end(run, kept, dest_client(dest), dest_project(dest), error))
			return FALSE;
	}
	g_string_append_printf(out, "%s %s (the same bytes are in %s)\n",
	                       run->dry_run ? "would remove" : "removed", row->path, kept);
	run->counts.moved++;
	return TRUE;
}

/* Saves part A of R into DESTS, moving MOVABLE files first (see the top of
 * saved-files.h). FALSE and ERROR on a database error. */
static gboolean
save_part(struct save_run *run, GPtrArray *dests, const struct stored_message *r,
          const struct mc_attachment *a, GPtrArray *movable, GString *out, GError **error)
{
	gboolean failed = FALSE;
	/* A filing folder that holds the part now, and the hash of its bytes. */
	g_autofree char *kept = NULL;
	const struct save_destination *kept_dest = NULL;
	char kept_sha[SHA256_HEX_SIZE] = "";
	for (guint k = 0; k < dests->len; k++) {
		const struct save_destination *d = g_ptr_array_index(dests, k);
		g_autoptr(GError) local = NULL;
		g_autofree char *path = NULL;
		char sha[SHA256_HEX_SIZE];
		gint64 size;
		if (d->filing && movable->len) {
			const struct saved_row *m = g_ptr_array_index(movable, 0);
			g_autofree char *have = NULL;
			if (!saver_find(run->saver, d, m->sha256, m->size, &have, &local)) {
				say_failure(run, r, a, local);
				failed = TRUE;
				continue;
			}
			if (!have) {
				int moved = move_file(run, d, r, a, m, out, &path, error);
				if (moved < 0)
					return FALSE;
				if (moved == 0) {
					failed = TRUE;
					continue;
				}
				if (!kept) {
					kept = g_steal_pointer(&path);
					kept_dest = d;
					g_strlcpy(kept_sha, m->sha256, sizeof kept_sha);
				}
				g_ptr_array_remove_index(movable, 0);
				continue;
			}
		}
		switch (saver_save(run->saver, d, r, a, &path, sha, &size, &local)) {
		case SAVE_SAVED:
			if (!run->dry_run &&
			    !record_new(run, path, r->id, a->part, sha, size, d, error))
				return FALSE;
			g_string_append_printf(out, "%s %s\n",
			                       run->dry_run ? "would save" : "saved", path);
			run->counts.saved++;
			break;
		case SAVE_DUPLICATE:
			if (!run->dry_run &&
			    !record_duplicate(run, path, r->id, a->part, sha, d, error))
				return FALSE;
			g_string_append_printf(
			    out, "duplicate %s (message %" G_GINT64_FORMAT " part %s)\n", path,
			    r->id, a->part);
			run->counts.duplicates++;
			break;
		case SAVE_FAILED:
			say_failure(run, r, a, local);
			failed = TRUE;
			continue;
		}
		if (!kept && d->filing) {
			kept = g_steal_pointer(&path);
			kept_dest = d;
			g_strlcpy(kept_sha, sha, sizeof kept_sha);
		}
	}
	/* Files left in folders it has left, whose bytes are kept in one it
	 * has: one copy is enough. */
	for (guint i = 0; kept && !failed && i < movable->len; i++) {
		const struct saved_row *m = g_ptr_array_index(movable, i);
		if (g_str_equal(m->sha256, kept_sha) &&
		    !remove_file(run, r, a, m, kept, kept_dest, out, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
save_run_message(struct save_run *run, GPtrArray *dests, const struct stored_message *r,
                 gboolean include_inline, GString *out, GError **error)
{
	gboolean by_project = FALSE;
	for (guint k = 0; k < dests->len; k++)
		by_project |=
		    ((const struct save_destination *)g_ptr_array_index(dests, k))->filing;
	/* The folders of the filings R has now: a file of it in another is of
	 * an earlier filing. */
	g_autoptr(GPtrArray) filing =
	    by_project ? save_filing_destinations(run->cfg, r->clients, r->projects, run->root)
	               : NULL;
	for (guint i = 0; i < r->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(r->attachments, i);
		if (a->is_inline && !include_inline)
			continue;
		g_autoptr(GPtrArray) movable = by_project
		                                   ? movable_files(run, r, a, filing, out, error)
		                                   : g_ptr_array_new_with_free_func(saved_row_free);
		if (!movable || !save_part(run, dests, r, a, movable, out, error))
			return FALSE;
	}
	return TRUE;
}
