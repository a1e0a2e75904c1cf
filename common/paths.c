/* Where mailclerk keeps things: the XDG paths and ~ expansion. */
#include "config.h"

#include "common/paths.h"

char *
paths_default_config(void)
{
	return g_build_filename(g_get_user_config_dir(), "mailclerk", "config", NULL);
}

char *
paths_default_db(void)
{
	return g_build_filename(g_get_user_data_dir(), "mailclerk", "index.db", NULL);
}

char *
paths_default_attachments(void)
{
	return g_build_filename(g_get_user_data_dir(), "mailclerk", "attachments", NULL);
}

char *
paths_expand(const char *path)
{
	g_autofree char *expanded = NULL;
	if (g_str_has_prefix(path, "~/") || g_str_equal(path, "~"))
		expanded = g_build_filename(g_get_home_dir(), path + 1, NULL);
	else
		expanded = g_strdup(path);
	return g_canonicalize_filename(expanded, NULL);
}
