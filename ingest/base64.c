/* Base64 decoding by table, with GMime's results (ingest/base64.h). */
#include "config.h"

#include "ingest/base64.h"

#include <gmime/gmime.h>

/* Each table holds a character's six bits where they land in the 24 bits of
 * a quartet, at its place in the quartet; NOT_ALPHABET marks a character
 * outside the alphabet, so one OR of four lookups tells a whole quartet. */
#define NOT_ALPHABET 0xff000000u
static guint32 quartet_bits[4][256];
/* Off when GMime decodes some character otherwise than these tables do. */
static gboolean tables_agree;

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Whether GMime decodes C at place PLACE of a quartet of 'A's as the table
 * does: three bytes holding its bits for a character of the alphabet, and
 * for any other character but '=' (which is always left to GMime) nothing,
 * its place skipped. */
static gboolean
gmime_agrees(guchar c, int place)
{
	guchar in[4] = { 'A', 'A', 'A', 'A' }, out[8];
	int state = 0;
	guint32 save = 0;
	in[place] = c;
	gsize n = g_mime_encoding_base64_decode_step(in, 4, out, &state, &save);
	guint32 bits = quartet_bits[place][c];
	if (bits & NOT_ALPHABET)
		return n == 0 && state == 3; /* skipped: three 'A's wait for a fourth */
	return n == 3 && state == 0 && out[0] == (guchar)(bits >> 16) &&
	       out[1] == (guchar)(bits >> 8) && out[2] == (guchar)bits;
}

gboolean
base64_init(void)
{
	for (int place = 0; place < 4; place++) {
		for (int c = 0; c < 256; c++)
			quartet_bits[place][c] = NOT_ALPHABET;
		for (guint32 v = 0; v < 64; v++)
			quartet_bits[place][(guchar)alphabet[v]] = v << (6 * (3 - place));
	}
	gboolean agree = TRUE;
	for (int place = 0; place < 4 && agree; place++)
		for (int c = 0; c < 256 && agree; c++)
			if (c != '=')
				agree = gmime_agrees((guchar)c, place);
	tables_agree = agree;
	return agree;
}

gsize
base64_decode_step(const guchar *in, gsize len, guchar *out, int *state, guint32 *save)
{
	const guchar *p = in, *end = in + len;
	guchar *o = out;
	gsize negative = 0; /* bytes GMime was given in a row with a negative state */

	if (!tables_agree)
		return g_mime_encoding_base64_decode_step(in, len, out, state, save);
	while (p < end) {
		if (*state == 0) {
			/* Between quartets nothing GMime keeps counts (SAVE's bits
			 * are shifted out by the next quartet's): whole quartets of
			 * the alphabet are three bytes each, and any other character
			 * but '=' (line breaks, junk) is skipped. */
			while (end - p >= 4) {
				guint32 v = quartet_bits[0][p[0]] | quartet_bits[1][p[1]] |
				            quartet_bits[2][p[2]] | quartet_bits[3][p[3]];
				if (G_LIKELY(!(v & NOT_ALPHABET))) {
					o[0] = (guchar)(v >> 16);
					o[1] = (guchar)(v >> 8);
					o[2] = (guchar)v;
					o += 3;
					p += 4;
				} else if (*p != '=' && (quartet_bits[0][*p] & NOT_ALPHABET)) {
					p++;
				} else {
					break;
				}
			}
			while (p < end && *p != '=' && (quartet_bits[0][*p] & NOT_ALPHABET))
				p++;
			if (p == end)
				break;
		}
		/* After '=' the state is negative: in GMime 3.2.13 for good ('='
		 * ends the data, nothing after it counts), in 3.2.14 and later
		 * only until that quartet is whole. Still negative after a few
		 * bytes, the rest is GMime's in one call. */
		if (*state < 0 && ++negative > 64) {
			o += g_mime_encoding_base64_decode_step(p, end - p, o, state, save);
			break;
		}
		if (*state >= 0)
			negative = 0;
		/* A quartet split by a line break, padding, or the last characters:
		 * one at a time through GMime until it is between quartets again. */
		o += g_mime_encoding_base64_decode_step(p, 1, o, state, save);
		p++;
	}
	return o - out;
}
