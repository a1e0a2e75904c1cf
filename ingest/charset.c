/* Charsets: declared (or lying) charsets to valid UTF-8, and strings cleaned for the index. */
#include "config.h"

#include "ingest/parse-internal.h"
#include "common/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <gmime/gmime.h>

/* How far into an HTML part to look for a <meta> charset. */
#define HTML_SNIFF_BYTES 4096

/* String cleaning. */

/* Returns S (any bytes, may be NULL) as one clean line: valid UTF-8, every
 * run of white space or control characters one space, bidi overrides and
 * isolates dropped, trimmed. Never NULL. */
char *
clean_line(const char *s)
{
	if (!s)
		return g_strdup("");

	g_autofree char *v = utf8_dup_valid(s, strlen(s));
	GString *out = g_string_sized_new(strlen(v) + 1);
	gboolean space = FALSE;

	for (const char *p = v; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_isspace(c) || g_unichar_iscntrl(c) || c == 0xFEFF) {
			space = TRUE;
			continue;
		}
		/* Bidi embeddings, overrides and isolates: a file name
		 * "invoice<U+202E>fdp.exe" would show as "invoiceexe.pdf". */
		if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
			continue;
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* Returns S (valid UTF-8) as body text: line ends as "\n", and so are the
 * controls that end a line where text is shown (vertical tab, form feed,
 * U+0085 NEL: a page break between two words must not join them); other
 * control characters but tab dropped (invisible, as inside a word of
 * spam), and byte order marks. Works on bytes, copying runs of good ones:
 * this runs over every body. */
char *
clean_body(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 1);
	const guchar *p = (const guchar *)s, *run = p;

	while (*p) {
		guchar c = *p;
		gsize drop;

		if ((c >= 0x20 && c != 0x7F) || c == '\n' || c == '\t') {
			/* S is valid UTF-8, so a lead byte's sequence is complete. */
			if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
				drop = 2; /* a C1 control character */
			else if (c == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
				drop = 3; /* U+FEFF */
			else {
				p++;
				continue;
			}
		} else {
			drop = 1; /* a C0 control character or DEL */
		}
		g_string_append_len(out, (const char *)run, p - run);
		if ((c == '\r' && p[1] != '\n') || c == '\v' || c == '\f' ||
		    (c == 0xC2 && p[1] == 0x85))
			g_string_append_c(out, '\n');
		p += drop;
		run = p;
	}
	g_string_append_len(out, (const char *)run, p - run);
	return g_string_free(out, FALSE);
}

gboolean
is_blank(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return FALSE;
	return TRUE;
}

/* Undoes format=flowed (RFC 3676): soft line breaks joined back into the
 * paragraphs they came from, space-stuffing removed. */
char *
unflow(const char *text, gboolean delsp)
{
	GString *out = g_string_sized_new(strlen(text) + 1);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean open = FALSE; /* the previous line was flowed */
	int open_depth = 0;

	for (int i = 0; lines[i]; i++) {
		const char *line = lines[i];
		int depth = 0;
		while (line[depth] == '>')
			depth++;
		const char *content = line + depth;
		if (*content == ' ')
			content++;
		gsize n = strlen(content);
		/* "-- " is the signature separator, never a soft break. */
		gboolean flowed = n > 0 && content[n - 1] == ' ' && strcmp(content, "-- ") != 0;

		if (!(open && depth == open_depth)) {
			if (i > 0)
				g_string_append_c(out, '\n');
			for (int d = 0; d < depth; d++)
				g_string_append_c(out, '>');
			if (depth > 0)
				g_string_append_c(out, ' ');
		}
		g_string_append_len(out, content, flowed && delsp ? n - 1 : n);
		open = flowed;
		open_depth = depth;
	}
	return g_string_free(out, FALSE);
}

/* Charsets. */

static gboolean
charset_is(const char *charset, const char *const *names)
{
	for (; *names; names++)
		if (g_ascii_strcasecmp(charset, *names) == 0)
			return TRUE;
	return FALSE;
}

/* Labels mailers use for a smaller charset than they write, and the one
 * they mean (the WHATWG Encoding Standard's labels: what browsers and
 * Thunderbird read). */
static const struct {
	const char *read_as;
	const char *const labels[12];
} supersets[] = {
	{ "windows-1252",
	  { "iso-8859-1", "iso8859-1", "iso_8859-1", "iso-ir-100", "latin1", "l1", "cp819",
	    "ibm819", "csisolatin1", "iso88591", "iso_8859-1:1987", NULL } },
	{ "windows-1254",
	  { "iso-8859-9", "iso8859-9", "iso_8859-9", "iso-ir-148", "latin5", "l5", "csisolatin5",
	    "iso88599", "iso_8859-9:1989", NULL } },
	{ "windows-874", { "tis-620", "iso-8859-11", "iso8859-11", "iso885911", "dos-874", NULL } },
	{ "CP949",
	  { "euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
	    "csksc56011987", "cseuckr", "iso-ir-149", "windows-949", NULL } },
	{ "CP932",
	  { "shift_jis", "shift-jis", "sjis", "ms_kanji", "x-sjis", "csshiftjis", "ms932", NULL } },
};

const char *
charset_superset(const char *charset)
{
	for (guint i = 0; i < G_N_ELEMENTS(supersets); i++)
		if (charset_is(charset, supersets[i].labels))
			return supersets[i].read_as;
	return NULL;
}

/* Whether CHARSET can be a charset name. GMime copies the name onto the
 * stack, so a hostile megabyte-long one must never reach it. */
static gboolean
charset_plausible(const char *charset)
{
	gsize n = 0;
	for (; charset[n]; n++)
		if (n >= CHARSET_NAME_MAX ||
		    !(g_ascii_isalnum(charset[n]) || strchr("._:+()-", charset[n])))
			return FALSE;
	return n > 0;
}

/* Conversions to UTF-8 stay open, per thread, by charset name (lower case):
 * closing the last one of a charset lets glibc unload its gconv module, only
 * to map it again for the next message that uses it, and that dlopen and
 * munmap (with its TLB shootdowns) was a sixth of an ingest's CPU. Bounded,
 * for mail that names many charsets. */
#define ICONV_CACHE_MAX 32

static void
iconv_cache_close(gpointer cd)
{
	g_mime_iconv_close((iconv_t)cd);
}

static void
iconv_cache_free(gpointer cache)
{
	g_hash_table_unref(cache);
}

static GPrivate iconv_cache = G_PRIVATE_INIT(iconv_cache_free);

/* Returns a conversion from CHARSET to UTF-8 in its initial state, or
 * (iconv_t)-1; *KEPT says whether the cache keeps it (else the caller closes
 * it). */
static iconv_t
iconv_to_utf8(const char *charset, gboolean *kept)
{
	GHashTable *cache = g_private_get(&iconv_cache);
	if (!cache) {
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, iconv_cache_close);
		g_private_set(&iconv_cache, cache);
	}
	g_autofree char *key = g_ascii_strdown(charset, -1);
	gpointer cd;
	*kept = TRUE;
	if (g_hash_table_lookup_extended(cache, key, NULL, &cd))
		return (iconv_t)cd;
	iconv_t opened = g_mime_iconv_open("UTF-8", charset);
	*kept = opened != (iconv_t)-1 && g_hash_table_size(cache) < ICONV_CACHE_MAX;
	if (*kept)
		g_hash_table_insert(cache, g_steal_pointer(&key), (gpointer)opened);
	return opened;
}

static const char *const pinned_charsets[] = { "iso-8859-1", "iso-8859-15", "windows-1252",
	                                       "iso-2022-jp" };
static iconv_t pinned[G_N_ELEMENTS(pinned_charsets)]; /* never closed */

void
charset_pin_common(void)
{
	/* GMime opens and closes a conversion for every encoded word of a
	 * header, which the cache above never sees: without one kept open, an
	 * ISO-8859-1 subject loaded and unloaded its module every few messages. */
	for (guint i = 0; i < G_N_ELEMENTS(pinned_charsets); i++)
		pinned[i] = iconv_open("UTF-8", pinned_charsets[i]);
}

/* Converts IN (LEN bytes) from CHARSET to valid UTF-8; NULL when iconv does
 * not know CHARSET or the bytes are not valid in it. */
static char *
convert_strict(const char *charset, const char *in, gsize len)
{
	if (!charset_plausible(charset))
		return NULL;
	gboolean kept;
	iconv_t cd = iconv_to_utf8(charset, &kept);
	if (cd == (iconv_t)-1)
		return NULL;

	GString *out = g_string_sized_new(len + len / 2 + 16);
	char buf[4096];
	char *inp = (char *)in;
	size_t inleft = len;
	gboolean ok = TRUE;

	while (inleft > 0) {
		char *outp = buf;
		size_t outleft = sizeof buf;
		size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
		g_string_append_len(out, buf, outp - buf);
		if (r == (size_t)-1 && errno != E2BIG) {
			ok = FALSE; /* EILSEQ or EINVAL: the bytes are not in CHARSET */
			break;
		}
	}
	if (ok) {
		/* The final shift sequence, for stateful charsets (ISO-2022-JP). */
		char *outp = buf;
		size_t outleft = sizeof buf;
		if (iconv(cd, NULL, NULL, &outp, &outleft) == (size_t)-1)
			ok = FALSE;
		g_string_append_len(out, buf, outp - buf);
	}
	iconv(cd, NULL, NULL, NULL, NULL); /* back to the initial state, for reuse */
	if (!kept)
		g_mime_iconv_close(cd);

	char *result = ok ? utf8_dup_valid(out->str, out->len) : NULL;
	g_string_free(out, TRUE);
	return result;
}

gboolean
charset_is_iso2022jp(const char *charset)
{
	static const char *const names[] = { "iso-2022-jp", "csiso2022jp", NULL };
	return charset_is(charset, names);
}

gboolean
iso2022jp_plain(const char *in, gsize len)
{
	/* iconv passes an escape it does not know (ESC ( I, half-width
	 * kana) through as a control character. */
	g_autofree char *s = convert_strict("ISO-2022-JP", in, len);
	return s && !strchr(s, 0x1B);
}

gboolean
charset_reads(const char *charset, const char *in, gsize len)
{
	g_autofree char *s = convert_strict(charset, in, len);
	return s != NULL;
}

GByteArray *
iso2022jp_as_eucjp_ms(const char *in, gsize len)
{
	enum { ASCII, JIS0208, JIS0212, KANA } set = ASCII;
	GByteArray *out = g_byte_array_sized_new(len);
	const guchar *p = (const guchar *)in, *end = p + len;
	while (p < end) {
		if (*p == 0x1B) {
			static const struct {
				const char *seq;
				int set;
			} escapes[] = { { "(B", ASCII },   { "(J", ASCII },    { "$@", JIS0208 },
				        { "$B", JIS0208 }, { "$(D", JIS0212 }, { "(I", KANA } };
			guint i = 0;
			for (; i < G_N_ELEMENTS(escapes); i++) {
				gsize n = strlen(escapes[i].seq);
				if ((gsize)(end - p - 1) >= n &&
				    memcmp(p + 1, escapes[i].seq, n) == 0)
					break;
			}
			if (i == G_N_ELEMENTS(escapes))
				break;
			set = escapes[i].set;
			p += 1 + strlen(escapes[i].seq);
		} else if (*p >= 0x80) {
			break;
		} else if (*p < 0x21 || *p == 0x7F || set == ASCII) {
			g_byte_array_append(out, p++, 1); /* controls and spaces in any set */
		} else if (set == KANA) {
			if (*p > 0x5F)
				break;
			guchar kana[] = { 0x8E, *p++ | 0x80 };
			g_byte_array_append(out, kana, 2);
		} else {
			if (end - p < 2 || p[1] < 0x21 || p[1] > 0x7E)
				break;
			guchar two[] = { 0x8F, p[0] | 0x80, p[1] | 0x80 };
			if (set == JIS0212)
				g_byte_array_append(out, two, 3);
			else
				g_byte_array_append(out, two + 1, 2);
			p += 2;
		}
	}
	if (p < end) {
		g_byte_array_unref(out);
		return NULL;
	}
	return out;
}

/* Is IN valid UTF-8 apart from NUL bytes (which utf8_dup_valid() drops)? */
static gboolean
utf8_validate_nul_ok(const char *in, gsize len)
{
	const char *end = in + len;
	while (in < end) {
		const char *bad;
		if (g_utf8_validate_len(in, end - in, &bad))
			return TRUE;
		if (*bad != '\0')
			return FALSE;
		in = bad + 1;
	}
	return TRUE;
}

/* Returns IN (LEN bytes in CHARSET, which may be NULL, unknown or a lie) as
 * valid UTF-8; the caller frees it. When the declared charset does not fit
 * the bytes: UTF-8 if they are, else windows-1252 (what undeclared 8-bit mail
 * mostly is), else UTF-8 with U+FFFD for the bad bytes. */
char *
mc_to_utf8(const char *in, gsize len, const char *charset)
{
	static const char *const utf8[] = { "utf-8", "utf8", NULL };
	static const char *const ascii[] = { "us-ascii", "ascii", NULL };
	const char *superset = charset ? charset_superset(charset) : NULL;
	char *s;

	/* Mail labelled ISO-8859-1 is very often windows-1252 (smart quotes,
	 * the euro sign in 0x80-0x9f), EUC-KR CP949...: read as browsers do;
	 * bytes the larger charset does not take, as labelled. */
	if (superset && (s = convert_strict(superset, in, len)))
		return s;
	if (charset && charset_is_iso2022jp(charset) && !iso2022jp_plain(in, len)) {
		g_autoptr(GByteArray) euc = iso2022jp_as_eucjp_ms(in, len);
		if (euc && (s = convert_strict("EUC-JP-MS", (const char *)euc->data, euc->len)))
			return s;
	}
	if (charset && *charset && !charset_is(charset, utf8) && !charset_is(charset, ascii) &&
	    (s = convert_strict(charset, in, len)))
		return s;
	if (utf8_validate_nul_ok(in, len))
		return utf8_dup_valid(in, len);
	if ((s = convert_strict("windows-1252", in, len)))
		return s;
	return utf8_dup_valid(in, len);
}

/* Finds a charset in the first bytes of an HTML document (<meta charset=x>
 * or the http-equiv form); NULL when none. The caller frees it. */
char *
html_sniff_charset(const char *html, gsize len)
{
	g_autofree char *head = g_ascii_strdown(html, MIN(len, HTML_SNIFF_BYTES));
	/* Only a charset inside a <meta> tag counts, not one in the text. */
	for (const char *meta = strstr(head, "<meta"); meta; meta = strstr(meta + 1, "<meta")) {
		const char *close = strchr(meta, '>');
		const char *p = strstr(meta, "charset=");
		if (!p || (close && p > close))
			continue;
		p += strlen("charset=");
		while (*p == '"' || *p == '\'' || *p == ' ')
			p++;
		gsize n = 0;
		while (p[n] && (g_ascii_isalnum(p[n]) || strchr("-_.:", p[n])) && n < 40)
			n++;
		if (n == 0)
			return NULL;
		g_autofree char *charset = g_strndup(p, n);
		/* The bytes were read to find this: a charset that is not ASCII-
		 * compatible cannot be right (browsers read it as UTF-8 too). */
		if (g_str_has_prefix(charset, "utf-16") || g_str_has_prefix(charset, "utf-32") ||
		    g_str_has_prefix(charset, "ucs-") || g_str_has_prefix(charset, "utf-7"))
			return g_strdup("utf-8");
		return g_steal_pointer(&charset);
	}
	return NULL;
}
