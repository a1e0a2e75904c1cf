/* Filing every message again from the index (reclassify.h): messages loaded
 * and filed by batches on loader threads, what changed written in id order
 * by the caller's thread. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/interrupt.h"
#include "index/aggregates.h"
#include "index/load.h"
#include "index/reclassify.h"
#include "index/writer.h"
#include "ingest/parse.h"
#include "ingest/source.h"

/* Messages a loader reads and files at once: six range queries a batch
 * instead of six lookups a message. */
#define BATCH_IDS 512
/* Batches handed out and not yet written at most: a batch keeps only what
 * changed (a message is freed once filed), so this bounds memory. */
#define MAX_IN_FLIGHT 16
/* Loader threads at most: each has a connection and page cache of its own,
 * and the writer, with little to write, is seldom what they wait for. */
#define MAX_LOADERS 4

/* One run of consecutive message ids, loaded and filed by one loader, with
 * what changed: the writer only writes that. */
struct batch {
	GArray *ids; /* gint64, ascending */
	/* Rows that go: struct filing * (excluded: an exclusion), each with its
	 * message in gone_ids. */
	GPtrArray *gone;
	GArray *gone_ids;
	/* Rows that come: per message, a GPtrArray * of struct filing * as
	 * writer_file_message() takes them, the message in added_ids. */
	GPtrArray *added;
	GArray *added_ids;
	/* The filings' keys before the run of the messages no rule files now
	 * (their thread may): struct filing *, the message in unfiled_ids. */
	GPtrArray *unfiled;
	GArray *unfiled_ids;
	gint64 keys_added, keys_removed; /* of the messages a rule files */
	GError *error;
	gboolean done; /* under loaders.lock */
};

static struct batch *
batch_new(guint size)
{
	struct batch *b = g_new0(struct batch, 1);
	b->ids = g_array_sized_new(FALSE, FALSE, sizeof(gint64), size);
	b->gone = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	b->gone_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	b->added = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	b->added_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	b->unfiled = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	b->unfiled_ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	return b;
}

static void
batch_free(struct batch *b)
{
	g_array_unref(b->ids);
	g_ptr_array_unref(b->gone);
	g_array_unref(b->gone_ids);
	g_ptr_array_unref(b->added);
	g_array_unref(b->added_ids);
	g_ptr_array_unref(b->unfiled);
	g_array_unref(b->unfiled_ids);
	g_clear_error(&b->error);
	g_free(b);
}

/* What every loader shares; the connections are each loader's own. */
struct loaders {
	const struct mc_config *cfg;
	const struct rules *rules;
	gboolean body, headers;
	GAsyncQueue *todo; /* struct batch * to load; the queue itself ends them */
	GMutex lock;
	GCond cond; /* a batch is done */
	gint stop;  /* the writer failed: later batches are not loaded */
	GPtrArray *threads;
	GPtrArray *dbs; /* struct mc_db *, one a thread, owned */
};

/* The side tables' rows of a batch, read beside the messages in id order. */
struct side {
	sqlite3_stmt *s;
	int rc; /* of the last step: SQLITE_ROW while a row is there */
};

/* Steps S over the rows of message ID (the first column), appending each to
 * OUT through ROW; rows of earlier messages cannot be there (ORDER BY). */
static void
side_take(struct side *s, gint64 id, GPtrArray *out, void (*row)(sqlite3_stmt *, GPtrArray *))
{
	while (s->rc == SQLITE_ROW && sqlite3_column_int64(s->s, 0) == id) {
		row(s->s, out);
		s->rc = sqlite3_step(s->s);
	}
}

/* Column 0 of these range queries is the message id. */
static void
address_row(sqlite3_stmt *s, GPtrArray *out)
{
	load_address_row(s, 1, out);
}

static void
attachment_row(sqlite3_stmt *s, GPtrArray *out)
{
	load_attachment_row(s, 1, out);
}

static void
label_row(sqlite3_stmt *s, GPtrArray *out)
{
	g_ptr_array_add(out, g_strdup(db_column_text(s, 1)));
}

/* A row of filings (or, EXCLUDED, of exclusions) as a struct filing. */
static void
old_filing_row(sqlite3_stmt *s, GPtrArray *out)
{
	struct filing *f = g_new0(struct filing, 1);
	f->client = g_strdup(db_column_text(s, 1));
	f->project = g_strdup(db_column_text(s, 2));
	f->rule = g_strdup(db_column_text(s, 3));
	f->matched = g_strdup(db_column_text(s, 4));
	g_ptr_array_add(out, f);
}

static void
old_exclusion_row(sqlite3_stmt *s, GPtrArray *out)
{
	struct filing *f = g_new0(struct filing, 1);
	f->client = g_strdup(db_column_text(s, 1));
	f->project = g_strdup("");
	f->rule = g_strdup(db_column_text(s, 2));
	f->matched = g_strdup(db_column_text(s, 3));
	f->excluded = TRUE;
	g_ptr_array_add(out, f);
}

static struct filing *
filing_copy(const struct filing *f)
{
	struct filing *c = g_new0(struct filing, 1);
	c->client = g_strdup(f->client);
	c->project = g_strdup(f->project);
	c->rule = g_strdup(f->rule);
	c->matched = g_strdup(f->matched);
	c->excluded = f->excluded;
	return c;
}

/* Whether A and B are rows of one key: (client, project) of a filing,
 * client of an exclusion. A NULL project is the client's own (''). */
static gboolean
same_key(const struct filing *a, const struct filing *b)
{
	return a->excluded == b->excluded && g_str_equal(a->client, b->client) &&
	       (a->excluded ||
	        g_strcmp0(a->project ? a->project : "", b->project ? b->project : "") == 0);
}

/* Whether A and B are the same row: same key, rule and matched text. */
static gboolean
same_row(const struct filing *a, const struct filing *b)
{
	return same_key(a, b) && g_str_equal(a->rule, b->rule) &&
	       g_strcmp0(a->matched ? a->matched : "", b->matched ? b->matched : "") == 0;
}

static gboolean
has_key(const GPtrArray *rows, const struct filing *f)
{
	for (guint i = 0; i < rows->len; i++)
		if (same_key(g_ptr_array_index(rows, i), f))
			return TRUE;
	return FALSE;
}

/* Notes in B what changes for message ID, filed NOW (rules_file(); the
 * caller's, taken) where the index has OLD (its filings and exclusions as
 * struct filing *, the caller's, taken): the rows that go, those that come,
 * the keys added and removed. The old rows of inherited filings ('thread')
 * always go: the writer files by thread again afterwards. */
static void
batch_note(struct batch *b, gint64 id, GPtrArray *now, GPtrArray *old)
{
	/* One row a key, the first, as INSERT OR IGNORE keeps it. */
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	gboolean filed = FALSE;
	for (guint i = 0; i < now->len; i++) {
		struct filing *f = g_ptr_array_index(now, i);
		if (has_key(rows, f))
			continue;
		g_ptr_array_add(rows, g_ptr_array_steal_index(now, i--));
		filed |= !f->excluded;
	}
	g_ptr_array_unref(now);
	/* The keys: here for a message a rule files (nothing inherits to it);
	 * for the others once the writer has filed by thread. */
	for (guint i = 0; i < old->len; i++) {
		struct filing *o = g_ptr_array_index(old, i);
		if (o->excluded)
			continue;
		if (!filed) {
			g_ptr_array_add(b->unfiled, filing_copy(o));
			g_array_append_val(b->unfiled_ids, id);
		} else if (!has_key(rows, o)) {
			b->keys_removed++;
		}
	}
	for (guint i = 0; filed && i < rows->len; i++) {
		const struct filing *f = g_ptr_array_index(rows, i);
		if (!f->excluded && !has_key(old, f))
			b->keys_added++;
	}
	/* The rows: an old one the same as a new one stays. */
	for (guint i = 0; i < old->len; i++) {
		struct filing *o = g_ptr_array_index(old, i);
		gboolean stays = FALSE;
		for (guint j = 0; !stays && j < rows->len; j++) {
			if (same_row(o, g_ptr_array_index(rows, j))) {
				filing_free(g_ptr_array_steal_index(rows, j));
				stays = TRUE;
			}
		}
		if (!stays) {
			g_ptr_array_add(b->gone, g_ptr_array_steal_index(old, i--));
			g_array_append_val(b->gone_ids, id);
		}
	}
	g_ptr_array_unref(old);
	if (rows->len > 0) {
		g_ptr_array_add(b->added, g_steal_pointer(&rows));
		g_array_append_val(b->added_ids, id);
	}
}

/* Adds the headers of message ID, read and parsed again from its files (the
 * index does not keep them), to PM. A message with no readable copy is
 * filed without its headers. */
static gboolean
load_headers(struct mc_db *db, gint64 id, struct parsed_message *pm, GError **error)
{
	g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func(mc_location_free);
	if (!load_locations(db, id, copies, error))
		return FALSE;
	g_autoptr(GBytes) raw = source_read_copy(id, copies, NULL);
	if (raw) {
		gsize len;
		const char *data = g_bytes_get_data(raw, &len);
		g_autoptr(parsed_message) full = parse_message(data, len, 0, PARSE_HEADERS, NULL);
		if (full && full->headers)
			pm->headers = g_ptr_array_ref(full->headers);
	}
	return TRUE;
}

/* Loads the messages of B from DB as the rules see them (the body only when
 * L->body: decompressing every body is most of the work otherwise; the
 * headers only when L->headers) and files each, one at a time. */
static gboolean
batch_load(struct loaders *l, struct mc_db *db, struct batch *b, GError **error)
{
	gint64 lo = g_array_index(b->ids, gint64, 0);
	gint64 hi = g_array_index(b->ids, gint64, b->ids->len - 1);
	/* ORDER BY message, rowid walks each table's message index: no sort. */
	static const char *const side_sql[] = {
		"SELECT message, role, name, address, domain FROM addresses "
		"WHERE message BETWEEN ?1 AND ?2 ORDER BY message, rowid",
		"SELECT message, part, filename, mime_type, size, sha256, is_inline "
		"FROM attachments WHERE message BETWEEN ?1 AND ?2 ORDER BY message, rowid",
		"SELECT message, label FROM labels WHERE message BETWEEN ?1 AND ?2 "
		"ORDER BY message, rowid",
		/* What the index has filed them under, before the run (the
		 * loader's snapshot): their primary keys' order. */
		"SELECT message, client, project, rule, matched FROM filings "
		"WHERE message BETWEEN ?1 AND ?2 ORDER BY message, client, project",
		"SELECT message, client, rule, matched FROM exclusions "
		"WHERE message BETWEEN ?1 AND ?2 ORDER BY message, client",
	};
	struct side sides[G_N_ELEMENTS(side_sql)];
	for (guint i = 0; i < G_N_ELEMENTS(side_sql); i++) {
		sides[i].s = db_cached(db, side_sql[i], error);
		if (!sides[i].s)
			return FALSE;
		sqlite3_bind_int64(sides[i].s, 1, lo);
		sqlite3_bind_int64(sides[i].s, 2, hi);
		sides[i].rc = sqlite3_step(sides[i].s);
	}
	/* LEFT JOIN: a message without its text is an error, as it was when
	 * each message was read alone. */
	sqlite3_stmt *m = db_cached(db,
	                            "SELECT m.id, m.message_id, m.subject, t.id IS NOT NULL, "
	                            "CASE WHEN ?3 THEN mc_unzstd(t.body) ELSE '' END "
	                            "FROM messages m LEFT JOIN message_text t ON t.id = m.id "
	                            "WHERE m.id BETWEEN ?1 AND ?2 ORDER BY m.id",
	                            error);
	if (!m)
		return FALSE;
	sqlite3_bind_int64(m, 1, lo);
	sqlite3_bind_int64(m, 2, hi);
	sqlite3_bind_int(m, 3, l->body);
	gboolean ok = TRUE;
	for (guint i = 0; ok && i < b->ids->len; i++) {
		gint64 id = g_array_index(b->ids, gint64, i);
		if (sqlite3_step(m) != SQLITE_ROW || sqlite3_column_int64(m, 0) != id ||
		    !sqlite3_column_int(m, 3)) {
			ok = db_set_error(error, db, "reading a message");
			break;
		}
		g_autoptr(parsed_message) pm = parsed_message_new();
		pm->message_id = g_strdup(db_column_text(m, 1));
		g_free(pm->subject);
		pm->subject = g_strdup(db_column_text(m, 2));
		g_free(pm->body_text);
		pm->body_text = g_strdup(db_column_text(m, 4));
		side_take(&sides[0], id, pm->addresses, address_row);
		side_take(&sides[1], id, pm->attachments, attachment_row);
		side_take(&sides[2], id, pm->labels, label_row);
		if (l->headers && !load_headers(db, id, pm, error)) {
			ok = FALSE;
			break;
		}
		GPtrArray *old = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
		side_take(&sides[3], id, old, old_filing_row);
		side_take(&sides[4], id, old, old_exclusion_row);
		batch_note(b, id, rules_file(l->rules, pm), old);
	}
	for (guint i = 0; ok && i < G_N_ELEMENTS(sides); i++)
		if (sides[i].rc != SQLITE_ROW && sides[i].rc != SQLITE_DONE)
			ok = db_set_error(error, db, "reading a message");
	for (guint i = 0; i < G_N_ELEMENTS(sides); i++)
		sqlite3_reset(sides[i].s);
	sqlite3_reset(m);
	return ok;
}

/* Marks B done (loaded, or failed with its error). */
static void
batch_done(struct loaders *l, struct batch *b)
{
	g_mutex_lock(&l->lock);
	b->done = TRUE;
	g_cond_broadcast(&l->cond);
	g_mutex_unlock(&l->lock);
}

/* The end of the queue, one for each loader. */
static struct batch end_of_batches;

/* A loader thread: its connection, and what it shares with the others. */
struct loader {
	struct loaders *l;
	struct mc_db *db;
};

static gpointer
loader_main(gpointer data)
{
	struct loader *me = data;
	struct loaders *l = me->l;
	struct batch *b;
	while ((b = g_async_queue_pop(l->todo)) != &end_of_batches) {
		if (!g_atomic_int_get(&l->stop))
			batch_load(l, me->db, b, &b->error);
		batch_done(l, b);
	}
	g_free(me);
	return NULL;
}

/* How many loader threads: one a processor (MAILCLERK_TEST_LOADERS in test
 * builds; 0 loads on the writer's thread). */
static guint
loader_count(void)
{
#ifdef MC_TEST_HOOKS
	const char *n = g_getenv("MAILCLERK_TEST_LOADERS");
	if (n)
		return (guint)MIN(atoi(n), MAX_LOADERS);
#endif
	return MIN(g_get_num_processors(), MAX_LOADERS);
}

/* Messages a batch (MAILCLERK_TEST_RECLASSIFY_BATCH in test builds, so that
 * a small corpus makes several). */
static guint
batch_ids(void)
{
#ifdef MC_TEST_HOOKS
	const char *n = g_getenv("MAILCLERK_TEST_RECLASSIFY_BATCH");
	if (n && atoi(n) > 0)
		return (guint)atoi(n);
#endif
	return BATCH_IDS;
}

/* Opens one read connection a loader to DB's file. They are opened before the
 * writer's transaction begins and read after it has: with the write lock
 * held nobody else can commit, and the writer changes no row they read
 * (filings and exclusions are written, messages and their rows only read),
 * so every loader sees the messages as the writer does. */
static gboolean
loaders_open(struct loaders *l, struct mc_db *db, guint n, GError **error)
{
	l->dbs = g_ptr_array_new_with_free_func((GDestroyNotify)db_close);
	l->threads = g_ptr_array_new();
	for (guint i = 0; i < n; i++) {
		struct mc_db *rdb = db_open(db->path, DB_READ, error);
		/* A loader reads each page of a batch once, in order: the 16
		 * MiB cache of db_open() would only add to the memory. */
		if (!rdb || !db_exec(rdb, "PRAGMA cache_size = -2048", error)) {
			if (rdb)
				db_close(rdb);
			return FALSE;
		}
		g_ptr_array_add(l->dbs, rdb);
	}
	return TRUE;
}

static gboolean
loaders_start(struct loaders *l, GError **error)
{
	l->todo = g_async_queue_new();
	parse_thread_stacks(); /* header: rules parse the files */
	for (guint i = 0; i < l->dbs->len; i++) {
		struct mc_db *rdb = g_ptr_array_index(l->dbs, i);
		/* One snapshot for the whole run. */
		if (!db_begin_read(rdb, error))
			return FALSE;
		struct loader *me = g_new0(struct loader, 1);
		me->l = l;
		me->db = rdb;
		g_ptr_array_add(l->threads, g_thread_new("reclassify-load", loader_main, me));
	}
	return TRUE;
}

/* Stops and joins the loaders, closes their connections and frees every
 * batch still in PENDING. */
static void
loaders_finish(struct loaders *l, GQueue *pending)
{
	g_atomic_int_set(&l->stop, 1);
	for (guint i = 0; i < l->threads->len; i++)
		g_async_queue_push(l->todo, &end_of_batches);
	for (guint i = 0; i < l->threads->len; i++)
		g_thread_join(g_ptr_array_index(l->threads, i));
	g_ptr_array_unref(l->threads);
	g_ptr_array_unref(l->dbs);
	if (l->todo)
		g_async_queue_unref(l->todo);
	struct batch *b;
	while ((b = g_queue_pop_head(pending)))
		batch_free(b);
	g_mutex_clear(&l->lock);
	g_cond_clear(&l->cond);
}

/* Hands B out: to a loader, or loads it here when there is none. */
static void
batch_send(struct loaders *l, struct mc_db *db, GQueue *pending, struct batch *b)
{
	g_queue_push_tail(pending, b);
	if (l->threads->len > 0) {
		g_async_queue_push(l->todo, b);
	} else {
		batch_load(l, db, b, &b->error);
		b->done = TRUE;
	}
}

/* Runs cached statement SQL, binding MESSAGE and F's client and project
 * (exclusions: client only). */
static gboolean
write_row(struct mc_db *db, const char *sql, gint64 message, const struct filing *f, GError **error)
{
	sqlite3_stmt *s = db_cached(db, sql, error);
	if (!s)
		return FALSE;
	sqlite3_bind_int64(s, 1, message);
	db_bind_text(s, 2, f->client);
	if (!f->excluded)
		db_bind_text(s, 3, f->project ? f->project : "");
	gboolean ok = sqlite3_step(s) == SQLITE_DONE;
	sqlite3_reset(s);
	return ok || db_set_error(error, db, "filing a message");
}

/* Writes what changed in the oldest batch of PENDING once it is loaded: in
 * id order, whichever loader finished first. Adds the keys it counted to
 * REPORT. */
static gboolean
batch_write(struct loaders *l, struct mc_db *db, struct index_writer *w, GQueue *pending,
            struct reclassify_report *report, GError **error)
{
	struct batch *b = g_queue_pop_head(pending);
	g_mutex_lock(&l->lock);
	while (!b->done)
		g_cond_wait(&l->cond, &l->lock);
	g_mutex_unlock(&l->lock);
	gboolean ok = TRUE;
	if (b->error) {
		g_propagate_error(error, g_steal_pointer(&b->error));
		ok = FALSE;
	}
	/* The rows that go first: a key whose rule changed is written again. */
	for (guint i = 0; ok && i < b->gone->len; i++) {
		const struct filing *f = g_ptr_array_index(b->gone, i);
		ok = write_row(db,
		               f->excluded
		                   ? "DELETE FROM exclusions WHERE message = ? AND client = ?"
		                   : "DELETE FROM filings WHERE message = ? AND client = ? "
		                     "AND project = ?",
		               g_array_index(b->gone_ids, gint64, i), f, error);
	}
	for (guint i = 0; ok && i < b->added->len; i++)
		ok = writer_file_message(w, NULL, g_ptr_array_index(b->added, i),
		                         g_array_index(b->added_ids, gint64, i), error);
	for (guint i = 0; ok && i < b->unfiled->len; i++)
		ok = write_row(db,
		               "INSERT INTO old_filings (message, client, project) VALUES (?,?,?)",
		               g_array_index(b->unfiled_ids, gint64, i),
		               g_ptr_array_index(b->unfiled, i), error);
	report->added += b->keys_added;
	report->removed += b->keys_removed;
	batch_free(b);
	return ok;
}

/* Files every message of DB by L's rules, in id order, counting them in
 * *MESSAGES. */
static gboolean
file_all(struct loaders *l, struct mc_db *db, struct index_writer *w, GQueue *pending,
         struct reclassify_report *report, GError **error)
{
	g_autoptr(sqlite3_stmt) ids = db_prepare(db, "SELECT id FROM messages ORDER BY id", error);
	if (!ids || !loaders_start(l, error))
		return FALSE;
	guint size = batch_ids();
	struct batch *b = NULL;
	int rc;
	while ((rc = sqlite3_step(ids)) == SQLITE_ROW) {
		report->messages++;
		/* Without clients there is nothing to file: the messages are counted. */
		if (!l->rules)
			continue;
		if (!b)
			b = batch_new(size);
		gint64 id = sqlite3_column_int64(ids, 0);
		g_array_append_val(b->ids, id);
		if (b->ids->len < size)
			continue;
		batch_send(l, db, pending, g_steal_pointer(&b));
		while (pending->length >= (l->threads->len > 0 ? MAX_IN_FLIGHT : 1)) {
			if (!batch_write(l, db, w, pending, report, error))
				return FALSE;
#ifdef MC_TEST_HOOKS
			/* A test kills the run here, with filings written. */
			if (report->messages == size * (l->threads->len > 0 ? MAX_IN_FLIGHT : 1))
				interrupt_test_pause("MAILCLERK_TEST_PAUSE");
#endif
		}
	}
	if (rc != SQLITE_DONE) {
		if (b)
			batch_free(b);
		return db_set_error(error, db, "reading the messages");
	}
	if (b)
		batch_send(l, db, pending, b);
	while (pending->length > 0)
		if (!batch_write(l, db, w, pending, report, error))
			return FALSE;
	return TRUE;
}

static gint64
count_int(struct mc_db *db, const char *sql)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, NULL);
	return s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
}

gboolean
reclassify_run(struct mc_db *db, const struct mc_config *cfg, const struct rules *filing_rules,
               struct reclassify_report *report, GError **error)
{
	memset(report, 0, sizeof *report);
	g_autoptr(index_writer) w = writer_new(db, cfg, filing_rules, error);
	if (!w || !writer_prepare(w, error))
		return FALSE;
	gint64 start = g_get_monotonic_time();
	struct loaders l = {
		.cfg = cfg,
		.rules = filing_rules,
		.body = rules_need_body(filing_rules),
		.headers = rules_need_headers(filing_rules),
	};
	g_mutex_init(&l.lock);
	g_cond_init(&l.cond);
	GQueue pending = G_QUEUE_INIT;
	if (!loaders_open(&l, db, filing_rules ? loader_count() : 0, error)) {
		loaders_finish(&l, &pending);
		return FALSE;
	}
	/* One transaction: the filings change all at once or not at all. Only
	 * the rows that change are written (most do not, when the rules did
	 * not change much); what the messages no rule files now were filed
	 * under is kept aside, to compare with what they inherit. */
	if (!db_exec(db,
	             "BEGIN IMMEDIATE;"
	             "CREATE TEMP TABLE old_filings (message, client, project, "
	             "PRIMARY KEY (message, client, project)) WITHOUT ROWID;",
	             error)) {
		loaders_finish(&l, &pending);
		return FALSE;
	}
	/* Without clients there is nothing to file: every filing goes. */
	if (!filing_rules) {
		report->removed = count_int(db, "SELECT count(*) FROM filings");
		if (!db_exec(db, "DELETE FROM filings; DELETE FROM exclusions;", error)) {
			loaders_finish(&l, &pending);
			goto fail;
		}
	}
	gboolean filed = file_all(&l, db, w, &pending, report, error);
	/* The loaders are done before the automated marks and directions
	 * change below. */
	loaders_finish(&l, &pending);
	if (!filed)
		goto fail;
	if (!writer_inherit_filings(w, TRUE, error) ||
	    !writer_remark(w, &report->automated_changed, &report->outbound_changed, error))
		goto fail;
	/* Inherited filings are only those of messages no rule files. EXCEPT
	 * sorts both sides once: a correlated NOT EXISTS was quadratic. */
	report->added += count_int(db, "SELECT count(*) FROM (SELECT message, client, project FROM "
	                               "filings WHERE rule = 'thread' EXCEPT SELECT message, "
	                               "client, project FROM old_filings)");
	report->removed += count_int(db, "SELECT count(*) FROM (SELECT message, client, project "
	                                 "FROM old_filings EXCEPT SELECT message, client, project "
	                                 "FROM filings WHERE rule = 'thread')");
	report->filings = count_int(db, "SELECT count(*) FROM filings");
	report->automated = count_int(db, "SELECT count(*) FROM messages WHERE automated = 1");
	report->outbound = count_int(db, "SELECT count(*) FROM messages WHERE direction = 1");
	/* When a filing's key, an automated mark (each thread's last message
	 * depends on the marks: thread_last) or a direction (mail in and out)
	 * changed, the aggregates are counted whole. Otherwise they are what
	 * they were (the aggregates a transaction commits are its recount):
	 * what the thread inheritance noted is forgotten. */
	gboolean changed = report->added > 0 || report->removed > 0 ||
	                   report->automated_changed > 0 || report->outbound_changed > 0;
	if (changed ? !writer_aggregates_rebuild(w, error) : !aggregates_forget(db, error))
		goto fail;
	if (!db_exec(db, "DROP TABLE old_filings", error) || !db_commit(db, error))
		goto fail;
	report->seconds = (g_get_monotonic_time() - start) / 1e6;
	return TRUE;
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}
