/* The local store of IMAP mail, private to imap/: one Maildir a folder
 * under STORE_ROOT/=SOURCE/=FOLDER, and writing a batch of messages into
 * it (tmp/, one syncfs(), then cur/). imap_store_folders() (imap/sync.h)
 * lists it for ingest. */
#ifndef MC_IMAP_STORE_H
#define MC_IMAP_STORE_H

#include <glib.h>

/* Returns NAME as one safe directory name: "=", then NAME with bytes other
 * than letters, digits, '-', '_' and '.' as %XX, so that no server-chosen
 * name is a path, hidden, empty, or two names one. The caller frees it. */
char *escape_name(const char *name);

/* Returns the Maildir of FOLDER (as users see it) of source SOURCE_NAME
 * under STORE_ROOT; the caller frees it. */
char *store_dir(const char *store_root, const char *source_name, const char *folder);

/* A message written to tmp/, to be moved to cur/ once the batch is on disk. */
struct pending {
	char *tmp;
	char *final;
};
/* Frees what a struct pending holds: the clear function of a GArray of them. */
void pending_clear(gpointer p);

/* Writes one message into the folder Maildir DIR as tmp/NAME, its mtime
 * INTERNALDATE, and notes in PENDING (a GArray of struct pending) that it
 * becomes cur/NAME:2,FLAGS. A message already in cur/ (a batch fetched
 * again after a cut) is left as it is. FALSE and ERROR when it cannot be
 * written. */
gboolean store_message(const char *dir, const char *name, const char *flags, const char *data,
                       gsize len, gint64 internaldate, GArray *pending, GError **error);

/* Makes the batch's files durable with one syncfs() (instead of an fsync a
 * message, which was most of the time of a fetch), then moves them into
 * cur/: a message reaches cur/ only with its bytes on disk. FALSE and ERROR
 * at the first failure. */
gboolean commit_pending(const char *dir, GArray *pending, GError **error);

#endif
