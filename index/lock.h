/* The index's one-writer lock: ingest and reclassify write one at a time. */
#ifndef MC_LOCK_H
#define MC_LOCK_H

#include <glib.h>

/* Takes the one-writer lock of the index at DB_PATH: flock(2) on
 * DB_PATH.lock (not the index itself: closing any descriptor of a file drops
 * the process's POSIX locks, which SQLite relies on), waiting up to two
 * minutes for another writer. Returns the descriptor to keep open while
 * writing (closing it releases the lock), or -1 and sets ERROR
 * (MC_ERROR_BUSY when the wait ran out). */
int index_lock(const char *db_path, GError **error);

#endif
