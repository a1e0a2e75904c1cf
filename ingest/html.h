/* HTML to readable plain text, for HTML-only mail. */
#ifndef MC_HTML_H
#define MC_HTML_H

#include <glib.h>

/* Converts HTML (UTF-8, LEN bytes or -1 for NUL-terminated) to plain text:
 * tags dropped, <script>/<style>/<head> contents dropped, entities decoded,
 * block elements and <br> as line breaks, runs of blank space folded.
 * Returns valid UTF-8 the caller frees with g_free(). */
char *html_to_text(const char *html, gssize len);

#endif
