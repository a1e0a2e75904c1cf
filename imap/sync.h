/* Fetching new mail from an IMAP source into the local store.
 *
 * The store is a Maildir per folder under STORE_ROOT/SOURCE/ (beside the
 * index): mail is written there (tmp, fsync, rename) before the folder's
 * progress (UIDVALIDITY, highest UID) is recorded in the index, batch by
 * batch; ingest then indexes the store like any maildir. So a run cut short
 * anywhere loses nothing: what was stored is indexed by the next run, what
 * was not is fetched again, and a message stored twice (a re-fetch after a
 * cut, a changed UIDVALIDITY) is one message, deduplicated by Message-ID.
 * Mail deleted on the server stays in the store: this is an archive.
 * Flags changed on the server are brought into the store's file names at
 * each run (imap/flags.h), with CONDSTORE only those changed since.
 *
 * Read-only on the server: EXAMINE, FETCH FLAGS and BODY.PEEK[], never a
 * flag change. */
#ifndef MC_IMAP_SYNC_H
#define MC_IMAP_SYNC_H

#include <glib.h>

#include "common/conf.h"

/* Where a sync keeps how far it got in each folder of a source: the
 * UIDVALIDITY and the highest UID stored. The index keeps it
 * (index/imap-state.h); imap/ itself never touches SQL. */
struct imap_progress {
	/* Sets *UIDVALIDITY, *LAST and *MODSEQ (all 0 for a folder never
	 * fetched). */
	gboolean (*load)(struct imap_progress *self, const char *source, const char *folder,
	                 guint32 *uidvalidity, guint32 *last, guint64 *modseq, GError **error);
	/* Records that FOLDER holds everything up to UID LAST of UIDVALIDITY.
	 * The MODSEQ recorded stays while UIDVALIDITY does; else it is 0. */
	gboolean (*save)(struct imap_progress *self, const char *source, const char *folder,
	                 guint32 uidvalidity, guint32 last, GError **error);
	/* Records that the flag changes of FOLDER (of UIDVALIDITY) up to its
	 * HIGHESTMODSEQ MODSEQ (RFC 7162; 0: none known) are in the store. */
	gboolean (*save_modseq)(struct imap_progress *self, const char *source, const char *folder,
	                        guint32 uidvalidity, guint64 modseq, GError **error);
};

struct imap_sync_report {
	guint64 fetched;       /* messages stored */
	guint64 skipped;       /* messages not fetched (too large), each reported */
	guint64 flags_changed; /* stored messages renamed for flags changed on the server */
	guint folders;         /* folders examined */
	guint folders_failed;
	gboolean busy; /* another process was fetching this source: nothing was done */
};

/* Fetches the new mail of IMAP source SC into its store under STORE_ROOT,
 * recording its progress in STATE after each batch is stored. One process at a time fetches
 * a source (flock on STORE_ROOT/=NAME.lock); when another one is, this
 * returns TRUE at once with REPORT->busy set. Returns FALSE and ERROR when
 * the source could not be synced whole (no connection, refused certificate
 * or login, a folder the server refused, a cut connection, a signal caught
 * by common/interrupt.h, which ends any wait on the server); what was fetched
 * before that is kept. */
gboolean imap_sync(struct imap_progress *state, const char *store_root,
                   const struct mc_source_config *sc, struct imap_sync_report *report,
                   GError **error);

/* One folder of a source's store. */
struct imap_store_folder {
	char *dir;    /* the folder's Maildir */
	char *folder; /* its name as users see it, e.g. "INBOX", "Archive/2023" */
};
void imap_store_folder_free(gpointer folder);

/* Returns every folder of source NAME's store under STORE_ROOT (struct
 * imap_store_folder *; the caller unrefs the array), also those no longer
 * on the server. */
GPtrArray *imap_store_folders(const char *store_root, const char *name);

/* Returns the password of SC: $MAILCLERK_PASSWORD_<NAME> (NAME upper-cased,
 * other characters than letters and digits as '_'), else the first line of
 * what password_command prints. NULL and ERROR when neither gives one. The
 * caller frees it with imap_password_free(), which clears it. */
char *imap_password(const struct mc_source_config *sc, GError **error);
void imap_password_free(char *password);
/* Whether source SC has a password to give (its MAILCLERK_PASSWORD_NAME set,
 * or a password_command, which is not run); FALSE and a configuration
 * error (MC_ERROR_USAGE) saying what to set when not. */
gboolean imap_password_configured(const struct mc_source_config *sc, GError **error);

#endif
