/* Filing every message again from the index (reclassify.h). */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "index/load.h"
#include "index/reclassify.h"
#include "index/writer.h"
#include "ingest/parse.h"
#include "ingest/source.h"

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
	    !load_attachments(db, id, pm->attachments, error) ||
	    !load_labels(db, id, pm->labels, error))
		return NULL;

	if (headers) {
		/* A message with no readable copy is filed without its headers. */
		g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func(mc_location_free);
		if (!load_locations(db, id, copies, error))
			return NULL;
		g_autoptr(GBytes) raw = source_read_copy(id, copies, NULL);
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

gboolean
reclassify_run(struct mc_db *db, const struct mc_config *cfg, const struct rules *filing_rules,
               struct reclassify_report *report, GError **error)
{
	memset(report, 0, sizeof *report);
	g_autoptr(index_writer) w = writer_new(db, cfg, filing_rules, error);
	if (!w)
		return FALSE;
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
	             error))
		return FALSE;
	g_autoptr(sqlite3_stmt) ids = db_prepare(db, "SELECT id FROM messages ORDER BY id", error);
	if (!ids)
		goto fail;
	/* Without clients there is nothing to file: the messages are counted. */
	while (sqlite3_step(ids) == SQLITE_ROW) {
		report->messages++;
		if (!filing_rules)
			continue;
		gint64 id = sqlite3_column_int64(ids, 0);
		g_autoptr(parsed_message) pm = reclassify_load(db, id, body, headers, error);
		if (!pm || !writer_file_message(w, pm, NULL, id, error))
			goto fail;
	}
	if (!writer_inherit_filings(w, TRUE, error) ||
	    !writer_remark_automated(w, &report->automated_changed, error))
		goto fail;
	/* EXCEPT sorts both sides once: a correlated NOT EXISTS was quadratic. */
	report->added = count_int(db, "SELECT count(*) FROM (SELECT message, client, project FROM "
	                              "filings EXCEPT SELECT message, client, project FROM "
	                              "old_filings)");
	report->removed = count_int(db, "SELECT count(*) FROM (SELECT message, client, project "
	                                "FROM old_filings EXCEPT SELECT message, client, project "
	                                "FROM filings)");
	report->filings = count_int(db, "SELECT count(*) FROM filings");
	report->automated = count_int(db, "SELECT count(*) FROM messages WHERE automated = 1");
	/* Every filing changed at once: the aggregates are counted whole. */
	if (!writer_aggregates_rebuild(w, error) ||
	    !db_exec(db, "DROP TABLE old_filings; COMMIT", error))
		goto fail;
	report->seconds = (g_get_monotonic_time() - start) / 1e6;
	return TRUE;
fail:
	sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	return FALSE;
}
