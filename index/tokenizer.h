/* The 'mailclerk' FTS5 tokenizer: unicode61 for alphabetic text, folded
 * further, and overlapping bigrams for runs of CJK characters.
 *
 * Folding, the same for documents and queries (FTS5 tokenizes both with
 * this): a token of non-ASCII text is NFKD'd, case folded in full (ß is ss),
 * stripped of accents in every script (the Combining Diacritical Marks
 * blocks, Hebrew points, Arabic harakat) and composed again, so that it is
 * NFKC; other marks (Devanagari and Thai vowel signs) are kept, inside the
 * word. A CJK character is NFKC'd on its own (half-width katakana,
 * compatibility ideographs), with a voicing mark after it composed into it;
 * kana keep their voicing marks (が is not か). Tokens keep the offsets of
 * the text as written, for highlighting. Text of ASCII alone is unicode61's
 * as before, at no cost.
 *
 * Why bigrams: Chinese and Japanese put no spaces between words, so unicode61
 * would make a whole sentence one token and no word inside it could be found.
 * Bigrams (the approach of Lucene's CJKAnalyzer) let any word of two or more
 * characters be found as a phrase of its bigrams, and cost far less index
 * space than a trigram side index over all text. Each CJK character is also
 * indexed on its own at its position, so a single character is found too, and
 * a word of m characters is a phrase of its m-1 bigrams and its last character
 * (which keeps phrase positions and highlighting exact). */
#ifndef MC_TOKENIZER_H
#define MC_TOKENIZER_H

#include <glib.h>
#include <sqlite3.h>

/* Registers the tokenizer under the name "mailclerk" on DB. Returns FALSE and
 * sets ERROR when FTS5 is missing. */
gboolean tokenizer_register(sqlite3 *db, GError **error);

/* Returns DB's FTS5 API (owned by the connection), NULL without FTS5. */
fts5_api *tokenizer_fts5_api(sqlite3 *db);

/* Returns TEXT folded as the tokenizer folds a word (lower case for ASCII;
 * else NFKD, full case folding, accents dropped, NFKC), for matching outside
 * FTS5 (`contacts --query`); invalid UTF-8 is returned as it is. The caller
 * frees it. */
char *tokenizer_fold(const char *text);

#endif
