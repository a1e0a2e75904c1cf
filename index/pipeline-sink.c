/* An ingest run: the sink the sources feed (what the index knows, what they
 * found), on the pipeline's workers and writer (pipeline.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "index/pipeline-internal.h"

/* ---- what the index knows (read connection, scanner thread) ---- */

static gboolean
sink_container_state(struct source_sink *sink, const char *container, gint64 *mtime_ns,
                     gint64 *size)
{
	struct pipeline *p = (struct pipeline *)sink;
	const gint64 *v = g_hash_table_lookup(p->containers, container);
	if (!v)
		return FALSE;
	*mtime_ns = v[0];
	*size = v[1];
	return TRUE;
}

static void
known_location_free(gpointer data)
{
	struct known_location *kl = data;
	g_free(kl->sub);
	g_free(kl->info);
	g_free(kl);
}

static GHashTable *
sink_known_locations(struct source_sink *sink, const char *container)
{
	struct pipeline *p = (struct pipeline *)sink;
	GHashTable *known =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, known_location_free);
	sqlite3_stmt *s = p->st_locations;
	sqlite3_reset(s);
	db_bind_text(s, 1, container);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct known_location *kl = g_new0(struct known_location, 1);
		kl->id = sqlite3_column_int64(s, 0);
		kl->sub = g_strdup(db_column_text(s, 2));
		kl->info = g_strdup(db_column_text(s, 3));
		kl->length = sqlite3_column_int64(s, 4);
		kl->fingerprint = sqlite3_column_int64(s, 5);
		g_hash_table_insert(known, g_strdup(db_column_text(s, 1)), kl);
	}
	if (rc != SQLITE_DONE) {
		/* Half a list would make known copies look new or gone. */
		g_autofree char *why =
		    g_strdup_printf("cannot read the index: %s", sqlite3_errmsg(p->read_db->sql));
		pipeline_report_skipped(p, container, why);
		g_hash_table_unref(known);
		return NULL;
	}
	return known;
}

static gboolean
sink_claim(struct source_sink *sink, const char *container)
{
	struct pipeline *p = (struct pipeline *)sink;
	return g_hash_table_add(p->claimed, g_strdup(container));
}

static GPtrArray *
sink_known_containers(struct source_sink *sink, const char *kind, const char *prefix)
{
	struct pipeline *p = (struct pipeline *)sink;
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	sqlite3_stmt *s = p->st_containers_below;
	sqlite3_reset(s);
	db_bind_text(s, 1, prefix);
	db_bind_text(s, 2, kind);
	while (sqlite3_step(s) == SQLITE_ROW)
		g_ptr_array_add(out, g_strdup(db_column_text(s, 0)));
	return out;
}

/* ---- what the sources found ---- */

static void
sink_add(struct source_sink *sink, struct source_item *item)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_ITEM;
	ev->item = item;
	pipeline_feed((struct pipeline *)sink, ev, item->data ? g_bytes_get_size(item->data) : 0);
}

static void
sink_expect(struct source_sink *sink, guint64 n)
{
	pipeline_expect((struct pipeline *)sink, n);
}

static void
sink_moved(struct source_sink *sink, gint64 id, const char *sub, const char *info)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_MOVED;
	ev->id = id;
	ev->path = g_strdup(sub);
	ev->flags = g_strdup(info);
	pipeline_push((struct pipeline *)sink, ev);
}

static void
sink_gone(struct source_sink *sink, gint64 id)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_GONE;
	ev->id = id;
	pipeline_push((struct pipeline *)sink, ev);
}

static void
sink_container_done(struct source_sink *sink, const char *container, gint64 mtime_ns, gint64 size)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_DONE;
	ev->path = g_strdup(container);
	ev->mtime_ns = mtime_ns;
	ev->size = size;
	pipeline_push((struct pipeline *)sink, ev);
}

static void
sink_skipped(struct source_sink *sink, const char *path, const char *reason)
{
	pipeline_report_skipped((struct pipeline *)sink, path, reason);
}

static gboolean
sink_stopping(struct source_sink *sink)
{
	return pipeline_stopping((struct pipeline *)sink);
}

/* What the sources ask the index, read once at the start. */
static gboolean
sink_prepare(struct pipeline *p, GError **error)
{
	p->containers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p->claimed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    p->read_db, "SELECT path, mtime_ns, size FROM containers WHERE mtime_ns >= 0", error);
	if (!s)
		return FALSE;
	while (sqlite3_step(s) == SQLITE_ROW) {
		gint64 *v = g_new(gint64, 2);
		v[0] = sqlite3_column_int64(s, 1);
		v[1] = sqlite3_column_int64(s, 2);
		g_hash_table_insert(p->containers, g_strdup(db_column_text(s, 0)), v);
	}
	p->st_locations = db_prepare(
	    p->read_db,
	    "SELECT l.id, l.name, l.sub, l.info, l.length, l.fingerprint FROM locations l "
	    "JOIN containers c ON c.id = l.container WHERE c.path = ?",
	    error);
	if (!p->st_locations)
		return FALSE;
	/* Containers at or below a directory: '0' is the character after '/'. */
	p->st_containers_below =
	    db_prepare(p->read_db,
	               "SELECT path FROM containers WHERE kind = ?2 AND (path = ?1 "
	               "OR (path >= ?1 || '/' AND path < ?1 || '0'))",
	               error);
	return p->st_containers_below != NULL;
}

gboolean
pipeline_run(const char *db_path, const struct mc_config *cfg, const struct rules *filing_rules,
             GPtrArray *sources, struct ingest_report *report, GError **error)
{
	gint64 start = g_get_monotonic_time();
	struct pipeline p = {
		.sink = {
			.container_state = sink_container_state,
			.known_locations = sink_known_locations,
			.claim = sink_claim,
			.known_containers = sink_known_containers,
			.expect = sink_expect,
			.add = sink_add,
			.moved = sink_moved,
			.gone = sink_gone,
			.container_done = sink_container_done,
			.skipped = sink_skipped,
			.stopping = sink_stopping,
		},
	};
	/* The sources' files are looked at while the index is opened and the
	 * threads start. */
	struct sources_walk *walk = sources_walk_start(sources, &p.sink);
	gboolean ok =
	    pipeline_open(&p, db_path, cfg, filing_rules, report, error) && sink_prepare(&p, error);
	if (ok)
		pipeline_start(&p);
	sources_walk_finish(walk, !ok);
	if (ok) {
		for (guint i = 0; i < sources->len; i++) {
			struct source *src = g_ptr_array_index(sources, i);
			g_autoptr(GError) local = NULL;
			if (!src->ops->scan(src, &p.sink, &local)) {
				fprintf(stderr, "mailclerk: %s\n", local->message);
				report->sources_failed++;
			}
			if (pipeline_stopping(&p))
				break;
		}
		ok = pipeline_finish(&p, error);
	}
	if (p.st_locations)
		sqlite3_finalize(p.st_locations);
	if (p.st_containers_below)
		sqlite3_finalize(p.st_containers_below);
	if (p.containers)
		g_hash_table_unref(p.containers);
	if (p.claimed)
		g_hash_table_unref(p.claimed);
	pipeline_clear(&p, start);
	return ok;
}
