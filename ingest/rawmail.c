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
}
