/* base64_decode_step(): GMime's bytes for any input, and the attachment
 * hash made with it. */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "ingest/base64.h"
#include "tests/unit/parse-helpers.h"

/* Decodes DATA in pieces of the sizes CUTS gives (cycled; 0 = the rest)
 * with DECODE; returns the bytes and the last state. */
typedef gsize (*decode_fn)(const guchar *, gsize, guchar *, int *, guint32 *);

static GByteArray *
decode_in_pieces(decode_fn decode, const guchar *data, gsize len, const gsize *cuts, guint ncuts,
                 int *state_out)
{
	GByteArray *out = g_byte_array_new();
	int state = 0;
	guint32 save = 0;
	gsize at = 0;
	for (guint i = 0; at < len; i++) {
		gsize n = cuts[i % ncuts] ? MIN(cuts[i % ncuts], len - at) : len - at;
		guint old = out->len;
		g_byte_array_set_size(out, old + n + 3);
		gsize wrote = decode(data + at, n, out->data + old, &state, &save);
		g_assert_cmpuint(wrote, <=, n + 3);
		g_byte_array_set_size(out, old + wrote);
		at += n;
	}
	*state_out = state;
	return out;
}

static void
assert_as_gmime(const guchar *data, gsize len, const gsize *cuts, guint ncuts)
{
	int ours_state, gmime_state;
	g_autoptr(GByteArray) ours =
	    decode_in_pieces(base64_decode_step, data, len, cuts, ncuts, &ours_state);
	g_autoptr(GByteArray) gmime = decode_in_pieces(g_mime_encoding_base64_decode_step, data,
	                                               len, cuts, ncuts, &gmime_state);
	g_assert_cmpmem(ours->data, ours->len, gmime->data, gmime->len);
	g_assert_cmpint(ours_state, ==, gmime_state);
}

static void
test_known(void)
{
	static const gsize whole[] = { 0 };
	int state;
	g_autoptr(GByteArray) hello = decode_in_pieces(
	    base64_decode_step, (const guchar *)"aGVsbG8=\r\n", 10, whole, 1, &state);
	g_assert_cmpmem(hello->data, hello->len, "hello", 5);

	/* 3,000 bytes of every value, encoded in lines of 76 and of 72. */
	guchar bytes[3000];
	for (guint i = 0; i < sizeof bytes; i++)
		bytes[i] = (guchar)(i * 7 + i / 256);
	g_autofree char *flat = g_base64_encode(bytes, sizeof bytes);
	for (guint width = 72; width <= 76; width += 4) {
		GString *lines = g_string_new(NULL);
		for (gsize at = 0; flat[at]; at += MIN(width, strlen(flat + at))) {
			g_string_append_len(lines, flat + at, MIN(width, strlen(flat + at)));
			g_string_append(lines, "\r\n");
		}
		static const gsize pieces[] = { 1000, 7, 1, 333 };
		g_autoptr(GByteArray) back =
		    decode_in_pieces(base64_decode_step, (const guchar *)lines->str, lines->len,
		                     pieces, G_N_ELEMENTS(pieces), &state);
		g_assert_cmpmem(back->data, back->len, bytes, sizeof bytes);
		g_string_free(lines, TRUE);
	}
}

/* Random text of the alphabet with line breaks of any length, padding
 * anywhere, junk bytes, cut anywhere: always GMime's bytes and state. */
static void
test_as_gmime(void)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	GRand *rand = g_rand_new_with_seed(20261205);
	for (guint round = 0; round < 3000; round++) {
		gsize len = g_rand_int_range(rand, 0, 2000);
		guchar *data = g_malloc(len + 1);
		guint width = g_rand_int_range(rand, 1, 90);
		guint junk = g_rand_int_range(rand, 0, 4); /* none, rare, some, much */
		for (gsize i = 0, col = 0; i < len; i++, col++) {
			guint r = g_rand_int_range(rand, 0, 1000);
			if (col == width) {
				data[i] = r & 1 ? '\n' : '\r';
				col = (gsize)-1;
			} else if (r < junk * junk * 8) {
				data[i] = (guchar)g_rand_int_range(rand, 0, 256);
			} else if (r < junk * junk * 8 + (junk ? 4 : 0)) {
				data[i] = '=';
			} else {
				data[i] = alphabet[g_rand_int_range(rand, 0, 64)];
			}
		}
		gsize cuts[3] = { g_rand_int_range(rand, 1, 300), g_rand_int_range(rand, 1, 5),
			          round % 2 ? 0 : g_rand_int_range(rand, 1, 2000) };
		assert_as_gmime(data, len, cuts, G_N_ELEMENTS(cuts));
		g_free(data);
	}
	/* Every byte value at every place of a quartet, and padding at each. */
	for (guint c = 0; c < 256; c++) {
		for (guint place = 0; place < 8; place++) {
			guchar data[12];
			memcpy(data, "QUJDREVGR0hJ", 12);
			data[place] = (guchar)c;
			static const gsize whole[] = { 0 }, single[] = { 1 };
			assert_as_gmime(data, sizeof data, whole, 1);
			assert_as_gmime(data, sizeof data, single, 1);
		}
	}
	g_rand_free(rand);
}

/* An attachment's size and hash are those of GMime's decoding, however
 * its base64 is broken into lines or spoiled. */
static void
test_attachment_hash(void)
{
	static const char *const bodies[] = {
		/* "Invoice 2026-114 for the Acme redesign, phase two.\n": one
		 * line, a quartet split by a line break, junk between quartets
		 * and inside one; padding in the middle, a quartet cut short. */
		"SW52b2ljZSAyMDI2LTExNCBmb3IgdGhlIEFjbWUgcmVkZXNpZ24sIHBoYXNlIHR3by4K\n",
		"SW52b2ljZSAyMDI2LTExNCBmb3IgdGhlIEFjbWUgcm\nVkZXNpZ24sIHBoYXNlIHR3by4K\n",
		"SW52 b2lj\tZSAy*MDI2LTExNCBm\r\nb3IgdGhlIEFjbWUgcmVkZXNpZ24sIHBoYXNlIHR3by4K\n",
		"SW52b2ljZSAy=MDI2LTExNCBmb3IgdGhlIEFjbWUgcmVkZXNpZ24sIHBoYXNlIHR3by4K\n",
		"SW52b2ljZSAyMDI2LTExNCBmb3IgdGhlIEFjbWUgcmVkZXNpZ24sIHBoYXNlIHR3b\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		g_autofree char *raw = g_strdup_printf(
		    "From: a@acme.example\nSubject: invoice\nMIME-Version: 1.0\n"
		    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
		    "--m\nContent-Type: text/plain\n\nAttached.\n"
		    "--m\nContent-Type: application/octet-stream; name=\"invoice.txt\"\n"
		    "Content-Transfer-Encoding: base64\n\n%s--m--\n",
		    bodies[i]);
		guchar expected[256];
		int state = 0;
		guint32 save = 0;
		gsize n = g_mime_encoding_base64_decode_step(
		    (const guchar *)bodies[i], strlen(bodies[i]), expected, &state, &save);
		g_autoptr(parsed_message) pm = parse_ok(raw, 0);
		g_assert_cmpuint(pm->attachments->len, ==, 1);
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, 0);
		g_autofree char *hash = sha256(expected, n);
		g_assert_cmpint(a->size, ==, n);
		g_assert_cmpstr(a->sha256, ==, hash);
		if (i < 3) {
			static const char invoice[] =
			    "Invoice 2026-114 for the Acme redesign, phase two.\n";
			g_assert_cmpmem(expected, n, invoice, sizeof invoice - 1);
		}
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	parse_init();
	/* The tables agree with this GMime: the tests below test them. */
	g_assert_true(base64_init());
	g_test_add_func("/base64/known", test_known);
	g_test_add_func("/base64/as-gmime", test_as_gmime);
	g_test_add_func("/base64/attachment-hash", test_attachment_hash);
	return g_test_run();
}
