/* Filing a message: running compiled client and project rules on it (rules_file()). */
#include "config.h"

#include "index/rules-internal.h"

#include <string.h>

#include "common/utf8.h"

/* The matched text kept in a filing, for `explain`. */
#define RULES_MATCHED_MAX 200

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
	case FIELD_LABEL:
		/* Each label alone, so that /^Clients\/Acme$/ means that label. */
		for (guint i = 0; pm->labels && i < pm->labels->len; i++)
			if (run(sub, rr, g_ptr_array_index(pm->labels, i), matched))
				return TRUE;
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

/* An address of the message that is not the user's, as domain and address
 * rules compare it: made once per message, compared with every client's. */
struct party {
	const struct mc_address *a;
	char *key;    /* config_address_key() of the address */
	char *domain; /* its domain in ASCII lower case ("" when none) */
	size_t domain_len;
};

static void
party_clear(gpointer p)
{
	struct party *o = p;
	g_free(o->key);
	g_free(o->domain);
}

/* The client's own reason, in order: domains, addresses, match rules, each
 * in file order; domain and address rules only look at OTHERS (struct
 * party, the addresses that are not the user's). */
static struct filing *
file_client(const struct subject *sub, const struct client_rules *c, const GArray *others)
{
	for (guint i = 0; i < c->domain_keys->len; i++) {
		const char *d = g_ptr_array_index(c->domain_keys, i);
		size_t dlen = strlen(d);
		for (guint j = 0; j < others->len; j++) {
			const struct party *o = &g_array_index(others, struct party, j);
			const char *ad = o->domain;
			size_t alen = o->domain_len;
			/* Equal, or a subdomain: "mail.acme.example" ends in
			 * ".acme.example"; "notacme.example" does not. */
			if (alen == dlen ? memcmp(ad, d, dlen) == 0
			                 : alen > dlen && ad[alen - dlen - 1] == '.' &&
			                       memcmp(ad + alen - dlen, d, dlen) == 0)
				return filing_new(
				    c->key, NULL,
				    g_strdup_printf("domain %s",
				                    (char *)g_ptr_array_index(c->domains, i)),
				    g_strdup(o->a->address));
		}
	}
	for (guint i = 0; i < c->address_keys->len; i++) {
		const char *want = g_ptr_array_index(c->address_keys, i);
		for (guint j = 0; j < others->len; j++) {
			const struct party *o = &g_array_index(others, struct party, j);
			if (strcmp(o->key, want) == 0)
				return filing_new(
				    c->key, NULL,
				    g_strdup_printf("address %s",
				                    (char *)g_ptr_array_index(c->addresses, i)),
				    g_strdup(o->a->address));
		}
	}
	return file_by_match(sub, c->match, c->key, NULL);
}

/* Returns TRUE when KEY (config_address_key()) is one of R's `me`. */
static gboolean
is_me(const struct rules *r, const char *key)
{
	for (guint i = 0; i < r->me_keys->len; i++)
		if (strcmp(g_ptr_array_index(r->me_keys, i), key) == 0)
			return TRUE;
	return FALSE;
}

/* JIT-compiles the patterns of LIST (struct regex_rule *). */
static void
jit_compile(GPtrArray *list)
{
	/* Without JIT support (or memory for it) the interpreter runs the same
	 * pattern, only slower: nothing to report. */
	for (guint i = 0; i < list->len; i++)
		(void)pcre2_jit_compile(((struct regex_rule *)g_ptr_array_index(list, i))->code,
		                        PCRE2_JIT_COMPLETE);
}

/* JIT-compiles every pattern of R, once, whichever thread files first;
 * the others wait for it. Patterns are only read afterwards. */
static void
rules_jit(const struct rules *r)
{
	struct rules *w = (struct rules *)r; /* the patterns' compiled form only */
	if (!g_once_init_enter(&w->jitted))
		return;
	for (guint i = 0; i < r->clients->len; i++) {
		const struct client_rules *c = g_ptr_array_index(r->clients, i);
		jit_compile(c->match);
		jit_compile(c->exclude);
	}
	for (guint i = 0; i < r->projects->len; i++) {
		const struct project_rules *pr = g_ptr_array_index(r->projects, i);
		jit_compile(pr->match);
		jit_compile(pr->exclude);
	}
	g_once_init_leave(&w->jitted, 1);
}

GPtrArray *
rules_file(const struct rules *r, const struct parsed_message *pm)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
	if (!r || !pm || r->clients->len == 0)
		return out;
	rules_jit(r);

	g_autoptr(GPtrArray) lines = NULL;
	struct subject sub = {
		.r = r,
		.pm = pm,
		.md = pcre2_match_data_create(1, NULL),
		.body_len = pm->body_text ? strlen(pm->body_text) : 0,
		.lines = &lines,
	};
	g_autoptr(GArray) others = g_array_new(FALSE, FALSE, sizeof(struct party));
	g_array_set_clear_func(others, party_clear);
	for (guint i = 0; pm->addresses && i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		if (!a->address || !*a->address)
			continue;
		/* Whether the mail is outbound or inbound, the other party is
		 * everyone but the user: the recipients of what the user sent,
		 * the sender and other recipients of what the user got. */
		g_autofree char *key = config_address_key(a->address);
		if (is_me(r, key))
			continue;
		struct party o = { a, g_steal_pointer(&key),
			           g_ascii_strdown(a->domain ? a->domain : "", -1), 0 };
		o.domain_len = strlen(o.domain);
		g_array_append_val(others, o);
	}

	/* Which clients' excludes were asked, and whether any client filed it. */
	g_autofree gboolean *asked = g_new0(gboolean, r->clients->len);
	gboolean filed = FALSE;
	for (guint i = 0; i < r->clients->len; i++) {
		const struct client_rules *c = g_ptr_array_index(r->clients, i);
		struct filing *cf = file_client(&sub, c, others);
		/* Made for the first project filing: most clients have none. */
		g_autoptr(GPtrArray) pfs = NULL;
		for (guint j = 0; j < c->projects->len; j++) {
			const struct project_rules *pr = g_ptr_array_index(c->projects, j);
			if (pr->match->len == 0)
				continue;
			struct filing *pf = file_by_match(&sub, pr->match, c->key, pr->key);
			if (pf && any_matches(&sub, pr->exclude)) {
				filing_free(pf);
				pf = NULL;
			}
			if (!pf)
				continue;
			if (!pfs)
				pfs = g_ptr_array_new_with_free_func((GDestroyNotify)filing_free);
			g_ptr_array_add(pfs, pf);
		}
		/* The client's exclude keeps the message out of its projects
		 * too. Asked last, and only when there is something to keep
		 * out: most clients match nothing in most mail. */
		if (cf || pfs) {
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
		if (!cf && pfs) {
			const struct filing *pf = g_ptr_array_index(pfs, 0);
			cf = filing_new(c->key, NULL, g_strdup_printf("project %s", pf->project),
			                g_strdup(pf->matched));
		}
		if (cf)
			g_ptr_array_add(out, cf);
		if (pfs)
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
