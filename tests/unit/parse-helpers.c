/* The helpers the parse_message() tests share (parse-helpers.h). */
#include "config.h"

#include <string.h>

#include <xxhash.h>

#include "tests/unit/parse-helpers.h"

struct parsed_message *
parse_ok(const char *raw, enum parse_flags flags)
{
	g_autoptr(GError) error = NULL;
	struct parsed_message *pm = parse_message(raw, strlen(raw), 1000, flags, &error);
	g_assert_no_error(error);
	g_assert_nonnull(pm);
	return pm;
}

char *
sha256(const void *data, gsize len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

char *
xxh3_128(const void *data, gsize len)
{
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits(data, len));
	GString *hex = g_string_new(NULL);
	for (guint i = 0; i < sizeof c.digest; i++)
		g_string_append_printf(hex, "%02x", c.digest[i]);
	return g_string_free(hex, FALSE);
}

/* Every string of PM is valid UTF-8 and the fixed fields are well formed. */
void
assert_sane(const struct parsed_message *pm)
{
	g_assert_true(g_utf8_validate(pm->message_id, -1, NULL));
	g_assert_cmpstr(pm->message_id, !=, "");
	g_assert_cmpuint(strlen(pm->message_id), <=, 512);
	g_assert_cmpuint(strlen(pm->content_hash), ==, 2 * CONTENT_HASH_BYTES);
	g_assert_true(g_utf8_validate(pm->subject, -1, NULL));
	g_assert_true(g_utf8_validate(pm->body_text, -1, NULL));
	g_assert_true(g_utf8_validate(pm->automated_why, -1, NULL));
	g_assert_cmpuint(strlen(pm->body_text), <=, 1024 * 1024);
	if (pm->in_reply_to)
		g_assert_true(g_utf8_validate(pm->in_reply_to, -1, NULL));
	for (guint i = 0; i < pm->references->len; i++)
		g_assert_true(g_utf8_validate(g_ptr_array_index(pm->references, i), -1, NULL));
	for (guint i = 0; i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		g_assert_true(g_utf8_validate(a->name, -1, NULL));
		g_assert_true(g_utf8_validate(a->address, -1, NULL));
		g_assert_true(g_utf8_validate(a->domain, -1, NULL));
	}
	for (guint i = 0; i < pm->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, i);
		g_assert_true(g_utf8_validate(a->part, -1, NULL));
		g_assert_true(g_utf8_validate(a->filename, -1, NULL));
		g_assert_true(g_utf8_validate(a->mime_type, -1, NULL));
		g_assert_cmpuint(strlen(a->sha256), ==, 64);
	}
	g_assert_cmpuint(pm->labels->len, <=, 200);
	for (guint i = 0; i < pm->labels->len; i++) {
		const char *l = g_ptr_array_index(pm->labels, i);
		g_assert_true(g_utf8_validate(l, -1, NULL));
		g_assert_cmpstr(l, !=, "");
		g_assert_cmpuint(strlen(l), <=, 1024);
	}
	if (pm->headers) {
		for (guint i = 0; i < pm->headers->len; i++) {
			const struct mc_header *h = g_ptr_array_index(pm->headers, i);
			g_assert_true(g_utf8_validate(h->name, -1, NULL));
			g_assert_true(g_utf8_validate(h->value, -1, NULL));
		}
	}
}
