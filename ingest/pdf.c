/* PDF attachments to text with poppler-glib.
 *
 * Each call opens its own PopplerDocument, so parse workers never share
 * one. poppler keeps its global state (GlobalParams) while any document is
 * open and builds it again when the first one opens, behind a mutex: that
 * rebuild cost 0.5 ms a PDF, so one tiny document stays open for the life
 * of the process. poppler reports what it finds wrong in a file through
 * GLib's log (domain "Poppler"): hostile mail makes that noise, and none of
 * it is something a user can act on, so it is dropped. */
#include "config.h"

#include "ingest/pdf.h"
#include "common/utf8.h"

#include <stdio.h>
#include <string.h>

gboolean
pdf_has_header(const char *data, gsize len)
{
	gsize n = MIN(len, PDF_HEADER_WITHIN);
	return n >= 5 && memmem(data, n, "%PDF-", 5) != NULL;
}

#ifdef HAVE_POPPLER
#include <gmodule.h>
#include <poppler.h>

/* poppler-glib and what it pulls in (cairo, NSS: some 35 libraries) cost 8
 * ms at every start of mailclerk-mail, and most runs never meet a PDF: it
 * is opened with GModule on the first one, by the SONAME configure found.
 * NULL members: not loaded (then there is no PDF text, said once). */
static struct {
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_get_n_pages) *document_get_n_pages;
	__typeof__(poppler_document_get_page) *document_get_page;
	__typeof__(poppler_page_get_text) *page_get_text;
} poppler;

static gboolean
pdf_load(void)
{
	GModule *module = g_module_open(POPPLER_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	if (!module ||
	    !g_module_symbol(module, "poppler_document_new_from_bytes",
	                     (gpointer *)&poppler.document_new_from_bytes) ||
	    !g_module_symbol(module, "poppler_document_get_n_pages",
	                     (gpointer *)&poppler.document_get_n_pages) ||
	    !g_module_symbol(module, "poppler_document_get_page",
	                     (gpointer *)&poppler.document_get_page) ||
	    !g_module_symbol(module, "poppler_page_get_text", (gpointer *)&poppler.page_get_text)) {
		fprintf(stderr, "mailclerk: no PDF text: %s\n", g_module_error());
		memset(&poppler, 0, sizeof poppler);
		if (module)
			g_module_close(module);
		return FALSE;
	}
	/* Its types and global state live as long as the process. */
	g_module_make_resident(module);
	return TRUE;
}

/* One empty page; the offsets in the xref table are those of the objects. */
static const char keeper_pdf[] = "%PDF-1.4\n"
                                 "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                                 "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                                 "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>\n"
                                 "endobj\n"
                                 "xref\n0 4\n"
                                 "0000000000 65535 f \n"
                                 "0000000009 00000 n \n"
                                 "0000000058 00000 n \n"
                                 "0000000115 00000 n \n"
                                 "trailer\n<< /Size 4 /Root 1 0 R >>\n"
                                 "startxref\n182\n%%EOF\n";

/* Open for the life of the process, never read. */
static PopplerDocument *keeper;

static void
pdf_log_drop(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

/* Opens the document that keeps poppler's global state alive; once. */
static void
pdf_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		if (!pdf_load()) {
			g_once_init_leave(&once, 1);
			return;
		}
		g_log_set_handler("Poppler",
		                  G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
		                      G_LOG_LEVEL_DEBUG,
		                  pdf_log_drop, NULL);
		g_autoptr(GBytes) bytes = g_bytes_new_static(keeper_pdf, sizeof keeper_pdf - 1);
		/* On failure only the speed-up is lost. */
		keeper = poppler.document_new_from_bytes(bytes, NULL, NULL);
		g_once_init_leave(&once, 1);
	}
}

gboolean
pdf_text_supported(void)
{
	return TRUE;
}

char *
pdf_text(const char *data, gsize len, gsize max)
{
	if (len > PDF_MAX_BYTES || !pdf_has_header(data, len))
		return NULL;
	pdf_init();
	if (!poppler.document_new_from_bytes)
		return NULL;

	/* poppler reads the bytes in place while the document is open. */
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len);
	g_autoptr(GError) error = NULL;
	PopplerDocument *doc = poppler.document_new_from_bytes(bytes, NULL, &error);
	if (!doc)
		return NULL; /* damaged, encrypted or not a PDF at all */

	GString *out = g_string_new(NULL);
	int pages = MIN(poppler.document_get_n_pages(doc), PDF_MAX_PAGES);
	for (int i = 0; i < pages && out->len < max; i++) {
		PopplerPage *page = poppler.document_get_page(doc, i);
		if (!page)
			continue;
		g_autofree char *text = poppler.page_get_text(page);
		g_object_unref(page);
		if (!text || !*text)
			continue;
		if (out->len > 0)
			g_string_append(out, "\n\n");
		utf8_append_valid(out, text, strlen(text));
	}
	g_object_unref(doc);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

#else /* !HAVE_POPPLER */

gboolean
pdf_text_supported(void)
{
	return FALSE;
}

char *
pdf_text(const char *data, gsize len, gsize max)
{
	return NULL;
}

#endif
