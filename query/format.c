#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "query/format.h"
#include "common/error.h"

char *
format_day(gint64 utc_seconds, const char *fallback)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(utc_seconds);
	return dt ? g_date_time_format(dt, "%Y-%m-%d") : g_strdup(fallback);
}

gboolean
format_parse(const char *name, enum output_format *format, GError **error)
{
	if (g_str_equal(name, "text"))
		*format = FORMAT_TEXT;
	else if (g_str_equal(name, "json"))
		*format = FORMAT_JSON;
	else if (g_str_equal(name, "files"))
		*format = FORMAT_FILES;
	else {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "unknown format '%s' (text, json or files)", name);
		return FALSE;
	}
	return TRUE;
}

gboolean
format_parse_text_or_json(const char *command, const char *name, enum output_format *format,
                          GError **error)
{
	*format = FORMAT_TEXT;
	if (!name)
		return TRUE;
	if (g_str_equal(name, "json"))
		*format = FORMAT_JSON;
	else if (!g_str_equal(name, "text")) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s prints text or json, not '%s'",
		            command, name);
		return FALSE;
	}
	return TRUE;
}

int
format_write(const GString *out)
{
	fwrite(out->str, 1, out->len, stdout);
	return fflush(stdout) == 0 ? MC_EXIT_OK : MC_EXIT_FAILURE;
}

char *
format_iso_date(gint64 utc_seconds)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(utc_seconds);
	if (!dt)
		return g_strdup("1970-01-01T00:00:00Z");
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
format_use_color(void)
{
	const char *no_color = g_getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* Ids per snippet query: well under SQLite's 32766 bound parameters. */
#define FORMAT_SNIPPET_CHUNK 500

gboolean
format_print_results(struct mc_db *db, GArray *ids, const char *highlight,
                     enum output_format format, GError **error)
{
	gboolean color = format == FORMAT_TEXT && format_use_color();
	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	g_autoptr(GHashTable) snippets = NULL;
	for (guint i = 0; i < ids->len; i++) {
		const gint64 *id = &g_array_index(ids, gint64, i);
		/* Snippets a chunk at a time: one pass over the index each. */
		if (i % FORMAT_SNIPPET_CHUNK == 0 && format != FORMAT_FILES) {
			g_clear_pointer(&snippets, g_hash_table_unref);
			snippets = search_snippets(db, id, MIN(FORMAT_SNIPPET_CHUNK, ids->len - i),
			                           highlight, color ? "\033[1;31m" : "",
			                           color ? "\033[0m" : "", error);
			if (!snippets) {
				json_clear(&j);
				return FALSE;
			}
		}
		/* Files need no snippet; a message that matched through a non-text
		 * term shows the start of its body. */
		const char *snippet =
		    format == FORMAT_FILES ? "" : g_hash_table_lookup(snippets, id);
		g_autoptr(result) r = search_load(db, *id, snippet, error);
		if (!r) {
			json_clear(&j);
			return FALSE;
		}
		switch (format) {
		case FORMAT_TEXT:
			format_text_result(out, r);
			break;
		case FORMAT_JSON:
			format_json_result(&j, r);
			break;
		case FORMAT_FILES:
			format_files_result(out, r);
			break;
		}
		format_stream(out);
	}
	if (format == FORMAT_JSON) {
		json_end_array(&j);
		g_string_append_c(out, '\n');
	}
	json_clear(&j);
	fwrite(out->str, 1, out->len, stdout);
	return fflush(stdout) == 0;
}

void
format_stream(GString *out)
{
	if (out->len > 65536) {
		fwrite(out->str, 1, out->len, stdout);
		g_string_truncate(out, 0);
	}
}

char *
format_size(gint64 size)
{
	/* GLib puts a no-break space between number and unit in UTF-8 locales. */
	g_autofree char *s = g_format_size(size > 0 ? (guint64)size : 0);
	g_autoptr(GString) out = g_string_new(s);
	g_string_replace(out, "\u00a0", " ", 0);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

void
format_pad(GString *out, const char *s, int width)
{
	/* Columns on a terminal, not bytes: CJK characters take two. Mail text
	 * is valid UTF-8 by the time it is stored. */
	int used = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iszerowidth(c))
			continue;
		used += g_unichar_iswide(c) ? 2 : 1;
	}
	g_string_append(out, s);
	for (; used < width; used++)
		g_string_append_c(out, ' ');
}
