/* IMAP folder progress in the index (imap_folders): UIDs fetched, flags' HIGHESTMODSEQ. */
#include "config.h"

#include "index/db.h"
#include "index/imap-state.h"

struct imap_state {
	struct imap_progress progress; /* first: the interface imap/ is handed */
	struct mc_db *db;
};

static gboolean
state_load(struct imap_progress *self, const char *source, const char *folder, guint32 *uidvalidity,
           guint32 *last, guint64 *modseq, GError **error)
{
	struct mc_db *db = ((struct imap_state *)self)->db;
	sqlite3_stmt *st = db_cached(db,
	                             "SELECT uidvalidity, last_uid, modseq FROM imap_folders "
	                             "WHERE source = ?1 AND folder = ?2",
	                             error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, source);
	db_bind_text(st, 2, folder);
	int r = sqlite3_step(st);
	*uidvalidity = r == SQLITE_ROW ? (guint32)sqlite3_column_int64(st, 0) : 0;
	*last = r == SQLITE_ROW ? (guint32)sqlite3_column_int64(st, 1) : 0;
	/* Stored as SQLite's signed 64 bits; a mod-sequence is below 2^63. */
	*modseq = r == SQLITE_ROW ? (guint64)sqlite3_column_int64(st, 2) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return db_set_error(error, db, "reading IMAP progress");
	return TRUE;
}

/* Runs SQL, a write with ?1 source, ?2 folder, ?3 uidvalidity, ?4 VALUE. */
static gboolean
folder_write(struct imap_progress *self, const char *sql, const char *source, const char *folder,
             guint32 uidvalidity, gint64 value, GError **error)
{
	struct mc_db *db = ((struct imap_state *)self)->db;
	sqlite3_stmt *st = db_cached(db, sql, error);
	if (!st)
		return FALSE;
	db_bind_text(st, 1, source);
	db_bind_text(st, 2, folder);
	sqlite3_bind_int64(st, 3, uidvalidity);
	sqlite3_bind_int64(st, 4, value);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return db_set_error(error, db, "recording IMAP progress");
	return TRUE;
}

static gboolean
state_save(struct imap_progress *self, const char *source, const char *folder, guint32 uidvalidity,
           guint32 last, GError **error)
{
	return folder_write(self,
	                    "INSERT INTO imap_folders (source, folder, uidvalidity, last_uid) "
	                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source, folder) DO UPDATE SET "
	                    "modseq = CASE WHEN uidvalidity = excluded.uidvalidity THEN modseq "
	                    "ELSE 0 END, uidvalidity = excluded.uidvalidity, "
	                    "last_uid = excluded.last_uid",
	                    source, folder, uidvalidity, last, error);
}

static gboolean
state_save_modseq(struct imap_progress *self, const char *source, const char *folder,
                  guint32 uidvalidity, guint64 modseq, GError **error)
{
	/* Stored as SQLite's signed 64 bits; a mod-sequence is below 2^63. */
	return folder_write(self,
	                    "UPDATE imap_folders SET modseq = ?4 WHERE source = ?1 AND "
	                    "folder = ?2 AND uidvalidity = ?3",
	                    source, folder, uidvalidity, (gint64)MIN(modseq, (guint64)G_MAXINT64),
	                    error);
}

struct imap_progress *
imap_state_open(const char *db_path, GError **error)
{
	struct mc_db *db = db_open(db_path, DB_WRITE, error);
	if (!db)
		return NULL;
	struct imap_state *state = g_new0(struct imap_state, 1);
	state->progress.load = state_load;
	state->progress.save = state_save;
	state->progress.save_modseq = state_save_modseq;
	state->db = db;
	return &state->progress;
}

void
imap_state_close(struct imap_progress *progress)
{
	if (!progress)
		return;
	struct imap_state *state = (struct imap_state *)progress;
	db_close(state->db);
	g_free(state);
}
