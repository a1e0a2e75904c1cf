/* Reading a message's rows back from the index: what search prints and
 * what reclassify files again. */
#ifndef MC_LOAD_H
#define MC_LOAD_H

#include <glib.h>

#include "index/db.h"

/* Appends message ID's addresses (struct mc_address *, every role, in
 * header order) to OUT; the caller owns them. FALSE and ERROR on a
 * database error. */
gboolean load_addresses(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Appends message ID's attachments (struct mc_attachment *, inline parts
 * included, in part order) to OUT; the caller owns them. */
gboolean load_attachments(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Appends the keys of the clients message ID is filed under to CLIENTS and
 * the "CLIENT/KEY" of its projects to PROJECTS (char *, sorted; the caller
 * owns them). */
gboolean load_filings(struct mc_db *db, gint64 id, GPtrArray *clients, GPtrArray *projects,
                      GError **error);

#endif
