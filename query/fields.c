/* The fields (from:, folder:, date:…): the field table and its leaves. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/message.h"
#include "common/mimetype.h"
#include "common/nearest.h"
#include "index/db.h"
#include "query/query-parts.h"

enum field_kind {
	FIELD_TEXT,    /* FTS in `columns` */
	FIELD_ADDRESS, /* an address or @domain in `roles`; else FTS in `columns` */
	FIELD_FOLDER,
	FIELD_SOURCE,
	FIELD_LABEL,
	FIELD_ID,
	FIELD_THREAD,
	FIELD_IS,
	FIELD_HAS,
	FIELD_TYPE,
	FIELD_DATE,
	FIELD_CLIENT,
	FIELD_PROJECT,
};

/* is: terms of the other flags (read and unread are apart); starred is
 * flagged as Gmail and mu users call it. */
static const struct {
	const char *term;
	const char *sql;
} flag_terms[] = {
	{ "flagged", QUERY_MAILDIR_FLAG("F") }, { "starred", QUERY_MAILDIR_FLAG("F") },
	{ "replied", QUERY_MAILDIR_FLAG("R") }, { "draft", QUERY_MAILDIR_FLAG("D") },
	{ "trashed", QUERY_MAILDIR_FLAG("T") }, { "passed", QUERY_MAILDIR_FLAG("P") },
};

static const struct field {
	const char *name;
	enum field_kind kind;
	const char *columns;
	const char *roles; /* SQL over `a`, or NULL for any role */
} fields[] = {
	{ "subject", FIELD_TEXT, "subject", NULL },
	/* alt: words only in an HTML alternative (never shown, still body). */
	{ "body", FIELD_TEXT, "body alt", NULL },
	{ "attachment", FIELD_TEXT, "attachments", NULL },
	{ "from", FIELD_ADDRESS, "sender", "a.role = 0" },
	{ "to", FIELD_ADDRESS, "recipients", "a.role IN (1, 3)" },
	{ "cc", FIELD_ADDRESS, "recipients", "a.role = 2" },
	{ "address", FIELD_ADDRESS, "sender recipients", NULL },
	{ "folder", FIELD_FOLDER, NULL, NULL },
	{ "source", FIELD_SOURCE, NULL, NULL },
	{ "label", FIELD_LABEL, NULL, NULL },
	{ "id", FIELD_ID, NULL, NULL },
	{ "thread", FIELD_THREAD, NULL, NULL },
	{ "is", FIELD_IS, NULL, NULL },
	{ "has", FIELD_HAS, NULL, NULL },
	{ "type", FIELD_TYPE, NULL, NULL },
	{ "date", FIELD_DATE, NULL, NULL },
	{ "client", FIELD_CLIENT, NULL, NULL },
	{ "project", FIELD_PROJECT, NULL, NULL },
};

const char *
query_field_name(gsize i)
{
	return i < G_N_ELEMENTS(fields) ? fields[i].name : NULL;
}

/* Returns COND after ROLES (SQL over `a`, or NULL for any role) and AND;
 * the caller frees it. */
static char *
roles_and(const char *roles, const char *cond)
{
	return g_strdup_printf("%s%s%s", roles != NULL ? roles : "", roles != NULL ? " AND " : "",
	                       cond);
}

/* Makes P the messages with a row in TABLE (alias ALIAS) matching COND.
 * `m.id IN (…)` rather than a correlated EXISTS for the set: measured on
 * 20,000 messages, IN stays under about 12 ms for every field, while EXISTS
 * makes SQLite probe the table once per message and, for folder:INBOX, pick
 * the folder index for each probe (8 s for a count). The probe form
 * (query_probe_sql()) is the EXISTS, for testing a few messages. */
static void
set_having(struct part *p, const char *table, const char *alias, const char *roles,
           const char *cond)
{
	g_autofree char *column = g_strdup_printf("%s.message", alias);
	g_autofree char *from = g_strdup_printf("%s %s", table, alias);
	g_autofree char *where = roles_and(roles, cond);
	part_set_in(p, column, from, where);
}

/* Makes P the messages with an address row (alias a) of ROLES meeting COND,
 * sought epoch by epoch in the address indexes (DB_ADDRESS_EPOCHS); a test
 * of one message is PROBE_COND over its own rows, with the same values
 * bound. */
static void
addresses_having(struct part *p, const char *roles, const char *cond, const char *probe_cond)
{
	g_autofree char *in_epochs = g_strconcat(DB_ADDRESS_EPOCHS, " AND ", cond, NULL);
	set_having(p, "addresses", "a", roles, in_epochs);
	g_autofree char *where = roles_and(roles, probe_cond);
	part_set_probe(p, "a.message", "addresses a", where);
}

/* The test of a domain (column domain of ALIAS) for @DOMAIN, binding DOMAIN
 * and %.DOMAIN (escaped for LIKE): it or a subdomain of it; with PREFIX
 * (@DOM*), binding DOM% and %.DOM%: one starting so, or a subdomain. The
 * caller frees it. */
static char *
domain_cond(const char *alias, gboolean prefix)
{
	if (prefix)
		return g_strdup_printf("(%s.domain LIKE ? ESCAPE '\\' OR %s.domain LIKE ? "
		                       "ESCAPE '\\')",
		                       alias, alias);
	return g_strdup_printf("(%s.domain = ? OR %s.domain LIKE ? ESCAPE '\\')", alias, alias);
}

/* Makes P the messages with an address (alias a) of ROLES in @DOMAIN
 * (domain_cond()): the set from `domains` (alias d; migrate-18.sql), each
 * domain it gives then sought in addresses_epoch_domain, where a LIKE over
 * every address row read them all; a test of one message is the LIKE over
 * its own few addresses, not that table read again for each. */
static void
domains_having(struct part *p, const char *roles, gboolean prefix)
{
	g_autofree char *of_domains = domain_cond("d", prefix);
	g_autofree char *in_domains =
	    g_strdup_printf("a.domain IN (SELECT d.domain FROM domains d WHERE %s)", of_domains);
	g_autofree char *of_address = domain_cond("a", prefix);
	addresses_having(p, roles, in_domains, of_address);
	p->set_seeks = TRUE;
}

static struct part *
address_leaf(const struct field *f, const struct token *t)
{
	/* Addresses are stored lower-cased; NFKC as the full text has it, so
	 * that a full-width ｂｏｂ@ typed with an input method finds bob@. */
	g_autofree char *nfkc = g_utf8_normalize(t->value, -1, G_NORMALIZE_NFKC);
	g_autofree char *lower = g_utf8_strdown(nfkc ? nfkc : t->value, -1);
	g_autofree char *esc = NULL;
	struct part *p = sql_part(NULL);

	if (lower[0] == '@') {
		/* The domain or any subdomain: @acme.example finds
		 * mail.acme.example, not notacme.example. */
		const char *domain = lower + 1;
		esc = like_escape(domain);
		if (t->prefix) {
			domains_having(p, f->roles, TRUE);
			g_autofree char *b1 = g_strconcat(esc, "%", NULL);
			g_autofree char *b2 = g_strconcat("%.", esc, "%", NULL);
			binds_add_text(p->binds, b1);
			binds_add_text(p->binds, b2);
		} else {
			domains_having(p, f->roles, FALSE);
			g_autofree char *b2 = g_strconcat("%.", esc, NULL);
			binds_add_text(p->binds, domain);
			binds_add_text(p->binds, b2);
		}
	} else if (t->prefix) {
		esc = like_escape(lower);
		g_autofree char *b = g_strconcat(esc, "%", NULL);
		addresses_having(p, f->roles, "a.address LIKE ? ESCAPE '\\'",
		                 "a.address LIKE ? ESCAPE '\\'");
		binds_add_text(p->binds, b);
	} else {
		/* The message's epoch too, so that its test seeks the covering
		 * addresses_epoch_address (DB_ADDRESS_EPOCH_OF_M), where
		 * addresses_message would read its rows from the table. */
		addresses_having(p, f->roles, "a.address = ?",
		                 DB_ADDRESS_EPOCH_OF_M " AND a.address = ?");
		p->set_seeks = TRUE;
		binds_add_text(p->binds, lower);
	}
	return p;
}

/* Makes P the messages with a copy in a container (alias c) meeting COND.
 * Folders and sources are few: the join starts from the matching containers. */
static void
set_location(struct part *p, const char *cond)
{
	part_set_in(p, "l.message", "containers c JOIN locations l ON l.container = c.id", cond);
	p->set_seeks = TRUE;
}

/* folder:NAME is that folder; NAME followed by a slash and a star is it and
 * the folders below; folder:NA* any folder whose name starts so. NOCASE
 * compares in any ASCII case (folder:inbox is INBOX, which IMAP says is
 * case-insensitive, and users type in lower case); containers_folder is a
 * NOCASE index (migrate-6.sql). */

/* The prefix of a folder: or label: value that asks for more than one name:
 * NAME/ and a star, quoted (NAME/ and NAME itself: *TREE), or NAME* (a tree
 * when it ends in '/'); NULL for one exact name. The caller frees it. */
static char *
path_prefix(const struct token *t, gboolean *tree)
{
	*tree = FALSE;
	if (t->quoted && g_str_has_suffix(t->lit, "/*")) {
		*tree = TRUE;
		return g_strndup(t->lit, strlen(t->lit) - 1);
	}
	if (!t->prefix)
		return NULL;
	*tree = g_str_has_suffix(t->value, "/") && t->value[1] != '\0';
	return g_strdup(t->value);
}

static struct part *
location_leaf(const char *column, gboolean nocase, const struct token *t)
{
	g_autofree char *prefix = NULL;
	gboolean tree = FALSE;
	struct part *p = sql_part(NULL);
	const char *collate = nocase ? " COLLATE NOCASE" : "";

	prefix = path_prefix(t, &tree);

	if (prefix == NULL) {
		g_autofree char *cond = g_strdup_printf("c.%s = ?%s", column, collate);
		set_location(p, cond);
		binds_add_text(p->binds, t->value);
		return p;
	}
	/* substr() and not LIKE: LIKE's '%' and '_' in names would need escaping,
	 * and source names are case-sensitive. */
	g_autofree char *cond = NULL;
	if (tree) {
		cond = g_strdup_printf("(c.%s = ?%s OR substr(c.%s, 1, ?) = ?%s)", column, collate,
		                       column, collate);
		g_autofree char *parent = g_strndup(prefix, strlen(prefix) - 1);
		binds_add_text(p->binds, parent);
	} else {
		cond = g_strdup_printf("substr(c.%s, 1, ?) = ?%s", column, collate);
	}
	set_location(p, cond);
	binds_add_int(p->binds, g_utf8_strlen(prefix, -1));
	binds_add_text(p->binds, prefix);
	return p;
}

/* Returns S as a GLOB pattern that matches S itself: '*', '?' and '['
 * each in brackets. The caller frees it. */
static char *
glob_escape(const char *s)
{
	GString *out = g_string_new(NULL);
	for (; *s; s++) {
		if (*s == '*' || *s == '?' || *s == '[')
			g_string_append_printf(out, "[%c]", *s);
		else
			g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

/* label:NAME is that label in any case (Unicode: both sides are
 * mc_label_key()); as folder:, NAME followed by a slash and a star is it and
 * the labels below it (Clients/Acme, Clients/Acme/Web), label:NA* any label
 * that starts so, and label:* any label. The folded keys are compared with
 * GLOB, case-sensitive like them, so that labels_folded serves a prefix. */
static struct part *
label_leaf(const struct token *t)
{
	g_autofree char *prefix = NULL;
	gboolean tree = FALSE;
	struct part *p = sql_part(NULL);

	prefix = path_prefix(t, &tree);

	if (prefix == NULL) {
		set_having(p, "labels", "g", NULL, "g.folded = ?");
		p->set_seeks = TRUE;
		g_autofree char *key = mc_label_key(t->value);
		binds_add_text(p->binds, key);
		return p;
	}
	g_autofree char *key = mc_label_key(prefix);
	g_autofree char *esc = glob_escape(key);
	g_autofree char *pattern = g_strconcat(esc, "*", NULL);
	if (tree) {
		set_having(p, "labels", "g", NULL, "(g.folded = ? OR g.folded GLOB ?)");
		g_autofree char *parent = g_strndup(key, strlen(key) - 1);
		binds_add_text(p->binds, parent);
	} else {
		set_having(p, "labels", "g", NULL, "g.folded GLOB ?");
	}
	binds_add_text(p->binds, pattern);
	return p;
}

/* What type: takes, for its error messages. */
#define TYPE_TAKES                                                                                 \
	" (type: takes a MIME type such as application/pdf or image/*, or a file extension "       \
	"such as pdf or docx)"

/* A MIME type's name part (RFC 2045 token): no space, control or tspecial,
 * and no star, which could only be meant as a wildcard. */
static gboolean
is_mime_token(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++)
		if ((guchar)*s <= ' ' || (guchar)*s >= 0x7f || strchr("()<>@,;:\\\"/[]?=*", *s))
			return FALSE;
	return TRUE;
}

/* Fails for type:VALUE naming nothing type: knows, suggesting NEAR. */
static gpointer
type_fail(const struct token *t, const char *near, GError **error)
{
	g_autofree char *tail = did_you_mean(near);
	g_autofree char *both = g_strconcat(tail, TYPE_TAKES, NULL);
	return parser_fail_tail(error, t->col, both, "unknown type '%s'", t->lit);
}

/* The word nearest to WORD among the extensions and top-level types; NULL
 * when none is near. */
static const char *
type_nearest(const char *word)
{
	guint n;
	const struct mimetype *table = mimetype_table(&n);
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	for (const char *const *top = mimetype_top_levels(); *top; top++)
		g_ptr_array_add(words, (gpointer)*top);
	for (guint i = 0; i < n; i++)
		g_ptr_array_add(words, (gpointer)table[i].ext);
	return nearest_word(word, (const char *const *)words->pdata, words->len);
}

/* type:TOP/SUB, with TOP a top-level type and SUB a token or a star. */
/* type: asks about attachments, by the one rule (ingest/parse.h): parts
 * listed only with --include-inline are none. */
#define ATTACHED "t.is_inline = 0"

static struct part *
type_mime_leaf(const struct token *t, const char *lower, const char *slash, GError **error)
{
	g_autofree char *major = g_strndup(lower, slash - lower);
	const char *minor = slash + 1;

	if (!mimetype_is_top_level(major)) {
		const char *top = nearest_word(major, mimetype_top_levels(),
		                               g_strv_length((char **)mimetype_top_levels()));
		g_autofree char *near =
		    top && is_mime_token(minor) ? g_strconcat(top, slash, NULL) : NULL;
		return type_fail(t, near, error);
	}
	if (strcmp(minor, "*") != 0 && !is_mime_token(minor))
		return type_fail(t, NULL, error);

	struct part *p = sql_part(NULL);
	if (strcmp(minor, "*") == 0) {
		set_having(p, "attachments", "t", ATTACHED, "t.mime_type LIKE ? ESCAPE '\\'");
		g_autofree char *esc = like_escape(major);
		g_autofree char *pattern = g_strconcat(esc, "/%", NULL);
		binds_add_text(p->binds, pattern);
	} else {
		set_having(p, "attachments", "t", ATTACHED, "t.mime_type = ? COLLATE NOCASE");
		binds_add_text(p->binds, lower);
	}
	return p;
}

/* type:application/pdf is that MIME type; type:image, or image with a slash
 * and a star, any image; type:pdf (an extension of common/mimetype.c's
 * table) its MIME types, any type ending in /pdf, or a file named *.pdf;
 * type:msword (a subtype of the table's) any type ending in /msword or a
 * file so named. Anything else is an error: a typo would otherwise just
 * find nothing. */
static struct part *
type_leaf(const struct token *t, GError **error)
{
	g_autofree char *lower = g_ascii_strdown(t->lit, -1);
	const char *slash = strchr(lower, '/');

	if (slash != NULL)
		return type_mime_leaf(t, lower, slash, error);

	struct part *p;
	if (mimetype_is_top_level(lower)) {
		p = sql_part(NULL);
		set_having(p, "attachments", "t", ATTACHED, "t.mime_type LIKE ? ESCAPE '\\'");
		g_autofree char *esc = like_escape(lower);
		g_autofree char *pattern = g_strconcat(esc, "/%", NULL);
		binds_add_text(p->binds, pattern);
		return p;
	}

	guint n;
	const struct mimetype *table = mimetype_table(&n);
	gboolean known = FALSE;
	GString *cond = g_string_new("(");
	p = sql_part(NULL);
	for (guint i = 0; i < n; i++) {
		const char *sub = strchr(table[i].type, '/') + 1;
		if (strcmp(table[i].ext, lower) == 0) {
			g_string_append(cond, "t.mime_type = ? COLLATE NOCASE OR ");
			binds_add_text(p->binds, table[i].type);
			known = TRUE;
		} else if (strcmp(sub, lower) == 0) {
			known = TRUE;
		}
	}
	if (!known) {
		g_string_free(cond, TRUE);
		part_free(p);
		return type_fail(t, type_nearest(lower), error);
	}
	g_string_append(cond, "t.mime_type LIKE ? ESCAPE '\\' OR t.filename LIKE ? ESCAPE '\\')");
	g_autofree char *esc = like_escape(lower);
	g_autofree char *minor = g_strconcat("%/", esc, NULL);
	g_autofree char *ext = g_strconcat("%.", esc, NULL);
	binds_add_text(p->binds, minor);
	binds_add_text(p->binds, ext);
	g_autofree char *c = g_string_free(cond, FALSE);
	set_having(p, "attachments", "t", ATTACHED, c);
	return p;
}

/* One side of a date range: the period [*start, *end) that S names, in UTC.
 * A relative value (2w) is a point in time, *start == *end: that long
 * before NOW, or after it when AHEAD. */
static gboolean
date_period(const char *s, gint64 now, gboolean ahead, gint64 *start, gint64 *end,
            gboolean *relative)
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
		int count = ahead ? -atoi(s) : atoi(s);
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

gboolean
query_parse_date(const char *what, const char *text, gint64 now, gboolean ahead, gint64 *when,
                 GError **error)
{
	gint64 end;
	gboolean relative;
	if (!date_period(text, now, ahead, when, &end, &relative)) {
		g_set_error(error, QUERY_ERROR, QUERY_ERROR_SYNTAX, "%s: bad date '%s' at column 1",
		            what, text);
		return FALSE;
	}
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
		return parser_fail(error, t->value_col, "bad date '%s'", t->lit);
	if (a[0] != '\0' && !date_period(a, ps->now, FALSE, &a_start, &a_end, &a_rel))
		return parser_fail(error, t->value_col, "bad date '%s'", a);
	if (b != NULL && b[0] != '\0' && !date_period(b, ps->now, FALSE, &b_start, &b_end, &b_rel))
		return parser_fail(error, b_col, "bad date '%s'", b);

	/* A range that can hold no date is a slip (the ends swapped), not a
	 * question whose answer is nothing. */
	if (b != NULL && a[0] != '\0' && b[0] != '\0' && b_end <= a_start)
		return parser_fail(error, t->value_col, "date range '%s' ends before it starts",
		                   t->lit);

	/* The bounds are also kept as numbers, for a walk in date order
	 * (query_date_bounds()). */
	struct part *p = sql_part(NULL);
	if (b == NULL) {
		/* One value is its whole period; a relative one runs until now. */
		p->text = g_strdup("(m.date >= ? AND m.date < ?)");
		p->date_from = a_start;
		p->date_until = a_rel ? ps->now + (ps->now < G_MAXINT64) : a_end;
		binds_add_int(p->binds, p->date_from);
		binds_add_int(p->binds, p->date_until);
	} else if (a[0] == '\0') {
		p->text = g_strdup("m.date < ?");
		p->date_until = b_end;
		binds_add_int(p->binds, p->date_until);
	} else if (b[0] == '\0') {
		p->text = g_strdup("m.date >= ?");
		p->date_from = a_start;
		binds_add_int(p->binds, p->date_from);
	} else {
		p->text = g_strdup("(m.date >= ? AND m.date < ?)");
		p->date_from = a_start;
		p->date_until = b_end;
		binds_add_int(p->binds, p->date_from);
		binds_add_int(p->binds, p->date_until);
	}
	return p;
}

/* Notes the key of T, a client: or project: term, for query_check_keys();
 * takes CLIENT and PROJECT. */
static void
add_key_ref(struct parser *ps, const struct token *t, gboolean is_project, char *client,
            char *project)
{
	struct key_ref *k = g_new0(struct key_ref, 1);
	k->is_project = is_project;
	k->client = client;
	k->project = project;
	k->lit = g_strdup(t->lit);
	k->col = t->col;
	g_ptr_array_add(ps->keys, k);
}

/* What is: and has: take, for the nearest to a typo (the flags besides
 * flag_terms). */
static const char *const is_values[] = { "inbound", "outbound", "automated", "read",
	                                 "seen",    "unread",   NULL };
static const char *const has_values[] = { "attachment", "attachments", NULL };

/* Fails for WORD, not a field (WHAT "field") or not a value of the field
 * WHAT ("is:") among VALUES (NULL-terminated; the fields when NULL; is:'s
 * flags added), naming the nearest. Returns NULL. */
static gpointer
unknown_word(GError **error, int col, const char *what, const char *word, const char *const *values)
{
	g_autoptr(GPtrArray) known = g_ptr_array_new();
	if (!values)
		for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
			g_ptr_array_add(known, (gpointer)fields[i].name);
	for (const char *const *v = values; v && *v; v++)
		g_ptr_array_add(known, (gpointer)*v);
	if (values == is_values)
		for (gsize i = 0; i < G_N_ELEMENTS(flag_terms); i++)
			g_ptr_array_add(known, (gpointer)flag_terms[i].term);
	g_autofree char *lower = g_ascii_strdown(word, -1);
	g_autofree char *tail =
	    did_you_mean(nearest_word(lower, (const char *const *)known->pdata, known->len));
	if (!values)
		return parser_fail_tail(error, col, tail, "unknown field '%s'", word);
	return parser_fail_tail(error, col, tail, "unknown value '%s' for %s", word, what);
}

struct part *
field_leaf(struct parser *ps, const struct token *t, GError **error)
{
	const struct field *f = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (g_ascii_strcasecmp(t->field, fields[i].name) == 0)
			f = &fields[i];
	}
	if (f == NULL)
		return unknown_word(error, t->col, "field", t->field, NULL);

	/* folder:*, source:* and label:* (any) are the only values that may be just a star. */
	gboolean empty =
	    f->kind == FIELD_FOLDER || f->kind == FIELD_SOURCE || f->kind == FIELD_LABEL
	        ? t->lit[0] == '\0'
	        : t->value[0] == '\0';
	if (empty)
		return parser_fail(error, t->col, "empty value for %s:", f->name);

	switch (f->kind) {
	case FIELD_TEXT:
		return fts_leaf(ps, f->columns, t->value, t->prefix);
	case FIELD_ADDRESS:
		if (strchr(t->value, '@') != NULL) {
			if (strcmp(t->value, "@") == 0)
				return parser_fail(error, t->col, "empty value for %s:", f->name);
			return address_leaf(f, t);
		}
		return fts_leaf(ps, f->columns, t->value, t->prefix);
	case FIELD_FOLDER:
		return location_leaf("folder", TRUE, t);
	case FIELD_SOURCE:
		return location_leaf("source", FALSE, t);
	case FIELD_LABEL:
		return label_leaf(t);
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
			return parser_fail(error, t->col, "empty value for %s:", f->name);
		struct part *p = sql_part(g_strdup("m.message_id = ?"));
		g_autofree char *id = g_strndup(s, n);
		g_autofree char *bounded = mc_message_id_bound(id);
		binds_add_text(p->binds, bounded);
		return p;
	}
	case FIELD_THREAD: {
		guint64 n;
		if (!g_ascii_string_to_unsigned(t->lit, 10, 0, G_MAXINT64, &n, NULL))
			return parser_fail(error, t->col, "thread: needs a number");
		struct part *p = sql_part(g_strdup("m.thread_id = ?"));
		binds_add_int(p->binds, (gint64)n);
		return p;
	}
	case FIELD_IS:
		if (g_ascii_strcasecmp(t->lit, "inbound") == 0)
			return sql_part(g_strdup("m.direction = 0"));
		if (g_ascii_strcasecmp(t->lit, "outbound") == 0)
			return sql_part(g_strdup("m.direction = 1"));
		if (g_ascii_strcasecmp(t->lit, "automated") == 0)
			return sql_part(g_strdup("m.automated = 1"));
		/* Flags: a message is read when one of its copies is; unread when
		 * it has copies that carry flags (maildir, mbox) and none is. */
		if (g_ascii_strcasecmp(t->lit, "read") == 0 ||
		    g_ascii_strcasecmp(t->lit, "seen") == 0)
			return sql_part(g_strdup(QUERY_MAILDIR_FLAG("S")));
		if (g_ascii_strcasecmp(t->lit, "unread") == 0)
			return sql_part(
			    g_strdup("EXISTS (SELECT 1 FROM locations c JOIN containers k ON "
			             "k.id = c.container WHERE c.message = m.id AND k.kind IN "
			             "('maildir', 'mbox')) AND NOT " QUERY_MAILDIR_FLAG("S")));
		for (guint i = 0; i < G_N_ELEMENTS(flag_terms); i++)
			if (g_ascii_strcasecmp(t->lit, flag_terms[i].term) == 0)
				return sql_part(g_strdup(flag_terms[i].sql));
		return unknown_word(error, t->col, "is:", t->lit, is_values);
	case FIELD_HAS:
		if (g_ascii_strcasecmp(t->lit, "attachment") == 0 ||
		    g_ascii_strcasecmp(t->lit, "attachments") == 0)
			return sql_part(g_strdup(QUERY_HAS_ATTACHMENTS));
		return unknown_word(error, t->col, "has:", t->lit, has_values);
	case FIELD_TYPE:
		return type_leaf(t, error);
	case FIELD_DATE:
		return date_leaf(ps, t, error);
	case FIELD_CLIENT: {
		/* client:none is mail no rule filed. */
		if (g_ascii_strcasecmp(t->lit, "none") == 0) {
			struct part *p = sql_part(NULL);
			part_set_in(p, "message", "filings", NULL);
			return part_negate(p);
		}
		add_key_ref(ps, t, FALSE, g_strdup(t->lit), NULL);
		struct part *p = sql_part(NULL);
		part_set_in(p, "message", "filings", "client = ?");
		p->set_seeks = TRUE;
		binds_add_text(p->binds, t->lit);
		p->key_client = g_strdup(t->lit);
		return p;
	}
	case FIELD_PROJECT: {
		/* project:CLIENT/KEY, or project:KEY under whichever client has it. */
		const char *slash = strchr(t->lit, '/');
		struct part *p;
		if (slash) {
			p = sql_part(NULL);
			part_set_in(p, "message", "filings", "client = ? AND project = ?");
			p->set_seeks = TRUE;
			g_autofree char *client = g_strndup(t->lit, slash - t->lit);
			binds_add_text(p->binds, client);
			binds_add_text(p->binds, slash + 1);
			if (slash[1]) {
				p->key_client = g_strdup(client);
				p->key_project = g_strdup(slash + 1);
			}
			add_key_ref(ps, t, TRUE, g_steal_pointer(&client), g_strdup(slash + 1));
		} else {
			p = sql_part(NULL);
			part_set_in(p, "message", "filings", "project = ?");
			p->set_seeks = TRUE;
			binds_add_text(p->binds, t->lit);
			add_key_ref(ps, t, TRUE, NULL, g_strdup(t->lit));
		}
		return p;
	}
	}
	g_assert_not_reached();
}
