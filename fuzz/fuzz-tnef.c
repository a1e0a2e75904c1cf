/* Fuzz target: TNEF streams (ingest/tnef.c and libytnef behind it), the
 * input as the decoded bytes of a winmail.dat part.
 *
 * Besides crashes, leaks and reads out of bounds (libytnef included: sift()
 * is what keeps it in bounds), it checks the promises of tnef.h: a stream
 * either decodes or says why; at most TNEF_MAX_FILES files, whose bytes add
 * up to no more than the input; names valid UTF-8; MIME types lower-case
 * "type/subtype". Every other input has its checksums made right first
 * (else mutations seldom get past them); every tenth is also parsed inside
 * a message, so that the GMime parts and the part paths are fuzzed too. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "ingest/parse.h"
#include "ingest/tnef.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	parse_init();
	return 0;
}

static void
check_files(GPtrArray *files, guint left_out, size_t size)
{
	if (files->len > TNEF_MAX_FILES)
		fuzz_fail("%u files, more than %d", files->len, TNEF_MAX_FILES);
	if (left_out > size)
		fuzz_fail("%u attachments left out of %zu bytes", left_out, size);
	gsize total = 0;
	for (guint i = 0; i < files->len; i++) {
		const struct tnef_file *f = g_ptr_array_index(files, i);
		fuzz_check_utf8("a file's name", f->name);
		const char *slash = strchr(f->mime_type, '/');
		if (!slash || slash == f->mime_type || !slash[1])
			fuzz_fail("MIME type \"%s\" is no type/subtype", f->mime_type);
		for (const char *p = f->mime_type; *p; p++)
			if (g_ascii_isupper(*p) || (guchar)*p >= 0x80 || *p <= ' ')
				fuzz_fail("MIME type \"%s\" is not lower-case ASCII", f->mime_type);
		total += g_bytes_get_size(f->bytes);
	}
	if (total > size)
		fuzz_fail("%zu bytes of files out of %zu bytes of TNEF", total, size);
}

/* The input as part 2 of a message: what parse_message() lists, and the
 * bytes parse_attachment_bytes() gives back for each, must agree. */
static void
check_message(const uint8_t *data, size_t size)
{
	g_autofree char *b64 = g_base64_encode(data, size);
	g_autofree char *raw = g_strdup_printf(
	    "From: a@b.example\nMessage-ID: <f@b.example>\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n"
	    "--b\nContent-Type: application/ms-tnef; name=winmail.dat\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n--b--\n",
	    b64);
	gsize len = strlen(raw);
	g_autoptr(GError) error = NULL;
	g_autoptr(parsed_message) pm = parse_message(raw, len, 0, PARSE_DEFAULT, &error);
	if (!pm)
		fuzz_fail("the message did not parse: %s", error->message);
	fuzz_check_utf8("the body", pm->body_text);
	for (guint i = 0; pm->problems && i < pm->problems->len; i++)
		fuzz_check_utf8("a problem", g_ptr_array_index(pm->problems, i));
	for (guint i = 0; i < pm->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, i);
		fuzz_check_utf8("a file name", a->filename);
		g_autoptr(GError) e = NULL;
		g_autoptr(GBytes) bytes = parse_attachment_bytes(raw, len, a->part, &e);
		if (!bytes)
			fuzz_fail("part %s is listed but cannot be read: %s", a->part, e->message);
		if ((gint64)g_bytes_get_size(bytes) != a->size)
			fuzz_fail("part %s: %zu bytes read, %" G_GINT64_FORMAT " listed", a->part,
			          g_bytes_get_size(bytes), a->size);
	}
}

/* Returns a copy of DATA (SIZE bytes) with the checksum of every attribute
 * made right: a mutation inside an attribute would otherwise almost always
 * end at the checksum, short of libytnef. */
static guint8 *
fix_checksums(const uint8_t *data, size_t size)
{
	guint8 *d = g_malloc(size + 1);
	memcpy(d, data, size);
	for (size_t at = 6; size >= 11 && at <= size - 11;) {
		guint32 len =
		    d[at + 5] | d[at + 6] << 8 | d[at + 7] << 16 | (guint32)d[at + 8] << 24;
		if (len > size - at - 11)
			break;
		guint16 sum = 0;
		for (guint32 i = 0; i < len; i++)
			sum += d[at + 9 + i];
		d[at + 9 + len] = sum & 0xff;
		d[at + 10 + len] = sum >> 8;
		at += 11 + (size_t)len;
	}
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static guint n;
	/* Every other input with its checksums right. */
	g_autofree guint8 *fixed = n % 2 ? fix_checksums(data, size) : NULL;
	if (fixed)
		data = fixed;
	guint left_out = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = tnef_decode(data, size, &left_out, &error);
	if (files)
		check_files(files, left_out, size);
	else if (!error || !g_utf8_validate(error->message, -1, NULL))
		fuzz_fail("no files and no valid reason");
	if (n++ % 10 == 0)
		check_message(data, size);
	return 0;
}
