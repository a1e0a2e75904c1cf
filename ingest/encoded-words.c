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

/* Adds to OUT the bytes of the text P (LEN bytes) in which ESCAPE and two
 * hex digits are a byte ('=' in an encoded word, '%' in an RFC 2231
 * value) and, when UNDERSCORE_SPACE, '_' is a space. */
static void
decode_escapes(const char *p, gsize len, char escape, gboolean underscore_space, GByteArray *out)
{
	for (const char *end = p + len; p < end; p++) {
		guchar c = *p;
		if (c == '_' && underscore_space) {
			c = ' ';
		} else if (c == escape && end - p >= 3 && g_ascii_isxdigit(p[1]) &&
		           g_ascii_isxdigit(p[2])) {
			c = g_ascii_xdigit_value(p[1]) << 4 | g_ascii_xdigit_value(p[2]);
			p += 2;
		}
		g_byte_array_append(out, &c, 1);
	}
}

/* Adds to OUT the bytes of the quoted-printable word W. */
static void
decode_q_word(const struct word *w, GByteArray *out)
{
	decode_escapes(w->text, w->text_len, '=', TRUE, out);
}

/* Whether the word W is part of an address (a local part or domain GMime
 * does not decode: "=?utf-8?q?bob?="@x.example), not text. */
static gboolean
in_address(const struct word *w, const char *data, const char *end)
{
	const char *after = w->end < end && *w->end == '"' ? w->end + 1 : w->end;
	const char *before = w->start > data && w->start[-1] == '"' ? w->start - 1 : w->start;
	return (after < end && *after == '@') || (before > data && before[-1] == '@');
}

/* Reads the run of adjacent encoded words of one encoding and charset that
 * starts with FIRST, in the field of the header block DATA that ends at
 * END, and adds to EDITS what GMime needs to read it as mail readers do:
 * - a base64 run in which a word but the last ends in padding (GMime
 *   3.2.13 decodes the words after it to nothing: "Jürgen" for
 *   "=?UTF-8?B?SsO8cmdlbg==?= =?UTF-8?B?TcO8bGxlcg==?=", its issue 133,
 *   fixed in 3.2.14) or a word padded wrong becomes the one word it stands
 *   for, each word's bytes decoded on its own and joined, as Thunderbird
 *   and Python read them (a character a mailer split between two words
 *   comes out whole);
 * - ISO-2022-JP with Windows' extensions becomes EUC-JP-MS;
 * - a label mailers put on a larger charset (charset_superset()) becomes
 *   that one, when the run's bytes are text in it (windows-1252 has no
 *   0x81, which ISO-8859-1 reads as a control character).
 * Returns the byte after the run. */
static const char *
repair_run(const struct word *first, const char *data, const char *end, gsize base, GArray *edits)
{
	g_autoptr(GArray) run = g_array_new(FALSE, FALSE, sizeof(struct word));
	g_array_append_val(run, *first);
	gboolean b = first->encoding == 'B';
	gboolean rewrite = b && !padded_right(first);
	struct word cur = *first, next;
	while (read_word(skip_blanks(cur.end, end), end, &next) && same_charset(&cur, &next) &&
	       !in_address(&next, data, end)) {
		rewrite |= b && cur.text_len > 0 && cur.text[cur.text_len - 1] == '=';
		rewrite |= b && !padded_right(&next);
		g_array_append_val(run, next);
		cur = next;
	}
	g_autofree char *label = g_strndup(first->label, first->label_len);
	gboolean known = first->label_len <= CHARSET_NAME_MAX;
	gboolean japanese = known && charset_is_iso2022jp(label);
	const char *read_as = known && !japanese ? charset_superset(label) : NULL;
	if (!rewrite && !japanese && !read_as)
		return cur.end; /* nothing to change: not decoded twice */
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	for (guint i = 0; i < run->len; i++) {
		const struct word *w = &g_array_index(run, struct word, i);
		(b ? decode_word : decode_q_word)(w, bytes);
	}
	g_autoptr(GByteArray) euc = NULL;
	if (japanese) {
		/* ISO-2022-JP with the extensions Windows writes (①, ㈱, half-
		 * width kana), which iconv refuses, is given as EUC-JP-MS. */
		if (!iso2022jp_plain((const char *)bytes->data, bytes->len) &&
		    (euc = iso2022jp_as_eucjp_ms((const char *)bytes->data, bytes->len)) &&
		    charset_reads("EUC-JP-MS", (const char *)euc->data, euc->len)) {
			read_as = "EUC-JP-MS";
			g_byte_array_unref(bytes);
			bytes = g_steal_pointer(&euc);
			rewrite = TRUE;
		}
	} else if (read_as && !charset_reads(read_as, (const char *)bytes->data, bytes->len)) {
		read_as = NULL;
	}
	if (rewrite) {
		g_autofree char *text = g_base64_encode(bytes->data, bytes->len);
		const char *lang = first->label + first->label_len;
		add_edit(edits, base + (first->start - data), base + (cur.end - data),
		         g_strdup_printf("=?%s%.*s?B?%s?=", read_as ? read_as : label,
		                         (int)(first->lang_end - lang), lang, text));
	} else if (read_as) {
		for (guint i = 0; i < run->len; i++) {
			const struct word *w = &g_array_index(run, struct word, i);
			add_edit(edits, base + (w->label - data),
			         base + (w->label - data) + w->label_len, g_strdup(read_as));
		}
	}
	return cur.end;
}

/* A parameter of a field value: NAME=VALUE (VALUE without its quotes). */
struct param {
	const char *name, *value;
	gsize name_len, value_len;
};

/* Returns the parameters after the first ';' of the field value V (to VE). */
static GArray *
read_params(const char *v, const char *ve)
{
	GArray *params = g_array_new(FALSE, FALSE, sizeof(struct param));
	const char *p = memchr(v, ';', ve - v);
	while (p && p < ve) {
		p++;
		while (p < ve && g_ascii_isspace(*p))
			p++;
		struct param param = { .name = p };
		while (p < ve && *p != '=' && *p != ';' && !g_ascii_isspace(*p))
			p++;
		param.name_len = p - param.name;
		while (p < ve && g_ascii_isspace(*p))
			p++;
		if (p >= ve || *p != '=') {
			p = memchr(p, ';', ve - p);
			continue;
		}
		p++;
		while (p < ve && g_ascii_isspace(*p))
			p++;
		if (p < ve && *p == '"') {
			param.value = ++p;
			while (p < ve && *p != '"')
				p += *p == '\\' && p + 1 < ve ? 2 : 1;
			param.value_len = MIN(p, ve) - param.value;
			p = p < ve ? memchr(p, ';', ve - p) : NULL;
		} else {
			param.value = p;
			while (p < ve && *p != ';' && !g_ascii_isspace(*p))
				p++;
			param.value_len = p - param.value;
			p = memchr(p, ';', ve - p);
		}
		g_array_append_val(params, param);
	}
	return params;
}

/* Whether the parameter name P (LEN bytes) is BASE "*" digits and maybe
 * "*" (an RFC 2231 segment), and sets its number and *ENCODED. */
static gboolean
segment_of(const char *p, gsize len, const char *base, gsize base_len, guint *number,
           gboolean *encoded)
{
	if (len < base_len + 2 || g_ascii_strncasecmp(p, base, base_len) != 0 || p[base_len] != '*')
		return FALSE;
	const char *d = p + base_len + 1, *end = p + len;
	*encoded = end[-1] == '*';
	if (*encoded)
		end--;
	if (d == end || end - d > 3)
		return FALSE;
	*number = 0;
	for (; d < end; d++) {
		if (!g_ascii_isdigit(*d))
			return FALSE;
		*number = *number * 10 + (*d - '0');
	}
	return TRUE;
}

/* Adds to EDITS the charset label of each RFC 2231 value (name*=LABEL'
 * LANG'TEXT, or segments name*0*=LABEL''TEXT; name*1*=TEXT...) among the
 * parameters of the field value V (to VE) that mailers put on a larger
 * charset the value's bytes are text in. */
static void
relabel_values(const char *v, const char *ve, const char *data, gsize base, GArray *edits)
{
	g_autoptr(GArray) params = read_params(v, ve);
	for (guint i = 0; i < params->len; i++) {
		const struct param *first = &g_array_index(params, struct param, i);
		const char *star = memchr(first->name, '*', first->name_len);
		if (!star)
			continue;
		gsize base_len = star - first->name;
		gboolean single = first->name_len == base_len + 1, encoded = TRUE;
		guint number = 0;
		if (!single && (!segment_of(first->name, first->name_len, first->name, base_len,
		                            &number, &encoded) ||
		                number != 0 || !encoded))
			continue;
		const char *quote = memchr(first->value, '\'', first->value_len);
		gsize label_len = quote ? (gsize)(quote - first->value) : 0;
		if (label_len == 0 || label_len > CHARSET_NAME_MAX)
			continue;
		g_autofree char *label = g_strndup(first->value, label_len);
		const char *read_as = charset_superset(label);
		if (!read_as)
			continue;
		/* The value's bytes: after the language, and its other segments
		 * in order. */
		const char *lang_end =
		    memchr(quote + 1, '\'', first->value + first->value_len - quote - 1);
		if (!lang_end)
			continue;
		g_autoptr(GByteArray) bytes = g_byte_array_new();
		decode_escapes(lang_end + 1, first->value + first->value_len - lang_end - 1, '%',
		               FALSE, bytes);
		for (guint n = 1; !single; n++) {
			const struct param *segment = NULL;
			gboolean seg_encoded = FALSE;
			for (guint j = 0; j < params->len && !segment; j++) {
				const struct param *q = &g_array_index(params, struct param, j);
				guint k;
				if (segment_of(q->name, q->name_len, first->name, base_len, &k,
				               &seg_encoded) &&
				    k == n)
					segment = q;
			}
			if (!segment)
				break;
			if (seg_encoded)
				decode_escapes(segment->value, segment->value_len, '%', FALSE,
				               bytes);
			else
				g_byte_array_append(bytes, (const guint8 *)segment->value,
				                    segment->value_len);
		}
		if (charset_reads(read_as, (const char *)bytes->data, bytes->len))
			add_edit(edits, base + (first->value - data),
			         base + (first->value - data) + label_len, g_strdup(read_as));
	}
}

/* Returns whether the line from P (to END) starts a header field GMime
 * reads, and sets *VALUE after its colon: a name without blanks or control
 * characters, blanks, a colon. */
static gboolean
field_starts(const char *p, const char *end, const char **value)
{
	const char *q = p;
	while (q < end && *q != ':' && *q != '\n' && *q != ' ' && *q != '\t' &&
	       !g_ascii_iscntrl(*q))
		q++;
	if (q == p)
		return FALSE;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q >= end || *q != ':')
		return FALSE;
	*value = q + 1;
	return TRUE;
}

/* Whether the field's name at P is NAME (lower case, without its colon). */
static gboolean
field_is(const char *p, const char *value, const char *name)
{
	gsize n = strlen(name);
	return (gsize)(value - p) > n && g_ascii_strncasecmp(p, name, n) == 0 &&
	       (p[n] == ':' || p[n] == ' ' || p[n] == '\t');
}

void
encoded_words_repair(const char *data, gsize len, gsize base, GArray *edits)
{
	const char *end = data + len;
	for (const char *field = data; field < end;) {
		/* The field: to the newline that no blank follows. */
		const char *field_end = field;
		for (; field_end < end; field_end++)
			if (*field_end == '\n' && ends_field(field_end, end))
				break;
		const char *next = field_end < end ? field_end + 1 : end, *value;
		if (!field_starts(field, field_end, &value)) {
			field = next; /* not a field GMime reads (nor a name) */
			continue;
		}
		for (const char *p = value; p < field_end && (p = memchr(p, '?', field_end - p));) {
			struct word w;
			if (p == value || !read_word(p - 1, field_end, &w) ||
			    in_address(&w, value, field_end)) {
				p++;
				continue;
			}
			p = repair_run(&w, data, field_end, base, edits);
		}
		if (field_is(field, value, "content-type") ||
		    field_is(field, value, "content-disposition"))
			relabel_values(value, field_end, data, base, edits);
		field = next;
	}
}
