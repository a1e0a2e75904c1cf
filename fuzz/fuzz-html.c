/* Fuzz target: HTML to text (ingest/html.c), the input as an HTML body.
 *
 * parse.c gives html_to_text() valid UTF-8, so the input is made valid
 * first. Besides crashes it checks that the text is valid UTF-8. */
#include "config.h"

#include "fuzz/fuzz.h"
#include "ingest/html.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *html = g_utf8_make_valid((const char *)data, (gssize)size);
	g_autofree char *text = html_to_text(html, -1);
	if (!text)
		fuzz_fail("html_to_text() returned NULL");
	fuzz_check_utf8("html_to_text()", text);
	return 0;
}
