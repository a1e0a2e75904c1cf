/* The text of a PDF attachment, with poppler-glib when the build has it. */
#ifndef MC_PDF_H
#define MC_PDF_H

#include <glib.h>

/* A larger PDF is not opened: its text is not worth the memory and time. */
#define PDF_MAX_BYTES (32 * 1024 * 1024)
/* Pages read from one PDF at most. */
#define PDF_MAX_PAGES 500
/* How far into the file the "%PDF-" header may start (Acrobat allows 1 KB
 * of junk before it). */
#define PDF_HEADER_WITHIN 1024

/* Whether this build reads PDF text (configure found poppler-glib). */
gboolean pdf_text_supported(void);

/* Whether DATA (the first LEN bytes of a file, at least PDF_HEADER_WITHIN
 * when the file is that long) has a PDF header: a cheap test that keeps
 * poppler away from binary files only named or typed as PDFs. */
gboolean pdf_has_header(const char *data, gsize len);

/* Returns the text of the PDF in DATA (LEN bytes), page after page, as
 * valid UTF-8 the caller frees; reading stops once about MAX bytes are
 * there (the caller cuts). NULL when the build has no poppler, DATA does
 * not start like a PDF, poppler cannot open it (damaged, encrypted), or it
 * holds no text. Never crashes on hostile bytes; thread-safe. */
char *pdf_text(const char *data, gsize len, gsize max);

#endif
