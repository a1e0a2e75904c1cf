/* parse_message()'s labels: X-Gmail-Labels split, unquoted, decoded,
 * cleaned, each once in any case, and bounded. */
#include "config.h"

#include <string.h>

#include "ingest/parse.h"
#include "tests/unit/parse-helpers.h"

/* Returns PM's labels joined with " | ", for one comparison a case. */
static char *
joined(const struct parsed_message *pm)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < pm->labels->len; i++)
		g_string_append_printf(s, "%s%s", i ? " | " : "",
		                       (const char *)g_ptr_array_index(pm->labels, i));
	return g_string_free(s, FALSE);
}

/* Returns the labels of a message whose header block ends with HEADERS. */
static char *
labels_of(const char *headers)
{
	g_autofree char *raw = g_strdup_printf("From: bob@acme.example\n"
	                                       "Subject: labels\n"
	                                       "Message-ID: <labels@test.example>\n"
	                                       "%s"
	                                       "\n"
	                                       "Body.\n",
	                                       headers);
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	assert_sane(pm);
	return joined(pm);
}

static void
check(const char *headers, const char *want)
{
	g_autofree char *got = labels_of(headers);
	g_assert_cmpstr(got, ==, want);
}

static void
test_takeout(void)
{
	check("X-Gmail-Labels: Inbox,Opened,Clients/Kaneren,\"Label, with comma\",Important\n",
	      "Inbox | Opened | Clients/Kaneren | Label, with comma | Important");
	check("X-Gmail-Labels: Archived,Category Promotions,Unread\n",
	      "Archived | Category Promotions | Unread");
	/* No header, an empty one. */
	check("", "");
	check("X-Gmail-Labels:\n", "");
	/* The name in any case, as every header. */
	check("x-gmail-labels: Sent\n", "Sent");
}

static void
test_blanks_and_doubles(void)
{
	check("X-Gmail-Labels:  Inbox , ,,Category   Promotions ,\n",
	      "Inbox | Category Promotions");
	check("X-Gmail-Labels: \" \",\"\",Spam\n", "Spam");
	/* Twice in any case is once, the first spelling kept (Unicode case:
	 * Greek, ß and ss). */
	check("X-Gmail-Labels: Inbox,INBOX,inbox,Ελληνικά,ΕΛΛΗΝΙΚΆ,Straße,STRASSE\n",
	      "Inbox | Ελληνικά | Straße");
	/* A folded header is one line; two headers give the labels of both. */
	check("X-Gmail-Labels: Inbox,\n Clients/Acme,\n\tClients/Acme/Web\n"
	      "X-Gmail-Labels: Starred,inbox\n",
	      "Inbox | Clients/Acme | Clients/Acme/Web | Starred");
}

static void
test_quotes(void)
{
	check("X-Gmail-Labels: \"Say \\\"hi\\\", then go\",Inbox\n", "Say \"hi\", then go | Inbox");
	/* A quote that never ends takes the rest of the line. */
	check("X-Gmail-Labels: Inbox,\"Open, never closed\n", "Inbox | Open, never closed");
	/* Quotes in the middle of a label only keep the comma in it. */
	check("X-Gmail-Labels: a\"b,c\"d,e\n", "ab,cd | e");
	/* A backslash outside quotes is part of the label. */
	check("X-Gmail-Labels: back\\slash\n", "back\\slash");
}

static void
test_encoded(void)
{
	/* Gmail encodes the whole value at once. */
	check("X-Gmail-Labels: =?UTF-8?Q?Inbox,Clients/K=C3=A4neren,Caf=C3=A9?=\n",
	      "Inbox | Clients/Käneren | Café");
	/* A word of its own, and one quoted label in it. */
	check("X-Gmail-Labels: Inbox, =?UTF-8?B?w4l0w6k=?=\n", "Inbox | Été");
	check("X-Gmail-Labels: =?UTF-8?Q?=22Paris,_Lyon=22,Sent?=\n", "Paris, Lyon | Sent");
	/* Raw UTF-8, and 8-bit text in no charset (windows-1252), decoded as
	 * the whole header is, like a Subject. */
	check("X-Gmail-Labels: Clients/Ωmega,Sent\n", "Clients/Ωmega | Sent");
	check("X-Gmail-Labels: Caf\xe9,Sent\n", "Café | Sent");
}

static void
test_cleaned(void)
{
	/* Control characters are blanks, which then collapse or go. */
	check("X-Gmail-Labels: Ta\x01\x02"
	      "bs,\x7f"
	      "End\x1b,\x01\n",
	      "Ta bs | End");
	/* Bytes that are no character set's valid text still give valid UTF-8. */
	g_autofree char *got = labels_of("X-Gmail-Labels: ok,\xff\xfe\xc0\x80\n");
	g_assert_true(g_str_has_prefix(got, "ok | "));
	g_assert_true(g_utf8_validate(got, -1, NULL));
}

static void
test_bounds(void)
{
	/* A 1 MB header: 200 labels kept, in order, and the rest dropped. */
	GString *h = g_string_new("X-Gmail-Labels: ");
	for (int i = 0; h->len < 1024 * 1024; i++)
		g_string_append_printf(h, "%sLabel%06d", i ? "," : "", i);
	g_string_append_c(h, '\n');
	g_autofree char *raw =
	    g_strdup_printf("From: bob@acme.example\nMessage-ID: <big@x>\n%s\nBody.\n", h->str);
	g_string_free(h, TRUE);
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	assert_sane(pm);
	g_assert_cmpuint(pm->labels->len, ==, 200);
	g_assert_cmpstr(g_ptr_array_index(pm->labels, 0), ==, "Label000000");
	g_assert_cmpstr(g_ptr_array_index(pm->labels, 199), ==, "Label000199");
	g_assert_cmpstr(pm->body_text, ==, "Body.");

	/* One label of 1 MB is cut at 1024 bytes, between characters. */
	GString *one = g_string_new("X-Gmail-Labels: Inbox,x");
	while (one->len < 1024 * 1024)
		g_string_append(one, "é");
	g_string_append(one, ",Sent\n");
	g_autofree char *raw_cut = g_strdup_printf("Message-ID: <cut@x>\n%s\nBody.\n", one->str);
	g_string_free(one, TRUE);
	g_autoptr(parsed_message) cut = parse_ok(raw_cut, PARSE_DEFAULT);
	assert_sane(cut);
	g_assert_cmpuint(cut->labels->len, ==, 3);
	const char *long_label = g_ptr_array_index(cut->labels, 1);
	g_assert_cmpuint(strlen(long_label), ==, 1023); /* "x" and 511 two-byte "é" */
	g_assert_cmpstr(g_ptr_array_index(cut->labels, 2), ==, "Sent");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	parse_init();
	g_test_add_func("/parse-labels/takeout", test_takeout);
	g_test_add_func("/parse-labels/blanks-and-doubles", test_blanks_and_doubles);
	g_test_add_func("/parse-labels/quotes", test_quotes);
	g_test_add_func("/parse-labels/encoded", test_encoded);
	g_test_add_func("/parse-labels/cleaned", test_cleaned);
	g_test_add_func("/parse-labels/bounds", test_bounds);
	return g_test_run();
}
