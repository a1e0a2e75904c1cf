#include "config.h"

#include <string.h>

#include "ingest/source.h"
#include "common/error.h"
#include "common/paths.h"

void
source_item_free(struct source_item *item)
{
	if (!item)
		return;
	g_free(item->source);
	g_free(item->container);
	g_free(item->folder);
	g_free(item->name);
	g_free(item->sub);
	g_free(item->info);
	g_free(item->path);
	if (item->data)
		g_bytes_unref(item->data);
	g_free(item);
}

struct source *
source_new(const char *kind, const char *name, const char *path, GError **error)
{
	static const struct source_ops *const all[] = { &maildir_source_ops, &mbox_source_ops,
		                                        &file_source_ops };
	for (guint i = 0; i < G_N_ELEMENTS(all); i++) {
		if (g_str_equal(all[i]->kind, kind)) {
			struct source *src = g_new0(struct source, 1);
			src->ops = all[i];
			src->name = g_strdup(name ? name : "");
			src->path = g_str_equal(path, "-") ? g_strdup("-") : paths_expand(path);
			return src;
		}
	}
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "unknown source type '%s'", kind);
	return NULL;
}

void
source_free(struct source *src)
{
	if (!src)
		return;
	g_free(src->name);
	g_free(src->path);
	g_free(src->store_dir);
	g_free(src);
}

gint
source_compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
source_forget_container(struct source_sink *sink, const char *container)
{
	g_autoptr(GHashTable) locs = sink->known_locations(sink, container);
	if (!locs)
		return; /* the index could not be read: nothing is concluded */
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, locs);
	while (g_hash_table_iter_next(&it, NULL, &value))
		sink->gone(sink, ((struct known_location *)value)->id);
	sink->container_done(sink, container, -1, 0);
}
