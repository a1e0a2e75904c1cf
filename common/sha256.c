/* SHA-256 in hex, with nettle (see sha256.h for why this one). */
#include "config.h"

#include "common/sha256.h"

void
sha256_stream_init(struct sha256_stream *s)
{
	sha256_init(&s->ctx);
}

void
sha256_stream_update(struct sha256_stream *s, const void *data, gsize len)
{
	if (len > 0)
		sha256_update(&s->ctx, len, data);
}

void
sha256_stream_finish(struct sha256_stream *s, char out[SHA256_HEX_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(&s->ctx, sizeof digest, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
sha256_bytes(const void *data, gsize len, guint8 out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	if (len > 0)
		sha256_update(&ctx, len, data);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

void
sha256_hex(const void *data, gsize len, char out[SHA256_HEX_SIZE])
{
	struct sha256_stream s;
	sha256_stream_init(&s);
	sha256_stream_update(&s, data, len);
	sha256_stream_finish(&s, out);
}
