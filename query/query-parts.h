/* The query compiler's own types and the functions its files share: lexer.c,
 * parts.c, fields.c, keys.c and query.c. Callers use query/query.h. */
#ifndef MC_QUERY_PARTS_H
#define MC_QUERY_PARTS_H

#include <glib.h>

#include "query/query.h"

/* The query is parsed by recursive descent straight into "parts": each part is
 * either an FTS5 expression (kept as text so that neighbouring text terms can
 * be merged into one MATCH), or finished SQL with its bound values. Merging
 * matters: `foo bar baz` as three MATCH subqueries costs three index scans
 * and an intersection in SQL; as one MATCH, FTS5 does it in one pass. */

struct bind {
	gboolean is_int;
	gint64 i;
	char *s;
};

enum part_kind {
	PART_EMPTY,   /* a term with nothing to search for (`-`, `!!`): ignored */
	PART_ALL,     /* matches every message */
	PART_NONE,    /* matches no message */
	PART_FTS,     /* text: an FTS5 expression */
	PART_NOT_FTS, /* text: an FTS5 expression the messages must not match */
	PART_SQL,     /* text: SQL over `m`, with binds */
};

/* Words AND other terms (query_fts_and()), shared by the parts and the
 * query that say so (g_atomic_rc_box: words_and_unref()). */
struct words_and {
	char *fts;          /* the words' FTS text */
	GPtrArray *phrases; /* of FTS, as part.phrases; or NULL */
	char *rest;         /* the other terms' SQL alone, over `m` */
	GPtrArray *binds;   /* of REST */
	char *rest_set;     /* REST as a SELECT of its ids (part.set); or NULL */
};
void words_and_unref(struct words_and *w);

/* A set of ids a query's matches are all in: a SELECT and its binds
 * (query_and_sets()). */
struct bound_set {
	char *sql;
	GPtrArray *binds;
	/* The filing key (part.key_client, part.key_project) whose messages it
	 * is, whose number filing_stats keeps; NULL for another set. */
	char *key_client, *key_project;
	/* It reads the full-text index (a word's hits, or a union with them):
	 * counting it costs FTS5 a walk of the words' rows. */
	gboolean words;
	/* Its words have a phrase or a column: counting them reads their
	 * positions in every row of their words. */
	gboolean phrasal;
	/* The MATCH expression when the set is its words' hits alone
	 * (PART_FTS_HITS bound to it); NULL for another set. */
	char *fts;
};

/* The messages of an FTS5 expression (bound to it), and that set after
 * "m.id " or "m.id NOT ". */
#define PART_FTS_HITS "SELECT rowid FROM fts WHERE fts MATCH ?"
#define PART_FTS_SET  "IN (" PART_FTS_HITS ")"

struct part {
	enum part_kind kind;
	char *text;
	/* PART_SQL: the same test of one message, its subqueries correlated with
	 * m (`EXISTS (… = m.id)`), so that testing one row costs an index probe
	 * rather than the whole set (query_probe_sql()); NULL when it is TEXT. */
	char *probe;
	gboolean atomic; /* FTS text needs no parentheses as an operand */
	/* FTS text with a prefix term (inv*): FTS5 tests one message for it as
	 * dearly as it finds every hit, so its probe form is the set. */
	gboolean prefix;
	/* FTS text with an OR: FTS5 scores a message by the branches it
	 * matches, not by every word (query_fts_has_or()). */
	gboolean has_or;
	/* FTS text with a phrase of several tokens or a column filter: FTS5
	 * reads its words' positions for every row, which makes its set dearer
	 * a hit than a word's (query_fts_plain()). */
	gboolean phrasal;
	/* FTS text that is phrases joined by AND (before any negation of the
	 * part): each phrase's own MATCH text, in FTS5's order of them; NULL
	 * for any other expression (an OR, a NOT inside). */
	GPtrArray *phrases;
	GPtrArray *binds;
	/* PART_SQL of words AND other terms; NULL otherwise. */
	struct words_and *words_and;
	/* PART_SQL `m.id IN (SET)`: SET, a SELECT of the ids (maybe repeated)
	 * that TEXT holds, with the same binds; NULL otherwise. */
	char *set;
	/* PART_SQL that is client:CLIENT (PROJECT NULL) or
	 * project:CLIENT/PROJECT, not negated: the filing key whose messages
	 * it is (query_filing_key()); NULL otherwise. */
	char *key_client, *key_project;
	/* SET is read by seeking an index (an address, a folder, a label, a
	 * client), not by scanning (a LIKE, a mime type): part_and_sets() has
	 * only such sets, which a search counts to learn whether they are
	 * small. */
	gboolean set_seeks;
	/* PART_SQL: part_and_sets() of the AND it is; NULL when it is none. */
	GPtrArray *and_sets;
	/* Every match is dated DATE_FROM <= date < DATE_UNTIL: a date: term,
	 * an AND with one, an OR of such; G_MININT64 and G_MAXINT64 for any
	 * other part (query_date_bounds()). */
	gint64 date_from, date_until;
};

enum token_type {
	TOKEN_END,
	TOKEN_LPAREN,
	TOKEN_RPAREN,
	TOKEN_AND,
	TOKEN_OR,
	TOKEN_NOT,
	TOKEN_MINUS,
	TOKEN_TERM,
};

struct token {
	enum token_type type;
	int col;       /* 1-based, in characters */
	char *field;   /* as typed; NULL for a bare term */
	char *value;   /* unquoted; trailing '*'s removed when prefix */
	char *lit;     /* the value as given: quoted text, or bare text with its '*'s */
	int value_col; /* column of the value's first character */
	gboolean quoted;
	gboolean prefix; /* bare text ending in '*', or a quote followed by '*' */
};

/* A client: or project: term, kept so that query_check_keys() (keys.c) can
 * say when its key names nothing that exists. */
struct key_ref {
	gboolean is_project;
	char *client;  /* client:KEY's KEY, project:CLIENT/KEY's CLIENT; else NULL */
	char *project; /* project:[CLIENT/]KEY's KEY; NULL for client: */
	char *lit;     /* the value as typed */
	int col;       /* the term's column */
};

/* Frees a struct key_ref: the free function of parser.keys and query.keys. */
void key_ref_free(gpointer data);

/* A parsed query (query/query.h). */
struct query {
	char *sql;
	char *probe_sql; /* query_probe_sql() */
	GPtrArray *binds;
	char *highlight;
	char *fts_only;              /* the MATCH expression when that is the whole query */
	gboolean fts_prefix, fts_or; /* of fts_only: query_fts_has_prefix(), _has_or() */
	gboolean fts_plain;          /* of fts_only: query_fts_plain() */
	GPtrArray *fts_phrases;      /* query_fts_phrases() */
	GPtrArray *rank_phrases;     /* query_fts_rank_phrases() */
	struct words_and *words_and; /* query_fts_and() and the rest; or NULL */
	gboolean fts_and_all;        /* query_fts_and_joins_all() */
	GPtrArray *keys;             /* struct key_ref *, in the query's order */
	/* What it was parsed from, for query_expand_prefixes(). */
	char *text;
	gint64 now;
	gboolean with_attachments;
	gboolean has_prefix;            /* a text term is a prefix (inv*), anywhere */
	char *key_client, *key_project; /* query_filing_key() */
	GPtrArray *and_sets;            /* struct bound_set *: query_and_sets() */
	gint64 date_from, date_until;   /* query_date_bounds() */
	GPtrArray *or_branches;         /* char *: query_or_branch(); NULL when none */
};

struct parser {
	const char *text;
	gint64 now;
	GPtrArray *tokens;
	guint pos;
	int depth;
	int terms;
	int negations;           /* NOTs around the current term: odd means negated */
	GPtrArray *highlight;    /* FTS5 operands of the terms that are not negated */
	GPtrArray *rank_phrases; /* the same, each its own MATCH text */
	GPtrArray *keys;         /* struct key_ref *: the client: and project: terms */
	/* Column bookkeeping: the column of `col_at`, so columns are counted once. */
	const char *col_at;
	int col;
	/* Prefix terms written out as the index's words (prefix.c); NULL to
	 * keep them. */
	struct prefix_words *prefix_words;
	gboolean has_prefix; /* a text term was a prefix */
	GArray *top_ors;     /* gsize: the byte offsets of the ORs outside any ( ) or NOT */
};

/* ---- lexer.c ---- */

/* Frees a struct token: the free function of parser.tokens. */
void token_free(gpointer data);

/* Sets ERROR to a syntax error, FORMAT followed by "at column COL". Returns
 * NULL, so that a parse function can return it. */
gpointer parser_fail(GError **error, int col, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* Like parser_fail(), with TAIL after "at column COL" (a suggestion, what
 * a field accepts). */
gpointer parser_fail_tail(GError **error, int col, const char *tail, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

/* Returns the 1-based column, in characters, of P in PS->text; P never goes
 * back from one call to the next. */
int parser_column(struct parser *ps, const char *p);

/* Adds PS->text's tokens to PS->tokens, which owns them, ending with
 * TOKEN_END. FALSE and ERROR on an unterminated quote. */
gboolean parser_lex(struct parser *ps, GError **error);

/* Returns the next token (owned by PS->tokens); parser_next() also moves
 * past it, except past TOKEN_END. */
struct token *parser_peek(struct parser *ps);
struct token *parser_next(struct parser *ps);

/* FALSE and ERROR unless a term can start at the next token; OP is the one
 * before. */
gboolean expect_term_after(struct parser *ps, const struct token *op, GError **error);

/* ---- parts.c ---- */

/* Returns an empty array of struct bind that frees them; the caller unrefs it. */
GPtrArray *binds_new(void);
/* Appends a copy of S, or I, to BINDS. */
void binds_add_text(GPtrArray *binds, const char *s);
void binds_add_int(GPtrArray *binds, gint64 i);
/* Appends a copy of each of MORE's values to BINDS. */
void binds_extend(GPtrArray *binds, const GPtrArray *more);

/* Returns a part of KIND that takes TEXT (may be NULL), with no binds; the
 * caller frees it with part_free(). */
struct part *part_new(enum part_kind kind, char *text);
void part_free(struct part *p);
/* Returns a new array of the sets P's matches are all in (struct
 * bound_set *) that are read by seeking an index (part.set_seeks) or are
 * its words' hits: P's own set, or those of each term an AND of P's joins
 * (none for an OR, a negation, a text term); the caller unrefs it. */
GPtrArray *part_and_sets(const struct part *p);
/* part_free() as a GDestroyNotify, for arrays of parts. */
void part_free_void(gpointer p);
/* g_autoptr() needs a type name, not a struct tag. */
typedef struct part part;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(part, part_free)

/* Returns a new text part for VALUE in COLUMNS (NULL: any column), and adds
 * its operand to PS->highlight unless it is negated; PART_EMPTY when VALUE has
 * nothing to search for. */
struct part *fts_leaf(struct parser *ps, const char *columns, const char *value, gboolean prefix);

/* Returns S for `LIKE ? ESCAPE '\'`; the caller frees it. */
char *like_escape(const char *s);

/* Appends P as SQL to SQL, its probe form to PROBE, and the values they
 * bind to BINDS (copies; the same for both forms). */
void part_to_sql(const struct part *p, GString *sql, GString *probe, GPtrArray *binds);

/* Sets P's text to `m.id IN (SELECT COLUMN FROM FROM [WHERE WHERE])`, the
 * messages a subquery names, and its probe to the same asked of m alone.
 * WHERE may be NULL. */
void part_set_in(struct part *p, const char *column, const char *from, const char *where);

/* Sets P's probe alone to `EXISTS (SELECT 1 FROM FROM WHERE COLUMN = m.id
 * [AND (WHERE)])`: a test of one message other than its set's, binding the
 * same values in the same order. */
void part_set_probe(struct part *p, const char *column, const char *from, const char *where);

/* Returns a new PART_SQL part that takes SQL (may be NULL, set later). */
struct part *sql_part(char *sql);

/* Returns a new part for the AND (IS_AND) or OR of PARTS, which stay the
 * caller's. */
struct part *parts_combine(GPtrArray *parts, gboolean is_and);

/* Negates P in place and returns it. */
struct part *part_negate(struct part *p);

/* ---- prefix.c ---- */

/* What writes a query's prefix terms out as the words of DB's index that
 * begin with them (query_expand_prefixes()). Returns it, for
 * prefix_words_free(), or NULL and ERROR when DB's full text cannot be read
 * so. */
struct prefix_words *prefix_words_new(struct mc_db *db, GError **error);
void prefix_words_free(struct prefix_words *pw);
/* Returns the words of the index (char *, in order) that begin with VALUE,
 * a prefix term's value, for the caller to unref; NULL to keep the prefix:
 * VALUE is more than one token, no word or too many begin with it, or
 * finding them took the query's time (a failure is kept for
 * prefix_words_failed()). */
GPtrArray *prefix_words_find(struct prefix_words *pw, const char *value);
/* How many prefixes prefix_words_find() wrote out. */
guint prefix_words_written(const struct prefix_words *pw);
/* Whether a lookup failed: then TRUE and ERROR. */
gboolean prefix_words_failed(struct prefix_words *pw, GError **error);

/* ---- fields.c ---- */

/* Returns a new part for T, a term with a field (from:x, date:2024…), or
 * NULL and ERROR for an unknown field or a bad value. */
struct part *field_leaf(struct parser *ps, const struct token *t, GError **error);

#endif
