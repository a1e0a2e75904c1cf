#include "config.h"
#include "query/query.h"

#include <string.h>

/* The query is parsed by recursive descent straight into "parts": each part is
 * either an FTS5 expression (kept as text so that neighbouring text terms can
 * be merged into one MATCH), or finished SQL with its bound values. Merging
 * matters: `foo bar baz` as three MATCH subqueries costs three index scans
 * and an intersection in SQL; as one MATCH, FTS5 does it in one pass. */

/* Nesting (parentheses and NOT) and term counts are capped so that no query
 * can exhaust our stack, SQLite's expression depth (1000) or FTS5's. */
#define MAX_DEPTH 64
#define MAX_TERMS 256

GQuark
query_error_quark(void)
{
	return g_quark_from_static_string("mailclerk-query-error");
}

struct bind {
	gboolean is_int;
	gint64 i;
	char *s;
};

static void
bind_free(gpointer data)
{
	struct bind *b = data;

	g_free(b->s);
	g_free(b);
}

static void
binds_add_text(GPtrArray *binds, const char *s)
{
	struct bind *b = g_new0(struct bind, 1);

	b->s = g_strdup(s);
	g_ptr_array_add(binds, b);
}

static void
binds_add_int(GPtrArray *binds, gint64 i)
{
	struct bind *b = g_new0(struct bind, 1);

	b->is_int = TRUE;
	b->i = i;
	g_ptr_array_add(binds, b);
}

static GPtrArray *
binds_new(void)
{
	return g_ptr_array_new_with_free_func(bind_free);
}

enum part_kind {
	PART_EMPTY,   /* a term with nothing to search for (`-`, `!!`): ignored */
	PART_ALL,     /* matches every message */
	PART_NONE,    /* matches no message */
	PART_FTS,     /* text: an FTS5 expression */
	PART_NOT_FTS, /* text: an FTS5 expression the messages must not match */
	PART_SQL,     /* text: SQL over `m`, with binds */
};

struct part {
	enum part_kind kind;
	char *text;
	gboolean atomic; /* FTS text needs no parentheses as an operand */
	GPtrArray *binds;
};

static struct part *
part_new(enum part_kind kind, char *text)
{
	struct part *p = g_new0(struct part, 1);

	p->kind = kind;
	p->text = text;
	p->binds = binds_new();
	return p;
}

static void
part_free(struct part *p)
{
	if (p == NULL)
		return;
	g_free(p->text);
	g_ptr_array_unref(p->binds);
	g_free(p);
}

typedef struct part part;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(part, part_free)

static void
part_free_void(gpointer p)
{
	part_free(p);
}

struct query {
	char *sql;
	GPtrArray *binds;
	char *highlight;
	char *fts_only; /* the MATCH expression when that is the whole query */
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

static void
token_free(gpointer data)
{
	struct token *t = data;

	g_free(t->field);
	g_free(t->value);
	g_free(t->lit);
	g_free(t);
}

struct parser {
	const char *text;
	gint64 now;
	GPtrArray *tokens;
	guint pos;
	int depth;
	int terms;
	int negations;        /* NOTs around the current term: odd means negated */
	GPtrArray *highlight; /* FTS5 operands of the terms that are not negated */
	/* Column bookkeeping: the column of `col_at`, so columns are counted once. */
	const char *col_at;
	int col;
};

static gpointer fail(GError **error, int col, const char *format, ...) G_GNUC_PRINTF(3, 4);

static gpointer
fail(GError **error, int col, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	g_autofree char *what = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_set_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX, "%s at column %d", what, col);
	return NULL;
}

static int
column(struct parser *ps, const char *p)
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
	int col = column(ps, p);
	GString *s = g_string_new(NULL);

	for (p++; *p != '"'; p++) {
		if (*p == '\0') {
			g_string_free(s, TRUE);
			return fail(error, col, "unterminated quote");
		}
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		g_string_append_c(s, *p);
	}
	*pp = p + 1;
	return g_string_free(s, FALSE);
}

static gboolean
lex(struct parser *ps, GError **error)
{
	const char *p = ps->text;

	for (;;) {
		while (*p != '\0' && is_space(p))
			p = g_utf8_next_char(p);

		struct token *t = g_new0(struct token, 1);
		g_ptr_array_add(ps->tokens, t);
		t->col = column(ps, p);
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
		t->value_col = column(ps, p);
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

static struct token *
peek(struct parser *ps)
{
	return ps->tokens->pdata[ps->pos];
}

static struct token *
next(struct parser *ps)
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
static gboolean
expect_term_after(struct parser *ps, const struct token *op, GError **error)
{
	switch (peek(ps)->type) {
	case TOKEN_END:
	case TOKEN_RPAREN:
	case TOKEN_AND:
	case TOKEN_OR:
		fail(error, op->col, "expected a term after %s", token_name(op));
		return FALSE;
	default:
		return TRUE;
	}
}

/* ---- FTS5 text ---- */

/* An FTS5 string: everything inside double quotes is literal text for the
 * tokenizer, so operators, colons, stars and NEAR in user text lose their
 * meaning. */
static void
fts_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *s);
	}
	g_string_append_c(out, '"');
}

/* Whether the tokenizer can find any token in S: unicode61 (and our CJK
 * bigrams) only make tokens of letters and digits. A phrase without tokens
 * matches nothing in FTS5, so `Invoice - March` would find nothing. */
static gboolean
has_tokens(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		if (g_unichar_isalnum(g_utf8_get_char(s)))
			return TRUE;
	}
	return FALSE;
}

static struct part *
fts_leaf(struct parser *ps, const char *columns, const char *value, gboolean prefix)
{
	if (!has_tokens(value))
		return part_new(PART_EMPTY, NULL);

	GString *s = g_string_new(NULL);
	if (columns != NULL)
		g_string_append_printf(s, "{%s} : ", columns);
	fts_string(s, value);
	if (prefix)
		g_string_append(s, " *");

	struct part *p = part_new(PART_FTS, g_string_free(s, FALSE));
	p->atomic = columns == NULL;
	if (ps->negations % 2 == 0)
		g_ptr_array_add(ps->highlight,
		                p->atomic ? g_strdup(p->text) : g_strdup_printf("(%s)", p->text));
	return p;
}

static char *
fts_operand(const struct part *p)
{
	return p->atomic ? g_strdup(p->text) : g_strdup_printf("(%s)", p->text);
}

/* Joins FTS parts with OP ("AND", "OR") into one FTS part. */
static struct part *
fts_join(GPtrArray *parts, const char *op, enum part_kind kind)
{
	struct part *first = parts->pdata[0];

	if (parts->len == 1) {
		struct part *p = part_new(kind, g_strdup(first->text));
		p->atomic = first->atomic;
		return p;
	}
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < parts->len; i++) {
		g_autofree char *operand = fts_operand(parts->pdata[i]);
		if (i > 0)
			g_string_append_printf(s, " %s ", op);
		g_string_append(s, operand);
	}
	return part_new(kind, g_string_free(s, FALSE));
}

/* ---- SQL ---- */

/* Escapes LIKE's wildcards for `LIKE ? ESCAPE '\'`. */
static char *
like_escape(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s != '\0'; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

static void
part_to_sql(const struct part *p, GString *sql, GPtrArray *binds)
{
	switch (p->kind) {
	case PART_EMPTY:
	case PART_ALL:
		g_string_append(sql, "1");
		break;
	case PART_NONE:
		g_string_append(sql, "0");
		break;
	case PART_FTS:
	case PART_NOT_FTS:
		g_string_append_printf(sql, "m.id %sIN (SELECT rowid FROM fts WHERE fts MATCH ?)",
		                       p->kind == PART_NOT_FTS ? "NOT " : "");
		binds_add_text(binds, p->text);
		break;
	case PART_SQL:
		g_string_append(sql, p->text);
		for (guint i = 0; i < p->binds->len; i++) {
			const struct bind *b = p->binds->pdata[i];
			if (b->is_int)
				binds_add_int(binds, b->i);
			else
				binds_add_text(binds, b->s);
		}
		break;
	}
}

static struct part *
sql_part(char *sql)
{
	return part_new(PART_SQL, sql);
}

/* Combines the parts of one AND or OR. Text terms (negated or not) merge into
 * at most one MATCH each way; everything else is joined in SQL. */
static struct part *
combine(GPtrArray *parts, gboolean is_and)
{
	g_autoptr(GPtrArray) pos = g_ptr_array_new();
	g_autoptr(GPtrArray) neg = g_ptr_array_new();
	g_autoptr(GPtrArray) sql = g_ptr_array_new();
	gboolean saw_neutral = FALSE;

	for (guint i = 0; i < parts->len; i++) {
		struct part *p = parts->pdata[i];
		switch (p->kind) {
		case PART_EMPTY:
			break;
		case PART_ALL:
			if (!is_and)
				return part_new(PART_ALL, NULL);
			saw_neutral = TRUE;
			break;
		case PART_NONE:
			if (is_and)
				return part_new(PART_NONE, NULL);
			saw_neutral = TRUE;
			break;
		case PART_FTS:
			g_ptr_array_add(pos, p);
			break;
		case PART_NOT_FTS:
			g_ptr_array_add(neg, p);
			break;
		case PART_SQL:
			g_ptr_array_add(sql, p);
			break;
		}
	}

	/* With AND, text parts become `P1 AND P2 NOT (N1 OR N2)`; with OR, one
	 * MATCH for `P1 OR P2` and one NOT IN for `N1 AND N2` (De Morgan). */
	g_autoptr(part) fts_pos = NULL;
	g_autoptr(part) fts_neg = NULL;
	if (pos->len > 0)
		fts_pos = fts_join(pos, is_and ? "AND" : "OR", PART_FTS);
	if (neg->len > 0)
		fts_neg = fts_join(neg, is_and ? "OR" : "AND", PART_NOT_FTS);
	if (is_and && fts_pos != NULL && fts_neg != NULL) {
		g_autofree char *a = fts_operand(fts_pos);
		g_autofree char *b = fts_operand(fts_neg);
		g_free(fts_pos->text);
		fts_pos->text = g_strdup_printf("%s NOT %s", a, b);
		fts_pos->atomic = FALSE;
		g_clear_pointer(&fts_neg, part_free);
	}

	g_autoptr(GPtrArray) items = g_ptr_array_new();
	if (fts_pos != NULL)
		g_ptr_array_add(items, fts_pos);
	if (fts_neg != NULL)
		g_ptr_array_add(items, fts_neg);
	g_ptr_array_extend(items, sql, NULL, NULL);

	if (items->len == 0) {
		if (saw_neutral)
			return part_new(is_and ? PART_ALL : PART_NONE, NULL);
		return part_new(PART_EMPTY, NULL);
	}
	if (items->len == 1 && items->pdata[0] == fts_pos)
		return g_steal_pointer(&fts_pos);
	if (items->len == 1 && items->pdata[0] == fts_neg)
		return g_steal_pointer(&fts_neg);

	struct part *out = sql_part(NULL);
	GString *s = g_string_new(items->len > 1 ? "(" : "");
	for (guint i = 0; i < items->len; i++) {
		if (i > 0)
			g_string_append(s, is_and ? " AND " : " OR ");
		part_to_sql(items->pdata[i], s, out->binds);
	}
	if (items->len > 1)
		g_string_append_c(s, ')');
	out->text = g_string_free(s, FALSE);
	return out;
}

static struct part *
negate(struct part *p)
{
	switch (p->kind) {
	case PART_EMPTY:
		break;
	case PART_ALL:
		p->kind = PART_NONE;
		break;
	case PART_NONE:
		p->kind = PART_ALL;
		break;
	case PART_FTS:
		p->kind = PART_NOT_FTS;
		break;
	case PART_NOT_FTS:
		p->kind = PART_FTS;
		break;
	case PART_SQL: {
		char *text = g_strdup_printf("NOT (%s)", p->text);
		g_free(p->text);
		p->text = text;
		break;
	}
	}
	return p;
}

/* ---- Fields ---- */

enum field_kind {
	FIELD_TEXT,    /* FTS in `columns` */
	FIELD_ADDRESS, /* an address or @domain in `roles`; else FTS in `columns` */
	FIELD_FOLDER,
	FIELD_SOURCE,
	FIELD_ID,
	FIELD_THREAD,
	FIELD_IS,
	FIELD_HAS,
	FIELD_TYPE,
	FIELD_DATE,
	FIELD_CLIENT,
	FIELD_PROJECT,
};

static const struct field {
	const char *name;
	enum field_kind kind;
	const char *columns;
	const char *roles; /* SQL over `a`, or NULL for any role */
} fields[] = {
	{ "subject", FIELD_TEXT, "subject", NULL },
	{ "body", FIELD_TEXT, "body", NULL },
	{ "attachment", FIELD_TEXT, "attachments", NULL },
	{ "from", FIELD_ADDRESS, "sender", "a.role = 0" },
	{ "to", FIELD_ADDRESS, "recipients", "a.role IN (1, 3)" },
	{ "cc", FIELD_ADDRESS, "recipients", "a.role = 2" },
	{ "address", FIELD_ADDRESS, "sender recipients", NULL },
	{ "folder", FIELD_FOLDER, NULL, NULL },
	{ "source", FIELD_SOURCE, NULL, NULL },
	{ "id", FIELD_ID, NULL, NULL },
	{ "thread", FIELD_THREAD, NULL, NULL },
	{ "is", FIELD_IS, NULL, NULL },
	{ "has", FIELD_HAS, NULL, NULL },
	{ "type", FIELD_TYPE, NULL, NULL },
	{ "date", FIELD_DATE, NULL, NULL },
	{ "client", FIELD_CLIENT, NULL, NULL },
	{ "project", FIELD_PROJECT, NULL, NULL },
};

/* Messages with a row in TABLE (alias ALIAS) matching COND. `m.id IN (…)`
 * rather than a correlated EXISTS: measured on 20,000 messages, IN stays
 * under about 12 ms for every field, while EXISTS makes SQLite probe the
 * table once per message and, for folder:INBOX, pick the folder index for
 * each probe (8 s for a count). */
static char *
sql_having(const char *table, const char *alias, const char *roles, const char *cond)
{
	return g_strdup_printf("m.id IN (SELECT %s.message FROM %s %s WHERE %s%s%s)", alias, table,
	                       alias, roles != NULL ? roles : "", roles != NULL ? " AND " : "",
	                       cond);
}

static struct part *
address_leaf(const struct field *f, const struct token *t)
{
	g_autofree char *lower = g_utf8_strdown(t->value, -1);
	g_autofree char *esc = NULL;
	struct part *p = sql_part(NULL);

	if (lower[0] == '@') {
		/* The domain or any subdomain: @acme.example finds
		 * mail.acme.example, not notacme.example. */
		const char *domain = lower + 1;
		esc = like_escape(domain);
		if (t->prefix) {
			p->text = sql_having("addresses", "a", f->roles,
			                     "(a.domain LIKE ? ESCAPE '\\' OR a.domain LIKE ? "
			                     "ESCAPE '\\')");
			g_autofree char *b1 = g_strconcat(esc, "%", NULL);
			g_autofree char *b2 = g_strconcat("%.", esc, "%", NULL);
			binds_add_text(p->binds, b1);
			binds_add_text(p->binds, b2);
		} else {
			p->text = sql_having("addresses", "a", f->roles,
			                     "(a.domain = ? OR a.domain LIKE ? ESCAPE '\\')");
			g_autofree char *b2 = g_strconcat("%.", esc, NULL);
			binds_add_text(p->binds, domain);
			binds_add_text(p->binds, b2);
		}
	} else if (t->prefix) {
		esc = like_escape(lower);
		g_autofree char *b = g_strconcat(esc, "%", NULL);
		p->text = sql_having("addresses", "a", f->roles, "a.address LIKE ? ESCAPE '\\'");
		binds_add_text(p->binds, b);
	} else {
		p->text = sql_having("addresses", "a", f->roles, "a.address = ?");
		binds_add_text(p->binds, lower);
	}
	return p;
}

/* Messages with a copy in a container (alias c) meeting COND. Folders and
 * sources are few: the join starts from the matching containers. */
static char *
location_having(const char *cond)
{
	return g_strdup_printf("m.id IN (SELECT l.message FROM containers c JOIN locations l "
	                       "ON l.container = c.id WHERE %s)",
	                       cond);
}

/* folder:NAME is that folder; NAME followed by a slash and a star is it and
 * the folders below; folder:NA* any folder whose name starts so. */
static struct part *
location_leaf(const char *column, const struct token *t)
{
	g_autofree char *prefix = NULL;
	gboolean tree = FALSE;
	struct part *p = sql_part(NULL);

	if (t->quoted && g_str_has_suffix(t->lit, "/*")) {
		prefix = g_strndup(t->lit, strlen(t->lit) - 1);
		tree = TRUE;
	} else if (t->prefix) {
		prefix = g_strdup(t->value);
		tree = g_str_has_suffix(prefix, "/") && prefix[1] != '\0';
	}

	if (prefix == NULL) {
		g_autofree char *cond = g_strdup_printf("c.%s = ?", column);
		p->text = location_having(cond);
		binds_add_text(p->binds, t->value);
		return p;
	}
	/* substr() and not LIKE: folder names are case-sensitive. */
	g_autofree char *cond = NULL;
	if (tree) {
		cond = g_strdup_printf("(c.%s = ? OR substr(c.%s, 1, ?) = ?)", column, column);
		g_autofree char *parent = g_strndup(prefix, strlen(prefix) - 1);
		binds_add_text(p->binds, parent);
	} else {
		cond = g_strdup_printf("substr(c.%s, 1, ?) = ?", column);
	}
	p->text = location_having(cond);
	binds_add_int(p->binds, g_utf8_strlen(prefix, -1));
	binds_add_text(p->binds, prefix);
	return p;
}

static struct part *
type_leaf(const struct token *t)
{
	g_autofree char *lower = g_utf8_strdown(t->lit, -1);
	struct part *p = sql_part(NULL);

	if (strchr(lower, '/') != NULL) {
		p->text = sql_having("attachments", "t", NULL, "t.mime_type = ? COLLATE NOCASE");
		binds_add_text(p->binds, lower);
		return p;
	}
	/* type:pdf is application/pdf or a file named *.pdf; type:image is any
	 * image/... type. */
	g_autofree char *esc = like_escape(lower);
	g_autofree char *major = g_strconcat(esc, "/%", NULL);
	g_autofree char *minor = g_strconcat("%/", esc, NULL);
	g_autofree char *ext = g_strconcat("%.", esc, NULL);
	p->text = sql_having("attachments", "t", NULL,
	                     "(t.mime_type = ? COLLATE NOCASE OR t.mime_type LIKE ? ESCAPE '\\' OR "
	                     "t.mime_type LIKE ? ESCAPE '\\' OR t.filename LIKE ? ESCAPE '\\')");
	binds_add_text(p->binds, lower);
	binds_add_text(p->binds, major);
	binds_add_text(p->binds, minor);
	binds_add_text(p->binds, ext);
	return p;
}

/* One side of a date range: the period [*start, *end) that S names, in UTC.
 * A relative value (2w) is a point in time: *start == *end. */
static gboolean
date_period(const char *s, gint64 now, gint64 *start, gint64 *end, gboolean *relative)
{
	gint64 day = now - (now % 86400 + 86400) % 86400; /* midnight, also before 1970 */
	gsize n = strlen(s);

	*relative = FALSE;
	if (g_ascii_strcasecmp(s, "today") == 0) {
		*start = day;
		*end = day + 86400;
		return TRUE;
	}
	if (g_ascii_strcasecmp(s, "yesterday") == 0) {
		*start = day - 86400;
		*end = day;
		return TRUE;
	}

	gsize digits = strspn(s, "0123456789");
	if (digits > 0 && digits <= 6 && n == digits + 1 && strchr("dwmyDWMY", s[digits])) {
		int count = atoi(s);
		g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(now);
		g_autoptr(GDateTime) then = NULL;
		if (t == NULL)
			return FALSE;
		switch (g_ascii_tolower(s[digits])) {
		case 'd':
			then = g_date_time_add_days(t, -count);
			break;
		case 'w':
			then = g_date_time_add_weeks(t, -count);
			break;
		case 'm':
			then = g_date_time_add_months(t, -count);
			break;
		default:
			then = g_date_time_add_years(t, -count);
			break;
		}
		if (then == NULL)
			return FALSE;
		*start = *end = g_date_time_to_unix(then);
		*relative = TRUE;
		return TRUE;
	}

	/* YYYY, YYYY-MM or YYYY-MM-DD, digits exactly where they belong. */
	static const char *const shapes[] = { "dddd", "dddd-dd", "dddd-dd-dd" };
	int parts = 0;
	for (int i = 0; i < 3; i++) {
		if (n == strlen(shapes[i]))
			parts = i + 1;
	}
	if (parts == 0)
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		if (shapes[parts - 1][i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != '-')
			return FALSE;
	}
	int year = atoi(s);
	int month = parts >= 2 ? atoi(s + 5) : 1;
	int mday = parts >= 3 ? atoi(s + 8) : 1;
	if (year < 1 || month < 1 || month > 12 || mday < 1 || mday > 31)
		return FALSE;
	g_autoptr(GDateTime) first = g_date_time_new_utc(year, month, mday, 0, 0, 0);
	if (first == NULL)
		return FALSE;
	g_autoptr(GDateTime) after = parts == 1   ? g_date_time_add_years(first, 1)
	                             : parts == 2 ? g_date_time_add_months(first, 1)
	                                          : g_date_time_add_days(first, 1);
	*start = g_date_time_to_unix(first);
	/* The day after 9999-12-31 does not exist for GDateTime. */
	*end = after != NULL ? g_date_time_to_unix(after) : G_MAXINT64;
	return TRUE;
}

static struct part *
date_leaf(struct parser *ps, const struct token *t, GError **error)
{
	const char *dots = strstr(t->lit, "..");
	g_autofree char *a = dots != NULL ? g_strndup(t->lit, dots - t->lit) : g_strdup(t->lit);
	const char *b = dots != NULL ? dots + 2 : NULL;
	int b_col = t->value_col + (int)g_utf8_strlen(a, -1) + 2;
	gint64 a_start = 0, a_end = 0, b_start = 0, b_end = 0;
	gboolean a_rel = FALSE, b_rel = FALSE;

	if (a[0] == '\0' && (b == NULL || b[0] == '\0'))
		return fail(error, t->value_col, "bad date '%s'", t->lit);
	if (a[0] != '\0' && !date_period(a, ps->now, &a_start, &a_end, &a_rel))
		return fail(error, t->value_col, "bad date '%s'", a);
	if (b != NULL && b[0] != '\0' && !date_period(b, ps->now, &b_start, &b_end, &b_rel))
		return fail(error, b_col, "bad date '%s'", b);

	struct part *p = sql_part(NULL);
	if (b == NULL) {
		/* One value is its whole period; a relative one runs until now. */
		p->text = g_strdup("(m.date >= ? AND m.date < ?)");
		binds_add_int(p->binds, a_start);
		binds_add_int(p->binds, a_rel ? ps->now + (ps->now < G_MAXINT64) : a_end);
	} else if (a[0] == '\0') {
		p->text = g_strdup("m.date < ?");
		binds_add_int(p->binds, b_end);
	} else if (b[0] == '\0') {
		p->text = g_strdup("m.date >= ?");
		binds_add_int(p->binds, a_start);
	} else {
		p->text = g_strdup("(m.date >= ? AND m.date < ?)");
		binds_add_int(p->binds, a_start);
		binds_add_int(p->binds, b_end);
	}
	return p;
}

static struct part *
field_leaf(struct parser *ps, const struct token *t, GError **error)
{
	const struct field *f = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (g_ascii_strcasecmp(t->field, fields[i].name) == 0)
			f = &fields[i];
	}
	if (f == NULL)
		return fail(error, t->col, "unknown field '%s'", t->field);

	/* folder:* and source:* (any) are the only values that may be just a star. */
	gboolean empty = f->kind == FIELD_FOLDER || f->kind == FIELD_SOURCE ? t->lit[0] == '\0'
	                                                                    : t->value[0] == '\0';
	if (empty)
		return fail(error, t->col, "empty value for %s:", f->name);

	switch (f->kind) {
	case FIELD_TEXT:
		return fts_leaf(ps, f->columns, t->value, t->prefix);
	case FIELD_ADDRESS:
		if (strchr(t->value, '@') != NULL) {
			if (strcmp(t->value, "@") == 0)
				return fail(error, t->col, "empty value for %s:", f->name);
			return address_leaf(f, t);
		}
		return fts_leaf(ps, f->columns, t->value, t->prefix);
	case FIELD_FOLDER:
		return location_leaf("folder", t);
	case FIELD_SOURCE:
		return location_leaf("source", t);
	case FIELD_ID: {
		const char *s = t->lit;
		gsize n = strlen(s);
		if (s[0] == '<') {
			s++;
			n--;
		}
		if (n > 0 && s[n - 1] == '>')
			n--;
		if (n == 0)
			return fail(error, t->col, "empty value for %s:", f->name);
		struct part *p = sql_part(g_strdup("m.message_id = ?"));
		g_autofree char *id = g_strndup(s, n);
		binds_add_text(p->binds, id);
		return p;
	}
	case FIELD_THREAD: {
		guint64 n;
		if (!g_ascii_string_to_unsigned(t->lit, 10, 0, G_MAXINT64, &n, NULL))
			return fail(error, t->col, "thread: needs a number");
		struct part *p = sql_part(g_strdup("m.thread_id = ?"));
		binds_add_int(p->binds, (gint64)n);
		return p;
	}
	case FIELD_IS:
		if (g_ascii_strcasecmp(t->lit, "inbound") == 0)
			return sql_part(g_strdup("m.direction = 0"));
		if (g_ascii_strcasecmp(t->lit, "outbound") == 0)
			return sql_part(g_strdup("m.direction = 1"));
		return fail(error, t->col, "unknown value '%s' for is:", t->lit);
	case FIELD_HAS:
		if (g_ascii_strcasecmp(t->lit, "attachment") == 0 ||
		    g_ascii_strcasecmp(t->lit, "attachments") == 0)
			return sql_part(g_strdup("m.has_attachments = 1"));
		return fail(error, t->col, "unknown value '%s' for has:", t->lit);
	case FIELD_TYPE:
		return type_leaf(t);
	case FIELD_DATE:
		return date_leaf(ps, t, error);
	case FIELD_CLIENT: {
		/* client:none is mail no rule filed. */
		if (g_ascii_strcasecmp(t->lit, "none") == 0)
			return sql_part(g_strdup("m.id NOT IN (SELECT message FROM filings)"));
		struct part *p =
		    sql_part(g_strdup("m.id IN (SELECT message FROM filings WHERE client = ?)"));
		binds_add_text(p->binds, t->lit);
		return p;
	}
	case FIELD_PROJECT: {
		/* project:CLIENT/KEY, or project:KEY under whichever client has it. */
		const char *slash = strchr(t->lit, '/');
		struct part *p;
		if (slash) {
			p = sql_part(
			    g_strdup("m.id IN (SELECT message FROM filings WHERE client = ? "
			             "AND project = ?)"));
			g_autofree char *client = g_strndup(t->lit, slash - t->lit);
			binds_add_text(p->binds, client);
			binds_add_text(p->binds, slash + 1);
		} else {
			p = sql_part(
			    g_strdup("m.id IN (SELECT message FROM filings WHERE project = ?)"));
			binds_add_text(p->binds, t->lit);
		}
		return p;
	}
	}
	g_assert_not_reached();
}

static struct part *
term_leaf(struct parser *ps, const struct token *t, GError **error)
{
	if (++ps->terms > MAX_TERMS)
		return fail(error, t->col, "too many terms");
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
	struct token *t = next(ps);

	switch (t->type) {
	case TOKEN_TERM:
		return term_leaf(ps, t, error);
	case TOKEN_NOT:
	case TOKEN_MINUS: {
		if (!expect_term_after(ps, t, error))
			return NULL;
		if (++ps->depth > MAX_DEPTH)
			return fail(error, t->col, "too deeply nested");
		ps->negations++;
		struct part *p = parse_unary(ps, error);
		ps->negations--;
		ps->depth--;
		return p != NULL ? negate(p) : NULL;
	}
	case TOKEN_LPAREN: {
		if (!expect_term_after(ps, t, error)) {
			if (peek(ps)->type == TOKEN_END) {
				g_clear_error(error);
				return fail(error, t->col, "missing ')' for '('");
			}
			return NULL;
		}
		if (++ps->depth > MAX_DEPTH)
			return fail(error, t->col, "too deeply nested");
		g_autoptr(part) p = parse_or(ps, error);
		if (p == NULL)
			return NULL;
		ps->depth--;
		if (peek(ps)->type != TOKEN_RPAREN)
			return fail(error, t->col, "missing ')' for '('");
		next(ps);
		return g_steal_pointer(&p);
	}
	case TOKEN_RPAREN:
		return fail(error, t->col, "unbalanced ')'");
	case TOKEN_AND:
		return fail(error, t->col, "expected a term before AND");
	case TOKEN_OR:
		return fail(error, t->col, "expected a term before OR");
	case TOKEN_END:
		break;
	}
	return fail(error, t->col, "expected a term");
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

		struct token *t = peek(ps);
		if (t->type == TOKEN_AND) {
			next(ps);
			if (!expect_term_after(ps, t, error))
				return NULL;
		} else if (t->type == TOKEN_END || t->type == TOKEN_RPAREN || t->type == TOKEN_OR) {
			break;
		}
	}
	return combine(parts, TRUE);
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

		struct token *t = peek(ps);
		if (t->type != TOKEN_OR)
			break;
		next(ps);
		if (!expect_term_after(ps, t, error))
			return NULL;
	}
	return combine(parts, FALSE);
}

struct query *
query_parse(const char *text, gint64 now, GError **error)
{
	struct parser ps = { 0 };
	const char *bad;

	g_return_val_if_fail(text != NULL, NULL);

	ps.text = text;
	ps.now = now;
	ps.col_at = text;
	ps.col = 1;
	if (!g_utf8_validate(text, -1, &bad))
		return fail(error, column(&ps, bad), "invalid UTF-8");

	ps.tokens = g_ptr_array_new_with_free_func(token_free);
	ps.highlight = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(part) top = NULL;
	if (lex(&ps, error)) {
		if (peek(&ps)->type == TOKEN_END)
			top = part_new(PART_ALL, NULL);
		else
			top = parse_or(&ps, error);
		if (top != NULL && peek(&ps)->type != TOKEN_END) {
			/* parse_or stops only at the end or at a ')' without '('. */
			fail(error, peek(&ps)->col, "unbalanced ')'");
			g_clear_pointer(&top, part_free);
		}
	}

	struct query *q = NULL;
	if (top != NULL) {
		q = g_new0(struct query, 1);
		GString *sql = g_string_new(NULL);
		q->binds = binds_new();
		part_to_sql(top, sql, q->binds);
		q->sql = g_string_free(sql, FALSE);
		if (top->kind == PART_FTS)
			q->fts_only = g_strdup(top->text);
		if (ps.highlight->len > 0) {
			g_ptr_array_add(ps.highlight, NULL);
			q->highlight = g_strjoinv(" OR ", (char **)ps.highlight->pdata);
		}
	}
	g_ptr_array_unref(ps.tokens);
	g_ptr_array_unref(ps.highlight);
	return q;
}

void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	g_free(q->sql);
	g_ptr_array_unref(q->binds);
	g_free(q->highlight);
	g_free(q->fts_only);
	g_free(q);
}

const char *
query_sql(const struct query *q)
{
	return q->sql;
}

int
query_bind(const struct query *q, sqlite3_stmt *stmt, int first)
{
	int i = first;

	for (guint k = 0; k < q->binds->len; k++, i++) {
		const struct bind *b = q->binds->pdata[k];
		if (b->is_int)
			sqlite3_bind_int64(stmt, i, b->i);
		else
			sqlite3_bind_text(stmt, i, b->s, -1, SQLITE_TRANSIENT);
	}
	return i;
}

const char *
query_fts_highlight(const struct query *q)
{
	return q->highlight;
}

const char *
query_fts_only(const struct query *q)
{
	return q->fts_only;
}
