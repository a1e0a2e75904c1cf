/* parse_message() on MIME structure: body parts, attachments, forwarded and nested mail. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "ingest/parse.h"
#include "ingest/pdf.h"
#include "tests/unit/parse-helpers.h"

#ifdef HAVE_POPPLER
#define HAVE_POPPLER_TEST 1
#else
#define HAVE_POPPLER_TEST 0
#endif

static const struct mc_attachment *
attachment_at(const struct parsed_message *pm, guint i)
{
	g_assert_cmpuint(i, <, pm->attachments->len);
	return g_ptr_array_index(pm->attachments, i);
}

static void
test_alternative(void)
{
	static const char both[] =
	    "Subject: alt\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	    "--b1\nContent-Type: text/plain; charset=utf-8\n\nPlain version.\n"
	    "--b1\nContent-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b>.</p>\n"
	    "--b1--\n";
	g_autoptr(parsed_message) pm = parse_ok(both, 0);
	g_assert_cmpstr(pm->body_text, ==, "Plain version.");
	g_assert_cmpuint(pm->attachments->len, ==, 0);
	/* Every word of the HTML is in the plain text, in some case. */
	g_assert_cmpstr(pm->alt_words, ==, "HTML");

	static const char html_only[] =
	    "Subject: html\nMIME-Version: 1.0\nContent-Type: text/html; charset=iso-8859-1\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "<html><head><style>p{}</style></head><body><p>Caf=E9 &amp; cr=\n"
	    "=E8me</p><p>Second</p></body></html>\n";
	g_autoptr(parsed_message) h = parse_ok(html_only, 0);
	g_assert_cmpstr(h->body_text, ==, "Café & crème\n\nSecond");

	/* An empty text/plain beside the real HTML does not hide it. */
	static const char blank_plain[] =
	    "Subject: alt\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	    "--b1\nContent-Type: text/plain\n\n  \n\n"
	    "--b1\nContent-Type: text/html\n\n<div>Only in HTML</div>\n"
	    "--b1--\n";
	g_autoptr(parsed_message) b = parse_ok(blank_plain, 0);
	g_assert_cmpstr(b->body_text, ==, "Only in HTML");
	g_assert_cmpstr(b->alt_words, ==, ""); /* the HTML is the body */

	/* HTML with inline images: the plain text is the body, the image an
	 * inline attachment of the HTML branch. */
	static const char related[] =
	    "Subject: rel\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
	    "--a\nContent-Type: text/plain\n\nSee the logo.\n"
	    "--a\nContent-Type: multipart/related; boundary=\"r\"\n\n"
	    "--r\nContent-Type: text/html\n\n<img src=\"cid:logo@x\"> See the logo.\n"
	    "--r\nContent-Type: image/png\nContent-ID: <logo@x>\n"
	    "Content-Transfer-Encoding: base64\n\naGVsbG8=\n"
	    "--r--\n"
	    "--a--\n";
	g_autoptr(parsed_message) r = parse_ok(related, 0);
	g_assert_cmpstr(r->body_text, ==, "See the logo.");
	g_assert_cmpstr(r->alt_words, ==, "");
	g_assert_cmpuint(r->attachments->len, ==, 1);
	const struct mc_attachment *a = attachment_at(r, 0);
	g_assert_cmpstr(a->part, ==, "2.2");
	g_assert_cmpstr(a->filename, ==, "");
	g_assert_cmpstr(a->mime_type, ==, "image/png");
	g_assert_cmpint(a->size, ==, 5);
	g_autofree char *hello = sha256("hello", 5);
	g_assert_cmpstr(a->sha256, ==, hello);
	g_assert_true(a->is_inline);

	/* Without text/plain the HTML branch is the body; a named image the
	 * HTML does not show is an attachment, inline or not. */
	static const char related_only[] =
	    "Subject: rel\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
	    "--a\nContent-Type: multipart/related; boundary=\"r\"\n\n"
	    "--r\nContent-Type: text/html\n\n<p>Rich only</p>\n"
	    "--r\nContent-Type: image/gif; name=\"x.gif\"\nContent-Disposition: inline\n\nGIF\n"
	    "--r--\n"
	    "--a--\n";
	g_autoptr(parsed_message) ro = parse_ok(related_only, 0);
	g_assert_cmpstr(ro->body_text, ==, "Rich only");
	g_assert_cmpuint(ro->attachments->len, ==, 1);
	g_assert_cmpstr(attachment_at(ro, 0)->part, ==, "1.2");
	g_assert_cmpstr(attachment_at(ro, 0)->filename, ==, "x.gif");
	g_assert_false(attachment_at(ro, 0)->is_inline);
}

/* Words of the HTML alternative that the plain text lacks: once each, in
 * order, compared without case; other scripts and CJK runs too; bounded. */
static void
test_alt_words(void)
{
	static const char words[] =
	    "Subject: alt\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	    "--b1\nContent-Type: text/plain; charset=utf-8\n\nThe offer: Größe 4, 東京.\n"
	    "--b1\nContent-Type: text/html; charset=utf-8\n\n"
	    "<p>The OFFER: gr&ouml;&szlig;e 4, 東京.</p><p>vortaphlex, Vortaphlex again; "
	    "Ελληνικά 大阪 <a href=\"https://x.example/track\">view online</a></p>\n"
	    "--b1--\n";
	g_autoptr(parsed_message) pm = parse_ok(words, 0);
	g_assert_cmpstr(pm->body_text, ==, "The offer: Größe 4, 東京.");
	g_assert_cmpstr(pm->alt_words, ==, "vortaphlex again Ελληνικά 大阪 view online");

	/* A newsletter whose plain text says "see the web version": its HTML
	 * words are kept up to 64 KiB. */
	g_autoptr(GString) raw =
	    g_string_new("Subject: big\nMIME-Version: 1.0\n"
	                 "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
	                 "--b1\nContent-Type: text/plain\n\nSee the web version.\n"
	                 "--b1\nContent-Type: text/html\n\n<p>");
	for (int i = 0; i < 20000; i++)
		g_string_append_printf(raw, "word%d ", i);
	g_string_append(raw, "</p>\n--b1--\n");
	g_autoptr(parsed_message) big = parse_ok(raw->str, 0);
	gsize n = strlen(big->alt_words);
	g_assert_cmpuint(n, <=, 64 * 1024);
	g_assert_cmpuint(n, >, 60 * 1024);
	g_assert_true(g_str_has_prefix(big->alt_words, "word0 word1 word2 "));
	g_assert_true(g_utf8_validate(big->alt_words, -1, NULL));
}

static void
test_attachments(void)
{
	static const char pdf[] = "%PDF-1.4 contract \x00\x01\x02 binary";
	g_autofree char *pdf_b64 = g_base64_encode((const guchar *)pdf, sizeof pdf - 1);
	g_autofree char *raw = g_strdup_printf(
	    "Subject: files\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	    "preamble is not body\n"
	    "--m\nContent-Type: text/plain; charset=utf-8\n\nThe contract is attached.\n"
	    "--m\nContent-Type: Application/PDF; name=\"ignored.pdf\"\n"
	    "Content-Disposition: attachment; filename*=UTF-8''Vertr%%C3%%A4ge%%202024.pdf\n"
	    "Content-Transfer-Encoding: base64\n\n%s\n"
	    "--m\nContent-Type: text/plain; name=\"notes.txt\"\n"
	    "Content-Disposition: inline; filename=\"=?utf-8?q?N=C3=B6tes.txt?=\"\n\n"
	    "attached notes\n"
	    "--m\nContent-Type: text/plain; charset=us-ascii\n\nA footer added by the list.\n"
	    "--m\nContent-Type: application/octet-stream\n"
	    "Content-Disposition: attachment; filename=\"..\\\\evil/../payload.exe\"\n\nMZ\n"
	    "--m\nContent-Type: text/calendar; method=REQUEST\n"
	    "Content-Disposition: attachment\n\nBEGIN:VCALENDAR\n"
	    "--m--\nepilogue is not body\n",
	    pdf_b64);
	g_autoptr(parsed_message) pm = parse_ok(raw, 0);
	assert_sane(pm);

	/* Every inline text part, named or not, in order; then the text of the
	 * text attachments, each after its name (or type); the "PDF" has no
	 * text. */
	g_assert_cmpstr(pm->body_text, ==,
	                "The contract is attached.\n\nattached notes\n\nA footer added by the "
	                "list.\n\n[text/calendar]\nBEGIN:VCALENDAR");
	g_assert_cmpuint(pm->attachments->len, ==, 4);

	const struct mc_attachment *a = attachment_at(pm, 0);
	g_autofree char *pdf_hash = sha256(pdf, sizeof pdf - 1);
	g_assert_cmpstr(a->part, ==, "2");
	g_assert_cmpstr(a->filename, ==, "Verträge 2024.pdf");
	g_assert_cmpstr(a->mime_type, ==, "application/pdf");
	g_assert_cmpint(a->size, ==, sizeof pdf - 1);
	g_assert_cmpstr(a->sha256, ==, pdf_hash);
	g_assert_false(a->is_inline);

	a = attachment_at(pm, 1);
	g_autofree char *notes_hash = sha256("attached notes", 14);
	g_assert_cmpstr(a->part, ==, "3");
	g_assert_cmpstr(a->filename, ==, "Nötes.txt");
	g_assert_cmpstr(a->mime_type, ==, "text/plain");
	g_assert_cmpint(a->size, ==, 14);
	g_assert_cmpstr(a->sha256, ==, notes_hash);
	/* Named: an attachment as well as body text. */
	g_assert_false(a->is_inline);

	/* A file name never carries a path. */
	a = attachment_at(pm, 2);
	g_assert_cmpstr(a->part, ==, "5");
	g_assert_cmpstr(a->filename, ==, "payload.exe");
	g_assert_cmpstr(a->mime_type, ==, "application/octet-stream");
	g_assert_cmpint(a->size, ==, 2);

	a = attachment_at(pm, 3);
	g_assert_cmpstr(a->part, ==, "6");
	g_assert_cmpstr(a->filename, ==, "");
	g_assert_cmpstr(a->mime_type, ==, "text/calendar");
	g_assert_cmpint(a->size, ==, 15);
}

/* Returns a PDF of one page per string of PAGES, each string shown in
 * Helvetica, with the xref offsets computed here. */
static GString *
make_pdf(const char *const *pages, int n)
{
	GPtrArray *objs = g_ptr_array_new_with_free_func(g_free);
	GString *kids = g_string_new(NULL);
	int font = 3 + 2 * n;

	g_ptr_array_add(objs, g_strdup("<< /Type /Catalog /Pages 2 0 R >>"));
	for (int i = 0; i < n; i++)
		g_string_append_printf(kids, "%s%d 0 R", i ? " " : "", 3 + 2 * i);
	g_ptr_array_add(objs,
	                g_strdup_printf("<< /Type /Pages /Kids [%s] /Count %d >>", kids->str, n));
	for (int i = 0; i < n; i++) {
		g_autofree char *content =
		    g_strdup_printf("BT /F1 12 Tf 72 712 Td (%s) Tj ET", pages[i]);
		g_ptr_array_add(objs,
		                g_strdup_printf("<< /Type /Page /Parent 2 0 R "
		                                "/MediaBox [0 0 612 792] /Resources << "
		                                "/Font << /F1 %d 0 R >> >> /Contents %d 0 R >>",
		                                font, 4 + 2 * i));
		g_ptr_array_add(objs, g_strdup_printf("<< /Length %zu >>\nstream\n%s\nendstream",
		                                      strlen(content), content));
	}
	g_ptr_array_add(objs, g_strdup("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));

	GString *pdf = g_string_new("%PDF-1.4\n");
	g_autofree gsize *offsets = g_new(gsize, objs->len);
	for (guint i = 0; i < objs->len; i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%u 0 obj\n%s\nendobj\n", i + 1,
		                       (char *)g_ptr_array_index(objs, i));
	}
	gsize xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %u\n0000000000 65535 f \n", objs->len + 1);
	for (guint i = 0; i < objs->len; i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(pdf,
	                       "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	                       objs->len + 1, xref);
	g_ptr_array_unref(objs);
	g_string_free(kids, TRUE);
	return pdf;
}

/* A message with a text part and one base64 attachment of TYPE and NAME. */
static char *
mail_with_file(const char *type, const char *name, const void *data, gsize len)
{
	g_autofree char *b64 = g_base64_encode(data, len);
	return g_strdup_printf("From: a@b.example\nSubject: file\nMIME-Version: 1.0\n"
	                       "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	                       "--m\nContent-Type: text/plain\n\nThe file is attached.\n"
	                       "--m\nContent-Type: %s; name=\"%s\"\n"
	                       "Content-Disposition: attachment; filename=\"%s\"\n"
	                       "Content-Transfer-Encoding: base64\n\n%s\n--m--\n",
	                       type, name, name, b64);
}

static void
test_attachment_text(void)
{
	/* The body first, whatever the order of the parts; then each text
	 * attachment after a line naming it. */
	g_autoptr(parsed_message) csv =
	    parse_ok("From: a@b.example\nSubject: csv\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/csv; charset=utf-8; name=q2.csv\n"
	             "Content-Disposition: attachment; filename=q2.csv\n\n"
	             "item,amount\r\nzindlewort,12000\r\n"
	             "--m\nContent-Type: text/plain\n\nThe sheet is attached.\n"
	             "--m--\n",
	             0);
	assert_sane(csv);
	g_assert_cmpstr(csv->body_text, ==,
	                "The sheet is attached.\n\n[q2.csv]\nitem,amount\nzindlewort,12000");

	/* Quoted-printable with a soft line break inside a word, in latin-1. */
	g_autoptr(parsed_message) qp =
	    parse_ok("From: a@b.example\nSubject: qp\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nNotes attached.\n"
	             "--m\nContent-Type: text/plain; charset=iso-8859-1\n"
	             "Content-Disposition: attachment; filename=\"notes.txt\"\n"
	             "Content-Transfer-Encoding: quoted-printable\n\n"
	             "Caf=E9 notes: the jibber=\nquay pages.\n"
	             "--m--\n",
	             0);
	g_assert_cmpstr(qp->body_text, ==,
	                "Notes attached.\n\n[notes.txt]\nCafé notes: the jibberquay pages.");

	/* An HTML attachment is read as text, like an HTML body. */
	g_autoptr(parsed_message) html =
	    parse_ok("From: a@b.example\nSubject: h\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nSee the page.\n"
	             "--m\nContent-Type: text/html; name=page.html\n"
	             "Content-Disposition: attachment; filename=page.html\n\n"
	             "<html><style>.x{}</style><p>Tom &amp; Jerry</p></html>\n"
	             "--m--\n",
	             0);
	g_assert_cmpstr(html->body_text, ==, "See the page.\n\n[page.html]\nTom & Jerry");

	/* An image has no text to add. */
	g_autofree char *png = mail_with_file("image/png", "a.png", "\x89PNG\r\n", 6);
	g_autoptr(parsed_message) image = parse_ok(png, 0);
	g_assert_cmpstr(image->body_text, ==, "The file is attached.");
}

static void
test_attachment_text_limits(void)
{
	/* The message's own text fills the body: no attachment text at all. */
	GString *big = g_string_new("From: a@b.example\nSubject: big\nMIME-Version: 1.0\n"
	                            "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	                            "--m\nContent-Type: text/plain\n\n");
	for (int i = 0; i < 30000; i++)
		g_string_append(big, "body text that fills the one megabyte of the body\n");
	g_string_append(big, "--m\nContent-Type: text/plain; name=a.txt\n"
	                     "Content-Disposition: attachment; filename=a.txt\n\n"
	                     "attachedwordzz\n--m--\n");
	g_autoptr(parsed_message) full = parse_ok(big->str, 0);
	assert_sane(full);
	g_assert_cmpuint(strlen(full->body_text), ==, 1024 * 1024);
	g_assert_null(strstr(full->body_text, "attachedwordzz"));
	g_string_free(big, TRUE);

	/* A 3 MB text attachment: the body's own text whole, then the
	 * attachment up to the 1 MB cap. */
	GString *file = g_string_new(NULL);
	for (int i = 0; i < 60000; i++)
		g_string_append(file, "a line of a large log file, line after line\n");
	g_autofree char *raw = mail_with_file("text/plain", "log.txt", file->str, file->len);
	g_string_free(file, TRUE);
	g_autoptr(parsed_message) log = parse_ok(raw, 0);
	assert_sane(log);
	g_assert_true(
	    g_str_has_prefix(log->body_text, "The file is attached.\n\n[log.txt]\na line of"));
	g_assert_cmpuint(strlen(log->body_text), ==, 1024 * 1024);

	/* 5 MB of UTF-8 on one line: the read stops between characters, so
	 * the text stays UTF-8 (a broken last character would have made all of
	 * it windows-1252). */
	GString *line = g_string_new(NULL);
	for (int i = 0; i < 1700000; i++)
		g_string_append(line, "€");
	g_autofree char *wide =
	    mail_with_file("text/plain; charset=utf-8", "line.txt", line->str, line->len);
	g_string_free(line, TRUE);
	g_autoptr(parsed_message) one = parse_ok(wide, 0);
	assert_sane(one);
	g_assert_true(g_str_has_prefix(one->body_text, "The file is attached.\n\n[line.txt]\n€€"));
	g_assert_null(strstr(one->body_text, "â"));
}

static void
test_attachment_pdf(void)
{
	static const char *const pages[] = { "Hello zorbleflux", "Page two says quillofrax" };
	g_autoptr(GString) pdf = make_pdf(pages, G_N_ELEMENTS(pages));
	g_autofree char *raw = mail_with_file("application/pdf", "hello.pdf", pdf->str, pdf->len);
	g_autoptr(parsed_message) pm = parse_ok(raw, 0);
	assert_sane(pm);
	g_assert_cmpuint(pm->attachments->len, ==, 1);
	g_assert_cmpint(attachment_at(pm, 0)->size, ==, pdf->len);

	/* Truncated, or garbage after a PDF header: no text, no crash, the
	 * body as it was. */
	for (gsize cut = 0; cut < pdf->len; cut += 37) {
		g_autofree char *part = mail_with_file("application/pdf", "cut.pdf", pdf->str, cut);
		g_autoptr(parsed_message) broken = parse_ok(part, 0);
		assert_sane(broken);
		g_assert_true(g_str_has_prefix(broken->body_text, "The file is attached."));
	}
	g_autoptr(GString) junk = g_string_new("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R");
	for (int i = 0; i < 5000; i++)
		g_string_append_c(junk, (char)((i * 2654435761u) >> 11));
	g_autofree char *junk_mail =
	    mail_with_file("application/pdf", "junk.pdf", junk->str, junk->len);
	g_autoptr(parsed_message) garbage = parse_ok(junk_mail, 0);
	assert_sane(garbage);
	g_assert_cmpstr(garbage->body_text, ==, "The file is attached.");

	if (!HAVE_POPPLER_TEST) {
		g_assert_cmpstr(pm->body_text, ==, "The file is attached.");
		g_test_skip("built without poppler-glib: no PDF text");
		return;
	}
	/* Every page, in order, after the body. */
	g_assert_cmpstr(pm->body_text, ==,
	                "The file is attached.\n\n[hello.pdf]\nHello zorbleflux\n\n"
	                "Page two says quillofrax");

	/* application/octet-stream named *.PDF is a PDF too. */
	g_autofree char *octet =
	    mail_with_file("application/octet-stream", "SCAN.PDF", pdf->str, pdf->len);
	g_autoptr(parsed_message) scan = parse_ok(octet, 0);
	g_assert_nonnull(strstr(scan->body_text, "[SCAN.PDF]\nHello zorbleflux"));
	/* ...but not any octet-stream. */
	g_autofree char *bin =
	    mail_with_file("application/octet-stream", "hello.bin", pdf->str, pdf->len);
	g_autoptr(parsed_message) other = parse_ok(bin, 0);
	g_assert_cmpstr(other->body_text, ==, "The file is attached.");
}

/* A page of LINES lines of eight words (a string for make_pdf()), laid
 * over one another 70 rows deep: poppler's layout of such a page costs
 * more than its text grows. */
static char *
crowded_page(int lines)
{
	static const char *const words[] = { "alpha",   "bravo", "charlie", "delta", "echo",
		                             "foxtrot", "golf",  "hotel",   "india", "juliet" };
	GString *s = g_string_new("crowded");
	for (int k = 0; k < lines; k++) {
		g_string_append_printf(s, ") Tj 1 0 0 1 20 %d Tm (", 700 - (k % 70) * 10);
		for (int j = 0; j < 8; j++)
			g_string_append_printf(s, "%s ", words[(k + j) % 10]);
		g_string_append_printf(s, "%d", k);
	}
	return g_string_free(s, FALSE);
}

/* The only problem PM has. */
static const char *
only_problem(const struct parsed_message *pm)
{
	g_assert_nonnull(pm->problems);
	g_assert_cmpuint(pm->problems->len, ==, 1);
	return g_ptr_array_index(pm->problems, 0);
}

/* A message with a PDF of N PAGES named NAME, parsed. */
static struct parsed_message *
parse_pdf_mail(const char *name, const char *const *pages, int n)
{
	g_autoptr(GString) pdf = make_pdf(pages, n);
	g_autofree char *raw = mail_with_file("application/pdf", name, pdf->str, pdf->len);
	return parse_ok(raw, 0);
}

/* What reading one PDF costs is bounded: the reader process is killed over
 * PDF_MAX_MEMORY or PDF_MAX_CPU_SECONDS, or when it crashes, and the text
 * of the pages it read before is kept; the message says what was lost. */
static void
test_attachment_pdf_limits(void)
{
	if (!HAVE_POPPLER_TEST) {
		g_test_skip("built without poppler-glib: no PDF text");
		return;
	}
	/* 20,000 lines on one page: 426 MB and 8.5 s when nothing bounded it. */
	g_autofree char *crowded = crowded_page(20000);
	const char *const memory_pages[] = { "Before the crowd: vexillant", crowded,
		                             "After it: zumbrolic" };
	g_autoptr(parsed_message) memory = parse_pdf_mail("crowded.pdf", memory_pages, 3);
	g_assert_cmpstr(memory->body_text, ==,
	                "The file is attached.\n\n[crowded.pdf]\nBefore the crowd: vexillant");
	g_assert_cmpstr(only_problem(memory), ==,
	                "attachment 2 (crowded.pdf): PDF text read from 1 of 3 pages: the PDF "
	                "reader needed more than 128 MB of memory");

	/* CPU, with the test hook's limit of 50 ms (and no memory limit to
	 * speak of): 10,000 lines take seconds. 2,000 took under 50 ms in a
	 * release build. */
	g_autofree char *busy = crowded_page(10000);
	const char *const cpu_pages[] = { busy, "never read" };
	/* A reader started for it first (the one before was stopped), outside
	 * the limit: starting one, poppler loaded, took more than 50 ms of CPU
	 * in the sanitizer build on a busy machine. */
	const char *const warm_pages[] = { "Warm-up page: quillwort" };
	g_autoptr(parsed_message) warm = parse_pdf_mail("warm.pdf", warm_pages, 1);
	g_assert_cmpstr(warm->body_text, ==,
	                "The file is attached.\n\n[warm.pdf]\nWarm-up page: quillwort");
	g_setenv("MAILCLERK_TEST_PDF_LIMITS", "4096,50", TRUE);
	g_autoptr(parsed_message) cpu = parse_pdf_mail("busy.pdf", cpu_pages, 2);
	g_unsetenv("MAILCLERK_TEST_PDF_LIMITS");
	g_assert_cmpstr(cpu->body_text, ==, "The file is attached.");
	g_assert_cmpstr(only_problem(cpu), ==,
	                "attachment 2 (busy.pdf): PDF text read from 0 of 2 pages: the PDF "
	                "reader took more than 0.05 s of CPU");

	/* A crash (main() set the hook's marker) on the second page. */
	const char *const crash_pages[] = { "Intact first page: plumbago", "pdfcrashmarker" };
	g_autoptr(parsed_message) crash = parse_pdf_mail("crash.pdf", crash_pages, 2);
	g_assert_cmpstr(crash->body_text, ==,
	                "The file is attached.\n\n[crash.pdf]\nIntact first page: plumbago");
	g_assert_cmpstr(only_problem(crash), ==,
	                "attachment 2 (crash.pdf): PDF text read from 1 of 2 pages: the PDF "
	                "reader crashed (Aborted)");

	/* The next PDF is read whole by a new reader, with no problem. */
	const char *const fine_pages[] = { "Fine again: quorbitant", "and its second page" };
	g_autoptr(parsed_message) fine = parse_pdf_mail("fine.pdf", fine_pages, 2);
	g_assert_cmpstr(fine->body_text, ==,
	                "The file is attached.\n\n[fine.pdf]\nFine again: quorbitant\n\n"
	                "and its second page");
	g_assert_true(!fine->problems || fine->problems->len == 0);
}

static gpointer
pdf_thread(gpointer data)
{
	const char *raw = data;
	for (int i = 0; i < 50; i++) {
		g_autoptr(parsed_message) pm = parse_ok(raw, 0);
		if (!strstr(pm->body_text, "quillofrax"))
			return GINT_TO_POINTER(1);
	}
	return GINT_TO_POINTER(0);
}

/* Parse workers read PDFs at the same time, each with its own document. */
static void
test_attachment_pdf_threads(void)
{
	if (!HAVE_POPPLER_TEST) {
		g_test_skip("built without poppler-glib: no PDF text");
		return;
	}
	static const char *const pages[] = { "Threads read quillofrax" };
	g_autoptr(GString) pdf = make_pdf(pages, 1);
	g_autofree char *raw = mail_with_file("application/pdf", "t.pdf", pdf->str, pdf->len);
	GThread *threads[4];
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("pdf", pdf_thread, raw);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(threads[i])), ==, 0);
	/* Their readers died with them, and this thread's lives: all reaped. */
	pdf_readers_stop();
	errno = 0;
	g_assert_cmpint(waitpid(-1, NULL, WNOHANG), ==, -1);
	g_assert_cmpint(errno, ==, ECHILD);
}

static void
test_single_part_attachment(void)
{
	/* A message whose whole body is a file: part "1". */
	g_autoptr(parsed_message) pm =
	    parse_ok("Subject: scan\nMIME-Version: 1.0\nContent-Type: image/jpeg\n"
	             "Content-Disposition: attachment; filename=scan.jpg\n"
	             "Content-Transfer-Encoding: base64\n\n/9j/4AAQ\n",
	             0);
	g_assert_cmpstr(pm->body_text, ==, "");
	g_assert_cmpuint(pm->attachments->len, ==, 1);
	g_assert_cmpstr(attachment_at(pm, 0)->part, ==, "1");
	g_assert_cmpstr(attachment_at(pm, 0)->filename, ==, "scan.jpg");
	g_assert_cmpint(attachment_at(pm, 0)->size, ==, 6);
}

static void
test_forwarded(void)
{
	static const char raw[] =
	    "Subject: Fwd: Contract\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"o\"\n\n"
	    "--o\nContent-Type: text/plain\n\nSee below.\n"
	    "--o\nContent-Type: message/rfc822\n\n"
	    "From: Ann <ann@acme.example>\nTo: bob@acme.example\n"
	    "Subject: =?utf-8?q?Contract_sign=C3=A9d?=\nDate: Mon, 1 Jan 2024 09:00:00 +0000\n"
	    "Message-ID: <inner@acme.example>\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"i\"\n\n"
	    "--i\nContent-Type: text/plain\n\nInner text.\n"
	    "--i\nContent-Type: application/pdf; name=inner.pdf\n\nPDF\n"
	    "--i--\n"
	    "--o\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n"
	    "From: c@d.example\nSubject: second\n"
	    "Content-Type: application/zip\nContent-Disposition: attachment; filename=a.zip\n\n"
	    "PK\n"
	    "--o--\n";
	g_autoptr(parsed_message) pm = parse_ok(raw, 0);
	assert_sane(pm);
	g_assert_cmpstr(pm->message_id, !=, "inner@acme.example");
	g_assert_cmpstr(pm->subject, ==, "Fwd: Contract");
	g_assert_cmpstr(pm->body_text, ==,
	                "See below.\n\n"
	                "From: Ann <ann@acme.example>\nTo: bob@acme.example\n"
	                "Subject: Contract signéd\nDate: Mon, 1 Jan 2024 09:00:00 +0000\n\n"
	                "Inner text.\n\n"
	                "From: c@d.example\nSubject: second");
	/* The inner messages' attachments, with nested part paths; only the
	 * outer message's addresses. */
	g_assert_cmpuint(pm->attachments->len, ==, 2);
	g_assert_cmpstr(attachment_at(pm, 0)->part, ==, "2.2");
	g_assert_cmpstr(attachment_at(pm, 0)->filename, ==, "inner.pdf");
	g_assert_cmpstr(attachment_at(pm, 1)->part, ==, "3.1");
	g_assert_cmpstr(attachment_at(pm, 1)->filename, ==, "a.zip");
	g_assert_cmpstr(attachment_at(pm, 1)->mime_type, ==, "application/zip");
	g_assert_cmpuint(pm->addresses->len, ==, 0);
}

/* PM's attachments as "part name type" lines, each with "hidden" when it
 * is no attachment by the rule (listed only with --include-inline). */
static char *
listing(const struct parsed_message *pm)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < pm->attachments->len; i++) {
		const struct mc_attachment *a = attachment_at(pm, i);
		g_string_append_printf(out, "%s %s %s%s\n", a->part,
		                       *a->filename ? a->filename : "-", a->mime_type,
		                       a->is_inline ? " hidden" : "");
	}
	return g_string_free(out, FALSE);
}

static void
test_signed_encrypted(void)
{
	/* PGP/MIME signed: the signature is listed hidden, never an attachment. */
	g_autoptr(parsed_message) s =
	    parse_ok("Subject: signed\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; "
	             "micalg=pgp-sha256; boundary=\"s\"\n\n"
	             "--s\nContent-Type: text/plain\n\nSigned words.\n"
	             "--s\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n"
	             "Content-Disposition: attachment; filename=\"signature.asc\"\n\n"
	             "-----BEGIN PGP SIGNATURE-----\n"
	             "--s--\n",
	             0);
	g_assert_cmpstr(s->body_text, ==, "Signed words.");
	g_autofree char *sl = listing(s);
	g_assert_cmpstr(sl, ==, "2 signature.asc application/pgp-signature hidden\n");

	/* S/MIME signed (the old x- type too), with a real file inside: the
	 * file is an attachment, the signature is not. */
	g_autoptr(parsed_message) sm =
	    parse_ok("Subject: smime\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/signed; protocol=\"application/x-pkcs7-signature\"; "
	             "micalg=sha-256; boundary=\"s\"\n\n"
	             "--s\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nSee the file.\n"
	             "--m\nContent-Type: application/pdf; name=q.pdf\n\n%PDF-1.4\n"
	             "--m--\n"
	             "--s\nContent-Type: application/x-pkcs7-signature; name=smime.p7s\n"
	             "Content-Disposition: attachment; filename=smime.p7s\n\nMIIG\n"
	             "--s--\n",
	             0);
	g_autofree char *sml = listing(sm);
	g_assert_cmpstr(
	    sml, ==,
	    "1.2 q.pdf application/pdf\n2 smime.p7s application/x-pkcs7-signature hidden\n");

	/* PGP/MIME encrypted: both parts hidden, no text. GMime makes every
	 * multipart/encrypted a GMimeMultipartEncrypted, so a missing or wrong
	 * protocol parameter changes nothing. */
	static const char *const protocols[] = { "; protocol=\"application/pgp-encrypted\"", "",
		                                 "; protocol=\"application/x-bogus\"" };
	for (guint i = 0; i < G_N_ELEMENTS(protocols); i++) {
		g_autofree char *raw = g_strdup_printf(
		    "Subject: secret\nMIME-Version: 1.0\n"
		    "Content-Type: multipart/encrypted%s; boundary=\"e\"\n\n"
		    "--e\nContent-Type: application/pgp-encrypted\n"
		    "Content-Description: PGP/MIME version identification\n\nVersion: 1\n"
		    "--e\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\n"
		    "Content-Disposition: inline; filename=\"encrypted.asc\"\n\n"
		    "-----BEGIN PGP MESSAGE-----\n"
		    "--e--\n",
		    protocols[i]);
		g_autoptr(parsed_message) e = parse_ok(raw, 0);
		g_assert_cmpstr(e->body_text, ==, "");
		g_autofree char *el = listing(e);
		g_assert_cmpstr(el, ==,
		                "1 - application/pgp-encrypted hidden\n"
		                "2 encrypted.asc application/octet-stream hidden\n");
	}

	/* An S/MIME message is its whole body; a .p7m inside a multipart (a
	 * signed invoice) is a file. */
	g_autoptr(parsed_message) env = parse_ok(
	    "Subject: enveloped\nMIME-Version: 1.0\n"
	    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; "
	    "name=smime.p7m\nContent-Disposition: attachment; filename=smime.p7m\n\nMIIB\n",
	    0);
	g_autofree char *envl = listing(env);
	g_assert_cmpstr(envl, ==, "1 smime.p7m application/pkcs7-mime hidden\n");
	g_autoptr(parsed_message) inv =
	    parse_ok("Subject: invoice\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nInvoice.\n"
	             "--m\nContent-Type: application/pkcs7-mime; name=IT0001.xml.p7m\n\nMIIB\n"
	             "--m--\n",
	             0);
	g_autofree char *invl = listing(inv);
	g_assert_cmpstr(invl, ==, "2 IT0001.xml.p7m application/pkcs7-mime\n");
}

/* The rule of what an attachment is (ingest/parse.h), shape by shape. */
static void
test_attachment_rule(void)
{
	/* Apple Mail: a named PDF, a patch, a photo and an HTML page sent
	 * inline are attachments; the named inline text parts are also read as
	 * the message, in order. */
	g_autoptr(parsed_message) apple =
	    parse_ok("Subject: inline files\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nHere they are.\n"
	             "--m\nContent-Type: application/pdf; name=contract-signed.pdf\n"
	             "Content-Disposition: inline; filename=contract-signed.pdf\n"
	             "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
	             "--m\nContent-Type: text/x-patch; charset=us-ascii; name=0001-fix.patch\n"
	             "Content-Disposition: inline; filename=0001-fix.patch\n\n"
	             "--- a/x.c\n+++ b/x.c\n"
	             "--m\nContent-Type: image/jpeg; name=IMG_0042.jpg\n"
	             "Content-Disposition: inline; filename=IMG_0042.jpg\n"
	             "Content-ID: <photo@apple>\n\n\xff\xd8\n"
	             "--m\nContent-Type: text/html; name=test.html\n"
	             "Content-Disposition: inline; filename*=utf-8''t%65st.html\n\n"
	             "<p>Page <b>text</b></p>\n"
	             "--m\nContent-Type: text/plain\n\nRegards.\n"
	             "--m--\n",
	             0);
	g_autofree char *al = listing(apple);
	g_assert_cmpstr(al, ==,
	                "2 contract-signed.pdf application/pdf\n"
	                "3 0001-fix.patch text/x-patch\n"
	                "4 IMG_0042.jpg image/jpeg\n"
	                "5 test.html text/html\n");
	g_assert_cmpstr(apple->body_text, ==,
	                "Here they are.\n\n--- a/x.c\n+++ b/x.c\n\nPage text\n\nRegards.");

	/* A newsletter: the images its HTML shows by cid: (quoted, %-escaped,
	 * any case) are no attachments, named or not; an image it does not show
	 * and the PDF beside it are. */
	static const char news_raw[] =
	    "Subject: news\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	    "--m\nContent-Type: multipart/related; boundary=\"r\"; "
	    "type=\"multipart/alternative\"\n\n"
	    "--r\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
	    "--a\nContent-Type: text/plain\n\nNews.\n"
	    "--a\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
	    "<img src=3D\"cid:Logo@News\"><img src=3D'CID:hero%40news'>\n"
	    "<div style=3D\"background:url(cid:bg@news)\">News.</div>\n"
	    "--a--\n"
	    "--r\nContent-Type: image/png; name=logo.png\nContent-ID: <logo@news>\n"
	    "Content-Disposition: inline; filename=logo.png\n\nPNG\n"
	    "--r\nContent-Type: image/jpeg\nContent-ID: <hero@news>\n\nJPG\n"
	    "--r\nContent-Type: image/gif\nContent-ID: <bg@news>\n\nGIF\n"
	    "--r\nContent-Type: image/png; name=unused.png\nContent-ID: <unused@news>\n\nPNG\n"
	    "--r--\n"
	    "--m\nContent-Type: application/pdf; name=report.pdf\n"
	    "Content-Disposition: attachment; filename=report.pdf\n\n%PDF-1.4\n"
	    "--m--\n";
	g_autoptr(parsed_message) news = parse_ok(news_raw, 0);
	g_autofree char *nl = listing(news);
	g_assert_cmpstr(nl, ==,
	                "1.2 logo.png image/png hidden\n"
	                "1.3 - image/jpeg hidden\n"
	                "1.4 - image/gif hidden\n"
	                "1.5 unused.png image/png\n"
	                "2 report.pdf application/pdf\n");
	g_assert_cmpstr(news->body_text, ==, "News.");
	/* The same image outside a multipart/related is a file. */
	g_autoptr(parsed_message) mixed =
	    parse_ok("Subject: mixed\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/html\n\n<img src=\"cid:logo@news\">\n"
	             "--m\nContent-Type: image/png; name=logo.png\nContent-ID: <logo@news>\n\nPNG\n"
	             "--m--\n",
	             0);
	g_autofree char *ml = listing(mixed);
	g_assert_cmpstr(ml, ==, "2 logo.png image/png\n");

	/* A bounce: the delivery status and the returned headers are read as
	 * the message and listed hidden; the returned message is walked. */
	g_autoptr(parsed_message) bounce = parse_ok(
	    "Subject: Undelivered Mail\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
	    "--b\nContent-Type: text/plain\n\nYour message could not be delivered.\n"
	    "--b\nContent-Type: message/delivery-status\n\n"
	    "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; gone@x.example\n"
	    "Action: failed\nStatus: 5.1.1\n"
	    "--b\nContent-Type: message/rfc822\n\n"
	    "From: me@x.example\nSubject: hello\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=\"i\"\n\n"
	    "--i\nContent-Type: text/plain\n\nHello.\n"
	    "--i\nContent-Type: application/zip; name=files.zip\n\nPK\n"
	    "--i--\n"
	    "--b\nContent-Type: text/rfc822-headers; name=headers.txt\n\n"
	    "Subject: hello\n"
	    "--b--\n",
	    0);
	g_autofree char *bl = listing(bounce);
	g_assert_cmpstr(bl, ==,
	                "2 - message/delivery-status hidden\n"
	                "3.2 files.zip application/zip\n"
	                "4 headers.txt text/rfc822-headers hidden\n");
	g_assert_cmpstr(
	    bounce->body_text, ==,
	    "Your message could not be delivered.\n\n"
	    "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; gone@x.example\n"
	    "Action: failed\nStatus: 5.1.1\n\n"
	    "From: me@x.example\nSubject: hello\n\nHello.\n\nSubject: hello");

	/* Nameless parts: a nameless attachment disposition, and any nameless
	 * part that is not text, are files; nameless inline text is only the
	 * message. */
	g_autoptr(parsed_message) nameless =
	    parse_ok("Subject: nameless\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nBody.\n"
	             "--m\nContent-Type: text/plain\nContent-Disposition: attachment\n\nA log.\n"
	             "--m\nContent-Type: application/pdf\n\n%PDF-1.4\n"
	             "--m\nContent-Type: image/png\nContent-Disposition: inline\n\nPNG\n"
	             "--m\nContent-Type: text/plain\nContent-Disposition: inline\n\nMore body.\n"
	             "--m--\n",
	             0);
	g_autofree char *nnl = listing(nameless);
	g_assert_cmpstr(nnl, ==, "2 - text/plain\n3 - application/pdf\n4 - image/png\n");
	g_assert_cmpstr(nameless->body_text, ==, "Body.\n\nMore body.\n\n[text/plain]\nA log.");

	/* A message/external-body names a file it does not hold. */
	g_autoptr(parsed_message) ext =
	    parse_ok("Subject: ext\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nAnnounced.\n"
	             "--m\nContent-Type: message/external-body; access-type=\"anon-ftp\";\n"
	             " name=\"draft.txt\"; site=\"ftp.example\"\n\n"
	             "Content-Type: text/plain\n\n"
	             "--m--\n",
	             0);
	g_autofree char *extl = listing(ext);
	g_assert_cmpstr(extl, ==, "2 draft.txt message/external-body hidden\n");

	/* A named text/plain chosen as the body of an alternative: read once,
	 * listed as a file. */
	g_autoptr(parsed_message) alt =
	    parse_ok("Subject: alt\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/alternative; boundary=\"a\"\n\n"
	             "--a\nContent-Type: text/plain; name=note.txt\n\nPlain note.\n"
	             "--a\nContent-Type: text/html\n\n<p>HTML note.</p>\n"
	             "--a--\n",
	             0);
	g_autofree char *altl = listing(alt);
	g_assert_cmpstr(altl, ==, "1 note.txt text/plain\n");
	g_assert_cmpstr(alt->body_text, ==, "Plain note.");

	/* Saving reads every listed part by its path, hidden ones too. */
	static const char *const parts[] = { "2", "3", "4", "5" };
	static const char *const want[] = { "%PDF-1.4\n", "--- a/x.c\n+++ b/x.c", "\xff\xd8",
		                            "<p>Page <b>text</b></p>" };
	g_autofree char *raw =
	    g_strdup("Subject: inline files\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
	             "--m\nContent-Type: text/plain\n\nHere they are.\n"
	             "--m\nContent-Type: application/pdf; name=contract-signed.pdf\n"
	             "Content-Disposition: inline; filename=contract-signed.pdf\n"
	             "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
	             "--m\nContent-Type: text/x-patch; name=0001-fix.patch\n"
	             "Content-Disposition: inline; filename=0001-fix.patch\n\n"
	             "--- a/x.c\n+++ b/x.c\n"
	             "--m\nContent-Type: image/jpeg; name=IMG_0042.jpg\n"
	             "Content-Disposition: inline; filename=IMG_0042.jpg\n\n\xff\xd8\n"
	             "--m\nContent-Type: text/html; name=test.html\n\n<p>Page <b>text</b></p>\n"
	             "--m--\n");
	for (guint i = 0; i < G_N_ELEMENTS(parts); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) b = parse_attachment_bytes(raw, strlen(raw), parts[i], &error);
		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), want[i],
		                strlen(want[i]));
	}
	g_autoptr(GError) error = NULL;
	g_assert_null(parse_attachment_bytes(raw, strlen(raw), "1", &error));
	g_assert_error(error, PARSE_ERROR, PARSE_ERROR_FAILED);
	g_autoptr(GError) error2 = NULL;
	g_autoptr(GBytes) hidden =
	    parse_attachment_bytes(news_raw, sizeof news_raw - 1, "1.3", &error2);
	g_assert_no_error(error2);
	g_assert_cmpmem(g_bytes_get_data(hidden, NULL), g_bytes_get_size(hidden), "JPG", 3);
}

static char *
nested_mail(int depth)
{
	GString *s = g_string_new("Subject: deep\nMIME-Version: 1.0\n");
	for (int i = 0; i < depth; i++)
		g_string_append_printf(
		    s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
	g_string_append(s, "Content-Type: text/plain\n\ndeep text\n");
	for (int i = depth - 1; i >= 0; i--)
		g_string_append_printf(s, "--b%d--\n", i);
	return g_string_free(s, FALSE);
}

static void
test_nesting(void)
{
	g_autofree char *fifty = nested_mail(50);
	g_autoptr(parsed_message) pm = parse_ok(fifty, 0);
	g_assert_cmpstr(pm->body_text, ==, "deep text");

	/* Far deeper than any mail: parsed, walked only so far, no crash. */
	g_autofree char *deep = nested_mail(5000);
	g_autoptr(parsed_message) d = parse_ok(deep, 0);
	assert_sane(d);
	g_assert_cmpstr(d->subject, ==, "deep");
	g_assert_cmpstr(d->body_text, ==, "");
	/* ...and said: a sender could hide a file down there. */
	g_assert_cmpstr(only_problem(d), ==, "parts nested over 64 levels deep not read");
	g_assert_null(pm->problems);

	/* Forwarded inside forwarded, 200 times. */
	GString *s = g_string_new("Subject: fwd\n");
	for (int i = 0; i < 200; i++)
		g_string_append(s, "Content-Type: message/rfc822\n\nSubject: inner\n");
	g_string_append(s, "\nbottom\n");
	g_autoptr(parsed_message) f = parse_ok(s->str, 0);
	assert_sane(f);
	g_string_free(s, TRUE);
}

static void
test_limits(void)
{
	/* Body text stops at 1 MiB, on a character boundary. */
	GString *s = g_string_new("Subject: big\nContent-Type: text/plain; charset=utf-8\n\n");
	for (int i = 0; i < 700000; i++)
		g_string_append(s, "é ");
	g_autoptr(parsed_message) big = parse_ok(s->str, 0);
	assert_sane(big);
	g_assert_cmpuint(strlen(big->body_text), ==, 1024 * 1024 - 1);

	/* At most 1000 attachments. */
	g_string_assign(s, "Subject: many\nContent-Type: multipart/mixed; boundary=x\n\n");
	for (int i = 0; i < 1200; i++)
		g_string_append(s, "--x\nContent-Type: application/octet-stream\n\nz\n");
	g_string_append(s, "--x--\n");
	g_autoptr(parsed_message) many = parse_ok(s->str, 0);
	g_assert_cmpuint(many->attachments->len, ==, 1000);
	g_assert_cmpstr(attachment_at(many, 999)->part, ==, "1000");
	g_assert_cmpstr(only_problem(many), ==, "parts past the first 1000 not listed");

	/* At most 100 References: the root and the 99 nearest. */
	g_string_assign(s, "Subject: refs\nReferences:");
	for (int i = 0; i < 300; i++)
		g_string_append_printf(s, " <r%d@x>", i);
	g_string_append(s, "\n\n");
	g_autoptr(parsed_message) refs = parse_ok(s->str, 0);
	g_assert_cmpuint(refs->references->len, ==, 100);
	g_assert_cmpstr(g_ptr_array_index(refs->references, 0), ==, "r0@x");
	g_assert_cmpstr(g_ptr_array_index(refs->references, 1), ==, "r201@x");
	g_assert_cmpstr(g_ptr_array_index(refs->references, 99), ==, "r299@x");

	/* A huge To list stays linear (a quadratic duplicate check would take
	 * minutes) and keeps every distinct address once. */
	g_string_assign(s, "Subject: list\nTo: ");
	for (int i = 0; i < 40000; i++)
		g_string_append_printf(s, "u%d@x.example, ", i);
	g_string_append(s, "U7@X.example\n\n");
	gint64 start = g_get_monotonic_time();
	g_autoptr(parsed_message) list = parse_ok(s->str, 0);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 10 * G_USEC_PER_SEC);
	g_assert_cmpuint(list->addresses->len, ==, 40000);
	g_string_free(s, TRUE);
}

/* parse_attachment_bytes(): the decoded part by the path the listing gave,
 * inside a forwarded message too; a clear error otherwise. */
static void
test_attachment_bytes(void)
{
	static const char msg[] =
	    "From: a@x.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=a.bin\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nAAEC/w==\r\n"
	    "--b\r\nContent-Type: message/rfc822\r\n\r\n"
	    "From: b@x.example\r\nSubject: inner\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=c\r\n\r\n"
	    "--c\r\nContent-Type: text/plain\r\n\r\ninner body\r\n"
	    "--c\r\nContent-Type: text/csv; name=t.csv\r\n"
	    "Content-Disposition: attachment; filename=t.csv\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\na=3Db\r\n--c--\r\n"
	    "--b--\r\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(parsed_message) pm = parse_message(msg, sizeof msg - 1, 0, PARSE_DEFAULT, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(pm->attachments->len, ==, 2);
	const struct mc_attachment *a = g_ptr_array_index(pm->attachments, 0);
	const struct mc_attachment *t = g_ptr_array_index(pm->attachments, 1);
	g_assert_cmpstr(a->part, ==, "2");
	g_assert_cmpstr(t->part, ==, "3.2");

	g_autoptr(GBytes) bin = parse_attachment_bytes(msg, sizeof msg - 1, a->part, &error);
	g_assert_no_error(error);
	static const guint8 want[] = { 0, 1, 2, 255 };
	g_assert_cmpmem(g_bytes_get_data(bin, NULL), g_bytes_get_size(bin), want, sizeof want);
	g_autoptr(GBytes) csv = parse_attachment_bytes(msg, sizeof msg - 1, t->part, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(csv, NULL), g_bytes_get_size(csv), "a=b", 3);

	g_assert_null(parse_attachment_bytes(msg, sizeof msg - 1, "1", &error));
	g_assert_error(error, PARSE_ERROR, PARSE_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "the message has no attachment part 1");
	g_clear_error(&error);
	g_assert_null(parse_attachment_bytes("", 0, "2", &error));
	g_assert_error(error, PARSE_ERROR, PARSE_ERROR_NOT_MAIL);
}

int
main(int argc, char **argv)
{
	/* The PDF reader pdf_text() starts is this program again. */
	int reader_status = pdf_reader_main(argc, argv);
	if (reader_status >= 0)
		return reader_status;
	/* Before any reader starts, so that each inherits it. */
	g_setenv("MAILCLERK_TEST_PDF_CRASH", "pdfcrashmarker", TRUE);
	g_test_init(&argc, &argv, NULL);
	parse_init();
	g_test_add_func("/parse/alternative", test_alternative);
	g_test_add_func("/parse/alt-words", test_alt_words);
	g_test_add_func("/parse/attachments", test_attachments);
	g_test_add_func("/parse/single-part-attachment", test_single_part_attachment);
	g_test_add_func("/parse/attachment-text", test_attachment_text);
	g_test_add_func("/parse/attachment-text-limits", test_attachment_text_limits);
	g_test_add_func("/parse/attachment-pdf", test_attachment_pdf);
	g_test_add_func("/parse/attachment-pdf-threads", test_attachment_pdf_threads);
	g_test_add_func("/parse/attachment-pdf-limits", test_attachment_pdf_limits);
	g_test_add_func("/parse/forwarded", test_forwarded);
	g_test_add_func("/parse/signed-encrypted", test_signed_encrypted);
	g_test_add_func("/parse/attachment-rule", test_attachment_rule);
	g_test_add_func("/parse/nesting", test_nesting);
	g_test_add_func("/parse/limits", test_limits);
	g_test_add_func("/parse/attachment-bytes", test_attachment_bytes);
	return g_test_run();
}
