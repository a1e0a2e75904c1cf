/* The index's one-writer lock: ingest, reclassify and attachments save write one at a time. */
#ifndef MC_LOCK_H
#define MC_LOCK_H

#include <glib.h>

/* Takes the one-writer lock of the index at DB_PATH for COMMAND ("ingest",
 * "reclassify"): flock(2) on DB_PATH.lock (not the index itself: closing any
 * descriptor of a file drops the process's POSIX locks, which SQLite relies
 * on), waiting up to two minutes for another writer and saying once, on
 * stderr, which process holds it; the lock file names the holder ("PID
 * COMMAND") for that. Returns the descriptor to keep open while writing
 * (closing it releases the lock), or -1 and sets ERROR (MC_ERROR_BUSY when
 * the wait ran out, MC_ERROR_INTERRUPTED when a signal caught by
 * common/interrupt.h ended it). */
int index_lock(const char *db_path, const char *command, GError **error);

/* Takes the watch lock of the index at DB_PATH (flock(2) on DB_PATH.watch,
 * naming its holder as index_lock() does), without waiting: one `watch`
 * per index, as two would ingest everything twice. Returns the descriptor
 * to keep open while watching, or -1 and sets ERROR (MC_ERROR_BUSY, naming
 * the other watch's pid, when one holds it). */
int index_watch_lock(const char *db_path, GError **error);

#endif
