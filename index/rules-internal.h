/* Client and project rules as rules_compile() (index/rules-compile.c)
 * leaves them for rules_file() (index/rules.c); private to those two files.
 * A struct rules owns everything under it and is freed by rules_free(). */
#ifndef MC_RULES_INTERNAL_H
#define MC_RULES_INTERNAL_H

#include <glib.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "index/rules.h"

enum rule_field {
	FIELD_SUBJECT,
	FIELD_BODY,
	FIELD_FROM,
	FIELD_TO,
	FIELD_CC,
	FIELD_ADDRESS,
	FIELD_ATTACHMENT,
	FIELD_LABEL,
	FIELD_HEADER,
};

/* One FIELD:/REGEX/FLAGS of a match or exclude list. */
struct regex_rule {
	enum rule_field field;
	char *header;     /* NAME of header:NAME, else NULL; owned */
	char *text;       /* "subject /\bACME-\d+\b/i", for filings; owned */
	pcre2_code *code; /* owned */
};

struct client_rules {
	char *key;               /* owned */
	GPtrArray *domains;      /* char *, owned */
	GPtrArray *domain_keys;  /* char *, DOMAINS in ASCII lower case, owned */
	GPtrArray *addresses;    /* char *, owned */
	GPtrArray *address_keys; /* char *, config_address_key() of ADDRESSES, owned */
	GPtrArray *match;        /* struct regex_rule *, owned */
	GPtrArray *exclude;      /* struct regex_rule *, owned */
	GPtrArray *projects;     /* struct project_rules *, borrowed from rules->projects */
};

struct project_rules {
	char *key; /* owned */
	GPtrArray *match;
	GPtrArray *exclude;
};

struct rules {
	GPtrArray *me_keys;  /* char *, config_address_key() of the config's `me` */
	GPtrArray *clients;  /* struct client_rules *, in file order */
	GPtrArray *projects; /* struct project_rules *, in file order; owns them */
	/* Only read by pcre2_match(), so one is shared by every thread. */
	pcre2_match_context *mctx;
	/* Set once every pattern is JIT-compiled (rules_file(), at the first
	 * message filed): a run that files nothing, such as an ingest with
	 * nothing new, does not pay for it. */
	gsize jitted;
	gboolean need_headers;
	gboolean need_body;
};

#endif
