/* The FTS5 tokenizer: unicode61 with CJK characters and bigrams. */
#include "config.h"

#include "index/tokenizer.h"

#include <stdint.h>
#include <string.h>

#include "common/error.h"

/*
 * Token layout of a CJK run c0 c1 ... c(n-1), one position per character:
 *
 *   document/aux  position i: unigram ci, then colocated bigram ci c(i+1) (i < n-1)
 *   query         position i: bigram ci c(i+1) for i < n-1, unigram c(n-1) last
 *
 * A query word of m characters is thus a phrase of m-1 bigrams and its last
 * character, which matches exactly where the word occurs inside a run: every
 * document position holds its unigram, so the trailing unigram always lines
 * up. Keeping that last position (rather than bigrams alone) matters twice:
 * a phrase that goes on past the run ("東京 tower", "東京。大阪") keeps the
 * positions of the document, and a match covers one position per character,
 * so highlight() and snippet(), which mark the byte ranges of the primary
 * tokens at the matched positions, mark exactly the matched characters. With
 * bigrams as primary tokens the ranges would overlap and FTS5's highlighter
 * repeats text when two matches sit on neighbouring positions.
 */

/* The smallest UTF-8 lead byte of a CJK character (U+3005). Text with no byte
 * this large has no CJK at all; the common punctuation of Latin mail (U+2014,
 * U+2019, U+20AC: lead byte 0xE2) stays below it. */
#define CJK_MIN_LEAD 0xE3

/* What was registered: unicode61, found once when registering. */
struct mc_module {
	fts5_tokenizer u61;
	void *u61_data;
};

/* One tokenizer instance (one per FTS5 table). */
struct mc_tokenizer {
	const struct mc_module *module;
	Fts5Tokenizer *u61;
	gboolean drop_marks; /* remove_diacritics is not 0 */
};

typedef int (*token_fn)(void *ctx, int tflags, const char *token, int ntoken, int start, int end);

/* Where tokens go, and the offset of the sub-range unicode61 is working on. */
struct emit {
	void *ctx;
	token_fn token;
	int base;
	gboolean drop_marks;
};

/* A token longer than this is handed on as unicode61 made it: folding
 * (NFKD can make a character eighteen) is bounded, and nobody searches for
 * a word of a kilobyte. Index and query agree, as both see the same token. */
#define FOLD_MAX 1024

/* One character of a CJK run as it is indexed: its NFKC form (half-width
 * katakana, compatibility ideographs), with a voicing mark after it composed
 * into it (か + U+3099 is が, as NFKC makes it). */
struct cjk_unit {
	int span; /* bytes of the text it covers */
	int len;  /* bytes of FORM */
	char form[4];
};

static gboolean
is_cjk(guint32 c)
{
	if (c < 0x3005)
		return FALSE;
	if (c < 0x3040)
		return c <= 0x3007; /* 々 〆 〇 are parts of words; the rest is punctuation */
	if (c < 0x3100)
		return c != 0x30A0 && c != 0x30FB; /* kana, but not ゠ and the middle dot ・ */
	if (c < 0x3400)
		return c >= 0x31F0 && c <= 0x31FF; /* small katakana for Ainu */
	if (c <= 0x9FFF)
		return c <= 0x4DBF || c >= 0x4E00; /* Han extension A and the unified block */
	if (c < 0xF900)
		return c >= 0xAC00 && c <= 0xD7A3; /* Hangul syllables */
	if (c <= 0xFAFF)
		return TRUE; /* compatibility ideographs */
	if (c < 0x20000)
		return c >= 0xFF66 && c <= 0xFF9F; /* half-width katakana, without ｡｢｣､･ */
	return c <= 0x3FFFF; /* planes 2 and 3 hold only ideographs (extensions B to H) */
}

/* Decodes the character at P, reading nothing at or past END. Returns its
 * length and sets *CP, or returns 0 for a byte that starts no valid sequence
 * (stray continuation, overlong form, surrogate, beyond U+10FFFF, cut short). */
static int
utf8_decode(const unsigned char *p, const unsigned char *end, guint32 *cp)
{
	unsigned char b0 = p[0];
	ptrdiff_t left = end - p;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 < 0xC2)
		return 0;
	if (b0 < 0xE0) {
		if (left < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((guint32)(b0 & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (b0 < 0xF0) {
		if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((b0 == 0xE0 && p[1] < 0xA0) || (b0 == 0xED && p[1] >= 0xA0))
			return 0;
		*cp = ((guint32)(b0 & 0x0F) << 12) | ((guint32)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		return 3;
	}
	if (b0 < 0xF5) {
		if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((b0 == 0xF0 && p[1] < 0x90) || (b0 == 0xF4 && p[1] >= 0x90))
			return 0;
		*cp = ((guint32)(b0 & 0x07) << 18) | ((guint32)(p[1] & 0x3F) << 12) |
		      ((guint32)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
		return 4;
	}
	return 0;
}

/* Whether C is a mark that folding drops: the Combining Diacritical Marks
 * blocks (accents, Greek tonos and dialytika, Cyrillic breve), Hebrew points
 * and Arabic harakat, which texts write or leave out at will. Other marks
 * stay: Devanagari and Thai vowel signs are letters of the word, and kana
 * voicing marks (U+3099, U+309A: が is not か) never reach here, as kana go
 * the CJK way. */
static gboolean
is_dropped_mark(gunichar c)
{
	if (c < 0x0300)
		return FALSE;
	if (c <= 0x036F)
		return TRUE;
	if (c >= 0x0591 && c <= 0x05C7)
		return g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK;
	if (c >= 0x064B && c <= 0x0670)
		return c <= 0x065F || c == 0x0670;
	return (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
	       (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* The plain letters of letters with a stroke or a ligature, which have no
 * decomposition to drop a mark from: ø, ł, đ, ħ, ŧ, dotless ı, œ, æ (after
 * case folding, so lower case only). Never longer than the letter in UTF-8,
 * so fold_token() writes them in place. NULL for any other letter. */
static const char *
stroke_fold(gunichar c)
{
	switch (c) {
	case 0x00F8:
		return "o"; /* ø */
	case 0x0142:
		return "l"; /* ł */
	case 0x0111:
		return "d"; /* đ */
	case 0x0127:
		return "h"; /* ħ */
	case 0x0167:
		return "t"; /* ŧ */
	case 0x0131:
		return "i"; /* ı */
	case 0x0153:
		return "oe"; /* œ */
	case 0x00E6:
		return "ae"; /* æ */
	default:
		return NULL;
	}
}

/* TOKEN (NTOKEN bytes, valid UTF-8, lower-cased by unicode61) folded:
 * NFKD, full case folding (ß is ss, final sigma is sigma), the marks above
 * dropped and stroke_fold() applied when DROP_MARKS, composed again (so the result is NFKC).
 * Returns NULL when folding leaves it as it is; the caller frees the result. */
static char *
fold_token(const char *token, int ntoken, gboolean drop_marks)
{
	g_autofree char *d = g_utf8_normalize(token, ntoken, G_NORMALIZE_NFKD);
	if (d == NULL)
		return NULL;
	char *f = g_utf8_casefold(d, -1);
	char *w = f;
	gboolean compose = FALSE;
	for (const char *r = f; *r;) {
		gunichar c = g_utf8_get_char(r);
		const char *next = g_utf8_next_char(r);
		const char *plain = drop_marks ? stroke_fold(c) : NULL;
		if (plain) {
			gsize n = strlen(plain);
			memmove(w, plain, n);
			w += n;
		} else if (!drop_marks || !is_dropped_mark(c)) {
			/* Below U+0300 nothing composes (no marks, no jamo). */
			compose |= c >= 0x0300;
			memmove(w, r, next - r);
			w += next - r;
		}
		r = next;
	}
	*w = '\0';
	if (compose) {
		char *c = g_utf8_normalize(f, -1, G_NORMALIZE_NFKC);
		g_free(f);
		f = c;
	}
	if (f != NULL && (int)strlen(f) == ntoken && memcmp(f, token, ntoken) == 0)
		g_clear_pointer(&f, g_free);
	return f;
}

/* A token of unicode61 from a range with non-ASCII text: folded, and
 * shifted to offsets into the whole text. */
static int
fold_emit(void *ctx, int tflags, const char *token, int ntoken, int start, int end)
{
	struct emit *e = ctx;
	gboolean ascii = TRUE;
	for (int i = 0; i < ntoken && ascii; i++)
		ascii = (unsigned char)token[i] < 0x80;
	/* ASCII is folded already: unicode61 lower-cased it. */
	g_autofree char *folded =
	    ascii || ntoken > FOLD_MAX ? NULL : fold_token(token, ntoken, e->drop_marks);
	if (folded == NULL)
		return e->token(e->ctx, tflags, token, ntoken, start + e->base, end + e->base);
	/* Nothing but dropped marks: no token, on either side. */
	if (*folded == '\0')
		return SQLITE_OK;
	return e->token(e->ctx, tflags, folded, (int)strlen(folded), start + e->base,
	                end + e->base);
}

/* Sets U to the CJK character at P and returns its span, or returns 0 when
 * there is none. */
static int
cjk_unit(const unsigned char *p, const unsigned char *end, struct cjk_unit *u)
{
	guint32 c, m = 0;
	int len, mlen = 0;

	if (*p < CJK_MIN_LEAD)
		return 0;
	len = utf8_decode(p, end, &c);
	if (len == 0 || !is_cjk(c))
		return 0;
	if (p + len < end && p[len] >= CJK_MIN_LEAD)
		mlen = utf8_decode(p + len, end, &m);
	if (!(m == 0x3099 || m == 0x309A || m == 0xFF9E || m == 0xFF9F))
		mlen = 0;
	u->span = len;
	u->len = len;
	memcpy(u->form, p, len);
	/* Most CJK text is in NFKC already: only a voicing mark after the
	 * character, or a character from U+F900 on, asks for normalising. */
	if (mlen == 0 && c < 0xF900)
		return len;
	for (int span = len + mlen; span >= len; span -= mlen) {
		g_autofree char *n = g_utf8_normalize((const char *)p, span, G_NORMALIZE_NFKC);
		/* One CJK character, or nothing changes. */
		if (n != NULL && *n && *g_utf8_next_char(n) == '\0' && is_cjk(g_utf8_get_char(n))) {
			u->span = span;
			u->len = (int)strlen(n);
			memcpy(u->form, n, u->len);
			break;
		}
		if (mlen == 0)
			break;
	}
	return u->span;
}

/* unicode61 sees a sub-range starting at byte BASE; FTS5 wants offsets into
 * the whole text. */
static int
shift_token(void *ctx, int tflags, const char *token, int ntoken, int start, int end)
{
	struct emit *e = ctx;

	return e->token(e->ctx, tflags, token, ntoken, start + e->base, end + e->base);
}

/* Hands TEXT[FROM, TO) to unicode61; ASCII says it has no byte over 0x7F. */
static int
tokenize_other(struct mc_tokenizer *t, struct emit *e, int flags, const char *text, int from,
               int to, gboolean ascii)
{
	if (from >= to)
		return SQLITE_OK;
	e->base = from;
	/* Non-ASCII text is folded token by token. */
	if (!ascii)
		return t->module->u61.xTokenize(t->u61, e, flags, text + from, to - from,
		                                fold_emit);
	/* At offset 0 nothing needs shifting: pure ASCII text, the common case,
	 * costs one scan and no extra call per token. */
	if (from == 0)
		return t->module->u61.xTokenize(t->u61, e->ctx, flags, text, to, e->token);
	return t->module->u61.xTokenize(t->u61, e, flags, text + from, to - from, shift_token);
}

/* Emits the run of CJK characters that starts at P with the character U;
 * sets *NEXT to the first byte after the run. */
static int
tokenize_cjk(struct emit *e, int flags, const char *text, const unsigned char *p,
             const struct cjk_unit *u, const unsigned char *end, const unsigned char **next)
{
	const unsigned char *base = (const unsigned char *)text;
	gboolean query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	struct cjk_unit cur = *u, nx;
	int rc;

	for (;;) {
		const unsigned char *q = p + cur.span;
		int start = (int)(p - base);
		char bigram[2 * sizeof cur.form];

		if (q >= end || cjk_unit(q, end, &nx) == 0) {
			*next = q;
			return e->token(e->ctx, 0, cur.form, cur.len, start, start + cur.span);
		}
		memcpy(bigram, cur.form, cur.len);
		memcpy(bigram + cur.len, nx.form, nx.len);
		if (query) {
			rc = e->token(e->ctx, 0, bigram, cur.len + nx.len, start,
			              start + cur.span + nx.span);
		} else {
			rc = e->token(e->ctx, 0, cur.form, cur.len, start, start + cur.span);
			if (rc == SQLITE_OK)
				rc = e->token(e->ctx, FTS5_TOKEN_COLOCATED, bigram,
				              cur.len + nx.len, start, start + cur.span + nx.span);
		}
		if (rc != SQLITE_OK)
			return rc;
		p = q;
		cur = nx;
	}
}

static int
mc_tokenize(Fts5Tokenizer *tokenizer, void *ctx, int flags, const char *text, int ntext,
            token_fn token)
{
	struct mc_tokenizer *t = (struct mc_tokenizer *)tokenizer;
	struct emit e = { .ctx = ctx, .token = token, .base = 0, .drop_marks = t->drop_marks };
	const unsigned char *base = (const unsigned char *)text;
	const unsigned char *end, *p;
	int seg = 0;           /* start of the text not yet tokenized */
	gboolean ascii = TRUE; /* and whether it is all ASCII so far */
	int rc;

	if (text == NULL || ntext <= 0)
		return SQLITE_OK;
	end = base + ntext;
	p = base;
	while (p < end) {
		struct cjk_unit u;
		guint32 c;
		int len;

		/* ASCII, eight bytes at a time. */
		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			p += 8;
		}
		while (p < end && *p < 0x80)
			p++;
		if (p == end)
			break;

		len = utf8_decode(p, end, &c);
		if (len > 0 && !is_cjk(c)) {
			ascii = FALSE;
			p += len;
			continue;
		}
		/* A CJK run or an invalid byte: both end the text before them. */
		rc = tokenize_other(t, &e, flags, text, seg, (int)(p - base), ascii);
		if (rc != SQLITE_OK)
			return rc;
		if (len == 0) {
			p++; /* a bad byte separates, like a space */
		} else {
			cjk_unit(p, end, &u);
			rc = tokenize_cjk(&e, flags, text, p, &u, end, &p);
			if (rc != SQLITE_OK)
				return rc;
		}
		seg = (int)(p - base);
		ascii = TRUE;
	}
	return tokenize_other(t, &e, flags, text, seg, (int)(end - base), ascii);
}

static int
mc_create(void *data, const char **argv, int argc, Fts5Tokenizer **out)
{
	const struct mc_module *m = data;
	struct mc_tokenizer *t;
	const char **args;
	int rc;

	/* Our defaults first, so arguments in the table definition (tokenchars,
	 * remove_diacritics 1, ...) pass through to unicode61 and win. Marks
	 * (M*) are parts of words: unicode61 would otherwise cut Devanagari,
	 * Thai or vowelled Arabic words at every vowel sign; folding then drops
	 * the marks that are accents (is_dropped_mark()). */
	args = g_new(const char *, argc + 4);
	args[0] = "remove_diacritics";
	args[1] = "2";
	args[2] = "categories";
	args[3] = "L* N* Co M*";
	if (argc > 0)
		memcpy(args + 4, argv, sizeof(*args) * argc);

	t = g_new0(struct mc_tokenizer, 1);
	t->module = m;
	t->drop_marks = TRUE;
	for (int i = 0; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "remove_diacritics") == 0)
			t->drop_marks = strcmp(argv[i + 1], "0") != 0;
	}
	rc = m->u61.xCreate(m->u61_data, args, argc + 4, &t->u61);
	g_free(args);
	if (rc != SQLITE_OK) {
		g_free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
mc_delete(Fts5Tokenizer *tokenizer)
{
	struct mc_tokenizer *t = (struct mc_tokenizer *)tokenizer;

	t->module->u61.xDelete(t->u61);
	g_free(t);
}

fts5_api *
tokenizer_fts5_api(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", NULL);
		sqlite3_step(stmt);
	}
	sqlite3_finalize(stmt);
	return api;
}

gboolean
tokenizer_register(sqlite3 *db, GError **error)
{
	fts5_tokenizer mc = { mc_create, mc_delete, mc_tokenize }; /* FTS5 copies it */
	fts5_api *api = tokenizer_fts5_api(db);
	struct mc_module *m;

	if (api == NULL || api->iVersion < 2) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "SQLite %s was built without FTS5, which the index needs",
		            sqlite3_libversion());
		return FALSE;
	}
	m = g_new0(struct mc_module, 1);
	if (api->xFindTokenizer(api, "unicode61", &m->u61_data, &m->u61) != SQLITE_OK) {
		g_free(m);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "FTS5 has no unicode61 tokenizer");
		return FALSE;
	}
	/* FTS5 frees M when the connection closes, but not when the
	 * registration itself fails. */
	if (api->xCreateTokenizer(api, "mailclerk", m, &mc, g_free) != SQLITE_OK) {
		g_free(m);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "cannot register the FTS5 tokenizer: %s", sqlite3_errmsg(db));
		return FALSE;
	}
	return TRUE;
}

char *
tokenizer_fold(const char *text)
{
	if (g_str_is_ascii(text))
		return g_ascii_strdown(text, -1);
	if (!g_utf8_validate(text, -1, NULL))
		return g_strdup(text);
	char *folded = fold_token(text, (int)strlen(text), TRUE);
	return folded ? folded : g_strdup(text);
}
