/* Compiling rules: config groups into PCRE2 rules, errors naming file:line, group and key. */
#include "config.h"

#include "index/rules-internal.h"

#include <string.h>

#include "common/error.h"

/* Per start position (PCRE2 resets the count at each one): enough for any
 * sane rule on a 1 MiB body, small enough that a catastrophic pattern such as
 * /(a+)+$/ gives up in milliseconds instead of stalling ingest. The depth
 * limit bounds the interpreter's backtracking heap (the JIT ignores it). */
#define RULES_MATCH_LIMIT 1000000
#define RULES_DEPTH_LIMIT 10000

static const char *const field_names[] = {
	[FIELD_SUBJECT] = "subject",
	[FIELD_BODY] = "body",
	[FIELD_FROM] = "from",
	[FIELD_TO] = "to",
	[FIELD_CC] = "cc",
	[FIELD_ADDRESS] = "address",
	[FIELD_ATTACHMENT] = "attachment",
	[FIELD_LABEL] = "label",
};

static void
regex_rule_free(gpointer p)
{
	struct regex_rule *rr = p;
	g_free(rr->header);
	g_free(rr->text);
	pcre2_code_free(rr->code);
	g_free(rr);
}

static void
client_rules_free(gpointer p)
{
	struct client_rules *c = p;
	g_free(c->key);
	g_ptr_array_unref(c->domains);
	g_ptr_array_unref(c->domain_keys);
	g_ptr_array_unref(c->addresses);
	g_ptr_array_unref(c->address_keys);
	g_ptr_array_unref(c->match);
	g_ptr_array_unref(c->exclude);
	g_ptr_array_unref(c->projects);
	g_free(c);
}

static void
project_rules_free(gpointer p)
{
	struct project_rules *pr = p;
	g_free(pr->key);
	g_ptr_array_unref(pr->match);
	g_ptr_array_unref(pr->exclude);
	g_free(pr);
}

void
rules_free(struct rules *r)
{
	if (!r)
		return;
	g_ptr_array_unref(r->me_keys);
	g_ptr_array_unref(r->clients);
	g_ptr_array_unref(r->projects);
	pcre2_match_context_free(r->mctx);
	g_free(r);
}

gboolean
rules_need_headers(const struct rules *r)
{
	return r && r->need_headers;
}

gboolean
rules_need_body(const struct rules *r)
{
	return r && r->need_body;
}

/* Where an error is: "FILE:LINE: [GROUP]: key 'KEY'" (no ":LINE" when 0). */
struct where {
	const char *file;
	int line;
	const char *group;
	const char *key;
};

static void set_error(GError **error, const struct where *w, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
set_error(GError **error, const struct where *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *line = w->line > 0 ? g_strdup_printf(":%d", w->line) : g_strdup("");
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s%s: [%s]: key '%s': %s", w->file, line,
	            w->group, w->key, msg);
}

static gboolean
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The item starting at P, up to the next ';' (or the end), trimmed: what an
 * "expected FIELD:/REGEX/FLAGS" error quotes. */
static char *
item_text(const char *p)
{
	const char *end = strchr(p, ';');
	char *s = end ? g_strndup(p, end - p) : g_strdup(p);
	return g_strstrip(s);
}

static gboolean
parse_field(const char *name, size_t len, enum rule_field *field, char **header,
            const struct where *w, GError **error)
{
	g_autofree char *s = g_strndup(name, len);
	g_strstrip(s);
	/* "header:/x/": the only colon was taken as the end of FIELD. */
	if (g_ascii_strcasecmp(s, "header") == 0) {
		set_error(error, w, "'header:' needs a NAME (header:NAME)");
		return FALSE;
	}
	if (g_ascii_strncasecmp(s, "header:", 7) == 0) {
		/* Header names are tokens: no blanks inside. */
		char *h = g_strstrip(s + 7);
		if (!*h) {
			set_error(error, w, "'header:' needs a NAME (header:NAME)");
			return FALSE;
		}
		*field = FIELD_HEADER;
		*header = g_strdup(h);
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(field_names); i++) {
		if (field_names[i] && g_ascii_strcasecmp(s, field_names[i]) == 0) {
			*field = i;
			return TRUE;
		}
	}
	set_error(error, w,
	          "unknown field '%s' (subject, body, from, to, cc, address, attachment, label, "
	          "header:NAME)",
	          s);
	return FALSE;
}

/* Parses the ';'-separated FIELD:/REGEX/FLAGS list LIST into OUT (struct
 * regex_rule *). ';' and blanks inside /REGEX/ belong to the regex; "\/" is a
 * slash in it (PCRE2 reads "\/" as "/" too, so the pattern is kept as
 * written). Empty items (a trailing ';') are ignored. */
static gboolean
parse_list(struct rules *r, const char *list, GPtrArray *out, const struct where *w, GError **error)
{
	const char *p = list;

	while (p && *p) {
		while (is_space(*p) || *p == ';')
			p++;
		if (!*p)
			break;
		const char *item = p;

		/* FIELD, up to the ':' before the first '/'. header:NAME has a
		 * colon of its own, so take the last ':' before the '/'. */
		const char *slash = p;
		while (*slash && *slash != '/' && *slash != ';')
			slash++;
		const char *colon = NULL;
		for (const char *q = p; q < slash; q++)
			if (*q == ':')
				colon = q;
		if (*slash != '/' || !colon) {
			g_autofree char *t = item_text(item);
			set_error(error, w, "expected FIELD:/REGEX/FLAGS at '%s'", t);
			return FALSE;
		}
		for (const char *q = colon + 1; q < slash; q++) {
			if (!is_space(*q)) {
				g_autofree char *t = item_text(item);
				set_error(error, w, "expected FIELD:/REGEX/FLAGS at '%s'", t);
				return FALSE;
			}
		}
		enum rule_field field;
		g_autofree char *header = NULL;
		/* "header:List-Id:/x/" has its FIELD end at the last colon. */
		if (!parse_field(p, colon - p, &field, &header, w, error))
			return FALSE;

		/* /REGEX/: a backslash takes the next character with it, so
		 * "\\/" ends the regex and "\/" does not. */
		const char *re = slash + 1, *q = re;
		while (*q && *q != '/') {
			if (*q == '\\' && q[1])
				q++;
			q++;
		}
		if (*q != '/') {
			g_autofree char *t = g_strstrip(g_strdup(item));
			set_error(error, w, "expected FIELD:/REGEX/FLAGS at '%s'", t);
			return FALSE;
		}
		g_autofree char *pattern = g_strndup(re, q - re);
		if (!*pattern) {
			/* An empty regex would file every message: surely a slip. */
			g_autofree char *t = item_text(item);
			set_error(error, w, "empty regex // at '%s'", t);
			return FALSE;
		}

		/* FLAGS, then blanks, then ';' or the end. */
		uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
		const char *flags = ++q;
		while (*q && *q != ';' && !is_space(*q)) {
			if (*q == 'i') {
				options |= PCRE2_CASELESS;
			} else if (*q == 'x') {
				options |= PCRE2_EXTENDED;
			} else {
				/* Show the whole character, not one byte of it. */
				const char *next = g_utf8_find_next_char(q, NULL);
				set_error(error, w, "unknown flag '%.*s'", (int)(next - q), q);
				return FALSE;
			}
			q++;
		}
		g_autofree char *flag_text = g_strndup(flags, q - flags);
		while (is_space(*q))
			q++;
		if (*q && *q != ';') {
			g_autofree char *t = item_text(item);
			set_error(error, w, "expected FIELD:/REGEX/FLAGS at '%s'", t);
			return FALSE;
		}
		p = q;

		int errcode;
		PCRE2_SIZE erroff;
		pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		                                 options, &errcode, &erroff, NULL);
		if (!code) {
			PCRE2_UCHAR buf[256];
			if (pcre2_get_error_message(errcode, buf, sizeof buf) < 0)
				g_strlcpy((char *)buf, "unknown error", sizeof buf);
			set_error(error, w, "regex /%s/ does not compile: %s at offset %zu",
			          pattern, (const char *)buf, (size_t)erroff);
			return FALSE;
		}
		struct regex_rule *rr = g_new0(struct regex_rule, 1);
		rr->field = field;
		rr->code = code;
		if (field == FIELD_HEADER) {
			rr->text = g_strdup_printf("header:%s /%s/%s", header, pattern, flag_text);
			rr->header = g_steal_pointer(&header);
			r->need_headers = TRUE;
		} else {
			rr->text =
			    g_strdup_printf("%s /%s/%s", field_names[field], pattern, flag_text);
			if (field == FIELD_BODY)
				r->need_body = TRUE;
		}
		g_ptr_array_add(out, rr);
	}
	return TRUE;
}

static GPtrArray *
copy_strings(const GPtrArray *in)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; in && i < in->len; i++) {
		const char *s = g_ptr_array_index(in, i);
		/* An empty domain would match every address without one. */
		if (s && *s)
			g_ptr_array_add(out, g_strdup(s));
	}
	return out;
}

/* Returns each of IN (char *) made by KEY_OF, a new array that owns them. */
static GPtrArray *
keys_of(const GPtrArray *in, char *(*key_of)(const char *))
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; in && i < in->len; i++)
		g_ptr_array_add(out, key_of(g_ptr_array_index(in, i)));
	return out;
}

static char *
ascii_lower(const char *s)
{
	return g_ascii_strdown(s, -1);
}

struct rules *
rules_compile(const struct mc_config *cfg, GError **error)
{
	g_autoptr(rules) r = g_new0(struct rules, 1);
	const char *file = cfg->file ? cfg->file : "config";

	r->me_keys = keys_of(cfg->me, config_address_key);
	r->clients = g_ptr_array_new_with_free_func(client_rules_free);
	r->projects = g_ptr_array_new_with_free_func(project_rules_free);
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RULES_DEPTH_LIMIT);

	for (guint i = 0; cfg->clients && i < cfg->clients->len; i++) {
		const struct mc_client_config *cc = g_ptr_array_index(cfg->clients, i);
		g_autofree char *group = cc->group ? NULL : g_strdup_printf("client %s", cc->key);
		struct where w = { file, cc->match_line, cc->group ? cc->group : group, "match" };
		struct client_rules *c = g_new0(struct client_rules, 1);

		c->key = g_strdup(cc->key);
		c->domains = copy_strings(cc->domains);
		c->domain_keys = keys_of(c->domains, ascii_lower);
		c->addresses = copy_strings(cc->addresses);
		c->address_keys = keys_of(c->addresses, config_address_key);
		c->match = g_ptr_array_new_with_free_func(regex_rule_free);
		c->exclude = g_ptr_array_new_with_free_func(regex_rule_free);
		c->projects = g_ptr_array_new();
		g_ptr_array_add(r->clients, c);
		if (!parse_list(r, cc->match, c->match, &w, error))
			return NULL;
		w.key = "exclude";
		w.line = cc->exclude_line;
		if (!parse_list(r, cc->exclude, c->exclude, &w, error))
			return NULL;
	}

	for (guint i = 0; cfg->projects && i < cfg->projects->len; i++) {
		const struct mc_project_config *pc = g_ptr_array_index(cfg->projects, i);
		g_autofree char *group =
		    pc->group ? NULL : g_strdup_printf("project %s/%s", pc->client, pc->key);
		struct where w = { file, pc->match_line, pc->group ? pc->group : group, "match" };
		struct project_rules *pr = g_new0(struct project_rules, 1);

		pr->key = g_strdup(pc->key);
		pr->match = g_ptr_array_new_with_free_func(regex_rule_free);
		pr->exclude = g_ptr_array_new_with_free_func(regex_rule_free);
		g_ptr_array_add(r->projects, pr);
		if (!parse_list(r, pc->match, pr->match, &w, error))
			return NULL;
		w.key = "exclude";
		w.line = pc->exclude_line;
		if (!parse_list(r, pc->exclude, pr->exclude, &w, error))
			return NULL;
		/* conf.c rejects a project of an unknown client; one that
		 * slips through simply never files anything. */
		for (guint j = 0; j < r->clients->len; j++) {
			struct client_rules *c = g_ptr_array_index(r->clients, j);
			if (g_strcmp0(c->key, pc->client) == 0) {
				g_ptr_array_add(c->projects, pr);
				break;
			}
		}
	}
	return g_steal_pointer(&r);
}
