/* Messages as the commands print them: a hit of a listing (search, thread)
 * and a message shown whole (show). */
#ifndef MC_PRINT_MESSAGE_H
#define MC_PRINT_MESSAGE_H

#include <glib.h>

#include "cli/printer.h"
#include "common/message.h"
#include "index/db.h"
#include "ingest/message-file.h"

/* A message of a listing. All borrowed. */
struct message_hit {
	const struct stored_message *m;
	const char *snippet; /* what matched, or the start of the body; may be "" */
	const char *file;    /* files: message_files_path()'s, NULL for none */
};
/* Text: two lines (id, date, direction, sender, subject; the snippet).
 * JSON: the message's fields. Files: the one file a mail client opens. */
extern const struct record_kind message_hit_kind;

/* A message shown whole. All borrowed. */
struct message_shown {
	const struct stored_message *m;
	const struct parsed_message *pm; /* parsed again from a copy; NULL for files */
	const char *file;                /* files: message_files_path()'s, NULL for none */
};
/* Text: headers, copies, body, attachments. JSON: a hit's fields, the body
 * and every header. Files: the one file a mail client opens. */
extern const struct record_kind message_shown_kind;

/* Describes KEY: {"name": NAME, "address": ADDRESS}, as every printed
 * address is. */
void print_describe_address(struct printer *p, const char *key, const char *name,
                            const char *address);

/* Loads the messages IDS (gint64) from DB and prints them to P as a list of
 * hits, with snippets of the FTS5 expression HIGHLIGHT (NULL: the start of
 * each body); for the files format, each message's file from FILES.
 * FALSE and ERROR on a database error or a cache that cannot be written. */
gboolean print_hits(struct printer *p, struct mc_db *db, GArray *ids, const char *highlight,
                    struct message_files *files, GError **error);

/* Finishes P (printer_finish()), then says on stderr why messages were left
 * out of the files FILES gave, each reason once. Returns the exit code:
 * printer_finish()'s, or 1 when a message was left out. */
int print_finish(struct printer *p, struct message_files *files);

#endif
