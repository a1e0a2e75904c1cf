/* Output: one printer interface for every format, after notmuch's sprinter.
 *
 * A command makes a printer for the format the user asked for, hands it its
 * records one by one, and never looks at the format again. What a record
 * holds is said once per kind of record (struct record_kind): as keyed
 * values for the structured formats (JSON), as lines for people (text), and
 * as paths for mail clients (files), as address book entries (vcard, mutt). A format a kind has no
 * function for is not offered: asking for it is a usage error naming those the command has.
 *
 * Each format is a struct printer_ops (printer-ops.h; printer-text.c,
 * printer-json.c, printer-files.c, printer-book.c). Output goes to standard output in
 * pieces of 64 kB, so that a long listing streams. */
#ifndef MC_PRINTER_H
#define MC_PRINTER_H

#include <glib.h>

struct printer;

/* How one kind of record is printed. RECORD is the command's own struct. */
struct record_kind {
	/* The record as keyed values: printer_key() and the value functions
	 * below, inside a map the printer opens and closes. */
	void (*describe)(struct printer *p, gconstpointer record);
	/* The record for people; INDEX counts the records of its list from 0. */
	void (*text)(GString *out, gconstpointer record, guint index);
	/* The paths of the record's files, each followed by END ('\n'; '\0'
	 * for files0, where a path may hold a newline); NULL: no files
	 * formats. */
	void (*files)(GString *out, gconstpointer record, char end);
	/* The record as vCards (RFC 6350, CRLF lines), for address books;
	 * NULL: no vcard format. */
	void (*vcard)(GString *out, gconstpointer record);
	/* The record as lines of mutt's query_command answer
	 * ("address<TAB>name<TAB>other"); NULL: no mutt format. */
	void (*mutt)(GString *out, gconstpointer record);
};

/* Returns a printer to standard output in FORMAT ("text", "json", "files",
 * "vcard" or "mutt"; NULL is text) for COMMAND, which prints records of KIND (and of kinds
 * that offer the same formats). NULL and ERROR (MC_ERROR_USAGE) for a format
 * KIND does not offer. Free it with printer_finish() or printer_free(). */
struct printer *printer_new(const char *command, const char *format, const struct record_kind *kind,
                            GError **error);

/* Returns the formats KIND offers for people to read, "text, json or
 * files"; the caller frees it. */
char *printer_formats(const struct record_kind *kind);

/* Returns the formats KIND offers as completion reads them, "text|json|files";
 * the caller frees it. */
char *printer_format_words(const struct record_kind *kind);

/* Writes what is left and frees P. Returns MC_EXIT_OK, or MC_EXIT_FAILURE
 * when the output could not be written (a full disk, a closed pipe). */
int printer_finish(struct printer *p);

/* Frees P, writing nothing more: for a command that failed midway. */
void printer_free(struct printer *p);
typedef struct printer printer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(printer, printer_free)

/* Returns TRUE when P prints FORMAT ("text", "json", "files"): for work a
 * format does not need (snippets for files) or does differently (colour). */
gboolean printer_is(const struct printer *p, const char *format);

/* Returns TRUE when P prints paths of files (files, files0). */
gboolean printer_is_files(const struct printer *p);

/* Prints RECORD of KIND. */
void printer_record(struct printer *p, const struct record_kind *kind, gconstpointer record);

/* A list of records: a JSON array (the value of KEY, inside a group). For
 * text and mutt, HEADING (may be NULL) comes first (mutt's first line), and EMPTY (may be NULL)
 * stands in for a list that ends with no record. */
void printer_list_begin(struct printer *p, const char *key, const char *heading, const char *empty);
void printer_list_end(struct printer *p);

/* Prints RECORD of KIND as the value of KEY inside a group (JSON); for
 * text, as any record. */
void printer_keyed_record(struct printer *p, const char *key, const struct record_kind *kind,
                          gconstpointer record);

/* Several keyed lists in one: a JSON object; nothing for text. */
void printer_group_begin(struct printer *p);
void printer_group_end(struct printer *p);

/* The values of a record, for describe(). A key names the value that follows. */
void printer_key(struct printer *p, const char *key);
void printer_string(struct printer *p, const char *s); /* NULL is null */
void printer_int(struct printer *p, gint64 v);
void printer_bool(struct printer *p, gboolean v);
void printer_null(struct printer *p);
void printer_map_begin(struct printer *p);
void printer_map_end(struct printer *p);
void printer_array_begin(struct printer *p);
void printer_array_end(struct printer *p);

/* Shorthands: KEY and a value. A date is UTC seconds, written as ISO 8601. */
void printer_kv_string(struct printer *p, const char *key, const char *s);
void printer_kv_int(struct printer *p, const char *key, gint64 v);
void printer_kv_bool(struct printer *p, const char *key, gboolean v);
void printer_kv_date(struct printer *p, const char *key, gint64 utc_seconds);
/* As printer_kv_date(), but null when UTC_SECONDS is 0 (no date). */
void printer_kv_date_or_null(struct printer *p, const char *key, gint64 utc_seconds);
/* KEY and an array of the strings of LIST (char *; NULL is empty). */
void printer_kv_strings(struct printer *p, const char *key, const GPtrArray *list);

#endif
