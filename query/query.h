/* The query language (README, mailclerk(1)) compiled to SQL.
 *
 * A query becomes one SQL boolean expression over the alias `m` (a row of
 * messages) plus the values to bind to its `?` placeholders, in order. User
 * text never becomes SQL: it is bound, or quoted as an FTS5 string inside a
 * bound MATCH expression. */
#ifndef MC_QUERY_H
#define MC_QUERY_H

#include <glib.h>
#include <sqlite3.h>

#include "common/conf.h"
#include "index/db.h"

#define QUERY_ERROR (query_error_quark())
GQuark query_error_quark(void);
enum query_error_code {
	QUERY_ERROR_SYNTAX,      /* message says what and at which column */
	QUERY_ERROR_UNKNOWN_KEY, /* client: or project: names nothing that exists */
};

struct query;

/* SQL true when message m has a copy whose flags (the letters after ":2,"
 * in its info, common/message.h: a maildir name's, or an mbox message's
 * Status/X-Status in that form) hold LETTER, a string literal: "R". */
#define QUERY_MAILDIR_FLAG(letter)                                                                 \
	"EXISTS (SELECT 1 FROM locations c WHERE c.message = m.id AND substr(c.info, 1, 3) = "     \
	"':2,' AND instr(substr(c.info, 4), '" letter "') > 0)"

/* Parses TEXT. NOW (UTC seconds) anchors relative dates (2w, today).
 * An empty TEXT or "*" matches every message.
 * Returns a query the caller frees with query_free(), or NULL and sets ERROR
 * with a message naming the offending token and its 1-based column. */
struct query *query_parse(const char *text, gint64 now, GError **error);

/* SQL true when message m has an attachment that is not shown inline. */
#define QUERY_HAS_ATTACHMENTS "m.has_attachments = 1"

/* As query_parse(), for the messages of TEXT with an attachment that is not
 * shown inline (has:attachment), whatever TEXT's operators. */
struct query *query_parse_attachments(const char *text, gint64 now, GError **error);
void query_free(struct query *q);
/* g_autoptr() needs a type name, not a struct tag. */
typedef struct query query;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(query, query_free)

/* Checks that each client:KEY and project:[CLIENT/]KEY of Q names a client
 * or project that exists: a [client] or [project] group of CFG, or a key
 * DB's index has filed mail under (an index filed under an older
 * configuration keeps its keys until reclassify). The index is read only
 * for keys CFG lacks. Returns FALSE and sets ERROR (QUERY_ERROR_UNKNOWN_KEY)
 * for the first that names nothing, with its column and the nearest key
 * that exists when one is close; a failed read sets another error. */
gboolean query_check_keys(const struct query *q, const struct mc_config *cfg, struct mc_db *db,
                          GError **error);

/* Checks SPEC, a CLIENT or CLIENT/PROJECT given to a command (timeline,
 * followups...), as query_check_keys() checks client:CLIENT and
 * project:CLIENT/PROJECT; the error names no column. */
gboolean query_check_key_arg(const char *spec, const struct mc_config *cfg, struct mc_db *db,
                             GError **error);

/* Reads TEXT, a date as date: takes one (YYYY, YYYY-MM, YYYY-MM-DD, today,
 * yesterday, Nd/Nw/Nm/Ny), into *WHEN: the start of the period it names
 * (UTC), or for Nd... that long before NOW, after it when AHEAD (snooze
 * --until 2w). FALSE and ERROR (QUERY_ERROR_SYNTAX, "WHAT: bad date 'TEXT'
 * at column 1") when it is none. */
gboolean query_parse_date(const char *what, const char *text, gint64 now, gboolean ahead,
                          gint64 *when, GError **error);

/* Returns the name of field I of the query language (0, 1... : "subject",
 * "from"...), without its ':', or NULL past the last; static. Completion
 * lists them from here. */
const char *query_field_name(gsize i);

/* Whether a text term of Q is a prefix (inv*), anywhere in it. */
gboolean query_has_prefix(const struct query *q);
/* Sets *EXPANDED to Q with each prefix term written out as the words of
 * DB's index that begin with it, an OR of them: the same messages, but
 * FTS5 tests a message for a word with a seek and for a prefix by merging
 * every such word's rows. Not for ranking: FTS5 scores an OR otherwise. A
 * prefix stays one when it is more than one token or begins too many
 * words, or once finding the words has taken a few milliseconds. *EXPANDED
 * is NULL when no prefix was written out; else the caller frees it.
 * Returns FALSE and sets ERROR when the index could not be read. */
gboolean query_expand_prefixes(const struct query *q, struct mc_db *db, struct query **expanded,
                               GError **error);
/* Returns the SQL boolean, e.g. "(m.date >= ? AND m.id IN (SELECT rowid FROM
 * fts WHERE fts MATCH ?))"; "1" for match-all. Owned by Q. */
const char *query_sql(const struct query *q);

/* Returns the same boolean as query_sql() with each subquery asked about
 * the row m alone ("EXISTS (SELECT 1 FROM fts WHERE fts MATCH ? AND rowid =
 * m.id)"), so that testing one message costs an index probe, not the whole
 * set; the same values bind to it. Equal to query_sql() when the query has
 * no subquery. Owned by Q. */
const char *query_probe_sql(const struct query *q);

/* Whether query_probe_sql() still finds a whole set for one message: an
 * FTS5 prefix term (inv*), which FTS5 tests a message for as dearly as it
 * finds every hit, so the probe form keeps it as a set, found once. */
gboolean query_probe_keeps_set(const struct query *q);

/* Binds the query's values to STMT starting at placeholder FIRST (1-based).
 * Returns the next free placeholder index. */
int query_bind(const struct query *q, sqlite3_stmt *stmt, int first);

/* The sets of ids (each a SELECT of one column, ids maybe repeated) that
 * every match of Q is in, each read by seeking an index: a term with such
 * a set of its own (from:ADDRESS, client:, folder:, label:), or the hits of
 * its words, alone or ANDed with others; 0 for a query of words alone, an
 * OR, a negation. query_and_set_sql() is set I's SQL (Q's), whose values
 * query_bind_and_set() binds from placeholder FIRST on, returning the next. */
guint query_and_sets(const struct query *q);
const char *query_and_set_sql(const struct query *q, guint i);
int query_bind_and_set(const struct query *q, guint i, sqlite3_stmt *stmt, int first);
/* Whether set I is the messages of one filing key (as query_filing_key()
 * says of a whole query): *CLIENT, and *PROJECT or NULL. */
gboolean query_and_set_key(const struct query *q, guint i, const char **client,
                           const char **project);
/* Whether set I reads the full-text index (a word's hits, or a union with
 * them). */
gboolean query_and_set_words(const struct query *q, guint i);
/* When set I is the hits of one FTS5 MATCH expression alone, that
 * expression, and *PHRASAL whether it has a phrase or a column (which FTS5
 * counts by reading its words' positions); NULL otherwise. Owned by Q. */
const char *query_and_set_fts(const struct query *q, guint i, gboolean *phrasal);

/* Whether the whole query is client:CLIENT (*PROJECT set to NULL) or
 * project:CLIENT/PROJECT, not negated: the messages filed under one key.
 * The strings are Q's. */
gboolean query_filing_key(const struct query *q, const char **client, const char **project);

/* Sets *FROM and *UNTIL so that every match of Q is dated FROM <= date <
 * UNTIL (UTC seconds; G_MININT64 and G_MAXINT64 where nothing bounds it:
 * its date: terms, not negated, ANDed with the rest or ORed only with
 * other dated terms). TRUE when something bounds it. */
gboolean query_date_bounds(const struct query *q, gint64 *from, gint64 *until);

/* When Q is an OR at its top (outside parentheses and NOT: `a b OR c`),
 * how many things it joins (2 there); 0 otherwise. */
guint query_or_branch_count(const struct query *q);
/* Branch I of such an OR (`a b`, then `c`) as a query of its own, parsed
 * as Q was (the same time for relative dates; attachments alone for
 * query_parse_attachments()'s): it matches what that branch of Q does.
 * NULL and ERROR only where the text no longer parses. The caller frees it
 * (query_free()). */
struct query *query_or_branch(const struct query *q, guint i, GError **error);

/* Returns the FTS5 MATCH expression when the whole query is one full-text
 * match (the common case: words, phrases, subject:), so that a search can
 * join the hits instead of testing every message; NULL otherwise. Owned by Q. */
const char *query_fts_only(const struct query *q);

/* Whether query_fts_only()'s expression has a prefix term (inv*), which
 * FTS5 tests one message for as dearly as it finds every hit. */
gboolean query_fts_has_prefix(const struct query *q);

/* Whether query_fts_only()'s expression is words alone: no phrase of
 * several tokens, no column filter (FTS5 reads a phrase's or a column's
 * positions for every row of its words). */
gboolean query_fts_plain(const struct query *q);
/* When query_fts_only()'s expression is phrases joined by AND (no OR, no
 * NOT), each phrase's own MATCH text (char *), in the order FTS5 numbers
 * them; NULL otherwise. Owned by Q. */
const GPtrArray *query_fts_phrases(const struct query *q);

/* Whether query_fts_only()'s expression has an OR: FTS5's rank of it then
 * scores a message by the branches it matches, not by every word that is
 * not negated as query_fts_highlight() ranks. */
gboolean query_fts_has_or(const struct query *q);

/* Returns an FTS5 MATCH expression ORing every text term that is not negated,
 * for bm25 ranking and snippet(); NULL when the query has none. Owned by Q. */
const char *query_fts_highlight(const struct query *q);

/* When the query is words AND other terms, the words' MATCH expression;
 * NULL otherwise. Owned by Q. */
const char *query_fts_and(const struct query *q);

/* Whether query_fts_and() is query_fts_rank_phrases() joined by AND. */
gboolean query_fts_and_joins_all(const struct query *q);

/* Then the SQL of the other terms alone, over `m` as query_sql()'s, and
 * its binds (as query_bind()). Owned by Q. */
const char *query_rest_sql(const struct query *q);
int query_bind_rest(const struct query *q, sqlite3_stmt *stmt, int first);

/* When query_rest_sql() is one term of a set (a client, a project, a
 * folder...), a SELECT of its ids, maybe repeated, in any order, with the
 * same binds: cheaper than SQLite's set of them. NULL otherwise. Owned by
 * Q. */
const char *query_rest_set(const struct query *q);

/* The phrases query_fts_highlight() ORs, each's own MATCH text (char *), in
 * the order FTS5 numbers them; NULL when it is NULL. Owned by Q. */
const GPtrArray *query_fts_rank_phrases(const struct query *q);

#endif
