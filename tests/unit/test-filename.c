/* common/filename.c: safe names for saved attachments, templates. The
 * hostile names of real mail are tested end to end in tests/cli/save.sh. */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/filename.h"

static void
check_sanitized(const char *name, const char *type, const char *want)
{
	g_autofree char *got = filename_sanitize(name, type, "0123456789abcdef");
	g_assert_cmpstr(got, ==, want);
}

static void
test_sanitize(void)
{
	check_sanitized("report.pdf", "application/pdf", "report.pdf");
	check_sanitized("../../etc/passwd", NULL, "passwd");
	check_sanitized("C:\\Users\\x\\cv.docx", NULL, "cv.docx");
	check_sanitized("..", "application/pdf", "attachment-01234567.pdf");
	check_sanitized(NULL, "image/png", "attachment-01234567.png");
	check_sanitized("", "application/x-unknown", "attachment-01234567.bin");
	check_sanitized("dir/", "text/plain", "attachment-01234567.txt");
	check_sanitized("\x1b[1mbold.txt", NULL, "[1mbold.txt");
	check_sanitized("gpj\xe2\x80\xae.exe", NULL, "gpj.exe");
	check_sanitized("- -.-rm", NULL, "rm");
	check_sanitized("bad\xff\xfe.txt", NULL, "bad\xef\xbf\xbd\xef\xbf\xbd.txt");
	/* NFD in, NFC out. */
	check_sanitized("cafe\xcc\x81.txt", NULL, "caf\xc3\xa9.txt");
}

static void
test_long_names(void)
{
	g_autofree char *stem = g_strnfill(400, 'x');
	g_autofree char *name = g_strconcat(stem, ".tar.gz", NULL);
	g_autofree char *got = filename_sanitize(name, NULL, NULL);
	g_assert_cmpuint(strlen(got), ==, FILENAME_MAX_BYTES);
	g_assert_true(g_str_has_suffix(got, "x.gz"));
	/* A cut never splits a character. */
	GString *euro = g_string_new(NULL);
	for (int i = 0; i < 200; i++)
		g_string_append(euro, "\xe2\x82\xac");
	g_string_append(euro, ".pdf");
	g_autofree char *cut = filename_sanitize(euro->str, NULL, NULL);
	g_string_free(euro, TRUE);
	g_assert_true(g_utf8_validate(cut, -1, NULL));
	g_assert_cmpuint(strlen(cut), ==, 84 * 3 + 4 - 3); /* 83 euros (249 bytes) + .pdf */
	g_assert_true(g_str_has_suffix(cut, ".pdf"));
	/* An "extension" longer than 16 bytes is part of the name. */
	g_autofree char *dotted = g_strconcat("a.", stem, NULL);
	g_autofree char *d = filename_sanitize(dotted, NULL, NULL);
	g_assert_cmpuint(strlen(d), ==, FILENAME_MAX_BYTES);
	g_assert_true(g_str_has_prefix(d, "a.xxx"));
	/* A cut that ends in white space drops it (found by fuzz/fuzz-filename). */
	g_autofree char *zs = g_strnfill(254, 'z');
	g_autofree char *spaced = g_strconcat(zs, " tail", NULL);
	g_autofree char *s = filename_sanitize(spaced, NULL, NULL);
	g_assert_cmpuint(strlen(s), ==, 254);
	g_assert_true(g_str_has_suffix(s, "zz"));
}

static void
test_numbered(void)
{
	g_autofree char *a = filename_numbered("contract.pdf", 2);
	g_assert_cmpstr(a, ==, "contract (2).pdf");
	g_autofree char *b = filename_numbered("README", 10);
	g_assert_cmpstr(b, ==, "README (10)");
	g_autofree char *stem = g_strnfill(251, 'y');
	g_autofree char *full = g_strconcat(stem, ".pdf", NULL);
	g_autofree char *c = filename_numbered(full, 3);
	g_assert_cmpuint(strlen(c), ==, FILENAME_MAX_BYTES);
	g_assert_true(g_str_has_suffix(c, "y (3).pdf"));
}

static void
test_template(void)
{
	g_autoptr(GError) error = NULL;
	g_assert_true(filename_template_check(FILENAME_DEFAULT_TEMPLATE, &error));
	g_assert_true(
	    filename_template_check("{client}-{project}/{from} {subject}_{filename}", &error));
	g_assert_no_error(error);
	g_assert_false(filename_template_check("{date}_{name}", &error));
	g_assert_error(error, MC_ERROR, MC_ERROR_USAGE);
	g_assert_cmpstr(error->message, ==,
	                "unknown field '{name}' in '{date}_{name}' (known: {date}, {client}, "
	                "{project}, {from}, {subject}, {filename})");
	g_clear_error(&error);
	g_assert_false(filename_template_check("{date", &error));
	g_assert_cmpstr(error->message, ==, "'{' without '}' at byte 1 of '{date'");
	g_clear_error(&error);
	g_assert_false(filename_template_check("date}", &error));
	g_assert_cmpstr(error->message, ==, "'}' without '{' at byte 5 of 'date}'");
	g_clear_error(&error);

	struct filename_fields f = {
		.date = "2024-03-01",
		.client = "acme",
		.project = "web",
		.from = "bob@acme.example",
		.subject = "Re: v2/v3 \x1b[31m draft",
		.filename = "../spec.pdf",
		.mime_type = "application/pdf",
		.sha256 = "feedface",
	};
	g_autofree char *a = filename_expand(FILENAME_DEFAULT_TEMPLATE, &f);
	g_assert_cmpstr(a, ==, "2024-03-01_spec.pdf");
	/* A '/' in a field is a '-', never a folder. */
	g_autofree char *b = filename_expand("{client}_{subject}_{filename}", &f);
	g_assert_cmpstr(b, ==, "acme_Re: v2-v3 [31m draft_spec.pdf");
	f.filename = "..";
	g_autofree char *c = filename_expand("{from}-{filename}", &f);
	g_assert_cmpstr(c, ==, "bob@acme.example-attachment-feedface.pdf");
	/* Fields left empty: the name falls back to the hash. */
	struct filename_fields empty = { .mime_type = "text/csv", .sha256 = "abcdef0123" };
	g_autofree char *d = filename_expand("{subject}", &empty);
	g_assert_cmpstr(d, ==, "attachment-abcdef01.csv");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/filename/sanitize", test_sanitize);
	g_test_add_func("/filename/long-names", test_long_names);
	g_test_add_func("/filename/numbered", test_numbered);
	g_test_add_func("/filename/template", test_template);
	return g_test_run();
}
