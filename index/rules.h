/* Client and project rules (README "Configuration"): compiled
 * once from the configuration, then run on each message to file it.
 *
 * [client KEY]:  domains, addresses, match, exclude
 * [project CLIENT/KEY]:  match, exclude
 * match/exclude are ';'-separated FIELD:/REGEX/FLAGS, FIELD one of subject,
 * body, from, to, cc, address, attachment, label, header:NAME; FLAGS i (caseless),
 * x (extended). PCRE2 with UTF, JIT where available, a match limit. */
#ifndef MC_RULES_H
#define MC_RULES_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"

struct rules;

/* One filing of a message, with the rule that made it. */
struct filing {
	char *client;  /* client KEY */
	char *project; /* project KEY (without the client), or NULL */
	char *rule;    /* e.g. "domain acme.example", "subject /\bACME-\d+\b/i" */
	char *matched; /* the text that matched, e.g. "bob@mail.acme.example", "ACME-12" */
	/* Not a filing: CLIENT's exclude RULE matched, so the message must not
	 * inherit CLIENT from its thread either. */
	gboolean excluded;
};
void filing_free(struct filing *f);

/* Compiles CFG's clients and projects. Returns rules the caller frees with
 * rules_free(), or NULL and sets ERROR (MC_ERROR_USAGE) naming the file and
 * the key's line (the config's match_line, exclude_line; left out when 0),
 * the group and the key, with PCRE2's message and offset for a bad regex. */
struct rules *rules_compile(const struct mc_config *cfg, GError **error);
void rules_free(struct rules *r);
typedef struct rules rules;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rules, rules_free)

/* Returns TRUE when some rule looks at header:NAME (so PARSE_HEADERS is needed). */
gboolean rules_need_headers(const struct rules *r);

/* Returns TRUE when some rule looks at body: (reclassify need not
 * decompress the bodies otherwise). */
gboolean rules_need_body(const struct rules *r);

/* Files PM: returns struct filing * (caller unrefs the array). Domain and
 * address rules look at the other party (every address that is not one of
 * the `me` addresses of the configuration R was compiled from). A message
 * filed under a project is filed under its client too. Each client whose
 * exclude rule kept PM out is in the array as an entry with `excluded` set:
 * those a rule would otherwise have filed, and, when no client filed PM,
 * every client whose exclude matches (so the writer's thread inheritance can
 * leave them out). Thread inheritance is not done here (the writer does
 * it). */
GPtrArray *rules_file(const struct rules *r, const struct parsed_message *pm);

#endif
