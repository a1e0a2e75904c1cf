/* mbox files (mboxo and mboxrd, e.g. Gmail Takeout), streamed line by line so
 * a 2 GB file never sits in memory: only the message being read does.
 *
 * A message starts after a "From " line that opens the file or follows a
 * blank line; that blank line belongs to the separator; or after a whole
 * From_ line with no blank line before it (mbox_strict_from_line()), as
 * mutt reads the files of writers that leave it out. Lines matching
 * ^>+From  lose one '>' (mboxrd); for mboxo files this is also what mutt
 * does, and only a body line that really began with ">From " changes.
 *
 * Flags come from each message's Status and X-Status headers, as mutt
 * writes them, into its copy's info in the maildir form (":2,FRS"); a
 * message with neither (a Gmail Takeout) takes them from its
 * X-Gmail-Labels: read unless labelled Unread, flagged when Starred. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include <gmime/gmime.h>

#include "ingest/parse.h"
#include "ingest/parse-internal.h"
#include "ingest/source.h"
#include "common/error.h"

/* Whether the line at P (N bytes, its '\n' included) is blank: "\n",
 * "\r\n", or "\r\r\n" (a CRLF file given CRLF line ends once more, which
 * the parse reads as CRLF). */
static gboolean
blank_line(const char *p, gsize n)
{
	return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n') ||
	       (n == 3 && p[0] == '\r' && p[1] == '\r' && p[2] == '\n');
}

guint
mbox_flag_headers(const char *data, gsize len, struct mbox_flag_header out[MBOX_FLAG_HEADERS_MAX])
{
	guint n = 0;
	gboolean in_match = FALSE; /* the last header line was one of ours */
	if (len == 0)
		return 0; /* an empty message's DATA may be NULL */
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *next = nl ? nl + 1 : end;
		gsize line = next - p;
		if (blank_line(p, line))
			break; /* the end of the header block */
		if (p[0] == ' ' || p[0] == '\t') {
			/* A continuation line belongs to its header. */
			if (in_match)
				out[n - 1].end = next - data;
		} else {
			in_match = FALSE;
			gsize name = line >= 9 && g_ascii_strncasecmp(p, "x-status:", 9) == 0 ? 9
			             : line >= 7 && g_ascii_strncasecmp(p, "status:", 7) == 0 ? 7
			                                                                      : 0;
			if (name && n < MBOX_FLAG_HEADERS_MAX) {
				out[n] = (struct mbox_flag_header){
					.start = p - data,
					.end = next - data,
					.x_status = name == 9,
					.value = p + name,
					.value_len = line - name,
				};
				n++;
				in_match = TRUE;
			}
		}
		p = next;
	}
	return n;
}

/* Gmail's labels say what Status would: a Takeout has no Status lines. */
#define GMAIL_LABELS_MAX_BYTES (64 * 1024)

/* Returns the value of the first X-Gmail-Labels header of the header block
 * of DATA (LEN bytes), unfolded and RFC 2047-decoded, at most
 * GMAIL_LABELS_MAX_BYTES of it; NULL when there is none. The caller frees it. */
static char *
gmail_labels_value(const char *data, gsize len)
{
	static const char name[] = "x-gmail-labels:";
	GString *value = NULL;
	if (len == 0)
		return NULL;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *next = nl ? nl + 1 : end;
		gsize line = next - p;
		if (blank_line(p, line))
			break;
		gboolean continuation = p[0] == ' ' || p[0] == '\t';
		if (value && !continuation)
			break;
		const char *from = NULL;
		if (value)
			from = p;
		else if (line >= sizeof name - 1 &&
		         g_ascii_strncasecmp(p, name, sizeof name - 1) == 0)
			from = p + sizeof name - 1;
		if (from) {
			if (!value)
				value = g_string_new(NULL);
			gsize n = MIN((gsize)(next - from), GMAIL_LABELS_MAX_BYTES - value->len);
			for (gsize i = 0; i < n; i++)
				g_string_append_c(
				    value, from[i] == '\r' || from[i] == '\n' ? ' ' : from[i]);
		}
		p = next;
	}
	if (!value)
		return NULL;
	if (!strstr(value->str, "=?"))
		return g_string_free(value, FALSE);
	parse_init();
	g_autofree char *raw = g_string_free(value, FALSE);
	return g_mime_utils_header_decode_text(NULL, raw);
}

/* The flags Gmail's labels give a message of a Takeout: read unless it has
 * the label Unread, flagged when Starred. Each label is compared as written
 * (quotes and blanks around it dropped), in any case. */
static guint
gmail_label_flags(const char *labels)
{
	guint bits = MC_FLAG_SEEN;
	g_auto(GStrv) parts = g_strsplit(labels, ",", -1);
	for (guint i = 0; parts[i]; i++) {
		char *label = g_strstrip(parts[i]);
		gsize n = strlen(label);
		if (n >= 2 && label[0] == '"' && label[n - 1] == '"') {
			label[n - 1] = '\0';
			label++;
		}
		if (g_ascii_strcasecmp(label, "Unread") == 0)
			bits &= ~MC_FLAG_SEEN;
		else if (g_ascii_strcasecmp(label, "Starred") == 0)
			bits |= MC_FLAG_FLAGGED;
	}
	return bits;
}

char *
mbox_flags_info(const char *data, gsize len)
{
	struct mbox_flag_header h[MBOX_FLAG_HEADERS_MAX];
	guint n = mbox_flag_headers(data, len, h);
	guint bits = 0;
	for (guint i = 0; i < n; i++)
		bits |= mc_flags_from_status(h[i].value, h[i].value_len, h[i].x_status);
	if (n == 0) {
		g_autofree char *labels = gmail_labels_value(data, len);
		if (labels)
			bits = gmail_label_flags(labels);
	}
	return mc_flags_info(bits);
}

struct mbox_reader {
	struct source *src;
	struct source_sink *sink;
	const char *path;
	char *folder;
	GHashTable *known;
	GHashTable *seen; /* names (offsets) found this run */
	GByteArray *msg;  /* the current message, unquoted */
	gint64 start;     /* offset of its first byte */
	gint64 end;       /* offset just past its last byte */
	gboolean too_big;
	gsize last_blank; /* length of the last line when it was blank, else 0 */
	gint64 mtime;
};

/* Hands the message just read (KEEP bytes of r->msg, at KEY) to the sink,
 * unless the index holds these very bytes there. */
static void
mbox_emit(struct mbox_reader *r, char *key, gsize keep, gint64 end)
{
	/* An offset and a length are not an identity: after a deletion another
	 * message of the same size can slide onto a known offset. */
	g_byte_array_set_size(r->msg, keep);
	gint64 fingerprint = mbox_fingerprint(r->msg->data, r->msg->len);
	g_autofree char *info = mbox_flags_info((const char *)r->msg->data, r->msg->len);
	const struct known_location *kl = g_hash_table_lookup(r->known, key);
	if (kl && kl->length == end - r->start && kl->fingerprint == fingerprint) {
		/* The same bytes: only an index made before mbox flags were read
		 * lacks them, and learns them without parsing. */
		if (g_strcmp0(kl->info, info) != 0)
			r->sink->moved(r->sink, kl->id, "", info);
		return;
	}
	/* A known offset with new content: writer_add() repoints the copy. */
	struct source_item *item = g_new0(struct source_item, 1);
	item->source = g_strdup(r->src->name);
	item->kind = "mbox";
	item->container = g_strdup(r->path);
	item->folder = g_strdup(r->folder);
	item->name = g_strdup(key);
	item->sub = g_strdup("");
	item->info = g_steal_pointer(&info);
	item->path = g_strdup(r->path);
	item->offset = r->start;
	item->length = end - r->start;
	item->fingerprint = fingerprint;
	item->mtime = r->mtime;
	item->data = g_byte_array_free_to_bytes(r->msg);
	r->msg = g_byte_array_new();
	r->sink->add(r->sink, item);
}

static void
mbox_finish(struct mbox_reader *r)
{
	/* The blank line before the next From_ belongs to the separator. */
	gint64 end = r->end - r->last_blank;
	gsize keep = r->msg->len >= r->last_blank ? r->msg->len - r->last_blank : 0;
	g_autofree char *key = g_strdup_printf("%" G_GINT64_FORMAT, r->start);
	g_hash_table_add(r->seen, g_strdup(key));
	if (r->too_big) {
		g_autofree char *where = g_strdup_printf(
		    "%s (message at offset %" G_GINT64_FORMAT ")", r->path, r->start);
		r->sink->skipped(r->sink, where, "message larger than 128 MiB");
	} else {
		mbox_emit(r, key, keep, end);
	}
	g_byte_array_set_size(r->msg, 0);
	r->too_big = FALSE;
}

/* Whether LINE (LEN bytes) is a whole From_ line as mbox writers make it:
 * "From", the envelope sender, and an asctime() date, maybe with a zone
 * before the year ("From - Mon Jan  1 00:00:00 2024", "From 1234@xxx Mon
 * Jan 01 00:00:00 +0000 2024"), as mutt's is_from() reads one. */
static gboolean
mbox_strict_from_line(const char *line, gsize len)
{
	static GRegex *from_line;
	if (g_once_init_enter(&from_line)) {
		GRegex *re = g_regex_new(
		    "^From \\S+[ \\t]+(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[ \\t]+"
		    "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \\t]+\\d{1,2}[ \\t]+"
		    "\\d{1,2}:\\d{2}(:\\d{2})?[ \\t]+(\\S+[ \\t]+)?\\d{4}[ \\t\\r]*\\n?$",
		    G_REGEX_OPTIMIZE | G_REGEX_RAW, 0, NULL);
		g_once_init_leave(&from_line, re);
	}
	return g_regex_match_full(from_line, line, (gssize)len, 0, 0, NULL, NULL);
}

/* What the start of a file says it is. */
enum mbox_shape {
	SHAPE_MBOX,
	SHAPE_EMPTY,    /* nothing but blank lines: an mbox of no messages */
	SHAPE_NOT_MBOX, /* the first line that is not blank is no From_ line */
	SHAPE_CR_ONLY,  /* a From_ line ended by a lone CR: old Mac line ends */
	SHAPE_UNREADABLE,
};

#define NOT_MBOX_REASON "not an mbox file: it does not start with a \"From \" line"

/* Reads the start of F and rewinds it. Blank lines (blank_line()) may come
 * first, as mbox_scan_file() allows. */
static enum mbox_shape
mbox_sniff(FILE *f)
{
	char buf[4096];
	size_t n = fread(buf, 1, sizeof buf, f);
	gboolean eof = feof(f);
	if (ferror(f) || fseeko(f, 0, SEEK_SET) != 0)
		return SHAPE_UNREADABLE;
	size_t i = 0;
	for (;;) {
		const char *nl = i < n ? memchr(buf + i, '\n', n - i) : NULL;
		if (!nl || !blank_line(buf + i, (gsize)(nl - (buf + i)) + 1))
			break;
		i = (gsize)(nl - buf) + 1;
	}
	if (i == n)
		/* Kilobytes of blank lines: the line reader decides. */
		return eof ? SHAPE_EMPTY : SHAPE_MBOX;
	if (n - i < 5 || memcmp(buf + i, "From ", 5) != 0)
		return SHAPE_NOT_MBOX;
	const char *end = memchr(buf + i, '\n', n - i);
	const char *cr = memchr(buf + i, '\r', (end ? end : buf + n) - (buf + i));
	/* "\r\n", "\r\r\n" (CRLF made CRLF again, which the parse reads as
	 * CRLF) and a CR at the very end of the file are line ends of their own. */
	if (cr && cr + 1 < buf + n && cr[1] != '\n' &&
	    !(cr[1] == '\r' && cr + 2 < buf + n && cr[2] == '\n'))
		return SHAPE_CR_ONLY;
	return SHAPE_MBOX;
}

/* The shape of the file at PATH; SHAPE_UNREADABLE when it cannot be opened. */
static enum mbox_shape
mbox_sniff_path(const char *path)
{
	FILE *f = fopen(path, "rbe");
	if (!f)
		return SHAPE_UNREADABLE;
	enum mbox_shape shape = mbox_sniff(f);
	fclose(f);
	return shape;
}

gboolean
source_looks_like_mbox(const char *path)
{
	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return FALSE;
	enum mbox_shape shape = mbox_sniff_path(path);
	return shape == SHAPE_MBOX || shape == SHAPE_CR_ONLY;
}

/* Adds LINE (LEN bytes, at offset AT in the file; BLANK when it is blank)
 * to the message being read, one level of >From quoting undone. */
static void
mbox_append(struct mbox_reader *r, const char *line, gsize len, gint64 at, gboolean blank)
{
	if (!r->too_big && r->msg->len + len > MBOX_MAX_MESSAGE)
		r->too_big = TRUE;
	if (!r->too_big) {
		gsize skip = mbox_line_is_from_quoted(line, len) ? 1 : 0;
		g_byte_array_append(r->msg, (const guint8 *)line + skip, (guint)(len - skip));
	}
	r->end = at + (gint64)len;
	r->last_blank = blank ? len : 0;
}

/* Ends the message being read (unless it has nothing yet: two From_ lines
 * in a row) and starts one at offset AT, after its From_ line. */
static void
mbox_start(struct mbox_reader *r, gint64 at)
{
	if (r->msg->len || r->too_big)
		mbox_finish(r);
	r->start = at;
	r->end = at;
	r->last_blank = 0;
}

/* Whether a line that looks like a header field's first line: a name of
 * printable characters, then a colon. */
static gboolean
header_line(const char *line, gsize len)
{
	gsize i = 0;
	while (i < len && line[i] > ' ' && line[i] < 127 && line[i] != ':')
		i++;
	return i > 0 && i < len && line[i] == ':';
}

/* Whether the message read so far declares a Content-Length its body has
 * not reached: a From_ line before that is the body's, as mutt reads it. */
static gboolean
mbox_inside_content_length(const struct mbox_reader *r)
{
	if (!r->msg->len)
		return FALSE; /* nothing read yet (its data may be NULL) */
	const char *data = (const char *)r->msg->data, *end = data + r->msg->len;
	for (const char *p = data; p < end;) {
		const char *nl = memchr(p, '\n', end - p);
		const char *next = nl ? nl + 1 : end;
		if (blank_line(p, next - p)) {
			gsize vlen;
			const char *v =
			    header_field_value(data, p - data, "Content-Length", FALSE, &vlen);
			if (!v)
				return FALSE;
			while (vlen && g_ascii_isspace(*v))
				v++, vlen--;
			guint64 declared = 0;
			gsize digits = 0;
			for (; digits < vlen && digits < 18 && g_ascii_isdigit(v[digits]); digits++)
				declared = declared * 10 + (guint64)(v[digits] - '0');
			return digits > 0 && declared > (guint64)(end - next);
		}
		p = next;
	}
	return FALSE; /* still in the headers */
}

/* Whether a whole From_ line with no blank line before it, followed by
 * LINE (LEN bytes), starts a message: when LINE is a header field's and
 * the message before declares no Content-Length past it. A writer that
 * leaves the blank line out is read as mutt reads it; a pasted log line
 * ("From root@host Tue Feb  6 03:14:15 2024", then its text) is body. */
static gboolean
mbox_from_splits(const struct mbox_reader *r, const char *line, gsize len)
{
	return header_line(line, len) && !mbox_inside_content_length(r);
}

/* Scans the mbox file PATH. FALSE and ERROR (the reason only, without the
 * path) when it cannot be read or is no mbox (PARSE_ERROR: what the file
 * is, not that it could not be read): then nothing is concluded about the
 * messages it held. */
static gboolean
mbox_scan_file(struct source *src, struct source_sink *sink, const char *path, GError **error)
{
	struct stat st;
	FILE *f = fopen(path, "rbe");
	if (!f || fstat(fileno(f), &st) < 0) {
		g_set_error_literal(error, MC_ERROR, MC_ERROR_FAILED, g_strerror(errno));
		if (f)
			fclose(f);
		return FALSE;
	}
	const char *wrong = NULL;
	enum mbox_shape shape = mbox_sniff(f);
	switch (shape) {
	case SHAPE_MBOX:
	case SHAPE_EMPTY:
		break;
	case SHAPE_NOT_MBOX:
		wrong = NOT_MBOX_REASON;
		break;
	case SHAPE_CR_ONLY:
		wrong = PARSE_CR_ONLY_REASON;
		break;
	case SHAPE_UNREADABLE:
		wrong = "read error";
		break;
	}
	if (wrong) {
		g_set_error_literal(
		    error, shape == SHAPE_UNREADABLE ? MC_ERROR : PARSE_ERROR,
		    shape == SHAPE_UNREADABLE ? MC_ERROR_FAILED : PARSE_ERROR_FAILED, wrong);
		fclose(f);
		return FALSE;
	}
	gint64 old_mtime, old_size;
	if (!sink->claim(sink, path) ||
	    (sink->container_state(sink, path, &old_mtime, &old_size) &&
	     old_mtime == STAT_MTIME_NS(st) && old_size == st.st_size)) {
		fclose(f);
		return TRUE;
	}
	GHashTable *known = sink->known_locations(sink, path);
	if (!known) {
		fclose(f);
		return TRUE; /* reported by the sink, and counted as skipped */
	}
	g_autofree char *iobuf = g_malloc(1 << 20);
	setvbuf(f, iobuf, _IOFBF, 1 << 20);

	struct mbox_reader r = {
		.src = src,
		.sink = sink,
		.path = path,
		.folder = g_path_get_basename(path),
		.known = known,
		.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.msg = g_byte_array_new(),
		.mtime = st.st_mtim.tv_sec,
	};
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	gint64 pos = 0;
	gboolean in_msg = FALSE, prev_blank = TRUE, garbage = FALSE, stopped = FALSE;
	/* A whole From_ line with no blank line before it, kept until the
	 * next line says whether it starts a message (mbox_from_splits()). */
	GByteArray *held = g_byte_array_new();
	gint64 held_at = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		gboolean blank = n > 0 && blank_line(line, (gsize)n);
		if (held->len) {
			if (mbox_from_splits(&r, line, (gsize)n)) {
				if ((stopped = sink->stopping(sink)))
					break;
				mbox_start(&r, held_at + held->len);
			} else {
				mbox_append(&r, (const char *)held->data, held->len, held_at,
				            FALSE);
			}
			g_byte_array_set_size(held, 0);
		}
		gboolean from = n >= 5 && memcmp(line, "From ", 5) == 0;
		if (from && prev_blank) {
			/* Stopping: the messages after this one are not read. */
			if ((stopped = sink->stopping(sink)))
				break;
			mbox_start(&r, pos + n);
			in_msg = TRUE;
		} else if (in_msg && from && mbox_strict_from_line(line, (gsize)n)) {
			g_byte_array_append(held, (const guint8 *)line, (guint)n);
			held_at = pos;
		} else if (in_msg) {
			mbox_append(&r, line, (gsize)n, pos, blank);
		} else if (!blank) {
			garbage = TRUE;
			break;
		}
		prev_blank = blank;
		pos += n;
	}
	/* A From_ line last, with nothing after it, is the body's. */
	if (held->len && !stopped)
		mbox_append(&r, (const char *)held->data, held->len, held_at, FALSE);
	g_byte_array_unref(held);
	gboolean read_error = ferror(f);
	/* Nothing after the last From_ line (a message being appended): no
	 * message yet. */
	if (in_msg && !garbage && !stopped && (r.msg->len || r.too_big))
		mbox_finish(&r);
	free(line);
	fclose(f);

	gboolean ok = !garbage && !read_error;
	if (garbage) /* past what mbox_sniff() read, or changed since */
		g_set_error_literal(error, MC_ERROR, MC_ERROR_FAILED, NOT_MBOX_REASON);
	else if (read_error)
		g_set_error_literal(error, MC_ERROR, MC_ERROR_FAILED, "read error");
	else if (!stopped) {
		GHashTableIter it;
		gpointer key, value;
		g_hash_table_iter_init(&it, r.known);
		while (g_hash_table_iter_next(&it, &key, &value))
			if (!g_hash_table_contains(r.seen, key))
				sink->gone(sink, ((struct known_location *)value)->id);
		sink->container_done(sink, path, STAT_MTIME_NS(st), st.st_size);
	}
	g_hash_table_unref(r.known);
	g_hash_table_unref(r.seen);
	g_byte_array_unref(r.msg);
	g_free(r.folder);
	return ok;
}

static gboolean
mbox_scan(struct source *src, struct source_sink *sink, GError **error)
{
	struct stat st;
	if (stat(src->path, &st) < 0) {
		source_set_error(src, error, "%s: %s", src->path, g_strerror(errno));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_autoptr(GError) local = NULL;
		if (mbox_scan_file(src, sink, src->path, &local))
			return TRUE;
		source_set_error(src, error, "%s: %s", src->path, local->message);
		return FALSE;
	}
	/* A directory (a Takeout export): every regular file in it is an mbox. */
	DIR *d = opendir(src->path);
	if (!d) {
		source_set_error(src, error, "%s: %s", src->path, g_strerror(errno));
		return FALSE;
	}
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);
	struct dirent *e;
	for (;;) {
		errno = 0;
		if (!(e = readdir(d)))
			break;
		if (e->d_name[0] != '.')
			g_ptr_array_add(names, g_build_filename(src->path, e->d_name, NULL));
	}
	gboolean whole = errno == 0;
	if (!whole)
		sink->skipped(sink, src->path, g_strerror(errno));
	closedir(d);
	g_ptr_array_sort(names, source_compare_strings);
	/* A directory with no mbox in it is a wrong path (often a maildir):
	 * said, with nothing concluded. Files that cannot be read might be. */
	gboolean any = !whole;
	for (guint i = 0; !any && i < names->len; i++) {
		const char *p = g_ptr_array_index(names, i);
		any =
		    g_file_test(p, G_FILE_TEST_IS_REGULAR) && mbox_sniff_path(p) != SHAPE_NOT_MBOX;
	}
	if (!any) {
		gboolean maildir = source_looks_like_maildir(src->path);
		source_set_error(src, error, "%s is a directory with no mbox file in it%s%s",
		                 src->path, maildir ? "; it holds maildirs: use " : "",
		                 maildir ? source_kind_option(src, "maildir") : "");
		return FALSE;
	}
	for (guint i = 0; i < names->len && !sink->stopping(sink); i++) {
		const char *p = g_ptr_array_index(names, i);
		g_hash_table_add(listed, (gpointer)p);
		g_autoptr(GError) local = NULL;
		if (!g_file_test(p, G_FILE_TEST_IS_REGULAR) || mbox_scan_file(src, sink, p, &local))
			continue;
		struct stat file_st;
		if (local->domain != PARSE_ERROR || stat(p, &file_st) < 0) {
			sink->skipped(sink, p, local->message);
			continue;
		}
		/* Not an mbox (notes beside the export, old Mac line ends): the
		 * file's nature, remembered until it changes, as a maildir's
		 * file that is not mail is. */
		struct source_item *item = g_new0(struct source_item, 1);
		item->source = g_strdup(src->name);
		item->kind = "file";
		item->container = g_strdup(p);
		item->folder = g_path_get_basename(p);
		item->name = g_strdup("");
		item->sub = g_strdup("");
		item->info = g_strdup("");
		item->path = g_strdup(p);
		item->length = file_st.st_size;
		item->mtime = file_st.st_mtim.tv_sec;
		item->refused = g_strdup(local->message);
		sink->add(sink, item);
	}
	if (sink->stopping(sink))
		return TRUE;
	/* An mbox file deleted from the directory: its messages are gone. Only
	 * when the listing was whole and the file is surely not there. */
	g_autoptr(GPtrArray) known = sink->known_containers(sink, "mbox", src->path);
	struct stat gone_st;
	for (guint i = 0; whole && i < known->len; i++) {
		const char *c = g_ptr_array_index(known, i);
		if (g_hash_table_contains(listed, c) || lstat(c, &gone_st) == 0 || errno != ENOENT)
			continue;
		source_forget_container(sink, c);
	}
	return TRUE;
}

const struct source_ops mbox_source_ops = {
	.kind = "mbox",
	.scan = mbox_scan,
};
