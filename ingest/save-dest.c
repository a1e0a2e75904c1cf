/* Where saved attachments go: the folders of a message's filings, or --to. */
#include "config.h"

#include <string.h>

#include "common/filename.h"
#include "common/paths.h"
#include "ingest/save.h"

void
save_destination_free(gpointer destination)
{
	struct save_destination *d = destination;
	g_free(d->dir);
	g_free(d->template);
	g_free(d->client);
	g_free(d->project);
	g_free(d);
}

static struct save_destination *
destination_new(char *dir, const char *template, const char *client, const char *project,
                gboolean filing)
{
	struct save_destination *d = g_new0(struct save_destination, 1);
	d->dir = dir;
	d->template = g_strdup(template);
	d->client = g_strdup(client);
	d->project = g_strdup(project);
	d->filing = filing;
	return d;
}

static void
add_destination(GPtrArray *dests, char *dir, const char *template, const char *client,
                const char *project)
{
	g_ptr_array_add(dests, destination_new(dir, template, client, project, TRUE));
}

struct save_destination *
save_project_destination(const struct mc_config *cfg, const struct mc_project_config *p,
                         const char *root)
{
	return destination_new(paths_project_attachments(p, root),
	                       p->attachment_name     ? p->attachment_name
	                       : cfg->attachment_name ? cfg->attachment_name
	                                              : FILENAME_DEFAULT_TEMPLATE,
	                       p->client, p->key, TRUE);
}

static const struct mc_project_config *
find_project(const struct mc_config *cfg, const char *client, const char *key)
{
	for (guint i = 0; i < cfg->projects->len; i++) {
		const struct mc_project_config *p = g_ptr_array_index(cfg->projects, i);
		if (g_str_equal(p->client, client) && g_str_equal(p->key, key))
			return p;
	}
	return NULL;
}

GPtrArray *
save_filing_destinations(const struct mc_config *cfg, GPtrArray *clients, GPtrArray *projects,
                         const char *root)
{
	GPtrArray *dests = g_ptr_array_new_with_free_func(save_destination_free);
	const char *global =
	    cfg->attachment_name ? cfg->attachment_name : FILENAME_DEFAULT_TEMPLATE;
	g_autoptr(GHashTable) clients_with_project = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < projects->len; i++) {
		const char *spec = g_ptr_array_index(projects, i);
		const char *slash = strchr(spec, '/');
		if (!slash)
			continue;
		g_autofree char *client = g_strndup(spec, slash - spec);
		const char *key = slash + 1;
		const struct mc_project_config *p = find_project(cfg, client, key);
		if (p)
			g_ptr_array_add(dests, save_project_destination(cfg, p, root));
		/* The index may hold keys of an older config. */
		else if (config_key_is_valid(client) && config_key_is_valid(key))
			add_destination(dests, g_build_filename(root, client, key, NULL), global,
			                client, key);
		else
			continue;
		g_hash_table_add(clients_with_project, (gpointer)g_intern_string(client));
	}
	for (guint i = 0; i < clients->len; i++) {
		const char *client = g_ptr_array_index(clients, i);
		if (g_hash_table_contains(clients_with_project, g_intern_string(client)) ||
		    !config_key_is_valid(client))
			continue;
		add_destination(dests, paths_unsorted_attachments(client, root), global, client,
		                NULL);
	}
	if (clients->len == 0)
		add_destination(dests, g_build_filename(root, "_unfiled", NULL), global, NULL,
		                NULL);
	return dests;
}

GPtrArray *
save_destinations(const struct mc_config *cfg, const struct stored_message *r, gboolean by_project,
                  const char *to_dir, const char *root)
{
	if (by_project)
		return save_filing_destinations(cfg, r->clients, r->projects, root);
	GPtrArray *dests = g_ptr_array_new_with_free_func(save_destination_free);
	const char *project = r->projects->len ? g_ptr_array_index(r->projects, 0) : NULL;
	const char *slash = project ? strchr(project, '/') : NULL;
	g_ptr_array_add(
	    dests,
	    destination_new(g_strdup(to_dir),
	                    cfg->attachment_name ? cfg->attachment_name : FILENAME_DEFAULT_TEMPLATE,
	                    r->clients->len ? g_ptr_array_index(r->clients, 0) : NULL,
	                    slash ? slash + 1 : NULL, FALSE));
	return dests;
}
