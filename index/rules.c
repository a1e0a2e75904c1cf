#include "config.h"

#include "index/rules.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/error.h"
#include "common/utf8.h"

/* Per start position (PCRE2 resets the count at each one): enough for any
 * sane rule on a 1 MiB body, small enough that a catastrophic pattern such as
 * /(a+)+$/ gives up in milliseconds instead of stalling ingest. The depth
 * limit bounds the interpreter's backtracking heap (the JIT ignores it). */
#define RULES_MATCH_LIMIT 1000000
#define RULES_DEPTH_LIMIT 10000
/* The matched text kept in a filing, for `explain`. */
#define RULES_MATCHED_MAX 200

enum rule_field {
	FIELD_SUBJECT,
	FIELD_BODY,
	FIELD_FROM,
	FIELD_TO,
	FIELD_CC,
	FIELD_ADDRESS,
	FIELD_ATTACHMENT,
	FIELD_HEADER,
};

static const char *const field_names[] = {
	[FIELD_SUBJECT] = "subject",
	[FIELD_BODY] = "body",
	[FIELD_FROM] = "from",
	[FIELD_TO] = "to",
	[FIELD_CC] = "cc",
	[FIELD_ADDRESS] = "address",
	[FIELD_ATTACHMENT] = "attachment",
};

/* One FIELD:/REGEX/FLAGS of a match or exclude list. */
struct regex_rule {
	enum rule_field field;
	char *header;     /* NAME of header:NAME, else NULL; owned */
	char *text;       /* "subject /\bACME-\d+\b/i", for filings; owned */
	pcre2_code *code; /* owned */
};

struct client_rules {
	char *key;            /* owned */
	GPtrArray *domains;   /* char *, owned */
	GPtrArray *addresses; /* char *, owned */
	GPtrArray *match;     /* struct regex_rule *, owned */
	GPtrArray *exclude;   /* struct regex_rule *, owned */
	GPtrArray *projects;  /* struct project_rules *, borrowed from rules->projects */
};

struct project_rules {
	char *key; /* owned */
	GPtrArray *match;
	GPtrArray *exclude;
};

struct rules {
	GPtrArray *clients;  /* struct client_rules *, in file order */
	GPtrArray *projects; /* struct project_rules *, in file order; owns them */
	/* Only read by pcre2_match(), so one is shared by every thread. */
	pcre2_match_context *mctx;
	gboolean need_headers;
	gboolean need_body;
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
	g_ptr_array_unref(c->addresses);
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
filing_free(struct filing *f)
{
	if (!f)
		return;
	g_free(f->client);
	g_free(f->project);
	g_free(f->rule);
	g_free(f->matched);
	g_free(f);
}

void
rules_free(struct rules *r)
{
	if (!r)
		return;
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

/* ---- Compiling ---- */

/* Where an error is: "FILE: [GROUP]: key 'KEY'". */
struct where {
	const char *file;
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
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: [%s]: key '%s': %s", w->file, w->group,
	            w->key, msg);
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
	          "unknown field '%s' (subject, body, from, to, cc, address, attachment, "
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
		/* Without JIT support (or memory for it) the interpreter runs
		 * the same pattern, only slower: nothing to report. */
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);

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

struct rules *
rules_compile(const struct mc_config *cfg, GError **error)
{
	g_autoptr(rules) r = g_new0(struct rules, 1);
	const char *file = cfg->file ? cfg->file : "config";

	r->clients = g_ptr_array_new_with_free_func(client_rules_free);
	r->projects = g_ptr_array_new_with_free_func(project_rules_free);
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RULES_DEPTH_LIMIT);

	for (guint i = 0; cfg->clients && i < cfg->clients->len; i++) {
		const struct mc_client_config *cc = g_ptr_array_index(cfg->clients, i);
		g_autofree char *group = cc->group ? NULL : g_strdup_printf("client %s", cc->key);
		struct where w = { file, cc->group ? cc->group : group, "match" };
		struct client_rules *c = g_new0(struct client_rules, 1);

		c->key = g_strdup(cc->key);
		c->domains = copy_strings(cc->domains);
		c->addresses = copy_strings(cc->addresses);
		c->match = g_ptr_array_new_with_free_func(regex_rule_free);
		c->exclude = g_ptr_array_new_with_free_func(regex_rule_free);
		c->projects = g_ptr_array_new();
		g_ptr_array_add(r->clients, c);
		if (!parse_list(r, cc->match, c->match, &w, error))
			return NULL;
		w.key = "exclude";
		if (!parse_list(r, cc->exclude, c->exclude, &w, error))
			return NULL;
	}

	for (guint i = 0; cfg->projects && i < cfg->projects->len; i++) {
		const struct mc_project_config *pc = g_ptr_array_index(cfg->projects, i);
		g_autofree char *group =
		    pc->group ? NULL : g_strdup_printf("project %s/%s", pc->client, pc->key);
		struct where w = { file, pc->group ? pc->group : group, "match" };
		struct project_rules *pr = g_new0(struct project_rules, 1);

		pr->key = g_strdup(pc->key);
		pr->match = g_ptr_array_new_with_free_func(regex_rule_free);
		pr->exclude = g_ptr_array_new_with_free_func(regex_rule_free);
		g_ptr_array_add(r->projects, pr);
		if (!parse_list(r, pc->match, pr->match, &w, error))
			return NULL;
		w.key = "exclude";
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

/* ---- Filing ---- */

/* What one rules_file() call works on: the message and scratch space. */
struct subject {
	const struct rules *r;
	const struct parsed_message *pm;
	pcre2_match_data *md;
	size_t body_len; /* strlen(pm->body_text), measured once per message */
	/* "Display Name <address>" per pm->addresses entry, NULL when the
	 * address has no display name: made by the first address rule that
	 * runs (most mail meets none), kept for the others. */
	GPtrArray **lines;
};

/* Cuts S (LEN bytes) to RULES_MATCHED_MAX bytes on a UTF-8 boundary. */
static char *
cut_matched(const char *s, size_t len)
{
	return g_strndup(s, utf8_cut(s, len, RULES_MATCHED_MAX));
}

/* Runs RR on S (LEN bytes); on a match returns TRUE and sets *MATCHED
 * (when given) to what it matched. Hitting a limit is no match. */
static gboolean
run_len(const struct subject *sub, const struct regex_rule *rr, const char *s, size_t len,
        char **matched)
{
	int rc =
	    pcre2_match(rr->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, sub->md, sub->r->mctx);
	/* The JIT's stack is small (32 KiB); the interpreter uses the heap,
	 * bounded by the depth limit. */
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(rr->code, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
		                 sub->md, sub->r->mctx);
	if (rc < 0) {
		if (rc != PCRE2_ERROR_NOMATCH)
			g_debug("rule %s: gave up (PCRE2 error %d)", rr->text, rc);
		return FALSE;
	}
	if (matched) {
		/* rc == 0 only says the ovector had no room for the groups;
		 * pair 0, the whole match, is always set. */
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sub->md);
		size_t start = ov[0] <= len ? ov[0] : len;
		size_t end = ov[1] >= start && ov[1] <= len ? ov[1] : start;
		*matched = cut_matched(s + start, end - start);
	}
	return TRUE;
}

static gboolean
run(const struct subject *sub, const struct regex_rule *rr, const char *s, char **matched)
{
	return s && run_len(sub, rr, s, strlen(s), matched);
}

/* Address fields: each address is tried alone ("noreply@acme.example", so
 * /^noreply@/ works), then, when it has a display name, as "Display Name
 * <address>" (so /^Bob Smith </ and /<bob@/ work). */
static gboolean
run_addresses(const struct subject *sub, const struct regex_rule *rr, int role, char **matched)
{
	const GPtrArray *addrs = sub->pm->addresses;
	if (!*sub->lines) {
		*sub->lines = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; addrs && i < addrs->len; i++) {
			const struct mc_address *a = g_ptr_array_index(addrs, i);
			g_ptr_array_add(*sub->lines,
			                a->name && *a->name
			                    ? g_strdup_printf("%s <%s>", a->name, a->address)
			                    : NULL);
		}
	}
	for (guint i = 0; addrs && i < addrs->len; i++) {
		const struct mc_address *a = g_ptr_array_index(addrs, i);
		if (role >= 0 && a->role != (enum mc_role)role)
			continue;
		if (run(sub, rr, a->address, matched))
			return TRUE;
		if (run(sub, rr, g_ptr_array_index(*sub->lines, i), matched))
			return TRUE;
	}
	return FALSE;
}

static gboolean
rule_matches(const struct subject *sub, const struct regex_rule *rr, char **matched)
{
	const struct parsed_message *pm = sub->pm;

	switch (rr->field) {
	case FIELD_SUBJECT:
		return run(sub, rr, pm->subject, matched);
	case FIELD_BODY:
		return pm->body_text && run_len(sub, rr, pm->body_text, sub->body_len, matched);
	case FIELD_FROM:
		return run_addresses(sub, rr, MC_ROLE_FROM, matched);
	case FIELD_TO:
		return run_addresses(sub, rr, MC_ROLE_TO, matched);
	case FIELD_CC:
		return run_addresses(sub, rr, MC_ROLE_CC, matched);
	case FIELD_ADDRESS:
		return run_addresses(sub, rr, -1, matched);
	case FIELD_ATTACHMENT:
		for (guint i = 0; pm->attachments && i < pm->attachments->len; i++) {
			const struct mc_attachment *at = g_ptr_array_index(pm->attachments, i);
			/* A part without a name has nothing to match. */
			if (at->filename && *at->filename && run(sub, rr, at->filename, matched))
				return TRUE;
		}
		return FALSE;
	case FIELD_HEADER:
		for (guint i = 0; pm->headers && i < pm->headers->len; i++) {
			const struct mc_header *h = g_ptr_array_index(pm->headers, i);
			if (h->name && g_ascii_strcasecmp(h->name, rr->header) == 0 &&
			    run(sub, rr, h->value, matched))
				return TRUE;
		}
		return FALSE;
	}
	return FALSE;
}

static gboolean
any_matches(const struct subject *sub, const GPtrArray *list)
{
	for (guint i = 0; i < list->len; i++)
		if (rule_matches(sub, g_ptr_array_index(list, i), NULL))
			return TRUE;
	return FALSE;
}

static struct filing *
filing_new(const char *client, const char *project, char *rule, char *matched)
{
	struct filing *f = g_new0(struct filing, 1);
	f->client = g_strdup(client);
	f->project = g_strdup(project);
	f->rule = rule;
	f->matched = matched;
	return f;
}

/* The first match rule of LIST that matches, as a filing, or NULL. */
static struct filing *
file_by_match(const struct subject *sub, const GPtrArray *list, const char *client,
              const char *project)
{
	for (guint i = 0; i < list->len; i++) {
		const struct regex_rule *rr = g_ptr_array_index(list, i);
		char *matched = NULL;
		if (rule_matches(sub, rr, &matched))
			return filing_new(client, project, g_strdup(rr->text), matched);
	}
	return NULL;
}

/* The first of C's exclude rules that matches, as an exclusion, or NULL. */
static struct filing *
file_excluded(const struct subject *sub, const struct client_rules *c)
{
	struct filing *ex = file_by_match(sub, c->exclude, c->key, NULL);
	if (ex)
		ex->excluded = TRUE;
	return ex;
}

/* The client's own reason, in order: domains, addresses, match rules, each
 * in file order; domain and address rules only look at OTHERS (struct
 * mc_address *, the addresses that are not the user's). */
static struct filing *
file_client(const struct subject *sub, const struct client_rules *c, const GPtrArray *others)
{
	for (guint i = 0; i < c->domains->len; i++) {
		const char *d = g_ptr_array_index(c->domains, i);
		size_t dlen = strlen(d);
		for (guint j = 0; j < others->len; j++) {
			const struct mc_address *a = g_ptr_array_index(others, j);
			const char *ad = a->domain ? a->domain : "";
			size_t alen = strlen(ad);
			/* Equal, or a subdomain: "mail.acme.example" ends in
			 * ".acme.example"; "notacme.example" does not. */
			if (alen == dlen ? g_ascii_strcasecmp(ad, d) == 0
			                 : alen > dlen && ad[alen - dlen - 1] == '.' &&
			                       g_ascii_strcasecmp(ad + alen - dlen, d) == 0)
				return filing_new(c->key, NULL, g_strdup_printf("domain %s", d),
				                  g_strdup(a->address));
		}
	}
	for (guint i = 0; i < c->addresses->len; i++) {
		const char *want = g_ptr_array_index(c->addresses, i);
		for (guint j = 0; j < others->len; j++) {
			const struct mc_address *a = g_ptr_array_index(others, j);
			if (config_same_address(a->address, want))
				return filing_new(c->key, NULL, g_strdup_printf("address %s", want),
				                  g_strdup(a->address));
		}
	}
	return file_by_match(sub, c->match, c->key, NULL);
}

GPtrArray *
rules_file(const struct rules *r, const struct mc_config *cfg, const struct parsed_message *pm)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	if (!r || !pm || r->clients->len == 0)
		return out;

	g_autoptr(GPtrArray) lines = NULL;
	struct subject sub = {
		.r = r,
		.pm = pm,
		.md = pcre2_match_data_create(1, NULL),
		.body_len = pm->body_text ? strlen(pm->body_text) : 0,
		.lines = &lines,
	};
	g_autoptr(GPtrArray) others = g_ptr_array_new();
	for (guint i = 0; pm->addresses && i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		/* Whether the mail is outbound or inbound, the other party is
		 * everyone but the user: the recipients of what the user sent,
		 * the sender and other recipients of what the user got. */
		if (a->address && *a->address && !config_is_me(cfg, a->address))
			g_ptr_array_add(others, (gpointer)a);
	}

	/* Which clients' excludes were asked, and whether any client filed it. */
	g_autofree gboolean *asked = g_new0(gboolean, r->clients->len);
	gboolean filed = FALSE;
	for (guint i = 0; i < r->clients->len; i++) {
		const struct client_rules *c = g_ptr_array_index(r->clients, i);
		struct filing *cf = file_client(&sub, c, others);
		g_autoptr(GPtrArray) pfs =
		    g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
		for (guint j = 0; j < c->projects->len; j++) {
			const struct project_rules *pr = g_ptr_array_index(c->projects, j);
			if (pr->match->len == 0)
				continue;
			struct filing *pf = file_by_match(&sub, pr->match, c->key, pr->key);
			if (pf && any_matches(&sub, pr->exclude)) {
				filing_free(pf);
				pf = NULL;
			}
			if (pf)
				g_ptr_array_add(pfs, pf);
		}
		/* The client's exclude keeps the message out of its projects
		 * too. Asked last, and only when there is something to keep
		 * out: most clients match nothing in most mail. */
		if (cf || pfs->len > 0) {
			asked[i] = TRUE;
			struct filing *ex = file_excluded(&sub, c);
			if (ex) {
				if (cf)
					filing_free(cf);
				g_ptr_array_add(out, ex);
				continue;
			}
			filed = TRUE;
		}
		/* Filed under a project, so under its client, unless the
		 * client has a reason of its own. */
		if (!cf && pfs->len > 0) {
			const struct filing *pf = g_ptr_array_index(pfs, 0);
			cf = filing_new(c->key, NULL, g_strdup_printf("project %s", pf->project),
			                g_strdup(pf->matched));
		}
		if (cf)
			g_ptr_array_add(out, cf);
		g_ptr_array_extend_and_steal(out, g_steal_pointer(&pfs));
	}
	/* Mail no rule filed may inherit its thread's clients: record the
	 * excludes that forbid it. */
	for (guint i = 0; !filed && i < r->clients->len; i++) {
		struct filing *ex =
		    asked[i] ? NULL : file_excluded(&sub, g_ptr_array_index(r->clients, i));
		if (ex)
			g_ptr_array_add(out, ex);
	}

	pcre2_match_data_free(sub.md);
	return out;
}
