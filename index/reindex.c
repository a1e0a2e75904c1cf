/* A reindex run: which messages, their copies fed to the pipeline's workers, how far the job got
 * (reindex_progress), and its end (reindex.h). */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "index/reindex.h"
#include "common/error.h"
#include "index/load.h"
#include "index/pipeline-internal.h"

struct reindex_job {
	const char *query; /* what chose the messages; "" for all of them */
	GArray *ids;       /* gint64, ascending: the messages this run reads again */
	guint8 *done;      /* per id: written, or reported and left as it was */
	guint contiguous;  /* ids[0 .. contiguous) are all done */
	gint64 mark;       /* every message of the job up to this id is done */
	gint64 marked;     /* ...as the index records it */
	sqlite3_stmt *st_message;
	sqlite3_stmt *st_copies;
};

static gint
compare_ids(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

/* Reads the job's messages (ids above a stopped run's mark of the same
 * query) from DB: IDS, or every message when NULL. */
static gboolean
job_prepare(struct reindex_job *job, struct mc_db *db, GArray *ids, gint64 *resumed_after,
            GError **error)
{
	*resumed_after = 0;
	g_autoptr(sqlite3_stmt) m =
	    db_prepare(db, "SELECT query, done FROM reindex_progress", error);
	if (!m)
		return FALSE;
	if (sqlite3_step(m) == SQLITE_ROW && g_str_equal(db_column_text(m, 0), job->query))
		*resumed_after = job->mark = job->marked = sqlite3_column_int64(m, 1);
	job->ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	if (ids) {
		for (guint i = 0; i < ids->len; i++)
			if (g_array_index(ids, gint64, i) > job->mark)
				g_array_append_val(job->ids, g_array_index(ids, gint64, i));
		g_array_sort(job->ids, compare_ids);
	} else {
		g_autoptr(sqlite3_stmt) s =
		    db_prepare(db, "SELECT id FROM messages WHERE id > ? ORDER BY id", error);
		if (!s)
			return FALSE;
		sqlite3_bind_int64(s, 1, job->mark);
		int rc;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(s, 0);
			g_array_append_val(job->ids, id);
		}
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "reading the messages");
	}
	job->done = g_malloc0(job->ids->len + 1);
	job->st_message = db_prepare(db, "SELECT message_id FROM messages WHERE id = ?", error);
	job->st_copies =
	    job->st_message
	        ? db_prepare(db,
	                     "SELECT c.kind, c.path, c.source, c.folder, l.name, l.sub, l.info, "
	                     "l.offset, l.length, l.fingerprint FROM locations l JOIN containers "
	                     "c ON c.id = l.container WHERE l.message = ? "
	                     "ORDER BY c.folder, c.path, l.name",
	                     error)
	        : NULL;
	return job->st_copies != NULL;
}

static void
job_clear(struct reindex_job *job)
{
	if (job->ids)
		g_array_unref(job->ids);
	g_free(job->done);
	sqlite3_finalize(job->st_message);
	sqlite3_finalize(job->st_copies);
}

/* Returns the static name of a container kind, as struct source_item has it. */
static const char *
kind_name(const char *kind)
{
	static const char *const kinds[] = { "maildir", "mbox", "file" };
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (g_str_equal(kind, kinds[i]))
			return kinds[i];
	return "file";
}

/* Returns the event that reads message SEQ of the job again: its
 * Message-ID and copies. NULL and ERROR on a database error. */
static struct event *
job_event(struct reindex_job *job, struct mc_db *db, guint seq, GError **error)
{
	gint64 id = g_array_index(job->ids, gint64, seq);
	g_autoptr(GPtrArray) copies =
	    g_ptr_array_new_with_free_func((GDestroyNotify)source_item_free);
	sqlite3_stmt *s = job->st_message;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_set_error(error, db, "reading a message");
		return NULL;
	}
	g_autofree char *message_id = g_strdup(rc == SQLITE_ROW ? db_column_text(s, 0) : "");
	sqlite3_reset(s);
	s = job->st_copies;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct source_item *item = g_new0(struct source_item, 1);
		item->kind = kind_name(db_column_text(s, 0));
		item->container = g_strdup(db_column_text(s, 1));
		item->source = g_strdup(db_column_text(s, 2));
		item->folder = g_strdup(db_column_text(s, 3));
		item->name = g_strdup(db_column_text(s, 4));
		item->sub = g_strdup(db_column_text(s, 5));
		item->info = g_strdup(db_column_text(s, 6));
		item->offset = sqlite3_column_int64(s, 7);
		item->length = sqlite3_column_int64(s, 8);
		item->fingerprint = sqlite3_column_int64(s, 9);
		item->path = load_location_path(item->kind, item->container, item->sub, item->name,
		                                item->info);
		g_ptr_array_add(copies, item);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading a message's copies");
		return NULL;
	}
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_ITEM;
	ev->message = id;
	ev->message_id = g_steal_pointer(&message_id);
	ev->copies = g_steal_pointer(&copies);
	ev->seq = seq;
	return ev;
}

GBytes *
reindex_read(struct event *ev, gint64 *mtime)
{
	g_autoptr(GString) why = g_string_new(NULL);
	for (guint i = 0; i < ev->copies->len; i++) {
		const struct source_item *item = g_ptr_array_index(ev->copies, i);
		g_autoptr(GError) local = NULL;
		GBytes *data = NULL;
		if (g_str_equal(item->kind, "mbox")) {
			/* The message's own bytes, and the mbox's time as ingest gave
			 * it (the last fallback for a date). */
			data = mbox_read_message(item->path, item->offset, item->length, &local);
			struct stat st;
			*mtime = data && stat(item->path, &st) == 0 ? st.st_mtim.tv_sec : 0;
		} else if ((data = pipeline_read_file(item->path, mtime, NULL, &local)) == NULL) {
			g_prefix_error(&local, "%s: ", item->path);
		}
		if (data) {
			ev->item = g_ptr_array_steal_index(ev->copies, i);
			return data;
		}
		g_string_append_printf(why, "%s%s", why->len ? "; " : "", local->message);
	}
	ev->error = g_error_new(MC_ERROR, MC_ERROR_FAILED, "no copy can be read (%s)",
	                        why->len ? why->str : "it has none");
	return NULL;
}

void
reindex_check(struct event *ev)
{
	if (g_str_equal(ev->pm->message_id, ev->message_id))
		return;
	/* A copy rewritten in place, or an mbox changed since it was indexed:
	 * its text is not this message's. */
	g_autofree char *where = pipeline_copy_where(ev->item);
	ev->error = g_error_new(MC_ERROR, MC_ERROR_FAILED,
	                        "%s now holds another message (Message-ID <%s>, not <%s>)", where,
	                        ev->pm->message_id, ev->message_id);
	g_clear_pointer(&ev->pm, parsed_message_free);
	g_clear_pointer(&ev->body_z, g_bytes_unref);
}

void
reindex_done(struct reindex_job *job, const struct event *ev)
{
	job->done[ev->seq] = 1;
	while (job->contiguous < job->ids->len && job->done[job->contiguous])
		job->contiguous++;
	if (job->contiguous)
		job->mark = g_array_index(job->ids, gint64, job->contiguous - 1);
}

gboolean
reindex_mark(struct reindex_job *job, struct mc_db *db, GError **error)
{
	if (job->mark == job->marked)
		return TRUE;
	sqlite3_stmt *s = db_cached(
	    db, "INSERT OR REPLACE INTO reindex_progress (one, query, done) VALUES (1, ?, ?)",
	    error);
	if (!s)
		return FALSE;
	db_bind_text(s, 1, job->query);
	sqlite3_bind_int64(s, 2, job->mark);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_set_error(error, db, "recording how far the reindex got");
	sqlite3_reset(s);
	job->marked = job->mark;
	return TRUE;
}

gboolean
reindex_marked(const struct reindex_job *job)
{
	return job->marked > 0;
}

gboolean
reindex_finish(struct reindex_job *job, struct mc_db *db, GError **error)
{
	/* A message that was never fed (the feeder failed): marked instead. */
	if (job->contiguous < job->ids->len)
		return reindex_mark(job, db, error);
	if (!db_exec(db, "DELETE FROM reindex_progress", error))
		return FALSE;
	/* Every message is as this mailclerk parses it. */
	return *job->query || db_exec(db, "DELETE FROM reindex_needed", error);
}

gboolean
reindex_run(const char *db_path, const struct mc_config *cfg, GArray *ids, const char *query,
            struct reindex_report *report, GError **error)
{
	gint64 start = g_get_monotonic_time();
	memset(report, 0, sizeof *report);
	struct ingest_report run;
	struct pipeline p = { 0 };
	struct reindex_job job = { .query = query ? query : "" };
	g_autoptr(GError) feed_error = NULL;
	gboolean ok = pipeline_open(&p, db_path, cfg, NULL, &run, error) &&
	              job_prepare(&job, p.read_db, ids, &report->resumed_after, error);
	if (ok) {
		p.reindex = &job;
		pipeline_start(&p);
		pipeline_expect(&p, job.ids->len);
		for (guint i = 0; i < job.ids->len && !pipeline_stopping(&p); i++) {
			struct event *ev = job_event(&job, p.read_db, i, &feed_error);
			if (!ev)
				break;
			pipeline_feed(&p, ev, 0);
		}
		ok = pipeline_finish(&p, error);
		if (ok && feed_error) {
			g_propagate_error(error, g_steal_pointer(&feed_error));
			ok = FALSE;
		}
	}
	pipeline_clear(&p, start);
	job_clear(&job);
	report->stats = run.stats;
	report->unreadable = run.skipped;
	report->interrupted = run.interrupted;
	report->seconds = run.seconds;
	return ok;
}
