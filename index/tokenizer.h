/* The 'mailclerk' FTS5 tokenizer: unicode61 (diacritics removed) for
 * alphabetic text, overlapping bigrams for runs of CJK characters.
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

#endif
