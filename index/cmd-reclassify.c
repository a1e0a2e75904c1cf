/* mailclerk reclassify: refile every message by the rules as they are now,
 * from what the index holds (subject, body, addresses, attachment names).
 * Only rules on header:NAME need the message files, since the index does
 * not keep headers; those are read and parsed again. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "index/db.h"
#include "index/load.h"
#include "index/rules.h"
#include "index/writer.h"
#include "ingest/parse.h"
#include "ingest/source.h"

/* The first readable copy of message ID, for header: rules; NULL if none. */
static GBytes *
reclassify_read_copy(struct mc_db *db, gint64 id)
{
	sqlite3_stmt *s = db_cached(db,
	                            "SELECT c.kind, c.path, l.sub, l.name, l.info, l.offset, "
	                            "l.length FROM locations l JOIN containers c ON "
	                            "c.id = l.container WHERE l.message = ?",
	                            NULL);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *kind = db_column_text(s, 0), *container = db_column_text(s, 1);
		GBytes *data = NULL;
		if (g_str_equal(kind, "mbox")) {
			data = mbox_read_message(container, sqlite3_column_int64(s, 5),
			                         sqlite3_column_int64(s, 6), NULL);
		} else {
			g_autofree char *path =
			    search_location_path(kind, container, db_column_text(s, 2),
			                         db_column_text(s, 3), db_column_text(s, 4));
			char *contents;
			gsize len;
			if (g_file_get_contents(path, &contents, &len, NULL))
				data = g_bytes_new_take(contents, len);
		}
		if (data) {
			sqlite3_reset(s);
			return data;
		}
	}
	sqlite3_reset(s);
	return NULL;
}

/* Rebuilds message ID as the rules see it, from the index: its body only
 * when BODY (decompressing every body is most of the work otherwise), its
 * headers only when HEADERS. */
static struct parsed_message *
reclassify_load(struct mc_db *db, gint64 id, gboolean body, gboolean headers, GError **error)
{
	sqlite3_stmt *m = db_cached(db,
	                            "SELECT m.message_id, m.subject, CASE WHEN ?2 THEN "
	                            "mc_unzstd(t.body) ELSE '' END FROM messages m JOIN "
	                            "message_text t ON t.id = m.id WHERE m.id = ?1",
	                            error);
	if (!m)
		return NULL;
	sqlite3_bind_int64(m, 1, id);
	sqlite3_bind_int(m, 2, body);
	if (sqlite3_step(m) != SQLITE_ROW) {
		db_set_error(error, db, "reading a message");
		return NULL;
	}
	g_autoptr(parsed_message) pm = parsed_message_new();
	pm->message_id = g_strdup(db_column_text(m, 0));
	g_free(pm->subject);
	pm->subject = g_strdup(db_column_text(m, 1));
	g_free(pm->body_text);
	pm->body_text = g_strdup(db_column_text(m, 2));
	sqlite3_reset(m);

	if (!load_addresses(db, id, pm->addresses, error) ||
	    !load_attachments(db, id, pm->attachments, error))
		return NULL;

	if (headers) {
		g_autoptr(GBytes) raw = reclassify_read_copy(db, id);
		if (raw) {
			gsize len;
			const char *data = g_bytes_get_data(raw, &len);
			g_autoptr(parsed_message) full =
			    parse_message(data, len, 0, PARSE_HEADERS, NULL);
			if (full && full->headers)
				pm->headers = g_ptr_array_ref(full->headers);
		}
	}
	return g_steal_pointer(&pm);
}

static gint64
count_int(struct mc_db *db, const char *sql)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, NULL);
	return s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
}

int
cmd_reclassify(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options("reclassify", "",
	                           "Files every message again by the client and project rules "
	                           "of the configuration as they are now (after you changed "
	                           "them), from what the index holds.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autoptr(rules) filing_rules = NULL;
	if (env->cfg->clients->len && !(filing_rules = rules_compile(env->cfg, &error)))
		return command_fail(error);

	int lock = command_ingest_lock(env->db_path, &error);
	if (lock < 0)
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_WRITE, &error);
	if (!db)
		return command_fail(error);
	g_autoptr(index_writer) w = writer_new(db, env->cfg, filing_rules, &error);
	if (!w)
		return command_fail(error);
	gint64 start = g_get_monotonic_time();
	gboolean headers = rules_need_headers(filing_rules);
	gboolean body = rules_need_body(filing_rules);
	/* One transaction: the filings change all at once or not at all. */
	if (!db_exec(db,
	             "BEGIN IMMEDIATE;"
	             /* Keyed like filings, so comparing the two is a lookup a row. */
	             "CREATE TEMP TABLE old_filings (message, client, project, "
	             "PRIMARY KEY (message, client, project)) WITHOUT ROWID;"
	             "INSERT INTO old_filings SELECT message, client, project FROM filings;"
	             "DELETE FROM filings;"
	             "DELETE FROM exclusions;",
	             &error))
		return command_fail(error);
	g_autoptr(sqlite3_stmt) ids = db_prepare(db, "SELECT id FROM messages ORDER BY id", &error);
	if (!ids)
		goto fail;
	gint64 n = 0;
	/* Without clients there is nothing to file: the messages are counted. */
	while (sqlite3_step(ids) == SQLITE_ROW) {
		n++;
		if (!filing_rules)
			continue;
		gint64 id = sqlite3_column_int64(ids, 0);
		g_autoptr(parsed_message) pm = reclassify_load(db, id, body, headers, &error);
		if (!pm || !writer_file_message(w, pm, NULL, id, &error))
			goto fail;
	}
	if (!writer_inherit_filings(w, TRUE, &error))
		goto fail;
	/* EXCEPT sorts both sides once: a correlated NOT EXISTS was quadratic. */
	gint64 added = count_int(db, "SELECT count(*) FROM (SELECT message, client, project FROM "
	                             "filings EXCEPT SELECT message, client, project FROM "
	                             "old_filings)");
	gint64 removed = count_int(db, "SELECT count(*) FROM (SELECT message, client, project "
	                               "FROM old_filings EXCEPT SELECT message, client, project "
	                               "FROM filings)");
	gint64 total = count_int(db, "SELECT count(*) FROM filings");
	if (!db_exec(db, "DROP TABLE old_filings; COMMIT", &error))
		goto fail;
	printf("reclassify: %" G_GINT64_FORMAT " messages, %" G_GINT64_FORMAT
	       " filings (%" G_GINT64_FORMAT " added, %" G_GINT64_FORMAT " removed), in %.2f s\n",
	       n, total, added, removed, (g_get_monotonic_time() - start) / 1e6);
	return MC_EXIT_OK;
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return command_fail(error);
}
