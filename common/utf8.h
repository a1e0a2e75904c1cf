/* Making text from mail valid UTF-8. */
#ifndef MC_UTF8_H
#define MC_UTF8_H

#include <glib.h>

/* Appends S (LEN bytes) to OUT as valid UTF-8: each invalid byte becomes
 * U+FFFD and NUL bytes are dropped. */
void utf8_append_valid(GString *out, const char *s, gsize len);

/* Returns S (LEN bytes) the same way as a new string the caller frees. */
char *utf8_dup_valid(const char *s, gsize len);

#endif
