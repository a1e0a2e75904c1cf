/* Fuzz target: file-name cleaning and templates (common/filename.c).
 *
 * The input is up to nine fields separated by NUL bytes: an attachment's
 * name, its MIME type, an attachment_name template, the subject, the
 * sender, the client, the project, the date and a number for
 * filename_numbered(). Besides crashes it checks every name made against
 * what filename.h promises: one component, no controls or bidirectional
 * formatting, valid UTF-8, NFC, nothing leading or trailing that hides
 * it, at most FILENAME_MAX_BYTES. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "common/error.h"
#include "common/filename.h"

#define SHA256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

/* The characters filename.h says a name never holds: controls (C0, DEL,
 * C1) and bidirectional formatting. */
static gboolean
unwanted(gunichar c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       c == 0xfeff || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

static void
check_name(const char *what, const char *name)
{
	if (!name || !*name || g_str_equal(name, ".") || g_str_equal(name, ".."))
		fuzz_fail("%s made the name '%s'", what, name ? name : "(null)");
	if (strlen(name) > FILENAME_MAX_BYTES)
		fuzz_fail("%s made a name of %zu bytes: %s", what, strlen(name), name);
	fuzz_check_utf8(what, name);
	for (const char *p = name; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '/' || c == '\\' || unwanted(c))
			fuzz_fail("%s made a name with U+%04X at byte %td: %s", what, c, p - name,
			          name);
	}
	gunichar first = g_utf8_get_char(name);
	if (first == '.' || first == '-' || g_unichar_isspace(first))
		fuzz_fail("%s made a name starting with U+%04X: %s", what, first, name);
	gunichar last = g_utf8_get_char(g_utf8_prev_char(name + strlen(name)));
	if (g_unichar_isspace(last))
		fuzz_fail("%s made a name ending with U+%04X: %s", what, last, name);
	g_autofree char *nfc = g_utf8_normalize(name, -1, G_NORMALIZE_NFC);
	if (g_strcmp0(nfc, name) != 0)
		fuzz_fail("%s made a name that is not NFC: %s", what, name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *field[9] = { NULL };
	g_autofree char *copy = g_malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	guint n = 0;
	for (char *p = copy; n < G_N_ELEMENTS(field) && p <= copy + size; p += strlen(p) + 1)
		field[n++] = p;

	g_autofree char *safe = filename_sanitize(field[0], field[1], SHA256);
	check_name("filename_sanitize()", safe);
	guint64 number = field[8] ? g_ascii_strtoull(field[8], NULL, 10) : 2;
	g_autofree char *numbered = filename_numbered(safe, (guint)MIN(number, G_MAXUINT));
	check_name("filename_numbered()", numbered);

	const char *template = field[2] ? field[2] : FILENAME_DEFAULT_TEMPLATE;
	g_autoptr(GError) error = NULL;
	if (!filename_template_check(template, &error)) {
		if (!g_error_matches(error, MC_ERROR, MC_ERROR_USAGE))
			fuzz_fail("filename_template_check() failed without a usage error");
		return 0;
	}
	struct filename_fields f = {
		.filename = field[0],
		.mime_type = field[1],
		.subject = field[3],
		.from = field[4],
		.client = field[5],
		.project = field[6],
		.date = field[7],
		.sha256 = SHA256,
	};
	g_autofree char *expanded = filename_expand(template, &f);
	check_name("filename_expand()", expanded);
	return 0;
}
