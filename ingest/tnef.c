/* TNEF attachments (winmail.dat): the stream checked attribute by attribute,
 * the files read out of it with libytnef, and made GMime parts for parse.c.
 *
 * libytnef 2.0 parses a whole buffer, prints its errors on stdout (which is
 * our JSON) and gives up on a property over its limits, so sift() walks the
 * stream first, as [MS-OXTNEF] 2.1.3 lays it out: a signature 0x223E9F78,
 * a 2-byte key, then attributes of level (1 byte), id (4), length (4), the
 * data and a checksum (2: the sum of the data bytes). It refuses a damaged
 * stream with the reason, and keeps of a sound one only what libytnef is to
 * read: per attachment (each starts with attAttachRenddata) the first
 * attAttachTitle, attAttachData and attAttachment (its MAPI properties,
 * checked by mapi_ok() against libytnef's TNEFFillMapi() step by step).
 * libytnef then reads those attributes through a read function of ours,
 * straight from the caller's bytes. */
#include "config.h"

#include "ingest/tnef.h"
#include "common/mimetype.h"

#include <string.h>

#ifdef HAVE_YTNEF
/* ytnef.h declares a to_utf8() of its own (hence mc_to_utf8) and defines
 * BYTE, WORD and DWORD, so it comes after GLib and GMime. */
#include <ytnef.h>
#include <mapidefs.h>
#endif

#include "ingest/parse.h"
#include "ingest/parse-internal.h"

/* clang-format off */
G_DEFINE_QUARK(tnef-error-quark, tnef_error)
/* clang-format on */

#define TNEF_SIGNATURE 0x223E9F78u
/* Level byte, id and length before an attribute's data; checksum after. */
#define ATTR_HEAD 9
#define ATTR_TAIL 2
/* The attribute ids (the type in the high word) this file reads. */
#define ATT_ATTACH_RENDDATA 0x00069002u
#define ATT_ATTACH_TITLE    0x00018010u
#define ATT_ATTACH_DATA     0x0006800Fu
#define ATT_ATTACHMENT      0x00069005u
/* libytnef's limits (TNEFAttachmentFilename, TNEFFillMapi): over them it
 * fails the whole stream. */
#define YTNEF_MAX_TITLE   100
#define YTNEF_MAX_PROPS   1000
#define YTNEF_MAX_NAME    100
#define YTNEF_MAX_VALUE   524288
#define YTNEF_MAX_SUBJECT 100
/* A MIME tag longer than this is no type. */
#define MAX_MIME_TYPE 127

gboolean
tnef_supported(void)
{
#ifdef HAVE_YTNEF
	return TRUE;
#else
	return FALSE;
#endif
}

#ifdef HAVE_YTNEF

static guint32
le32(const guint8 *p)
{
	return p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static void
tnef_file_free(gpointer p)
{
	struct tnef_file *f = p;
	g_free(f->name);
	g_free(f->mime_type);
	if (f->bytes)
		g_bytes_unref(f->bytes);
	g_free(f);
}

static guint32
pad4(guint32 n)
{
	return n % 4 ? 4 - n % 4 : 0;
}

static gboolean
is_subject(guint32 id)
{
	return id == PR_SUBJECT || id == PR_SUBJECT_IPM || id == PR_ORIGINAL_SUBJECT ||
	       id == PR_NORMALIZED_SUBJECT || id == PR_CONVERSATION_TOPIC;
}

/* Whether libytnef's TNEFFillMapi() reads the property block D (SIZE
 * bytes) without failing: the same walk, with its checks and limits.
 * *SUBJECT tells whether a subject property was read before (libytnef
 * copies the first one into the message, which must then be 1 to 100
 * bytes long); it is set when this block has one. */
static gboolean
mapi_ok(const guint8 *d, guint32 size, gboolean *subject)
{
	guint64 at = 0;
#define NEED(n)                                                                                    \
	do {                                                                                       \
		if (at + (guint64)(n) > size)                                                      \
			return FALSE;                                                              \
	} while (0)
	NEED(4);
	guint32 props = le32(d);
	at += 4;
	if (props == 0 || props > YTNEF_MAX_PROPS)
		return FALSE;
	gboolean taken = *subject;
	gint64 count = -1; /* the value of a multi-valued property, -1 between properties */
	guint32 id = 0, values = 0;
	for (guint32 i = 0; i < props; i++) {
		if (count == -1) {
			NEED(4);
			id = le32(d + at);
			at += 4;
			values = 1;
			if (PROP_ID(id) >= 0x8000) { /* named: a GUID, then names or an id */
				NEED(16 + 4);
				guint32 names = le32(d + at + 16);
				at += 20;
				if (names > YTNEF_MAX_PROPS)
					return FALSE;
				if (names == 0) { /* a numeric id, which replaces the named one */
					NEED(4);
					id = PROP_TAG(PROP_TYPE(id), le32(d + at));
					at += 4;
				}
				for (; names > 0; names--) {
					NEED(4);
					guint32 n = le32(d + at);
					at += 4;
					if (n == 0 || n > YTNEF_MAX_NAME)
						return FALSE;
					NEED(n);
					at += n + pad4(n);
				}
			}
			if (PROP_TYPE(id) & MV_FLAG) {
				id = PROP_TAG(PROP_TYPE(id) - MV_FLAG, PROP_ID(id));
				NEED(4);
				values = le32(d + at);
				at += 4;
				count = 0;
			}
			if (values == 0 || values > YTNEF_MAX_PROPS)
				return FALSE;
		} else {
			i--;
			count++;
		}

		guint32 vsize;
		switch (PROP_TYPE(id)) {
		case PT_BINARY:
		case PT_OBJECT:
		case PT_STRING8:
		case PT_UNICODE:
			if (count == -1) { /* a count of values, always 1 */
				NEED(4);
				at += 4;
			}
			NEED(4);
			vsize = le32(d + at);
			at += 4;
			if (vsize > YTNEF_MAX_VALUE)
				return FALSE;
			NEED(vsize);
			at += vsize + pad4(vsize);
			break;
		case PT_I2:
			NEED(2);
			at += 4;
			vsize = 2;
			break;
		case PT_BOOLEAN:
		case PT_LONG:
		case PT_R4:
		case PT_CURRENCY:
		case PT_APPTIME:
		case PT_ERROR:
			NEED(4);
			at += 4;
			vsize = 4;
			break;
		case PT_DOUBLE:
		case PT_I8:
		case PT_SYSTIME:
			NEED(8);
			at += 8;
			vsize = 8;
			break;
		case PT_CLSID:
			NEED(16);
			at += 16;
			vsize = 16;
			break;
		default:
			return FALSE;
		}
		if (is_subject(PROP_ID(id)) && !taken) {
			if (vsize == 0 || vsize > YTNEF_MAX_SUBJECT)
				return FALSE;
			taken = TRUE;
		}
		if (count >= 0 && (guint64)count == (guint64)values - 1)
			count = -1;
	}
#undef NEED
	*subject = taken;
	/* Short of the end (a multi-valued last property stops the loop early)
	 * or past it: libytnef fails. */
	return at == size;
}

/* One attachment as sift() found it. */
struct sifted {
	gboolean data;       /* it has an attAttachData */
	gboolean empty_data; /* ...of length 0, which libytnef refuses: an empty file */
};

/* A stretch of the input that libytnef reads. */
struct range {
	gsize start, len;
};

/* Walks the TNEF stream D (LEN bytes): FALSE and ERROR when it is damaged.
 * Otherwise adds to KEEP (struct range) the parts of it libytnef is to
 * read, to ATTS (struct sifted) the attachments they hold, and counts in
 * *LEFT_OUT the attachments beyond TNEF_MAX_FILES. */
static gboolean
sift(const guint8 *d, gsize len, GArray *keep, GArray *atts, guint *left_out, GError **error)
{
	if (len < 6) {
		g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
		            "too short for TNEF (%" G_GSIZE_FORMAT " bytes)", len);
		return FALSE;
	}
	if (le32(d) != TNEF_SIGNATURE) {
		g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
		            "not TNEF: the signature is 0x%08x, not 0x%08x", le32(d),
		            TNEF_SIGNATURE);
		return FALSE;
	}
	struct range head = { 0, 6 }; /* the signature and the key */
	g_array_append_val(keep, head);

	/* What the attachment being read already has: libytnef would leak a
	 * second one (and keeps a title only up to 100 bytes). */
	gboolean title = FALSE, props = FALSE, over = FALSE, subject = FALSE;
	struct sifted *att = NULL;
	for (gsize at = 6; at < len;) {
		if (len - at < ATTR_HEAD + ATTR_TAIL) {
			g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
			            "cut short: %" G_GSIZE_FORMAT " bytes at byte %" G_GSIZE_FORMAT
			            " are no attribute",
			            len - at, at);
			return FALSE;
		}
		guint32 id = le32(d + at + 1);
		guint32 size = le32(d + at + 5);
		if (size > len - at - ATTR_HEAD - ATTR_TAIL) {
			g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
			            "attribute 0x%08x at byte %" G_GSIZE_FORMAT
			            " claims %u bytes; only "
			            "%" G_GSIZE_FORMAT " follow",
			            id, at, size, len - at - ATTR_HEAD - ATTR_TAIL);
			return FALSE;
		}
		const guint8 *data = d + at + ATTR_HEAD;
		guint16 sum = 0;
		for (guint32 i = 0; i < size; i++)
			sum += data[i];
		guint16 checksum = data[size] | data[size + 1] << 8;
		if (sum != checksum) {
			g_set_error(
			    error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
			    "checksum mismatch in attribute 0x%08x at byte %" G_GSIZE_FORMAT, id,
			    at);
			return FALSE;
		}
		struct range r = { at, ATTR_HEAD + size + ATTR_TAIL };
		gboolean take = FALSE;
		if (id == ATT_ATTACH_RENDDATA && size == 0) {
			/* libytnef refuses it, on stdout, and has no attachment
			 * to put what follows in. */
			g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT,
			            "attribute 0x%08x at byte %" G_GSIZE_FORMAT
			            " starts an attachment but is empty",
			            id, at);
			return FALSE;
		}
		if (id == ATT_ATTACH_RENDDATA) {
			over = atts->len >= TNEF_MAX_FILES;
			if (over) {
				(*left_out)++;
			} else {
				struct sifted s = { 0 };
				g_array_append_val(atts, s);
				att = &g_array_index(atts, struct sifted, atts->len - 1);
				title = props = FALSE;
				take = TRUE;
			}
		} else if (att && !over && size == 0) {
			/* libytnef refuses every empty attribute; an empty file is
			 * still a file. */
			if (id == ATT_ATTACH_DATA && !att->data)
				att->data = att->empty_data = TRUE;
		} else if (att && !over) {
			if (id == ATT_ATTACH_TITLE && !title && size <= YTNEF_MAX_TITLE)
				take = title = TRUE;
			else if (id == ATT_ATTACH_DATA && !att->data)
				take = att->data = TRUE;
			else if (id == ATT_ATTACHMENT && !props)
				/* A block libytnef would refuse (an attached message of
				 * over 512 KB in PR_ATTACH_DATA_OBJ...) is left out:
				 * the file keeps its title. */
				take = props = mapi_ok(data, size, &subject);
		}
		if (take)
			g_array_append_val(keep, r);
		at += r.len;
	}
	return TRUE;
}

/* libytnef's reader: the kept ranges of the input, one after the other. */
struct reader {
	const guint8 *data;
	GArray *keep; /* struct range */
	guint range;  /* the range being read */
	gsize off;    /* ...and how far */
};

static int
reader_read(TNEFIOStruct *io, int size, int count, void *dest)
{
	struct reader *r = io->data;
	gsize want = (gsize)size * (gsize)count;
	guint8 *out = dest;
	while (want > 0 && r->range < r->keep->len) {
		const struct range *g = &g_array_index(r->keep, struct range, r->range);
		gsize n = MIN(want, g->len - r->off);
		memcpy(out, r->data + g->start + r->off, n);
		out += n;
		want -= n;
		r->off += n;
		if (r->off == g->len) {
			r->range++;
			r->off = 0;
		}
	}
	return want == 0 ? count : 0;
}

/* Returns S (NUL-terminated) with the UTF-16 surrogate pairs libytnef's
 * UTF-16 reading writes as two 3-byte sequences each (CESU-8) made one
 * 4-byte UTF-8 sequence, then made valid; the caller frees it. */
static char *
join_surrogates(const char *s)
{
	GString *out = g_string_new(NULL);
	const guint8 *p = (const guint8 *)s;
	while (*p) {
		if (p[0] == 0xED && (p[1] & 0xF0) == 0xA0 && (p[2] & 0xC0) == 0x80 &&
		    p[3] == 0xED && (p[4] & 0xF0) == 0xB0 && (p[5] & 0xC0) == 0x80) {
			gunichar hi = 0xD000 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			gunichar lo = 0xD000 | (p[4] & 0x3F) << 6 | (p[5] & 0x3F);
			g_string_append_unichar(out,
			                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
			p += 6;
		} else {
			g_string_append_c(out, *p++);
		}
	}
	char *valid = g_utf8_make_valid(out->str, out->len);
	g_string_free(out, TRUE);
	return valid;
}

/* Returns the text of property TAG (a PT_STRING8 or PT_UNICODE tag's id)
 * of PROPS as valid UTF-8, or NULL. libytnef gives PT_UNICODE as
 * NUL-terminated UTF-8 of its own making (join_surrogates()), PT_STRING8 as the bytes sent
 * (in the sender's ANSI code page: UTF-8 when valid, else windows-1252). */
static char *
mapi_string(MAPIProps *props, guint32 id)
{
	variableLength *v = MAPIFindProperty(props, PROP_TAG(PT_UNICODE, id));
	if (v != MAPI_UNDEFINED && v->data && v->size > 0)
		return join_surrogates((const char *)v->data);
	v = MAPIFindProperty(props, PROP_TAG(PT_STRING8, id));
	if (v != MAPI_UNDEFINED && v->data && v->size > 0)
		return mc_to_utf8((const char *)v->data, strnlen((const char *)v->data, v->size),
		                  NULL);
	return NULL;
}

/* Returns the MIME type of file F from its MIME tag (may be NULL) when it
 * is one, else from its name. */
static char *
file_type(const char *tag, const char *name)
{
	gboolean ok = tag && strlen(tag) <= MAX_MIME_TYPE;
	const char *slash = tag ? strchr(tag, '/') : NULL;
	ok = ok && slash && slash > tag && slash[1] && !strchr(slash + 1, '/');
	for (const char *p = tag; ok && *p; p++)
		ok = p == slash || g_ascii_isalnum(*p) || strchr("!#$&-^_.+", *p);
	if (ok && g_ascii_strcasecmp(tag, "application/octet-stream") != 0)
		return g_ascii_strdown(tag, -1);
	const char *guess = mimetype_of_filename(name);
	return g_strdup(guess ? guess : "application/octet-stream");
}

static GPtrArray *
decode(const guint8 *data, gsize len, guint *left_out, GError **error)
{
	parse_init(); /* mc_to_utf8() converts with GMime */
	g_autoptr(GArray) keep = g_array_new(FALSE, FALSE, sizeof(struct range));
	g_autoptr(GArray) atts = g_array_new(FALSE, FALSE, sizeof(struct sifted));
	if (!sift(data, len, keep, atts, left_out, error))
		return NULL;

	TNEFStruct tnef;
	TNEFInitialize(&tnef);
	tnef.Debug = 0;
	tnef.attachmentSize = TNEF_MAX_BYTES / (1024 * 1024) + 1; /* in MB */
	struct reader r = { .data = data, .keep = keep };
	tnef.IO.data = &r;
	tnef.IO.ReadProc = reader_read;
	int rc = TNEFParse(&tnef);
	if (rc != 0) {
		/* sift() let through only what libytnef reads: a bug here. */
		TNEFFree(&tnef);
		g_set_error(error, TNEF_ERROR, TNEF_ERROR_CORRUPT, "libytnef failed (%d)", rc);
		return NULL;
	}

	GPtrArray *files = g_ptr_array_new_with_free_func(tnef_file_free);
	guint i = 0;
	for (Attachment *a = tnef.starting_attach.next; a && i < atts->len; a = a->next, i++) {
		const struct sifted *s = &g_array_index(atts, struct sifted, i);
		if (!s->data) {
			(*left_out)++;
			continue;
		}
		struct tnef_file *f = g_new0(struct tnef_file, 1);
		f->name = mapi_string(&a->MAPI, PR_ATTACH_LONG_FILENAME);
		if ((!f->name || !*f->name) && a->Title.data && a->Title.size > 0) {
			g_free(f->name);
			f->name =
			    mc_to_utf8((const char *)a->Title.data,
			               strnlen((const char *)a->Title.data, a->Title.size), NULL);
		}
		if (!f->name)
			f->name = g_strdup("");
		g_autofree char *tag = mapi_string(&a->MAPI, PR_ATTACH_MIME_TAG);
		f->mime_type = file_type(tag, f->name);
		if (a->FileData.data && a->FileData.size > 0) {
			/* Taken from libytnef, which no longer frees it (a size of 0). */
			f->bytes = g_byte_array_free_to_bytes(
			    g_byte_array_new_take(a->FileData.data, a->FileData.size));
			a->FileData.data = NULL;
			a->FileData.size = 0;
		} else {
			f->bytes = g_bytes_new(NULL, 0);
		}
		g_ptr_array_add(files, f);
	}
	TNEFFree(&tnef);
	return files;
}
#endif

GPtrArray *
tnef_decode(const guint8 *data, gsize len, guint *left_out, GError **error)
{
	if (left_out)
		*left_out = 0;
	if (len > TNEF_MAX_BYTES) {
		g_set_error(error, TNEF_ERROR, TNEF_ERROR_TOO_LARGE,
		            "larger than %d MB, not opened", TNEF_MAX_BYTES / (1024 * 1024));
		return NULL;
	}
#ifdef HAVE_YTNEF
	guint left = 0;
	GPtrArray *files = decode(data, len, &left, error);
	if (left_out)
		*left_out = left;
	return files;
#else
	g_set_error(error, TNEF_ERROR, TNEF_ERROR_UNSUPPORTED, "built without libytnef");
	return NULL;
#endif
}

/* ---- TNEF parts of a GMime message ---- */

gboolean
tnef_part_is(GMimePart *part, const char *path)
{
	if (strstr(path, "/tnef/"))
		return FALSE;
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	if (g_mime_content_type_is_type(ct, "application", "ms-tnef") ||
	    g_mime_content_type_is_type(ct, "application", "vnd.ms-tnef"))
		return TRUE;
	const char *name = part_filename(part);
	return name && g_ascii_strcasecmp(name, "winmail.dat") == 0;
}

/* Returns a GMime part holding file F, whose bytes it takes. */
static GMimePart *
file_part(struct tnef_file *f)
{
	g_autofree char *type = g_strdup(f->mime_type);
	char *slash = strchr(type, '/');
	*slash = '\0';
	GMimePart *part = g_mime_part_new_with_type(type, slash + 1);
	if (*f->name)
		g_mime_part_set_filename(part, f->name);
	GByteArray *bytes = g_bytes_unref_to_array(g_steal_pointer(&f->bytes));
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);
	GMimeDataWrapper *content =
	    g_mime_data_wrapper_new_with_stream(mem, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, content);
	g_object_unref(content);
	g_object_unref(mem);
	return part;
}

GPtrArray *
tnef_part_files(GMimePart *part, const char *path, struct parsed_message *pm, gboolean *whole)
{
	static const char key[] = "mailclerk-tnef-files";
	*whole = FALSE;
	if (!tnef_supported())
		return NULL;
	GPtrArray *parts = g_object_get_data(G_OBJECT(part), key);
	if (parts) {
		*whole =
		    GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(part), "mailclerk-tnef-whole"));
		return parts;
	}

	gboolean cut;
	g_autoptr(GByteArray) bytes = part_bytes_max(part, TNEF_MAX_BYTES, &cut);
	g_autoptr(GError) error = NULL;
	guint left_out = 0;
	g_autoptr(GPtrArray) files = NULL;
	if (cut)
		g_set_error(&error, TNEF_ERROR, TNEF_ERROR_TOO_LARGE,
		            "larger than %d MB, not opened", TNEF_MAX_BYTES / (1024 * 1024));
	else
		files = tnef_decode(bytes->data, bytes->len, &left_out, &error);
	if (!files) {
		if (pm) {
			g_autofree char *name = clean_line(part_filename(part));
			parsed_message_add_problem(
			    pm, "part %s (%s): TNEF not read: %s; listed as it is", path,
			    *name ? name : "no name", error->message);
		}
		return NULL;
	}
	parts = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < files->len; i++)
		g_ptr_array_add(parts, file_part(g_ptr_array_index(files, i)));
	g_object_set_data_full(G_OBJECT(part), key, parts, (GDestroyNotify)g_ptr_array_unref);
	*whole = left_out == 0;
	g_object_set_data(G_OBJECT(part), "mailclerk-tnef-whole", GUINT_TO_POINTER(*whole));
	return parts;
}

char *
tnef_outer_path(const char *path, guint *index)
{
	const char *mark = strstr(path, "/tnef/");
	if (!mark || mark == path)
		return NULL;
	const char *n = mark + strlen("/tnef/");
	guint64 v;
	if (!g_ascii_string_to_unsigned(n, 10, 1, TNEF_MAX_FILES, &v, NULL) || *n == '0' ||
	    *n == '+')
		return NULL;
	*index = (guint)v - 1;
	return g_strndup(path, mark - path);
}
