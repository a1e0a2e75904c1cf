/* The query language compiled to SQL: the grammar and the public API. */
#include "config.h"
#include "query/query.h"

#include "query/query-parts.h"

/* Nesting (parentheses and NOT) and term counts are capped so that no query
 * can exhaust our stack, SQLite's expression depth (1000) or FTS5's, or
 * SQLite's parser stack (100 entries): each level of "(x OR (y OR ..." takes
 * about three, and 26 levels with a field term inside overflowed it (found
 * by fuzz/fuzz-query). */
#define MAX_DEPTH 20
#define MAX_TERMS 256

GQuark
query_error_quark(void)
{
	return g_quark_from_static_string("mailclerk-query-error");
}

static struct part *
term_leaf(struct parser *ps, const struct token *t, GError **error)
{
	if (++ps->terms > MAX_TERMS)
		return parser_fail(error, t->col, "too many terms");
	if (t->field != NULL)
		return field_leaf(ps, t, error);
	/* `*` alone is every message. */
	if (!t->quoted && t->value[0] == '\0')
		return part_new(PART_ALL, NULL);
	return fts_leaf(ps, NULL, t->value, t->prefix);
}

/* ---- Grammar: or := and (OR and)*; and := unary (AND? unary)*;
 * unary := (NOT | -) unary | '(' or ')' | term. NOT > AND > OR. ---- */

static struct part *parse_or(struct parser *ps, GError **error);

static struct part *
parse_unary(struct parser *ps, GError **error)
{
	struct token *t = parser_next(ps);

	switch (t->type) {
	case TOKEN_TERM:
		return term_leaf(ps, t, error);
	case TOKEN_NOT:
	case TOKEN_MINUS: {
		if (!expect_term_after(ps, t, error))
			return NULL;
		if (++ps->depth > MAX_DEPTH)
			return parser_fail(error, t->col, "too deeply nested");
		ps->negations++;
		struct part *p = parse_unary(ps, error);
		ps->negations--;
		ps->depth--;
		return p != NULL ? part_negate(p) : NULL;
	}
	case TOKEN_LPAREN: {
		if (!expect_term_after(ps, t, error)) {
			if (parser_peek(ps)->type == TOKEN_END) {
				g_clear_error(error);
				return parser_fail(error, t->col, "missing ')' for '('");
			}
			return NULL;
		}
		if (++ps->depth > MAX_DEPTH)
			return parser_fail(error, t->col, "too deeply nested");
		g_autoptr(part) p = parse_or(ps, error);
		if (p == NULL)
			return NULL;
		ps->depth--;
		if (parser_peek(ps)->type != TOKEN_RPAREN)
			return parser_fail(error, t->col, "missing ')' for '('");
		parser_next(ps);
		return g_steal_pointer(&p);
	}
	case TOKEN_RPAREN:
		return parser_fail(error, t->col, "unbalanced ')'");
	case TOKEN_AND:
		return parser_fail(error, t->col, "expected a term before AND");
	case TOKEN_OR:
		return parser_fail(error, t->col, "expected a term before OR");
	case TOKEN_END:
		break;
	}
	return parser_fail(error, t->col, "expected a term");
}

static struct part *
parse_and(struct parser *ps, GError **error)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(part_free_void);

	for (;;) {
		struct part *p = parse_unary(ps, error);
		if (p == NULL)
			return NULL;
		g_ptr_array_add(parts, p);

		struct token *t = parser_peek(ps);
		if (t->type == TOKEN_AND) {
			parser_next(ps);
			if (!expect_term_after(ps, t, error))
				return NULL;
		} else if (t->type == TOKEN_END || t->type == TOKEN_RPAREN || t->type == TOKEN_OR) {
			break;
		}
	}
	return parts_combine(parts, TRUE);
}

static struct part *
parse_or(struct parser *ps, GError **error)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(part_free_void);

	for (;;) {
		struct part *p = parse_and(ps, error);
		if (p == NULL)
			return NULL;
		g_ptr_array_add(parts, p);

		struct token *t = parser_peek(ps);
		if (t->type != TOKEN_OR)
			break;
		if (ps->depth == 0) {
			gsize at = g_utf8_offset_to_pointer(ps->text, t->col - 1) - ps->text;
			g_array_append_val(ps->top_ors, at);
		}
		parser_next(ps);
		if (!expect_term_after(ps, t, error))
			return NULL;
	}
	return parts_combine(parts, FALSE);
}

static struct query *parse_query(const char *text, gint64 now, gboolean with_attachments,
                                 struct prefix_words *prefix_words, GError **error);

/* The texts of TEXT between the ORs at byte offsets TOP_ORS (an OR is two
 * bytes), each a query of its own: AND binds tighter than OR, so the ORs
 * outside parentheses and NOT split TEXT into what they join. NULL when
 * there is none, or when a branch is no query alone (`acme OR -`: a term
 * with nothing to search for, which the OR leaves out). */
static GPtrArray *
or_branches(const char *text, gint64 now, const GArray *top_ors)
{
	if (top_ors->len == 0)
		return NULL;
	g_autoptr(GPtrArray) branches = g_ptr_array_new_with_free_func(g_free);
	gsize start = 0;
	for (guint i = 0; i <= top_ors->len; i++) {
		gsize end = i < top_ors->len ? g_array_index(top_ors, gsize, i) : strlen(text);
		char *branch = g_strstrip(g_strndup(text + start, end - start));
		g_ptr_array_add(branches, branch);
		struct query *alone = parse_query(branch, now, FALSE, NULL, NULL);
		if (alone == NULL)
			return NULL;
		query_free(alone);
		start = end + 2;
	}
	return g_steal_pointer(&branches);
}

/* query_parse(), and with WITH_ATTACHMENTS only messages with attachments;
 * with PREFIX_WORDS, prefix terms written out as it finds their words. */
static struct query *
parse_query(const char *text, gint64 now, gboolean with_attachments,
            struct prefix_words *prefix_words, GError **error)
{
	struct parser ps = { 0 };
	const char *bad;

	g_return_val_if_fail(text != NULL, NULL);

	ps.text = text;
	ps.now = now;
	ps.prefix_words = prefix_words;
	ps.col_at = text;
	ps.col = 1;
	if (!g_utf8_validate(text, -1, &bad))
		return parser_fail(error, parser_column(&ps, bad), "invalid UTF-8");

	ps.tokens = g_ptr_array_new_with_free_func(token_free);
	ps.highlight = g_ptr_array_new_with_free_func(g_free);
	ps.rank_phrases = g_ptr_array_new_with_free_func(g_free);
	ps.keys = g_ptr_array_new_with_free_func(key_ref_free);
	ps.top_ors = g_array_new(FALSE, FALSE, sizeof(gsize));
	g_autoptr(part) top = NULL;
	if (parser_lex(&ps, error)) {
		if (parser_peek(&ps)->type == TOKEN_END)
			top = part_new(PART_ALL, NULL);
		else
			top = parse_or(&ps, error);
		if (top != NULL && parser_peek(&ps)->type != TOKEN_END) {
			/* parse_or stops only at the end or at a ')' without '('. */
			parser_fail(error, parser_peek(&ps)->col, "unbalanced ')'");
			g_clear_pointer(&top, part_free);
		} else if (top != NULL && top->kind == PART_EMPTY) {
			/* Only terms with nothing to search for (`-`, `!`): such a
			 * term is left out of a query, but a query of nothing but
			 * them would find every message. */
			parser_fail(error, 1, "no word to search for ('*' is every message)");
			g_clear_pointer(&top, part_free);
		}
	}

	if (top != NULL && with_attachments) {
		g_autoptr(GPtrArray) both = g_ptr_array_new_with_free_func(part_free_void);
		g_ptr_array_add(both, g_steal_pointer(&top));
		g_ptr_array_add(both, sql_part(g_strdup(QUERY_HAS_ATTACHMENTS)));
		top = parts_combine(both, TRUE);
	}

	struct query *q = NULL;
	if (top != NULL) {
		q = g_new0(struct query, 1);
		GString *sql = g_string_new(NULL);
		GString *probe = g_string_new(NULL);
		q->binds = binds_new();
		part_to_sql(top, sql, probe, q->binds);
		q->sql = g_string_free(sql, FALSE);
		q->probe_sql = g_string_free(probe, FALSE);
		if (top->kind == PART_FTS) {
			q->fts_only = g_strdup(top->text);
			q->fts_prefix = top->prefix;
			q->fts_or = top->has_or;
			q->fts_plain = !top->phrasal;
			if (top->phrases)
				q->fts_phrases = g_ptr_array_ref(top->phrases);
		}
		if (top->kind == PART_SQL && top->words_and) {
			q->words_and = g_atomic_rc_box_acquire(top->words_and);
			/* Its phrases joined by AND are every word that ranks. */
			const GPtrArray *a = top->words_and->phrases, *r = ps.rank_phrases;
			q->fts_and_all = a && a->len == r->len;
			for (guint i = 0; q->fts_and_all && i < a->len; i++)
				q->fts_and_all = g_str_equal(a->pdata[i], r->pdata[i]);
		}
		if (ps.highlight->len > 0) {
			g_ptr_array_add(ps.highlight, NULL);
			q->highlight = g_strjoinv(" OR ", (char **)ps.highlight->pdata);
			q->rank_phrases = g_ptr_array_ref(ps.rank_phrases);
		}
		q->and_sets = part_and_sets(top);
		q->date_from = top->date_from;
		q->date_until = top->date_until;
		if (top->kind == PART_SQL && top->key_client) {
			q->key_client = g_strdup(top->key_client);
			q->key_project = g_strdup(top->key_project);
		}
		q->keys = g_ptr_array_ref(ps.keys);
		q->text = g_strdup(text);
		q->now = now;
		q->with_attachments = with_attachments;
		q->has_prefix = ps.has_prefix;
		q->or_branches = or_branches(text, now, ps.top_ors);
	}
	g_ptr_array_unref(ps.tokens);
	g_ptr_array_unref(ps.highlight);
	g_ptr_array_unref(ps.rank_phrases);
	g_ptr_array_unref(ps.keys);
	g_array_unref(ps.top_ors);
	return q;
}

struct query *
query_parse(const char *text, gint64 now, GError **error)
{
	return parse_query(text, now, FALSE, NULL, error);
}

struct query *
query_parse_attachments(const char *text, gint64 now, GError **error)
{
	return parse_query(text, now, TRUE, NULL, error);
}

gboolean
query_has_prefix(const struct query *q)
{
	return q->has_prefix;
}

gboolean
query_expand_prefixes(const struct query *q, struct mc_db *db, struct query **expanded,
                      GError **error)
{
	*expanded = NULL;
	if (!q->has_prefix)
		return TRUE;
	struct prefix_words *pw = prefix_words_new(db, error);
	if (pw == NULL)
		return FALSE;
	/* The same text parsed again: it parsed once, so it parses. */
	struct query *written = parse_query(q->text, q->now, q->with_attachments, pw, error);
	gboolean ok = written != NULL && !prefix_words_failed(pw, error);
	if (ok && prefix_words_written(pw) > 0)
		*expanded = g_steal_pointer(&written);
	query_free(written);
	prefix_words_free(pw);
	return ok;
}

void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	g_free(q->sql);
	g_free(q->probe_sql);
	g_ptr_array_unref(q->binds);
	g_free(q->highlight);
	g_free(q->fts_only);
	if (q->fts_phrases)
		g_ptr_array_unref(q->fts_phrases);
	if (q->rank_phrases)
		g_ptr_array_unref(q->rank_phrases);
	g_clear_pointer(&q->words_and, words_and_unref);
	g_ptr_array_unref(q->keys);
	g_free(q->key_client);
	g_free(q->key_project);
	g_ptr_array_unref(q->and_sets);
	if (q->or_branches)
		g_ptr_array_unref(q->or_branches);
	g_free(q->text);
	g_free(q);
}

const char *
query_sql(const struct query *q)
{
	return q->sql;
}

const char *
query_probe_sql(const struct query *q)
{
	return q->probe_sql;
}

gboolean
query_probe_keeps_set(const struct query *q)
{
	return strstr(q->probe_sql, PART_FTS_SET) != NULL;
}

static int
binds_bind(const GPtrArray *binds, sqlite3_stmt *stmt, int first)
{
	int i = first;

	for (guint k = 0; k < binds->len; k++, i++) {
		const struct bind *b = binds->pdata[k];
		if (b->is_int)
			sqlite3_bind_int64(stmt, i, b->i);
		else
			sqlite3_bind_text(stmt, i, b->s, -1, SQLITE_TRANSIENT);
	}
	return i;
}

int
query_bind(const struct query *q, sqlite3_stmt *stmt, int first)
{
	return binds_bind(q->binds, stmt, first);
}

const char *
query_fts_and(const struct query *q)
{
	return q->words_and ? q->words_and->fts : NULL;
}

gboolean
query_fts_and_joins_all(const struct query *q)
{
	return q->fts_and_all;
}

const char *
query_rest_sql(const struct query *q)
{
	return q->words_and ? q->words_and->rest : NULL;
}

const char *
query_rest_set(const struct query *q)
{
	return q->words_and ? q->words_and->rest_set : NULL;
}

int
query_bind_rest(const struct query *q, sqlite3_stmt *stmt, int first)
{
	return q->words_and ? binds_bind(q->words_and->binds, stmt, first) : first;
}

gboolean
query_fts_has_prefix(const struct query *q)
{
	return q->fts_prefix;
}

gboolean
query_fts_plain(const struct query *q)
{
	return q->fts_plain;
}

gboolean
query_fts_has_or(const struct query *q)
{
	return q->fts_or;
}

const char *
query_fts_highlight(const struct query *q)
{
	return q->highlight;
}

const GPtrArray *
query_fts_rank_phrases(const struct query *q)
{
	return q->rank_phrases;
}

const GPtrArray *
query_fts_phrases(const struct query *q)
{
	return q->fts_phrases;
}

guint
query_and_sets(const struct query *q)
{
	return q->and_sets->len;
}

const char *
query_and_set_sql(const struct query *q, guint i)
{
	return ((const struct bound_set *)q->and_sets->pdata[i])->sql;
}

gboolean
query_and_set_key(const struct query *q, guint i, const char **client, const char **project)
{
	const struct bound_set *b = q->and_sets->pdata[i];
	*client = b->key_client;
	*project = b->key_project;
	return b->key_client != NULL;
}

gboolean
query_and_set_words(const struct query *q, guint i)
{
	return ((const struct bound_set *)q->and_sets->pdata[i])->words;
}

const char *
query_and_set_fts(const struct query *q, guint i, gboolean *phrasal)
{
	const struct bound_set *b = q->and_sets->pdata[i];
	*phrasal = b->phrasal;
	return b->fts;
}

int
query_bind_and_set(const struct query *q, guint i, sqlite3_stmt *stmt, int first)
{
	return binds_bind(((const struct bound_set *)q->and_sets->pdata[i])->binds, stmt, first);
}

gboolean
query_filing_key(const struct query *q, const char **client, const char **project)
{
	*client = q->key_client;
	*project = q->key_project;
	return q->key_client != NULL;
}

gboolean
query_date_bounds(const struct query *q, gint64 *from, gint64 *until)
{
	*from = q->date_from;
	*until = q->date_until;
	return q->date_from > G_MININT64 || q->date_until < G_MAXINT64;
}

const char *
query_fts_only(const struct query *q)
{
	return q->fts_only;
}

guint
query_or_branch_count(const struct query *q)
{
	return q->or_branches ? q->or_branches->len : 0;
}

struct query *
query_or_branch(const struct query *q, guint i, GError **error)
{
	g_return_val_if_fail(i < query_or_branch_count(q), NULL);
	return parse_query(q->or_branches->pdata[i], q->now, q->with_attachments, NULL, error);
}
