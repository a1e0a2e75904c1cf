/* Saving attachments with a record of every file mailclerk writes (the
 * saved_files table, migrate-10.sql), so that the folders stay in step with
 * filing: `attachments save` and save_attachments both save through here.
 *
 * Each file saved is recorded with its path, SHA-256, size, message, part
 * and the client and project of its folder. A part whose bytes a folder
 * already holds is recorded against that file only when the file is one
 * mailclerk recorded (a file the user put there, or one saved by an index
 * since deleted, stays the user's). When a message's part is saved into a
 * filing's folder and mailclerk recorded a file of it in a folder of a
 * filing the message no longer has, that file is moved into the new folder
 * instead of a second copy being written, when
 *   - it is still the bytes recorded (size, then SHA-256): a file the user
 *     edited stays where it is ("kept"), and is the user's from then on;
 *     one renamed or removed is no longer at its path and is forgotten;
 *   - no other message still filed there has a record of it (that folder
 *     still needs it; the part gets a copy of its own), and no --to save
 *     recorded it.
 * When the new folder holds the bytes already, the old file is removed
 * instead ("removed A (the same bytes are in B)"), so there is one copy.
 * The move never replaces anything: it takes the name a save would, with
 * " (2)" when taken (ingest/save.h). Folders are never removed, empty or
 * not. Without a record (an index rebuilt from scratch) nothing is ever
 * moved: the SHA-256 dedupe makes every file there a duplicate. */
#ifndef MC_SAVED_FILES_H
#define MC_SAVED_FILES_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"
#include "index/db.h"

/* What a run did, file by file. */
struct save_counts {
	guint saved;      /* files written (or, dry, to write) */
	guint moved;      /* files moved, or removed as their bytes were there already */
	guint duplicates; /* parts a folder held already */
	guint failed;     /* said on stderr */
};

struct save_run;

/* Returns a run saving into the folders under ROOT (the attachments root,
 * paths_attachments_root()) for the index DB, as CFG files mail; with
 * DRY_RUN it decides everything and changes nothing, on disk or in DB.
 * First it finishes or undoes the moves a killed run left half done (said
 * on stderr). Free it with save_run_free(). NULL and ERROR on a database
 * error. */
struct save_run *save_run_new(struct mc_db *db, const struct mc_config *cfg, const char *root,
                              gboolean dry_run, GError **error);
void save_run_free(struct save_run *run);
typedef struct save_run save_run;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(save_run, save_run_free)

/* Saves the attachments (inline parts too with INCLUDE_INLINE) of message R
 * into DESTS (struct save_destination *, ingest/save.h), moving the files of
 * R that mailclerk saved into folders of filings R no longer has (only into
 * filing folders: never with --to). Appends a line to OUT for each file
 * ("saved PATH", "moved A → B", "duplicate PATH (message ID part P)", ...),
 * counts them in the run, and says failures on stderr. FALSE and ERROR on a
 * database error. */
gboolean save_run_message(struct save_run *run, GPtrArray *dests, const struct stored_message *r,
                          gboolean include_inline, GString *out, GError **error);

/* Returns the run's counts so far; owned by RUN. */
const struct save_counts *save_run_counts(const struct save_run *run);

#endif
