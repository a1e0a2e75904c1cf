/* What every source shares: items, creating a source by kind, reading a
 * stored copy back. */
#include "config.h"

#include <string.h>

#include "ingest/message-file.h"
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
	g_free(item->refused);
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
			src->path = paths_expand(path);
			return src;
		}
	}
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "unknown source type '%s'", kind);
	return NULL;
}

void
source_set_error(const struct source *src, GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (*src->name)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "[source %s]: %s", src->name, msg);
	else
		g_set_error_literal(error, MC_ERROR, MC_ERROR_FAILED, msg);
}

const char *
source_kind_option(const struct source *src, const char *kind)
{
	gboolean mbox = g_str_equal(kind, "mbox");
	if (*src->name)
		return mbox ? "type = mbox" : "type = maildir";
	return mbox ? "--mbox" : "--maildir";
}

void
source_free(struct source *src)
{
	if (!src)
		return;
	if (src->walked && src->walked_free)
		src->walked_free(src->walked);
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

GBytes *
source_read_copy(gint64 id, const GPtrArray *locations, GError **error)
{
	g_autoptr(GString) why = g_string_new(NULL);
	for (guint i = 0; i < locations->len; i++) {
		const struct mc_location *l = g_ptr_array_index(locations, i);
		g_autoptr(GError) local = NULL;
		GBytes *data = NULL;
		if (g_str_equal(l->kind, "mbox")) {
			data = mbox_read_message(l->path, l->offset, l->length, &local);
		} else {
			char *contents;
			gsize len;
			if (g_file_get_contents(l->path, &contents, &len, &local)) {
				data = g_bytes_new_take(contents, len);
			} else if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
			           g_str_equal(l->kind, "maildir")) {
				/* A mail client may have renamed it since (flags, new/ to
				 * cur/); looked for only then, not per message read. */
				g_autofree char *moved = maildir_find_moved(NULL, l->path);
				if (moved && g_file_get_contents(moved, &contents, &len, NULL))
					data = g_bytes_new_take(contents, len);
			}
		}
		if (data)
			return data;
		g_string_append_printf(why, "%s%s", why->len ? "; " : "", local->message);
	}
	g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
	            "message %" G_GINT64_FORMAT ": no copy can be read (%s)", id,
	            why->len ? why->str : "it has no copy");
	return NULL;
}

void
source_set_walked(struct source *src, gpointer walked, GDestroyNotify free_func)
{
	if (src->walked && src->walked_free)
		src->walked_free(src->walked);
	src->walked = walked;
	src->walked_free = free_func;
}

gpointer
source_take_walked(struct source *src)
{
	src->walked_free = NULL;
	return g_steal_pointer(&src->walked);
}

struct sources_walk {
	GPtrArray *sources;
	struct source_sink *sink;
	gint next;      /* the next source to walk, for whichever thread is free */
	gint cancelled; /* what is not walked yet is not needed */
	GThread *thread;
};

/* Walks the sources not taken yet, one at a time. */
static void
sources_walk_some(struct sources_walk *walk)
{
	for (;;) {
		guint i = (guint)g_atomic_int_add(&walk->next, 1);
		if (i >= walk->sources->len)
			return;
		struct source *src = g_ptr_array_index(walk->sources, i);
		if (src->ops->walk && !g_atomic_int_get(&walk->cancelled) &&
		    !walk->sink->stopping(walk->sink))
			src->ops->walk(src, walk->sink);
	}
}

static gpointer
sources_walk_thread(gpointer data)
{
	sources_walk_some(data);
	return NULL;
}

struct sources_walk *
sources_walk_start(GPtrArray *sources, struct source_sink *sink)
{
	struct sources_walk *walk = g_new0(struct sources_walk, 1);
	walk->sources = g_ptr_array_ref(sources);
	walk->sink = sink;
	gboolean any = FALSE;
	for (guint i = 0; i < sources->len; i++)
		any = any || ((struct source *)g_ptr_array_index(sources, i))->ops->walk;
	/* No thread: sources_walk_finish() walks them all. */
	if (any)
		walk->thread = g_thread_try_new("walk", sources_walk_thread, walk, NULL);
	return walk;
}

void
sources_walk_finish(struct sources_walk *walk, gboolean cancel)
{
	if (cancel)
		g_atomic_int_set(&walk->cancelled, 1);
	else
		sources_walk_some(walk);
	if (walk->thread)
		g_thread_join(walk->thread);
	g_ptr_array_unref(walk->sources);
	g_free(walk);
}
