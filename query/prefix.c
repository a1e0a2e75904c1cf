/* Prefix terms (invoic*) written out as the words of the index that begin
 * with them, for a search in date order (query_expand_prefixes()). */
#include "config.h"

#include <string.h>

#include "query/query-parts.h"
#include "common/error.h"
#include "index/tokenizer.h"

/* FTS5 tests one message for a prefix by merging the rows of every word
 * that begins with it, as dearly as it finds every hit (a prefix of words
 * in 42 % of a million messages: 60-70 ms a test or all), and for a word
 * with a seek. Written out as its words, a prefix is walked as words are.
 *
 * The words are found one seek at a time, each from just past the last
 * (an fts5vocab 'instance' table with LIMIT 1 reads one row; its 'row'
 * table reads every row of every word to count them). A seek past a word
 * in half the mail reads its pages (5 ms at a million messages), so the
 * seeks of a query stop after PREFIX_BUDGET_US, and a prefix with more
 * than PREFIX_WORDS_MAX words stays a prefix (an OR of that many words
 * costs a walk as much a test as the prefix). */
#define PREFIX_WORDS_MAX 32
#define PREFIX_BUDGET_US 10000

struct prefix_words {
	struct mc_db *db;
	sqlite3_stmt *next; /* the first word from ?1 up to ?2; owned by db's cache */
	fts5_tokenizer api;
	Fts5Tokenizer *tokenizer;
	gint64 started; /* g_get_monotonic_time() of the first seek; 0 before */
	guint written;  /* prefixes written out */
	GError *error;  /* the first failure; the prefixes stay prefixes */
};

struct prefix_words *
prefix_words_new(struct mc_db *db, GError **error)
{
	fts5_api *fts5 = tokenizer_fts5_api(db->sql);
	void *tokenizer_data = NULL;
	g_autofree struct prefix_words *pw = g_new0(struct prefix_words, 1);
	pw->db = db;
	if (fts5 == NULL ||
	    fts5->xFindTokenizer(fts5, "mailclerk", &tokenizer_data, &pw->api) != SQLITE_OK ||
	    pw->api.xCreate(tokenizer_data, NULL, 0, &pw->tokenizer) != SQLITE_OK) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "searching: the full-text tokenizer is missing");
		return NULL;
	}
	/* In the connection's own temporary schema: a read-only index stays
	 * untouched. */
	if (sqlite3_exec(db->sql,
	                 "CREATE VIRTUAL TABLE IF NOT EXISTS temp.mc_fts_words "
	                 "USING fts5vocab(main, 'fts', 'instance')",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		db_set_error(error, db, "searching");
		pw->api.xDelete(pw->tokenizer);
		return NULL;
	}
	pw->next = db_cached(
	    db, "SELECT term FROM temp.mc_fts_words WHERE term >= ?1 AND term <= ?2 LIMIT 1",
	    error);
	if (pw->next == NULL) {
		pw->api.xDelete(pw->tokenizer);
		return NULL;
	}
	return g_steal_pointer(&pw);
}

void
prefix_words_free(struct prefix_words *pw)
{
	if (pw == NULL)
		return;
	pw->api.xDelete(pw->tokenizer);
	g_clear_error(&pw->error);
	g_free(pw);
}

guint
prefix_words_written(const struct prefix_words *pw)
{
	return pw->written;
}

gboolean
prefix_words_failed(struct prefix_words *pw, GError **error)
{
	if (pw->error == NULL)
		return FALSE;
	g_propagate_error(error, g_steal_pointer(&pw->error));
	return TRUE;
}

static int
collect_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
	(void)flags;
	(void)start;
	(void)end;
	g_ptr_array_add(ctx, g_strndup(token, (gsize)n));
	return SQLITE_OK;
}

/* The tokens FTS5 makes of TEXT in a query (PREFIX: of a prefix term's
 * value); the caller unrefs them. */
static GPtrArray *
query_tokens(struct prefix_words *pw, const char *text, gboolean prefix)
{
	GPtrArray *tokens = g_ptr_array_new_with_free_func(g_free);
	int flags = FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0);
	if (pw->api.xTokenize(pw->tokenizer, tokens, flags, text, (int)strlen(text),
	                      collect_token) != SQLITE_OK)
		g_ptr_array_set_size(tokens, 0);
	return tokens;
}

/* Whether a query of WORD, quoted, is WORD itself: not so for a CJK
 * bigram, which a query makes a phrase of. */
static gboolean
stands_alone(struct prefix_words *pw, const char *word)
{
	g_autoptr(GPtrArray) tokens = query_tokens(pw, word, FALSE);
	return tokens->len == 1 && strcmp(tokens->pdata[0], word) == 0;
}

GPtrArray *
prefix_words_find(struct prefix_words *pw, const char *value)
{
	if (pw->error != NULL)
		return NULL;
	g_autoptr(GPtrArray) tokens = query_tokens(pw, value, TRUE);
	/* A prefix of several tokens (foo-ba*) is a phrase: FTS5's. */
	if (tokens->len != 1)
		return NULL;
	const char *start = tokens->pdata[0];
	if (pw->started == 0)
		pw->started = g_get_monotonic_time();
	/* Every word that begins with START sorts between it and START followed
	 * by U+10FFFF, which no word holds (a noncharacter is no token). */
	g_autofree char *last = g_strconcat(start, "\xf4\x8f\xbf\xbf", NULL);
	g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
	for (;;) {
		if (words->len > PREFIX_WORDS_MAX ||
		    g_get_monotonic_time() - pw->started > PREFIX_BUDGET_US) {
			sqlite3_reset(pw->next);
			return NULL;
		}
		/* The next word after W is at least W followed by U+0001, which
		 * is no word's character. */
		g_autofree char *from =
		    words->len == 0 ? g_strdup(start)
		                    : g_strconcat(words->pdata[words->len - 1], "\x01", NULL);
		sqlite3_reset(pw->next);
		db_bind_text(pw->next, 1, from);
		db_bind_text(pw->next, 2, last);
		int rc = sqlite3_step(pw->next);
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_ROW) {
			db_set_error(&pw->error, pw->db, "searching");
			sqlite3_reset(pw->next);
			return NULL;
		}
		const char *word = db_column_text(pw->next, 0);
		if (!g_str_has_prefix(word, start) || !stands_alone(pw, word)) {
			sqlite3_reset(pw->next);
			return NULL;
		}
		g_ptr_array_add(words, g_strdup(word));
	}
	sqlite3_reset(pw->next);
	/* No word begins with it: the prefix finds nothing, as it is. */
	if (words->len == 0)
		return NULL;
	pw->written++;
	return g_steal_pointer(&words);
}
