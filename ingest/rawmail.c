/* Raw mail into GMime: the checks made before GMime sees the bytes, then the parse in place. */
#include "config.h"

#include "ingest/parse.h"
#include "ingest/parse-internal.h"

#include <string.h>

#include <gmime/gmime.h>

/* Not mail. */

/* A file is mail when its header block names at least one of these. */
static const char *const mail_headers[] = {
	"from", "to", "cc", "subject", "date", "message-id", "received",
};

/* Returns the length of the header block at DATA (LEN bytes): up to its
 * empty line, or all of it. */
static gsize
header_block_len(const char *data, gsize len)
{
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		if (!nl)
			return len;
		if (nl == p || (nl == p + 1 && *p == '\r'))
			return p - data;
		p = nl + 1;
	}
	return len;
}

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
	/* Old Mac line ends: the whole header block would read as one line
	 * (From: the rest of the message), the text indexed under no word.
	 * Two lone CRs in one of the first two lines, the first starting with
	 * a header name, say so (the first may end in LF: a delivery agent's
	 * line on top); one stray CR does not. */
	const char *name_end = p;
	while (name_end < end && (g_ascii_isalnum(*name_end) || *name_end == '-'))
		name_end++;
	if (name_end > p && name_end < end && *name_end == ':') {
		guint lone = 0;
		const char *line = p;
		for (int n = 0; n < 2 && line < end && lone < 2; n++) {
			const char *line_end = memchr(line, '\n', end - line);
			line_end = line_end ? line_end : end;
			lone = 0;
			for (const char *cr = line;
			     lone < 2 && (cr = memchr(cr, '\r', line_end - cr)); cr++)
				lone += cr + 1 < line_end && cr[1] != '\r';
			if (line_end == end)
				break;
			line = line_end + 1;
		}
		if (lone == 2) {
			g_set_error_literal(
			    error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
			    "not mail as mailclerk reads it: " PARSE_CR_ONLY_REASON);
			return FALSE;
		}
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
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

/* GMime copies some header text onto the stack while it parses: the
 * charset name of an encoded word (=?NAME?Q?...?=) and of an RFC 2231
 * parameter (NAME''...), and it does so after taking out quotes, escapes,
 * comments and folds and reading 8-bit bytes as windows-1252, so which
 * bytes become a name cannot be told from the field as written (guards
 * that tried were got round, and refused ordinary mail). What can be told:
 * no copy is longer than its field. So a field longer than
 * HEADER_FIELD_MAX is refused, and parsing threads run on stacks of
 * PARSE_THREAD_STACK (parse_thread_stacks()), where a few such copies are
 * nothing. Real mail's longest fields, a To of thousands of people or the
 * References of a thread that never ends, are up to a megabyte or so
 * (tests/corpus has a 1.1 MB References; Postfix keeps at most 100 KB of
 * a whole header). */
#define HEADER_FIELD_MAX (4 * 1024 * 1024)

/* GMime holds every part and header field of a message as objects of a
 * few hundred bytes: a million empty parts in 7 MB took 1.2 GB. Real mail
 * has dozens; a digest a few hundred. */
#define MESSAGE_PARTS_MAX  10000
#define MESSAGE_FIELDS_MAX 100000

/* Checks the length of every field of the header block DATA (LEN bytes):
 * from its name to the newline not followed by a space or tab; adds how
 * many there are to *FIELDS. */
static gboolean
check_field_sizes(const char *data, gsize len, guint *fields, GError **error)
{
	const char *end = data + len;
	const char *field = data;
	for (const char *p = data; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		const char *next = nl ? nl + 1 : end;
		if (!nl || ends_field(nl, end)) {
			/* Its length without the line end. */
			gsize length = (nl ? nl : end) - field;
			if (length > 0 && nl && nl[-1] == '\r')
				length--;
			if (length > HEADER_FIELD_MAX) {
				/* Named when the name is one (printable, before a colon). */
				const char *colon = memchr(field, ':', MIN(length, 80));
				int name = colon ? (int)(colon - field) : 0;
				for (int i = 0; i < name; i++)
					if (!g_ascii_isgraph(field[i]))
						name = 0;
				g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
				            "%s%.*s header field is %" G_GSIZE_FORMAT
				            " bytes long (at most %d)",
				            name ? "the " : "a", name, field, length,
				            HEADER_FIELD_MAX);
				return FALSE;
			}
			field = next;
			(*fields)++;
		}
		p = next;
	}
	return TRUE;
}

/* GMime parses an address group by recursion, one level for each group
 * opened inside another, so "To: g:g:g:...x@y;;;" thousands deep overflows
 * its stack. Groups do not nest in mail (RFC 5322); a few levels are kept
 * for the odd broken mailer, deeper is refused. */
#define ADDRESS_GROUP_DEPTH_MAX 32

/* The headers GMime parses as address lists, in a message and in every
 * message attached to it. */
static const char *const address_headers[] = {
	"from", "sender", "reply-to", "to", "cc", "bcc",
};

/* Returns whether the header field at LINE (its name and colon NAME_LEN + 1
 * bytes) is an address header. */
static gboolean
is_address_header(const char *line, gsize name_len)
{
	for (guint i = 0; i < G_N_ELEMENTS(address_headers); i++) {
		if (name_len == strlen(address_headers[i]) &&
		    g_ascii_strncasecmp(line, address_headers[i], name_len) == 0)
			return TRUE;
	}
	return FALSE;
}

/* Returns the deepest group nesting of the address field value at P (up to
 * END), and sets *NEXT past the field. Colons in quoted strings, comments
 * and angle brackets (source routes) open no group. */
static guint
group_depth(const char *p, const char *end, const char **next)
{
	guint depth = 0, deepest = 0, comment = 0;
	gboolean quoted = FALSE, angle = FALSE;
	for (; p < end; p++) {
		char c = *p;
		if (c == '\n' && ends_field(p, end))
			break;
		if (c == '\\' && (quoted || comment) && p + 1 < end) {
			p++;
		} else if (quoted) {
			quoted = c != '"';
		} else if (comment) {
			comment += c == '(' ? 1 : c == ')' ? -1 : 0;
		} else if (c == '"') {
			quoted = TRUE;
		} else if (c == '(') {
			comment = 1;
		} else if (angle) {
			angle = c != '>';
		} else if (c == '<') {
			angle = TRUE;
		} else if (c == ':') {
			depth++;
			deepest = MAX(deepest, depth);
		} else if (c == ';' && depth > 0) {
			depth--;
		}
	}
	*next = p;
	return deepest;
}

static gboolean
check_address_groups(const char *data, gsize len, GError **error)
{
	const char *end = data + len;
	for (const char *line = data; line < end;) {
		const char *nl = memchr(line, '\n', end - line);
		/* Only lines that start like an address header are read byte by
		 * byte; the rest of the message is skipped a line at a time. */
		if (strchr("FfSsRrTtCcBb", *line) && *line) {
			const char *colon = line;
			while (colon < end && colon - line < 9 && *colon != ':' && *colon != '\n')
				colon++;
			if (colon < end && *colon == ':' && is_address_header(line, colon - line)) {
				const char *next;
				guint depth = group_depth(colon + 1, end, &next);
				if (depth > ADDRESS_GROUP_DEPTH_MAX) {
					g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
					            "the %.*s header nests address groups %u deep "
					            "(at most %d)",
					            (int)(colon - line), line, depth,
					            ADDRESS_GROUP_DEPTH_MAX);
					return FALSE;
				}
				line = next < end ? next + 1 : end;
				continue;
			}
		}
		line = nl ? nl + 1 : end;
	}
	return TRUE;
}

/* A multipart's boundary, and whether it is a digest (whose parts are
 * messages unless they say otherwise). */
struct boundary {
	char *text;
	gboolean digest;
};

static void
boundary_free(gpointer b)
{
	g_free(((struct boundary *)b)->text);
	g_free(b);
}

/* What a line that is a boundary of an open multipart does. */
enum boundary_line { NOT_BOUNDARY, OPENS_PART, CLOSES_MULTIPART };

/* Whether the line from P to EOL is "--", a boundary of an open multipart
 * in BOUNDARIES (innermost last) and maybe "--", then only blanks, as
 * GMime's is_boundary() takes it; sets *AT to that multipart's index. */
static enum boundary_line
boundary_line(const char *p, const char *eol, GPtrArray *boundaries, guint *at)
{
	if (eol - p < 3 || p[0] != '-' || p[1] != '-')
		return NOT_BOUNDARY;
	for (guint i = boundaries->len; i > 0; i--) {
		const struct boundary *b = g_ptr_array_index(boundaries, i - 1);
		gsize n = strlen(b->text);
		if ((gsize)(eol - p - 2) < n || memcmp(p + 2, b->text, n) != 0)
			continue;
		const char *rest = p + 2 + n;
		gboolean closes = eol - rest >= 2 && rest[0] == '-' && rest[1] == '-';
		const char *q = closes ? rest + 2 : rest;
		while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < eol)
			continue;
		*at = i - 1;
		return closes ? CLOSES_MULTIPART : OPENS_PART;
	}
	return NOT_BOUNDARY;
}

/* Returns the end of the header block at P (before END): the start of the
 * empty line that ends it, of a line that is a boundary of an open
 * multipart (GMime ends a part's headers there too; *BY_BOUNDARY is set),
 * or END. */
static const char *
header_block_end(const char *p, const char *end, GPtrArray *boundaries, gboolean *by_boundary)
{
	*by_boundary = FALSE;
	for (const char *line = p; line < end;) {
		const char *nl = memchr(line, '\n', end - line);
		const char *eol = nl ? nl : end;
		if (eol == line || (eol == line + 1 && *line == '\r'))
			return line;
		guint at;
		if (*line == '-' && boundary_line(line, eol, boundaries, &at) != NOT_BOUNDARY) {
			*by_boundary = TRUE;
			return line;
		}
		line = nl ? nl + 1 : end;
	}
	return end;
}

/* Returns whether the line from P to EOL may start a header block: a field
 * name and a colon, not a continuation. */
static gboolean
starts_like_header(const char *p, const char *eol)
{
	return p < eol && *p != ' ' && *p != '\t' && memchr(p, ':', eol - p);
}

const char *
header_field_value(const char *data, gsize len, const char *name, gboolean last, gsize *vlen)
{
	const char *end = data + len, *found = NULL;
	gsize n = strlen(name);
	for (const char *line = data; line < end;) {
		const char *nl = memchr(line, '\n', end - line);
		if ((gsize)(end - line) > n && g_ascii_strncasecmp(line, name, n) == 0) {
			/* Blanks may come between the name and its colon. */
			const char *v = line + n;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			if (v < end && *v == ':') {
				const char *e = ++v;
				for (; e < end; e++)
					if (*e == '\n' && ends_field(e, end))
						break;
				*vlen = e - v;
				found = v;
				if (!last)
					break;
			}
		}
		line = nl ? nl + 1 : end;
	}
	return found;
}

/* Whether the Content-Type value V (to VE) starts with TYPE ("message/"),
 * and then, unless SUBTYPES is NULL, one of them whole. */
static gboolean
type_is(const char *v, const char *ve, const char *type, const char *const *subtypes)
{
	gsize n = strlen(type);
	if ((gsize)(ve - v) < n || g_ascii_strncasecmp(v, type, n) != 0)
		return FALSE;
	if (!subtypes)
		return TRUE;
	v += n;
	for (; *subtypes; subtypes++) {
		gsize m = strlen(*subtypes);
		if ((gsize)(ve - v) >= m && g_ascii_strncasecmp(v, *subtypes, m) == 0 &&
		    (v + m == ve || v[m] == ';' || v[m] == '(' || g_ascii_isspace(v[m])))
			return TRUE;
	}
	return FALSE;
}

/* Returns the value of the parameter NAME of the field value V (to VE),
 * unquoted, or NULL; the caller frees it. */
static char *
param_of(const char *v, const char *ve, const char *name)
{
	gsize n = strlen(name);
	gboolean quoted = FALSE;
	for (const char *p = v; p < ve; p++) {
		if (*p == '\\' && quoted) {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		if (quoted || *p != ';')
			continue;
		const char *q = p + 1;
		while (q < ve && g_ascii_isspace(*q))
			q++;
		if ((gsize)(ve - q) <= n || g_ascii_strncasecmp(q, name, n) != 0)
			continue;
		q += n;
		while (q < ve && g_ascii_isspace(*q))
			q++;
		if (q >= ve || *q != '=')
			continue;
		q++;
		while (q < ve && g_ascii_isspace(*q))
			q++;
		const char *qe;
		if (q < ve && *q == '"') {
			q++;
			qe = memchr(q, '"', ve - q);
			qe = qe ? qe : ve;
		} else {
			for (qe = q; qe < ve && *qe != ';' && !g_ascii_isspace(*qe); qe++)
				;
		}
		return g_strndup(q, qe - q);
	}
	return NULL;
}

/* What the header block DATA (LEN bytes) of a part (of a digest when
 * IN_DIGEST) says of what follows it, as GMime's parser reads it: adds a
 * multipart's boundary to BOUNDARIES, and returns whether its content is a
 * message whose headers GMime reads: message/rfc822 (or rfc2822, global,
 * news; in a digest, a part with no type of its own), not encoded
 * (base64, quoted-printable, uuencode). */
static gboolean
block_declares(const char *data, gsize len, GPtrArray *boundaries, gboolean in_digest)
{
	static const char *const messages[] = { "rfc822", "rfc2822", "global", "news", NULL };
	static const char *const encodings[] = { "base64",   "quoted-printable",
		                                 "uuencode", "x-uuencode",
		                                 "x-uue",    NULL };
	gsize vlen;
	/* GMime takes the last Content-Type, and the first encoding. */
	const char *v = header_field_value(data, len, "content-type", TRUE, &vlen);
	const char *ve = v ? v + vlen : NULL;
	while (v && v < ve && g_ascii_isspace(*v))
		v++;
	const char *slash = v ? memchr(v, '/', ve - v) : NULL;
	gboolean message = v && slash ? type_is(v, ve, "message/", messages) : in_digest;
	if (v && type_is(v, ve, "multipart/", NULL) && boundaries->len < 64) {
		g_autofree char *text = param_of(v, ve, "boundary");
		if (text && *text && strlen(text) <= 256) {
			struct boundary *b = g_new(struct boundary, 1);
			b->text = g_steal_pointer(&text);
			b->digest = type_is(v, ve, "multipart/digest", NULL);
			g_ptr_array_add(boundaries, b);
		}
	}
	gsize clen;
	const char *c = header_field_value(data, len, "content-transfer-encoding", FALSE, &clen);
	while (c && clen > 0 && g_ascii_isspace(*c))
		c++, clen--;
	while (c && clen > 0 && g_ascii_isspace(c[clen - 1]))
		clen--;
	for (const char *const *e = encodings; c && *e; e++)
		if (clen == strlen(*e) && g_ascii_strncasecmp(c, *e, clen) == 0)
			message = FALSE;
	return message;
}

/* Runs the checks above on every block of DATA GMime parses as headers:
 * the message's own, a part's after a line opening it ("--" and the
 * boundary of an open multipart), and an attached message's (after the
 * headers of a part block_declares() a message, and the one empty line
 * that ends them). Body text is not headers: a long line or "g:g:" in a
 * mail's text is no reason to refuse it, and its text is never changed.
 * Adds to EDITS what GMime needs to read the blocks' encoded words
 * (encoded_words_repair()). */
static gboolean
check_header_blocks(const char *data, gsize len, GArray *edits, GError **error)
{
	const char *end = data + len, *p = data;
	g_autoptr(GPtrArray) boundaries = g_ptr_array_new_with_free_func(boundary_free);
	gboolean block = TRUE, message_next = FALSE, prev_empty = FALSE, in_digest = FALSE;
	guint fields = 0, parts = 0;
	while (p < end) {
		if (block) {
			gboolean by_boundary;
			const char *block_end = header_block_end(p, end, boundaries, &by_boundary);
			if (!check_field_sizes(p, block_end - p, &fields, error) ||
			    !check_address_groups(p, block_end - p, error))
				return FALSE;
			if (fields > MESSAGE_FIELDS_MAX) {
				g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
				            "more than %d header fields (in all its parts)",
				            MESSAGE_FIELDS_MAX);
				return FALSE;
			}
			encoded_words_repair(p, block_end - p, p - data, edits);
			message_next =
			    block_declares(p, block_end - p, boundaries, in_digest) && !by_boundary;
			p = block_end;
			block = FALSE;
			prev_empty = FALSE;
			in_digest = FALSE;
			continue;
		}
		const char *nl = memchr(p, '\n', end - p);
		const char *eol = nl ? nl : end;
		gboolean empty = eol == p || (eol == p + 1 && *p == '\r');
		if (prev_empty && message_next) {
			/* The line after the part's headers and the empty line
			 * that ends them starts the attached message's headers
			 * (none when it is empty too). */
			message_next = FALSE;
			if (starts_like_header(p, eol)) {
				block = TRUE;
				continue;
			}
		}
		prev_empty = empty;
		guint at;
		enum boundary_line kind =
		    *p == '-' ? boundary_line(p, eol, boundaries, &at) : NOT_BOUNDARY;
		if (kind != NOT_BOUNDARY) {
			/* The multiparts inside that one end here, and that one
			 * too when the line closes it. */
			const struct boundary *b = g_ptr_array_index(boundaries, at);
			block = kind == OPENS_PART;
			if (block && ++parts > MESSAGE_PARTS_MAX) {
				g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
				            "more than %d MIME parts", MESSAGE_PARTS_MAX);
				return FALSE;
			}
			message_next = FALSE;
			in_digest = b->digest;
			g_ptr_array_set_size(boundaries, kind == OPENS_PART ? at + 1 : at);
		}
		p = nl ? nl + 1 : end;
	}
	return TRUE;
}

static void
header_edit_clear(gpointer edit)
{
	g_free(((struct header_edit *)edit)->text);
}

static gint
header_edit_cmp(gconstpointer a, gconstpointer b)
{
	const struct header_edit *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
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

/* Whether a line of DATA (LEN bytes) ends in two CRs or more before its
 * LF: a CRLF file given CRLF line ends once more (a broken Windows tool),
 * whole or in part (a delivery agent's headers on top are LF). GMime takes
 * all but the last CR for text, so the empty line that ends a header block
 * (the message's or a part's) is none to it, and the body or the parts are
 * lost among the headers. */
static gboolean
has_cr_run_line_ends(const char *data, gsize len)
{
	const char *p = data, *end = data + len;
	while ((p = memchr(p, '\r', end - p))) {
		const char *q = p + 1;
		while (q < end && *q == '\r')
			q++;
		if (q - p >= 2 && q < end && *q == '\n')
			return TRUE;
		p = q;
	}
	return FALSE;
}

/* Returns a copy of DATA (LEN bytes) with every run of CRs before an LF
 * made one; sets *OUT_LEN to its length. CRs not before an LF stay. */
static char *
cr_runs_to_crlf(const char *data, gsize len, gsize *out_len)
{
	char *out = g_malloc(len + 1);
	gsize n = 0;
	for (gsize i = 0; i < len; i++) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\r') {
			gsize j = i + 1;
			while (j < len && data[j] == '\r')
				j++;
			if (j < len && data[j] == '\n') {
				i = j - 1; /* the last CR of the run is copied next */
				continue;
			}
		}
		out[n++] = data[i];
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* Checks that DATA (LEN bytes) is mail GMime can safely read and parses it
 * into M. FALSE and ERROR otherwise; gmime_message_close() M either way. */
gboolean
gmime_message_open(struct gmime_message *m, const char *data, gsize len, GError **error)
{
	parse_init();
	if (!data || len == 0) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL,
		            "not mail: the file is empty");
		return FALSE;
	}
	if (has_cr_run_line_ends(data, len)) {
		m->copy = cr_runs_to_crlf(data, len, &len);
		data = m->copy;
	}
	gsize start = header_start(data, len);
	/* A NUL byte in a header (a broken mailer, a garbage Status) must not
	 * cost the message: the header block is read with spaces for them. A
	 * binary file still fails the checks below. */
	gsize header_len = header_block_len(data + start, len - start);
	if (memchr(data + start, '\0', header_len)) {
		char *copy = g_memdup2(data, len);
		g_free(m->copy);
		m->copy = copy;
		for (gsize i = start; i < start + header_len; i++)
			if (m->copy[i] == '\0')
				m->copy[i] = ' ';
		data = m->copy;
		m->nul_spaces = TRUE;
	}
	if (!check_mail(data + start, len - start, error))
		return FALSE;
	if (len - start > G_MAXUINT) {
		g_set_error(error, PARSE_ERROR, PARSE_ERROR_FAILED,
		            "message too large to parse (%" G_GSIZE_FORMAT " bytes)", len);
		return FALSE;
	}
	g_autoptr(GArray) edits = g_array_new(FALSE, FALSE, sizeof(struct header_edit));
	g_array_set_clear_func(edits, header_edit_clear);
	if (!check_header_blocks(data + start, len - start, edits, error))
		return FALSE;
	if (edits->len > 0) {
		g_array_sort(edits, header_edit_cmp);
		GString *copy = g_string_sized_new(len + 64);
		gsize from = 0;
		for (guint i = 0; i < edits->len; i++) {
			const struct header_edit *edit =
			    &g_array_index(edits, struct header_edit, i);
			if (start + edit->from < from)
				continue; /* within one made already */
			g_string_append_len(copy, data + from, start + edit->from - from);
			g_string_append(copy, edit->text);
			from = start + edit->to;
		}
		g_string_append_len(copy, data + from, len - from);
		g_free(m->copy);
		len = copy->len;
		data = m->copy = g_string_free(copy, FALSE);
	}

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

void
gmime_message_close(struct gmime_message *m)
{
	/* The message's parts may still read from the stream: both go first. */
	g_clear_object(&m->msg);
	g_clear_object(&m->parser);
	g_clear_object(&m->stream);
	if (m->array)
		stream_release(m->array);
	m->array = NULL;
	g_clear_pointer(&m->copy, g_free);
}
