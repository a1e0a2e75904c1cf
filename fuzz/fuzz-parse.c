/* Fuzz target: message parsing (ingest/parse.h), as ingest parses a file.
 *
 * The input is one message. Besides crashes it checks what parse.h
 * promises: valid UTF-8 everywhere, and every attachment listed reads back
 * with parse_attachment_bytes() as the same bytes. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "common/sha256.h"
#include "ingest/parse.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	parse_init();
	return 0;
}

/* Every string of a parsed message is valid UTF-8 (ingest/parse.h). */
static void
check_strings(const struct parsed_message *pm)
{
	fuzz_check_utf8("message_id", pm->message_id);
	fuzz_check_utf8("subject", pm->subject);
	fuzz_check_utf8("in_reply_to", pm->in_reply_to);
	fuzz_check_utf8("body_text", pm->body_text);
	fuzz_check_utf8("alt_words", pm->alt_words);
	fuzz_check_utf8("automated_why", pm->automated_why);
	for (guint i = 0; pm->references && i < pm->references->len; i++)
		fuzz_check_utf8("a reference", g_ptr_array_index(pm->references, i));
	for (guint i = 0; i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		fuzz_check_utf8("an address name", a->name);
		fuzz_check_utf8("an address", a->address);
		fuzz_check_utf8("an address domain", a->domain);
	}
	for (guint i = 0; pm->headers && i < pm->headers->len; i++) {
		const struct mc_header *h = g_ptr_array_index(pm->headers, i);
		fuzz_check_utf8("a header name", h->name);
		fuzz_check_utf8("a header value", h->value);
	}
	if (!pm->message_id || !*pm->message_id)
		fuzz_fail("no Message-ID, not even a synthesized one");
}

/* What `attachments save` writes is what ingest listed: the same part,
 * size and SHA-256. */
static void
check_attachments(const struct parsed_message *pm, const uint8_t *data, size_t size)
{
	for (guint i = 0; i < pm->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, i);
		fuzz_check_utf8("an attachment part", a->part);
		fuzz_check_utf8("an attachment file name", a->filename);
		fuzz_check_utf8("an attachment type", a->mime_type);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes =
		    parse_attachment_bytes((const char *)data, size, a->part, &error);
		if (!bytes)
			fuzz_fail("attachment part %s was listed but cannot be read: %s", a->part,
			          error ? error->message : "no error set");
		gsize n;
		const void *p = g_bytes_get_data(bytes, &n);
		char hex[SHA256_HEX_SIZE];
		sha256_hex(p, n, hex);
		if ((gint64)n != a->size || strcmp(hex, a->sha256) != 0)
			fuzz_fail("attachment part %s was listed with %" G_GINT64_FORMAT
			          " bytes (%s) but reads back as %" G_GSIZE_FORMAT " (%s)",
			          a->part, a->size, a->sha256, n, hex);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(parsed_message) pm =
	    parse_message((const char *)data, size, 0, PARSE_HEADERS, &error);
	if (!pm) {
		if (!error || error->domain != PARSE_ERROR)
			fuzz_fail("parse_message() failed without a PARSE_ERROR");
		return 0;
	}
	check_strings(pm);
	check_attachments(pm, data, size);
	return 0;
}
