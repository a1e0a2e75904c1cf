/* Flags of IMAP mail, private to imap/: the server's flags as Maildir
 * letters, and flags changed on the server after a message was fetched
 * brought into the store by renaming its file within cur/, which the
 * ingest that follows sees as a Maildir rename. */
#ifndef MC_IMAP_FLAGS_H
#define MC_IMAP_FLAGS_H

#include <glib.h>
#include <libetpan/libetpan.h>

#include "imap/session.h"

/* Returns the Maildir flags of a FLAGS answer (\Draft D, \Flagged F,
 * \Answered R, \Seen S, \Deleted T; in that order, others ignored), "" for
 * none or a NULL DYN. The caller frees it. */
char *imap_maildir_flags(struct mailimap_msg_att_dynamic *dyn);

/* Asks the server for the flags of FOLDER's messages stored in its store
 * Maildir DIR under UIDVALIDITY (the files cur/UIDVALIDITY_UID.mailclerk:2,
 * FLAGS) and renames each file whose flags changed. With CONDSTORE (FOLDER
 * was examined with it) and MODSEQ > 0 (the HIGHESTMODSEQ whose changes
 * are in the store already), only the flags changed since MODSEQ: nothing
 * at all when HIGHEST (the folder's HIGHESTMODSEQ now) is MODSEQ; else the
 * flags of every stored UID. Read-only towards the server (UID FETCH
 * FLAGS). A message the server no longer has keeps its file. Sets
 * *RENAMED to how many files were renamed; FALSE and ERROR when the server
 * or the store failed (what was renamed stays, and a next run renames the
 * rest: a rename is atomic). */
gboolean imap_sync_flags(struct session *s, const char *folder, const char *dir,
                         uint32_t uidvalidity, gboolean condstore, uint64_t modseq,
                         uint64_t highest, guint *renamed, GError **error);

#endif
