/* save_attachments = yes: during ingest, a project's new mail has its
 * attachments saved into the project's folder (ingest/save.h).
 *
 * "New" is mail after the newest message there was when ingest first saw
 * the setting (the autosave table, migrate-4.sql). Which of the project's
 * new messages are saved is recorded per message (autosaved), not as a
 * mark: thread inheritance and reclassify also file older ids under a
 * project, and those are saved by the run that files them. A killed run's
 * are saved by the next, and the folder's SHA-256 dedupe makes saving twice
 * harmless. */
#ifndef MC_AUTOSAVE_H
#define MC_AUTOSAVE_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"

/* Before the run: gives each project of CFG with save_attachments that has
 * no autosave row yet one at the newest message of DB, so that
 * mail indexed before the setting was turned on is left alone. TRUE when
 * no project saves attachments. FALSE and ERROR on a database error. */
gboolean autosave_prepare(struct mc_db *db, const struct mc_config *cfg, GError **error);

/* After the run: saves the attachments of each such project's new messages
 * not saved yet, and records each one saved without a failure.
 * Prints one summary line when anything was looked at; failures go to
 * stderr and are counted in *FAILED. FALSE and ERROR on a database error. */
gboolean autosave_run(struct mc_db *db, const struct mc_config *cfg, guint *failed, GError **error);

#endif
