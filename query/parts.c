/* The parts a query compiles to: bound values, FTS5 text terms and their
 * joins, SQL, and combining and negating parts. */
#include "config.h"

#include "query/query-parts.h"

static void
bind_free(gpointer data)
{
	struct bind *b = data;

	g_free(b->s);
	g_free(b);
}

void
binds_add_text(GPtrArray *binds, const char *s)
{
	struct bind *b = g_new0(struct bind, 1);

	b->s = g_strdup(s);
	g_ptr_array_add(binds, b);
}

void
binds_add_int(GPtrArray *binds, gint64 i)
{
	struct bind *b = g_new0(struct bind, 1);

	b->is_int = TRUE;
	b->i = i;
	g_ptr_array_add(binds, b);
}

GPtrArray *
binds_new(void)
{
	return g_ptr_array_new_with_free_func(bind_free);
}

void
binds_extend(GPtrArray *binds, const GPtrArray *more)
{
	for (guint i = 0; i < more->len; i++) {
		const struct bind *b = more->pdata[i];
		if (b->is_int)
			binds_add_int(binds, b->i);
		else
			binds_add_text(binds, b->s);
	}
}

struct part *
part_new(enum part_kind kind, char *text)
{
	struct part *p = g_new0(struct part, 1);

	p->kind = kind;
	p->text = text;
	p->binds = binds_new();
	p->date_from = G_MININT64;
	p->date_until = G_MAXINT64;
	return p;
}

void
part_free(struct part *p)
{
	if (p == NULL)
		return;
	g_free(p->text);
	g_free(p->probe);
	if (p->phrases)
		g_ptr_array_unref(p->phrases);
	g_ptr_array_unref(p->binds);
	g_free(p->set);
	g_clear_pointer(&p->words_and, words_and_unref);
	g_free(p->key_client);
	g_free(p->key_project);
	if (p->and_sets)
		g_ptr_array_unref(p->and_sets);
	g_free(p);
}

static void
words_and_clear(gpointer data)
{
	struct words_and *w = data;
	g_free(w->fts);
	if (w->phrases)
		g_ptr_array_unref(w->phrases);
	g_free(w->rest);
	g_ptr_array_unref(w->binds);
	g_free(w->rest_set);
}

void
words_and_unref(struct words_and *w)
{
	g_atomic_rc_box_release_full(w, words_and_clear);
}

static void
bound_set_clear(gpointer data)
{
	struct bound_set *b = data;
	g_free(b->sql);
	g_ptr_array_unref(b->binds);
	g_free(b->key_client);
	g_free(b->key_project);
	g_free(b->fts);
}

static void
bound_set_unref(gpointer data)
{
	g_atomic_rc_box_release_full(data, bound_set_clear);
}

/* A set of SQL with BINDS (a reference is taken), of no filing key. */
static struct bound_set *
bound_set_new(const char *sql, GPtrArray *binds)
{
	struct bound_set *b = g_atomic_rc_box_new0(struct bound_set);
	b->sql = g_strdup(sql);
	b->binds = g_ptr_array_ref(binds);
	return b;
}

GPtrArray *
part_and_sets(const struct part *p)
{
	GPtrArray *sets = g_ptr_array_new_with_free_func(bound_set_unref);
	if (p->kind != PART_SQL)
		return sets;
	if (p->and_sets) {
		for (guint i = 0; i < p->and_sets->len; i++)
			g_ptr_array_add(sets, g_atomic_rc_box_acquire(p->and_sets->pdata[i]));
	} else if (p->set && p->set_seeks) {
		struct bound_set *b = bound_set_new(p->set, p->binds);
		b->key_client = g_strdup(p->key_client);
		b->key_project = g_strdup(p->key_project);
		g_ptr_array_add(sets, b);
	}
	return sets;
}

void
part_free_void(gpointer p)
{
	part_free(p);
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
 * bigrams) only make tokens of letters and numbers (and private use
 * characters; marks only inside words). A phrase without tokens matches
 * nothing in FTS5, so `Invoice - March` would find nothing. */
static gboolean
has_tokens(const char *s)
{
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);
		GUnicodeType t = g_unichar_type(c);
		/* ² and Ⅻ are numbers to unicode61, and NFKC makes 2 and xii of them. */
		if (g_unichar_isalnum(c) || t == G_UNICODE_OTHER_NUMBER ||
		    t == G_UNICODE_LETTER_NUMBER || t == G_UNICODE_PRIVATE_USE)
			return TRUE;
	}
	return FALSE;
}

/* Whether the tokenizer makes one token of S: one run of letters and
 * numbers (with the marks inside it), no CJK character (a run of them is a
 * phrase of bigrams). Only the cost of a search depends on it. */
static gboolean
one_token(const char *s)
{
	int runs = 0;
	gboolean in_run = FALSE;
	for (; *s != '\0'; s = g_utf8_next_char(s)) {
		gunichar c = g_utf8_get_char(s);
		GUnicodeType t = g_unichar_type(c);
		if (g_unichar_iswide(c))
			return FALSE;
		gboolean token_char =
		    g_unichar_isalnum(c) || t == G_UNICODE_OTHER_NUMBER ||
		    t == G_UNICODE_LETTER_NUMBER || t == G_UNICODE_PRIVATE_USE ||
		    (in_run && (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK));
		if (token_char && !in_run)
			runs++;
		in_run = token_char;
	}
	return runs == 1;
}

struct part *
fts_leaf(struct parser *ps, const char *columns, const char *value, gboolean prefix)
{
	if (!has_tokens(value))
		return part_new(PART_EMPTY, NULL);

	/* A prefix written out as the index's words that begin with it: an OR
	 * of them, or the one. Not in a column: a test of a column costs FTS5 a
	 * scan on to the next row that has the word there, and a rare one,
	 * written out, was walked at that cost (cc:User*: 6 -> 28 ms at a
	 * million). Not negated: a walk of what lacks it is dense, and each test
	 * would seek every word. */
	g_autoptr(GPtrArray) words =
	    prefix && ps->prefix_words && columns == NULL && ps->negations % 2 == 0
	        ? prefix_words_find(ps->prefix_words, value)
	        : NULL;
	GString *s = g_string_new(NULL);
	if (columns != NULL)
		g_string_append_printf(s, "{%s} : ", columns);
	if (words) {
		if (words->len > 1)
			g_string_append_c(s, '(');
		for (guint i = 0; i < words->len; i++) {
			if (i > 0)
				g_string_append(s, " OR ");
			fts_string(s, words->pdata[i]);
		}
		if (words->len > 1)
			g_string_append_c(s, ')');
	} else {
		fts_string(s, value);
		if (prefix)
			g_string_append(s, " *");
	}
	ps->has_prefix |= prefix;

	struct part *p = part_new(PART_FTS, g_string_free(s, FALSE));
	p->atomic = columns == NULL;
	p->prefix = prefix && !words;
	p->has_or = words && words->len > 1;
	p->phrasal = columns != NULL || (!words && !one_token(value));
	if (!p->has_or) {
		p->phrases = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(p->phrases, g_strdup(p->text));
	}
	if (ps->negations % 2 == 0) {
		g_ptr_array_add(ps->highlight,
		                p->atomic ? g_strdup(p->text) : g_strdup_printf("(%s)", p->text));
		g_ptr_array_add(ps->rank_phrases, g_strdup(p->text));
	}
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
		p->prefix = first->prefix;
		p->has_or = first->has_or;
		p->phrasal = first->phrasal;
		if (first->phrases)
			p->phrases = g_ptr_array_ref(first->phrases);
		return p;
	}
	GString *s = g_string_new(NULL);
	gboolean prefix = FALSE, phrasal = FALSE, has_or = g_str_equal(op, "OR");
	/* The operands are positive (their kinds are all KIND), so an AND of
	 * ANDs of phrases is one. */
	g_autoptr(GPtrArray) phrases = has_or ? NULL : g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < parts->len; i++) {
		const struct part *operand_part = parts->pdata[i];
		g_autofree char *operand = fts_operand(operand_part);
		if (i > 0)
			g_string_append_printf(s, " %s ", op);
		g_string_append(s, operand);
		prefix |= operand_part->prefix;
		has_or |= operand_part->has_or;
		phrasal |= operand_part->phrasal;
		if (phrases && operand_part->phrases)
			for (guint k = 0; k < operand_part->phrases->len; k++)
				g_ptr_array_add(phrases, g_strdup(operand_part->phrases->pdata[k]));
		else
			g_clear_pointer(&phrases, g_ptr_array_unref);
	}
	struct part *p = part_new(kind, g_string_free(s, FALSE));
	p->prefix = prefix;
	p->has_or = has_or;
	p->phrasal = phrasal;
	p->phrases = g_steal_pointer(&phrases);
	return p;
}

/* ---- SQL ---- */

/* Escapes LIKE's wildcards for `LIKE ? ESCAPE '\'`. */
char *
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

void
part_set_in(struct part *p, const char *column, const char *from, const char *where)
{
	g_free(p->text);
	g_free(p->probe);
	p->text = g_strdup_printf("m.id IN (SELECT %s FROM %s%s%s)", column, from,
	                          where ? " WHERE " : "", where ? where : "");
	g_free(p->set);
	p->set = g_strdup_printf("SELECT %s FROM %s%s%s", column, from, where ? " WHERE " : "",
	                         where ? where : "");
	part_set_probe(p, column, from, where);
}

void
part_set_probe(struct part *p, const char *column, const char *from, const char *where)
{
	g_free(p->probe);
	p->probe = g_strdup_printf("EXISTS (SELECT 1 FROM %s WHERE %s = m.id%s%s%s)", from, column,
	                           where ? " AND (" : "", where ? where : "", where ? ")" : "");
}

void
part_to_sql(const struct part *p, GString *sql, GString *probe, GPtrArray *binds)
{
	switch (p->kind) {
	case PART_EMPTY:
	case PART_ALL:
		g_string_append(sql, "1");
		g_string_append(probe, "1");
		break;
	case PART_NONE:
		g_string_append(sql, "0");
		g_string_append(probe, "0");
		break;
	case PART_FTS:
	case PART_NOT_FTS: {
		const char *negated = p->kind == PART_NOT_FTS ? "NOT " : "";
		g_string_append_printf(sql, "m.id %s" PART_FTS_SET, negated);
		/* A prefix is found as a set, once a statement: tested a message at
		 * a time it cost FTS5 as much each time (0.1 s at 250,000). */
		if (p->prefix)
			g_string_append_printf(probe, "m.id %s" PART_FTS_SET, negated);
		else
			g_string_append_printf(
			    probe,
			    "%sEXISTS (SELECT 1 FROM fts WHERE fts MATCH ? AND rowid = m.id)",
			    negated);
		binds_add_text(binds, p->text);
		break;
	}
	case PART_SQL:
		g_string_append(sql, p->text);
		g_string_append(probe, p->probe ? p->probe : p->text);
		binds_extend(binds, p->binds);
		break;
	}
}

struct part *
sql_part(char *sql)
{
	return part_new(PART_SQL, sql);
}

/* The sets an OR's matches are all in (an array of struct bound_set *,
 * empty or of one): the union of a set of each branch (FTS_POS's words'
 * hits, a set of each of SQL's parts) when every branch has one, as an OR
 * of senders has; read by seeking, as each of them is. A message in two
 * branches is in the union twice: counted with a LIMIT, a set looks bigger
 * than it is, never smaller. */
static GPtrArray *
or_sets(const struct part *fts_pos, const GPtrArray *sql)
{
	GPtrArray *sets = g_ptr_array_new_with_free_func(bound_set_unref);
	g_autoptr(GString) union_sql = g_string_new(NULL);
	g_autoptr(GPtrArray) binds = binds_new();
	gboolean words = fts_pos != NULL;
	if (fts_pos != NULL) {
		g_string_append(union_sql, PART_FTS_HITS);
		binds_add_text(binds, fts_pos->text);
	}
	for (guint i = 0; i < sql->len; i++) {
		g_autoptr(GPtrArray) branch = part_and_sets(sql->pdata[i]);
		if (branch->len == 0)
			return sets;
		const struct bound_set *b = branch->pdata[0];
		if (union_sql->len > 0)
			g_string_append(union_sql, " UNION ALL ");
		g_string_append(union_sql, b->sql);
		binds_extend(binds, b->binds);
		words |= b->words;
	}
	struct bound_set *b = bound_set_new(union_sql->str, binds);
	b->words = words;
	if (fts_pos != NULL && sql->len == 0)
		b->fts = g_strdup(fts_pos->text);
	g_ptr_array_add(sets, b);
	return sets;
}

/* Combines the parts of one AND or OR. Text terms (negated or not) merge into
 * at most one MATCH each way; everything else is joined in SQL. */
struct part *
parts_combine(GPtrArray *parts, gboolean is_and)
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
		fts_pos->prefix |= fts_neg->prefix;
		fts_pos->has_or |= fts_neg->has_or;
		fts_pos->phrasal |= fts_neg->phrasal;
		g_clear_pointer(&fts_pos->phrases, g_ptr_array_unref);
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
	GString *probe = g_string_new(s->str);
	for (guint i = 0; i < items->len; i++) {
		if (i > 0) {
			g_string_append(s, is_and ? " AND " : " OR ");
			g_string_append(probe, is_and ? " AND " : " OR ");
		}
		part_to_sql(items->pdata[i], s, probe, out->binds);
	}
	if (items->len > 1) {
		g_string_append_c(s, ')');
		g_string_append_c(probe, ')');
	}
	out->text = g_string_free(s, FALSE);
	out->probe = g_string_free(probe, FALSE);
	if (g_str_equal(out->text, out->probe))
		g_clear_pointer(&out->probe, g_free);
	if (is_and && fts_pos != NULL && fts_neg == NULL && sql->len > 0) {
		/* Words AND other terms: the others alone too, whose set a
		 * search can meet with the words' rows it has walked. */
		struct words_and *w = g_atomic_rc_box_new0(struct words_and);
		GString *rest = g_string_new(sql->len > 1 ? "(" : "");
		g_autoptr(GString) unused = g_string_new(NULL);
		w->binds = binds_new();
		for (guint i = 0; i < sql->len; i++) {
			if (i > 0)
				g_string_append(rest, " AND ");
			part_to_sql(sql->pdata[i], rest, unused, w->binds);
		}
		if (sql->len > 1)
			g_string_append_c(rest, ')');
		w->rest = g_string_free(rest, FALSE);
		if (sql->len == 1)
			w->rest_set = g_strdup(((const struct part *)sql->pdata[0])->set);
		w->fts = g_strdup(fts_pos->text);
		if (fts_pos->phrases)
			w->phrases = g_ptr_array_ref(fts_pos->phrases);
		out->words_and = w;
	} else if (items->len == 1) {
		/* One operand, the same SQL: what it says of itself stands. */
		const struct part *only = items->pdata[0];
		if (only->words_and)
			out->words_and = g_atomic_rc_box_acquire(only->words_and);
		out->key_client = g_strdup(only->key_client);
		out->key_project = g_strdup(only->key_project);
		out->and_sets = part_and_sets(only);
	}
	if (is_and && items->len > 1) {
		/* Its matches are in each term's sets, and among the hits of its
		 * words (a rare word with a big client: the word's few hits are
		 * where to look). */
		out->and_sets = g_ptr_array_new_with_free_func(bound_set_unref);
		if (fts_pos != NULL) {
			g_autoptr(GPtrArray) binds = binds_new();
			binds_add_text(binds, fts_pos->text);
			struct bound_set *hits = bound_set_new(PART_FTS_HITS, binds);
			hits->words = TRUE;
			hits->phrasal = fts_pos->phrasal;
			hits->fts = g_strdup(fts_pos->text);
			g_ptr_array_add(out->and_sets, hits);
		}
		for (guint i = 0; i < sql->len; i++) {
			g_autoptr(GPtrArray) sets = part_and_sets(sql->pdata[i]);
			g_ptr_array_extend_and_steal(out->and_sets, g_steal_pointer(&sets));
		}
	} else if (!is_and && items->len > 1 && fts_neg == NULL) {
		out->and_sets = or_sets(fts_pos, sql);
	}
	/* Its matches' dates: within every item's of an AND, within the span
	 * of an OR's items' (a part without a date: term spans all time). */
	const struct part *first = items->pdata[0];
	out->date_from = first->date_from;
	out->date_until = first->date_until;
	for (guint i = 1; i < items->len; i++) {
		const struct part *p = items->pdata[i];
		out->date_from =
		    is_and ? MAX(out->date_from, p->date_from) : MIN(out->date_from, p->date_from);
		out->date_until = is_and ? MIN(out->date_until, p->date_until)
		                         : MAX(out->date_until, p->date_until);
	}
	return out;
}

struct part *
part_negate(struct part *p)
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
		/* What it said of its words and its set is of it unnegated. */
		g_clear_pointer(&p->words_and, words_and_unref);
		g_clear_pointer(&p->set, g_free);
		g_clear_pointer(&p->key_client, g_free);
		g_clear_pointer(&p->key_project, g_free);
		g_clear_pointer(&p->and_sets, g_ptr_array_unref);
		if (p->probe) {
			char *probe = g_strdup_printf("NOT (%s)", p->probe);
			g_free(p->probe);
			p->probe = probe;
		}
		break;
	}
	}
	/* A negated period bounds nothing. */
	p->date_from = G_MININT64;
	p->date_until = G_MAXINT64;
	return p;
}
