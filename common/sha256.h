/* SHA-256, the one hash mailclerk uses: content hashes of messages,
 * attachment hashes, and the dedupe of saved files, which depends on all
 * of them agreeing. nettle's: GLib's GChecksum is a third as fast, and
 * hashing is a large share of parsing a message with an attachment; nettle
 * rather than GnuTLS, which costs a millisecond at every start. */
#ifndef MC_SHA256_H
#define MC_SHA256_H

#include <glib.h>
#include <nettle/sha2.h>

/* Hex digits and the NUL. */
#define SHA256_HEX_SIZE 65

/* A hash computed piece by piece. */
struct sha256_stream {
	struct sha256_ctx ctx;
};

void sha256_stream_init(struct sha256_stream *s);
void sha256_stream_update(struct sha256_stream *s, const void *data, gsize len);
/* Writes the lower-case hex digest into OUT; the stream starts over. */
void sha256_stream_finish(struct sha256_stream *s, char out[SHA256_HEX_SIZE]);

/* Writes the lower-case hex SHA-256 of DATA (LEN bytes) into OUT. */
void sha256_hex(const void *data, gsize len, char out[SHA256_HEX_SIZE]);

/* Writes the SHA-256 of DATA (LEN bytes) into OUT as bytes. */
void sha256_bytes(const void *data, gsize len, guint8 out[SHA256_DIGEST_SIZE]);

#endif
