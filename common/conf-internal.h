/* The configuration file's line index (common/conf-lines.c), shared with
 * common/conf.c; private to those two files.
 *
 * GKeyFile gives no line numbers, merges a group given twice and keeps the
 * last of a key given twice, so the file is scanned once before GKeyFile
 * reads it: the scan checks what GKeyFile would take silently or reject
 * without a line, and records where each group and key is. */
#ifndef MC_CONF_INTERNAL_H
#define MC_CONF_INTERNAL_H

#include <glib.h>

struct conf_key {
	char *name; /* as GKeyFile reads it: trailing blanks dropped */
	int line;
};

struct conf_group {
	char *name;      /* blanks trimmed and collapsed: "client acme" */
	int line;        /* of its [header] */
	GPtrArray *keys; /* struct conf_key *, in file order */
};

struct conf_lines {
	GPtrArray *groups; /* struct conf_group *, in file order */
	char *text;        /* the file as GKeyFile is to read it, line for line: group
	                    * headers as normalised, a UTF-8 byte order mark dropped */
	gsize len;
};

/* Scans TEXT (LEN bytes) read from FILE. Returns its line index, which the
 * caller frees with conf_lines_free(), or NULL and ERROR (MC_ERROR_USAGE,
 * "FILE:LINE: ...") for: invalid UTF-8 (or a NUL byte), a line that is no
 * [group], KEY = VALUE or # comment, a bad group name, a key before any
 * group, and a group (after normalising) or a key of a group given twice. */
struct conf_lines *conf_lines_scan(const char *file, const char *text, gsize len, GError **error);
void conf_lines_free(struct conf_lines *lines);
typedef struct conf_lines conf_lines;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(conf_lines, conf_lines_free)

/* Returns the line of KEY in G, or 0 when G has no KEY. */
int conf_key_line(const struct conf_group *g, const char *key);

/* Sets ERROR (MC_ERROR_USAGE) to "FILE:LINE: [GROUP]: key 'KEY': MESSAGE",
 * leaving out ":LINE" when LINE is 0, "[GROUP]: " when GROUP is NULL and
 * "key 'KEY': " when KEY is NULL. */
void conf_error(GError **error, const char *file, int line, const char *group, const char *key,
                const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#endif
