/* common/nearest.c: edit distances and "did you mean"; common/mimetype.c:
 * the table of extensions and MIME types. */
#include "config.h"

#include <string.h>

#include "common/filename.h"
#include "common/mimetype.h"
#include "common/nearest.h"

static void
test_distance(void)
{
	g_assert_cmpuint(nearest_distance("", ""), ==, 0);
	g_assert_cmpuint(nearest_distance("acme", ""), ==, 4);
	g_assert_cmpuint(nearest_distance("", "acme"), ==, 4);
	g_assert_cmpuint(nearest_distance("acme", "acme"), ==, 0);
	/* Any case. */
	g_assert_cmpuint(nearest_distance("ACME", "acme"), ==, 0);
	g_assert_cmpuint(nearest_distance("kaneran", "kaneren"), ==, 1); /* a substitution */
	g_assert_cmpuint(nearest_distance("acm", "acme"), ==, 1);        /* an insertion */
	g_assert_cmpuint(nearest_distance("pdff", "pdf"), ==, 1);        /* a deletion */
	g_assert_cmpuint(nearest_distance("webiste", "website"), ==, 1); /* a swap */
	g_assert_cmpuint(nearest_distance("ca", "abc"), ==, 3);          /* OSA: no edit twice */
	g_assert_cmpuint(nearest_distance("kitten", "sitting"), ==, 3);
	/* Characters, not bytes. */
	g_assert_cmpuint(nearest_distance("見積", "見積書"), ==, 1);
	g_assert_cmpuint(nearest_distance("Entwürfe", "entwurfe"), ==, 1);
}

static void
test_nearest(void)
{
	const char *const keys[] = { "acme", "globex", "kaneren", "kawasemi", "northwind" };
	guint n = G_N_ELEMENTS(keys);

	g_assert_cmpstr(nearest_word("kaneran", keys, n), ==, "kaneren");
	g_assert_cmpstr(nearest_word("ACME", keys, n), ==, "acme");
	g_assert_cmpstr(nearest_word("acm", keys, n), ==, "acme");
	g_assert_cmpstr(nearest_word("nortwhind", keys, n), ==, "northwind");
	/* Two edits are too many for a short word, enough for a longer one. */
	g_assert_cmpstr(nearest_word("acne", keys, n), ==, "acme");
	g_assert_null(nearest_word("acnf", keys, n));
	g_assert_cmpstr(nearest_word("glbexx", keys, n), ==, "globex");
	g_assert_null(nearest_word("zzz", keys, n));
	g_assert_null(nearest_word("", keys, n));
	g_assert_null(nearest_word("acme", keys, 0));
	/* Never a word replaced whole: "x" is not a typo of "y". */
	const char *const one[] = { "y" };
	g_assert_null(nearest_word("x", one, 1));
	/* The nearest wins over the first; the first of equally near ones. */
	const char *const ties[] = { "pdfs", "pdf", "pdff" };
	g_assert_cmpstr(nearest_word("pdff", ties, 3), ==, "pdff");
	g_assert_cmpstr(nearest_word("pdfx", ties, 3), ==, "pdfs");
}

static void
test_mimetypes(void)
{
	g_assert_cmpstr(mimetype_extension("application/pdf"), ==, "pdf");
	g_assert_cmpstr(mimetype_extension("IMAGE/JPEG"), ==, "jpg");
	g_assert_cmpstr(mimetype_extension("text/calendar"), ==, "ics");
	g_assert_null(mimetype_extension("application/x-unknown"));
	g_assert_null(mimetype_extension(NULL));
	g_assert_cmpstr(filename_extension_for_type("application/x-unknown"), ==, "bin");
	g_assert_true(mimetype_is_extension("xlsx"));
	g_assert_true(mimetype_is_extension("JPEG"));
	g_assert_false(mimetype_is_extension("pdff"));
	g_assert_true(mimetype_is_top_level("image"));
	g_assert_false(mimetype_is_top_level("images"));

	/* Every row is lower case, TYPE/SUBTYPE, and a type's first extension is
	 * the one filenames get. */
	guint n;
	const struct mimetype *t = mimetype_table(&n);
	for (guint i = 0; i < n; i++) {
		g_autofree char *ext = g_ascii_strdown(t[i].ext, -1);
		g_autofree char *type = g_ascii_strdown(t[i].type, -1);
		g_assert_cmpstr(ext, ==, t[i].ext);
		g_assert_cmpstr(type, ==, t[i].type);
		g_assert_nonnull(strchr(t[i].type, '/'));
		g_autofree char *major = g_strndup(t[i].type, strchr(t[i].type, '/') - t[i].type);
		g_assert_true(mimetype_is_top_level(major));
		guint first = 0;
		while (strcmp(t[first].type, t[i].type) != 0)
			first++;
		g_assert_cmpstr(mimetype_extension(t[i].type), ==, t[first].ext);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/nearest/distance", test_distance);
	g_test_add_func("/nearest/word", test_nearest);
	g_test_add_func("/nearest/mimetypes", test_mimetypes);
	return g_test_run();
}
