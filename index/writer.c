/* The single writer: messages, copies, threads, filings and full text into the index. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "index/writer.h"
#include "common/automated.h"
#include "common/error.h"
#include "index/aggregates.h"
#include "index/dates.h"
#include "index/load.h"
#include "index/writer-internal.h"

enum {
	ST_MSG_BY_MID,
	ST_LOC_BY_KEY,
	ST_OTHER_COPY,
	ST_SAME_FOLDER_COPIES,
	ST_INSERT_LOC,
	ST_MOVE_LOC,
	ST_DELETE_LOC,
	ST_MAYBE_ORPHAN,
	ST_ANY_ORPHAN,
	ST_SWEEP_ORPHANS,
	ST_CLEAR_ORPHANS,
	ST_REPOINT_LOC,
	ST_THREAD_OF,
	ST_SET_THREAD,
	ST_UNGHOST,
	ST_MERGE_MSGS,
	ST_MERGE_IDS,
	ST_CONTAINER,
	ST_UPSERT_CONTAINER,
	ST_INSERT_FILING,
	ST_INSERT_EXCLUSION,
	ST_INHERIT_FILINGS,
	ST_INHERIT_SINCE,
	ST_LAST_ID,
	ST_UNINHERIT_THREAD,
	ST_NOTE_LEAVING,
	ST_REFILE_THREADS,
	ST_CLEAR_REFILE,
	ST_MARK_PENDING,
	ST_PENDING,
	ST_CLEAR_PENDING,
	ST_FORGET_CONTAINER,
	ST_SKIP,
	ST_UNSKIP,
	ST_UNSKIP_CONTAINER,
	ST_MARKS,
	ST_FLIP_MARK,
	ST_FLIP_DIRECTION,
	ST_DIRTY_THREADS,
	ST_NEW_ROW,
	ST_ADD_TO_ROW,
	ST_ADD_TO_KEY,
	ST_LAST_UPSERT,
	ST_COUNT
};

/* What filing by thread gave or took: the rows of filings. */
#define INHERIT_RETURNING "RETURNING message, client, project"
/* Files the messages no rule filed in the threads THREADS selects with
 * their thread's keys (client, project). Each thread's keys are read once,
 * then given to its messages: joining each message to every other
 * message's filings was quadratic (1.2 s for one thread of 3,000 at
 * ingest, 7.3 s for one of 10,000 at reclassify) and, at a million
 * messages, made SQLite read all of filings for a Bloom filter (80 ms
 * however few the threads). CROSS JOIN fixes the order. */
#define INHERIT_THREADS(THREADS)                                                                   \
	"INSERT OR IGNORE INTO filings (message, client, project, rule, matched) "                 \
	"SELECT m.id, k.client, k.project, 'thread', '' FROM (SELECT DISTINCT o.thread_id, "       \
	"f.client, f.project FROM (" THREADS ") t CROSS JOIN messages o ON o.thread_id = "         \
	"t.thread_id CROSS JOIN filings f ON f.message = o.id AND f.rule != 'thread') k "          \
	"CROSS JOIN messages m ON m.thread_id = k.thread_id WHERE NOT EXISTS (SELECT 1 "           \
	"FROM filings g WHERE g.message = m.id AND g.rule != 'thread') AND NOT EXISTS "            \
	"(SELECT 1 FROM exclusions x WHERE x.message = m.id AND x.client = "                       \
	"k.client) " INHERIT_RETURNING

/* How many new messages' threads an ingest files by thread at a time. */
#define INHERIT_SLICE 50000

static const char *const statements[ST_COUNT] = {
	[ST_MSG_BY_MID] = "SELECT id, content_hash FROM messages WHERE message_id = ?",
	[ST_LOC_BY_KEY] = "SELECT id, message FROM locations WHERE container = ? AND name = ?",
	[ST_OTHER_COPY] = "SELECT 1 FROM locations WHERE message = ? AND container != ? LIMIT 1",
	[ST_SAME_FOLDER_COPIES] = "SELECT c.path, l.sub, l.name, l.info FROM locations l JOIN "
	                          "containers c ON c.id = l.container WHERE l.message = ?1 AND "
	                          "l.container = ?2 AND l.name != ?3",
	[ST_INSERT_LOC] = "INSERT INTO locations (message, container, name, sub, info, offset, "
	                  "length, fingerprint) VALUES (?,?,?,?,?,?,?,?)",
	[ST_MOVE_LOC] = "UPDATE locations SET sub = ?, info = ? WHERE id = ?",
	[ST_DELETE_LOC] = "DELETE FROM locations WHERE id = ? RETURNING message",
	[ST_MAYBE_ORPHAN] = "INSERT OR IGNORE INTO orphan_check (message) VALUES (?)",
	[ST_ANY_ORPHAN] = "SELECT 1 FROM orphan_check LIMIT 1",
	[ST_SWEEP_ORPHANS] = "DELETE FROM messages WHERE id IN (SELECT message FROM orphan_check) "
	                     "AND NOT EXISTS (SELECT 1 FROM locations WHERE message = messages.id)",
	[ST_CLEAR_ORPHANS] = "DELETE FROM orphan_check",
	[ST_REPOINT_LOC] = "UPDATE locations SET message = ?, sub = ?, info = ?, offset = ?, "
	                   "length = ?, fingerprint = ? WHERE id = ?",
	[ST_THREAD_OF] = "SELECT thread_id FROM messages WHERE message_id = ?1 UNION ALL "
	                 "SELECT thread_id FROM thread_ghosts WHERE message_id = ?1 LIMIT 1",
	/* Only for Message-IDs thread_of() found nowhere. */
	[ST_SET_THREAD] = "INSERT OR REPLACE INTO thread_ghosts (message_id, thread_id) "
	                  "VALUES (?, ?)",
	[ST_UNGHOST] = "DELETE FROM thread_ghosts WHERE message_id = ?",
	[ST_MERGE_MSGS] = "UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2",
	[ST_MERGE_IDS] = "UPDATE thread_ghosts SET thread_id = ?1 WHERE thread_id = ?2",
	[ST_CONTAINER] = "UPDATE containers SET mtime_ns = ?, size = ? WHERE path = ?",
	/* The latest source and folder name win: a folder first ingested with
	 * --maildir and later through [source NAME] is found by source:NAME. */
	[ST_UPSERT_CONTAINER] = "INSERT INTO containers (path, kind, source, folder) "
	                        "VALUES (?,?,?,?) ON CONFLICT (path) DO UPDATE SET "
	                        "kind = excluded.kind, source = excluded.source, "
	                        "folder = excluded.folder RETURNING id",
	[ST_INSERT_FILING] = "INSERT OR IGNORE INTO filings (message, client, project, rule, "
	                     "matched) VALUES (?,?,?,?,?)",
	[ST_INSERT_EXCLUSION] = "INSERT OR IGNORE INTO exclusions (message, client, rule, matched) "
	                        "VALUES (?,?,?,?)",
	/* Every thread with a message no rule filed (reclassify): its keys
	 * once, then its messages, as below. */
	[ST_INHERIT_FILINGS] = INHERIT_THREADS("SELECT DISTINCT u.thread_id FROM messages u WHERE "
	                                       "NOT EXISTS (SELECT 1 FROM filings g WHERE "
	                                       "g.message = u.id AND g.rule != 'thread')"),
	/* The threads of the messages from ?1 on: the only threads new mail
	 * can give filings to (a thread that merges does so through a new
	 * message), so an ingest does not walk the whole index. NOT INDEXED:
	 * the new messages by their ids; the planner otherwise scans all of
	 * messages_thread for its order (170 ms a run at a million messages,
	 * for one new message). */
	[ST_INHERIT_SINCE] = INHERIT_THREADS("SELECT DISTINCT thread_id FROM messages NOT INDEXED "
	                                     "WHERE id >= ?1 AND id < ?2"),
	[ST_LAST_ID] = "SELECT coalesce(max(id), 0) FROM messages",
	/* The filings of thread ?1 its messages no longer inherit: no message
	 * of the thread has the key from a rule now (the one that had left). */
	[ST_UNINHERIT_THREAD] =
	    "DELETE FROM filings WHERE rule = 'thread' AND message IN (SELECT id FROM messages "
	    "WHERE thread_id = ?1) AND (client, project) NOT IN (SELECT f.client, f.project FROM "
	    "messages o CROSS JOIN filings f ON f.message = o.id AND f.rule != 'thread' WHERE "
	    "o.thread_id = ?1) " INHERIT_RETURNING,
	/* The threads of the messages the sweep removes that a rule filed:
	 * what the others inherited from them may go. */
	[ST_NOTE_LEAVING] = "INSERT OR IGNORE INTO temp.refile_threads (thread_id) SELECT "
	                    "m.thread_id FROM orphan_check c CROSS JOIN messages m ON m.id = "
	                    "c.message WHERE NOT EXISTS (SELECT 1 FROM locations WHERE message = "
	                    "m.id) AND EXISTS (SELECT 1 FROM filings f WHERE f.message = m.id AND "
	                    "f.rule != 'thread')",
	[ST_REFILE_THREADS] = "SELECT thread_id FROM temp.refile_threads",
	[ST_CLEAR_REFILE] = "DELETE FROM temp.refile_threads",
	/* OR IGNORE: a killed run's older mark stays. */
	[ST_MARK_PENDING] = "INSERT OR IGNORE INTO inherit_pending (one, since) VALUES (1, ?)",
	[ST_PENDING] = "SELECT since FROM inherit_pending",
	[ST_CLEAR_PENDING] = "DELETE FROM inherit_pending",
	[ST_FORGET_CONTAINER] = "DELETE FROM containers WHERE path = ? AND NOT EXISTS "
	                        "(SELECT 1 FROM locations WHERE container = containers.id)",
	[ST_SKIP] = "INSERT OR REPLACE INTO skipped (container, name, size, mtime, reason) "
	            "VALUES (?, ?, ?, ?, ?)",
	[ST_UNSKIP] = "DELETE FROM skipped WHERE container = ? AND name = ?",
	[ST_UNSKIP_CONTAINER] = "DELETE FROM skipped WHERE container = ?",
	[ST_MARKS] = "SELECT id, from_addr, automated_why, automated, direction FROM messages",
	[ST_FLIP_MARK] = "UPDATE messages SET automated = 1 - automated WHERE id = ?",
	[ST_FLIP_DIRECTION] = "UPDATE messages SET direction = 1 - direction WHERE id = ?",
	/* The threads counted again from the index before the commit: what the
	 * writer counted of them itself is left out. */
	[ST_DIRTY_THREADS] = "SELECT thread_id FROM stats_dirty",
	/* A thread's share of a key, the messages the writer counted (struct
	 * counted_row): a new row, or added to the row there. */
	[ST_NEW_ROW] = "INSERT INTO thread_stats (thread_id, client, project, inbound, outbound, "
	               "first, last, attachments) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_ADD_TO_ROW] =
	    "UPDATE thread_stats SET inbound = inbound + ?4, outbound = outbound + ?5, "
	    "first = min(first, ?6), last = max(last, ?7), "
	    "attachments = attachments + ?8 "
	    "WHERE thread_id = ?1 AND client = ?2 AND project = ?3",
	/* ... and what those add to the key's sums (first and last are never
	 * NULL outside aggregates_flush()). */
	[ST_ADD_TO_KEY] = "INSERT INTO filing_stats (client, project, inbound, outbound, threads, "
	                  "first, last, attachments) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	                  "ON CONFLICT (client, project) DO UPDATE SET "
	                  "inbound = inbound + excluded.inbound, "
	                  "outbound = outbound + excluded.outbound, "
	                  "threads = threads + excluded.threads, "
	                  "first = min(coalesce(first, excluded.first), excluded.first), "
	                  "last = max(coalesce(last, excluded.last), excluded.last), "
	                  "attachments = attachments + excluded.attachments",
	/* A thread's last message among its new ones, unless the one there is
	 * later (LAST_OF_THREAD in query/followups.c: by automated, then date and
	 * id descending). */
	[ST_LAST_UPSERT] = "INSERT INTO thread_last (thread_id, message, date, automated) "
	                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (thread_id) DO UPDATE SET "
	                   "message = excluded.message, date = excluded.date, "
	                   "automated = excluded.automated WHERE excluded.automated < automated "
	                   "OR (excluded.automated = automated AND (excluded.date, "
	                   "excluded.message) > (date, message))",
};

/* The last of a thread's messages this transaction added (thread_last,
 * migrate-16.sql). */
struct last_row {
	gint64 thread, message, date;
	gboolean automated;
};

/* What the new messages of a thread add to a key of filing_stats (to the
 * thread's row of thread_stats), counted as the messages come; and, summed
 * per key, what the rows add to filing_stats. */
struct counted_row {
	gint64 thread;
	const char *client, *project; /* project: filings.project, or '/' */
	gboolean new_thread;          /* the thread began in this transaction */
	gint64 inbound, outbound, first, last, attachments;
	gint64 threads; /* per key: the rows that were new */
};

struct index_writer {
	struct mc_db *db;
	const struct mc_config *cfg;
	const struct rules *rules; /* NULL when the configuration has no clients */
	sqlite3_stmt *st[ST_COUNT];
	gint64 next_thread;
	gboolean pending_marked; /* this run's first new message is in inherit_pending */
	gint64 first_new;        /* this writer's first new message, 0 before it */
	GHashTable *containers;  /* path -> gint64 id, for containers seen this run */
	struct dates *dates;
	struct doclens *lengths;
	struct content_writer *content; /* what parsing gives, written (writer-content.c) */
	struct contacts *contacts;      /* this batch's new mail's, counted */
	GStringChunk *names;            /* the strings of COUNTED */
	GHashTable *new_threads;        /* gint64 *: the threads this transaction began */
	GHashTable *counted;            /* "thread\x1fclient\x1fproject" -> struct counted_row */
	GHashTable *lasts; /* &thread -> struct last_row: the threads this transaction added to */
	struct writer_stats stats;
};

/* Resets and clears bindings so a statement can be reused. Every statement
 * but the two of a run with nothing new is there only after
 * writer_prepare(). */
static sqlite3_stmt *
stmt(struct index_writer *w, int which)
{
	sqlite3_stmt *s = w->st[which];
	g_assert(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static gboolean
step_done(struct index_writer *w, sqlite3_stmt *s, const char *what, GError **error)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_set_error(error, w->db, what);
	return TRUE;
}

struct index_writer *
writer_new(struct mc_db *db, const struct mc_config *cfg, const struct rules *filing_rules,
           GError **error)
{
	g_autoptr(index_writer) w = g_new0(struct index_writer, 1);
	w->db = db;
	w->cfg = cfg;
	w->rules = filing_rules;
	if (!aggregates_begin(db, error) ||
	    !db_exec(
	        db,
	        "CREATE TEMP TABLE IF NOT EXISTS refile_threads (thread_id INTEGER PRIMARY KEY)",
	        error))
		return NULL;
	/* The rest wait for writer_prepare(): preparing the ~50 statements
	 * (the messages' triggers, full text) took 3-5 ms of every no-op at a
	 * million messages, on the core the maildir walk wants. */
	static const int at_once[] = { ST_PENDING, ST_ANY_ORPHAN };
	for (guint i = 0; i < G_N_ELEMENTS(at_once); i++)
		if (!(w->st[at_once[i]] = db_prepare(db, statements[at_once[i]], error)))
			return NULL;
	g_autoptr(sqlite3_stmt) max =
	    db_prepare(db,
	               "SELECT max(coalesce((SELECT max(thread_id) FROM messages), 0), "
	               "coalesce((SELECT max(thread_id) FROM thread_ghosts), 0))",
	               error);
	if (!max)
		return NULL;
	if (sqlite3_step(max) != SQLITE_ROW) {
		db_set_error(error, db, "reading threads");
		return NULL;
	}
	w->next_thread = sqlite3_column_int64(max, 0) + 1;
	w->containers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	w->dates = dates_new(db);
	w->lengths = doclens_new(db);
	w->contacts = contacts_new();
	w->names = g_string_chunk_new(4096);
	w->new_threads = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	w->counted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	w->lasts = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free);
	if (!(w->content = content_writer_new(db, cfg, w->dates, w->lengths, error)))
		return NULL;
	return g_steal_pointer(&w);
}

void
writer_free(struct index_writer *w)
{
	if (!w)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(w->st[i]);
	if (w->containers)
		g_hash_table_unref(w->containers);
	content_writer_free(w->content);
	dates_free(w->dates);
	doclens_free(w->lengths);
	contacts_free(w->contacts);
	if (w->names)
		g_string_chunk_free(w->names);
	if (w->new_threads)
		g_hash_table_unref(w->new_threads);
	if (w->counted)
		g_hash_table_unref(w->counted);
	if (w->lasts)
		g_hash_table_unref(w->lasts);
	g_free(w);
}

gboolean
writer_prepare(struct index_writer *w, GError **error)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (!w->st[i] && !(w->st[i] = db_prepare(w->db, statements[i], error)))
			return FALSE;
	return TRUE;
}

gboolean
writer_begin(struct index_writer *w, GError **error)
{
	return writer_prepare(w, error) && db_exec(w->db, "BEGIN IMMEDIATE", error);
}

/* Forgets what W counted of this transaction's mail. */
static void
forget_batch(struct index_writer *w)
{
	contacts_clear(w->contacts);
	g_hash_table_remove_all(w->counted);
	g_hash_table_remove_all(w->new_threads);
	g_hash_table_remove_all(w->lasts);
	g_string_chunk_clear(w->names);
}

/* Binds R's thread, key and numbers to ST_NEW_ROW or ST_ADD_TO_ROW S. */
static void
bind_row(sqlite3_stmt *s, const struct counted_row *r)
{
	sqlite3_bind_int64(s, 1, r->thread);
	db_bind_text(s, 2, r->client);
	db_bind_text(s, 3, r->project);
	sqlite3_bind_int64(s, 4, r->inbound);
	sqlite3_bind_int64(s, 5, r->outbound);
	sqlite3_bind_int64(s, 6, r->first);
	sqlite3_bind_int64(s, 7, r->last);
	sqlite3_bind_int64(s, 8, r->attachments);
}

/* Adds the rows W counted to thread_stats, and their sums per key to
 * filing_stats. A reply to an older thread adds to its rows: counting the
 * thread again would read all its messages and filings. The threads
 * aggregates_flush() counts again from the index anyway (they merged, lost
 * a message, or had one parsed again) are left to it. */
static gboolean
write_counted_rows(struct index_writer *w, GError **error)
{
	g_autoptr(GHashTable) dirty =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	sqlite3_stmt *s = stmt(w, ST_DIRTY_THREADS);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 thread = sqlite3_column_int64(s, 0);
		g_hash_table_add(dirty, g_memdup2(&thread, sizeof thread));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "reading which threads changed");

	/* "client\x1fproject" -> struct counted_row (thread unused) */
	g_autoptr(GHashTable) keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GString) key = g_string_new(NULL);
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, w->counted);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct counted_row *r = value;
		if (g_hash_table_contains(dirty, &r->thread))
			continue;
		gboolean new_row = r->new_thread;
		if (!new_row) {
			s = stmt(w, ST_ADD_TO_ROW);
			bind_row(s, r);
			if (!step_done(w, s, "counting a thread", error))
				return FALSE;
			new_row = sqlite3_changes(w->db->sql) == 0;
		}
		if (new_row) {
			s = stmt(w, ST_NEW_ROW);
			bind_row(s, r);
			if (!step_done(w, s, "counting a thread", error))
				return FALSE;
		}
		g_string_printf(key, "%s%c%s", r->client, 0x1F, r->project);
		struct counted_row *k = g_hash_table_lookup(keys, key->str);
		if (!k) {
			k = g_memdup2(r, sizeof *r);
			k->threads = 0;
			g_hash_table_insert(keys, g_strdup(key->str), k);
		} else {
			k->inbound += r->inbound;
			k->outbound += r->outbound;
			k->first = MIN(k->first, r->first);
			k->last = MAX(k->last, r->last);
			k->attachments += r->attachments;
		}
		k->threads += new_row;
	}

	g_hash_table_iter_init(&it, keys);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct counted_row *k = value;
		s = stmt(w, ST_ADD_TO_KEY);
		db_bind_text(s, 1, k->client);
		db_bind_text(s, 2, k->project);
		sqlite3_bind_int64(s, 3, k->inbound);
		sqlite3_bind_int64(s, 4, k->outbound);
		sqlite3_bind_int64(s, 5, k->threads);
		sqlite3_bind_int64(s, 6, k->first);
		sqlite3_bind_int64(s, 7, k->last);
		sqlite3_bind_int64(s, 8, k->attachments);
		if (!step_done(w, s, "counting a client's mail", error))
			return FALSE;
	}
	return TRUE;
}

/* Writes what W counted of this transaction's mail: contacts, the last
 * messages of the threads it added to and the threads' numbers, before
 * aggregates_flush() counts the rest (the threads that lost or changed
 * messages, or merged, whose last message it finds again). */
static gboolean
write_counted(struct index_writer *w, GError **error)
{
	if (!contacts_write(w->contacts, w->db, error))
		return FALSE;
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, w->lasts);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		const struct last_row *r = value;
		sqlite3_stmt *s = stmt(w, ST_LAST_UPSERT);
		sqlite3_bind_int64(s, 1, r->thread);
		sqlite3_bind_int64(s, 2, r->message);
		sqlite3_bind_int64(s, 3, r->date);
		sqlite3_bind_int(s, 4, r->automated);
		if (!step_done(w, s, "noting a thread's last message", error))
			return FALSE;
	}
	return g_hash_table_size(w->counted) == 0 || write_counted_rows(w, error);
}

static gboolean refile_left_threads(struct index_writer *w, GError **error);

gboolean
writer_flush_counts(struct index_writer *w, GError **error)
{
	gboolean ok = write_counted(w, error);
	forget_batch(w);
	return ok;
}

gboolean
writer_commit(struct index_writer *w, GError **error)
{
	return writer_flush_counts(w, error) && dates_flush(w->dates, error) &&
	       doclens_flush(w->lengths, error) && refile_left_threads(w, error) &&
	       aggregates_flush(w->db, error) && db_commit(w->db, error);
}

void
writer_rollback(struct index_writer *w)
{
	sqlite3_exec(w->db->sql, "ROLLBACK", NULL, NULL, NULL);
	dates_forget(w->dates);
	doclens_forget(w->lengths);
	forget_batch(w);
}

gboolean
writer_aggregates_rebuild(struct index_writer *w, GError **error)
{
	forget_batch(w);
	return aggregates_rebuild(w->db, error);
}

const struct writer_stats *
writer_stats(const struct index_writer *w)
{
	return &w->stats;
}

/* Returns the thread of MESSAGE_ID, or 0 when it has none yet. */
static gint64
thread_of(struct index_writer *w, const char *message_id)
{
	sqlite3_stmt *s = stmt(w, ST_THREAD_OF);
	db_bind_text(s, 1, message_id);
	return sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
}

/* Threads like notmuch: a message joins the thread of any message it names
 * (References, In-Reply-To) or that names it, even one not indexed yet
 * (a "ghost" in thread_ghosts). When it links several threads they merge into
 * the oldest. */
static gboolean
assign_thread(struct index_writer *w, const struct parsed_message *pm, gint64 *thread,
              GError **error)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	g_ptr_array_add(ids, pm->message_id);
	for (guint i = 0; i < pm->references->len; i++)
		g_ptr_array_add(ids, g_ptr_array_index(pm->references, i));
	if (pm->in_reply_to)
		g_ptr_array_add(ids, pm->in_reply_to);

	gint64 target = 0;
	g_autoptr(GArray) others = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) unknown = g_ptr_array_new();
	for (guint i = 0; i < ids->len; i++) {
		gint64 t = thread_of(w, g_ptr_array_index(ids, i));
		if (!t) {
			if (i > 0)
				g_ptr_array_add(unknown, g_ptr_array_index(ids, i));
			continue;
		}
		if (!target || t < target) {
			if (target)
				g_array_append_val(others, target);
			target = t;
		} else if (t != target) {
			g_array_append_val(others, t);
		}
	}
	if (!target) {
		target = w->next_thread++;
		g_hash_table_add(w->new_threads, g_memdup2(&target, sizeof target));
	}
	for (guint i = 0; i < others->len; i++) {
		gint64 old = g_array_index(others, gint64, i);
		if (old == target)
			continue;
		for (int which = ST_MERGE_MSGS; which <= ST_MERGE_IDS; which++) {
			sqlite3_stmt *s = stmt(w, which);
			sqlite3_bind_int64(s, 1, target);
			sqlite3_bind_int64(s, 2, old);
			if (!step_done(w, s, "merging threads", error))
				return FALSE;
		}
	}
	/* What it names and the index knows nothing of becomes a ghost (known
	 * ones were moved to TARGET by the merges); it is no ghost itself. */
	for (guint i = 0; i < unknown->len; i++) {
		sqlite3_stmt *s = stmt(w, ST_SET_THREAD);
		db_bind_text(s, 1, g_ptr_array_index(unknown, i));
		sqlite3_bind_int64(s, 2, target);
		if (!step_done(w, s, "recording a thread", error))
			return FALSE;
	}
	sqlite3_stmt *s = stmt(w, ST_UNGHOST);
	db_bind_text(s, 1, pm->message_id);
	if (!step_done(w, s, "recording a thread", error))
		return FALSE;
	*thread = target;
	return TRUE;
}

/* Notes that filing F of MESSAGE, when it is a client's own, makes the
 * message's addresses the client's contacts (contact_stats): counted here
 * from PM, which is what the index holds of it, or when NULL from the index
 * before the commit. */
static gboolean
note_contacts(struct index_writer *w, gint64 message, const struct parsed_message *pm,
              const struct filing *f, GError **error)
{
	if (f->excluded || (f->project && *f->project))
		return TRUE;
	if (!pm)
		return aggregates_note_filing(w->db, message, f->client, error);
	for (guint i = 0; i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		/* The order of the message's addresses is that of their rows. */
		contacts_count(w->contacts, f->client, a->address, message, pm->date, a->name, i);
	}
	return TRUE;
}

/* writer_file_message() of a message new in the index when KEYS is not
 * NULL: its contacts are counted, and "client\x1fproject" of each filing
 * it made (project '' for the client's own) added to KEYS. (Reclassify
 * counts the aggregates whole.) */
static gboolean
file_message(struct index_writer *w, const struct parsed_message *pm, GPtrArray *given, gint64 id,
             GPtrArray *keys, GError **error)
{
	g_autoptr(GPtrArray) filings = given ? g_ptr_array_ref(given) : rules_file(w->rules, pm);
	for (guint i = 0; i < filings->len; i++) {
		const struct filing *f = g_ptr_array_index(filings, i);
		sqlite3_stmt *s = stmt(w, f->excluded ? ST_INSERT_EXCLUSION : ST_INSERT_FILING);
		int col = 1;
		sqlite3_bind_int64(s, col++, id);
		db_bind_text(s, col++, f->client);
		if (!f->excluded)
			db_bind_text(s, col++, f->project ? f->project : "");
		db_bind_text(s, col++, f->rule);
		db_bind_text(s, col++, f->matched ? f->matched : "");
		if (!step_done(w, s, "filing a message", error))
			return FALSE;
		/* (A filing it had already counts already.) */
		if (sqlite3_changes(w->db->sql) == 0)
			continue;
		if (keys && !note_contacts(w, id, pm, f, error))
			return FALSE;
		if (keys && !f->excluded)
			g_ptr_array_add(keys, g_strdup_printf("%s%c%s", f->client, 0x1F,
			                                      f->project ? f->project : ""));
	}
	return TRUE;
}

gboolean
writer_file_message(struct index_writer *w, const struct parsed_message *pm, GPtrArray *given,
                    gint64 id, GError **error)
{
	return file_message(w, pm, given, id, NULL, error);
}

/* Adds a message of THREAD with numbers N, filed under KEYS
 * (file_message()), to the thread's rows in W->counted: under each key, and
 * under '/' for a client's own filing when no project of the client has it
 * (as aggregates_flush() counts from the index). */
static void
count_message(struct index_writer *w, gint64 thread, const struct content_numbers *n,
              GPtrArray *keys)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < keys->len; i++) {
		const char *key = g_ptr_array_index(keys, i);
		g_ptr_array_add(all, g_strdup(key));
		const char *sep = strchr(key, 0x1F);
		if (sep[1])
			continue; /* a project's */
		gboolean in_project = FALSE;
		for (guint j = 0; j < keys->len && !in_project; j++) {
			const char *other = g_ptr_array_index(keys, j);
			in_project =
			    strncmp(other, key, sep - key + 1) == 0 && other[sep - key + 1];
		}
		if (!in_project)
			g_ptr_array_add(all,
			                g_strdup_printf("%.*s%c/", (int)(sep - key), key, 0x1F));
	}
	g_autoptr(GString) id = g_string_new(NULL);
	for (guint i = 0; i < all->len; i++) {
		const char *key = g_ptr_array_index(all, i);
		g_string_printf(id, "%" G_GINT64_FORMAT "%c%s", thread, 0x1F, key);
		struct counted_row *r = g_hash_table_lookup(w->counted, id->str);
		if (!r) {
			const char *sep = strchr(key, 0x1F);
			g_autofree char *client = g_strndup(key, sep - key);
			r = g_new0(struct counted_row, 1);
			r->thread = thread;
			r->client = g_string_chunk_insert_const(w->names, client);
			r->project = g_string_chunk_insert_const(w->names, sep + 1);
			r->new_thread = g_hash_table_contains(w->new_threads, &thread);
			r->first = r->last = n->date;
			g_hash_table_insert(w->counted, g_strdup(id->str), r);
		}
		r->inbound += n->direction == 0;
		r->outbound += n->direction == 1;
		r->first = MIN(r->first, n->date);
		r->last = MAX(r->last, n->date);
		r->attachments += n->attachments;
	}
}

/* Notes message ID with numbers N as the last of THREAD when it comes after
 * the last W noted of it in this transaction (ST_LAST_UPSERT's order). */
static void
note_last(struct index_writer *w, gint64 thread, gint64 id, const struct content_numbers *n)
{
	struct last_row *r = g_hash_table_lookup(w->lasts, &thread);
	if (!r) {
		r = g_new(struct last_row, 1);
		r->thread = thread;
		g_hash_table_insert(w->lasts, &r->thread, r);
	} else if (n->automated > r->automated ||
	           (n->automated == r->automated &&
	            (n->date < r->date || (n->date == r->date && id < r->message)))) {
		return;
	}
	r->message = id;
	r->date = n->date;
	r->automated = n->automated;
}

static gboolean
insert_message(struct index_writer *w, const struct parsed_message *pm, GBytes *body_z,
               GPtrArray *filings, gint64 *id, GError **error)
{
	gint64 thread;
	struct content_numbers numbers;
	if (!assign_thread(w, pm, &thread, error) ||
	    !content_insert(w->content, pm, body_z, thread, id, &numbers, error))
		return FALSE;
	if (!w->first_new)
		w->first_new = *id;
	note_last(w, thread, *id, &numbers);
	if (w->rules && !w->pending_marked) {
		sqlite3_stmt *s = stmt(w, ST_MARK_PENDING);
		sqlite3_bind_int64(s, 1, *id);
		if (!step_done(w, s, "marking new mail for thread filing", error))
			return FALSE;
		w->pending_marked = TRUE;
	}
	if (w->rules) {
		g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
		if (!file_message(w, pm, filings, *id, keys, error))
			return FALSE;
		count_message(w, thread, &numbers, keys);
	}
	w->stats.messages_added++;
	return TRUE;
}

gboolean
writer_rewrite(struct index_writer *w, gint64 id, const struct parsed_message *pm, GBytes *body_z,
               GError **error)
{
	gboolean changed;
	if (!content_rewrite(w->content, id, pm, body_z, &changed, error))
		return FALSE;
	if (changed)
		w->stats.messages_rewritten++;
	else
		w->stats.messages_unchanged++;
	return TRUE;
}

/* Returns the id of ITEM's container, made or updated once per run. */
static gboolean
container_id(struct index_writer *w, const struct source_item *item, gint64 *id, GError **error)
{
	const gint64 *cached = g_hash_table_lookup(w->containers, item->container);
	if (cached) {
		*id = *cached;
		return TRUE;
	}
	sqlite3_stmt *s = stmt(w, ST_UPSERT_CONTAINER);
	db_bind_text(s, 1, item->container);
	db_bind_text(s, 2, item->kind);
	db_bind_text(s, 3, item->source);
	db_bind_text(s, 4, item->folder);
	if (sqlite3_step(s) != SQLITE_ROW)
		return db_set_error(error, w->db, "recording a folder");
	*id = sqlite3_column_int64(s, 0);
	if (sqlite3_step(s) != SQLITE_DONE)
		return db_set_error(error, w->db, "recording a folder");
	g_hash_table_insert(w->containers, g_strdup(item->container), g_memdup2(id, sizeof *id));
	return TRUE;
}

/* Whether the content hash HASH (a blob of LEN bytes) is HEX's. A hash of
 * 32 bytes is a SHA-256, kept from before the hash was XXH3: never the
 * same, so the copy is taken as changed (read again, as a reindex would,
 * when it has no copy elsewhere), which puts an XXH3 in its place. */
static gboolean
same_content(const void *hash, int len, const char *hex)
{
	guint8 bytes[CONTENT_HASH_BYTES];
	content_hash_bytes(hex, bytes);
	return hash && len == CONTENT_HASH_BYTES && memcmp(hash, bytes, CONTENT_HASH_BYTES) == 0;
}

/* A copy of message ID in CONTAINER holds other bytes than the message was
 * read from, under the same Message-ID (an mbox message edited, in place
 * or moved along by an edit before it; a draft saved again): when the
 * message has no copy elsewhere, it is read from this one again, as
 * reindex would (its filings are kept: reclassify files it again). With
 * copies elsewhere (a list's copy and your own) it stays as it was read.
 * Status and X-Status lines are no content (a flag rewrite changes
 * nothing). A new file of a maildir folder whose file of the message is
 * still there is another message under its Message-ID: *REFUSED (the
 * caller frees it) says so, and the file is no copy of it. */
static gboolean
reread_changed_copy(struct index_writer *w, gint64 id, gint64 container,
                    const struct source_item *item, gboolean new_file,
                    const struct parsed_message *pm, GBytes *body_z, char **refused, GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_OTHER_COPY);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, container);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return TRUE;
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "reading a changed copy");
	/* Another file of the same maildir folder that is still there: not an
	 * edit (a draft saved again leaves its old file to this run's
	 * removals) but a second message under the Message-ID, which must not
	 * take the first one's place in the index, nor be the copy show,
	 * links and --format=files open: a new file is refused, a file of the
	 * message rewritten in place stays its copy, said. */
	if (g_str_equal(item->kind, "maildir")) {
		s = stmt(w, ST_SAME_FOLDER_COPIES);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, container);
		db_bind_text(s, 3, item->name);
		g_autofree char *kept = NULL;
		while (!kept && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			g_autofree char *path = load_location_path(
			    item->kind, db_column_text(s, 0), db_column_text(s, 1),
			    db_column_text(s, 2), db_column_text(s, 3));
			if (g_file_test(path, G_FILE_TEST_EXISTS))
				kept = g_steal_pointer(&path);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_set_error(error, w->db, "reading a changed copy");
		if (kept && new_file) {
			*refused =
			    g_strdup_printf("it has the Message-ID <%s> of %s, but other content",
			                    pm->message_id, kept);
			return TRUE;
		}
		if (kept) {
			/* A file of the message rewritten in place: its copy stays. */
			fprintf(stderr,
			        "mailclerk: %s: other content under the Message-ID <%s> of %s: "
			        "kept as a copy of that message, which is indexed as first read\n",
			        item->path, pm->message_id, kept);
			return TRUE;
		}
	}
	return writer_rewrite(w, id, pm, body_z, error);
}

gboolean
writer_add(struct index_writer *w, const struct source_item *item, const struct parsed_message *pm,
           GBytes *body_z, GPtrArray *filings, char **refused, GError **error)
{
	*refused = NULL;
	gint64 container;
	if (!container_id(w, item, &container, error))
		return FALSE;
	/* The same name again means the copy's content changed (a rewritten file,
	 * an edited mbox): the copy is pointed at what it holds now, and the
	 * message it held is checked for other copies at the end of the run. */
	gint64 location = 0, old_message = 0;
	sqlite3_stmt *s = stmt(w, ST_LOC_BY_KEY);
	sqlite3_bind_int64(s, 1, container);
	db_bind_text(s, 2, item->name);
	if (sqlite3_step(s) == SQLITE_ROW) {
		location = sqlite3_column_int64(s, 0);
		old_message = sqlite3_column_int64(s, 1);
	}

	gint64 id = 0;
	s = stmt(w, ST_MSG_BY_MID);
	db_bind_text(s, 1, pm->message_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		gboolean same = same_content(sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1),
		                             pm->content_hash);
		sqlite3_reset(s);
		/* A message this run added is as its first copy made it (a fresh
		 * ingest of two copies keeps the first, as before). */
		gboolean new_this_run = w->first_new && id >= w->first_new;
		if (!same && !new_this_run &&
		    !reread_changed_copy(w, id, container, item, location == 0, pm, body_z, refused,
		                         error))
			return FALSE;
		if (*refused)
			return TRUE;
		if (id != old_message)
			w->stats.copies_added++;
	} else if (!insert_message(w, pm, body_z, filings, &id, error)) {
		return FALSE;
	}

	if (location) {
		if (old_message != id) {
			s = stmt(w, ST_MAYBE_ORPHAN);
			sqlite3_bind_int64(s, 1, old_message);
			if (!step_done(w, s, "replacing a copy", error))
				return FALSE;
		}
		s = stmt(w, ST_REPOINT_LOC);
		sqlite3_bind_int64(s, 1, id);
		db_bind_text(s, 2, item->sub);
		db_bind_text(s, 3, item->info);
		sqlite3_bind_int64(s, 4, item->offset);
		sqlite3_bind_int64(s, 5, item->length);
		sqlite3_bind_int64(s, 6, item->fingerprint);
		sqlite3_bind_int64(s, 7, location);
		return step_done(w, s, "replacing a copy", error);
	}
	s = stmt(w, ST_INSERT_LOC);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, container);
	db_bind_text(s, 3, item->name);
	db_bind_text(s, 4, item->sub);
	db_bind_text(s, 5, item->info);
	sqlite3_bind_int64(s, 6, item->offset);
	sqlite3_bind_int64(s, 7, item->length);
	sqlite3_bind_int64(s, 8, item->fingerprint);
	return step_done(w, s, "adding a location", error);
}

gboolean
writer_move(struct index_writer *w, gint64 location_id, const char *sub, const char *info,
            GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_MOVE_LOC);
	db_bind_text(s, 1, sub);
	db_bind_text(s, 2, info);
	sqlite3_bind_int64(s, 3, location_id);
	if (!step_done(w, s, "updating a location", error))
		return FALSE;
	w->stats.copies_moved += sqlite3_changes(w->db->sql);
	return TRUE;
}

gboolean
writer_remove_location(struct index_writer *w, gint64 location_id, GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_DELETE_LOC);
	sqlite3_bind_int64(s, 1, location_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return TRUE; /* already gone */
	if (rc != SQLITE_ROW)
		return db_set_error(error, w->db, "removing a location");
	gint64 message = sqlite3_column_int64(s, 0);
	/* Finish the RETURNING statement before the next write. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "removing a location");
	w->stats.copies_removed++;

	s = stmt(w, ST_MAYBE_ORPHAN);
	sqlite3_bind_int64(s, 1, message);
	return step_done(w, s, "removing a copy", error);
}

/* Steps S, an inheriting statement: the filings it gave change their
 * threads' numbers, and a client's own makes the message's addresses the
 * client's contacts. */
static gboolean
note_inherited(struct index_writer *w, sqlite3_stmt *s, GError **error)
{
	g_autoptr(GPtrArray) given = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	g_autoptr(GArray) messages = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 message = sqlite3_column_int64(s, 0);
		g_array_append_val(messages, message);
		struct filing *f = g_new0(struct filing, 1);
		f->client = g_strdup(db_column_text(s, 1));
		f->project = *db_column_text(s, 2) ? g_strdup(db_column_text(s, 2)) : NULL;
		g_ptr_array_add(given, f);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "filing replies with their threads");
	for (guint i = 0; i < messages->len; i++) {
		gint64 message = g_array_index(messages, gint64, i);
		if (!aggregates_note_thread(w->db, message, error) ||
		    !note_contacts(w, message, NULL, g_ptr_array_index(given, i), error))
			return FALSE;
	}
	return TRUE;
}

/* Files by thread the mail added since id SINCE, a slice of it at a time:
 * the statement's set of threads and the rows it returns are held in memory
 * (12 MB more at the end of a first ingest of a million messages in one
 * run). A thread with mail in two slices is read twice, and filed once. */
static gboolean
inherit_since(struct index_writer *w, gint64 since, GError **error)
{
	sqlite3_stmt *l = stmt(w, ST_LAST_ID);
	int rc = sqlite3_step(l);
	gint64 last = rc == SQLITE_ROW ? sqlite3_column_int64(l, 0) : 0;
	sqlite3_reset(l);
	if (rc != SQLITE_ROW)
		return db_set_error(error, w->db, "reading new mail to file by thread");
	const char *test_slice = g_getenv("MAILCLERK_TEST_INHERIT_SLICE");
	gint64 slice = test_slice ? MAX(1, g_ascii_strtoll(test_slice, NULL, 10)) : INHERIT_SLICE;
	sqlite3_stmt *s = stmt(w, ST_INHERIT_SINCE);
	for (gint64 from = since; from <= last; from += slice) {
		sqlite3_bind_int64(s, 1, from);
		sqlite3_bind_int64(s, 2, from + slice);
		if (!note_inherited(w, s, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
writer_inherit_filings(struct index_writer *w, gboolean all, GError **error)
{
	if (!w->rules)
		return TRUE;
	if (all) {
		if (!note_inherited(w, stmt(w, ST_INHERIT_FILINGS), error))
			return FALSE;
	} else {
		sqlite3_stmt *p = stmt(w, ST_PENDING);
		int rc = sqlite3_step(p);
		gint64 since = rc == SQLITE_ROW ? sqlite3_column_int64(p, 0) : 0;
		sqlite3_reset(p);
		if (rc == SQLITE_DONE)
			return TRUE; /* no new mail since the last time */
		if (rc != SQLITE_ROW)
			return db_set_error(error, w->db, "reading new mail to file by thread");
		if (!inherit_since(w, since, error))
			return FALSE;
	}
	w->pending_marked = FALSE;
	return step_done(w, stmt(w, ST_CLEAR_PENDING), "filing replies with their threads", error);
}

/* Takes from the messages of THREAD the filings they inherited that no
 * message of the thread has from a rule any more. */
static gboolean
forget_inherited(struct index_writer *w, gint64 thread, GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_UNINHERIT_THREAD);
	sqlite3_bind_int64(s, 1, thread);
	/* A client's own filings that went: the message's addresses are
	 * counted again for the client, after the statement is done (its
	 * thread's numbers: the thread is in stats_dirty, as it lost a
	 * message). */
	g_autoptr(GArray) messages = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func(g_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*db_column_text(s, 2))
			continue;
		gint64 message = sqlite3_column_int64(s, 0);
		g_array_append_val(messages, message);
		g_ptr_array_add(clients, g_strdup(db_column_text(s, 1)));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "filing threads again");
	for (guint i = 0; i < messages->len; i++)
		if (!aggregates_note_unfiled(w->db, g_array_index(messages, gint64, i),
		                             g_ptr_array_index(clients, i), error))
			return FALSE;
	return TRUE;
}

/* Files by thread again the threads a message filed by a rule left in the
 * transaction (temp.refile_threads, noted by writer_sweep_orphans()), so
 * that what they inherit is what a fresh ingest of the same mail gives.
 * Only leaving takes from what a thread's messages inherit: new mail and
 * threads merging add (writer_inherit_filings() gives it), reindex keeps
 * filings, and reclassify files every thread again. */
static gboolean
refile_left_threads(struct index_writer *w, GError **error)
{
	if (!w->rules)
		return TRUE;
	g_autoptr(GArray) threads = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *s = stmt(w, ST_REFILE_THREADS);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 thread = sqlite3_column_int64(s, 0);
		g_array_append_val(threads, thread);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "reading which threads to file again");
	for (guint i = 0; i < threads->len; i++)
		if (!forget_inherited(w, g_array_index(threads, gint64, i), error))
			return FALSE;
	return threads->len == 0 ||
	       step_done(w, stmt(w, ST_CLEAR_REFILE), "filing threads again", error);
}

gboolean
writer_inherit_pending(struct index_writer *w)
{
	if (!w->rules)
		return FALSE;
	sqlite3_stmt *s = stmt(w, ST_PENDING);
	gboolean any = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return any;
}

gboolean
writer_orphans_pending(struct index_writer *w)
{
	sqlite3_stmt *s = stmt(w, ST_ANY_ORPHAN);
	gboolean any = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return any;
}

gboolean
writer_sweep_orphans(struct index_writer *w, GError **error)
{
	if (w->rules && !step_done(w, stmt(w, ST_NOTE_LEAVING), "removing messages", error))
		return FALSE;
	sqlite3_stmt *s = stmt(w, ST_SWEEP_ORPHANS);
	if (!step_done(w, s, "removing messages", error))
		return FALSE;
	w->stats.messages_removed += sqlite3_changes(w->db->sql);
	s = stmt(w, ST_CLEAR_ORPHANS);
	return step_done(w, s, "removing messages", error);
}

gboolean
writer_container_done(struct index_writer *w, const char *container, gint64 mtime_ns, gint64 size,
                      GError **error)
{
	if (mtime_ns < 0) {
		sqlite3_stmt *s = stmt(w, ST_UNSKIP_CONTAINER);
		db_bind_text(s, 1, container);
		if (!step_done(w, s, "forgetting a folder's skipped files", error))
			return FALSE;
		s = stmt(w, ST_FORGET_CONTAINER);
		db_bind_text(s, 1, container);
		return step_done(w, s, "forgetting a folder", error);
	}
	sqlite3_stmt *s = stmt(w, ST_CONTAINER);
	sqlite3_bind_int64(s, 1, mtime_ns);
	sqlite3_bind_int64(s, 2, size);
	db_bind_text(s, 3, container);
	return step_done(w, s, "recording a folder", error);
}

gboolean
writer_skip(struct index_writer *w, const struct source_item *item, gint64 size, const char *reason,
            GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_SKIP);
	db_bind_text(s, 1, item->container);
	db_bind_text(s, 2, item->name);
	sqlite3_bind_int64(s, 3, size);
	sqlite3_bind_int64(s, 4, item->mtime);
	db_bind_text(s, 5, reason);
	return step_done(w, s, "recording a skipped file", error);
}

gboolean
writer_unskip(struct index_writer *w, const char *container, const char *name, GError **error)
{
	sqlite3_stmt *s = stmt(w, ST_UNSKIP);
	db_bind_text(s, 1, container);
	db_bind_text(s, 2, name);
	return step_done(w, s, "forgetting a skipped file", error);
}

/* Runs FLIP (ST_FLIP_MARK, ST_FLIP_DIRECTION) on each message of IDS. */
static gboolean
flip_each(struct index_writer *w, int flip, const GArray *ids, GError **error)
{
	for (guint i = 0; i < ids->len; i++) {
		sqlite3_stmt *s = stmt(w, flip);
		sqlite3_bind_int64(s, 1, g_array_index(ids, gint64, i));
		if (!step_done(w, s, "marking mail again", error))
			return FALSE;
	}
	return TRUE;
}

gboolean
writer_remark(struct index_writer *w, gint64 *automated_changed, gint64 *direction_changed,
              GError **error)
{
	/* The ids first, the updates after: no row changes under the scan. */
	g_autoptr(GArray) automated = g_array_new(FALSE, FALSE, sizeof(gint64));
	g_autoptr(GArray) direction = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *s = stmt(w, ST_MARKS);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		const char *from = db_column_text(s, 1);
		struct automated_mark mark;
		automated_mark(w->cfg, from, db_column_text(s, 2), &mark);
		if (mark.automated != (sqlite3_column_int(s, 3) != 0))
			g_array_append_val(automated, id);
		gboolean outbound = content_outbound(w->cfg, from);
		if (outbound != (sqlite3_column_int(s, 4) != 0))
			g_array_append_val(direction, id);
	}
	if (rc != SQLITE_DONE)
		return db_set_error(error, w->db, "reading the automated marks");
	sqlite3_reset(s);
	if (!flip_each(w, ST_FLIP_MARK, automated, error) ||
	    !flip_each(w, ST_FLIP_DIRECTION, direction, error))
		return FALSE;
	*automated_changed = automated->len;
	*direction_changed = direction->len;
	return TRUE;
}

void
writer_stats_add(struct writer_stats *to, const struct writer_stats *from)
{
	to->messages_added += from->messages_added;
	to->copies_added += from->copies_added;
	to->copies_moved += from->copies_moved;
	to->copies_removed += from->copies_removed;
	to->messages_removed += from->messages_removed;
	to->messages_rewritten += from->messages_rewritten;
	to->messages_unchanged += from->messages_unchanged;
}
