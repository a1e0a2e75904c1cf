/* File extensions and MIME types: one table for the names of saved
 * attachments and for type: queries. */
#ifndef MC_MIMETYPE_H
#define MC_MIMETYPE_H

#include <glib.h>

struct mimetype {
	const char *ext;  /* lower case, without the dot */
	const char *type; /* lower case */
};

/* Returns the table and sets *N to its rows. An extension may have several
 * types (ics: text/calendar, application/ics) and a type several extensions
 * (image/jpeg: jpg, jpeg), the usual one first. Static. */
const struct mimetype *mimetype_table(guint *n);

/* Returns the usual extension for MIME_TYPE (any case), or NULL; static. */
const char *mimetype_extension(const char *mime_type);

/* Returns the usual MIME type of file NAME by its extension (any case), or
 * NULL when the table has none; static. */
const char *mimetype_of_filename(const char *name);

/* Returns TRUE when EXT (any case) is an extension of the table. */
gboolean mimetype_is_extension(const char *ext);

/* Returns TRUE when MAJOR (any case) is a top-level MIME type (RFC 6838:
 * application, audio, font, image, message, model, multipart, text, video). */
gboolean mimetype_is_top_level(const char *major);

/* Returns the top-level MIME types, NULL-terminated; static. */
const char *const *mimetype_top_levels(void);

#endif
