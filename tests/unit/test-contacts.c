/* query/contacts.c: which display names make one person; cli/vcard.c:
 * vCard escaping, folding and UIDs. */
#include "config.h"

#include <string.h>

#include "cli/vcard.h"
#include "query/contacts.h"

static void
check_key(const char *name, const char *org, const char *want)
{
	g_autofree char *key = contacts_name_key(name, org);
	g_assert_cmpstr(key, ==, want);
}

static void
test_name_key(void)
{
	check_key("Bob Martin", NULL, "bob martin");
	/* Case, white space, compatibility forms, quotes around it. */
	check_key("  BOB   martin ", NULL, "bob martin");
	check_key("'Bob Martin'", NULL, "bob martin");
	check_key("\"Bob Martin\"", NULL, "bob martin");
	check_key("\xe2\x80\x9c"
	          "Bob Martin"
	          "\xe2\x80\x9d",
	          NULL, "bob martin");
	check_key("\xef\xbc\xa2ob Martin", NULL, "bob martin"); /* fullwidth B */
	check_key("Stra\xc3\x9f"
	          "e",
	          NULL, "strasse");                  /* full case folding */
	check_key("Zo\xc3\xab", NULL, "zo\xc3\xab"); /* accents stay */
	check_key("\xe7\x94\xb0\xe4\xb8\xad \xe5\xa4\xaa\xe9\x83\x8e", NULL,
	          "\xe7\x94\xb0\xe4\xb8\xad \xe5\xa4\xaa\xe9\x83\x8e");
	/* Never merged on: nothing, an address, a relay, a role. */
	check_key("", NULL, NULL);
	check_key("   ", NULL, NULL);
	check_key("''", NULL, NULL);
	check_key("bob@acme.example", NULL, NULL);
	check_key("Bob Martin via ACME Team", NULL, NULL);
	check_key("Bob Martin (via Google Docs)", NULL, NULL);
	check_key("Silvia Rossi", NULL, "silvia rossi");
	check_key("Info", NULL, NULL);
	check_key("Support", NULL, NULL);
	check_key("Customer Service", NULL, NULL);
	check_key("Sales & Marketing Team", NULL, NULL);
	check_key("The Billing Team.", NULL, NULL);
	/* The client's own name and key are no person's. */
	check_key("ACME Corp", "acme ACME Corp", NULL);
	check_key("ACME Support", "acme ACME Corp", NULL);
	check_key("Bob from ACME", "acme ACME Corp", "bob from acme");
	check_key("ACME Corp", NULL, "acme corp");
	/* Invalid UTF-8 merges nothing. */
	check_key("Bob \xff", NULL, NULL);
}

static char *
escaped(const char *s)
{
	GString *out = g_string_new(NULL);
	vcard_escape(out, s);
	return g_string_free(out, FALSE);
}

static void
test_escape(void)
{
	struct {
		const char *in, *out;
	} t[] = {
		{ "Bob Martin", "Bob Martin" },
		{ "Martin, Bob; Jr.", "Martin\\, Bob\\; Jr." },
		{ "back\\slash", "back\\\\slash" },
		{ "two\nlines", "two\\nlines" },
		{ "two\r\nlines\rthree", "two\\nlines\\nthree" },
		{ "bell\a tab\t del\x7f esc\x1b", "bell tab del esc" },
		{ "c1\xc2\x85"
		  "end",
		  "c1end" },
		{ "bad \xff byte", "bad \xef\xbf\xbd byte" },
		{ "\xe7\x94\xb0\xe4\xb8\xad", "\xe7\x94\xb0\xe4\xb8\xad" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(t); i++) {
		g_autofree char *got = escaped(t[i].in);
		g_assert_cmpstr(got, ==, t[i].out);
	}
}

/* Unfolds OUT's lines back (RFC 6350 3.2), checking each is at most 75
 * octets, valid UTF-8 and ends with CRLF. */
static char *
unfold(const char *out)
{
	GString *s = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(out, "\r\n", -1);
	guint n = g_strv_length(lines);
	g_assert_cmpstr(lines[n - 1], ==, ""); /* the last line ended with CRLF */
	for (guint i = 0; i + 1 < n; i++) {
		g_assert_cmpuint(strlen(lines[i]), <=, 75);
		g_assert_true(g_utf8_validate(lines[i], -1, NULL));
		g_assert_null(strchr(lines[i], '\n'));
		if (i > 0) {
			g_assert_cmpint(lines[i][0], ==, ' ');
			g_string_append(s, lines[i] + 1);
		} else {
			g_string_append(s, lines[i]);
		}
	}
	return g_string_free(s, FALSE);
}

static void
test_fold(void)
{
	g_autoptr(GString) out = g_string_new(NULL);
	vcard_line(out, "FN", "Bob", FALSE);
	g_assert_cmpstr(out->str, ==, "FN:Bob\r\n");
	/* Exactly 75 octets: one line; 76: two. */
	g_string_truncate(out, 0);
	g_autofree char *a72 = g_strnfill(72, 'a');
	vcard_line(out, "FN", a72, FALSE);
	g_assert_cmpuint(out->len, ==, 77);
	g_string_truncate(out, 0);
	g_autofree char *a73 = g_strconcat(a72, "b", NULL);
	vcard_line(out, "FN", a73, FALSE);
	g_autofree char *want = g_strconcat("FN:", a72, "\r\n b\r\n", NULL);
	g_assert_cmpstr(out->str, ==, want);
	/* Two-, three- and four-byte characters at every offset: never cut. */
	const char *chars[] = { "\xc3\xa9", "\xe7\x94\xb0", "\xf0\x9f\x98\x80" };
	for (guint c = 0; c < G_N_ELEMENTS(chars); c++) {
		for (guint pad = 0; pad < 4; pad++) {
			g_autoptr(GString) value = g_string_new(NULL);
			for (guint i = 0; i < pad; i++)
				g_string_append_c(value, 'x');
			for (guint i = 0; i < 100; i++)
				g_string_append(value, chars[c]);
			g_string_append(value, ", and; more\\");
			g_string_truncate(out, 0);
			vcard_line(out, "NOTE", value->str, FALSE);
			g_autofree char *back = unfold(out->str);
			g_autofree char *esc = escaped(value->str);
			g_autofree char *line = g_strconcat("NOTE:", esc, NULL);
			g_assert_cmpstr(back, ==, line);
		}
	}
}

static void
test_uid(void)
{
	g_autofree char *a = vcard_uid("acme", "bob@acme.example");
	g_autofree char *b = vcard_uid("acme", "bob@acme.example");
	g_autofree char *c = vcard_uid("globex", "bob@acme.example");
	g_autofree char *d = vcard_uid("acm", "ebob@acme.example");
	g_assert_cmpstr(a, ==, b);
	g_assert_cmpstr(a, !=, c);
	g_assert_cmpstr(a, !=, d);
	/* urn:uuid:xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx */
	g_assert_cmpuint(strlen(a), ==, 9 + 36);
	g_assert_true(g_str_has_prefix(a, "urn:uuid:"));
	g_assert_true(g_uuid_string_is_valid(a + 9));
	g_assert_cmpint(a[9 + 14], ==, '5');
	g_assert_nonnull(strchr("89ab", a[9 + 19]));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/contacts/name-key", test_name_key);
	g_test_add_func("/vcard/escape", test_escape);
	g_test_add_func("/vcard/fold", test_fold);
	g_test_add_func("/vcard/uid", test_uid);
	return g_test_run();
}
