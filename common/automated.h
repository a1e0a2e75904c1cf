/* The automated mark: whether a message is automated mail (a newsletter, a
 * notification, an auto-reply, a bounce) rather than a person writing.
 *
 * Parsing finds the signal (ingest/parse.h, stored as
 * messages.automated_why); the configuration corrects it by the sender, the
 * message's first From address: `people` is never automated, `automated`
 * always. An entry is an address (any case) or "@DOMAIN", which also takes
 * its subdomains (@globex.example: news.globex.example too), as clients'
 * domains do. When both lists name the sender, the more specific entry wins
 * (an address over a domain, a longer domain over a shorter one), and
 * `people` when they are as specific. The index stores the mark as ingest
 * or the last reclassify made it (messages.automated). */
#ifndef MC_AUTOMATED_H
#define MC_AUTOMATED_H

#include <glib.h>

#include "common/conf.h"

struct automated_mark {
	gboolean automated;
	const char *list; /* "automated" or "people" when the configuration decided, else NULL */
	const char
	    *entry; /* the entry of LIST that named the sender (owned by the configuration) */
};

/* Sets *MARK for mail from FROM (a lower-cased address, "" when none) whose
 * signal is SIGNAL ("" when none) under CFG: automated when CFG's people do
 * not name FROM and either its automated list does or SIGNAL is not "". */
void automated_mark(const struct mc_config *cfg, const char *from, const char *signal,
                    struct automated_mark *mark);

/* Returns the reason for people, as `explain` says it: "automated: SIGNAL",
 * "automated: config automated = ENTRY", "a person: config people = ENTRY"
 * (then " (signal ignored: SIGNAL)" when there was one), or "not
 * automated". No newline; the caller frees it. */
char *automated_reason(const struct automated_mark *mark, const char *signal);

#endif
