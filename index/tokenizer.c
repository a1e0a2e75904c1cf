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
};

typedef int (*token_fn)(void *ctx, int tflags, const char *token, int ntoken, int start, int end);

/* Where tokens go, and the offset of the sub-range unicode61 is working on. */
struct emit {
	void *ctx;
	token_fn token;
	int base;
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

/* Length of the CJK character at P, or 0 when there is none. */
static int
cjk_char(const unsigned char *p, const unsigned char *end)
{
	guint32 c;
	int len;

	if (*p < CJK_MIN_LEAD)
		return 0;
	len = utf8_decode(p, end, &c);
	return len > 0 && is_cjk(c) ? len : 0;
}

/* unicode61 sees a sub-range starting at byte BASE; FTS5 wants offsets into
 * the whole text. */
static int
shift_token(void *ctx, int tflags, const char *token, int ntoken, int start, int end)
{
	struct emit *e = ctx;

	return e->token(e->ctx, tflags, token, ntoken, start + e->base, end + e->base);
}

/* Hands TEXT[FROM, TO) to unicode61. */
static int
tokenize_other(struct mc_tokenizer *t, struct emit *e, int flags, const char *text, int from,
               int to)
{
	if (from >= to)
		return SQLITE_OK;
	/* At offset 0 nothing needs shifting: pure non-CJK text, the common case,
	 * costs one scan and no extra call per token. */
	if (from == 0)
		return t->module->u61.xTokenize(t->u61, e->ctx, flags, text, to, e->token);
	e->base = from;
	return t->module->u61.xTokenize(t->u61, e, flags, text + from, to - from, shift_token);
}

/* Emits the run of CJK characters that starts at P with a character of LEN
 * bytes; sets *NEXT to the first byte after the run. Tokens point into the
 * text itself, so nothing is copied. */
static int
tokenize_cjk(struct emit *e, int flags, const char *text, const unsigned char *p, int len,
             const unsigned char *end, const unsigned char **next)
{
	const unsigned char *base = (const unsigned char *)text;
	gboolean query = (flags & FTS5_TOKENIZE_QUERY) != 0;
	int rc;

	for (;;) {
		const unsigned char *q = p + len;
		int start = (int)(p - base);
		int qlen = q < end ? cjk_char(q, end) : 0;

		if (qlen == 0) {
			*next = q;
			return e->token(e->ctx, 0, (const char *)p, len, start, start + len);
		}
		if (query) {
			rc = e->token(e->ctx, 0, (const char *)p, len + qlen, start,
			              start + len + qlen);
		} else {
			rc = e->token(e->ctx, 0, (const char *)p, len, start, start + len);
			if (rc == SQLITE_OK)
				rc = e->token(e->ctx, FTS5_TOKEN_COLOCATED, (const char *)p,
				              len + qlen, start, start + len + qlen);
		}
		if (rc != SQLITE_OK)
			return rc;
		p = q;
		len = qlen;
	}
}

static int
mc_tokenize(Fts5Tokenizer *tokenizer, void *ctx, int flags, const char *text, int ntext,
            token_fn token)
{
	struct mc_tokenizer *t = (struct mc_tokenizer *)tokenizer;
	struct emit e = { .ctx = ctx, .token = token, .base = 0 };
	const unsigned char *base = (const unsigned char *)text;
	const unsigned char *end, *p;
	int seg = 0; /* start of the text not yet tokenized */
	int rc;

	if (text == NULL || ntext <= 0)
		return SQLITE_OK;
	end = base + ntext;
	p = base;
	while (p < end) {
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
			p += len;
			continue;
		}
		/* A CJK run or an invalid byte: both end the text before them. */
		rc = tokenize_other(t, &e, flags, text, seg, (int)(p - base));
		if (rc != SQLITE_OK)
			return rc;
		if (len == 0) {
			p++; /* a bad byte separates, like a space */
		} else {
			rc = tokenize_cjk(&e, flags, text, p, len, end, &p);
			if (rc != SQLITE_OK)
				return rc;
		}
		seg = (int)(p - base);
	}
	return tokenize_other(t, &e, flags, text, seg, (int)(end - base));
}

static int
mc_create(void *data, const char **argv, int argc, Fts5Tokenizer **out)
{
	const struct mc_module *m = data;
	struct mc_tokenizer *t;
	const char **args;
	int rc;

	/* Our default first, so arguments in the table definition (tokenchars,
	 * remove_diacritics 1, ...) pass through to unicode61 and win. */
	args = g_new(const char *, argc + 2);
	args[0] = "remove_diacritics";
	args[1] = "2";
	if (argc > 0)
		memcpy(args + 2, argv, sizeof(*args) * argc);

	t = g_new0(struct mc_tokenizer, 1);
	t->module = m;
	rc = m->u61.xCreate(m->u61_data, args, argc + 2, &t->u61);
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

static fts5_api *
fts5_api_of(sqlite3 *db)
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
	fts5_api *api = fts5_api_of(db);
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
