/* Filing every message again by the rules as they are now (after the user
 * changed them), from what the index holds: subject, body, addresses,
 * attachment names and labels. Only rules on header:NAME need the message files, since
 * the index does not keep headers; those are read and parsed again. The
 * automated mark is made again too, from the stored signal and the
 * configuration's automated and people. */
#ifndef MC_RECLASSIFY_H
#define MC_RECLASSIFY_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"
#include "index/rules.h"

struct reclassify_report {
	gint64 messages;          /* messages looked at */
	gint64 filings;           /* filings after the run */
	gint64 added;             /* filings that were not there before */
	gint64 removed;           /* filings that are gone */
	gint64 automated;         /* messages marked automated after the run */
	gint64 automated_changed; /* marks the run changed */
	gint64 outbound;          /* messages from a `me` address after the run */
	gint64 outbound_changed;  /* directions the run changed */
	double seconds;
};

/* Files every message of DB (open for writing, the writer lock held) by
 * FILING_RULES (NULL: no clients, so nothing is filed), in one transaction:
 * the filings change all at once or not at all. FALSE and ERROR on failure,
 * with nothing changed. */
gboolean reclassify_run(struct mc_db *db, const struct mc_config *cfg,
                        const struct rules *filing_rules, struct reclassify_report *report,
                        GError **error);

#endif
