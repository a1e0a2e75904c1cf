/* Raw RFC 5322 bytes to the message model, with GMime.
 *
 * GMime does the MIME work; this file decides what a user means by "the
 * body" and "an attachment", and cleans every string it hands on: hostile
 * mail can carry any bytes, and the index must only ever see valid UTF-8. */
#include "config.h"

#include "ingest/parse.h"
#include "common/sha256.h"
#include "common/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include <gmime/gmime.h>

#include "ingest/html.h"
#include "ingest/pdf.h"

/* clang-format off */
G_DEFINE_QUARK(parse-error-quark, parse_error)
/* clang-format on */

/* GMime 3.2 declares no cleanup functions for its GObjects. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeFilter, g_object_unref)

/* GMime stops at 1024 levels; we stop walking much earlier, since no real
 * mail nests anywhere near this deep. */
#define MAX_DEPTH 64
/* Bounds what one hostile message can put into the index. */
#define MAX_BODY        (1024 * 1024)
#define MAX_MSGID       512
#define MAX_ATTACHMENTS 1000
#define MAX_REFERENCES  100
/* How far into an HTML part to look for a <meta> charset. */
#define HTML_SNIFF_BYTES 4096
/* How much of a text attachment is read for each byte of room left in the
 * body: enough even for HTML or UTF-16. */
#define ATTACHMENT_TEXT_RATIO 4

static GMimeParserOptions *parser_options;

void
parse_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		/* 8-bit headers in no declared charset are most often UTF-8, then
		 * windows-1252 (which GMime otherwise reads as ISO-8859-1). */
		static const char *fallback[] = { "utf-8", "windows-1252", NULL };

		g_mime_init();
		parser_options = g_mime_parser_options_new();
		g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
		g_mime_parser_options_set_address_compliance_mode(parser_options,
		                                                  GMIME_RFC_COMPLIANCE_LOOSE);
		g_mime_parser_options_set_parameter_compliance_mode(parser_options,
		                                                    GMIME_RFC_COMPLIANCE_LOOSE);
		g_mime_parser_options_set_rfc2047_compliance_mode(parser_options,
		                                                  GMIME_RFC_COMPLIANCE_LOOSE);
		/* Local mail ("To: root") has no domain and is still an address. */
		g_mime_parser_options_set_allow_addresses_without_domain(parser_options, TRUE);
		g_once_init_leave(&once, 1);
	}
}

/* String cleaning. */

/* Returns S (any bytes, may be NULL) as one clean line: valid UTF-8, every
 * run of white space or control characters one space, trimmed. Never NULL. */
static char *
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
		if (space && out->len > 0)
			g_string_append_c(out, ' ');
		space = FALSE;
		g_string_append_unichar(out, c);
	}
	return g_string_free(out, FALSE);
}

/* Returns S (valid UTF-8) as body text: line ends as "\n", control
 * characters other than tab and newline dropped, and byte order marks.
 * Works on bytes, copying runs of good ones: this runs over every body. */
static char *
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
		if (c == '\r' && p[1] != '\n')
			g_string_append_c(out, '\n');
		p += drop;
		run = p;
	}
	g_string_append_len(out, (const char *)run, p - run);
	return g_string_free(out, FALSE);
}

static gboolean
is_blank(const char *s)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p))
		if (!g_unichar_isspace(g_utf8_get_char(p)))
			return FALSE;
	return TRUE;
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

/* Converts IN (LEN bytes) from CHARSET to valid UTF-8; NULL when iconv does
 * not know CHARSET or the bytes are not valid in it. */
/* Whether CHARSET can be a charset name. GMime copies the name onto the
 * stack, so a hostile megabyte-long one must never reach it. */
static gboolean
charset_plausible(const char *charset)
{
	gsize n = 0;
	for (; charset[n]; n++)
		if (n >= 64 || !(g_ascii_isalnum(charset[n]) || strchr("._:+()-", charset[n])))
			return FALSE;
	return n > 0;
}

static char *
convert_strict(const char *charset, const char *in, gsize len)
{
	if (!charset_plausible(charset))
		return NULL;
	iconv_t cd = g_mime_iconv_open("UTF-8", charset);
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
	iconv(cd, NULL, NULL, NULL, NULL); /* GMime caches CD for reuse */
	g_mime_iconv_close(cd);

	char *result = ok ? utf8_dup_valid(out->str, out->len) : NULL;
	g_string_free(out, TRUE);
	return result;
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
static char *
to_utf8(const char *in, gsize len, const char *charset)
{
	static const char *const utf8[] = { "utf-8", "utf8", NULL };
	static const char *const ascii[] = { "us-ascii", "ascii", NULL };
	/* Mail labelled ISO-8859-1 is very often windows-1252 (smart quotes,
	 * the euro sign in 0x80-0x9f): read it as browsers do (WHATWG). */
	static const char *const latin1[] = { "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
		                              "l1",         "cp819",     NULL };
	char *s;

	if (charset && charset_is(charset, latin1) && (s = convert_strict("windows-1252", in, len)))
		return s;
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
static char *
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

/* Message parts. */

/* A GMime filter that passes bytes through unchanged while counting them
 * and hashing them (common/sha256.h: GMimeFilterChecksum's GLib SHA-256 is
 * a third as fast). It also keeps the first bytes, to tell a PDF from a
 * file only named like one. */
typedef struct {
	GMimeFilter parent;
	struct sha256_stream hash;
	gint64 size;
	char head[PDF_HEADER_WITHIN];
	gsize head_len;
} McHashFilter;

typedef struct {
	GMimeFilterClass parent_class;
} McHashFilterClass;

static GType mc_hash_filter_get_type(void);
G_DEFINE_TYPE(McHashFilter, mc_hash_filter, GMIME_TYPE_FILTER)

static void
mc_hash_filter_filter(GMimeFilter *filter, char *in, size_t len, size_t prespace, char **out,
                      size_t *outlen, size_t *outprespace)
{
	McHashFilter *self = (McHashFilter *)filter;
	if (len > 0)
		sha256_stream_update(&self->hash, in, len);
	if (self->head_len < sizeof self->head) {
		gsize n = MIN(len, sizeof self->head - self->head_len);
		memcpy(self->head + self->head_len, in, n);
		self->head_len += n;
	}
	self->size += len;
	*out = in;
	*outlen = len;
	*outprespace = prespace;
}

static void
mc_hash_filter_reset(GMimeFilter *filter)
{
	McHashFilter *self = (McHashFilter *)filter;
	sha256_stream_init(&self->hash);
	self->size = 0;
	self->head_len = 0;
}

static GMimeFilter *
mc_hash_filter_copy(GMimeFilter *filter)
{
	McHashFilter *copy = g_object_new(mc_hash_filter_get_type(), NULL);
	return GMIME_FILTER(copy);
}

static void
mc_hash_filter_class_init(McHashFilterClass *klass)
{
	GMimeFilterClass *filter_class = GMIME_FILTER_CLASS(klass);
	filter_class->copy = mc_hash_filter_copy;
	filter_class->filter = mc_hash_filter_filter;
	filter_class->complete = mc_hash_filter_filter;
	filter_class->reset = mc_hash_filter_reset;
}

static void
mc_hash_filter_init(McHashFilter *self)
{
	sha256_stream_init(&self->hash);
}

/* Returns the decoded (transfer encoding undone) bytes of PART. */
static GByteArray *
part_bytes(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();

	if (content)
		g_mime_data_wrapper_write_to_stream(content, mem);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	return g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
}

/* Returns at most MAX decoded bytes of PART, without decoding the rest;
 * *CUT tells whether there was more. */
static GByteArray *
part_bytes_max(GMimePart *part, gsize max, gboolean *cut)
{
	GByteArray *out = g_byte_array_new();
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *raw = content ? g_mime_data_wrapper_get_stream(content) : NULL;

	*cut = FALSE;
	if (!raw)
		return out;
	g_autoptr(GMimeStream) decoded = g_mime_stream_filter_new(raw);
	GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
	if (encoding == GMIME_CONTENT_ENCODING_BASE64 ||
	    encoding == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
	    encoding == GMIME_CONTENT_ENCODING_UUENCODE) {
		g_autoptr(GMimeFilter) filter = g_mime_filter_basic_new(encoding, FALSE);
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(decoded), filter);
	}
	g_mime_stream_reset(raw);
	char buf[4096];
	while (out->len < max) {
		ssize_t n = g_mime_stream_read(decoded, buf, MIN(sizeof buf, max - out->len));
		if (n <= 0)
			break;
		g_byte_array_append(out, (const guint8 *)buf, n);
	}
	if (out->len >= max)
		*cut = g_mime_stream_read(decoded, buf, 1) > 0;
	g_mime_stream_reset(raw);
	return out;
}

/* Undoes format=flowed (RFC 3676): soft line breaks joined back into the
 * paragraphs they came from, space-stuffing removed. */
static char *
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

static gboolean
param_is(GMimeObject *obj, const char *name, const char *value)
{
	const char *v = g_mime_object_get_content_type_parameter(obj, name);
	return v && g_ascii_strcasecmp(v, value) == 0;
}

static gboolean
is_html(GMimeObject *obj)
{
	return g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "html");
}

/* Returns the readable text of DATA (LEN decoded bytes of the text part
 * OBJ) as clean UTF-8: HTML turned into text, format=flowed joined, any other
 * text/<x> as it is. */
static char *
text_of_bytes(GMimeObject *obj, const char *data, gsize len)
{
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");

	if (len == 0)
		return g_strdup("");
	if (is_html(obj)) {
		g_autofree char *sniffed = charset ? NULL : html_sniff_charset(data, len);
		g_autofree char *utf8 = to_utf8(data, len, charset ? charset : sniffed);
		g_autofree char *text = html_to_text(utf8, -1);
		return clean_body(text);
	}

	g_autofree char *utf8 = to_utf8(data, len, charset);
	char *text = clean_body(utf8);
	if (param_is(obj, "format", "flowed")) {
		char *joined = unflow(text, param_is(obj, "delsp", "yes"));
		g_free(text);
		text = joined;
	}
	return text;
}

static char *
part_text(GMimePart *part)
{
	g_autoptr(GByteArray) bytes = part_bytes(part);
	return text_of_bytes(GMIME_OBJECT(part), (const char *)bytes->data, bytes->len);
}

static gboolean
disposition_is(GMimeObject *obj, const char *value)
{
	const char *d = g_mime_object_get_disposition(obj);
	return d && g_ascii_strcasecmp(d, value) == 0;
}

/* A part meant to be read as the message: text/SUBTYPE (any text/ when
 * SUBTYPE is "*"), not marked as an attachment, without a file name. */
static gboolean
is_body_part(GMimeObject *obj, const char *subtype)
{
	if (!GMIME_IS_PART(obj) || GMIME_IS_MESSAGE_PARTIAL(obj))
		return FALSE;
	if (!g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", subtype))
		return FALSE;
	const char *filename = g_mime_part_get_filename(GMIME_PART(obj));
	return !disposition_is(obj, "attachment") && !(filename && *filename);
}

/* Returns the last path component of a file name: a name is never a path. */
static char *
clean_filename(const char *name)
{
	g_autofree char *line = clean_line(name);
	const char *base = line;
	for (const char *p = line; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	g_autofree char *trimmed = g_strstrip(g_strdup(base));
	if (strcmp(trimmed, ".") == 0 || strcmp(trimmed, "..") == 0)
		return g_strdup("");
	return g_steal_pointer(&trimmed);
}

/* An attachment whose text joins the body after the message's own text. */
struct attachment_text {
	GMimePart *part;               /* owned by the message being parsed */
	const struct mc_attachment *a; /* owned by pm->attachments */
	gboolean pdf;
};

struct walk {
	struct parsed_message *pm;
	GString *body;
	GArray *attachment_texts; /* struct attachment_text */
	const char *want;         /* parse_attachment_bytes(): the path of the part looked for */
	GMimePart *found;         /* ... and that part, once found (owned by the message) */
};

static void walk_object(struct walk *w, GMimeObject *obj, const char *path, int depth,
                        gboolean body_ok);

static char *
child_path(const char *path, int index)
{
	return *path ? g_strdup_printf("%s.%d", path, index + 1) : g_strdup_printf("%d", index + 1);
}

static gboolean
body_full(const struct walk *w)
{
	return w->body->len >= MAX_BODY;
}

/* Appends a piece of body text, a blank line apart from the one before, up
 * to MAX_BODY bytes in all. */
static void
add_body(struct walk *w, const char *text)
{
	while (*text == '\n')
		text++;
	gsize n = strlen(text);
	while (n > 0 && g_ascii_isspace(text[n - 1]))
		n--;
	if (n == 0 || body_full(w))
		return;
	if (w->body->len > 0)
		g_string_append(w->body, "\n\n");
	if (body_full(w))
		return;
	g_string_append_len(w->body, text, utf8_cut(text, n, MAX_BODY - w->body->len));
}

static gboolean
attachment_is_pdf(const struct mc_attachment *a)
{
	if (strcmp(a->mime_type, "application/pdf") == 0)
		return TRUE;
	gsize n = strlen(a->filename);
	return strcmp(a->mime_type, "application/octet-stream") == 0 && n >= 4 &&
	       g_ascii_strcasecmp(a->filename + n - 4, ".pdf") == 0;
}

static void
add_attachment(struct walk *w, GMimePart *part, const char *path)
{
	GMimeObject *obj = GMIME_OBJECT(part);

	if (w->pm->attachments->len >= MAX_ATTACHMENTS)
		return;

	struct mc_attachment *a = g_new0(struct mc_attachment, 1);
	g_autofree char *type =
	    g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
	g_autofree char *clean_type = clean_line(type);

	a->part = g_strdup(path);
	a->filename = clean_filename(g_mime_part_get_filename(part));
	a->mime_type = strchr(clean_type, '/') ? g_utf8_strdown(clean_type, -1)
	                                       : g_strdup("application/octet-stream");
	const char *cid = g_mime_object_get_content_id(obj);
	a->is_inline =
	    disposition_is(obj, "inline") || (cid && *cid && !disposition_is(obj, "attachment"));

	/* Streamed through the hash into a null stream: a large attachment is
	 * never held in memory. */
	g_autoptr(GMimeStream) null = g_mime_stream_null_new();
	g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new(null);
	g_autoptr(GMimeFilter) hash = g_object_new(mc_hash_filter_get_type(), NULL);
	McHashFilter *h = (McHashFilter *)hash;
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), hash);
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (content)
		g_mime_data_wrapper_write_to_stream(content, filtered);
	g_mime_stream_flush(filtered);

	a->size = GMIME_STREAM_NULL(null)->written;
	sha256_stream_finish(&h->hash, a->sha256);
	g_ptr_array_add(w->pm->attachments, a);

	gboolean pdf = pdf_text_supported() && attachment_is_pdf(a) && a->size <= PDF_MAX_BYTES &&
	               pdf_has_header(h->head, h->head_len);
	if (pdf || g_str_has_prefix(a->mime_type, "text/")) {
		struct attachment_text t = { .part = part, .a = a, .pdf = pdf };
		g_array_append_val(w->attachment_texts, t);
	}
}

/* The text of a text/ attachment, reading at most MAX bytes of it. */
static char *
attachment_plain_text(GMimePart *part, gsize max)
{
	gboolean cut;
	g_autoptr(GByteArray) bytes = part_bytes_max(part, max, &cut);
	gsize len = bytes->len;
	if (cut) {
		/* End on a line, or at least not inside a UTF-8 character: a
		 * broken one at the end would make the whole text read as
		 * windows-1252. */
		const guint8 *nl = memrchr(bytes->data, '\n', len);
		if (nl) {
			len = nl - bytes->data;
		} else if (len > 0 && bytes->data[len - 1] >= 0x80) {
			/* The last character may be cut: leave it out. */
			len = utf8_cut((const char *)bytes->data, len, len - 1);
		}
	}
	return text_of_bytes(GMIME_OBJECT(part), (const char *)bytes->data, len);
}

/* The text of a PDF attachment, at most MAX bytes of it (about). */
static char *
attachment_pdf_text(GMimePart *part, gsize max)
{
	g_autoptr(GByteArray) bytes = part_bytes(part);
	g_autofree char *text = pdf_text((const char *)bytes->data, bytes->len, max);
	return text ? clean_body(text) : NULL;
}

/* Appends the text of the text and PDF attachments to the body, each after
 * a line naming it ("[notes.txt]"), while the body has room. */
static void
add_attachment_texts(struct walk *w)
{
	for (guint i = 0; i < w->attachment_texts->len && !body_full(w); i++) {
		const struct attachment_text *t =
		    &g_array_index(w->attachment_texts, struct attachment_text, i);
		gsize room = MAX_BODY - w->body->len;
		g_autofree char *text =
		    t->pdf ? attachment_pdf_text(t->part, room)
		           : attachment_plain_text(t->part, ATTACHMENT_TEXT_RATIO * room);
		if (!text || is_blank(text))
			continue;
		const char *start = text;
		while (*start == '\n')
			start++;
		const char *name = *t->a->filename ? t->a->filename : t->a->mime_type;
		g_autofree char *piece = g_strdup_printf("[%s]\n%s", name, start);
		add_body(w, piece);
	}
}

/* multipart/alternative: one rendering is the body. Plain text is preferred
 * for searching and snippets, unless it is empty (some mailers send an empty
 * text/plain beside the real HTML); the others are still walked for their
 * attachments (inline images of the HTML). */
static void
walk_alternative(struct walk *w, GMimeMultipart *mp, const char *path, int depth, gboolean body_ok)
{
	int n = g_mime_multipart_get_count(mp);
	int rich = -1; /* the child walked as the body */

	if (body_ok && !body_full(w)) {
		gboolean have_plain = FALSE;
		for (int i = 0; i < n && !have_plain; i++) {
			GMimeObject *child = g_mime_multipart_get_part(mp, i);
			if (!is_body_part(child, "plain"))
				continue;
			g_autofree char *text = part_text(GMIME_PART(child));
			if (!is_blank(text)) {
				add_body(w, text);
				have_plain = TRUE;
			}
		}
		for (int i = 0; i < n && !have_plain && rich < 0; i++) {
			if (is_body_part(g_mime_multipart_get_part(mp, i), "html"))
				rich = i;
		}
		for (int i = 0; i < n && !have_plain && rich < 0; i++) {
			if (GMIME_IS_MULTIPART(g_mime_multipart_get_part(mp, i)))
				rich = i;
		}
	}
	for (int i = 0; i < n; i++) {
		g_autofree char *p = child_path(path, i);
		walk_object(w, g_mime_multipart_get_part(mp, i), p, depth + 1, i == rich);
	}
}

static void
walk_multipart(struct walk *w, GMimeMultipart *mp, const char *path, int depth, gboolean body_ok)
{
	/* Nothing in an encrypted part is readable without the key. */
	if (GMIME_IS_MULTIPART_ENCRYPTED(mp))
		return;

	int n = g_mime_multipart_get_count(mp);
	/* The signature of a signed part is not something the user attached. */
	if (GMIME_IS_MULTIPART_SIGNED(mp))
		n = MIN(n, 1);

	/* A boundary that never appears leaves the whole body in the prologue:
	 * it is still the text the sender wrote. */
	const char *prologue = g_mime_multipart_get_prologue(mp);
	if (n == 0) {
		if (body_ok && prologue && !is_blank(prologue)) {
			g_autofree char *text = to_utf8(prologue, strlen(prologue), NULL);
			g_autofree char *clean = clean_body(text);
			add_body(w, clean);
		}
		return;
	}
	if (g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(mp)),
	                                "multipart", "alternative")) {
		walk_alternative(w, mp, path, depth, body_ok);
		return;
	}
	for (int i = 0; i < n; i++) {
		g_autofree char *p = child_path(path, i);
		walk_object(w, g_mime_multipart_get_part(mp, i), p, depth + 1, body_ok);
	}
}

/* Walks the body of a message whose parts are numbered under PREFIX ("" for
 * the top): a multipart's children are PREFIX.1, PREFIX.2, ...; a single
 * part is PREFIX.1, as IMAP numbers them. */
static void
walk_message_body(struct walk *w, GMimeObject *body, const char *prefix, int depth,
                  gboolean body_ok)
{
	if (!body)
		return;
	if (GMIME_IS_MULTIPART(body)) {
		walk_multipart(w, GMIME_MULTIPART(body), prefix, depth, body_ok);
	} else {
		g_autofree char *p = child_path(prefix, 0);
		walk_object(w, body, p, depth, body_ok);
	}
}

/* A forwarded message: its main header lines and its text go into the body
 * (they are what the reader sees), its attachments into the list. */
static void
walk_message_part(struct walk *w, GMimeMessagePart *part, const char *path, int depth,
                  gboolean body_ok)
{
	GMimeMessage *inner = g_mime_message_part_get_message(part);
	if (!inner)
		return;

	if (body_ok && !body_full(w)) {
		static const char *const shown[] = { "From", "To", "Subject", "Date" };
		GString *head = g_string_new(NULL);
		for (guint i = 0; i < G_N_ELEMENTS(shown); i++) {
			const char *v = g_mime_object_get_header(GMIME_OBJECT(inner), shown[i]);
			if (!v)
				continue;
			g_autofree char *clean = clean_line(v);
			g_string_append_printf(head, "%s: %s\n", shown[i], clean);
		}
		add_body(w, head->str);
		g_string_free(head, TRUE);
	}
	walk_message_body(w, g_mime_message_get_mime_part(inner), path, depth + 1, body_ok);
}

static void
walk_object(struct walk *w, GMimeObject *obj, const char *path, int depth, gboolean body_ok)
{
	if (!obj || depth > MAX_DEPTH)
		return;

	if (GMIME_IS_MULTIPART(obj)) {
		walk_multipart(w, GMIME_MULTIPART(obj), path, depth, body_ok);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		walk_message_part(w, GMIME_MESSAGE_PART(obj), path, depth, body_ok);
	} else if (GMIME_IS_PART(obj)) {
		if (!is_body_part(obj, "*")) {
			if (!w->want)
				add_attachment(w, GMIME_PART(obj), path);
			else if (!w->found && g_str_equal(path, w->want))
				w->found = GMIME_PART(obj);
		} else if (body_ok && !body_full(w)) {
			g_autofree char *text = part_text(GMIME_PART(obj));
			add_body(w, text);
		}
	}
}

/* Headers. */

/* Returns the bare Message-ID S (from GMime) cleaned and cut to MAX_MSGID
 * bytes, or NULL when there is none. */
static char *
clean_msgid(const char *s)
{
	if (!s)
		return NULL;
	char *id = clean_line(s);
	if (!*id) {
		g_free(id);
		return NULL;
	}
	id[utf8_cut(id, strlen(id), MAX_MSGID)] = '\0';
	return id;
}

/* Returns the Message-IDs of header NAME, or NULL when it has none. */
static GMimeReferences *
header_references(GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	if (!v)
		return NULL;
	GMimeReferences *refs = g_mime_references_parse(parser_options, v);
	if (refs && g_mime_references_length(refs) == 0) {
		g_mime_references_free(refs);
		return NULL;
	}
	return refs;
}

static void
fill_references(struct parsed_message *pm, GMimeMessage *msg)
{
	GMimeReferences *irt = header_references(msg, "In-Reply-To");
	if (irt) {
		g_autofree char *id = clean_msgid(g_mime_references_get_message_id(irt, 0));
		if (id && strcmp(id, pm->message_id) != 0)
			pm->in_reply_to = g_steal_pointer(&id);
		g_mime_references_free(irt);
	}

	GMimeReferences *refs = header_references(msg, "References");
	if (!refs)
		return;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	int n = g_mime_references_length(refs);
	for (int i = 0; i < n; i++) {
		char *id = clean_msgid(g_mime_references_get_message_id(refs, i));
		/* A message in its own References would make a loop in its thread. */
		if (!id || strcmp(id, pm->message_id) == 0 || g_hash_table_contains(seen, id)) {
			g_free(id);
			continue;
		}
		g_hash_table_add(seen, id);
		g_ptr_array_add(ids, id);
	}
	g_mime_references_free(refs);

	/* Past the cap, keep the thread's root and the nearest ancestors: those
	 * are the ones threading needs. */
	for (guint i = 0; i < ids->len; i++) {
		if (i == 0 || i + (MAX_REFERENCES - 1) >= ids->len)
			g_ptr_array_add(pm->references, g_strdup(g_ptr_array_index(ids, i)));
	}
}

/* Adds the mailboxes of LIST with ROLE, groups flattened; SEEN holds
 * "role:address" keys so an address repeated in a role is listed once. */
static void
add_addresses(struct parsed_message *pm, GHashTable *seen, enum mc_role role,
              InternetAddressList *list, int depth)
{
	if (!list || depth > 2)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			add_addresses(pm, seen, role, members, depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;

		g_autofree char *raw =
		    clean_line(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
		g_autofree char *address = g_utf8_strdown(raw, -1);
		if (!*address)
			continue;
		char *key = g_strdup_printf("%d:%s", role, address);
		if (!g_hash_table_add(seen, key))
			continue;

		struct mc_address *a = g_new0(struct mc_address, 1);
		a->role = role;
		a->name = clean_line(internet_address_get_name(ia));
		gsize nl = strlen(a->name);
		/* Outlook quotes names with apostrophes: 'Bob Smith' <bob@...>. */
		if (nl >= 2 && a->name[0] == '\'' && a->name[nl - 1] == '\'') {
			char *unquoted = g_strstrip(g_strndup(a->name + 1, nl - 2));
			g_free(a->name);
			a->name = unquoted;
		}
		const char *at = strrchr(address, '@');
		a->domain = g_strdup(at ? at + 1 : "");
		a->address = g_steal_pointer(&address);
		g_ptr_array_add(pm->addresses, a);
	}
}

/* Returns the date of the newest Received header (the one added last, on
 * delivery), or NULL. The caller unrefs it. */
static GDateTime *
received_date(GMimeMessage *msg)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int n = g_mime_header_list_get_count(headers);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Received") != 0)
			continue;
		const char *v = g_mime_header_get_value(h);
		const char *semi = v ? strrchr(v, ';') : NULL;
		if (semi)
			return g_mime_utils_header_decode_date(semi + 1);
		return NULL;
	}
	return NULL;
}

static gint64
message_date(GMimeMessage *msg, gint64 fallback)
{
	/* Some clients send the epoch for "no date"; only Received can help. */
	GDateTime *date = g_mime_message_get_date(msg);
	if (date && g_date_time_to_unix(date) > 0)
		return g_date_time_to_unix(date);

	GDateTime *received = received_date(msg);
	if (received) {
		gint64 t = g_date_time_to_unix(received);
		g_date_time_unref(received);
		if (t > 0)
			return t;
	}
	return date ? g_date_time_to_unix(date) : fallback;
}

static gint
header_offset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(*(GMimeHeader **)a);
	gint64 y = g_mime_header_get_offset(*(GMimeHeader **)b);
	return x < y ? -1 : x > y;
}

static void
collect_headers(GPtrArray *out, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(list);
	for (int i = 0; i < n; i++)
		g_ptr_array_add(out, g_mime_header_list_get_header_at(list, i));
}

/* The message's header block as written: GMime keeps the Content-* headers
 * on the top MIME part, so both lists are merged back in file order. */
static void
fill_headers(struct parsed_message *pm, GMimeMessage *msg)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	collect_headers(all, GMIME_OBJECT(msg));
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	if (body)
		collect_headers(all, body);
	/* A stable sort, so equal offsets keep their order. */
	g_ptr_array_sort(all, header_offset_cmp);

	pm->headers = parsed_message_new_headers();
	for (guint i = 0; i < all->len; i++) {
		GMimeHeader *h = g_ptr_array_index(all, i);
		struct mc_header *mh = g_new0(struct mc_header, 1);
		mh->name = clean_line(g_mime_header_get_name(h));
		mh->value = clean_line(g_mime_header_get_value(h));
		g_ptr_array_add(pm->headers, mh);
	}
}

/* Not mail. */

/* A file is mail when its header block names at least one of these. */
static const char *const mail_headers[] = {
	"from", "to", "cc", "subject", "date", "message-id", "received",
};

/* Returns the offset of the header block: after a UTF-8 byte order mark and
 * an mbox "From " line, which GMime would otherwise take for the body. */
static gsize
header_start(const char *data, gsize len)
{
	gsize off = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	if (len - off >= 5 && memcmp(data + off, "From ", 5) == 0) {
		const char *nl = memchr(data + off, '\n', len - off);
		off = nl ? (gsize)(nl - data) + 1 : len;
	}
	return off;
}

/* Checks that DATA starts with a header block ("Name: value" lines up to an
 * empty line) naming at least one mail header; sets ERROR saying why not. */
static gboolean
check_mail(const char *data, gsize len, GError **error)
{
	const char *p = data, *end = data + len;
	gboolean first = TRUE, known = FALSE;

	if (len == 0) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
		            "not mail: the file is empty");
		return FALSE;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		if (memchr(p, '\0', eol - p)) {
			g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
			            "not mail: NUL byte in the header block");
			return FALSE;
		}
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p)
			break; /* the empty line that ends the headers */
		if (*p == ' ' || *p == '\t') {
			if (first)
				break;
			p = next;
			continue; /* a folded continuation */
		}

		const char *q = p;
		while (q<eol && * q> ' ' && *q < 127 && *q != ':')
			q++;
		gsize name_len = q - p;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (name_len == 0 || q >= eol || *q != ':')
			break; /* GMime ends the headers at a line that is not one */
		for (guint i = 0; i < G_N_ELEMENTS(mail_headers) && !known; i++) {
			known = name_len == strlen(mail_headers[i]) &&
			        g_ascii_strncasecmp(p, mail_headers[i], name_len) == 0;
		}
		first = FALSE;
		p = next;
	}
	if (first) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
		            "not mail: it does not start with a header line");
		return FALSE;
	}
	if (!known) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
		            "not mail: no From, To, Cc, Subject, Date, Message-ID or Received "
		            "header");
		return FALSE;
	}
	return TRUE;
}

/* GMime copies the charset name of an encoded word (=?NAME?Q?...?=) and of
 * an RFC 2231 parameter (NAME''...) onto the stack while it parses, so a
 * hostile one of megabytes overflows it. Such a message is refused before
 * GMime sees it. Charset names are short; anything near the limit is not one. */
#define CHARSET_NAME_MAX 256

/* Returns whether the run at Q (up to END) is longer than a charset name. */
static gboolean
charset_run_too_long(const char *q, const char *end)
{
	const char *name = q;
	while (q < end && q - name <= CHARSET_NAME_MAX && *q != '?' && *q != '\'' &&
	       !g_ascii_isspace(*q) && *q != ';' && *q != '"')
		q++;
	return q - name > CHARSET_NAME_MAX;
}

static gboolean
check_charset_names(const char *data, gsize len, GError **error)
{
	const char *end = data + len;
	/* memchr for the rare '?' and '*' keeps this off the per-byte path:
	 * base64 bodies, the bulk of mail, contain neither. */
	for (const char *p = data; (p = memchr(p, '?', end - p)); p++) {
		if (p > data && p[-1] == '=' && charset_run_too_long(p + 1, end))
			goto refuse;
	}
	for (const char *p = data; (p = memchr(p, '*', end - p)); p++) {
		if (p + 1 < end && p[1] == '=' &&
		    charset_run_too_long(p + 2 + (p + 2 < end && p[2] == '"'), end))
			goto refuse;
	}
	return TRUE;
refuse:
	g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
	            "an encoded word or parameter names a charset longer than %d bytes",
	            CHARSET_NAME_MAX);
	return FALSE;
}

/* Returns a stream that reads DATA in place: GMime's own constructor would
 * copy it. The caller unrefs the stream before DATA goes away and then
 * calls stream_release(). */
static GMimeStream *
stream_borrow(const char *data, gsize len, GByteArray **array)
{
	/* The array only lends its header to DATA; it is never written to and
	 * stream_release() takes DATA back before the array is freed. */
	*array = g_byte_array_new_take((guint8 *)data, len);
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(*array);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	return stream;
}

static void
stream_release(GByteArray *array)
{
	gsize len;
	g_byte_array_steal(array, &len);
	g_byte_array_unref(array);
}

static void
fill_message(struct parsed_message *pm, GMimeMessage *msg, gint64 fallback_date,
             enum parse_flags flags)
{
	pm->message_id = clean_msgid(g_mime_message_get_message_id(msg));
	if (!pm->message_id) {
		pm->message_id = g_strconcat("sha256:", pm->content_hash, NULL);
		pm->message_id_synthesized = TRUE;
	}

	pm->date = message_date(msg, fallback_date);
	g_free(pm->subject);
	pm->subject = clean_line(g_mime_message_get_subject(msg));
	fill_references(pm, msg);

	static const struct {
		GMimeAddressType type;
		enum mc_role role;
	} roles[] = {
		{ GMIME_ADDRESS_TYPE_FROM, MC_ROLE_FROM },
		{ GMIME_ADDRESS_TYPE_TO, MC_ROLE_TO },
		{ GMIME_ADDRESS_TYPE_CC, MC_ROLE_CC },
		{ GMIME_ADDRESS_TYPE_BCC, MC_ROLE_BCC },
		{ GMIME_ADDRESS_TYPE_REPLY_TO, MC_ROLE_REPLY_TO },
	};
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(roles); i++)
		add_addresses(pm, seen, roles[i].role,
		              g_mime_message_get_addresses(msg, roles[i].type), 0);

	struct walk w = { .pm = pm,
		          .body = g_string_new(NULL),
		          .attachment_texts =
		              g_array_new(FALSE, FALSE, sizeof(struct attachment_text)) };
	walk_message_body(&w, g_mime_message_get_mime_part(msg), "", 0, TRUE);
	/* After the walk, so the message's own text always comes first. */
	add_attachment_texts(&w);
	g_array_free(w.attachment_texts, TRUE);
	g_free(pm->body_text);
	pm->body_text = g_string_free(w.body, FALSE);

	if (flags & PARSE_HEADERS)
		fill_headers(pm, msg);
}

/* A message GMime is reading in place from the caller's bytes. */
struct gmime_message {
	GByteArray *array;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
};

/* Checks that DATA (LEN bytes) is mail GMime can safely read and parses it
 * into M. FALSE and ERROR otherwise; gmime_message_close() M either way. */
static gboolean
gmime_message_open(struct gmime_message *m, const char *data, gsize len, GError **error)
{
	parse_init();
	if (!data || len == 0) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
		            "not mail: the file is empty");
		return FALSE;
	}
	gsize start = header_start(data, len);
	if (!check_mail(data + start, len - start, error))
		return FALSE;
	if (len - start > G_MAXUINT) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
		            "message too large to parse (%" G_GSIZE_FORMAT " bytes)", len);
		return FALSE;
	}
	if (!check_charset_names(data + start, len - start, error))
		return FALSE;

	m->stream = stream_borrow(data + start, len - start, &m->array);
	m->parser = g_mime_parser_new_with_stream(m->stream);
	g_mime_parser_set_format(m->parser, GMIME_FORMAT_MESSAGE);
	m->msg = g_mime_parser_construct_message(m->parser, parser_options);
	if (!m->msg) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
		            "GMime could not parse the message");
		return FALSE;
	}
	return TRUE;
}

static void
gmime_message_close(struct gmime_message *m)
{
	/* The message's parts may still read from the stream: both go first. */
	g_clear_object(&m->msg);
	g_clear_object(&m->parser);
	g_clear_object(&m->stream);
	if (m->array)
		stream_release(m->array);
	m->array = NULL;
}

struct parsed_message *
parse_message(const char *data, gsize len, gint64 fallback_date, enum parse_flags flags,
              GError **error)
{
	struct gmime_message m = { 0 };
	struct parsed_message *pm = NULL;
	if (gmime_message_open(&m, data, len, error)) {
		pm = parsed_message_new();
		pm->size = len;
		sha256_hex(data, len, pm->content_hash);
		fill_message(pm, m.msg, fallback_date, flags);
	}
	gmime_message_close(&m);
	return pm;
}

GBytes *
parse_attachment_bytes(const char *data, gsize len, const char *part, GError **error)
{
	struct gmime_message m = { 0 };
	GBytes *bytes = NULL;
	if (gmime_message_open(&m, data, len, error)) {
		/* The same walk that listed the attachments, so the paths agree. */
		struct walk w = { .want = part };
		walk_message_body(&w, g_mime_message_get_mime_part(m.msg), "", 0, FALSE);
		if (w.found)
			bytes = g_byte_array_free_to_bytes(part_bytes(w.found));
		else
			g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
			            "the message has no attachment part %s", part);
	}
	gmime_message_close(&m);
	return bytes;
}
