/* Where mailclerk keeps things (XDG base directories) and path helpers. */
#ifndef MC_PATHS_H
#define MC_PATHS_H

#include <glib.h>

#include "common/conf.h"

/* Returns $XDG_CONFIG_HOME/mailclerk/config; the caller frees it. */
char *paths_default_config(void);
/* Returns $XDG_DATA_HOME/mailclerk/index.db; the caller frees it. */
char *paths_default_db(void);
/* Returns the attachments root of CFG and the index at DB_PATH (absolute),
 * under which `attachments save --by-project` and save_attachments put
 * CLIENT/PROJECT, CLIENT/_unsorted and _unfiled: [mailclerk] attachments_dir
 * when set, else "attachments" beside the index, so that a throwaway --db
 * never writes into the real folders. The caller frees it. */
char *paths_attachments_root(const struct mc_config *cfg, const char *db_path);
/* Returns the Maildir beside the index at DB_PATH (absolute) into which
 * messages that live only inside an mbox are extracted for mail clients:
 * DIR-OF-INDEX/mbox-messages, so that a throwaway --db never writes into
 * the real one's. The caller frees it. */
char *paths_mbox_cache(const char *db_path);
/* Returns the folder of project P's saved attachments: its `attachments`
 * key, else ROOT/CLIENT/KEY (ROOT from paths_attachments_root()). The caller
 * frees it. */
char *paths_project_attachments(const struct mc_project_config *p, const char *root);
/* Returns ROOT/CLIENT/_unsorted, the folder of CLIENT's mail filed under none
 * of its projects. The caller frees it. */
char *paths_unsorted_attachments(const char *client, const char *root);
/* Returns PATH with a leading "~/" expanded and made absolute against the
 * current directory; the caller frees it. */
char *paths_expand(const char *path);

#endif
