/* Raw RFC 5322 bytes to the message model, with GMime.
 *
 * GMime does the MIME work; this file decides what a user means by "the
 * body" and "an attachment", and cleans every string it hands on: hostile
 * mail can carry any bytes, and the index must only ever see valid UTF-8.
 * Its helpers (parse-internal.h): charset.c cleans strings and converts
 * charsets, headers.c reads the header block, rawmail.c checks the raw
 * bytes and hands them to GMime, attachment-rule.c says what each leaf part
 * is (body text, an attachment, both, or neither). */
#include "config.h"

#include "ingest/parse.h"
#include "ingest/parse-internal.h"
#include "common/mimetype.h"
#include "common/sha256.h"
#include "common/utf8.h"

#include <pthread.h>
#include <string.h>

#include <gmime/gmime.h>
#include <xxhash.h>

#include "ingest/base64.h"
#include "ingest/html.h"
#include "ingest/pdf.h"
#include "ingest/source.h"
#include "ingest/tnef.h"

/* clang-format off */
G_DEFINE_QUARK(parse-error-quark, parse_error)
/* clang-format on */

/* GMime 3.2 declares no cleanup functions for its GObjects. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeFilter, g_object_unref)

/* GMime stops at 1024 levels; we stop walking much earlier, since no real
 * mail nests anywhere near this deep. */
#define MAX_DEPTH 64
/* How much of a text attachment is read for each byte of room left in the
 * body: enough even for HTML or UTF-16. */
#define ATTACHMENT_TEXT_RATIO 4

GMimeParserOptions *parser_options;

void
parse_thread_stacks(void)
{
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return;
	/* Failing leaves the default: ingest/rawmail.c's limits still hold. */
	if (pthread_attr_setstacksize(&attr, PARSE_THREAD_STACK) == 0)
		pthread_setattr_default_np(&attr);
	pthread_attr_destroy(&attr);
}

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
		charset_pin_common();
		base64_init();
		g_once_init_leave(&once, 1);
	}
}

/* Message parts. */

/* What is kept of an attachment's decoded bytes as they pass: their count,
 * their hash (common/sha256.h: GMimeFilterChecksum's GLib SHA-256 is a
 * third as fast), and the first bytes, to tell a PDF from a file only
 * named like one. */
struct content_digest {
	struct sha256_stream hash;
	gint64 size;
	char head[PDF_HEADER_WITHIN];
	gsize head_len;
};

static void
digest_update(struct content_digest *d, const void *data, gsize len)
{
	if (len == 0)
		return;
	sha256_stream_update(&d->hash, data, len);
	if (d->head_len < sizeof d->head) {
		gsize n = MIN(len, sizeof d->head - d->head_len);
		memcpy(d->head + d->head_len, data, n);
		d->head_len += n;
	}
	d->size += len;
}

/* A GMime filter that passes bytes through unchanged into a digest. */
typedef struct {
	GMimeFilter parent;
	struct content_digest *digest;
} McDigestFilter;

typedef struct {
	GMimeFilterClass parent_class;
} McDigestFilterClass;

static GType mc_digest_filter_get_type(void);
G_DEFINE_TYPE(McDigestFilter, mc_digest_filter, GMIME_TYPE_FILTER)

static void
mc_digest_filter_filter(GMimeFilter *filter, char *in, size_t len, size_t prespace, char **out,
                        size_t *outlen, size_t *outprespace)
{
	digest_update(((McDigestFilter *)filter)->digest, in, len);
	*out = in;
	*outlen = len;
	*outprespace = prespace;
}

static GMimeFilter *
mc_digest_filter_copy(GMimeFilter *filter)
{
	McDigestFilter *copy = g_object_new(mc_digest_filter_get_type(), NULL);
	copy->digest = ((McDigestFilter *)filter)->digest;
	return GMIME_FILTER(copy);
}

static void
mc_digest_filter_class_init(McDigestFilterClass *klass)
{
	GMimeFilterClass *filter_class = GMIME_FILTER_CLASS(klass);
	filter_class->copy = mc_digest_filter_copy;
	filter_class->filter = mc_digest_filter_filter;
	filter_class->complete = mc_digest_filter_filter;
}

static void
mc_digest_filter_init(McDigestFilter *self)
{
}

/* Base64 content, the bulk of most mail, is decoded by ingest/base64.h
 * (GMime's bytes, in half the time) straight from the message's bytes
 * when GMime holds them in memory, as it does for a parsed message. */
#define DIGEST_STEP (48 * 1024)

static void
digest_base64(struct content_digest *d, GMimeStream *raw)
{
	guchar out[DIGEST_STEP + 3];
	const gsize step = DIGEST_STEP;
	int state = 0;
	guint32 save = 0;

	if (GMIME_IS_STREAM_MEM(raw) && GMIME_STREAM_MEM(raw)->buffer) {
		GByteArray *buffer = GMIME_STREAM_MEM(raw)->buffer;
		gint64 start = CLAMP(raw->bound_start, 0, (gint64)buffer->len);
		gint64 end = raw->bound_end < 0 ? (gint64)buffer->len
		                                : CLAMP(raw->bound_end, start, (gint64)buffer->len);
		for (gint64 at = start; at < end; at += step) {
			gsize n = (gsize)MIN((gint64)step, end - at);
			digest_update(d, out,
			              base64_decode_step(buffer->data + at, n, out, &state, &save));
		}
		return;
	}
	guchar in[DIGEST_STEP];
	g_mime_stream_reset(raw);
	ssize_t n;
	while ((n = g_mime_stream_read(raw, (char *)in, sizeof in)) > 0)
		digest_update(d, out, base64_decode_step(in, (gsize)n, out, &state, &save));
	g_mime_stream_reset(raw);
}

/* Fills D with the decoded (transfer encoding undone) content of PART,
 * streamed: a large attachment is never held in memory. */
static void
digest_content(struct content_digest *d, GMimePart *part)
{
	sha256_stream_init(&d->hash);
	d->size = 0;
	d->head_len = 0;
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (!content)
		return;
	GMimeStream *raw = g_mime_data_wrapper_get_stream(content);
	if (raw && g_mime_data_wrapper_get_encoding(content) == GMIME_CONTENT_ENCODING_BASE64) {
		digest_base64(d, raw);
		return;
	}
	g_autoptr(GMimeStream) null = g_mime_stream_null_new();
	g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new(null);
	g_autoptr(GMimeFilter) filter = g_object_new(mc_digest_filter_get_type(), NULL);
	((McDigestFilter *)filter)->digest = d;
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), filter);
	g_mime_data_wrapper_write_to_stream(content, filtered);
	g_mime_stream_flush(filtered);
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

GByteArray *
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
		g_autofree char *utf8 = mc_to_utf8(data, len, charset ? charset : sniffed);
		g_autofree char *text = html_to_text(utf8, -1);
		return clean_body(text);
	}

	g_autofree char *utf8 = mc_to_utf8(data, len, charset);
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
	struct alt_words alt;     /* words only in HTML alternatives */
	GArray *attachment_texts; /* struct attachment_text */
	/* attachment_source_open(): every leaf that is no body by its path
	 * (path -> GMimePart owned by the message), instead of attachments. */
	GHashTable *leaves;
	/* Inside a multipart/encrypted, a signature part or an S/MIME body:
	 * nothing here is an attachment or body text. */
	gboolean hidden;
	/* The Content-IDs (lower case) the HTML of the enclosing
	 * multipart/related parts refer to by cid: URLs; NULL outside one. */
	GHashTable *cids;
	/* A part whose text walk_alternative() already put into the body. */
	GMimeObject *taken;
	gboolean too_deep; /* a part below MAX_DEPTH was left, and said */
	gboolean too_many; /* a part past MAX_ATTACHMENTS was left, and said */
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

/* Whether the text of attachment A is read: a text/ type, or a file named
 * as text (.txt, .csv, .ics, .md, .vcf: a text/ type of the table for its
 * extension, HTML aside) whatever type the mailer gave it, as Google
 * Calendar's application/ics or a mailer's application/octet-stream. */
static gboolean
attachment_is_text(const struct mc_attachment *a)
{
	if (g_str_has_prefix(a->mime_type, "text/"))
		return TRUE;
	const char *dot = strrchr(a->filename, '.');
	if (!dot || !dot[1])
		return FALSE;
	guint n;
	const struct mimetype *table = mimetype_table(&n);
	for (guint i = 0; i < n; i++)
		if (g_ascii_strcasecmp(dot + 1, table[i].ext) == 0 &&
		    g_str_has_prefix(table[i].type, "text/") &&
		    strcmp(table[i].type, "text/html") != 0)
			return TRUE;
	return FALSE;
}

static void add_attachment(struct walk *w, GMimePart *part, const char *path, gboolean hidden,
                           gboolean with_text);

/* Lists the files of TNEF part PART as attachments "PATH/tnef/N"; returns
 * whether they are all it holds (ingest/tnef.h). */
static gboolean
add_tnef_files(struct walk *w, GMimePart *part, const char *path)
{
	gboolean whole;
	GPtrArray *files = tnef_part_files(part, path, w->pm, &whole);
	for (guint i = 0; files && i < files->len; i++) {
		g_autofree char *p = g_strdup_printf("%s/tnef/%u", path, i + 1);
		add_attachment(w, g_ptr_array_index(files, i), p, FALSE, TRUE);
	}
	return files && whole;
}

/* Records PART as an attachment of the message, HIDDEN when it is none by
 * the rule (listed only with --include-inline); WITH_TEXT when its text (a
 * text or PDF file) is to follow the body, as it is not in it already. */
static void
add_attachment(struct walk *w, GMimePart *part, const char *path, gboolean hidden,
               gboolean with_text)
{
	GMimeObject *obj = GMIME_OBJECT(part);

	if (w->pm->attachments->len >= MAX_ATTACHMENTS) {
		if (!w->too_many)
			parsed_message_add_problem(w->pm, "parts past the first %d not listed",
			                           MAX_ATTACHMENTS);
		w->too_many = TRUE;
		return;
	}

	struct mc_attachment *a = g_new0(struct mc_attachment, 1);
	g_autofree char *type =
	    g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
	g_autofree char *clean_type = clean_line(type);

	a->part = g_strdup(path);
	a->filename = clean_filename(part_filename(part));
	a->mime_type = strchr(clean_type, '/') ? g_utf8_strdown(clean_type, -1)
	                                       : g_strdup("application/octet-stream");
	a->is_inline = hidden;

	struct content_digest d;
	digest_content(&d, part);
	a->size = d.size;
	sha256_stream_finish(&d.hash, a->sha256);
	g_ptr_array_add(w->pm->attachments, a);

	gboolean pdf = pdf_text_supported() && attachment_is_pdf(a) && a->size <= PDF_MAX_BYTES &&
	               pdf_has_header(d.head, d.head_len);
	if (with_text && (pdf || attachment_is_text(a))) {
		struct attachment_text t = { .part = part, .a = a, .pdf = pdf };
		g_array_append_val(w->attachment_texts, t);
	}
	/* Its files replace a TNEF part (winmail.dat) it could read whole:
	 * then it is shown only with --include-inline. A hidden one (inside
	 * an encrypted part, say) is not opened. */
	if (!hidden && tnef_part_is(part, path) && add_tnef_files(w, part, path))
		a->is_inline = TRUE;
}

/* The text of a text/ part (an attachment, an HTML alternative), reading at
 * most MAX bytes of it. */
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

/* The text of PDF attachment A, at most MAX bytes of it (about); what the
 * reader could not read is a problem of PM, and sets *STOPPED. */
static char *
attachment_pdf_text(struct parsed_message *pm, const struct mc_attachment *a, GMimePart *part,
                    gsize max, gboolean *stopped)
{
	const char *name = *a->filename ? a->filename : a->mime_type;
	if (*stopped) {
		parsed_message_add_problem(pm,
		                           "attachment %s (%s): PDF text not read: an earlier PDF "
		                           "of this message stopped the PDF reader",
		                           a->part, name);
		return NULL;
	}
	g_autoptr(GByteArray) bytes = part_bytes(part);
	g_autofree char *problem = NULL;
	g_autofree char *text = pdf_text((const char *)bytes->data, bytes->len, max, &problem);
	if (problem) {
		parsed_message_add_problem(pm, "attachment %s (%s): %s", a->part, name, problem);
		*stopped = TRUE;
	}
	return text ? clean_body(text) : NULL;
}

/* Appends the text of the text and PDF attachments to the body, each after
 * a line naming it ("[notes.txt]"), while the body has room. */
static void
add_attachment_texts(struct walk *w)
{
	/* One PDF that stops its reader (a limit, a crash) is all a message
	 * may cost: a message of many such PDFs would cost each limit again. */
	gboolean pdf_stopped = FALSE;
	for (guint i = 0; i < w->attachment_texts->len && !body_full(w); i++) {
		const struct attachment_text *t =
		    &g_array_index(w->attachment_texts, struct attachment_text, i);
		gsize room = MAX_BODY - w->body->len;
		g_autofree char *text =
		    t->pdf ? attachment_pdf_text(w->pm, t->a, t->part, room, &pdf_stopped)
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

/* The HTML rendering of an alternative: CHILD itself, or the first HTML
 * body part of a multipart (multipart/related) it is. */
static GMimeObject *
html_of(GMimeObject *child)
{
	if (is_body_part(child, "html"))
		return child;
	if (!GMIME_IS_MULTIPART(child) || GMIME_IS_MULTIPART_ENCRYPTED(child))
		return NULL;
	GMimeMultipart *mp = GMIME_MULTIPART(child);
	for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
		if (is_body_part(g_mime_multipart_get_part(mp, i), "html"))
			return g_mime_multipart_get_part(mp, i);
	}
	return NULL;
}

/* The words of the HTML renderings of MP that PLAIN, the text chosen as the
 * body, lacks go to alt_words: found by a search, never shown. Bounded as
 * the body is: the plain text's first MAX_BODY bytes, HTML's first
 * ATTACHMENT_TEXT_RATIO times that. */
static void
add_alt_words(struct walk *w, GMimeMultipart *mp, const char *plain)
{
	struct word_set words = { 0 };
	gsize n = strlen(plain);
	g_autofree char *cut = n > MAX_BODY ? g_strndup(plain, utf8_cut(plain, n, MAX_BODY)) : NULL;
	if (cut)
		plain = cut;
	for (int i = 0; i < g_mime_multipart_get_count(mp) && !alt_words_full(&w->alt); i++) {
		GMimeObject *html = html_of(g_mime_multipart_get_part(mp, i));
		if (!html)
			continue;
		g_autofree char *text =
		    attachment_plain_text(GMIME_PART(html), ATTACHMENT_TEXT_RATIO * MAX_BODY);
		alt_words_add(&w->alt, plain, &words, text);
	}
	word_set_clear(&words);
}

/* Walks OBJ as a part that is no attachment and no body text, nor is
 * anything inside it. */
static void
walk_hidden(struct walk *w, GMimeObject *obj, const char *path, int depth)
{
	gboolean was = w->hidden;
	w->hidden = TRUE;
	walk_object(w, obj, path, depth, FALSE);
	w->hidden = was;
}

/* multipart/alternative: one rendering is the body. Plain text is preferred
 * for searching and snippets, unless it is empty (some mailers send an empty
 * text/plain beside the real HTML); the others are still walked for their
 * attachments (inline images of the HTML), and the words of the HTML that
 * the plain text lacks are kept apart for searching (alt_words). */
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
				add_alt_words(w, mp, text);
				have_plain = TRUE;
				w->taken = child;
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
	int n = g_mime_multipart_get_count(mp);

	/* Nothing in an encrypted part is readable without the key, and neither
	 * of its parts (the version and the payload, encrypted.asc) is a file
	 * the sender attached, whatever its protocol parameter says (GMime
	 * makes every multipart/encrypted a GMimeMultipartEncrypted). */
	if (GMIME_IS_MULTIPART_ENCRYPTED(mp)) {
		for (int i = 0; i < n; i++) {
			g_autofree char *p = child_path(path, i);
			walk_hidden(w, g_mime_multipart_get_part(mp, i), p, depth + 1);
		}
		return;
	}

	/* A boundary that never appears leaves the whole body in the prologue:
	 * it is still the text the sender wrote. */
	const char *prologue = g_mime_multipart_get_prologue(mp);
	if (n == 0) {
		if (body_ok && prologue && !is_blank(prologue)) {
			g_autofree char *text = mc_to_utf8(prologue, strlen(prologue), NULL);
			g_autofree char *clean = clean_body(text);
			add_body(w, clean);
		}
		return;
	}
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(mp));
	if (g_mime_content_type_is_type(ct, "multipart", "alternative")) {
		walk_alternative(w, mp, path, depth, body_ok);
		return;
	}

	/* The parts the HTML of a multipart/related shows by cid: are part of
	 * the message, not attachments. */
	GHashTable *outer = w->cids;
	g_autoptr(GHashTable) cids = NULL;
	if (g_mime_content_type_is_type(ct, "multipart", "related")) {
		cids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		if (outer) {
			GHashTableIter it;
			gpointer key;
			g_hash_table_iter_init(&it, outer);
			while (g_hash_table_iter_next(&it, &key, NULL))
				g_hash_table_add(cids, g_strdup(key));
		}
		related_cids(cids, mp);
		w->cids = cids;
	}
	for (int i = 0; i < n; i++) {
		g_autofree char *p = child_path(path, i);
		GMimeObject *child = g_mime_multipart_get_part(mp, i);
		/* The signature of a signed part, whatever its type. */
		if (GMIME_IS_MULTIPART_SIGNED(mp) && i > 0)
			walk_hidden(w, child, p, depth + 1);
		else
			walk_object(w, child, p, depth + 1, body_ok);
	}
	w->cids = outer;
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
	} else if (is_smime_body(body)) {
		g_autofree char *p = child_path(prefix, 0);
		walk_hidden(w, body, p, depth);
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
	if (!obj)
		return;
	if (depth > MAX_DEPTH) {
		/* Said once: a sender could hide a file from has:attachment. */
		if (w->pm && !w->too_deep)
			parsed_message_add_problem(
			    w->pm, "parts nested over %d levels deep not read", MAX_DEPTH);
		w->too_deep = TRUE;
		return;
	}

	if (GMIME_IS_MULTIPART(obj)) {
		walk_multipart(w, GMIME_MULTIPART(obj), path, depth, body_ok);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		walk_message_part(w, GMIME_MESSAGE_PART(obj), path, depth, body_ok);
	} else if (GMIME_IS_PART(obj)) {
		enum leaf_role role = leaf_role(obj, w->hidden, w->cids);
		/* Text read as the message, in order; a named one is a file too. */
		gboolean read = body_ok && role != LEAF_FILE && role != LEAF_HIDDEN;
		if (read && !body_full(w)) {
			g_autofree char *text = part_text(GMIME_PART(obj));
			add_body(w, text);
		}
		if (role == LEAF_BODY)
			return;
		if (w->leaves) {
			if (!g_hash_table_contains(w->leaves, path))
				g_hash_table_insert(w->leaves, g_strdup(path), obj);
			return;
		}
		gboolean in_body = read || obj == w->taken;
		add_attachment(w, GMIME_PART(obj), path,
		               role == LEAF_HIDDEN || role == LEAF_REPORT_TEXT,
		               role == LEAF_FILE || (role == LEAF_BODY_FILE && !in_body));
	}
}

static char *synthesized_id(const char *data, gsize len);

/* Fills PM from MSG, parsed from DATA (LEN bytes). */
static void
fill_message(struct parsed_message *pm, GMimeMessage *msg, const char *data, gsize len,
             gint64 fallback_date, enum parse_flags flags)
{
	pm->message_id = clean_msgid(g_mime_message_get_message_id(msg));
	if (!pm->message_id) {
		pm->message_id = synthesized_id(data, len);
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
	g_free(pm->automated_why);
	pm->automated_why = automated_signal(pm, msg);
	fill_labels(pm, msg);

	struct walk w = { .pm = pm,
		          .body = g_string_new(NULL),
		          .attachment_texts =
		              g_array_new(FALSE, FALSE, sizeof(struct attachment_text)) };
	alt_words_init(&w.alt);
	walk_message_body(&w, g_mime_message_get_mime_part(msg), "", 0, TRUE);
	/* After the walk, so the message's own text always comes first. */
	add_attachment_texts(&w);
	g_array_free(w.attachment_texts, TRUE);
	g_free(pm->body_text);
	pm->body_text = g_string_free(w.body, FALSE);
	g_free(pm->alt_words);
	pm->alt_words = alt_words_finish(&w.alt);

	if (flags & PARSE_HEADERS)
		fill_headers(pm, msg);
}

/* The message's content is its raw bytes less the Status and X-Status lines
 * an mbox client rewrites when a flag changes: a flag is no edit, and a
 * message without a Message-ID keeps the id made from it. Hands the pieces
 * of DATA that are content to FEED, in order. */
static void
content_pieces(const char *data, gsize len, void (*feed)(void *, const void *, gsize), void *hash)
{
	struct mbox_flag_header h[MBOX_FLAG_HEADERS_MAX];
	guint n = mbox_flag_headers(data, len, h);
	gsize pos = 0;
	for (guint i = 0; i < n; i++) {
		feed(hash, data + pos, h[i].start - pos);
		pos = h[i].end;
	}
	feed(hash, data + pos, len - pos);
}

static void
feed_xxh3(void *state, const void *data, gsize len)
{
	XXH3_128bits_update(state, data, len);
}

static void
feed_sha256(void *stream, const void *data, gsize len)
{
	sha256_stream_update(stream, data, len);
}

/* The content hash, which tells an edited copy from the same message
 * (index/writer.c): XXH3-128, which costs a tenth of SHA-256 over every
 * byte of every message (6 % of an ingest's CPU). No one can choose what
 * another copy of a message hashes to that matters: the first copy read is
 * the message, and an edit is the user's. */
static void
content_hash(const char *data, gsize len, char out[CONTENT_HASH_HEX_SIZE])
{
	XXH3_state_t *state = XXH3_createState();
	if (!state)
		g_error("out of memory");
	XXH3_128bits_reset(state);
	content_pieces(data, len, feed_xxh3, state);
	XXH128_canonical_t digest;
	XXH128_canonicalFromHash(&digest, XXH3_128bits_digest(state));
	XXH3_freeState(state);
	for (guint i = 0; i < CONTENT_HASH_BYTES; i++)
		g_snprintf(out + 2 * i, 3, "%02x", digest.digest[i]);
}

/* The id of a message without a Message-ID: "sha256:" and the SHA-256 of
 * its content, as the ids made before the content hash was XXH3. */
static char *
synthesized_id(const char *data, gsize len)
{
	struct sha256_stream st;
	char hex[SHA256_HEX_SIZE];
	sha256_stream_init(&st);
	content_pieces(data, len, feed_sha256, &st);
	sha256_stream_finish(&st, hex);
	return g_strconcat("sha256:", hex, NULL);
}

/* Says when the Status or X-Status lines of DATA hold letters that are no
 * flag (they are ignored: ingest/mbox.c reads the known ones). */
static void
report_flag_garbage(struct parsed_message *pm, const char *data, gsize len)
{
	struct mbox_flag_header h[MBOX_FLAG_HEADERS_MAX];
	guint n = mbox_flag_headers(data, len, h);
	for (guint i = 0; i < n; i++) {
		const char *known = h[i].x_status ? "AFTD" : "RO";
		for (gsize k = 0; k < h[i].value_len; k++) {
			char c = h[i].value[k];
			if (!strchr(known, c) && !g_ascii_isspace(c)) {
				parsed_message_add_problem(pm, "%s: letters other than %s ignored",
				                           h[i].x_status ? "X-Status" : "Status",
				                           known);
				return;
			}
		}
	}
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
		content_hash(data, len, pm->content_hash);
		fill_message(pm, m.msg, data, len, fallback_date, flags);
		report_flag_garbage(pm, data, len);
		if (m.nul_spaces)
			parsed_message_add_problem(pm,
			                           "NUL bytes in the header block, read as spaces");
	}
	gmime_message_close(&m);
	return pm;
}

struct attachment_source {
	struct gmime_message m;
	GHashTable *leaves; /* path -> GMimePart, owned by m */
};

struct attachment_source *
attachment_source_open(const char *data, gsize len, GError **error)
{
	struct attachment_source *src = g_new0(struct attachment_source, 1);
	if (!gmime_message_open(&src->m, data, len, error)) {
		attachment_source_free(src);
		return NULL;
	}
	/* The same walk that listed the attachments, so the paths agree; once
	 * for all of them (a walk a part made saving 100,000 parts quadratic). */
	src->leaves = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	struct walk w = { .leaves = src->leaves };
	walk_message_body(&w, g_mime_message_get_mime_part(src->m.msg), "", 0, FALSE);
	return src;
}

GBytes *
attachment_source_bytes(struct attachment_source *src, const char *part, GError **error)
{
	/* "2/tnef/1" is the first file of TNEF part 2. */
	guint index;
	g_autofree char *tnef = tnef_outer_path(part, &index);
	GMimePart *found = g_hash_table_lookup(src->leaves, tnef ? tnef : part);
	if (found && tnef) {
		gboolean whole;
		GPtrArray *files =
		    tnef_part_is(found, tnef) ? tnef_part_files(found, tnef, NULL, &whole) : NULL;
		found = files && index < files->len ? g_ptr_array_index(files, index) : NULL;
	}
	if (!found) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
		            "the message has no attachment part %s", part);
		return NULL;
	}
	return g_byte_array_free_to_bytes(part_bytes(found));
}

GBytes *
parse_attachment_bytes(const char *data, gsize len, const char *part, GError **error)
{
	struct attachment_source *src = attachment_source_open(data, len, error);
	if (!src)
		return NULL;
	GBytes *bytes = attachment_source_bytes(src, part, error);
	attachment_source_free(src);
	return bytes;
}

void
attachment_source_free(struct attachment_source *src)
{
	if (!src)
		return;
	g_clear_pointer(&src->leaves, g_hash_table_unref);
	gmime_message_close(&src->m);
	g_free(src);
}
