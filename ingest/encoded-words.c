/* Encoded words and RFC 2231 values that GMime 3.2.13 reads wrong, rewritten for the copy it
 * parses. */
#include "config.h"

#include "ingest/parse-internal.h"

#include <string.h>

#include <gmime/gmime.h>

/* An RFC 2047 encoded word: "=?LABEL*LANG?E?TEXT?=" (the language is
 * RFC 2231's, and rare). */
struct word {
	const char *start, *end;
	const char *label, *lang_end; /* LABEL; "*LANG" runs to LANG_END */
	gsize label_len;
	char encoding; /* 'B' or 'Q' */
	const char *text;
	gsize text_len;
};

/* Returns the byte after the encoded word at P (before END) and sets W, or
 * NULL when there is none at P. */
static const char *
read_word(const char *p, const char *end, struct word *w)
{
	if (end - p < 8 || p[0] != '=' || p[1] != '?')
		return NULL;
	const char *label = p + 2, *q = label;
	while (q < end && *q != '?' && *q != '*' && !g_ascii_isspace(*q))
		q++;
	const char *label_end = q;
	while (q < end && *q != '?' && !g_ascii_isspace(*q))
		q++;
	if (label_end == label || end - q < 5 || q[0] != '?' || q[2] != '?')
		return NULL;
	char encoding = g_ascii_toupper(q[1]);
	if (encoding != 'B' && encoding != 'Q')
		return NULL;
	const char *text = q + 3, *e = text;
	if (encoding == 'B') {
		while (e < end && (g_ascii_isalnum(*e) || *e == '+' || *e == '/' || *e == '='))
			e++;
	} else {
		while (e < end && *e != '?' && !g_ascii_isspace(*e))
			e++;
	}
	if (end - e < 2 || e[0] != '?' || e[1] != '=')
		return NULL;
	*w = (struct word){ .start = p,
		            .end = e + 2,
		            .label = label,
		            .lang_end = q,
		            .label_len = label_end - label,
		            .encoding = encoding,
		            .text = text,
		            .text_len = e - text };
	return w->end;
}

/* Returns the charset LABEL (LEN bytes) is read as: the larger one mailers
 * mean by it (charset_superset()), or LABEL itself. The caller frees it. */
static char *
read_as(const char *label, gsize len)
{
	g_autofree char *name = g_strndup(label, len);
	const char *superset = len <= CHARSET_NAME_MAX ? charset_superset(name) : NULL;
	return superset ? g_strdup(superset) : g_steal_pointer(&name);
}

/* Whether GMime joins the words A and B in one run: it compares the names
 * it gives iconv. */
static gboolean
same_charset(const struct word *a, const struct word *b)
{
	if (a->encoding != b->encoding)
		return FALSE;
	if (a->label_len == b->label_len &&
	    g_ascii_strncasecmp(a->label, b->label, a->label_len) == 0)
		return TRUE;
	if (a->label_len > CHARSET_NAME_MAX || b->label_len > CHARSET_NAME_MAX)
		return FALSE; /* no charset; and GMime copies a name onto the stack */
	g_autofree char *an = read_as(a->label, a->label_len);
	g_autofree char *bn = read_as(b->label, b->label_len);
	return strcmp(g_mime_charset_iconv_name(an), g_mime_charset_iconv_name(bn)) == 0;
}

/* Returns the byte after the blanks and folds from P in its field. */
static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end &&
	       (*p == ' ' || *p == '\t' || *p == '\r' || (*p == '\n' && !ends_field(p, end))))
		p++;
	return p;
}

/* The length of the base64 TEXT without its padding, and the padding it
 * should have. */
static gsize
unpadded_len(const char *text, gsize len, gsize *padding)
{
	while (len > 0 && text[len - 1] == '=')
		len--;
	*padding = (4 - len % 4) % 4;
	return len;
}

/* Whether GMime 3.2.13 reads the base64 word W whole: its padding is what
 * its length calls for (some mailers leave it out: "SsO8cmdlbg" for
 * "Jürgen", which GMime reads "Jürge"). */
static gboolean
padded_right(const struct word *w)
{
	gsize padding, n = unpadded_len(w->text, w->text_len, &padding);
	return n % 4 != 1 && w->text_len - n == (padding == 3 ? 0 : padding);
}

/* Adds to OUT the bytes of the base64 word W, decoded on its own with the
 * padding it should have. */
static void
decode_word(const struct word *w, GByteArray *out)
{
	gsize padding, n = unpadded_len(w->text, w->text_len, &padding);
	if (n % 4 == 1)
		n--; /* six bits: no byte */
	g_autofree char *text = g_malloc(n + 3);
	memcpy(text, w->text, n);
	memcpy(text + n, "===", n % 4 ? 4 - n % 4 : 0);
	gsize at = out->len;
	g_byte_array_set_size(out, at + n / 4 * 3 + 3);
	gint state = 0;
	guint save = 0;
	gsize got =
	    g_base64_decode_step(text, n + (n % 4 ? 4 - n % 4 : 0), out->data + at, &state, &save);
	g_byte_array_set_size(out, at + got);
}

static void
add_edit(GArray *edits, gsize from, gsize to, char *text)
{
	struct header_edit edit = { .from = from, .to = to, .text = text };
	g_array_append_val(edits, edit);
}

/* Adds to EDITS (offsets from BASE) a label W is read as when it is not
 * its own. */
static void
relabel(const struct word *w, const char *data, gsize base, GArray *edits)
{
	if (w->label_len > CHARSET_NAME_MAX)
		return;
	g_autofree char *label = g_strndup(w->label, w->label_len);
	const char *superset = charset_superset(label);
	if (superset)
		add_edit(edits, base + (w->label - data), base + (w->label - data) + w->label_len,
		         g_strdup(superset));
}

/* Reads the run of adjacent base64 words of one charset from FIRST (its
 * next word from AFTER), in the header block DATA (END its end), and adds
 * to EDITS what GMime needs to read it right: when a word but the last ends
 * in padding (GMime 3.2.13 decodes the words after it to nothing: "Jürgen"
 * for "=?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?B?TcO8bGxlcg==?=", its issue 133,
 * fixed in 3.2.14) or a word is padded wrong, the run becomes the one word
 * it stands for, each word's bytes decoded on its own and joined, as
 * Thunderbird and Python read them (a character a mailer split between
 * two words comes out whole); otherwise only the labels change. Returns
 * the byte after the run. */
static const char *
repair_b_run(const struct word *first, const char *data, const char *end, gsize base, GArray *edits)
{
	g_autoptr(GArray) run = g_array_new(FALSE, FALSE, sizeof(struct word));
	g_array_append_val(run, *first);
	gboolean rewrite = !padded_right(first);
	struct word cur = *first, next;
	while (read_word(skip_blanks(cur.end, end), end, &next) && same_charset(&cur, &next)) {
		rewrite |= cur.text_len > 0 && cur.text[cur.text_len - 1] == '=';
		rewrite |= !padded_right(&next);
		g_array_append_val(run, next);
		cur = next;
	}
	if (!rewrite) {
		for (guint i = 0; i < run->len; i++)
			relabel(&g_array_index(run, struct word, i), data, base, edits);
		return cur.end;
	}
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	for (guint i = 0; i < run->len; i++)
		decode_word(&g_array_index(run, struct word, i), bytes);
	g_autofree char *label = read_as(first->label, first->label_len);
	g_autofree char *text = g_base64_encode(bytes->data, bytes->len);
	const char *lang = first->label + first->label_len;
	add_edit(
	    edits, base + (first->start - data), base + (cur.end - data),
	    g_strdup_printf("=?%s%.*s?B?%s?=", label, (int)(first->lang_end - lang), lang, text));
	return cur.end;
}

/* Adds to EDITS the label of each RFC 2231 value (name*=LABEL'LANG'VALUE,
 * name*0*=...) in the field value V (up to VE) read as another charset. */
static void
relabel_values(const char *v, const char *ve, const char *data, gsize base, GArray *edits)
{
	for (const char *p = v; ve - p > 2 && (p = memchr(p, '*', ve - p - 2)); p++) {
		if (p[1] != '=')
			continue;
		const char *label = p + 2;
		if (label < ve && *label == '"')
			label++;
		const char *q = label;
		while (q < ve && q - label <= CHARSET_NAME_MAX &&
		       (g_ascii_isalnum(*q) || strchr("-_.:+()", *q)))
			q++;
		if (q == label || q >= ve || *q != '\'' || q - label > CHARSET_NAME_MAX)
			continue;
		g_autofree char *name = g_strndup(label, q - label);
		const char *superset = charset_superset(name);
		if (superset)
			add_edit(edits, base + (label - data), base + (q - data),
			         g_strdup(superset));
	}
}

void
encoded_words_repair(const char *data, gsize len, gsize base, GArray *edits)
{
	const char *end = data + len;
	for (const char *p = data; p < end && (p = memchr(p, '?', end - p));) {
		struct word w;
		if (p == data || !read_word(p - 1, end, &w)) {
			p++;
			continue;
		}
		if (w.encoding == 'B') {
			p = repair_b_run(&w, data, end, base, edits);
		} else {
			relabel(&w, data, base, edits);
			p = w.end;
		}
	}
	static const char *const with_values[] = { "content-type:", "content-disposition:" };
	for (guint i = 0; i < G_N_ELEMENTS(with_values); i++) {
		gsize vlen;
		const char *v = header_field_value(data, len, with_values[i], &vlen);
		if (v)
			relabel_values(v, v + vlen, data, base, edits);
	}
}
