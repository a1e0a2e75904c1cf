/* Unit tests of ingest/tnef.c: TNEF streams built in memory (a small writer
 * after [MS-OXTNEF], like tests/corpus/shapes/make-tnef.py), decoded by
 * tnef_decode(), and TNEF parts in whole messages through parse_message()
 * and parse_attachment_bytes(). */
#include "config.h"

#include <string.h>

#include "ingest/parse.h"
#include "ingest/tnef.h"
#include "tests/unit/parse-helpers.h"

#define LVL_MESSAGE    1
#define LVL_ATTACHMENT 2
#define ATT_BODY       0x0002800Cu
#define ATT_MAPI_PROPS 0x00069003u
#define ATT_RENDDATA   0x00069002u
#define ATT_TITLE      0x00018010u
#define ATT_DATA       0x0006800Fu
#define ATT_ATTACHMENT 0x00069005u

#define PT_LONG    0x0003u
#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define PT_BINARY  0x0102u

#define PR_ATTACH_METHOD        0x3705u
#define PR_ATTACH_LONG_FILENAME 0x3707u
#define PR_ATTACH_MIME_TAG      0x370Eu
#define PR_SUBJECT              0x0037u

/* ---- a TNEF writer ---- */

static void
put32(GByteArray *b, guint32 v)
{
	guint32 le = GUINT32_TO_LE(v);
	g_byte_array_append(b, (const guint8 *)&le, 4);
}

static GByteArray *
tnef_new(void)
{
	GByteArray *b = g_byte_array_new();
	put32(b, 0x223E9F78);
	g_byte_array_append(b, (const guint8 *)"\x17\x4a", 2);
	return b;
}

static void
attr(GByteArray *b, guint8 level, guint32 id, const void *data, guint32 len)
{
	guint16 sum = 0;
	for (guint32 i = 0; i < len; i++)
		sum += ((const guint8 *)data)[i];
	g_byte_array_append(b, &level, 1);
	put32(b, id);
	put32(b, len);
	g_byte_array_append(b, data, len);
	guint16 le = GUINT16_TO_LE(sum);
	g_byte_array_append(b, (const guint8 *)&le, 2);
}

static void
attr_str(GByteArray *b, guint8 level, guint32 id, const char *s)
{
	attr(b, level, id, s, strlen(s) + 1);
}

/* MAPI properties: a count, then each property. */
struct props {
	GByteArray *b;
	guint32 n;
};

static void
prop_long(struct props *p, guint32 id, guint32 v)
{
	put32(p->b, id << 16 | PT_LONG);
	put32(p->b, v);
	p->n++;
}

static void
prop_bytes(struct props *p, guint32 tag, const void *data, guint32 len)
{
	put32(p->b, tag);
	put32(p->b, 1);
	put32(p->b, len);
	g_byte_array_append(p->b, data, len);
	static const guint8 zero[4] = { 0 };
	g_byte_array_append(p->b, zero, (4 - len % 4) % 4);
	p->n++;
}

static void
prop_string8(struct props *p, guint32 id, const char *s)
{
	prop_bytes(p, id << 16 | PT_STRING8, s, strlen(s) + 1);
}

static void
prop_unicode(struct props *p, guint32 id, const char *utf8)
{
	glong n;
	g_autofree gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
	prop_bytes(p, id << 16 | PT_UNICODE, u, (n + 1) * 2);
}

/* Writes P as attribute ID of B and frees it. */
static void
props_end(GByteArray *b, guint8 level, guint32 id, struct props *p)
{
	g_autoptr(GByteArray) all = g_byte_array_new();
	put32(all, p->n);
	g_byte_array_append(all, p->b->data, p->b->len);
	attr(b, level, id, all->data, all->len);
	g_byte_array_unref(p->b);
}

static void
renddata(GByteArray *b)
{
	static const guint8 r[14] = { 1, 0, 0xff, 0xff, 0xff, 0xff };
	attr(b, LVL_ATTACHMENT, ATT_RENDDATA, r, sizeof r);
}

/* A file: its title, data and (when LONG_NAME or MIME is not NULL) its
 * properties. */
static void
file(GByteArray *b, const char *title, const char *data, const char *long_name, const char *mime)
{
	renddata(b);
	if (title)
		attr_str(b, LVL_ATTACHMENT, ATT_TITLE, title);
	attr(b, LVL_ATTACHMENT, ATT_DATA, data, strlen(data));
	struct props p = { g_byte_array_new(), 0 };
	prop_long(&p, PR_ATTACH_METHOD, 1);
	if (long_name)
		prop_unicode(&p, PR_ATTACH_LONG_FILENAME, long_name);
	if (mime)
		prop_string8(&p, PR_ATTACH_MIME_TAG, mime);
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &p);
}

/* What message-level attributes Outlook writes first. */
static void
message_start(GByteArray *b)
{
	attr_str(b, LVL_MESSAGE, ATT_BODY, "The body.");
	struct props p = { g_byte_array_new(), 0 };
	prop_string8(&p, PR_SUBJECT, "A subject");
	prop_bytes(&p, 0x1009u << 16 | PT_BINARY, "LZFu", 4);
	props_end(b, LVL_MESSAGE, ATT_MAPI_PROPS, &p);
}

/* Decodes B, which must succeed; returns the files. */
static GPtrArray *
decode_ok(GByteArray *b, guint *left_out)
{
	g_autoptr(GError) error = NULL;
	GPtrArray *files = tnef_decode(b->data, b->len, left_out, &error);
	g_assert_no_error(error);
	g_assert_nonnull(files);
	return files;
}

static void
assert_file(GPtrArray *files, guint i, const char *name, const char *type, const char *data)
{
	g_assert_cmpuint(i, <, files->len);
	const struct tnef_file *f = g_ptr_array_index(files, i);
	g_assert_cmpstr(f->name, ==, name);
	g_assert_cmpstr(f->mime_type, ==, type);
	gsize len;
	const char *got = g_bytes_get_data(f->bytes, &len);
	g_assert_cmpmem(got, len, data, strlen(data));
}

/* Decodes B, which must fail with an error whose message is WHY. */
static void
assert_fails(GByteArray *b, int code, const char *why)
{
	g_autoptr(GError) error = NULL;
	guint left_out = 7;
	g_assert_null(tnef_decode(b->data, b->len, &left_out, &error));
	g_assert_error(error, TNEF_ERROR, code);
	g_assert_cmpstr(error->message, ==, why);
}

/* ---- tnef_decode() ---- */

static void
test_two_files(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	message_start(b);
	file(b, "RATES-~1.TXT", "rates: plimsquorth\n", "rates-2024.txt", "text/plain");
	file(b, "PROPOS~1.DOC", "PK\x03\x04 not really a zip", "proposal.docx",
	     "Application/VND.openxmlformats-officedocument.wordprocessingml.document");
	guint left_out = 7;
	g_autoptr(GPtrArray) files = decode_ok(b, &left_out);
	g_assert_cmpuint(files->len, ==, 2);
	g_assert_cmpuint(left_out, ==, 0);
	assert_file(files, 0, "rates-2024.txt", "text/plain", "rates: plimsquorth\n");
	assert_file(files, 1, "proposal.docx",
	            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	            "PK\x03\x04 not really a zip");
}

static void
test_names_and_types(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	file(b, "BERGAB~1.TXT", "a", "Übergabe für Ελληνικά – März.txt", NULL);
	file(b, "REPORT.PDF", "b", NULL, NULL);               /* only the 8.3 title */
	file(b, "R\xe9SUM\xe9.TXT", "c", NULL, "text/plain"); /* windows-1252 */
	file(b, NULL, "d", NULL, NULL);                       /* no name at all */
	file(b, "DATA.BIN", "e", "data.csv", "not a type");   /* a tag that is no type */
	file(b, "X.PNG", "f", "x.png", "application/octet-stream");
	file(b, "CLIP.TXT", "g", "clip 📎 𝄞.txt", NULL); /* beyond the BMP */
	g_autoptr(GPtrArray) files = decode_ok(b, NULL);
	g_assert_cmpuint(files->len, ==, 7);
	assert_file(files, 0, "Übergabe für Ελληνικά – März.txt", "text/plain", "a");
	assert_file(files, 1, "REPORT.PDF", "application/pdf", "b");
	assert_file(files, 2, "RéSUMé.TXT", "text/plain", "c");
	assert_file(files, 3, "", "application/octet-stream", "d");
	assert_file(files, 4, "data.csv", "text/csv", "e");
	assert_file(files, 5, "x.png", "image/png", "f");
	assert_file(files, 6, "clip 📎 𝄞.txt", "text/plain", "g");
}

static void
test_no_files(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	message_start(b);
	guint left_out = 7;
	g_autoptr(GPtrArray) files = decode_ok(b, &left_out);
	g_assert_cmpuint(files->len, ==, 0);
	g_assert_cmpuint(left_out, ==, 0);
	/* Just the signature and the key. */
	g_autoptr(GByteArray) empty = tnef_new();
	g_autoptr(GPtrArray) none = decode_ok(empty, NULL);
	g_assert_cmpuint(none->len, ==, 0);
}

static void
test_damaged(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	message_start(b);
	file(b, "A.TXT", "0123456789", "a.txt", NULL);
	guint data_at = b->len - 10;
	for (guint i = 0; i + 10 < b->len; i++)
		if (memcmp(b->data + i, "0123456789", 10) == 0)
			data_at = i;
	guint attr_at = data_at - 9;

	g_autoptr(GByteArray) shrt = g_byte_array_new();
	g_byte_array_append(shrt, b->data, 5);
	assert_fails(shrt, TNEF_ERROR_CORRUPT, "too short for TNEF (5 bytes)");

	g_autoptr(GByteArray) sig = g_byte_array_new();
	g_byte_array_append(sig, b->data, b->len);
	sig->data[0] = 0x79;
	assert_fails(sig, TNEF_ERROR_CORRUPT,
	             "not TNEF: the signature is 0x223e9f79, not 0x223e9f78");

	/* Cut inside the file's data, then inside an attribute's header. */
	g_autoptr(GByteArray) cut = g_byte_array_new();
	g_byte_array_append(cut, b->data, data_at + 4);
	g_autofree char *claims = g_strdup_printf(
	    "attribute 0x0006800f at byte %u claims 10 bytes; only 2 follow", attr_at);
	assert_fails(cut, TNEF_ERROR_CORRUPT, claims);
	g_byte_array_set_size(cut, attr_at + 3);
	g_autofree char *head =
	    g_strdup_printf("cut short: 3 bytes at byte %u are no attribute", attr_at);
	assert_fails(cut, TNEF_ERROR_CORRUPT, head);

	/* A length that lies: larger than the stream, or smaller (the
	 * checksum is then read from the data). */
	g_autoptr(GByteArray) lie = g_byte_array_new();
	g_byte_array_append(lie, b->data, b->len);
	lie->data[attr_at + 5] = 0xff;
	lie->data[attr_at + 8] = 0x7f;
	g_autofree char *big = g_strdup_printf(
	    "attribute 0x0006800f at byte %u claims 2130706687 bytes; only %u follow", attr_at,
	    b->len - attr_at - 11);
	assert_fails(lie, TNEF_ERROR_CORRUPT, big);
	lie->data[attr_at + 5] = 6;
	lie->data[attr_at + 8] = 0;
	g_autofree char *sum =
	    g_strdup_printf("checksum mismatch in attribute 0x0006800f at byte %u", attr_at);
	assert_fails(lie, TNEF_ERROR_CORRUPT, sum);

	/* An empty attAttachRendData, whose checksum is right: libytnef
	 * would print its refusal on stdout, in the middle of our JSON. */
	g_autoptr(GByteArray) rend = tnef_new();
	file(rend, "A.TXT", "0123456789", "a.txt", NULL);
	guint rend_at = rend->len;
	attr(rend, LVL_ATTACHMENT, ATT_RENDDATA, "", 0);
	file(rend, "B.TXT", "abc", "b.txt", NULL);
	g_autofree char *empty = g_strdup_printf(
	    "attribute 0x00069002 at byte %u starts an attachment but is empty", rend_at);
	assert_fails(rend, TNEF_ERROR_CORRUPT, empty);

	/* A flipped bit in the data. */
	g_autoptr(GByteArray) flip = g_byte_array_new();
	g_byte_array_append(flip, b->data, b->len);
	flip->data[data_at + 3] ^= 0x10;
	assert_fails(flip, TNEF_ERROR_CORRUPT, sum);

	/* Too large: refused before a byte is read. */
	g_autoptr(GError) error = NULL;
	g_assert_null(tnef_decode(b->data, (gsize)TNEF_MAX_BYTES + 1, NULL, &error));
	g_assert_error(error, TNEF_ERROR, TNEF_ERROR_TOO_LARGE);
	g_assert_cmpstr(error->message, ==, "larger than 64 MB, not opened");
}

static void
test_bounds(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	for (guint i = 0; i < TNEF_MAX_FILES + 3; i++) {
		g_autofree char *name = g_strdup_printf("f%u.txt", i + 1);
		file(b, NULL, name, name, NULL);
	}
	guint left_out;
	g_autoptr(GPtrArray) files = decode_ok(b, &left_out);
	g_assert_cmpuint(files->len, ==, TNEF_MAX_FILES);
	g_assert_cmpuint(left_out, ==, 3);
	assert_file(files, TNEF_MAX_FILES - 1, "f100.txt", "text/plain", "f100.txt");
}

/* What libytnef cannot take is not given to it, and costs only what it
 * would have told. */
static void
test_left_to_libytnef(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	/* Attachment attributes before any attAttachRendData: no attachment's. */
	attr(b, LVL_ATTACHMENT, ATT_DATA, "stray", 5);
	attr_str(b, LVL_ATTACHMENT, ATT_TITLE, "STRAY.TXT");

	/* An attached Outlook message: no attAttachData, method 5. */
	renddata(b);
	attr_str(b, LVL_ATTACHMENT, ATT_TITLE, "Meeting");
	struct props p = { g_byte_array_new(), 0 };
	prop_long(&p, PR_ATTACH_METHOD, 5);
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &p);

	/* An empty file: libytnef refuses attributes of length 0. */
	renddata(b);
	attr_str(b, LVL_ATTACHMENT, ATT_TITLE, "EMPTY.TXT");
	attr(b, LVL_ATTACHMENT, ATT_DATA, "", 0);

	/* A title over libytnef's 100 bytes, a second data attribute, and a
	 * property block it would refuse (a value over 512 KB): the first
	 * data, no title, no properties. */
	renddata(b);
	char title[160];
	memset(title, 'T', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	attr_str(b, LVL_ATTACHMENT, ATT_TITLE, title);
	attr(b, LVL_ATTACHMENT, ATT_DATA, "first", 5);
	attr(b, LVL_ATTACHMENT, ATT_DATA, "second", 6);
	struct props big = { g_byte_array_new(), 0 };
	prop_unicode(&big, PR_ATTACH_LONG_FILENAME, "big.txt");
	g_autofree char *huge = g_malloc0(600 * 1024);
	prop_bytes(&big, 0x3701u << 16 | PT_BINARY, huge, 600 * 1024);
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &big);

	/* Properties of a type libytnef does not know, and a multi-valued
	 * property last (which it reads one value of, then fails). */
	file(b, "ODD.TXT", "odd", NULL, NULL);
	struct props odd = { g_byte_array_new(), 0 };
	put32(odd.b, 0x3707u << 16 | 0x0099);
	put32(odd.b, 0);
	odd.n++;
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &odd);
	file(b, "MV.TXT", "mv", NULL, NULL);
	struct props mv = { g_byte_array_new(), 0 };
	prop_unicode(&mv, PR_ATTACH_LONG_FILENAME, "mv-name.txt");
	put32(mv.b, 0x8001u << 16 | 0x1003); /* named, multi-valued PT_LONG */
	g_byte_array_append(mv.b, (const guint8 *)"0123456789abcdef", 16);
	put32(mv.b, 0);      /* no names: a numeric id follows */
	put32(mv.b, 0x8001); /* the id */
	put32(mv.b, 2);      /* two values */
	put32(mv.b, 1);
	put32(mv.b, 2);
	mv.n++;
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &mv);

	guint left_out;
	g_autoptr(GPtrArray) files = decode_ok(b, &left_out);
	g_assert_cmpuint(left_out, ==, 1); /* the Outlook message */
	g_assert_cmpuint(files->len, ==, 4);
	assert_file(files, 0, "EMPTY.TXT", "text/plain", "");
	assert_file(files, 1, "", "application/octet-stream", "first");
	/* ODD.TXT's own block came first and was read; the odd one is a
	 * second block of the same attachment. */
	assert_file(files, 2, "ODD.TXT", "text/plain", "odd");
	assert_file(files, 3, "MV.TXT", "text/plain", "mv");
}

/* A multi-valued property that is not last, and named properties with
 * names, are read as libytnef reads them. */
static void
test_properties(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	renddata(b);
	attr(b, LVL_ATTACHMENT, ATT_DATA, "xyz", 3);
	struct props p = { g_byte_array_new(), 0 };
	put32(p.b, 0x8002u << 16 | 0x101E); /* named, multi-valued PT_STRING8 */
	g_byte_array_append(p.b, (const guint8 *)"0123456789abcdef", 16);
	put32(p.b, 1); /* one name */
	put32(p.b, 6);
	g_byte_array_append(p.b, (const guint8 *)"n\0a\0m\0\0\0", 8);
	put32(p.b, 2); /* two values */
	put32(p.b, 2);
	g_byte_array_append(p.b, (const guint8 *)"a\0\0\0", 4);
	put32(p.b, 3);
	g_byte_array_append(p.b, (const guint8 *)"bc\0\0", 4);
	p.n++;
	prop_unicode(&p, PR_ATTACH_LONG_FILENAME, "named.txt");
	props_end(b, LVL_ATTACHMENT, ATT_ATTACHMENT, &p);
	g_autoptr(GPtrArray) files = decode_ok(b, NULL);
	g_assert_cmpuint(files->len, ==, 1);
	assert_file(files, 0, "named.txt", "text/plain", "xyz");
}

static void
test_outer_path(void)
{
	guint index = 99;
	g_autofree char *a = tnef_outer_path("2/tnef/1", &index);
	g_assert_cmpstr(a, ==, "2");
	g_assert_cmpuint(index, ==, 0);
	g_autofree char *b = tnef_outer_path("1.3.2/tnef/100", &index);
	g_assert_cmpstr(b, ==, "1.3.2");
	g_assert_cmpuint(index, ==, 99);
	static const char *const no[] = { "2",         "2/tnef/",    "2/tnef/0",
		                          "2/tnef/01", "2/tnef/+1",  "2/tnef/x",
		                          "/tnef/1",   "2/tnef/101", "2/tnef/1/tnef/1" };
	for (guint i = 0; i < G_N_ELEMENTS(no); i++)
		g_assert_null(tnef_outer_path(no[i], &index));
}

/* ---- TNEF parts in messages ---- */

/* Returns a message whose part 2 is TNEF stream B with CTYPE and NAME. */
static char *
message_with(GByteArray *b, const char *ctype, const char *name)
{
	g_autofree char *b64 = g_base64_encode(b->data, b->len);
	g_autofree char *params = name ? g_strdup_printf("; name=\"%s\"", name) : g_strdup("");
	return g_strdup_printf("From: kai@fjordline.example\n"
	                       "Subject: files\n"
	                       "Message-ID: <t@fjordline.example>\n"
	                       "MIME-Version: 1.0\n"
	                       "Content-Type: multipart/mixed; boundary=b\n\n"
	                       "--b\n"
	                       "Content-Type: text/plain\n\n"
	                       "The body, trevalunk.\n"
	                       "--b\n"
	                       "Content-Type: %s%s\n"
	                       "Content-Transfer-Encoding: base64\n\n"
	                       "%s\n"
	                       "--b--\n",
	                       ctype, params, b64);
}

static const struct mc_attachment *
att(const struct parsed_message *pm, guint i)
{
	g_assert_cmpuint(i, <, pm->attachments->len);
	return g_ptr_array_index(pm->attachments, i);
}

static void
test_message(void)
{
	if (!tnef_supported()) {
		g_test_skip("built without libytnef");
		return;
	}
	g_autoptr(GByteArray) b = tnef_new();
	message_start(b);
	file(b, "RATES-~1.TXT", "Rates: plimsquorth.\n", "rates-2024.txt", "text/plain");
	file(b, "PROPOS~1.DOC", "PK\x03\x04 zip", "proposal.docx", NULL);
	static const char *const kinds[][2] = {
		{ "application/ms-tnef", "winmail.dat" },
		{ "application/vnd.ms-tnef", NULL },
		{ "application/octet-stream", "WINMAIL.DAT" },
	};
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		g_autofree char *raw = message_with(b, kinds[k][0], kinds[k][1]);
		g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
		assert_sane(pm);
		g_assert_null(pm->problems);
		g_assert_cmpuint(pm->attachments->len, ==, 3);
		/* winmail.dat itself, shown only with --include-inline */
		g_assert_cmpstr(att(pm, 0)->part, ==, "2");
		g_assert_true(att(pm, 0)->is_inline);
		g_assert_cmpint(att(pm, 0)->size, ==, b->len);
		g_assert_cmpstr(att(pm, 1)->part, ==, "2/tnef/1");
		g_assert_cmpstr(att(pm, 1)->filename, ==, "rates-2024.txt");
		g_assert_cmpstr(att(pm, 1)->mime_type, ==, "text/plain");
		g_assert_cmpint(att(pm, 1)->size, ==, 20);
		g_autofree char *hash = sha256("Rates: plimsquorth.\n", 20);
		g_assert_cmpstr(att(pm, 1)->sha256, ==, hash);
		g_assert_false(att(pm, 1)->is_inline);
		g_assert_cmpstr(att(pm, 2)->part, ==, "2/tnef/2");
		g_assert_cmpstr(att(pm, 2)->filename, ==, "proposal.docx");
		g_assert_cmpstr(att(pm, 2)->mime_type, ==,
		                "application/vnd.openxmlformats-officedocument.wordprocessingml."
		                "document");
		/* The text file's text follows the body's. */
		g_assert_cmpstr(pm->body_text, ==,
		                "The body, trevalunk.\n\n[rates-2024.txt]\nRates: plimsquorth.");

		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) two =
		    parse_attachment_bytes(raw, strlen(raw), "2/tnef/2", &error);
		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(two, NULL), g_bytes_get_size(two),
		                "PK\x03\x04 zip", 8);
		g_autoptr(GBytes) whole = parse_attachment_bytes(raw, strlen(raw), "2", &error);
		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(whole, NULL), g_bytes_get_size(whole), b->data,
		                b->len);
		static const char *const missing[] = { "2/tnef/3", "1/tnef/1", "2/tnef/0" };
		for (guint i = 0; i < G_N_ELEMENTS(missing); i++) {
			g_autoptr(GError) e = NULL;
			g_assert_null(parse_attachment_bytes(raw, strlen(raw), missing[i], &e));
			g_assert_error(e, PARSE_ERROR, PARSE_ERROR_FAILED);
		}
	}
}

static void
test_message_damaged(void)
{
	g_autoptr(GByteArray) b = tnef_new();
	file(b, "A.TXT", "abc", "a.txt", NULL);
	b->data[b->len - 20] ^= 1; /* in the last attribute's data */
	g_autofree char *raw = message_with(b, "application/ms-tnef", "winmail.dat");
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	assert_sane(pm);
	g_assert_cmpuint(pm->attachments->len, ==, 1);
	g_assert_cmpstr(att(pm, 0)->filename, ==, "winmail.dat");
	g_assert_false(att(pm, 0)->is_inline);
	if (!tnef_supported()) {
		g_assert_null(pm->problems);
		return;
	}
	g_assert_nonnull(pm->problems);
	g_assert_cmpuint(pm->problems->len, ==, 1);
	g_assert_true(g_str_has_prefix(g_ptr_array_index(pm->problems, 0),
	                               "part 2 (winmail.dat): TNEF not read: checksum mismatch "
	                               "in attribute 0x00069005 at byte "));
	g_assert_true(g_str_has_suffix(g_ptr_array_index(pm->problems, 0), "; listed as it is"));
}

/* A TNEF stream holding an attached Outlook message is listed beside the
 * files it gives, so that nothing sent goes missing. */
static void
test_message_partly(void)
{
	if (!tnef_supported()) {
		g_test_skip("built without libytnef");
		return;
	}
	g_autoptr(GByteArray) b = tnef_new();
	file(b, "A.TXT", "abc", "a.txt", NULL);
	renddata(b);
	attr_str(b, LVL_ATTACHMENT, ATT_TITLE, "Meeting");
	g_autofree char *raw = message_with(b, "application/ms-tnef", "winmail.dat");
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	g_assert_null(pm->problems);
	g_assert_cmpuint(pm->attachments->len, ==, 2);
	g_assert_cmpstr(att(pm, 0)->filename, ==, "winmail.dat");
	g_assert_false(att(pm, 0)->is_inline);
	g_assert_cmpstr(att(pm, 1)->part, ==, "2/tnef/1");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (tnef_supported()) {
		g_test_add_func("/tnef/two-files", test_two_files);
		g_test_add_func("/tnef/names-and-types", test_names_and_types);
		g_test_add_func("/tnef/no-files", test_no_files);
		g_test_add_func("/tnef/damaged", test_damaged);
		g_test_add_func("/tnef/bounds", test_bounds);
		g_test_add_func("/tnef/left-to-libytnef", test_left_to_libytnef);
		g_test_add_func("/tnef/properties", test_properties);
	}
	g_test_add_func("/tnef/outer-path", test_outer_path);
	g_test_add_func("/tnef/message", test_message);
	g_test_add_func("/tnef/message-damaged", test_message_damaged);
	g_test_add_func("/tnef/message-partly", test_message_partly);
	return g_test_run();
}
