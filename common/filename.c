/* Safe file names for saved attachments, and the attachment_name template. */
#include "config.h"

#include <string.h>

#include "common/error.h"
#include "common/filename.h"
#include "common/mimetype.h"
#include "common/utf8.h"

/* Characters that never go into a saved name: controls (an ANSI escape
 * would reach the terminal that lists the folder) and the bidirectional
 * formatting characters that make "gpj.exe" read as "exe.jpg". */
static gboolean
unwanted(gunichar c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return TRUE;
	if (c == 0x061c || c == 0x200e || c == 0x200f || c == 0xfeff)
		return TRUE;
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Returns S without unwanted characters, SLASH_TO ('\0': drop) in place of
 * '/' and '\', NFC-normalised. */
static char *
clean_chars(const char *s, char slash_to)
{
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	GString *out = g_string_sized_new(strlen(valid));
	for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c == '/' || c == '\\') {
			if (slash_to)
				g_string_append_c(out, slash_to);
		} else if (!unwanted(c)) {
			g_string_append_unichar(out, c);
		}
	}
	g_autofree char *raw = g_string_free(out, FALSE);
	return g_utf8_normalize(raw, -1, G_NORMALIZE_NFC);
}

/* Returns S without leading dots, dashes and white space and without
 * trailing white space; a new string. */
static char *
trim_name(const char *s)
{
	const char *start = s;
	while (*start) {
		gunichar c = g_utf8_get_char(start);
		if (c != '.' && c != '-' && !g_unichar_isspace(c))
			break;
		start = g_utf8_next_char(start);
	}
	const char *end = start + strlen(start);
	while (end > start) {
		const char *prev = g_utf8_prev_char(end);
		if (!g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		end = prev;
	}
	return g_strndup(start, end - start);
}

/* Returns where NAME's extension starts (its last '.'), or the end of NAME
 * when it has none worth keeping: none at all, at the start, or so long it
 * is not an extension. */
static const char *
extension_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name || strlen(dot) > 16)
		return name + strlen(name);
	return dot;
}

/* Returns STEM + SUFFIX + EXT with STEM cut so that the whole fits in
 * FILENAME_MAX_BYTES. */
static char *
join_fitting(const char *stem, gsize stem_len, const char *suffix, const char *ext)
{
	gsize room = FILENAME_MAX_BYTES - strlen(suffix) - strlen(ext);
	gsize keep = utf8_cut(stem, stem_len, room);
	/* The stem was trimmed before the cut, which may end it in white space
	 * again. */
	while (keep < stem_len && keep > 0) {
		const char *prev = g_utf8_find_prev_char(stem, stem + keep);
		if (!prev || !g_unichar_isspace(g_utf8_get_char(prev)))
			break;
		keep = prev - stem;
	}
	return g_strdup_printf("%.*s%s%s", (int)keep, stem, suffix, ext);
}

const char *
filename_extension_for_type(const char *mime_type)
{
	const char *ext = mimetype_extension(mime_type);
	return ext ? ext : "bin";
}

/* Returns NAME cleaned as filename_sanitize() says, or "" when nothing is
 * left. */
static char *
sanitize_or_empty(const char *name)
{
	g_autofree char *valid = g_utf8_make_valid(name ? name : "", -1);
	const char *base = valid;
	for (const char *p = valid; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	g_autofree char *clean = clean_chars(base, '\0');
	g_autofree char *trimmed = trim_name(clean ? clean : "");
	if (!*trimmed)
		return g_strdup("");
	const char *ext = extension_of(trimmed);
	return join_fitting(trimmed, ext - trimmed, "", ext);
}

char *
filename_sanitize(const char *name, const char *mime_type, const char *sha256)
{
	char *safe = sanitize_or_empty(name);
	if (*safe)
		return safe;
	g_free(safe);
	return g_strdup_printf("attachment-%.8s.%s", sha256 && *sha256 ? sha256 : "00000000",
	                       filename_extension_for_type(mime_type));
}

char *
filename_numbered(const char *name, guint n)
{
	const char *ext = extension_of(name);
	g_autofree char *suffix = g_strdup_printf(" (%u)", n);
	return join_fitting(name, ext - name, suffix, ext);
}

static const char *const template_fields[] = {
	"date", "client", "project", "from", "subject", "filename", NULL,
};

gboolean
filename_template_check(const char *template, GError **error)
{
	for (const char *p = template; *p; p++) {
		if (*p == '}') {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "'}' without '{' at byte %d of '%s'", (int)(p - template + 1),
			            template);
			return FALSE;
		}
		if (*p != '{')
			continue;
		const char *close = strchr(p, '}');
		if (!close) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "'{' without '}' at byte %d of '%s'", (int)(p - template + 1),
			            template);
			return FALSE;
		}
		g_autofree char *field = g_strndup(p + 1, close - p - 1);
		if (!g_strv_contains(template_fields, field)) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "unknown field '{%s}' in '%s' (known: {date}, {client}, "
			            "{project}, {from}, {subject}, {filename})",
			            field, template);
			return FALSE;
		}
		p = close;
	}
	return TRUE;
}

/* Returns the value of template field NAME from F, cleaned for a name. */
static char *
field_value(const char *name, const struct filename_fields *f)
{
	if (g_str_equal(name, "filename"))
		return filename_sanitize(f->filename, f->mime_type, f->sha256);
	const char *v = g_str_equal(name, "date")      ? f->date
	                : g_str_equal(name, "client")  ? f->client
	                : g_str_equal(name, "project") ? f->project
	                : g_str_equal(name, "from")    ? f->from
	                : g_str_equal(name, "subject") ? f->subject
	                                               : NULL;
	return clean_chars(v ? v : "", '-');
}

char *
filename_expand(const char *template, const struct filename_fields *f)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (const char *p = template; *p; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (!close) {
			g_string_append_c(out, *p);
			continue;
		}
		g_autofree char *field = g_strndup(p + 1, close - p - 1);
		g_autofree char *value = field_value(field, f);
		g_string_append(out, value);
		p = close;
	}
	return filename_sanitize(out->str, f->mime_type, f->sha256);
}
