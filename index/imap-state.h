/* The index's side of IMAP fetching: each folder's UIDVALIDITY and highest
 * UID stored (table imap_folders), kept for imap/sync.c through its
 * struct imap_progress. It has a connection of its own, and no writer lock:
 * a slow server must never hold up a delivery, and the store, not this
 * table, is the truth (a re-fetched message is one message again). */
#ifndef MC_IMAP_STATE_H
#define MC_IMAP_STATE_H

#include <glib.h>

#include "imap/sync.h"

/* Returns the progress of the index at DB_PATH (created when missing), or
 * NULL and sets ERROR. Free it with imap_state_close(). */
struct imap_progress *imap_state_open(const char *db_path, GError **error);
void imap_state_close(struct imap_progress *state);

#endif
