/* Follow-up marks: a thread marked done or snoozed (`followups done`,
 * `snooze`, `undo`), kept in followup_state (index/migrate-9.sql) on the
 * message that was the thread's last when it was marked, so that a new last
 * message ends the mark by itself (query/followups.c reads them). The
 * caller holds the writer lock. */
#ifndef MC_FOLLOWUP_STATE_H
#define MC_FOLLOWUP_STATE_H

#include <glib.h>

#include "index/db.h"

/* Marks THREAD done (UNTIL 0) or snoozed until UNTIL (UTC seconds), with
 * NOTE, as of NOW: on MESSAGE, the thread's last (followups_thread(),
 * query/followups.h, says which: one rule for the lists and the marks),
 * replacing any mark of its messages, in one transaction. FALSE and ERROR
 * on a database error. */
gboolean followup_state_mark(struct mc_db *db, gint64 thread, gint64 message, gint64 until,
                             const char *note, gint64 now, GError **error);

/* Removes the marks of THREAD's messages. FALSE and ERROR on a database
 * error. */
gboolean followup_state_clear(struct mc_db *db, gint64 thread, GError **error);

#endif
