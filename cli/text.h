/* Text for people: mail's own strings made safe for a terminal, columns
 * padded by what a terminal shows, sizes. */
#ifndef MC_TEXT_OUT_H
#define MC_TEXT_OUT_H

#include <glib.h>

#include "common/message.h"

enum text_clean_flags {
	TEXT_KEEP_SGR = 1 << 0,   /* the ESC of our own highlight codes (snippets) */
	TEXT_KEEP_LINES = 1 << 1, /* newlines and tabs (a body) */
};

/* The highlight codes snippets carry on a colour terminal. */
#define TEXT_HIGHLIGHT_ON  "\033[1;31m"
#define TEXT_HIGHLIGHT_OFF "\033[0m"

/* Appends S with the control characters of hostile mail (C0, DEL, C1) and
 * the line and paragraph separators (U+2028, U+2029) shown as spaces, and
 * the bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069) left out, so that nothing a message says
 * can move the cursor, recolour the terminal or show its text in another
 * order, except what FLAGS keeps (TEXT_KEEP_LINES: the separators end a
 * line). */
void text_append_clean(GString *out, const char *s, unsigned flags);

/* Appends A as "Name <address>", or the address alone, cleaned. */
void text_append_address(GString *out, const struct mc_address *a);

/* Appends S (UTF-8), then spaces up to WIDTH terminal columns. */
void text_pad(GString *out, const char *s, int width);

/* Returns SIZE for people ("1.5 kB", "76 bytes") with a plain space, the
 * same in every locale; the caller frees it. */
char *text_size(gint64 size);

/* Returns TRUE when standard output is a terminal that takes colour
 * (NO_COLOR unset). */
gboolean text_use_color(void);

#endif
