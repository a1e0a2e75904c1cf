/* What the parse_message() tests (test-parse.c, test-parse-parts.c) share. */
#ifndef MC_TEST_PARSE_HELPERS_H
#define MC_TEST_PARSE_HELPERS_H

#include <glib.h>

#include "ingest/parse.h"

/* Returns RAW (NUL-terminated) parsed with FLAGS, failing the test when it
 * is not mail; the caller frees it with parsed_message_free(). */
struct parsed_message *parse_ok(const char *raw, enum parse_flags flags);

/* Returns the hex SHA-256 of DATA (LEN bytes); the caller frees it. */
char *sha256(const void *data, gsize len);

/* Returns the hex XXH3-128 of DATA (LEN bytes), its canonical (big-endian)
 * bytes; the caller frees it. */
char *xxh3_128(const void *data, gsize len);

/* Fails the test unless every string of PM is valid UTF-8 and the fixed
 * fields are well formed. */
void assert_sane(const struct parsed_message *pm);

#endif
