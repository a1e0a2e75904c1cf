/* An ingest run: scan, parse on a thread pool, write on one thread. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/pipeline.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "common/progress.h"
#include "index/db.h"
#include "index/supervise.h"
#include "index/text.h"
#include "ingest/parse.h"

/* Messages between the scanner and the writer at most: bounds memory whatever
 * the corpus size, while keeping every worker busy. */
#define MAX_IN_FLIGHT 256
/* ...and at most this many bytes of raw mail, which bounds memory when the
 * messages are large (an mbox of 20 MB newsletters). One message is always
 * let through, however large. */
#define MAX_IN_FLIGHT_BYTES (32 * 1024 * 1024)
/* Commit after this many messages or this long, whichever comes first: large
 * transactions are what makes SQLite fast, and a kill loses at most one. */
#define BATCH_MESSAGES     5000
#define BATCH_MICROSECONDS (2 * G_USEC_PER_SEC)
/* A maildir file larger than this is reported and skipped. */
#define MAX_MESSAGE_FILE (256 * 1024 * 1024)

enum event_kind { EV_ITEM, EV_MOVED, EV_GONE, EV_DONE, EV_END };

struct event {
	enum event_kind kind;
	struct source_item *item;
	struct parsed_message *pm;
	GBytes *body_z;     /* pm's body, compressed by the worker */
	GPtrArray *filings; /* pm's filings, found by the worker */
	gsize bytes;        /* raw bytes counted in pipeline.in_flight_bytes */
	GError *error;
	gboolean known_skip;  /* skipped by an earlier run and unchanged: not parsed */
	gboolean was_skipped; /* skipped by an earlier run, changed since */
	gint64 id;
	char *path;  /* EV_MOVED: the new sub; EV_DONE: the container */
	char *flags; /* EV_MOVED: the new info */
	gint64 mtime_ns;
	gint64 size;
};

struct pipeline {
	struct source_sink sink; /* first: the sink callbacks cast back to this */
	const struct mc_config *cfg;
	const struct rules *rules;
	enum parse_flags parse_flags; /* PARSE_HEADERS when a rule reads a header */
	struct mc_db *read_db;
	GHashTable *containers;    /* path -> gint64[2] {mtime_ns, size} as of the run's start */
	GHashTable *claimed;       /* containers scanned this run, by any source */
	GHashTable *skipped_known; /* "container\nname" -> gint64[2] {size, mtime}: earlier runs' */
	sqlite3_stmt *st_locations;
	sqlite3_stmt *st_containers_below;
	GThreadPool *pool;
	GAsyncQueue *queue; /* struct event * to the writer */
	GMutex lock;
	GCond cond;
	guint in_flight;
	gsize in_flight_bytes;
	guint64 discovered;
	guint64 expected; /* what sources announced (sink->expect) */
	gint skipped;
	gint writer_failed;
};

static void
event_free(struct event *ev)
{
	source_item_free(ev->item);
	parsed_message_free(ev->pm);
	if (ev->body_z)
		g_bytes_unref(ev->body_z);
	if (ev->filings)
		g_ptr_array_unref(ev->filings);
	g_clear_error(&ev->error);
	g_free(ev->path);
	g_free(ev->flags);
	g_free(ev);
}

/* Whether the run stops early: a signal (common/interrupt.h) or an index
 * that cannot be written. */
static gboolean
pipeline_stopping(struct pipeline *p)
{
	return g_atomic_int_get(&p->writer_failed) || interrupt_caught();
}

static void
report_skipped(struct pipeline *p, const char *path, const char *reason)
{
	g_atomic_int_inc(&p->skipped);
	fprintf(stderr, "mailclerk: skipped %s: %s\n", path, reason);
}

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
		report_skipped(p, container, why);
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
push(struct pipeline *p, struct event *ev)
{
	g_async_queue_push(p->queue, ev);
}

static void
sink_add(struct source_sink *sink, struct source_item *item)
{
	struct pipeline *p = (struct pipeline *)sink;
	if (pipeline_stopping(p)) {
		source_item_free(item);
		return;
	}
	gsize bytes = item->data ? g_bytes_get_size(item->data) : 0;
	g_mutex_lock(&p->lock);
	while (p->in_flight >= MAX_IN_FLIGHT ||
	       (p->in_flight_bytes > 0 && p->in_flight_bytes + bytes > MAX_IN_FLIGHT_BYTES))
		g_cond_wait(&p->cond, &p->lock);
	p->in_flight++;
	p->in_flight_bytes += bytes;
	p->discovered++;
	g_mutex_unlock(&p->lock);
	g_thread_pool_push(p->pool, item, NULL);
}

static void
sink_expect(struct source_sink *sink, guint64 n)
{
	struct pipeline *p = (struct pipeline *)sink;
	g_mutex_lock(&p->lock);
	p->expected += n;
	g_mutex_unlock(&p->lock);
}

static void
sink_moved(struct source_sink *sink, gint64 id, const char *sub, const char *info)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_MOVED;
	ev->id = id;
	ev->path = g_strdup(sub);
	ev->flags = g_strdup(info);
	push((struct pipeline *)sink, ev);
}

static void
sink_gone(struct source_sink *sink, gint64 id)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_GONE;
	ev->id = id;
	push((struct pipeline *)sink, ev);
}

static void
sink_container_done(struct source_sink *sink, const char *container, gint64 mtime_ns, gint64 size)
{
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_DONE;
	ev->path = g_strdup(container);
	ev->mtime_ns = mtime_ns;
	ev->size = size;
	push((struct pipeline *)sink, ev);
}

static void
sink_skipped(struct source_sink *sink, const char *path, const char *reason)
{
	report_skipped((struct pipeline *)sink, path, reason);
}

static gboolean
sink_stopping(struct source_sink *sink)
{
	return pipeline_stopping((struct pipeline *)sink);
}

/* ---- parse workers ---- */

static GBytes *
read_message_file(const char *path, gint64 *mtime, GError **error)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s", g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_size > MAX_MESSAGE_FILE) {
		close(fd);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "file larger than 256 MiB");
		return NULL;
	}
	*mtime = st.st_mtim.tv_sec;
	char *buf = g_malloc(st.st_size + 1);
	gsize got = 0;
	while (got < (gsize)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	return g_bytes_new_take(buf, got);
}

/* Returns how reports name ITEM (caller frees). */
static char *
item_where(const struct source_item *item)
{
	if (g_str_equal(item->kind, "mbox"))
		return g_strdup_printf("%s (message at offset %" G_GINT64_FORMAT ")", item->path,
		                       item->offset);
	return g_strdup(*item->path ? item->path : "stdin");
}

static void
parse_worker(gpointer data, gpointer user_data)
{
	struct source_item *item = data;
	struct pipeline *p = user_data;
	struct event *ev = g_new0(struct event, 1);
	ev->kind = EV_ITEM;
	ev->item = item;
	g_autoptr(GBytes) bytes = item->data ? g_bytes_ref(item->data) : NULL;
	gint64 mtime = item->mtime;
	if (bytes) {
		ev->bytes = g_bytes_get_size(bytes);
	} else {
		bytes = read_message_file(item->path, &mtime, &ev->error);
		/* Counted from now until the writer is done with it; only the
		 * scanner ever waits on the count. */
		if (bytes) {
			ev->bytes = g_bytes_get_size(bytes);
			g_mutex_lock(&p->lock);
			p->in_flight_bytes += ev->bytes;
			g_mutex_unlock(&p->lock);
		}
	}
	if (bytes) {
		item->mtime = mtime;
		const gint64 *skipped = NULL;
		if (g_hash_table_size(p->skipped_known)) {
			g_autofree char *key = g_strconcat(item->container, "\n", item->name, NULL);
			skipped = g_hash_table_lookup(p->skipped_known, key);
		}
		ev->known_skip = skipped && skipped[0] == (gint64)ev->bytes && skipped[1] == mtime;
		ev->was_skipped = skipped && !ev->known_skip;
	}
	if (bytes && !ev->known_skip) {
		gsize len;
		const char *raw = g_bytes_get_data(bytes, &len);
		g_autofree char *where = item_where(item);
		supervise_enter(item, len, where);
		supervise_test_crash(raw, len);
		ev->pm = parse_message(raw, len, mtime, p->parse_flags, &ev->error);
		/* Compressing here keeps it off the single writer thread. */
		if (ev->pm)
			ev->body_z = text_compress(ev->pm->body_text);
		/* So are the rules: their regexes are most of the cost of filing. */
		if (ev->pm && p->rules)
			ev->filings = rules_file(p->rules, p->cfg, ev->pm);
		supervise_leave();
	}
	/* The raw bytes are no longer needed: drop them before queueing. */
	if (item->data) {
		g_bytes_unref(item->data);
		item->data = NULL;
	}
	push(p, ev);
}

/* ---- the writer thread ---- */

/* A message of BYTES raw bytes is done with (written or not): the scanner
 * may send another. Returns the total to show in the progress line. */
static guint64
item_done(struct pipeline *p, gsize bytes)
{
	g_mutex_lock(&p->lock);
	p->in_flight--;
	p->in_flight_bytes -= bytes;
	g_cond_signal(&p->cond);
	guint64 total = MAX(p->discovered, p->expected);
	g_mutex_unlock(&p->lock);
	return total;
}

struct writer_thread {
	struct pipeline *p;
	const char *db_path;
	struct ingest_report *report;
	GError *error;
};

/* Forgets the skipped files of KNOWN (earlier runs') that are no longer
 * there: not SEEN in a folder this run scanned whole (DONE, not UNREAD). */
static gboolean
forget_gone_skipped(struct index_writer *w, GHashTable *known, GHashTable *seen, GPtrArray *done,
                    GHashTable *unread, GError **error)
{
	if (!g_hash_table_size(known))
		return TRUE;
	g_autoptr(GHashTable) scanned = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < done->len; i++) {
		const struct event *ev = g_ptr_array_index(done, i);
		if (!g_hash_table_contains(unread, ev->path))
			g_hash_table_add(scanned, ev->path);
	}
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		if (g_hash_table_contains(seen, key))
			continue;
		g_auto(GStrv) parts = g_strsplit(key, "\n", 2);
		if (g_hash_table_contains(scanned, parts[0]) &&
		    !writer_unskip(w, parts[0], parts[1] ? parts[1] : "", error))
			return FALSE;
	}
	return TRUE;
}

static gpointer
writer_main(gpointer data)
{
	struct writer_thread *wt = data;
	struct pipeline *p = wt->p;
	g_autoptr(mc_db) db = db_open(wt->db_path, DB_WRITE, &wt->error);
	g_autoptr(index_writer) w = db ? writer_new(db, p->cfg, p->rules, &wt->error) : NULL;
	g_autoptr(progress) bar = progress_new();
	g_autoptr(GArray) gone = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func((GDestroyNotify)event_free);
	/* Folders with a file that could not be read: not recorded as scanned,
	 * so the next run reads them again. */
	g_autoptr(GHashTable) unread = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* Files earlier runs skipped that this run met again: the others of a
	 * folder scanned whole are gone, and forgotten. */
	g_autoptr(GHashTable) skipped_seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gboolean in_tx = FALSE, failed = (w == NULL), stopped = FALSE;
	guint batch = 0;
	gint64 tx_start = 0;
	guint64 handled = 0;

	for (;;) {
		struct event *ev = g_async_queue_pop(p->queue);
		if (ev->kind == EV_END) {
			event_free(ev);
			break;
		}
		/* Interrupted: what was written is committed (a safe point, as a
		 * batch's end is); what comes after is dropped unwritten, and the
		 * next run finds it again. */
		if (!stopped && interrupt_caught()) {
			stopped = TRUE;
			if (in_tx && !writer_commit(w, &wt->error)) {
				failed = TRUE;
				g_atomic_int_set(&p->writer_failed, 1);
				writer_rollback(w);
			}
			in_tx = FALSE;
		}
		if (stopped) {
			if (ev->kind == EV_ITEM)
				item_done(p, ev->bytes);
			event_free(ev);
			continue;
		}
		if (!failed && !in_tx && ev->kind != EV_GONE && ev->kind != EV_DONE) {
			if (!writer_begin(w, &wt->error))
				failed = TRUE;
			in_tx = !failed;
			tx_start = g_get_monotonic_time();
			batch = 0;
		}
		switch (ev->kind) {
		case EV_ITEM:
			if (ev->known_skip || ev->was_skipped)
				g_hash_table_add(
				    skipped_seen,
				    g_strconcat(ev->item->container, "\n", ev->item->name, NULL));
			if (ev->known_skip) {
				wt->report->skipped_known++;
			} else if (ev->error) {
				g_autofree char *where = item_where(ev->item);
				report_skipped(p, where, ev->error->message);
				/* Not mail, or refused, is the file's nature: remembered
				 * until it changes. A read error may pass: its folder is
				 * read again next time. */
				if (ev->error->domain != PARSE_ERROR)
					g_hash_table_add(unread, g_strdup(ev->item->container));
				else if (!failed && !writer_skip(w, ev->item, ev->bytes,
				                                 ev->error->message, &wt->error))
					failed = TRUE;
			} else if (!failed) {
				wt->report->scanned++;
				if (!writer_add(w, ev->item, ev->pm, ev->body_z, ev->filings,
				                &wt->error) ||
				    (ev->was_skipped && !writer_unskip(w, ev->item->container,
				                                       ev->item->name, &wt->error)))
					failed = TRUE;
				batch++;
			}
			handled++;
			progress_update(bar, handled, item_done(p, ev->bytes));
			break;
		case EV_MOVED:
			if (!failed && !writer_move(w, ev->id, ev->path, ev->flags, &wt->error))
				failed = TRUE;
			break;
		case EV_GONE:
			/* Removals wait for the end of the run, so a message moved to
			 * another folder gains its new copy before losing the old one
			 * and keeps its id. */
			g_array_append_val(gone, ev->id);
			break;
		case EV_DONE:
			/* Folders are recorded as scanned only once all their mail is
			 * written: after a kill, the next run looks at them again. */
			g_ptr_array_add(done, g_steal_pointer(&ev));
			break;
		case EV_END:
			break;
		}
		if (ev)
			event_free(ev);
		if (failed) {
			g_atomic_int_set(&p->writer_failed, 1);
			if (in_tx)
				writer_rollback(w);
			in_tx = FALSE;
			continue;
		}
		if (in_tx && (batch >= BATCH_MESSAGES ||
		              g_get_monotonic_time() - tx_start > BATCH_MICROSECONDS)) {
			if (!writer_commit(w, &wt->error)) {
				failed = TRUE;
				g_atomic_int_set(&p->writer_failed, 1);
				writer_rollback(w);
			} else {
				supervise_committed(writer_stats(w));
			}
			in_tx = FALSE;
#ifdef MC_TEST_HOOKS
			/* Tests send their signal here: just after a commit. */
			static gboolean paused;
			if (!failed && !paused) {
				paused = TRUE;
				interrupt_test_pause();
			}
#endif
		}
	}

	/* A signal after the last message: the open batch is committed, and the
	 * run's removals and scan marks wait for the next run (as after a kill). */
	if (!failed && !stopped && interrupt_caught())
		stopped = TRUE;
	if (stopped) {
		if (in_tx && !writer_commit(w, &wt->error)) {
			failed = TRUE;
			writer_rollback(w);
		}
	} else if (!failed && (gone->len || done->len || in_tx || writer_orphans_pending(w) ||
	                       writer_inherit_pending(w))) {
		if (!in_tx && !writer_begin(w, &wt->error))
			failed = TRUE;
		for (guint i = 0; !failed && i < gone->len; i++)
			if (!writer_remove_location(w, g_array_index(gone, gint64, i), &wt->error))
				failed = TRUE;
		if (!failed && !writer_sweep_orphans(w, &wt->error))
			failed = TRUE;
		if (!failed && !writer_inherit_filings(w, FALSE, &wt->error))
			failed = TRUE;
		for (guint i = 0; !failed && i < done->len; i++) {
			const struct event *ev = g_ptr_array_index(done, i);
			if (g_hash_table_contains(unread, ev->path))
				continue;
			if (!writer_container_done(w, ev->path, ev->mtime_ns, ev->size, &wt->error))
				failed = TRUE;
		}
		if (!failed && !forget_gone_skipped(w, p->skipped_known, skipped_seen, done, unread,
		                                    &wt->error))
			failed = TRUE;
		if (!failed && !writer_commit(w, &wt->error))
			failed = TRUE;
		if (failed)
			writer_rollback(w);
		else
			supervise_committed(writer_stats(w));
	}
	if (w)
		wt->report->stats = *writer_stats(w);
	wt->report->interrupted = stopped;
	/* Fresh statistics let the planner pick the covering indexes (a search
	 * takes milliseconds instead of tens). analysis_limit keeps it to a few
	 * milliseconds whatever the size; a run that changed nothing skips it. */
	const struct writer_stats *st = &wt->report->stats;
	if (!failed && !stopped && (st->messages_added || st->messages_removed) &&
	    !db_exec(db, "PRAGMA analysis_limit = 1000; ANALYZE;", &wt->error))
		failed = TRUE;
	return NULL;
}

static gboolean
pipeline_prepare(struct pipeline *p, const char *db_path, GError **error)
{
	p->read_db = db_open(db_path, DB_WRITE, error);
	if (!p->read_db)
		return FALSE;
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
	p->skipped_known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(sqlite3_stmt) sk =
	    db_prepare(p->read_db, "SELECT container, name, size, mtime FROM skipped", error);
	if (!sk)
		return FALSE;
	while (sqlite3_step(sk) == SQLITE_ROW) {
		gint64 *v = g_new(gint64, 2);
		v[0] = sqlite3_column_int64(sk, 2);
		v[1] = sqlite3_column_int64(sk, 3);
		g_hash_table_insert(
		    p->skipped_known,
		    g_strconcat(db_column_text(sk, 0), "\n", db_column_text(sk, 1), NULL), v);
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
	memset(report, 0, sizeof *report);
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
		.cfg = cfg,
		.rules = filing_rules,
		.parse_flags = filing_rules && rules_need_headers(filing_rules) ? PARSE_HEADERS
		                                                                 : PARSE_DEFAULT,
	};
	g_mutex_init(&p.lock);
	g_cond_init(&p.cond);
	gboolean ok = pipeline_prepare(&p, db_path, error);
	if (ok) {
		p.queue = g_async_queue_new();
		p.pool =
		    g_thread_pool_new(parse_worker, &p, (gint)g_get_num_processors(), TRUE, NULL);
		struct writer_thread wt = { .p = &p, .db_path = db_path, .report = report };
		GThread *writer = g_thread_new("writer", writer_main, &wt);

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
		g_thread_pool_free(p.pool, FALSE, TRUE);
		struct event *end = g_new0(struct event, 1);
		end->kind = EV_END;
		push(&p, end);
		g_thread_join(writer);
		g_async_queue_unref(p.queue);
		if (wt.error) {
			g_propagate_error(error, wt.error);
			ok = FALSE;
		}
	}
	report->skipped = g_atomic_int_get(&p.skipped);
	report->seconds = (g_get_monotonic_time() - start) / 1e6;
	if (p.st_locations)
		sqlite3_finalize(p.st_locations);
	if (p.st_containers_below)
		sqlite3_finalize(p.st_containers_below);
	if (p.containers)
		g_hash_table_unref(p.containers);
	if (p.claimed)
		g_hash_table_unref(p.claimed);
	if (p.skipped_known)
		g_hash_table_unref(p.skipped_known);
	db_close(p.read_db);
	g_mutex_clear(&p.lock);
	g_cond_clear(&p.cond);
	return ok;
}
