/* Where mailclerk keeps things (XDG base directories) and path helpers. */
#ifndef MC_PATHS_H
#define MC_PATHS_H

#include <glib.h>

/* Returns $XDG_CONFIG_HOME/mailclerk/config; the caller frees it. */
char *paths_default_config(void);
/* Returns $XDG_DATA_HOME/mailclerk/index.db; the caller frees it. */
char *paths_default_db(void);
/* Returns $XDG_DATA_HOME/mailclerk/attachments, where `attachments save
 * --by-project` puts a project's files unless it names a folder; the caller
 * frees it. */
char *paths_default_attachments(void);
/* Returns PATH with a leading "~/" expanded and made absolute against the
 * current directory; the caller frees it. */
char *paths_expand(const char *path);

#endif
