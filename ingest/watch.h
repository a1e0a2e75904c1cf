/* What changes in local sources, told by inotify(7): every folder of a
 * maildir tree (new/ and cur/ of each maildir, and the folders that hold
 * maildirs, so that one made later is watched too; never tmp/), and mbox
 * files (written and closed, moved into place, deleted). Used by
 * `mailclerk watch`, which ingests a source when it changed. */
#ifndef MC_INGEST_WATCH_H
#define MC_INGEST_WATCH_H

#include <glib.h>

struct fs_watch;

/* What fs_watch_read() found for source ID: changed, or its root (the
 * maildir, the mbox file or folder) gone, after which nothing of it is
 * watched until fs_watch_add() succeeds again. */
typedef void (*fs_watch_fn)(guint id, gboolean gone, gpointer data);

/* Returns a watcher (free with fs_watch_free()), or NULL and ERROR when
 * the system gives no inotify instance. */
struct fs_watch *fs_watch_new(GError **error);
void fs_watch_free(struct fs_watch *w);

/* The descriptor to poll for reading: fs_watch_read() is then due. */
int fs_watch_fd(const struct fs_watch *w);

/* Watches source ID, of KIND "maildir" or "mbox", at PATH (owned by the
 * caller; a symlink is followed: what it points to is watched). Returns FALSE, watching nothing of
 * it, when PATH is not there (call it again later). Folders that cannot be watched (the system's
 * max_user_watches) are said once on stderr; their mail is still ingested with the rest of the
 * source. */
gboolean fs_watch_add(struct fs_watch *w, guint id, const char *kind, const char *source_path);

/* Reads every pending event and calls FN(ID, GONE, DATA) for each source
 * concerned (perhaps several times for one). When the kernel's queue
 * overflowed, events were lost: FN is called for every watched source. */
void fs_watch_read(struct fs_watch *w, fs_watch_fn fn, gpointer data);

#endif
