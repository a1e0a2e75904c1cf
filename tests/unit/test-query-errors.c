/* The query language's syntax errors: each names what and where. */
#include "config.h"
#include "query/query.h"

#include <string.h>

/* "Now" for every test: 2024-06-15T12:00:00Z. */
#define NOW G_GINT64_CONSTANT(1718452800)

static void
assert_error(const char *text, const char *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = query_parse(text, NOW, &error);

	g_assert_null(q);
	g_assert_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX);
	if (strcmp(error->message, message) != 0)
		g_error("query %s: got error '%s', expected '%s'", text, error->message, message);
}

static void
test_errors(void)
{
	assert_error("frm:bob", "unknown field 'frm' at column 1 \u2014 did you mean 'from'?");
	assert_error("invoice frm:bob",
	             "unknown field 'frm' at column 9 \u2014 did you mean 'from'?");
	assert_error("form:bob", "unknown field 'form' at column 1 \u2014 did you mean 'from'?");
	assert_error("Subjcet:x",
	             "unknown field 'Subjcet' at column 1 \u2014 did you mean 'subject'?");
	assert_error("re: hello", "unknown field 're' at column 1");
	assert_error("invoice) x", "unbalanced ')' at column 8");
	assert_error("(a b)) c", "unbalanced ')' at column 6");
	assert_error(")", "unbalanced ')' at column 1");
	assert_error("(invoice", "missing ')' for '(' at column 1");
	assert_error("a ((b) c", "missing ')' for '(' at column 3");
	assert_error("(", "missing ')' for '(' at column 1");
	assert_error("()", "expected a term after '(' at column 1");
	assert_error("foo OR", "expected a term after OR at column 5");
	assert_error("a OR OR b", "expected a term after OR at column 3");
	assert_error("(a OR) b", "expected a term after OR at column 4");
	assert_error("a AND", "expected a term after AND at column 3");
	assert_error("a AND OR b", "expected a term after AND at column 3");
	assert_error("NOT", "expected a term after NOT at column 1");
	assert_error("a -OR b", "expected a term after '-' at column 3");
	assert_error("OR a", "expected a term before OR at column 1");
	assert_error("AND a", "expected a term before AND at column 1");
	assert_error("(OR a)", "expected a term after '(' at column 1");
	assert_error("date:2024-13", "bad date '2024-13' at column 6");
	/* The ends swapped: nothing could match, so it is a slip. */
	assert_error("date:2025..2024",
	             "date range '2025..2024' ends before it starts at column 6");
	assert_error("date:2026-11..2026-10",
	             "date range '2026-11..2026-10' ends before it starts at column 6");
	assert_error("x date:2024-12-01..2024-11-30",
	             "date range '2024-12-01..2024-11-30' ends before it starts at column 8");
	assert_error("date:2024..2024-13", "bad date '2024-13' at column 12");
	assert_error("date:2024-02-30", "bad date '2024-02-30' at column 6");
	assert_error("date:24", "bad date '24' at column 6");
	assert_error("date:2024-1", "bad date '2024-1' at column 6");
	assert_error("date:..", "bad date '..' at column 6");
	assert_error("date:2w..x", "bad date 'x' at column 10");
	assert_error("date:2024...2025", "bad date '.2025' at column 12");
	assert_error("date:3x", "bad date '3x' at column 6");
	assert_error("date:9999999y", "bad date '9999999y' at column 6");
	assert_error("date:999999y", "bad date '999999y' at column 6");
	assert_error("date:2024*", "bad date '2024*' at column 6");
	assert_error("is:foo", "unknown value 'foo' for is: at column 1");
	assert_error("is:unred", "unknown value 'unred' for is: at column 1 \u2014 did you mean "
	                         "'unread'?");
	assert_error("is:flaged", "unknown value 'flaged' for is: at column 1 \u2014 did you mean "
	                          "'flagged'?");
	assert_error("has:attachement", "unknown value 'attachement' for has: at column 1 \u2014 "
	                                "did you mean 'attachment'?");
	assert_error("x is:", "empty value for is: at column 3");
	assert_error("has:pdf", "unknown value 'pdf' for has: at column 1");
	/* type: takes MIME types and the extensions it knows; a typo is said,
	 * with the nearest it knows. */
#define TAKES                                                                                      \
	" (type: takes a MIME type such as application/pdf or image/*, or a file extension such "  \
	"as pdf or docx)"
	assert_error("type:pdff",
	             "unknown type 'pdff' at column 1 \u2014 did you mean 'pdf'?" TAKES);
	assert_error("x type:DOCX2",
	             "unknown type 'DOCX2' at column 3 \u2014 did you mean 'docx'?" TAKES);
	assert_error("type:pdf*",
	             "unknown type 'pdf*' at column 1 \u2014 did you mean 'pdf'?" TAKES);
	assert_error("type:imag",
	             "unknown type 'imag' at column 1 \u2014 did you mean 'image'?" TAKES);
	assert_error("type:zzzzzz", "unknown type 'zzzzzz' at column 1" TAKES);
	assert_error("type:pd", "unknown type 'pd' at column 1 \u2014 did you mean 'pdf'?" TAKES);
	assert_error("type:aplication/pdf", "unknown type 'aplication/pdf' at column 1 \u2014 did "
	                                    "you mean 'application/pdf'?" TAKES);
	assert_error("type:foo/bar", "unknown type 'foo/bar' at column 1" TAKES);
	assert_error("type:image/", "unknown type 'image/' at column 1" TAKES);
	assert_error("type:/pdf", "unknown type '/pdf' at column 1" TAKES);
	assert_error("type:\"image/png jpeg\"", "unknown type 'image/png jpeg' at column 1" TAKES);
	assert_error("type:image/p*", "unknown type 'image/p*' at column 1" TAKES);
	assert_error("a \"foo", "unterminated quote at column 3");
	assert_error("subject:\"foo", "unterminated quote at column 9");
	assert_error("\"a\\\"", "unterminated quote at column 1");
	assert_error("thread:x", "thread: needs a number at column 1");
	assert_error("thread:-1", "thread: needs a number at column 1");
	assert_error("thread:99999999999999999999", "thread: needs a number at column 1");
	assert_error("from:", "empty value for from: at column 1");
	assert_error("x from: y", "empty value for from: at column 3");
	assert_error("from:\"\"", "empty value for from: at column 1");
	assert_error("from:@", "empty value for from: at column 1");
	assert_error("label:", "empty value for label: at column 1");
	assert_error("label:\"\"", "empty value for label: at column 1");
	assert_error("(to:)", "empty value for to: at column 2");
	assert_error("subject:*", "empty value for subject: at column 1");
	assert_error("id:<>", "empty value for id: at column 1");
	assert_error("folder:", "empty value for folder: at column 1");
	assert_error("date:", "empty value for date: at column 1");
	/* Columns count characters, not bytes. */
	assert_error("日本 frm:x", "unknown field 'frm' at column 4 \u2014 did you mean 'from'?");
	assert_error("ab\xff", "invalid UTF-8 at column 3");

	GString *deep = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, '(');
	g_string_append(deep, "a");
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, ')');
	assert_error(deep->str, "too deeply nested at column 21");
	g_string_free(deep, TRUE);
	/* Refused before SQLite's parser stack overflows (found by
	 * fuzz/fuzz-query: 26 levels failed in SQLite, exit 1). */
	GString *ors = g_string_new(NULL);
	for (int i = 0; i < 26; i++)
		g_string_append(ors, "(folder:x OR ");
	g_string_append(ors, "folder:y");
	for (int i = 0; i < 26; i++)
		g_string_append_c(ors, ')');
	assert_error(ors->str, "too deeply nested at column 261");
	g_string_free(ors, TRUE);

	GString *many = g_string_new(NULL);
	for (int i = 0; i < 300; i++)
		g_string_append(many, "a ");
	assert_error(many->str, "too many terms at column 513");
	g_string_free(many, TRUE);
}

/* A date given to an option (snooze --until, timeline --since), read as
 * date: reads it: AHEAD for a relative one in the future. */
static gint64
option_date(const char *text, gboolean ahead)
{
	g_autoptr(GError) error = NULL;
	gint64 when = -1;
	g_assert_true(query_parse_date("--until", text, NOW, ahead, &when, &error));
	g_assert_no_error(error);
	return when;
}

static void
test_option_dates(void)
{
	g_assert_cmpint(option_date("2025-01-10", TRUE), ==, 1736467200); /* its midnight */
	g_assert_cmpint(option_date("2025-01", TRUE), ==, 1735689600);
	g_assert_cmpint(option_date("2w", TRUE), ==, NOW + 14 * 86400);
	g_assert_cmpint(option_date("2w", FALSE), ==, NOW - 14 * 86400);
	g_assert_cmpint(option_date("3d", FALSE), ==, NOW - 3 * 86400);
	g_assert_cmpint(option_date("today", TRUE), ==, NOW - 12 * 3600);
	const char *bad[] = { "2025-13-01", "2w..", "..2025", "", "next week", "2025-02-30" };
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		gint64 when = 0;
		g_assert_false(query_parse_date("--until", bad[i], NOW, TRUE, &when, &error));
		g_assert_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX);
		g_autofree char *want =
		    g_strdup_printf("--until: bad date '%s' at column 1", bad[i]);
		g_assert_cmpstr(error->message, ==, want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/query/errors", test_errors);
	g_test_add_func("/query/option-dates", test_option_dates);

	return g_test_run();
}
