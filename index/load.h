/* Reading a message back from the index: the stored message search prints
 * and show and saving read again, and the rows reclassify files again. */
#ifndef MC_LOAD_H
#define MC_LOAD_H

#include <glib.h>

#include "common/message.h"
#include "index/db.h"

/* Appends message ID's addresses (struct mc_address *, every role, in
 * header order) to OUT; the caller owns them. FALSE and ERROR on a
 * database error. */
gboolean load_addresses(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Appends the address of the row S holds, its columns role, name, address
 * and domain from column FIRST on, to OUT (a new struct mc_address). */
void load_address_row(sqlite3_stmt *s, int first, GPtrArray *out);

/* Appends the attachment of the row S holds, its columns part, filename,
 * mime_type, size, sha256 and is_inline from column FIRST on, to OUT (a
 * new struct mc_attachment). */
void load_attachment_row(sqlite3_stmt *s, int first, GPtrArray *out);

/* Appends message ID's attachments (struct mc_attachment *, inline parts
 * included, in part order) to OUT; the caller owns them. */
gboolean load_attachments(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Appends message ID's labels (char *, in header order) to OUT; the
 * caller owns them. */
gboolean load_labels(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Appends the keys of the clients message ID is filed under to CLIENTS and
 * the "CLIENT/KEY" of its projects to PROJECTS (char *, sorted; the caller
 * owns them). */
gboolean load_filings(struct mc_db *db, gint64 id, GPtrArray *clients, GPtrArray *projects,
                      GError **error);

/* Appends message ID's copies (struct mc_location *, ordered by folder,
 * container and name) to OUT; the caller owns them. */
gboolean load_locations(struct mc_db *db, gint64 id, GPtrArray *out, GError **error);

/* Returns the path of a copy from its locations and containers columns: a
 * maildir copy is CONTAINER/SUB/NAME+INFO (CONTAINER/NAME when SUB is "":
 * the second file of a unique name, NAME its relative path), an mbox or
 * file copy is the CONTAINER itself. The caller frees it. */
char *load_location_path(const char *kind, const char *container, const char *sub, const char *name,
                         const char *info);

/* Loads message ID whole: its row, To and Cc, copies, attachments, labels
 * and filings. Returns a message the caller frees with stored_message_free(), or
 * NULL and sets ERROR (MC_ERROR_FAILED when there is no such message). */
struct stored_message *load_message(struct mc_db *db, gint64 id, GError **error);

/* Loads what a one-line listing shows of message ID: its row and its
 * attachments; To, Cc, copies, labels and filings stay empty (four queries
 * fewer a message, a fifth of a page's time). Returns as load_message(). */
struct stored_message *load_message_summary(struct mc_db *db, gint64 id, GError **error);

#endif
