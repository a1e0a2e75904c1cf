/* UTF-8 text from mail: made valid, and cut without breaking a character. */
#ifndef MC_UTF8_H
#define MC_UTF8_H

#include <glib.h>

/* Appends S (LEN bytes) to OUT as valid UTF-8: each invalid byte becomes
 * U+FFFD and NUL bytes are dropped. */
void utf8_append_valid(GString *out, const char *s, gsize len);

/* Returns S (LEN bytes) the same way as a new string the caller frees. */
char *utf8_dup_valid(const char *s, gsize len);

/* Returns how many of the LEN bytes of S to keep to have at most MAX bytes
 * without cutting a UTF-8 character: LEN when it fits, else MAX or less. */
gsize utf8_cut(const char *s, gsize len, gsize max);

#endif
