/* Which folder a project's (or a client's unsorted) attachments are saved
 * in: the names alone, without GMime, so that `projects` can show them. */
#include "config.h"

#include "ingest/save.h"

char *
save_project_folder(const struct mc_project_config *p, const char *root)
{
	return p->attachments ? g_strdup(p->attachments)
	                      : g_build_filename(root, p->client, p->key, NULL);
}

char *
save_unsorted_folder(const char *client, const char *root)
{
	return g_build_filename(root, client, "_unsorted", NULL);
}
