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
paths_attachments_root(const struct mc_config *cfg, const char *db_path)
{
	if (cfg->attachments_dir)
		return g_strdup(cfg->attachments_dir);
	g_autofree char *dir = g_path_get_dirname(db_path);
	return g_build_filename(dir, "attachments", NULL);
}

char *
paths_mbox_cache(const char *db_path)
{
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autofree char *abs = g_canonicalize_filename(dir, NULL);
	return g_build_filename(abs, "mbox-messages", NULL);
}

char *
paths_project_attachments(const struct mc_project_config *p, const char *root)
{
	return p->attachments ? g_strdup(p->attachments)
	                      : g_build_filename(root, p->client, p->key, NULL);
}

char *
paths_unsorted_attachments(const char *client, const char *root)
{
	return g_build_filename(root, client, "_unsorted", NULL);
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
