/* The lexer: a query's text into tokens, and syntax errors at a column. */
#include "config.h"

#include <string.h>

#include "query/query-parts.h"

void
token_free(gpointer data)
{
	struct token *t = data;

	g_free(t->field);
	g_free(t->value);
	g_free(t->lit);
	g_free(t);
}

gpointer
parser_fail(GError **error, int col, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	g_autofree char *what = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_set_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX, "%s at column %d", what, col);
	return NULL;
}

gpointer
parser_fail_tail(GError **error, int col, const char *tail, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	g_autofree char *what = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_set_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX, "%s at column %d%s", what, col, tail);
	return NULL;
}

int
parser_column(struct parser *ps, const char *p)
{
	while (ps->col_at < p) {
		ps->col_at = g_utf8_next_char(ps->col_at);
		ps->col++;
	}
	return ps->col;
}

static gboolean
is_space(const char *p)
{
	return g_unichar_isspace(g_utf8_get_char(p));
}

static gboolean
ends_word(const char *p)
{
	return *p == '\0' || *p == '(' || *p == ')' || is_space(p);
}

/* Reads a quoted string starting at *P (on the '"'). Inside, \" is a quote and
 * \\ a backslash; any other backslash is itself. */
static char *
lex_quoted(struct parser *ps, const char **pp, GError **error)
{
	const char *p = *pp;
	int col = parser_column(ps, p);
	GString *s = g_string_new(NULL);

	for (p++; *p != '"'; p++) {
		if (*p == '\0') {
			g_string_free(s, TRUE);
			return parser_fail(error, col, "unterminated quote");
		}
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		g_string_append_c(s, *p);
	}
	*pp = p + 1;
	return g_string_free(s, FALSE);
}

gboolean
parser_lex(struct parser *ps, GError **error)
{
	const char *p = ps->text;

	for (;;) {
		while (*p != '\0' && is_space(p))
			p = g_utf8_next_char(p);

		struct token *t = g_new0(struct token, 1);
		g_ptr_array_add(ps->tokens, t);
		t->col = parser_column(ps, p);
		if (*p == '\0') {
			t->type = TOKEN_END;
			return TRUE;
		}
		if (*p == '(' || *p == ')') {
			t->type = *p == '(' ? TOKEN_LPAREN : TOKEN_RPAREN;
			p++;
			continue;
		}
		/* A '-' alone (`Invoice - March`) is a word, not a negation. */
		if (*p == '-' && p[1] != '\0' && p[1] != ')' && !is_space(p + 1)) {
			t->type = TOKEN_MINUS;
			p++;
			continue;
		}

		t->type = TOKEN_TERM;
		const char *q = p;
		while (g_ascii_isalpha(*q))
			q++;
		if (q > p && *q == ':') {
			t->field = g_strndup(p, q - p);
			p = q + 1;
		}
		t->value_col = parser_column(ps, p);
		if (*p == '"') {
			t->quoted = TRUE;
			t->value = lex_quoted(ps, &p, error);
			if (t->value == NULL)
				return FALSE;
			t->prefix = *p == '*';
			while (*p == '*')
				p++;
			t->lit = t->prefix ? g_strconcat(t->value, "*", NULL) : g_strdup(t->value);
			continue;
		}
		q = p;
		while (!ends_word(p))
			p = g_utf8_next_char(p);
		t->lit = g_strndup(q, p - q);
		t->value = g_strdup(t->lit);
		for (gsize n = strlen(t->value); n > 0 && t->value[n - 1] == '*'; n--) {
			t->value[n - 1] = '\0';
			t->prefix = TRUE;
		}
		/* Operators are upper case, as in FTS5: "and" is a word. */
		if (t->field == NULL) {
			if (strcmp(t->lit, "AND") == 0)
				t->type = TOKEN_AND;
			else if (strcmp(t->lit, "OR") == 0)
				t->type = TOKEN_OR;
			else if (strcmp(t->lit, "NOT") == 0)
				t->type = TOKEN_NOT;
		}
	}
}

struct token *
parser_peek(struct parser *ps)
{
	return ps->tokens->pdata[ps->pos];
}

struct token *
parser_next(struct parser *ps)
{
	struct token *t = ps->tokens->pdata[ps->pos];

	if (t->type != TOKEN_END)
		ps->pos++;
	return t;
}

static const char *
token_name(const struct token *t)
{
	switch (t->type) {
	case TOKEN_AND:
		return "AND";
	case TOKEN_OR:
		return "OR";
	case TOKEN_NOT:
		return "NOT";
	case TOKEN_MINUS:
		return "'-'";
	case TOKEN_LPAREN:
		return "'('";
	default:
		return "?";
	}
}

/* Fails unless a term can start at the next token; OP is the token before. */
gboolean
expect_term_after(struct parser *ps, const struct token *op, GError **error)
{
	switch (parser_peek(ps)->type) {
	case TOKEN_END:
	case TOKEN_RPAREN:
	case TOKEN_AND:
	case TOKEN_OR:
		parser_fail(error, op->col, "expected a term after %s", token_name(op));
		return FALSE;
	default:
		return TRUE;
	}
}
