/* The query language against a real index: the SQL it makes, what it finds,
 * and that anything it accepts runs. */
#include "config.h"
#include "query/query.h"
#include "index/schema.h"
#include "index/text.h"
#include "index/tokenizer.h"

#include <glib/gstdio.h>
#include <string.h>

/* "Now" for every test: 2024-06-15T12:00:00Z. */
#define NOW  G_GINT64_CONSTANT(1718452800)
#define HOUR 3600
#define DAY  86400

static sqlite3 *db;

static gint64
utc(int y, int mo, int d, int h, int mi, int s)
{
	g_autoptr(GDateTime) t = g_date_time_new_utc(y, mo, d, h, mi, s);

	return g_date_time_to_unix(t);
}

static void
exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		g_error("%s: %s", sql, err);
}

static void
run(const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;

	g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
	va_start(ap, types);
	for (int i = 0; types[i] != '\0'; i++) {
		if (types[i] == 'i')
			sqlite3_bind_int64(stmt, i + 1, va_arg(ap, gint64));
		else
			sqlite3_bind_text(stmt, i + 1, va_arg(ap, const char *), -1,
			                  SQLITE_TRANSIENT);
	}
	va_end(ap);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
	sqlite3_finalize(stmt);
}

/* One message with its full-text row. */
static void
add_message(gint64 id, const char *message_id, gint64 date, int direction, gint64 thread,
            const char *subject, const char *sender, const char *recipients, const char *body,
            const char *attachments)
{
	run("INSERT INTO messages (id, message_id, content_hash, date, subject, direction, "
	    "thread_id, has_attachments) VALUES (?, ?, 'x', ?, ?, ?, ?, ?)",
	    "isisiii", id, message_id, date, subject, (gint64)direction, thread,
	    (gint64)(attachments[0] != '\0'));
	run("INSERT INTO fts (rowid, subject, sender, recipients, body, attachments) "
	    "VALUES (?, ?, ?, ?, ?, ?)",
	    "isssss", id, subject, sender, recipients, body, attachments);
}

static void
add_address(gint64 message, int role, const char *name, const char *address)
{
	run("INSERT INTO addresses (message, role, name, address, domain) VALUES (?, ?, ?, ?, ?)",
	    "iisss", message, (gint64)role, name, address, strrchr(address, '@') + 1);
	/* As the writer does (index/writer-content.c, note_domain()). */
	run("INSERT OR IGNORE INTO domains (domain) VALUES (?)", "s", strrchr(address, '@') + 1);
}

static void
add_location(gint64 message, const char *source, const char *folder)
{
	static int n;
	g_autofree char *path = g_strdup_printf("/m/%s/%s", source, folder);
	g_autofree char *name = g_strdup_printf("x%d", ++n);

	run("INSERT OR IGNORE INTO containers (path, kind, source, folder) "
	    "VALUES (?, 'maildir', ?, ?)",
	    "sss", path, source, folder);
	run("INSERT INTO locations (message, container, name) "
	    "SELECT ?, id, ? FROM containers WHERE path = ?",
	    "iss", message, name, path);
}

static void
add_attachment(gint64 message, const char *filename, const char *mime_type)
{
	run("INSERT INTO attachments (message, part, filename, mime_type, size, sha256) "
	    "VALUES (?, '2', ?, ?, 100, 'x')",
	    "iss", message, filename, mime_type);
}

static void
setup_db(void)
{
	g_autoptr(GError) error = NULL;

	/* The real schema and tokenizer, as the index has them. */
	g_assert_cmpint(sqlite3_open(":memory:", &db), ==, SQLITE_OK);
	g_assert_true(tokenizer_register(db, &error));
	g_assert_true(text_register(db, &error));
	g_assert_no_error(error);
	exec(schema_sql);
	exec(migrate_2_sql);
	exec(migrate_6_sql);
	exec(migrate_8_sql);  /* reindex_needed, which migrate-11 writes to */
	exec(migrate_11_sql); /* labels */
	exec(migrate_13_sql); /* the fts table with its alt column */
	exec(migrate_18_sql); /* domains, where @domain starts */
	exec(migrate_20_sql); /* the address indexes by epoch, address_epochs */

	add_message(1, "m1@acme.example", utc(2024, 1, 10, 10, 0, 0), 0, 1, "Invoice for January",
	            "Bob Smith bob@acme.example", "Sam sam@studio.example",
	            "Please find the invoice attached. Status report follows.", "invoice-jan.pdf");
	add_address(1, 0, "Bob Smith", "bob@acme.example");
	add_address(1, 1, "Sam", "sam@studio.example");
	add_attachment(1, "invoice-jan.pdf", "application/pdf");
	add_location(1, "work", "INBOX");

	add_message(2, "m2@studio.example", utc(2024, 3, 31, 23, 59, 59), 1, 1,
	            "Re: Invoice for January", "Sam sam@studio.example",
	            "Bob Smith bob@acme.example Alice alice@mail.acme.example", "Thanks, paid.",
	            "");
	add_address(2, 0, "Sam", "sam@studio.example");
	add_address(2, 1, "Bob Smith", "bob@acme.example");
	add_address(2, 2, "Alice", "alice@mail.acme.example");
	add_location(2, "work", "Sent");

	add_message(3, "m3@notacme.example", utc(2024, 4, 1, 0, 0, 0), 0, 3, "status report",
	            "Carol Jones carol@notacme.example", "sam@studio.example",
	            "weekly status report for the website relaunch", "report.docx");
	add_address(3, 0, "Carol Jones", "carol@notacme.example");
	add_address(3, 1, "", "sam@studio.example");
	add_attachment(3, "report.docx",
	               "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	add_location(3, "old", "Archive/2024");

	add_message(4, "m4@mail.acme.example", utc(2023, 12, 31, 23, 59, 59), 0, 4, "Café menu",
	            "Dave dave@mail.acme.example", "sam@studio.example eve@acme.example",
	            "crème brûlée recipe", "photo.JPG");
	add_address(4, 0, "Dave", "dave@mail.acme.example");
	add_address(4, 1, "", "sam@studio.example");
	add_address(4, 3, "", "eve@acme.example");
	add_attachment(4, "photo.JPG", "image/jpeg");
	add_location(4, "old", "Archive");

	add_message(5, "m5@studio.example", NOW - 3 * DAY, 1, 5, "東京の会議", "sam@studio.example",
	            "x@example.org", "明日の会議について", "");
	add_address(5, 0, "", "sam@studio.example");
	add_address(5, 1, "", "x@example.org");
	add_location(5, "old", "Archive2");

	add_message(6, "weird\"id'@x", NOW - HOUR, 0, 6, "He said \"hi\" * NEAR AND: x",
	            "O'Brien o'brien@evil.example", "sam@studio.example",
	            "'; DROP TABLE messages; --", "");
	add_address(6, 0, "O'Brien", "o'brien@evil.example");
	add_address(6, 1, "", "sam@studio.example");
	add_location(6, "work", "INBOX");

	add_message(7, "m7@acme.example.org", NOW - DAY, 0, 3, "website",
	            "Frank frank@acme.example.org", "sam@studio.example", "100% done_ok", "");
	add_address(7, 0, "Frank", "frank@acme.example.org");
	add_address(7, 1, "", "sam@studio.example");
	add_location(7, "work", "Archive/2024/Q1");

	add_message(8, "m8@acme.example", utc(2024, 2, 15, 8, 0, 0), 0, 8, "Invoice for February",
	            "Bob Smith bob@acme.example", "sam@studio.example bob@acme.example",
	            "no attachment this time", "");
	add_address(8, 0, "Bob Smith", "bob@acme.example");
	add_address(8, 1, "", "sam@studio.example");
	add_address(8, 2, "Bob Smith", "bob@acme.example");
	add_location(8, "work", "INBOX");
	add_location(8, "gmail", "All Mail");
}

static sqlite3_stmt *
prepare_where(const struct query *q, const char *select, const char *where)
{
	g_autofree char *sql = g_strdup_printf("%s WHERE %s ORDER BY m.id", select, where);
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		g_error("%s: %s", sql, sqlite3_errmsg(db));
	/* Every placeholder is bound, and no more. */
	g_assert_cmpint(query_bind(q, stmt, 1), ==, sqlite3_bind_parameter_count(stmt) + 1);
	return stmt;
}

static sqlite3_stmt *
prepare(const struct query *q, const char *select)
{
	return prepare_where(q, select, query_sql(q));
}

/* The ids WHERE finds, as "1,2,3". */
static char *
ids_where(const struct query *q, const char *where)
{
	GString *out = g_string_new(NULL);
	int rc;
	sqlite3_stmt *stmt = prepare_where(q, "SELECT m.id FROM messages m", where);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		g_string_append_printf(out, "%s%lld", out->len > 0 ? "," : "",
		                       (long long)sqlite3_column_int64(stmt, 0));
	if (rc != SQLITE_DONE)
		g_error("%s: %s", where, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return g_string_free(out, FALSE);
}

/* Fails unless every message Q finds is in each of its sets
 * (query_and_sets(), where a search looks for them when one is small). */
static void
assert_in_and_sets(const struct query *q, const char *text)
{
	for (guint i = 0; i < query_and_sets(q); i++) {
		g_autofree char *sql = g_strdup_printf(
		    "SELECT count(*) FROM messages m WHERE (%s) AND m.id NOT IN (%s)", query_sql(q),
		    query_and_set_sql(q, i));
		sqlite3_stmt *stmt = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
			g_error("%s: %s", sql, sqlite3_errmsg(db));
		int next = query_bind_and_set(q, i, stmt, query_bind(q, stmt, 1));
		g_assert_cmpint(next, ==, sqlite3_bind_parameter_count(stmt) + 1);
		g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
		if (sqlite3_column_int64(stmt, 0) != 0)
			g_error("query %s: %lld of its matches are not in its set %s", text,
			        (long long)sqlite3_column_int64(stmt, 0), query_and_set_sql(q, i));
		sqlite3_finalize(stmt);
	}
}

/* The ids the query finds, as "1,2,3": the same by its SQL and by its
 * probe form (query_probe_sql(), each message tested alone), each in the
 * query's sets, or the test fails. */
static char *
ids(const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);

	g_assert_no_error(error);
	g_assert_nonnull(q);
	char *by_set = ids_where(q, query_sql(q));
	g_autofree char *by_probe = ids_where(q, query_probe_sql(q));
	if (strcmp(by_set, by_probe) != 0)
		g_error("query %s: [%s] by its SQL, [%s] by its probe form %s", text, by_set,
		        by_probe, query_probe_sql(q));
	assert_in_and_sets(q, text);
	return by_set;
}

#define assert_ids(text, expected)                                                                 \
	do {                                                                                       \
		g_autofree char *got_ = ids(text);                                                 \
		if (g_strcmp0(got_, (expected)) != 0)                                              \
			g_error("query %s: got [%s], expected [%s]", (text), got_, (expected));    \
	} while (0)

/* The SQL with its values filled in, to see what reaches SQLite. */
static char *
expanded(const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);

	g_assert_no_error(error);
	sqlite3_stmt *stmt = prepare(q, "SELECT m.id FROM messages m");
	char *sql = sqlite3_expanded_sql(stmt);
	char *out = g_strdup(sql);
	sqlite3_free(sql);
	sqlite3_finalize(stmt);
	return out;
}

static int
count_matches(const char *text)
{
	g_autoptr(query) q = query_parse(text, NOW, NULL);
	int n = 0;

	g_assert_nonnull(q);
	for (const char *p = query_sql(q); (p = strstr(p, "MATCH")) != NULL; p++)
		n++;
	return n;
}

static void
test_match_all(void)
{
	const char *all[] = { "", "   ", "*", "**", " * ", "(*)" };

	for (gsize i = 0; i < G_N_ELEMENTS(all); i++) {
		g_autoptr(query) q = query_parse(all[i], NOW, NULL);
		g_assert_nonnull(q);
		g_assert_cmpstr(query_sql(q), ==, "1");
		g_assert_null(query_fts_highlight(q));
		g_assert_cmpint(query_bind(q, NULL, 7), ==, 7);
	}
	assert_ids("*", "1,2,3,4,5,6,7,8");
	assert_ids("-*", "");
	assert_ids("NOT *", "");
	assert_ids("* OR invoice", "1,2,3,4,5,6,7,8");
	/* Nothing to search for but such terms: a slip, said (a term like it
	 * beside others is left out: "invoice -" is invoice). */
	const char *nothing[] = { "-", "!!", "- !", "(-)", "\"*\"" };
	for (gsize i = 0; i < G_N_ELEMENTS(nothing); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(query) q = query_parse(nothing[i], NOW, &error);
		g_assert_null(q);
		g_assert_cmpstr(error->message, ==,
		                "no word to search for ('*' is every message) at column 1");
	}
	assert_ids("invoice -", "1,2,8");
}

static void
test_sql_shape(void)
{
	g_autoptr(query) q = query_parse("invoice", NOW, NULL);
	g_assert_cmpstr(query_sql(q), ==, "m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)");
	g_assert_cmpstr(query_probe_sql(q), ==,
	                "EXISTS (SELECT 1 FROM fts WHERE fts MATCH ? AND rowid = m.id)");
	g_autoptr(query) q2 = query_parse("is:inbound", NOW, NULL);
	g_assert_cmpstr(query_sql(q2), ==, "m.direction = 0");
	g_assert_cmpstr(query_probe_sql(q2), ==, "m.direction = 0");
	/* A prefix stays a set: FTS5 tests one message for it as dearly as it
	 * finds them all. */
	g_autoptr(query) q5 = query_parse("inv* from:bob", NOW, NULL);
	g_assert_nonnull(
	    strstr(query_probe_sql(q5), "m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?)"));
	g_autoptr(query) q6 = query_parse("inv* website", NOW, NULL);
	g_autoptr(query) q7 = query_parse("quasarwing OR invoice logo", NOW, NULL);
	g_autoptr(query) q8 = query_parse("invoice website -logo", NOW, NULL);
	g_assert_true(query_fts_has_prefix(q6));
	g_assert_false(query_fts_has_or(q6));
	g_assert_true(query_fts_has_or(q7));
	g_assert_false(query_fts_has_prefix(q7));
	g_assert_false(query_fts_has_or(q8));
	g_assert_false(query_fts_has_prefix(q8));
	g_autoptr(query) q4 = query_parse("from:bob@acme.example -client:acme", NOW, NULL);
	g_assert_cmpstr(query_probe_sql(q4), ==,
	                "(EXISTS (SELECT 1 FROM addresses a WHERE a.message = m.id AND (a.role = 0 "
	                "AND (a.message >> 16) = (m.id >> 16) AND a.address = ?)) AND NOT (EXISTS "
	                "(SELECT 1 FROM filings WHERE message = "
	                "m.id AND (client = ?))))");
	/* Words alone are one MATCH, which search joins directly. */
	g_assert_cmpstr(query_fts_only(q), ==, "\"invoice\"");
	g_assert_null(query_fts_only(q2));
	g_autoptr(query) q3 = query_parse("invoice is:inbound", NOW, NULL);
	g_assert_null(query_fts_only(q3));

	g_autofree char *e = expanded("invoice january paid");
	g_assert_cmpstr(
	    e, ==,
	    "SELECT m.id FROM messages m WHERE m.id IN (SELECT rowid FROM fts WHERE fts "
	    "MATCH '\"invoice\" AND \"january\" AND \"paid\"') ORDER BY m.id");
	g_autofree char *e2 = expanded("subject:inv* -january");
	g_assert_nonnull(strstr(e2, "MATCH '({subject} : \"inv\" *) NOT \"january\"'"));
	g_autofree char *e3 = expanded("from:\"Bob Smith\" OR to:bob OR address:carol");
	g_assert_nonnull(strstr(e3, "MATCH '({sender} : \"Bob Smith\") OR ({recipients} : \"bob\") "
	                            "OR ({sender recipients} : \"carol\")'"));

	/* Text terms merge into one MATCH however they are combined. */
	g_assert_cmpint(count_matches("invoice january paid"), ==, 1);
	g_assert_cmpint(count_matches("invoice OR website OR paid"), ==, 1);
	g_assert_cmpint(count_matches("(invoice OR website) -january subject:x"), ==, 1);
	g_assert_cmpint(count_matches("-invoice -website"), ==, 1);
	g_assert_cmpint(count_matches("invoice is:inbound january -paid"), ==, 1);
	g_assert_cmpint(count_matches("invoice OR is:inbound OR january"), ==, 1);
}

static void
test_text(void)
{
	assert_ids("invoice", "1,2,8");
	assert_ids("INVOICE January", "1,2");
	assert_ids("invo*", "1,2,8");
	assert_ids("\"status report\"", "1,3");
	assert_ids("\"report status\"", "");
	assert_ids("\"status rep\"*", "1,3");
	assert_ids("subject:\"status report\"", "3");
	assert_ids("Subject:invoice", "1,2,8");
	assert_ids("subject:febr*", "8");
	assert_ids("body:invoice", "1");
	assert_ids("attachment:invoice", "1");
	assert_ids("attachment:pdf", "1");
	assert_ids("cafe", "4");
	assert_ids("brulee", "4");
	assert_ids("東京の会議", "5");
	assert_ids("東京*", "5");
	/* One CJK character is found: the tokenizer indexes each on its own too. */
	assert_ids("東", "5");
	assert_ids("subject:東", "5");
	assert_ids("o'brien", "6");
	/* A dash alone is punctuation, not a negation of nothing. */
	assert_ids("invoice - january", "1,2");
	/* Operators are upper case; "or" is a word. */
	assert_ids("invoice or website", "");
}

static void
test_addresses(void)
{
	assert_ids("from:bob@acme.example", "1,8");
	assert_ids("from:BOB@ACME.EXAMPLE", "1,8");
	assert_ids("from:\"bob@acme.example\"", "1,8");
	assert_ids("to:bob@acme.example", "2");
	assert_ids("cc:bob@acme.example", "8");
	assert_ids("address:bob@acme.example", "1,2,8");
	assert_ids("to:eve@acme.example", "4");
	assert_ids("cc:eve@acme.example", "");
	assert_ids("from:o'brien@evil.example", "6");
	assert_ids("from:bob@acme*", "1,8");

	/* A domain includes its subdomains but not look-alikes. */
	assert_ids("from:@acme.example", "1,4,8");
	assert_ids("from:@mail.acme.example", "4");
	assert_ids("cc:@acme.example", "2,8");
	assert_ids("address:@notacme.example", "3");
	assert_ids("address:@example", "1,2,3,4,5,6,7,8");
	assert_ids("address:@ample", "");
	assert_ids("from:@acme*", "1,4,7,8");
	/* LIKE wildcards in user text are literal. */
	assert_ids("from:@_cme.example", "");
	assert_ids("from:@%", "");
	assert_ids("address:%@acme.example", "");

	/* Without '@' it is a name or word in the headers' text. */
	assert_ids("from:\"Bob Smith\"", "1,8");
	assert_ids("from:bob", "1,8");
	/* A word of to: or cc: is in any recipient's name or address (To, Cc
	 * and Bcc share one full-text column, as notmuch's to: covers them):
	 * 8 has Bob in Cc. Telling the roles apart took a test of each hit's
	 * addresses: cc:sam read for 10 s at a million messages. */
	assert_ids("to:bob", "2,8");
	assert_ids("cc:alice", "2");
	assert_ids("address:carol", "3");
	assert_ids("address:sam", "1,2,3,4,5,6,7,8");
}

static void
test_fields(void)
{
	assert_ids("folder:INBOX", "1,6,8");
	/* Folder names in any ASCII case: IMAP's INBOX is case-insensitive. */
	assert_ids("folder:inbox", "1,6,8");
	assert_ids("folder:ARCHIVE", "4");
	assert_ids("folder:archive/*", "3,4,7");
	assert_ids("folder:\"archive/*\"", "3,4,7");
	assert_ids("folder:aRCH*", "3,4,5,7");
	assert_ids("folder:\"all mail\"", "8");
	assert_ids("folder:Archive", "4");
	assert_ids("folder:Archive/*", "3,4,7");
	assert_ids("folder:\"Archive/*\"", "3,4,7");
	assert_ids("folder:Archive/2024/*", "3,7");
	assert_ids("folder:Arch*", "3,4,5,7");
	assert_ids("folder:*", "1,2,3,4,5,6,7,8");
	assert_ids("folder:\"All Mail\"", "8");
	assert_ids("folder:A%", "");
	assert_ids("source:gmail", "8");
	assert_ids("source:old", "3,4,5");
	assert_ids("source:gmail folder:INBOX", "8");
	/* Source names are config keys, as written. */
	assert_ids("source:GMAIL", "");

	assert_ids("id:<m1@acme.example>", "1");
	assert_ids("id:m1@acme.example", "1");
	assert_ids("id:\"weird\\\"id'@x\"", "6");
	assert_ids("thread:1", "1,2");
	assert_ids("thread:3", "3,7");
	assert_ids("thread:99", "");

	assert_ids("is:inbound", "1,3,4,6,7,8");
	assert_ids("is:outbound", "2,5");
	assert_ids("has:attachment", "1,3,4");

	assert_ids("type:pdf", "1");
	assert_ids("type:PDF", "1");
	assert_ids("type:application/pdf", "1");
	assert_ids("type:jpeg", "4");
	assert_ids("type:jpg", "4");
	assert_ids("type:image", "4");
	assert_ids("type:docx", "3");
	assert_ids("type:application", "1,3");
	assert_ids("type:image/png", "");
	assert_ids("type:image/*", "4");
	assert_ids("type:IMAGE/*", "4");
	assert_ids("type:application/*", "1,3");
	assert_ids("type:image/jpeg", "4");
	assert_ids("type:IMAGE/JPEG", "4");
	/* An extension of the table: its MIME type, or a file so named. */
	assert_ids("type:docx", "3");
	assert_ids("type:xlsx", "");
	assert_ids("type:png", "");
	/* A subtype of the table's. */
	assert_ids("type:msword", "");
	assert_ids("type:vnd.openxmlformats-officedocument.wordprocessingml.document", "3");
}

static void
test_dates(void)
{
	assert_ids("date:2024", "1,2,3,5,6,7,8");
	assert_ids("date:2023", "4");
	assert_ids("date:2024..2024-03", "1,2,8");
	assert_ids("date:2024-03-31", "2");
	assert_ids("date:2024-04", "3");
	assert_ids("date:2024-02-15..2024-02-15", "8");
	assert_ids("date:..2023", "4");
	assert_ids("date:..2024-01-10", "1,4");
	assert_ids("date:2024-04..", "3,5,6,7");
	assert_ids("date:today", "6");
	assert_ids("date:TODAY", "6");
	assert_ids("date:yesterday", "7");
	assert_ids("date:yesterday..today", "6,7");
	assert_ids("date:2w", "5,6,7");
	assert_ids("date:4d..2d", "5");
	assert_ids("date:1m", "5,6,7");
	assert_ids("date:1y", "1,2,3,4,5,6,7,8");
	assert_ids("date:0d", "");
	assert_ids("date:\"2024-03\"", "2");

	/* What reaches SQLite: half-open UTC ranges. */
	g_autofree char *e = expanded("date:2024..2024-03");
	g_assert_nonnull(strstr(e, "(m.date >= 1704067200 AND m.date < 1711929600)"));
	g_autofree char *e2 = expanded("date:2w");
	g_assert_nonnull(strstr(e2, "(m.date >= 1717243200 AND m.date < 1718452801)"));
	g_autofree char *e3 = expanded("date:..yesterday");
	g_assert_nonnull(strstr(e3, "m.date < 1718409600"));
}

static void
test_operators(void)
{
	assert_ids("invoice OR website", "1,2,3,7,8");
	assert_ids("invoice -january", "8");
	assert_ids("invoice NOT january", "8");
	assert_ids("invoice AND NOT january", "8");
	assert_ids("NOT invoice", "3,4,5,6,7");
	assert_ids("-invoice -website", "4,5,6");
	assert_ids("NOT NOT invoice", "1,2,8");
	assert_ids("--invoice", "1,2,8");
	assert_ids("-from:@acme.example", "2,3,5,6,7");
	assert_ids("invoice AND NOT from:bob@acme.example", "2");
	assert_ids("* -from:bob@acme.example", "2,3,4,5,6,7");
	assert_ids("invoice OR is:outbound", "1,2,5,8");
	assert_ids("-invoice OR is:outbound", "2,3,4,5,6,7");
	assert_ids("-invoice OR -website", "1,2,3,4,5,6,7,8");
	assert_ids("-invoice OR -status", "2,3,4,5,6,7,8");
	assert_ids("website OR -status", "2,3,4,5,6,7,8");
	assert_ids("is:outbound OR -status", "2,4,5,6,7,8");

	/* NOT binds tighter than AND, AND tighter than OR. */
	assert_ids("website OR invoice january", "1,2,3,7");
	assert_ids("website OR invoice AND january", "1,2,3,7");
	assert_ids("(website OR invoice) january", "1,2");
	assert_ids("NOT website OR invoice", "1,2,4,5,6,8");
	assert_ids("-(website OR invoice)", "4,5,6");
	assert_ids("NOT (website OR invoice) is:inbound", "4,6");
	assert_ids("is:inbound (from:@acme.example OR -has:attachment) date:2024", "1,6,7,8");
	assert_ids("((invoice))", "1,2,8");
}

static void
test_hostile(void)
{
	/* Quotes, stars, colons and FTS5 operators inside quotes are text. */
	assert_ids("\"He said \\\"hi\\\"\"", "6");
	assert_ids("subject:\"* NEAR AND:\"", "6");
	assert_ids("\"NEAR(he x)\"", "");
	assert_ids("NEAR(he x)", "6");
	assert_ids("\"'; DROP TABLE messages; --\"", "6");
	assert_ids("'; DROP TABLE messages; --", "6");
	assert_ids("subject:\"'; DROP TABLE messages; --\"", "");
	assert_ids("from:\"'; DROP TABLE messages; --@x\"", "");
	assert_ids("folder:\"'; DROP TABLE messages; --\"", "");
	assert_ids("id:\"') OR 1=1 --\"", "");
	assert_ids("\"from:bob\"", "");
	assert_ids("\"invoice OR website\"", "");
	assert_ids("100%", "7");
	assert_ids("done_ok", "7");
	assert_ids("\"a\\\\b\"", "");

	g_autofree char *e = expanded("\"He said \\\"hi\\\"\" NEAR*");
	g_assert_nonnull(strstr(e, "MATCH '\"He said \"\"hi\"\"\" AND \"NEAR\" *'"));
	g_autofree char *e2 = expanded("'; DROP TABLE messages; --");
	g_assert_nonnull(strstr(e2, "MATCH '\"DROP\" AND \"TABLE\" AND \"messages;\"'"));

	assert_ids("*", "1,2,3,4,5,6,7,8");
}

static void
test_highlight(void)
{
	const struct {
		const char *query;
		const char *highlight;
	} cases[] = {
		{ "invoice", "\"invoice\"" },
		{ "invo*", "\"invo\" *" },
		{ "foo -bar subject:baz", "\"foo\" OR ({subject} : \"baz\")" },
		{ "foo OR NOT (bar OR -baz)", "\"foo\" OR \"baz\"" },
		{ "from:bob@acme.example", NULL },
		{ "from:bob is:inbound", "({sender} : \"bob\")" },
		{ "-invoice", NULL },
		{ "\"a \\\"b\\\"\"", "\"a \"\"b\"\"\"" },
		{ "*", NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		g_assert_cmpstr(query_fts_highlight(q), ==, cases[i].highlight);
	}

	/* It is a valid MATCH that ranks. */
	g_autoptr(query) q = query_parse("invoice -january OR website", NOW, NULL);
	sqlite3_stmt *stmt;
	g_assert_cmpint(sqlite3_prepare_v2(db,
	                                   "SELECT rowid FROM fts WHERE fts MATCH ? "
	                                   "ORDER BY bm25(fts), rowid",
	                                   -1, &stmt, NULL),
	                ==, SQLITE_OK);
	sqlite3_bind_text(stmt, 1, query_fts_highlight(q), -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(stmt) == SQLITE_ROW)
		n++;
	sqlite3_finalize(stmt);
	g_assert_cmpint(n, ==, 5);
}

/* The rowids MATCH finds in fts, in order, joined by commas. */
static char *
fts_ids(const char *match)
{
	sqlite3_stmt *stmt;
	g_assert_cmpint(sqlite3_prepare_v2(db,
	                                   "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid",
	                                   -1, &stmt, NULL),
	                ==, SQLITE_OK);
	sqlite3_bind_text(stmt, 1, match, -1, SQLITE_STATIC);
	GString *out = g_string_new(NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(out, "%s%lld", out->len ? "," : "",
		                       (long long)sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
	return g_string_free(out, FALSE);
}

/* PHRASES (char *) joined by " | "; NULL for NULL. */
static char *
joined_phrases(const GPtrArray *phrases)
{
	if (!phrases)
		return NULL;
	GString *j = g_string_new(NULL);
	for (guint k = 0; k < phrases->len; k++)
		g_string_append_printf(j, "%s%s", k ? " | " : "", (const char *)phrases->pdata[k]);
	return g_string_free(j, FALSE);
}

/* Words alone joined by AND give each phrase's own MATCH, which relevance
 * walks one by one: together they find what the whole expression finds. */
static void
test_fts_phrases(void)
{
	const struct {
		const char *query;
		const char *phrases; /* joined by " | " */
		guint hits;
	} cases[] = {
		{ "invoice", "\"invoice\"", 3 },
		{ "invoice january", "\"invoice\" | \"january\"", 2 },
		{ "invoice AND (january bob)", "\"invoice\" | \"january\" | \"bob\"", 2 },
		{ "subject:invoice report", "{subject} : \"invoice\" | \"report\"", 1 },
		{ "inv* \"status report\"", "\"inv\" * | \"status report\"", 1 },
		{ "website report", "\"website\" | \"report\"", 1 },
		{ "-(-invoice)", "\"invoice\"", 3 },
		{ "invoice OR march", NULL, 0 },
		{ "invoice (march OR logo)", NULL, 0 },
		{ "invoice -march", NULL, 0 },
		{ "-(-invoice -march)", NULL, 0 },
		{ "-(invoice march)", NULL, 0 },
		{ "invoice date:2024", NULL, 0 },
		{ "*", NULL, 0 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		const GPtrArray *phrases = query_fts_phrases(q);
		g_autofree char *joined = joined_phrases(phrases);
		g_assert_cmpstr(joined, ==, cases[i].phrases);
		if (!phrases)
			continue;
		GHashTable *in_all = NULL;
		for (guint k = 0; k < phrases->len; k++) {
			g_autofree char *ids = fts_ids(phrases->pdata[k]);
			g_auto(GStrv) each = g_strsplit(ids, ",", -1);
			GHashTable *here =
			    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
			for (char **id = each; *id && **id; id++)
				if (!in_all || g_hash_table_contains(in_all, *id))
					g_hash_table_add(here, g_strdup(*id));
			g_clear_pointer(&in_all, g_hash_table_unref);
			in_all = here;
		}
		g_autofree char *whole = fts_ids(query_fts_only(q));
		g_auto(GStrv) found = g_strsplit(whole, ",", -1);
		guint n = 0;
		for (char **id = found; *id && **id; id++, n++)
			g_assert_true(g_hash_table_contains(in_all, *id));
		g_assert_cmpuint(n, ==, g_hash_table_size(in_all));
		g_assert_cmpuint(n, ==, cases[i].hits);
		g_hash_table_unref(in_all);
	}
}

/* Words AND other terms say so, with the others' SQL alone (and, for one
 * term of a set, a SELECT of its ids), which relevance meets with the
 * words' rows; a negated or ORed part says nothing of the kind. The words
 * that rank are every term not negated, in FTS5's order. */
static void
test_fts_and(void)
{
	const struct {
		const char *query;
		const char *fts_and, *rest, *set;
		gboolean all;
		const char *rank; /* joined by " | " */
	} cases[] = {
		{ "invoice date:2024", "\"invoice\"", "(m.date >= ? AND m.date < ?)", NULL, TRUE,
		  "\"invoice\"" },
		{ "invoice report date:2024 folder:Sent", "\"invoice\" AND \"report\"",
		  "((m.date >= ? AND m.date < ?) AND m.id IN (SELECT l.message FROM containers c "
		  "JOIN "
		  "locations l ON l.container = c.id WHERE c.folder = ? COLLATE NOCASE))",
		  NULL, TRUE, "\"invoice\" | \"report\"" },
		{ "client:acme (invoice OR march)", "\"invoice\" OR \"march\"",
		  "m.id IN (SELECT message FROM filings WHERE client = ?)",
		  "SELECT message FROM filings WHERE client = ?", FALSE,
		  "\"invoice\" | \"march\"" },
		{ "invoice -march is:unread", "\"invoice\" NOT \"march\"", NULL, NULL, FALSE,
		  "\"invoice\"" },
		{ "invoice OR date:2024", NULL, NULL, NULL, FALSE, "\"invoice\"" },
		{ "-(invoice date:2024)", NULL, NULL, NULL, FALSE, NULL },
		{ "-(-(invoice date:2024))", NULL, NULL, NULL, FALSE, "\"invoice\"" },
		{ "invoice", NULL, NULL, NULL, FALSE, "\"invoice\"" },
		{ "subject:invoice OR (report -march)", NULL, NULL, NULL, FALSE,
		  "{subject} : \"invoice\" | \"report\"" },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(query) q = query_parse(cases[i].query, NOW, &error);
		g_assert_no_error(error);
		g_test_message("%s", cases[i].query);
		g_assert_cmpstr(query_fts_and(q), ==, cases[i].fts_and);
		if (cases[i].rest)
			g_assert_cmpstr(query_rest_sql(q), ==, cases[i].rest);
		else if (!cases[i].fts_and)
			g_assert_null(query_rest_sql(q));
		g_assert_cmpstr(query_rest_set(q), ==, cases[i].set);
		g_assert_cmpint(query_fts_and_joins_all(q), ==, cases[i].all);
		g_autofree char *joined = joined_phrases(query_fts_rank_phrases(q));
		g_assert_cmpstr(joined, ==, cases[i].rank);
	}
}

/* The limits stay within what SQLite and FTS5 accept. */
static void
test_limits(void)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < 256; i++)
		g_string_append_printf(s, "%sfrom:a%d@b.example", i > 0 ? " OR " : "", i);
	assert_ids(s->str, "");
	g_string_truncate(s, 0);
	for (int i = 0; i < 128; i++)
		g_string_append_printf(s, "%s-w%d is:inbound", i > 0 ? " OR " : "", i);
	assert_ids(s->str, "1,3,4,6,7,8");
	g_string_truncate(s, 0);
	for (int i = 0; i < 10; i++)
		g_string_append(s, "NOT (");
	g_string_append(s, "invoice is:inbound");
	for (int i = 0; i < 10; i++)
		g_string_append(s, ")");
	assert_ids(s->str, "1,8");
	/* The deepest nesting allowed, in the shape that takes most of
	 * SQLite's parser stack, runs. */
	g_string_truncate(s, 0);
	for (int i = 0; i < 20; i++)
		g_string_append(s, "(folder:Archive/* OR ");
	g_string_append(s, "source:work");
	for (int i = 0; i < 20; i++)
		g_string_append(s, ")");
	assert_ids(s->str, "1,2,3,4,6,7,8");
	g_string_free(s, TRUE);
}

/* Any parse that succeeds yields SQL and FTS5 that SQLite runs; any other
 * fails with a column. */
static void
check_survives(const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);

	if (q == NULL) {
		g_assert_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX);
		g_assert_nonnull(strstr(error->message, " at column "));
		return;
	}
	g_assert_no_error(error);
	sqlite3_stmt *stmt = prepare(q, "SELECT count(*) FROM messages m");
	if (sqlite3_step(stmt) != SQLITE_ROW)
		g_error("query [%s] -> %s: %s", text, query_sql(q), sqlite3_errmsg(db));
	sqlite3_finalize(stmt);

	if (query_fts_highlight(q) != NULL) {
		g_assert_cmpint(sqlite3_prepare_v2(db, "SELECT count(*) FROM fts WHERE fts MATCH ?",
		                                   -1, &stmt, NULL),
		                ==, SQLITE_OK);
		sqlite3_bind_text(stmt, 1, query_fts_highlight(q), -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW)
			g_error("highlight of [%s] -> %s: %s", text, query_fts_highlight(q),
			        sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
	}
}

static void
test_fuzz(void)
{
	static const char *const pieces[] = {
		"from:",
		"to:",
		"cc:",
		"address:",
		"subject:",
		"body:",
		"attachment:",
		"folder:",
		"source:",
		"label:",
		"id:",
		"thread:",
		"is:",
		"has:",
		"type:",
		"date:",
		"frm:",
		"(",
		")",
		"\"",
		"\\",
		"-",
		"*",
		":",
		"'",
		"@",
		"@acme.example",
		"bob@acme.example",
		"AND",
		"OR",
		"NOT",
		"NEAR",
		"invoice",
		"2024",
		"..",
		"2w",
		"today",
		"inbound",
		"attachment",
		"pdf",
		"/",
		"Archive/*",
		"東京",
		"é",
		"%",
		"_",
		";",
		"{",
		"}",
		"^",
		" ",
		" ",
		" ",
		"\t",
		"1",
		"+",
	};

	for (int i = 0; i < 4000; i++) {
		GString *s = g_string_new(NULL);
		int n = g_test_rand_int_range(1, 12);
		for (int k = 0; k < n; k++)
			g_string_append(s, pieces[g_test_rand_int_range(0, G_N_ELEMENTS(pieces))]);
		check_survives(s->str);
		g_string_free(s, TRUE);
	}
	for (int i = 0; i < 4000; i++) {
		char buf[24];
		int n = g_test_rand_int_range(0, sizeof buf);
		for (int k = 0; k < n; k++)
			buf[k] = (char)g_test_rand_int_range(1, 256);
		buf[n] = '\0';
		check_survives(buf);
	}
}

/* client: and project: read the filings the rules made. */
static void
test_filings(void)
{
	exec(
	    "INSERT INTO filings VALUES (1, 'acme', '', 'domain acme.example', 'bob@acme.example');"
	    "INSERT INTO filings VALUES (1, 'acme', 'website', 'subject /ACME/', 'ACME');"
	    "INSERT INTO filings VALUES (2, 'acme', '', 'thread', '');"
	    "INSERT INTO filings VALUES (3, 'globex', 'website', 'body /x/', 'x');");
	assert_ids("client:acme", "1,2");
	assert_ids("client:globex", "3");
	assert_ids("client:nobody", "");
	assert_ids("project:acme/website", "1");
	assert_ids("project:website", "1,3");
	assert_ids("client:acme -project:website", "2");
	assert_ids("client:none", "4,5,6,7,8");
	assert_ids("client:none OR client:globex", "3,4,5,6,7,8");
	/* User text stays a bound value. */
	assert_ids("client:\"x' OR 1=1 --\"", "");
	exec("DELETE FROM filings");
}

/* The error query_check_keys() gives TEXT, or "" when every key exists. */
static char *
key_error(const struct mc_config *cfg, const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);
	struct mc_db index = { .sql = db, .path = (char *)":memory:" };

	g_assert_no_error(error);
	if (query_check_keys(q, cfg, &index, &error))
		return g_strdup("");
	g_assert_error(error, QUERY_ERROR, QUERY_ERROR_UNKNOWN_KEY);
	return g_strdup(error->message);
}

#define assert_key_error(cfg, text, expected)                                                      \
	do {                                                                                       \
		g_autofree char *got_ = key_error((cfg), (text));                                  \
		if (strcmp(got_, (expected)) != 0)                                                 \
			g_error("query %s: got '%s', expected '%s'", (text), got_, (expected));    \
	} while (0)

static void
add_label(gint64 message, const char *label, const char *folded)
{
	run("INSERT INTO labels (message, label, folded) VALUES (?, ?, ?)", "iss", message, label,
	    folded);
}

/* label: in any case, a subtree, a prefix, quoted; wildcards in the value
 * are text. */
static void
test_labels(void)
{
	/* Folded as the writer folds (mc_label_key()). */
	add_label(1, "Inbox", "inbox");
	add_label(1, "Clients/Kaneren", "clients/kaneren");
	add_label(2, "Clients/Acme", "clients/acme");
	add_label(3, "Clients/Acme/Web", "clients/acme/web");
	add_label(3, "Label, with comma", "label, with comma");
	add_label(4, "Clients", "clients");
	add_label(4, "Category Promotions", "category promotions");
	add_label(5, "Ελληνικά", "ελληνικά");
	add_label(5, "a*b[c]?", "a*b[c]?");
	add_label(6, "ClientsX", "clientsx");
	add_label(7, "100%_done", "100%_done");

	assert_ids("label:Clients/Kaneren", "1");
	assert_ids("label:clients/KANEREN", "1");
	assert_ids("label:Clients", "4");
	assert_ids("label:Clients/*", "1,2,3,4");
	assert_ids("label:\"Clients/*\"", "1,2,3,4");
	assert_ids("label:clients/acme/*", "2,3");
	assert_ids("label:Client*", "1,2,3,4,6");
	assert_ids("label:\"Category Promotions\"", "4");
	assert_ids("label:\"category PROMOTIONS\"", "4");
	assert_ids("label:\"Label, with comma\"", "3");
	assert_ids("label:ΕΛΛΗΝΙΚΆ", "5");
	assert_ids("label:ＣＬＩＥＮＴＳ", "4"); /* full-width: NFKC */
	assert_ids("label:*", "1,2,3,4,5,6,7");
	assert_ids("label:nothing label:Inbox", "");
	assert_ids("label:Inbox OR label:Clients/Acme", "1,2");
	assert_ids("-label:Clients/* source:work", "6,7,8");
	/* GLOB and LIKE wildcards in the value are only text. */
	assert_ids("label:\"a*b[c]?\"", "5");
	assert_ids("label:\"a*\"*", "5");
	assert_ids("label:a?*", "");
	assert_ids("label:a[*", "");
	assert_ids("label:100%_*", "7");
	assert_ids("label:100_*", "");
	assert_ids("label:\"'; DROP TABLE labels; --\"", "");
	exec("DELETE FROM labels");
}

/* Prefix terms written out as the index's words that begin with them find
 * what the prefix finds; a prefix of more than one token, of no word, of
 * too many words or of CJK bigrams stays one. */
static void
test_prefix_words(void)
{
	struct mc_db index = { .sql = db, .path = (char *)":memory:" };
	const struct {
		const char *query;
		const char *written; /* query_fts_only() written out; NULL: no prefix written */
		const char *hits;
	} cases[] = {
		{ "inv*", "\"invoice\"", "1,2,8" },
		{ "INV*", "\"invoice\"", "1,2,8" },
		{ "re*", "(\"re\" OR \"recipe\" OR \"relaunch\" OR \"report\")", "1,2,3,4" },
		/* In a column or negated a prefix stays one: a test of a
		 * column scans on to the next row with the word there, and a
		 * walk of what lacks the words would seek each at every test. */
		{ "subject:re*", NULL, "2,3" },
		{ "-inv* report", NULL, "3" },
		{ "caf*", "\"cafe\"", "4" },
		{ "CAFÉ*", "\"cafe\"", "4" },
		{ "brûl*", "\"brulee\"", "4" },
		{ "re* -inv*", "(\"re\" OR \"recipe\" OR \"relaunch\" OR \"report\") NOT \"inv\" *",
		  "3,4" },
		{ "inv* OR zzz*", "\"invoice\" OR \"zzz\" *", "1,2,8" },
		{ "zzz*", NULL, "" },
		{ "\"status rep\"*", NULL, "1,3" },
		{ "status-rep*", NULL, "1,3" },
		{ "東*", NULL, "5" },
		{ "qq*", NULL, "9" },
		{ "qq1*",
		  "(\"qq1\" OR \"qq10\" OR \"qq11\" OR \"qq12\" OR \"qq13\" OR "
		  "\"qq14\" OR \"qq15\" OR \"qq16\" OR \"qq17\" OR \"qq18\" OR "
		  "\"qq19\")",
		  "9" },
		{ "invoice", NULL, "1,2,8" },
	};
	/* 40 words that begin with qq, in a row of its own. */
	GString *many = g_string_new(NULL);
	for (int i = 1; i <= 40; i++)
		g_string_append_printf(many, "qq%d ", i);
	run("INSERT INTO fts (rowid, subject, sender, recipients, body, attachments) "
	    "VALUES (9, '', '', '', ?, '')",
	    "s", many->str);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(query) q = query_parse(cases[i].query, NOW, &error);
		g_assert_no_error(error);
		g_assert_true(query_has_prefix(q) == (strchr(cases[i].query, '*') != NULL));
		g_autoptr(query) written = NULL;
		g_assert_true(query_expand_prefixes(q, &index, &written, &error));
		g_assert_no_error(error);
		if (cases[i].written == NULL) {
			g_assert_null(written);
			written = query_parse(cases[i].query, NOW, &error);
		}
		if (cases[i].written)
			g_assert_cmpstr(query_fts_only(written), ==, cases[i].written);
		g_autofree char *as_typed = fts_ids(query_fts_only(q));
		g_autofree char *as_written = fts_ids(query_fts_only(written));
		g_assert_cmpstr(as_typed, ==, cases[i].hits);
		g_assert_cmpstr(as_written, ==, cases[i].hits);
		/* Its SQL and probe form alike (the walk tests a message so). */
		g_autofree char *by_set = ids_where(written, query_sql(written));
		g_autofree char *by_probe = ids_where(written, query_probe_sql(written));
		g_assert_cmpstr(by_set, ==, by_probe);
	}
	run("INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments) "
	    "VALUES ('delete', 9, '', '', '', ?, '')",
	    "s", many->str);
	g_string_free(many, TRUE);
	g_hash_table_unref(index.cache);
}

/* Words alone, without a phrase of several tokens or a column, say so:
 * their set costs less a hit, which a search weighs a walk against. */
static void
test_fts_plain(void)
{
	const struct {
		const char *query;
		gboolean plain;
	} cases[] = {
		{ "invoice", TRUE },
		{ "invoice report", TRUE },
		{ "invoice -report", TRUE },
		{ "invoice OR report", TRUE },
		{ "Café", TRUE },
		{ "2019", TRUE },
		{ "\"status report\"", FALSE },
		{ "status-report", FALSE },
		{ "o'brien", FALSE },
		{ "subject:invoice", FALSE },
		{ "invoice -subject:x", FALSE },
		{ "東京", FALSE },
		{ "invoice OR from:bob", FALSE },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		g_assert_nonnull(query_fts_only(q));
		if (query_fts_plain(q) != cases[i].plain)
			g_error("query %s: plain %d, expected %d", cases[i].query,
			        query_fts_plain(q), cases[i].plain);
	}
}

/* The sets a query's matches are all in: its terms with a set read by
 * seeking an index (an address, a domain through its table, a folder, a
 * label, a filing), alone or ANDed, and the union of a set of each branch
 * of an OR whose branches all have one; none through a negation, nor of a
 * LIKE over addresses or a mime type. */
static void
test_and_sets(void)
{
	const struct {
		const char *query;
		guint sets;
		const char *first; /* a table the first set reads */
	} cases[] = {
		{ "from:bob@acme.example", 1, "addresses" },
		{ "from:bob@acme.example invoice", 2, "fts" },
		{ "invoice from:bob@acme.example -logo", 2, "fts" },
		{ "invoice -from:bob@acme.example", 1, "fts" },
		{ "-invoice from:bob@acme.example", 1, "addresses" },
		{ "from:bob@acme.example client:acme", 2, "addresses" },
		{ "client:acme (from:@acme.example date:2024)", 2, "filings" },
		{ "client:acme (from:bob@acme.example date:2024)", 2, "filings" },
		{ "(from:bob@acme.example OR to:bob@acme.example) client:acme", 2, "UNION ALL" },
		{ "(from:bob@acme.example OR from:@acme.example) invoice", 2, "fts" },
		{ "from:bob@acme.example OR invoice", 1, "UNION ALL" },
		{ "from:bob@acme.example OR type:pdf", 0, NULL },
		{ "from:bob@acme.example OR -invoice", 0, NULL },
		{ "from:bob@acme.example OR (client:acme -invoice)", 1, "UNION ALL" },
		{ "folder:INBOX", 1, "locations" },
		{ "label:work", 1, "labels" },
		{ "from:@acme.example", 1, "domains" },
		{ "to:@acme*", 1, "domains" },
		{ "from:bob*", 0, NULL },
		{ "type:pdf", 0, NULL },
		{ "from:@acme.example invoice", 2, "fts" },
		{ "from:@acme.example OR invoice", 1, "UNION ALL" },
		{ "from:bob* OR invoice", 0, NULL },
		{ "project:acme/website", 1, "filings" },
		{ "from:bob@acme.example OR client:acme", 1, "UNION ALL" },
		{ "-from:bob@acme.example", 0, NULL },
		{ "NOT (from:bob@acme.example client:acme)", 0, NULL },
		{ "client:none", 0, NULL },
		{ "invoice", 0, NULL },
		{ "date:2024", 0, NULL },
		{ "*", 0, NULL },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		if (query_and_sets(q) != cases[i].sets ||
		    (cases[i].first && !strstr(query_and_set_sql(q, 0), cases[i].first)))
			g_error("query %s: %u sets, the first %s; expected %u, of %s",
			        cases[i].query, query_and_sets(q),
			        query_and_sets(q) ? query_and_set_sql(q, 0) : "none", cases[i].sets,
			        cases[i].first ? cases[i].first : "none");
	}
}

/* The queries that are one filing key, which count reads from filing_stats. */
static void
test_filing_key(void)
{
	const struct {
		const char *query, *client, *project;
	} cases[] = {
		{ "client:acme", "acme", NULL },
		{ "(client:acme)", "acme", NULL },
		{ "project:acme/website", "acme", "website" },
		{ "project:Acme/Web", "Acme", "Web" },
		{ "-client:acme", NULL, NULL },
		{ "NOT project:acme/website", NULL, NULL },
		{ "NOT NOT client:acme", NULL, NULL },
		{ "client:acme OR client:globex", NULL, NULL },
		{ "client:acme client:acme", NULL, NULL },
		{ "client:acme invoice", NULL, NULL },
		{ "client:acme date:2024", NULL, NULL },
		{ "project:website", NULL, NULL },
		{ "project:acme/", NULL, NULL },
		{ "client:none", NULL, NULL },
		{ "acme", NULL, NULL },
		{ "*", NULL, NULL },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		const char *client = "x", *project = "x";
		gboolean is_key = query_filing_key(q, &client, &project);
		if (is_key != (cases[i].client != NULL) ||
		    g_strcmp0(client, cases[i].client) != 0 ||
		    g_strcmp0(project, cases[i].project) != 0)
			g_error("query %s: key %d %s/%s, expected %s/%s", cases[i].query, is_key,
			        client, project, cases[i].client, cases[i].project);
	}
	/* The key of the attachments' query is not the query's: only their
	 * messages with an attachment. */
	g_autoptr(query) a = query_parse_attachments("client:acme", NOW, NULL);
	const char *client, *project;
	g_assert_false(query_filing_key(a, &client, &project));
}

/* The dates every match of a query is within, where a walk in date order
 * starts and stops (query_date_bounds()). */
static void
test_date_bounds(void)
{
	const gint64 lo = G_MININT64, hi = G_MAXINT64;
	static const struct {
		const char *query;
		gint64 from, until;
	} cases[] = {
		{ "date:2016", 1451606400, 1483228800 },
		{ "date:2016 invoice", 1451606400, 1483228800 },
		{ "(date:2016)", 1451606400, 1483228800 },
		{ "date:2016 (invoice OR logo)", 1451606400, 1483228800 },
		{ "date:..2015-06 invoice", G_MININT64, 1435708800 },
		{ "date:2024-10.. logo", 1727740800, G_MAXINT64 },
		{ "client:acme date:2024-03..2024-05", 1709251200, 1717200000 },
		{ "date:today", 1718409600, 1718496000 },
		/* An AND is within each, an OR within the span of every branch. */
		{ "date:2016..2019 date:2018.. invoice", 1514764800, 1577836800 },
		{ "date:2016 date:2018..", 1514764800, 1483228800 },
		{ "date:2016 OR date:2022", 1451606400, 1672531200 },
		{ "(date:2016 logo) OR (date:2022 invoice)", 1451606400, 1672531200 },
		{ "date:2016 OR invoice", G_MININT64, G_MAXINT64 },
		{ "date:2016 OR from:bob@acme.example", G_MININT64, G_MAXINT64 },
		/* Negated: no bound (twice: still none, which costs a walk only). */
		{ "NOT date:2016 invoice", G_MININT64, G_MAXINT64 },
		{ "-date:2016", G_MININT64, G_MAXINT64 },
		{ "NOT NOT date:2016", G_MININT64, G_MAXINT64 },
		{ "invoice", G_MININT64, G_MAXINT64 },
		{ "*", G_MININT64, G_MAXINT64 },
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(query) q = query_parse(cases[i].query, NOW, NULL);
		g_assert_nonnull(q);
		gint64 from = 0, until = 0;
		gboolean bounded = query_date_bounds(q, &from, &until);
		if (from != cases[i].from || until != cases[i].until ||
		    bounded != (from != lo || until != hi))
			g_error("query %s: %d %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
			        ", expected %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
			        cases[i].query, bounded, from, until, cases[i].from,
			        cases[i].until);
	}
	/* The attachments' query is the query AND its messages with one. */
	g_autoptr(query) a = query_parse_attachments("date:2016", NOW, NULL);
	gint64 from, until;
	g_assert_true(query_date_bounds(a, &from, &until));
	g_assert_cmpint(from, ==, 1451606400);
	g_assert_cmpint(until, ==, 1483228800);
}

/* client: and project: keys exist in the configuration or in the filings. */
static void
test_keys(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("mailclerk-test-query-XXXXXX", &error);
	g_autofree char *file = g_build_filename(dir, "config", NULL);
	g_assert_true(g_file_set_contents(file,
	                                  "[client acme]\n"
	                                  "[project acme/website]\n"
	                                  "[client kaneren]\n",
	                                  -1, &error));
	g_autoptr(mc_config) cfg = config_load(file, TRUE, &error);
	g_assert_no_error(error);
	g_unlink(file);
	g_rmdir(dir);
	/* Filed under an older configuration: globex and its project. */
	exec("INSERT INTO filings VALUES (3, 'globex', '', 'domain x', 'x');"
	     "INSERT INTO filings VALUES (3, 'globex', 'intranet', 'body /x/', 'x');");

	assert_key_error(cfg, "client:acme project:website project:acme/website", "");
	assert_key_error(cfg, "client:none client:globex project:intranet project:globex/intranet",
	                 "");
	assert_key_error(cfg, "invoice client:kaneran",
	                 "no client 'kaneran' at column 9 \u2014 did you mean 'kaneren'?");
	assert_key_error(cfg, "client:Globex",
	                 "no client 'Globex' at column 1 \u2014 did you mean 'globex'?");
	assert_key_error(cfg, "client:zebra", "no client 'zebra' at column 1");
	assert_key_error(cfg, "-project:intranett",
	                 "no project 'intranett' at column 2 \u2014 did you mean 'intranet'?");
	assert_key_error(cfg, "project:acme/intranet", "no project 'acme/intranet' at column 1");
	assert_key_error(
	    cfg, "project:acme/websit",
	    "no project 'acme/websit' at column 1 \u2014 did you mean 'acme/website'?");
	assert_key_error(cfg, "project:globex/intranett",
	                 "no project 'globex/intranett' at column 1 \u2014 did you mean "
	                 "'globex/intranet'?");
	/* A client's own filings (project '') are no project. */
	assert_key_error(cfg, "project:globex/", "no project 'globex/' at column 1");
	/* The first unknown key, in the query's order. */
	assert_key_error(cfg, "client:acme (client:foo OR project:bar)",
	                 "no client 'foo' at column 14");
	exec("DELETE FROM filings");
}

/* The query plan of TEXT's SQL (its probe form, query_probe_sql(), with
 * PROBE), its lines joined by " | ". */
static char *
plan(const char *text, gboolean probe)
{
	g_autoptr(query) q = query_parse(text, NOW, NULL);
	g_assert_nonnull(q);
	g_autofree char *sql =
	    g_strdup_printf("EXPLAIN QUERY PLAN SELECT m.id FROM messages m WHERE %s",
	                    probe ? query_probe_sql(q) : query_sql(q));
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		g_error("%s: %s", sql, sqlite3_errmsg(db));
	query_bind(q, stmt, 1);
	GString *out = g_string_new(NULL);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		g_string_append_printf(out, "%s%s", out->len ? " | " : "",
		                       (const char *)sqlite3_column_text(stmt, 3));
	sqlite3_finalize(stmt);
	return g_string_free(out, FALSE);
}

#define assert_plan_has(text, probe, step)                                                         \
	do {                                                                                       \
		g_autofree char *plan_ = plan(text, probe);                                        \
		if (!strstr(plan_, (step)))                                                        \
			g_error("query %s: no [%s] in its plan [%s]", (text), (step), plan_);      \
	} while (0)

/* Mail whose ids are in epochs 0, 1 and 3 of the address indexes (id /
 * 65536, migrate-20.sql), as a big archive's are: an address or domain is
 * found in each, and sought there, not read through the whole index. */
static void
test_address_epochs(void)
{
	const gint64 e1 = 65536 + 1, e3 = 3 * 65536 + 7;
	add_message(e1, "e1@acme.example", utc(2024, 5, 1, 9, 0, 0), 0, e1, "zorbepoch one",
	            "Bob Smith bob@acme.example", "Sam sam@studio.example", "zorbepoch", "");
	add_address(e1, 0, "Bob Smith", "bob@acme.example");
	add_address(e1, 1, "Sam", "sam@studio.example");
	add_message(e3, "e3@epochs.example", utc(2024, 6, 1, 9, 0, 0), 0, e3, "zorbepoch three",
	            "Ann ann@eu.epochs.example", "bob@acme.example", "zorbepoch", "");
	add_address(e3, 0, "Ann", "ann@eu.epochs.example");
	add_address(e3, 1, "", "bob@acme.example");
	add_address(e3, 2, "", "sam@studio.example");

	assert_ids("from:bob@acme.example", "1,8,65537");
	assert_ids("to:bob@acme.example", "2,196615");
	assert_ids("address:bob@acme.example", "1,2,8,65537,196615");
	assert_ids("from:bob@acme*", "1,8,65537");
	assert_ids("from:@acme.example", "1,4,8,65537");
	assert_ids("to:@acme.example", "2,4,196615");
	assert_ids("from:@epochs.example", "196615");
	assert_ids("cc:@studio.example", "196615");
	assert_ids("address:@epochs.example zorbepoch", "196615");
	assert_ids("from:bob@acme.example zorbepoch", "65537");
	assert_ids("-from:bob@acme.example zorbepoch", "196615");

	/* Each epoch sought by address or domain (a plan that reads the whole
	 * index would say SCAN, or name no such constraint). */
	assert_plan_has("from:bob@acme.example", FALSE,
	                "addresses_epoch_address (<expr>=? AND address=? AND role=?)");
	assert_plan_has("address:bob@acme.example", FALSE,
	                "addresses_epoch_address (<expr>=? AND address=?)");
	assert_plan_has("to:@acme.example", FALSE, "addresses_epoch_domain (<expr>=? AND domain=?");
	assert_plan_has("from:@acm*", FALSE, "addresses_epoch_domain (<expr>=? AND domain=?");
	/* A message tested alone: its epoch's rows of the address, from the
	 * index alone. */
	assert_plan_has("from:bob@acme.example", TRUE,
	                "COVERING INDEX addresses_epoch_address (<expr>=? AND address=? AND role=? "
	                "AND message=?)");

	exec("DELETE FROM addresses WHERE message > 65536;"
	     "DELETE FROM domains WHERE domain = 'eu.epochs.example';"
	     "DELETE FROM messages WHERE id > 65536;"
	     "INSERT INTO fts (fts, rowid, subject, sender, recipients, body, attachments) VALUES "
	     "('delete', 65537, 'zorbepoch one', 'Bob Smith bob@acme.example', "
	     "'Sam sam@studio.example', 'zorbepoch', ''), "
	     "('delete', 196615, 'zorbepoch three', 'Ann ann@eu.epochs.example', "
	     "'bob@acme.example', 'zorbepoch', '');");
	assert_ids("zorbepoch", "");
	assert_ids("from:bob@acme.example", "1,8");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	setup_db();

	g_test_add_func("/query/match-all", test_match_all);
	g_test_add_func("/query/sql-shape", test_sql_shape);
	g_test_add_func("/query/text", test_text);
	g_test_add_func("/query/addresses", test_addresses);
	g_test_add_func("/query/fields", test_fields);
	g_test_add_func("/query/dates", test_dates);
	g_test_add_func("/query/operators", test_operators);
	g_test_add_func("/query/hostile", test_hostile);
	g_test_add_func("/query/highlight", test_highlight);
	g_test_add_func("/query/fts-phrases", test_fts_phrases);
	g_test_add_func("/query/fts-and", test_fts_and);
	g_test_add_func("/query/limits", test_limits);
	g_test_add_func("/query/fuzz", test_fuzz);
	g_test_add_func("/query/filings", test_filings);
	g_test_add_func("/query/keys", test_keys);
	g_test_add_func("/query/labels", test_labels);
	g_test_add_func("/query/prefix-words", test_prefix_words);
	g_test_add_func("/query/fts-plain", test_fts_plain);
	g_test_add_func("/query/filing-key", test_filing_key);
	g_test_add_func("/query/date-bounds", test_date_bounds);
	g_test_add_func("/query/and-sets", test_and_sets);
	g_test_add_func("/query/address-epochs", test_address_epochs);

	int rc = g_test_run();
	sqlite3_close(db);
	return rc;
}
