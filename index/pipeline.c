/* The machinery of an ingest or reindex run: messages parsed on a thread pool, written on one
 * thread in large transactions. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/pipeline-internal.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "common/progress.h"
#include "index/fts-merge.h"
#include "ingest/pdf.h"
#include "index/supervise.h"
#include "index/text.h"

/* Messages between the scanner and the writer at most: bounds memory whatever
 * the corpus size, while keeping every worker busy. The workers go on
 * parsing while the writer commits a batch: at 256 they waited for most of
 * each commit's checkpoint (HACKING.md, "Messages in flight"). */
#define MAX_IN_FLIGHT 1024
/* ...and at most this many bytes of raw mail, which bounds memory when the
 * messages are large (an mbox of 20 MB newsletters). One message is always
 * let through, however large. */
#define MAX_IN_FLIGHT_BYTES (32 * 1024 * 1024)
/* A feeder that found no room waits until this many messages are done: woken
 * for each one, it cost a futex call each way per message. */
#define FEED_RESUME_GAP 32
/* Commit after this many messages or this long, whichever comes first: large
 * transactions are what makes SQLite fast, and a kill loses at most one (its
 * messages are found again by the next run). A commit writes every page the
 * batch changed, and a new message's address and Message-ID keys land in
 * random pages of B-trees that grow with the index: at 5,000 messages or 2 s
 * a step of 100,000 into a million of many correspondents wrote 1.27
 * million pages (to the WAL, then back), 0.76 million at 50,000 (HACKING.md,
 * "Batches as large as the index needs"). */
#define BATCH_MESSAGES     50000
#define BATCH_MICROSECONDS (10 * G_USEC_PER_SEC)
/* What the writer counts of a batch's mail (a row a thread and filing key,
 * a thread's last message, contacts) is written every this many messages
 * inside the transaction, not held to its end: held for 50,000 it took
 * peak RSS of a million in one run from 60.7 to 66.1 MB. */
#define COUNTS_MESSAGES 5000
/* How much nicer the parse workers are than the writer. One writer thread
 * takes what the workers parse, and on a large index it is what an ingest
 * waits for: on two cores a worker that shares its core took a third of
 * it. Niced, the workers have what the writer leaves, and all of it when
 * the writer waits (HACKING.md, "The writer first"). */
#define PARSE_NICE 10
/* A writer that finds no message waiting looks again every
 * WRITER_POLL_US, WRITER_POLL_TRIES times, before it sleeps until a worker
 * wakes it: a worker then hands a message over without a system call. Woken
 * for each message, the writer of a first ingest of 20,000 slept 14,000
 * times, and each hand-over cost a futex wake, the writer woken on the
 * other core and meeting the queue's lock still held, and a second wake
 * (94,000 futex calls in all; HACKING.md, "A writer that looks again"). */
#define WRITER_POLL_US    1000
#define WRITER_POLL_TRIES 5
/* A maildir file larger than this is reported and skipped. */
#define MAX_MESSAGE_FILE (256 * 1024 * 1024)

/* The positive number test hook NAME sets; 0 when none is set (or the build
 * has no test hooks). MAILCLERK_TEST_BATCH: the batch size, so that a test
 * of a few hundred messages has several batches, of that size alone, with
 * no time limit, however slow the build (a sanitizer's) or the machine.
 * MAILCLERK_TEST_COUNTS: how often the writer's counts are written, so
 * that a test's batches write them several times each. */
static guint
test_hook_number(const char *name)
{
#ifdef MC_TEST_HOOKS
	const char *n = g_getenv(name);
	if (n && atoi(n) > 0)
		return (guint)atoi(n);
#else
	(void)name;
#endif
	return 0;
}

void
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
	g_free(ev->message_id);
	if (ev->copies)
		g_ptr_array_unref(ev->copies);
	g_free(ev);
}

gboolean
pipeline_stopping(struct pipeline *p)
{
	return g_atomic_int_get(&p->writer_failed) || interrupt_caught();
}

void
pipeline_report_skipped(struct pipeline *p, const char *path, const char *reason)
{
	g_atomic_int_inc(&p->skipped);
	fprintf(stderr, "mailclerk: skipped %s: %s\n", path, reason);
}

/* ---- what is fed to the workers and the writer ---- */

void
pipeline_push(struct pipeline *p, struct event *ev)
{
	g_async_queue_push(p->queue, ev);
}

/* Whether a message of BYTES raw bytes fits in beside those in flight (one
 * always does, however large, when none is). */
static gboolean
bytes_fit(const struct pipeline *p, gsize bytes)
{
	return p->in_flight_bytes == 0 || p->in_flight_bytes + bytes <= MAX_IN_FLIGHT_BYTES;
}

/* Whether a feeder waiting to send a message of BYTES raw bytes goes on:
 * FEED_RESUME_GAP messages below the limit, and its bytes fit. Every
 * message in flight is eventually done, so it always comes. */
static gboolean
feed_resumes(const struct pipeline *p, gsize bytes)
{
	return p->in_flight <= MAX_IN_FLIGHT - FEED_RESUME_GAP && bytes_fit(p, bytes);
}

void
pipeline_feed(struct pipeline *p, struct event *ev, gsize bytes)
{
	if (pipeline_stopping(p)) {
		event_free(ev);
		return;
	}
	g_mutex_lock(&p->lock);
	if (p->in_flight >= MAX_IN_FLIGHT || !bytes_fit(p, bytes)) {
		p->feeder_waits_for = bytes;
		while (!feed_resumes(p, bytes))
			g_cond_wait(&p->cond, &p->lock);
		p->feeder_waits_for = G_MAXSIZE;
	}
	p->in_flight++;
	p->in_flight_bytes += bytes;
	p->discovered++;
	g_mutex_unlock(&p->lock);
	g_thread_pool_push(p->pool, ev, NULL);
}

void
pipeline_expect(struct pipeline *p, guint64 n)
{
	g_mutex_lock(&p->lock);
	p->expected += n;
	g_mutex_unlock(&p->lock);
}

/* ---- parse workers ---- */

GBytes *
pipeline_read_file(const char *path, gint64 *mtime, gint64 *size, GError **error)
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
		*mtime = st.st_mtim.tv_sec;
		if (size)
			*size = st.st_size;
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED, "file larger than 256 MiB");
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

char *
pipeline_copy_where(const struct source_item *item)
{
	if (g_str_equal(item->kind, "mbox"))
		return g_strdup_printf("%s (message at offset %" G_GINT64_FORMAT ")", item->path,
		                       item->offset);
	return g_strdup(*item->path ? item->path : "stdin");
}

char *
pipeline_where(const struct event *ev)
{
	if (!ev->message)
		return pipeline_copy_where(ev->item);
	if (!ev->item)
		return g_strdup_printf("message %" G_GINT64_FORMAT, ev->message);
	g_autofree char *where = pipeline_copy_where(ev->item);
	return g_strdup_printf("message %" G_GINT64_FORMAT " (%s)", ev->message, where);
}

/* A parse thread's end, as its thread-local data goes: a GThreadPool does
 * not join its threads, and one still ending as the process exits made
 * LeakSanitizer say it could not stop it (once in a sanitizer run of the
 * suite). pipeline_finish() has them end at once and waits for every one. */
static void
worker_ended(gpointer data)
{
	struct pipeline *p = data;
	g_mutex_lock(&p->lock);
	p->workers_alive--;
	g_cond_broadcast(&p->cond);
	g_mutex_unlock(&p->lock);
}

static GPrivate worker_of = G_PRIVATE_INIT(worker_ended);

static void
parse_worker(gpointer data, gpointer user_data)
{
	struct event *ev = data;
	struct pipeline *p = user_data;
	if (!g_private_get(&worker_of)) {
		g_mutex_lock(&p->lock);
		p->workers_alive++;
		g_mutex_unlock(&p->lock);
		g_private_set(&worker_of, p);
		/* Linux sets one thread's nice value given its id (and holds
		 * it to 19); a failure leaves it as it was. Relative, so that
		 * `nice mailclerk` stays nice. */
		id_t self = (id_t)gettid();
		errno = 0;
		int was = getpriority(PRIO_PROCESS, self);
		if (errno == 0)
			(void)setpriority(PRIO_PROCESS, self, was + PARSE_NICE);
	}
	g_autoptr(GBytes) bytes = NULL;
	gint64 mtime = ev->item ? ev->item->mtime : 0;
	if (ev->message) {
		/* A reindex: the first copy that can still be read. */
		bytes = reindex_read(ev, &mtime);
	} else if (ev->item->refused) {
		/* Not read: what it is was said by its source. */
		ev->skip_size = MAX(ev->item->length, 1);
		g_set_error_literal(&ev->error, PARSE_ERROR, PARSE_ERROR_FAILED, ev->item->refused);
	} else if (ev->item->data) {
		bytes = g_bytes_ref(ev->item->data);
		ev->bytes = g_bytes_get_size(bytes);
	} else {
		bytes = pipeline_read_file(ev->item->path, &mtime, &ev->skip_size, &ev->error);
	}
	struct source_item *item = ev->item;
	/* Read here: counted from now until the writer is done with it; only
	 * the feeder ever waits on the count. */
	if (bytes && !ev->bytes) {
		ev->bytes = g_bytes_get_size(bytes);
		g_mutex_lock(&p->lock);
		p->in_flight_bytes += ev->bytes;
		g_mutex_unlock(&p->lock);
	}
	/* Read, or too large to read (remembered by its size). */
	gboolean sized = bytes || (ev->skip_size && !ev->message);
	if (sized) {
		item->mtime = mtime;
		gint64 size = bytes ? (gint64)ev->bytes : ev->skip_size;
		const gint64 *skipped = NULL;
		if (g_hash_table_size(p->skipped_known)) {
			g_autofree char *key = g_strconcat(item->container, "\n", item->name, NULL);
			skipped = g_hash_table_lookup(p->skipped_known, key);
		}
		ev->known_skip = skipped && skipped[0] == size && skipped[1] == mtime;
		ev->was_skipped = skipped && !ev->known_skip;
		if (ev->known_skip)
			g_clear_error(&ev->error);
	}
	if (bytes && !ev->known_skip) {
		gsize len;
		const char *raw = g_bytes_get_data(bytes, &len);
		g_autofree char *where = pipeline_where(ev);
		supervise_enter(item, len, where);
		supervise_test_crash(raw, len);
		ev->pm = parse_message(raw, len, mtime, p->parse_flags, &ev->error);
		/* Indexed all the same: said, not counted. */
		for (guint i = 0; ev->pm && ev->pm->problems && i < ev->pm->problems->len; i++)
			fprintf(stderr, "mailclerk: %s: %s\n", where,
			        (const char *)g_ptr_array_index(ev->pm->problems, i));
		/* Compressing here keeps it off the single writer thread. */
		if (ev->pm)
			ev->body_z = text_compress(ev->pm->body_text);
		/* So are the rules: their regexes are most of the cost of filing. */
		if (ev->pm && p->rules)
			ev->filings = rules_file(p->rules, ev->pm);
		supervise_leave();
		if (ev->pm && ev->message)
			reindex_check(ev);
	}
	/* The raw bytes are no longer needed: drop them before queueing. */
	if (item && item->data) {
		g_bytes_unref(item->data);
		item->data = NULL;
	}
	pipeline_push(p, ev);
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
	if (p->feeder_waits_for != G_MAXSIZE && feed_resumes(p, p->feeder_waits_for))
		g_cond_signal(&p->cond);
	guint64 total = MAX(p->discovered, p->expected);
	g_mutex_unlock(&p->lock);
	return total;
}

/* The next event for the writer, waited for (see WRITER_POLL_US). */
static struct event *
next_event(struct pipeline *p)
{
	for (int tries = 0; tries < WRITER_POLL_TRIES; tries++) {
		struct event *ev = g_async_queue_try_pop(p->queue);
		if (ev)
			return ev;
		g_usleep(WRITER_POLL_US);
	}
	return g_async_queue_pop(p->queue);
}

/* Commits the open batch; a reindex records how far it got in the same
 * transaction. */
static gboolean
commit(struct pipeline *p, struct index_writer *w, struct mc_db *db, GError **error)
{
	if (p->reindex && !reindex_mark(p->reindex, db, error))
		return FALSE;
	return writer_commit(w, error);
}

/* Reports message EV->message as left as it was, for WHY. */
static void
report_left(struct pipeline *p, const struct event *ev, const char *why)
{
	g_atomic_int_inc(&p->skipped);
	fprintf(stderr, "mailclerk: message %" G_GINT64_FORMAT " left as it was: %s\n", ev->message,
	        why);
}

/* A message read again (reindex): rewritten from its copy, or left as it
 * was when no copy could be read or parsed. */
static gboolean
write_reindexed(struct pipeline *p, struct index_writer *w, struct mc_db *db, struct event *ev,
                guint *batch, GError **error)
{
	if (ev->known_skip) {
		/* Its copy crashed an earlier run (index/supervise.c) and has not
		 * changed since. */
		sqlite3_stmt *s = db_cached(
		    db, "SELECT reason FROM skipped WHERE container = ? AND name = ?", error);
		if (!s)
			return FALSE;
		db_bind_text(s, 1, ev->item->container);
		db_bind_text(s, 2, ev->item->name);
		g_autofree char *reason =
		    g_strdup(sqlite3_step(s) == SQLITE_ROW ? db_column_text(s, 0) : "skipped");
		sqlite3_reset(s);
		g_autofree char *where = pipeline_copy_where(ev->item);
		g_autofree char *why =
		    g_strdup_printf("%s: %s; it is skipped until it changes", where, reason);
		report_left(p, ev, why);
	} else if (ev->error) {
		report_left(p, ev, ev->error->message);
	} else {
		p->report->scanned++;
		if (!writer_rewrite(w, ev->message, ev->pm, ev->body_z, error) ||
		    (ev->was_skipped &&
		     !writer_unskip(w, ev->item->container, ev->item->name, error)))
			return FALSE;
		(*batch)++;
	}
	reindex_done(p->reindex, ev);
	return TRUE;
}

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
	struct pipeline *p = data;
	GError **error = &p->writer_error;
	struct ingest_report *report = p->report;
	g_autoptr(mc_db) db = db_open(p->db_path, DB_WRITE, error);
	g_autoptr(index_writer) w =
	    db && fts_policy_apply(db, error) && db_count_work_tables(db, TRUE, error)
	        ? writer_new(db, p->cfg, p->rules, error)
	        : NULL;
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
	guint batch = 0, batch_size = test_hook_number("MAILCLERK_TEST_BATCH");
	gint64 batch_time = batch_size ? G_MAXINT64 : BATCH_MICROSECONDS;
	if (!batch_size)
		batch_size = BATCH_MESSAGES;
	gint64 tx_start = 0;
	guint64 handled = 0;
	guint counts_at = 0, counts_gap = test_hook_number("MAILCLERK_TEST_COUNTS");
	if (!counts_gap)
		counts_gap = COUNTS_MESSAGES;

	for (;;) {
		struct event *ev = next_event(p);
		if (ev->kind == EV_END) {
			event_free(ev);
			break;
		}
		/* Interrupted: what was written is committed (a safe point, as a
		 * batch's end is); what comes after is dropped unwritten, and the
		 * next run finds it again. */
		if (!stopped && interrupt_caught()) {
			stopped = TRUE;
			if (in_tx && !commit(p, w, db, error)) {
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
			if (!writer_begin(w, error))
				failed = TRUE;
			in_tx = !failed;
			tx_start = g_get_monotonic_time();
			batch = 0;
			counts_at = 0;
		}
		switch (ev->kind) {
		case EV_ITEM:
			if (p->reindex) {
				if (!failed && !write_reindexed(p, w, db, ev, &batch, error))
					failed = TRUE;
				handled++;
				progress_update(bar, handled, item_done(p, ev->bytes));
				break;
			}
			if (ev->known_skip || ev->was_skipped)
				g_hash_table_add(
				    skipped_seen,
				    g_strconcat(ev->item->container, "\n", ev->item->name, NULL));
			if (ev->known_skip) {
				report->skipped_known++;
			} else if (ev->error) {
				g_autofree char *where = pipeline_where(ev);
				pipeline_report_skipped(p, where, ev->error->message);
				/* Not mail, or refused, is the file's nature: remembered
				 * until it changes. A read error may pass: its folder is
				 * read again next time. */
				if (ev->error->domain != PARSE_ERROR)
					g_hash_table_add(unread, g_strdup(ev->item->container));
				else if (!failed &&
				         !writer_skip(w, ev->item,
				                      ev->bytes ? (gint64)ev->bytes : ev->skip_size,
				                      ev->error->message, error))
					failed = TRUE;
			} else if (!failed) {
				g_autofree char *refused = NULL;
				if (!writer_add(w, ev->item, ev->pm, ev->body_z, ev->filings,
				                &refused, error))
					failed = TRUE;
				else if (refused) {
					/* Another message under a known Message-ID:
					 * remembered as skipped until it changes. */
					g_autofree char *where = pipeline_where(ev);
					pipeline_report_skipped(p, where, refused);
					if (!writer_skip(w, ev->item, ev->bytes, refused, error))
						failed = TRUE;
				} else {
					report->scanned++;
					if (ev->was_skipped &&
					    !writer_unskip(w, ev->item->container, ev->item->name,
					                   error))
						failed = TRUE;
				}
				batch++;
			}
			handled++;
			progress_update(bar, handled, item_done(p, ev->bytes));
			break;
		case EV_MOVED:
			if (!failed && !writer_move(w, ev->id, ev->path, ev->flags, error))
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
		if (in_tx && batch < batch_size && batch - counts_at >= counts_gap) {
			counts_at = batch;
			if (!writer_flush_counts(w, error)) {
				failed = TRUE;
				g_atomic_int_set(&p->writer_failed, 1);
				writer_rollback(w);
				in_tx = FALSE;
				continue;
			}
		}
		if (in_tx &&
		    (batch >= batch_size || g_get_monotonic_time() - tx_start > batch_time)) {
			if (!commit(p, w, db, error)) {
				failed = TRUE;
				g_atomic_int_set(&p->writer_failed, 1);
				writer_rollback(w);
			} else {
				supervise_committed(writer_stats(w));
			}
			in_tx = FALSE;
#ifdef MC_TEST_HOOKS
			/* Tests send their signal here: just after a commit (a
			 * reindex's first that records progress: its first
			 * message may be parsed after many others). */
			static gboolean paused;
			if (!failed && !paused && (!p->reindex || reindex_marked(p->reindex))) {
				paused = TRUE;
				interrupt_test_pause("MAILCLERK_TEST_PAUSE");
			}
#endif
		}
	}

	/* A signal after the last message: the open batch is committed, and the
	 * run's removals and scan marks wait for the next run (as after a kill). */
	if (!failed && !stopped && interrupt_caught())
		stopped = TRUE;
	if (stopped) {
		if (in_tx && !commit(p, w, db, error)) {
			failed = TRUE;
			writer_rollback(w);
		}
	} else if (!failed && p->reindex) {
		/* Every message handled: the job is done (or marked, when one
		 * was not fed). */
		if (!in_tx && !writer_begin(w, error))
			failed = TRUE;
		if (!failed && (!reindex_finish(p->reindex, db, error) || !writer_commit(w, error)))
			failed = TRUE;
		if (failed)
			writer_rollback(w);
		else
			supervise_committed(writer_stats(w));
	} else if (!failed && (gone->len || done->len || in_tx || writer_orphans_pending(w) ||
	                       writer_inherit_pending(w))) {
		if (!in_tx && !writer_begin(w, error))
			failed = TRUE;
		for (guint i = 0; !failed && i < gone->len; i++)
			if (!writer_remove_location(w, g_array_index(gone, gint64, i), error))
				failed = TRUE;
		if (!failed && !writer_sweep_orphans(w, error))
			failed = TRUE;
		if (!failed && !writer_inherit_filings(w, FALSE, error))
			failed = TRUE;
		for (guint i = 0; !failed && i < done->len; i++) {
			const struct event *ev = g_ptr_array_index(done, i);
			if (g_hash_table_contains(unread, ev->path))
				continue;
			if (!writer_container_done(w, ev->path, ev->mtime_ns, ev->size, error))
				failed = TRUE;
		}
		if (!failed &&
		    !forget_gone_skipped(w, p->skipped_known, skipped_seen, done, unread, error))
			failed = TRUE;
		if (!failed && !commit(p, w, db, error))
			failed = TRUE;
		if (failed)
			writer_rollback(w);
		else
			supervise_committed(writer_stats(w));
	}
	if (w)
		report->stats = *writer_stats(w);
	report->interrupted = stopped;
	/* Fresh statistics let the planner pick the covering indexes (a search
	 * takes milliseconds instead of tens). db_analyze() keeps it to a few
	 * milliseconds whatever the size; a run that changed nothing skips it. */
	const struct writer_stats *st = &report->stats;
	if (!failed && !stopped && (st->messages_added || st->messages_removed) &&
	    !db_analyze(db, error))
		failed = TRUE;
	/* Few full-text segments keep searches fast at any size
	 * (index/fts-merge.h); the merging is in steps, each committed. */
	if (!failed && !stopped) {
		/* A line of its own, its rate from its start. */
		progress_free(g_steal_pointer(&bar));
		bar = progress_new();
		if (!fts_merge_after_run(
		        db, st->messages_added + st->messages_removed + st->messages_rewritten, bar,
		        error))
			failed = TRUE;
	}
	return NULL;
}

gboolean
pipeline_open(struct pipeline *p, const char *db_path, const struct mc_config *cfg,
              const struct rules *filing_rules, struct ingest_report *report, GError **error)
{
	memset(report, 0, sizeof *report);
	p->db_path = db_path;
	p->cfg = cfg;
	p->rules = filing_rules;
	p->report = report;
	p->parse_flags =
	    filing_rules && rules_need_headers(filing_rules) ? PARSE_HEADERS : PARSE_DEFAULT;
	g_mutex_init(&p->lock);
	g_cond_init(&p->cond);
	p->feeder_waits_for = G_MAXSIZE;
	p->skipped_known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p->read_db = db_open(db_path, DB_WRITE, error);
	if (!p->read_db)
		return FALSE;
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
	return TRUE;
}

void
pipeline_start(struct pipeline *p)
{
	p->queue = g_async_queue_new();
	parse_thread_stacks();
	p->pool = g_thread_pool_new(parse_worker, p, (gint)g_get_num_processors(), TRUE, NULL);
	p->writer = g_thread_new("writer", writer_main, p);
}

gboolean
pipeline_finish(struct pipeline *p, GError **error)
{
	/* The pool's threads end now rather than idle for 15 s in GLib's
	 * spare threads: then they can be waited for. */
	g_thread_pool_set_max_unused_threads(0);
	g_thread_pool_free(p->pool, FALSE, TRUE);
	p->pool = NULL;
	g_thread_pool_stop_unused_threads();
	g_mutex_lock(&p->lock);
	while (p->workers_alive)
		g_cond_wait(&p->cond, &p->lock);
	g_mutex_unlock(&p->lock);
	pdf_readers_stop();
	struct event *end = g_new0(struct event, 1);
	end->kind = EV_END;
	pipeline_push(p, end);
	g_thread_join(p->writer);
	p->writer = NULL;
	g_async_queue_unref(p->queue);
	p->queue = NULL;
	if (p->writer_error) {
		g_propagate_error(error, p->writer_error);
		p->writer_error = NULL;
		return FALSE;
	}
	return TRUE;
}

void
pipeline_clear(struct pipeline *p, gint64 start)
{
	p->report->skipped = g_atomic_int_get(&p->skipped);
	p->report->seconds = (g_get_monotonic_time() - start) / 1e6;
	if (p->skipped_known)
		g_hash_table_unref(p->skipped_known);
	db_close(p->read_db);
	g_mutex_clear(&p->lock);
	g_cond_clear(&p->cond);
}
