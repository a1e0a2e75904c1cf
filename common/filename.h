/* Names for attachments saved to disk (`attachments save`).
 *
 * A file name from mail is hostile: it may be a path ("../../x", "C:\x"),
 * hide its real extension behind a right-to-left override, carry terminal
 * escapes, start with "-" to pose as an option, or be thousands of bytes
 * long. Everything here returns a single name component that is none of
 * those things. */
#ifndef MC_FILENAME_H
#define MC_FILENAME_H

#include <glib.h>

/* The longest name most file systems accept, in bytes. */
#define FILENAME_MAX_BYTES 255

/* The default of `attachment_name`. */
#define FILENAME_DEFAULT_TEMPLATE "{date}_{filename}"

/* Returns NAME made safe as a single file name: only what follows its last
 * '/' or '\', without control characters (C0, DEL, C1) and bidirectional
 * formatting characters, NFC-normalised, without leading dots, dashes and
 * spaces or trailing spaces, cut to FILENAME_MAX_BYTES on a character
 * boundary keeping its extension. A name left empty becomes
 * "attachment-<first 8 of SHA256>.<extension for MIME_TYPE>". NAME may be
 * NULL or invalid UTF-8; MIME_TYPE and SHA256 may be NULL. The caller frees
 * the result, which is never empty, ".", ".." or longer than
 * FILENAME_MAX_BYTES. */
char *filename_sanitize(const char *name, const char *mime_type, const char *sha256);

/* Returns the usual extension (without the dot) for MIME_TYPE, "bin" when
 * unknown; a static string. */
const char *filename_extension_for_type(const char *mime_type);

/* Returns NAME with " (N)" before its extension ("a.pdf", 2: "a (2).pdf"),
 * still at most FILENAME_MAX_BYTES; the caller frees it. */
char *filename_numbered(const char *name, guint n);

/* The values a template may use; any may be NULL (then empty). */
struct filename_fields {
	const char *date;     /* YYYY-MM-DD */
	const char *client;   /* client key */
	const char *project;  /* project key (without the client) */
	const char *from;     /* sender's address */
	const char *subject;  /* message subject */
	const char *filename; /* the attachment's own name, as in the mail */
	const char *mime_type;
	const char *sha256;
};

/* Returns TRUE when TEMPLATE names only known fields ({date}, {client},
 * {project}, {from}, {subject}, {filename}), each brace closed; else FALSE
 * and ERROR (MC_ERROR_USAGE) says which and where. */
gboolean filename_template_check(const char *template, GError **error);

/* Returns the file name TEMPLATE (checked by filename_template_check) makes
 * of F: each field cleaned as filename_sanitize() cleans a name, with '/'
 * and '\' turned into '-', and {filename} the sanitized attachment name; then
 * the whole sanitized again. The caller frees it. */
char *filename_expand(const char *template, const struct filename_fields *f);

#endif
