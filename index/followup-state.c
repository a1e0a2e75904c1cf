/* Follow-up marks: writing followup_state, the marks of done and snoozed
 * threads. */
#include "config.h"

#include "common/error.h"
#include "index/followup-state.h"

/* The marks of a thread are those of its messages: one at most after
 * followup_state_mark(), but a thread that merged with another may carry
 * both's. */
#define DELETE_THREAD_MARKS                                                                        \
	"DELETE FROM followup_state WHERE message IN (SELECT id FROM messages WHERE "              \
	"thread_id = ?1)"

gboolean
followup_state_mark(struct mc_db *db, gint64 thread, gint64 message, gint64 until, const char *note,
                    gint64 now, GError **error)
{
	if (!db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	g_autoptr(sqlite3_stmt) clear = db_prepare(db, DELETE_THREAD_MARKS, error);
	g_autoptr(sqlite3_stmt) mark =
	    clear ? db_prepare(db,
	                       "INSERT INTO followup_state (message, state, until, note, marked) "
	                       "VALUES (?1, ?2, ?3, ?4, ?5)",
	                       error)
	          : NULL;
	if (!mark)
		goto fail;
	sqlite3_bind_int64(clear, 1, thread);
	if (sqlite3_step(clear) != SQLITE_DONE) {
		db_set_error(error, db, "clearing a thread's follow-up mark");
		goto fail;
	}
	sqlite3_bind_int64(mark, 1, message);
	db_bind_text(mark, 2, until ? "snoozed" : "done");
	if (until)
		sqlite3_bind_int64(mark, 3, until);
	else
		sqlite3_bind_null(mark, 3);
	db_bind_text(mark, 4, note ? note : "");
	sqlite3_bind_int64(mark, 5, now);
	if (sqlite3_step(mark) != SQLITE_DONE) {
		db_set_error(error, db, "marking a thread");
		goto fail;
	}
	if (!db_commit(db, error))
		goto fail;
	return TRUE;
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}

gboolean
followup_state_clear(struct mc_db *db, gint64 thread, GError **error)
{
	g_autoptr(sqlite3_stmt) clear = db_prepare(db, DELETE_THREAD_MARKS, error);
	if (!clear)
		return FALSE;
	sqlite3_bind_int64(clear, 1, thread);
	return sqlite3_step(clear) == SQLITE_DONE ||
	       db_set_error(error, db, "clearing a thread's follow-up mark");
}
