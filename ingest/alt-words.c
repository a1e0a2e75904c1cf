/* The words of an HTML alternative that its plain text lacks (alt_words):
 * split as the tokenizer splits words, compared case-folded, each kept once.
 * parse.c chooses the texts; this file only compares their words. */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "ingest/parse-internal.h"

/* The words found only in the HTML alternatives, in bytes. */
#define MAX_ALT_WORDS (64 * 1024)

/* Whether C (at P) is part of a word: a letter, digit or mark, as the
 * tokenizer makes words (CJK runs whole). */
static gboolean
is_word_char(const char *p)
{
	if ((guchar)*p < 0x80)
		return g_ascii_isalnum(*p);
	gunichar c = g_utf8_get_char(p);
	return g_unichar_isalnum(c) || g_unichar_ismark(c);
}

/* Sets *WORD and *LEN to the next word at or after *P and moves *P past
 * it; FALSE at the end of the text. */
static gboolean
next_word(const char **p, const char **word, gsize *len)
{
	const char *s = *p;
	/* ASCII a byte at a time, without decoding: most mail is. */
	while (*s && ((guchar)*s < 0x80 ? !g_ascii_isalnum(*s) : !is_word_char(s)))
		s = (guchar)*s < 0x80 ? s + 1 : g_utf8_next_char(s);
	const char *start = s;
	while ((guchar)*s < 0x80 ? g_ascii_isalnum(*s) : is_word_char(s))
		s = (guchar)*s < 0x80 ? s + 1 : g_utf8_next_char(s);
	*p = s;
	*word = start;
	*len = s - start;
	return s > start;
}

/* Calls FN with each word of TEXT. */
static void
each_word(const char *text, void (*fn)(const char *word, gsize len, gpointer data), gpointer data)
{
	const char *word;
	gsize len;
	while (next_word(&text, &word, &len))
		fn(word, len, data);
}

static void
word_set_init(struct word_set *ws)
{
	ws->set = g_hash_table_new(g_str_hash, g_str_equal);
	ws->chunk = g_string_chunk_new(4096);
}

void
word_set_clear(struct word_set *ws)
{
	if (ws->set)
		g_hash_table_unref(ws->set);
	if (ws->chunk)
		g_string_chunk_free(ws->chunk);
}

/* WORD's key, in BUF (of SIZE bytes) when it fits, else in *HEAP (freed by
 * the caller). */
static const char *
word_key(const char *word, gsize len, char *buf, gsize size, char **heap)
{
	gboolean ascii = TRUE;
	for (gsize i = 0; i < len && ascii; i++)
		ascii = (guchar)word[i] < 0x80;
	if (!ascii)
		return *heap = g_utf8_casefold(word, len);
	if (len >= size)
		return *heap = g_ascii_strdown(word, len);
	for (gsize i = 0; i < len; i++)
		buf[i] = g_ascii_tolower(word[i]);
	buf[len] = '\0';
	return buf;
}

/* Adds WORD to the set; returns FALSE when it was there. */
static gboolean
word_set_add(struct word_set *ws, const char *word, gsize len)
{
	char buf[128];
	g_autofree char *heap = NULL;
	const char *key = word_key(word, len, buf, sizeof buf, &heap);
	if (g_hash_table_contains(ws->set, key))
		return FALSE;
	g_hash_table_add(ws->set, g_string_chunk_insert(ws->chunk, key));
	return TRUE;
}

static gboolean
word_set_has(const struct word_set *ws, const char *word, gsize len)
{
	char buf[128];
	g_autofree char *heap = NULL;
	return g_hash_table_contains(ws->set, word_key(word, len, buf, sizeof buf, &heap));
}

static void
add_plain_word(const char *word, gsize len, gpointer data)
{
	word_set_add(data, word, len);
}

struct html_words {
	struct alt_words *aw;
	const struct word_set *plain; /* the words of the plain text */
};

static void
add_html_word(const char *word, gsize len, gpointer data)
{
	struct html_words *hw = data;
	GString *alt = hw->aw->text;
	if (alt->len + len + 1 > MAX_ALT_WORDS || word_set_has(hw->plain, word, len))
		return;
	if (!hw->aw->seen.set)
		word_set_init(&hw->aw->seen);
	if (!word_set_add(&hw->aw->seen, word, len))
		return;
	if (alt->len > 0)
		g_string_append_c(alt, ' ');
	g_string_append_len(alt, word, len);
}

/* Whether the words of HTML are found in PLAIN in their order (in any ASCII
 * case): HTML made from the plain text, as most mailers make it, has no
 * words of its own, and this finds it without building sets of words. */
static gboolean
words_in_order(const char *plain, const char *html)
{
	const char *hw, *pw;
	gsize hl, pl;
	while (next_word(&html, &hw, &hl)) {
		do {
			if (!next_word(&plain, &pw, &pl))
				return FALSE;
		} while (pl != hl || g_ascii_strncasecmp(pw, hw, hl) != 0);
	}
	return TRUE;
}

void
alt_words_init(struct alt_words *aw)
{
	*aw = (struct alt_words){ .text = g_string_new(NULL) };
}

gboolean
alt_words_full(const struct alt_words *aw)
{
	return aw->text->len >= MAX_ALT_WORDS;
}

void
alt_words_add(struct alt_words *aw, const char *plain, struct word_set *plain_words,
              const char *html)
{
	if (alt_words_full(aw) || words_in_order(plain, html))
		return;
	if (!plain_words->set) {
		word_set_init(plain_words);
		each_word(plain, add_plain_word, plain_words);
	}
	struct html_words hw = { .aw = aw, .plain = plain_words };
	each_word(html, add_html_word, &hw);
}

char *
alt_words_finish(struct alt_words *aw)
{
	word_set_clear(&aw->seen);
	return g_string_free(g_steal_pointer(&aw->text), FALSE);
}
