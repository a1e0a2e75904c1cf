/* How far apart two words are, and the nearest of a few: the "did you mean"
 * of error messages. */
#ifndef MC_NEAREST_H
#define MC_NEAREST_H

#include <glib.h>

/* Returns the edit distance between A and B (UTF-8), in characters and in
 * any case: each insertion, deletion, substitution, or swap of two
 * neighbouring characters counts one (Damerau-Levenshtein, the optimal
 * string alignment variant). */
guint nearest_distance(const char *a, const char *b);

/* Returns the one of the N CANDIDATES nearest to WORD when it is near
 * enough to be a typo of it: at most one edit for a word of up to five
 * characters, two up to eight, three beyond, and fewer edits than either
 * has characters; the first of equally near ones. NULL when none is; else a
 * pointer into CANDIDATES. */
const char *nearest_word(const char *word, const char *const *candidates, guint n);

/* Returns " — did you mean 'NEAR'?", the tail of an error message, or ""
 * when NEAR is NULL; the caller frees it. */
char *did_you_mean(const char *near);

#endif
