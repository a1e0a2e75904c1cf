/* The report queries behind the views: clients, timeline, explain,
 * attachments (contacts: contacts.c). */
#include "config.h"

#include "common/error.h"
#include "common/message.h"
#include "index/load.h"
#include "index/rules.h"
#include "query/followups.h"
#include "query/report.h"

/* Reads COUNTS from the row of S, from column FIRST on: messages in, out,
 * threads, first and last date, attachments (follow-ups are counted apart). */
static void
read_counts(sqlite3_stmt *s, int first, struct mail_counts *counts)
{
	counts->in = sqlite3_column_int64(s, first);
	counts->out = sqlite3_column_int64(s, first + 1);
	counts->threads = sqlite3_column_int64(s, first + 2);
	counts->first = sqlite3_column_int64(s, first + 3);
	counts->last = sqlite3_column_int64(s, first + 4);
	counts->attachments = sqlite3_column_int64(s, first + 5);
}

/* The columns read_counts() reads, from filing_stats s (migrate-14.sql). */
#define STATS_COLUMNS "s.inbound, s.outbound, s.threads, s.first, s.last, s.attachments"

GArray *
report_clients(struct mc_db *db, const struct mc_config *cfg, gint64 now, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT " STATS_COLUMNS " FROM filing_stats s WHERE s.client = ? AND s.project = ''",
	    error);
	if (!s)
		return NULL;
	/* Exactly what `followups` lists by default. */
	struct followup_options o;
	followup_options_init(&o, cfg, now);
	g_autoptr(GPtrArray) open = followups_collect(db, cfg, NULL, NULL, &o, error);
	if (!open)
		return NULL;
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(struct client_report));
	for (guint i = 0; i < cfg->clients->len; i++) {
		struct client_report row = { .client = g_ptr_array_index(cfg->clients, i) };
		sqlite3_reset(s);
		db_bind_text(s, 1, row.client->key);
		int rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			read_counts(s, 0, &row.n);
		} else if (rc != SQLITE_DONE) {
			db_set_error(error, db, "counting a client's mail");
			return NULL;
		}
		for (guint k = 0; k < open->len; k++)
			row.n.followups +=
			    g_str_equal(((struct followup *)g_ptr_array_index(open, k))->client,
			                row.client->key);
		g_array_append_val(rows, row);
	}
	return g_steal_pointer(&rows);
}

GArray *
report_projects(struct mc_db *db, const struct mc_config *cfg, const char *client, gint64 now,
                GError **error)
{
	/* Every project's numbers, and each client's mail in none of its
	 * projects (the key '/'), which the rows below call project "". */
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT s.client, CASE s.project WHEN '/' THEN '' ELSE s.project END, " STATS_COLUMNS
	    " FROM filing_stats s WHERE (?1 IS NULL OR s.client = ?1) AND s.project != ''",
	    error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	struct followup_options o;
	followup_options_init(&o, cfg, now);
	g_autoptr(GPtrArray) open = followups_collect(db, cfg, client, NULL, &o, error);
	if (!open)
		return NULL;
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(struct project_report));
	for (guint i = 0; i < cfg->clients->len; i++) {
		const struct mc_client_config *c = g_ptr_array_index(cfg->clients, i);
		if (client && !g_str_equal(client, c->key))
			continue;
		for (guint k = 0; k < cfg->projects->len; k++) {
			const struct mc_project_config *p = g_ptr_array_index(cfg->projects, k);
			struct project_report row = { .client = c->key, .project = p };
			if (g_str_equal(p->client, c->key))
				g_array_append_val(rows, row);
		}
		struct project_report other = { .client = c->key };
		g_array_append_val(rows, other);
	}
	/* The numbers, by key: the rows are few. */
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = db_column_text(s, 0), *project = db_column_text(s, 1);
		for (guint i = 0; i < rows->len; i++) {
			struct project_report *r = &g_array_index(rows, struct project_report, i);
			if (g_str_equal(r->client, key) &&
			    g_str_equal(r->project ? r->project->key : "", project))
				read_counts(s, 2, &r->n);
		}
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "counting each project's mail");
		return NULL;
	}
	/* A follow-up counts for each project its last message is filed under,
	 * or for the client's other mail when none. */
	for (guint k = 0; k < open->len; k++) {
		const struct followup *f = g_ptr_array_index(open, k);
		for (guint i = 0; i < rows->len; i++) {
			struct project_report *r = &g_array_index(rows, struct project_report, i);
			if (g_str_equal(r->client, f->client) &&
			    (r->project ? g_strv_contains((const char *const *)f->projects,
			                                  r->project->key)
			                : !f->projects[0]))
				r->n.followups++;
		}
	}
	/* A client's other mail is a row only when there is some. */
	for (guint i = rows->len; i-- > 0;) {
		const struct project_report *r = &g_array_index(rows, struct project_report, i);
		if (!r->project && !r->n.in && !r->n.out)
			g_array_remove_index(rows, i);
	}
	return g_steal_pointer(&rows);
}

/* The rest of a timeline's query, after its messages `mine`: threads in the
 * order they began, messages in date order within. */
#define TIMELINE_ROWS                                                                              \
	"starts AS (SELECT thread_id, min(date) AS start FROM mine GROUP BY thread_id) "           \
	"SELECT mine.thread_id, mine.id, mine.date, mine.direction, mine.from_name, "              \
	"mine.from_addr, mine.subject, (SELECT count(*) FROM attachments a WHERE "                 \
	"a.message = mine.id AND a.is_inline = 0) FROM mine JOIN starts s ON "                     \
	"s.thread_id = mine.thread_id ORDER BY s.start, mine.thread_id, mine.date, mine.id"

/* Sets THREADS to a JSON array of the LIMIT threads of CLIENT and PROJECT
 * with the newest mail dated SINCE or later, and MORE to whether there are
 * others: from the newest message back (messages_date), which reaches them
 * soon for a client with much mail. FALSE and ERROR on a database error. */
static gboolean
newest_threads(struct mc_db *db, const char *client, const char *project, gint64 since,
               gint64 limit, char **threads, gboolean *more, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT m.thread_id FROM messages m WHERE m.date >= ?3 AND EXISTS (SELECT 1 FROM "
	    "filings f WHERE f.message = m.id AND f.client = ?1 AND f.project = ?2) "
	    "ORDER BY m.date DESC, m.id DESC",
	    error);
	if (!s)
		return FALSE;
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project);
	sqlite3_bind_int64(s, 3, since);
	g_autoptr(GHashTable) seen =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(GString) json = g_string_new("[");
	*more = FALSE;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 thread = sqlite3_column_int64(s, 0);
		if (g_hash_table_contains(seen, &thread))
			continue;
		if ((gint64)g_hash_table_size(seen) == limit) {
			*more = TRUE;
			break;
		}
		g_hash_table_add(seen, g_memdup2(&thread, sizeof thread));
		g_string_append_printf(json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "",
		                       thread);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_set_error(error, db, "finding the newest threads");
	g_string_append_c(json, ']');
	*threads = g_string_free(g_steal_pointer(&json), FALSE);
	return TRUE;
}

gboolean
report_timeline(struct mc_db *db, const char *client, const char *project, gint64 since,
                gint64 limit, report_timeline_fn fn, gpointer data, gboolean *more, GError **error)
{
	*more = FALSE;
	/* A limit the client's threads are within (filing_stats says how many
	 * it has) is no limit: its filings are read whole. */
	if (limit > 0) {
		g_autoptr(sqlite3_stmt) n = db_prepare(
		    db, "SELECT threads FROM filing_stats WHERE client = ? AND project = ?", error);
		if (!n)
			return FALSE;
		db_bind_text(n, 1, client);
		db_bind_text(n, 2, project);
		if (sqlite3_step(n) != SQLITE_ROW || sqlite3_column_int64(n, 0) <= limit)
			limit = 0;
	}
	g_autofree char *threads = NULL;
	if (limit > 0 && !newest_threads(db, client, project, since, limit, &threads, more, error))
		return FALSE;
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    threads ? "WITH mine AS (SELECT m.* FROM json_each(?4) t CROSS JOIN messages m ON "
	              "m.thread_id = t.value WHERE m.date >= ?3 AND EXISTS (SELECT 1 FROM "
	              "filings f WHERE f.message = m.id AND f.client = ?1 AND f.project = "
	              "?2)), " TIMELINE_ROWS
	            : "WITH mine AS (SELECT m.* FROM filings f JOIN messages m ON m.id = f.message "
	              "WHERE f.client = ?1 AND f.project = ?2 AND m.date >= ?3), " TIMELINE_ROWS,
	    error);
	if (!s)
		return FALSE;
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project);
	sqlite3_bind_int64(s, 3, since);
	if (threads)
		db_bind_text(s, 4, threads);
	/* A thread's rows are gathered, then handed over whole; the strings live
	 * in CHUNK until then. */
	struct timeline_thread t = {
		.thread = -1, .messages = g_array_new(FALSE, FALSE, sizeof(struct timeline_message))
	};
	g_autoptr(GArray) messages = t.messages;
	g_autoptr(GStringChunk) strings = g_string_chunk_new(4096);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 thread = sqlite3_column_int64(s, 0);
		if (thread != t.thread && messages->len) {
			fn(&t, data);
			g_array_set_size(messages, 0);
			g_string_chunk_clear(strings);
		}
		t.thread = thread;
		struct timeline_message m = {
			.id = sqlite3_column_int64(s, 1),
			.date = sqlite3_column_int64(s, 2),
			.outbound = sqlite3_column_int(s, 3) == 1,
			.from_name = g_string_chunk_insert(strings, db_column_text(s, 4)),
			.from_addr = g_string_chunk_insert(strings, db_column_text(s, 5)),
			.subject = g_string_chunk_insert(strings, db_column_text(s, 6)),
			.attachments = sqlite3_column_int64(s, 7),
		};
		g_array_append_val(messages, m);
	}
	if (rc != SQLITE_DONE)
		return db_set_error(error, db, "reading the timeline");
	if (messages->len)
		fn(&t, data);
	return TRUE;
}

GPtrArray *
report_explain(struct mc_db *db, gint64 id, GError **error)
{
	/* The filings, then the clients whose exclude rule kept it out. */
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db,
	               "SELECT client, project, rule, matched, 0 AS excluded FROM filings "
	               "WHERE message = ?1 UNION ALL SELECT client, '', rule, matched, 1 "
	               "FROM exclusions WHERE message = ?1 ORDER BY excluded, client, 2",
	               error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct filing *f = g_new0(struct filing, 1);
		f->client = g_strdup(db_column_text(s, 0));
		const char *project = db_column_text(s, 1);
		f->project = *project ? g_strdup(project) : NULL;
		f->rule = g_strdup(db_column_text(s, 2));
		f->matched = g_strdup(db_column_text(s, 3));
		f->excluded = sqlite3_column_int(s, 4);
		g_ptr_array_add(rows, f);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading a message's filings");
		return NULL;
	}
	return g_steal_pointer(&rows);
}

gboolean
report_attachments(struct mc_db *db, GArray *ids, gboolean with_inline, gint64 limit,
                   report_attachment_fn fn, gpointer data, gboolean *more, GError **error)
{
	*more = FALSE;
	gint64 shown = 0;
	g_autoptr(sqlite3_stmt) parts = db_prepare(
	    db,
	    "SELECT m.date, m.message_id, m.from_name, m.from_addr, a.filename, a.mime_type, "
	    "a.size, a.sha256, a.part, a.is_inline FROM attachments a JOIN messages m ON "
	    "m.id = a.message WHERE a.message = ?1 AND (?2 OR a.is_inline = 0) ORDER BY a.rowid",
	    error);
	if (!parts)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		sqlite3_reset(parts);
		sqlite3_bind_int64(parts, 1, id);
		sqlite3_bind_int(parts, 2, with_inline);
		g_autoptr(GPtrArray) clients = NULL, projects = NULL;
		int rc;
		while ((rc = sqlite3_step(parts)) == SQLITE_ROW) {
			if (limit && shown == limit) {
				*more = TRUE;
				return TRUE;
			}
			shown++;
			/* Filings once per message, and only for one with attachments. */
			if (!clients) {
				clients = g_ptr_array_new_with_free_func(g_free);
				projects = g_ptr_array_new_with_free_func(g_free);
				if (!load_filings(db, id, clients, projects, error))
					return FALSE;
			}
			struct attachment_report a = {
				.id = id,
				.date = sqlite3_column_int64(parts, 0),
				.message_id = db_column_text(parts, 1),
				.from_name = db_column_text(parts, 2),
				.from_addr = db_column_text(parts, 3),
				.clients = clients,
				.projects = projects,
				.filename = db_column_text(parts, 4),
				.mime_type = db_column_text(parts, 5),
				.size = sqlite3_column_int64(parts, 6),
				.sha256 = db_column_text(parts, 7),
				.part = db_column_text(parts, 8),
				.is_inline = sqlite3_column_int(parts, 9),
			};
			fn(&a, data);
		}
		if (rc != SQLITE_DONE)
			return db_set_error(error, db, "listing attachments");
	}
	return TRUE;
}
