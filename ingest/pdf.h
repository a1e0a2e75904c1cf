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

/* What reading one PDF may take: the reader process that uses more memory
 * (resident) or CPU is killed. A page of ordinary text takes a few MB and
 * a few ms; poppler's cost grows faster than the text on a page (20,000
 * lines on one: 426 MB, 8.5 s). */
#define PDF_MAX_MEMORY      (128 * 1024 * 1024)
#define PDF_MAX_CPU_SECONDS 10

/* The argument that makes a program the PDF reader (pdf_reader_main()). */
#define PDF_READER_ARG "--pdf-reader"

/* A program that reads mail calls this first thing in main(): with
 * PDF_READER_ARG it runs as the PDF reader pdf_text() starts, and returns
 * the exit status; otherwise it returns -1, and pdf_text() may start this
 * program as its reader. In a program that does not call it, pdf_text()
 * reads no PDF. */
int pdf_reader_main(int argc, char **argv);

/* Returns the text of the PDF in DATA (LEN bytes), page after page, as
 * valid UTF-8 the caller frees; reading stops once about MAX bytes are
 * there (the caller cuts). NULL when the build has no poppler, DATA does
 * not start like a PDF, poppler cannot open it (damaged, encrypted), or it
 * holds no text. Each thread's PDFs are read by a process of its own,
 * killed when it goes over PDF_MAX_MEMORY or PDF_MAX_CPU_SECONDS: then the
 * text of the pages read before is returned and *PROBLEM (else NULL; the
 * caller frees it) says what was not read and why, as it does when the
 * reader crashes or cannot start. Thread-safe. */
char *pdf_text(const char *data, gsize len, gsize max, char **problem);

/* Stops and reaps every reader this process started, once no pdf_text()
 * runs (after the parse workers' pool ended): a reader killed with its
 * thread is a zombie until then, and one left to whoever inherits it stays
 * one where that is a `watch` run as PID 1. */
void pdf_readers_stop(void);

#endif
