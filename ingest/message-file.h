/* The one file per message a mail client can open (`--format=files`,
 * `links`): its maildir copy, else a message file, else its mbox copy
 * extracted once into the cache Maildir beside the index. */
#ifndef MC_MESSAGE_FILE_H
#define MC_MESSAGE_FILE_H

#include <glib.h>

#include "common/message.h"

/* The cache and what was left out; one per command run. */
struct message_files;

/* Returns a chooser whose cache Maildir is paths_mbox_cache(DB_PATH); it
 * touches nothing until a message needs extracting. Free it with
 * message_files_free(). */
struct message_files *message_files_new(const char *db_path);
void message_files_free(struct message_files *mf);
typedef struct message_files message_files;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(message_files, message_files_free)

/* Returns the path to open for M, which the caller frees: its most
 * recently found maildir copy that still exists, else such a message file,
 * else its most recently found mbox copy, written (once: a second call, in
 * this run or another, finds it) into the cache's cur/ as
 * HASH.FINGERPRINT.mailclerk:2,FLAGS: HASH from its Message-ID, the copy's
 * fingerprint in hex, FLAGS the copy's (renamed when only they changed; new
 * bytes replace the old file). The mbox bytes are checked against the
 * fingerprint first. NULL without ERROR when no copy can be given (files gone, an
 * mbox changed since it was indexed): the reason is kept for
 * message_files_problems(). NULL and ERROR when the cache cannot be
 * written. */
char *message_files_path(struct message_files *mf, const struct stored_message *m, GError **error);

/* Returns the distinct reasons messages were left out, in the order met
 * (char *, e.g. "MBOX: changed since it was indexed; run 'mailclerk
 * ingest'"), owned by MF. */
const GPtrArray *message_files_problems(const struct message_files *mf);

/* Returns how many messages message_files_path() left out. */
guint message_files_left_out(const struct message_files *mf);

/* Returns where the maildir message last seen at PATH is now, which the
 * caller frees, when a mail client has renamed it since it was indexed (its
 * flags changed, or it moved from new/ to cur/): the file of the same unique
 * name (what precedes ':') in its folder's cur/ or new/; NULL when there is
 * none. LISTINGS (from maildir_listings_new(); NULL reads afresh) keeps each
 * folder's names between calls, so that many lookups read a folder once. */
char *maildir_find_moved(GHashTable *listings, const char *path);
GHashTable *maildir_listings_new(void);

#endif
