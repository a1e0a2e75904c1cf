/* imap/mutf7.c: IMAP's modified UTF-7 mailbox names (RFC 3501, 5.1.3). */
#include "config.h"

#include "imap/mutf7.h"

static void
check_both(const char *utf8, const char *mutf7)
{
	g_autofree char *enc = mutf7_encode(utf8);
	g_assert_cmpstr(enc, ==, mutf7);
	g_autofree char *dec = mutf7_decode(mutf7);
	g_assert_cmpstr(dec, ==, utf8);
}

static void
test_round_trip(void)
{
	check_both("INBOX", "INBOX");
	check_both("Entwürfe", "Entw&APw-rfe");
	check_both("Gesendete Objekte", "Gesendete Objekte");
	check_both("Tom & Jerry", "Tom &- Jerry");
	/* RFC 3501's own example. */
	check_both("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
	check_both("Projekte/Ü", "Projekte/&ANw-");
	/* Outside the BMP: a surrogate pair. */
	check_both("Fun 😀", "Fun &2D3eAA-");
	check_both("", "");
}

static void
test_invalid(void)
{
	/* Not modified UTF-7: shown as the server sent it. */
	g_assert_null(mutf7_decode("caf\xc3\xa9"));
	g_assert_null(mutf7_decode("a&AB"));
	g_assert_null(mutf7_decode("a&A*B-"));
	g_assert_null(mutf7_decode("a&AA-")); /* an odd number of bytes */
	g_assert_null(mutf7_decode("&2D0-")); /* a lone surrogate */
	g_autofree char *ok = mutf7_decode("a&-b");
	g_assert_cmpstr(ok, ==, "a&b");
}

static void
test_encode_invalid_utf8(void)
{
	/* A config value is taken as written: a cut-off character at the end
	 * (found by fuzz/fuzz-mutf7) is U+FFFD, not a read past the end. */
	g_autofree char *cut = mutf7_encode("Entw\xc3");
	g_assert_cmpstr(cut, ==, "Entw&,,0-");
	g_autofree char *bad = mutf7_encode("a\xff\xfe b");
	g_assert_cmpstr(bad, ==, "a&,,3,,Q- b");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mutf7/round-trip", test_round_trip);
	g_test_add_func("/mutf7/invalid", test_invalid);
	g_test_add_func("/mutf7/encode-invalid-utf8", test_encode_invalid_utf8);
	return g_test_run();
}
