/* Output formats: text for people, JSON for scripts, files for MUAs. One
 * file per format; the commands pick one with format_parse(). */
#ifndef MC_FORMAT_H
#define MC_FORMAT_H

#include <glib.h>

#include "common/json.h"
#include "common/message.h"
#include "query/search.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_FILES };

/* Sets *FORMAT from "text", "json" or "files"; else MC_ERROR_USAGE. */
gboolean format_parse(const char *name, enum output_format *format, GError **error);

/* For the commands that print text or JSON: sets *FORMAT from NAME (NULL
 * is text); any other name is MC_ERROR_USAGE naming COMMAND. */
gboolean format_parse_text_or_json(const char *command, const char *name,
                                   enum output_format *format, GError **error);

/* Writes OUT to standard output; returns MC_EXIT_OK, or MC_EXIT_FAILURE when
 * it could not be written (a full disk, a closed pipe). */
int format_write(const GString *out);

/* Returns the UTC date as "2024-03-01T12:00:00Z"; the caller frees it. */
char *format_iso_date(gint64 utc_seconds);

/* Returns the UTC day as "2024-03-01", or FALLBACK when UTC_SECONDS is out
 * of range; the caller frees it. */
char *format_day(gint64 utc_seconds, const char *fallback);

/* Returns SIZE for people ("1.5 kB", "76 bytes") with a plain space, the
 * same in every locale; the caller frees it. */
/* Writes OUT to stdout and empties it once it holds more than 64 kB, so
 * that long listings stream instead of being held whole. */
void format_stream(GString *out);

char *format_size(gint64 size);

/* Appends S (UTF-8) to OUT, then spaces up to WIDTH terminal columns. */
void format_pad(GString *out, const char *s, int width);

/* Returns TRUE when standard output is a terminal that takes colour. */
gboolean format_use_color(void);

/* format-text.c: a result as two lines (date, sender, subject; snippet). */
void format_text_result(GString *out, const struct result *r);
/* format-text.c: a whole message for `show`: headers, body, attachments. */
void format_text_message(GString *out, const struct result *r, const struct parsed_message *pm);

/* format-json.c: a result as one JSON object (DESIGN.md fields). */
void format_json_result(struct json *j, const struct result *r);
/* format-json.c: the result object plus "body" and "headers", for `show`. */
void format_json_message(struct json *j, const struct result *r, const struct parsed_message *pm);

/* format-files.c: the path of every copy, one per line. */
void format_files_result(GString *out, const struct result *r);

/* Loads and prints the messages IDS (gint64) to stdout in FORMAT, a JSON
 * array for FORMAT_JSON. HIGHLIGHT as for search_load(). */
gboolean format_print_results(struct mc_db *db, GArray *ids, const char *highlight,
                              enum output_format format, GError **error);
#endif
