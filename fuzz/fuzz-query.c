/* Fuzz target: the query compiler (query/query.h), the input as a query.
 *
 * Besides crashes it checks what query.h promises: a query that parses
 * runs in SQLite against the real schema, every placeholder bound, in its
 * SQL, its probe form and each set its matches are in, and its FTS5
 * expressions are ones FTS5 accepts; one that does not parse says which
 * column. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "index/db.h"
#include "index/schema.h"
#include "index/text.h"
#include "index/tokenizer.h"
#include "query/query.h"

/* "Now" for relative dates: 2024-06-15T12:00:00Z, as in the unit tests. */
#define NOW G_GINT64_CONSTANT(1718452800)

static sqlite3 *db;

static void
exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fuzz_fail("setting up the database: %s", err);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;

	fuzz_init();
	/* mc_unzstd too: migrate-13.sql rebuilds the full text from fts_source. */
	if (sqlite3_open(":memory:", &db) != SQLITE_OK || !tokenizer_register(db, &error) ||
	    !text_register(db, &error))
		fuzz_fail("opening the database: %s", error ? error->message : sqlite3_errmsg(db));
	exec(schema_sql);
	exec(migrate_2_sql);
	exec(migrate_3_sql);
	exec(migrate_4_sql);
	exec(migrate_5_sql);
	exec(migrate_6_sql);
	exec(migrate_7_sql);
	exec(migrate_8_sql);
	exec(migrate_9_sql);
	exec(migrate_10_sql);
	exec(migrate_11_sql);
	exec(migrate_12_sql);
	exec(migrate_13_sql);
	exec(migrate_18_sql); /* domains, where @domain starts */
	exec(migrate_19_sql); /* message_date_newest, where a page of words stops */
	exec(migrate_20_sql); /* address_epochs, which an address's search seeks */
	/* A new migration must be added above when the queries read its
	 * columns; 14 to 16 add tables they do not (the numbers of the views,
	 * message_doclens, thread_last), 17 only deletes rows of skipped. */
	G_STATIC_ASSERT(DB_SCHEMA_VERSION == 20);
	/* One message, so that every condition is evaluated at least once. */
	exec("INSERT INTO messages (id, message_id, content_hash, date, subject, thread_id) "
	     "VALUES (1, 'm1@acme.example', 'x', 1704880800, 'Invoice for January', 1);"
	     "INSERT INTO fts (rowid, subject, sender, recipients, body, attachments) "
	     "VALUES (1, 'Invoice for January', 'Bob bob@acme.example', "
	     "'Sam sam@studio.example', 'Please find the invoice attached.', 'jan.pdf');"
	     "INSERT INTO labels (message, label, folded) VALUES (1, 'Clients/Acme', "
	     "'clients/acme');"
	     "INSERT INTO addresses (message, role, name, address, domain) VALUES "
	     "(1, 0, 'Bob', 'bob@acme.example', 'acme.example');"
	     "INSERT INTO domains (domain) VALUES ('acme.example');");
	return 0;
}

/* Runs SQL to its end, with Q's values bound, or MATCH as its only value
 * when not NULL. TEXT is the query, for messages. */
static void
run(const char *text, const struct query *q, const char *sql, const char *match)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fuzz_fail("query [%s] made SQL that does not prepare: %s: %s", text, sql,
		          sqlite3_errmsg(db));
	if (match) {
		sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	} else {
		int next = query_bind(q, stmt, 1);
		if (next != sqlite3_bind_parameter_count(stmt) + 1)
			fuzz_fail("query [%s]: %d values bound for %d placeholders in %s", text,
			          next - 1, sqlite3_bind_parameter_count(stmt), sql);
	}
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		fuzz_fail("query [%s] fails in SQLite: %s: %s", text, sql, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
}

/* Runs set I of Q's sets its matches are all in (query_and_sets()), with
 * its own values bound: counted, and counted in a range of ids as the
 * join's cost is guessed (query/search.c, join_cost()). TEXT is the query,
 * for messages. */
static void
run_set(const char *text, const struct query *q, guint i)
{
	static const char *const forms[] = {
		"SELECT count(*) FROM (%s)",
		"WITH s(id) AS (%s) SELECT count(*) FROM s WHERE id BETWEEN ? AND ?",
	};
	for (guint f = 0; f < G_N_ELEMENTS(forms); f++) {
		g_autofree char *sql = g_strdup_printf(forms[f], query_and_set_sql(q, i));
		sqlite3_stmt *stmt = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
			fuzz_fail("query [%s]: set %u does not prepare: %s: %s", text, i, sql,
			          sqlite3_errmsg(db));
		int next = query_bind_and_set(q, i, stmt, 1);
		if (f == 1) {
			sqlite3_bind_int64(stmt, next++, 1);
			sqlite3_bind_int64(stmt, next++, 1000);
		}
		if (next != sqlite3_bind_parameter_count(stmt) + 1)
			fuzz_fail("query [%s]: set %u: %d values bound for %d placeholders in %s",
			          text, i, next - 1, sqlite3_bind_parameter_count(stmt), sql);
		int rc = sqlite3_step(stmt);
		if (rc != SQLITE_ROW)
			fuzz_fail("query [%s]: set %u fails in SQLite: %s: %s", text, i, sql,
			          sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A query is a C string: the command line cannot pass a NUL. */
	if (memchr(data, '\0', size))
		return 0;
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);
	if (!q) {
		if (!error || !g_error_matches(error, QUERY_ERROR, QUERY_ERROR_SYNTAX) ||
		    !strstr(error->message, " at column "))
			fuzz_fail("query [%s] failed without a syntax error naming a column: %s",
			          text, error ? error->message : "no error");
		fuzz_check_utf8("the error message", error->message);
		return 0;
	}
	g_autofree char *sql =
	    g_strdup_printf("SELECT m.id FROM messages m WHERE %s ORDER BY m.id", query_sql(q));
	run(text, q, sql, NULL);
	/* The probe form binds the same values; each set its own. */
	g_autofree char *probe =
	    g_strdup_printf("SELECT m.id FROM messages m WHERE %s", query_probe_sql(q));
	run(text, q, probe, NULL);
	for (guint i = 0; i < query_and_sets(q); i++)
		run_set(text, q, i);
	/* Each branch of an OR at the top is a query of its own (a search may
	 * find its page branch by branch): it parses, and its SQL runs. */
	for (guint i = 0; i < query_or_branch_count(q); i++) {
		g_autoptr(GError) branch_error = NULL;
		g_autoptr(query) branch = query_or_branch(q, i, &branch_error);
		if (!branch)
			fuzz_fail("query [%s]: branch %u of its OR does not parse: %s", text, i,
			          branch_error ? branch_error->message : "no error");
		g_autofree char *branch_sql = g_strdup_printf(
		    "SELECT m.id FROM messages m WHERE %s ORDER BY m.id", query_sql(branch));
		run(text, branch, branch_sql, NULL);
	}
	const char *fts = query_fts_only(q);
	if (fts)
		run(text, q, "SELECT rowid FROM fts WHERE fts MATCH ?", fts);
	const char *highlight = query_fts_highlight(q);
	if (highlight)
		run(text, q, "SELECT rowid FROM fts WHERE fts MATCH ?", highlight);
	return 0;
}
