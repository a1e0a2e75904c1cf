/* mailclerk show ID: one message, read again from its file and parsed. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "ingest/parse.h"
#include "ingest/source.h"
#include "query/format.h"
#include "query/search.h"

/* Returns the raw bytes of the first copy that can still be read; the caller
 * unrefs it. NULL and ERROR naming every path tried otherwise. */
static GBytes *
show_read_copy(const struct result *r, GError **error)
{
	g_autoptr(GString) why = g_string_new(NULL);
	for (guint i = 0; i < r->locations->len; i++) {
		const struct result_location *l = g_ptr_array_index(r->locations, i);
		g_autoptr(GError) local = NULL;
		GBytes *data = NULL;
		if (g_str_equal(l->kind, "mbox")) {
			data = mbox_read_message(l->path, l->offset, l->length, &local);
		} else {
			char *contents;
			gsize len;
			if (g_file_get_contents(l->path, &contents, &len, &local))
				data = g_bytes_new_take(contents, len);
		}
		if (data)
			return data;
		g_string_append_printf(why, "%s%s", why->len ? "; " : "", local->message);
	}
	g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
	            "message %" G_GINT64_FORMAT ": no copy can be read (%s)", r->id,
	            why->len ? why->str : "it has no copy");
	return NULL;
}

int
cmd_show(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default), json or files",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("show", "ID",
	                           "Shows message ID (a number or id:<Message-ID>): headers, body "
	                           "text and attachments.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format = FORMAT_TEXT;
	if (opt_format && !format_parse(opt_format, &format, &error))
		return command_fail(error);
	g_autoptr(mc_db) db = NULL;
	gint64 id = command_open_message(env, "show", argc, argv, &db, &error);
	if (!id)
		return command_fail(error);
	g_autoptr(result) r = search_load(db, id, "", &error);
	if (!r)
		return command_fail(error);
	g_autoptr(GString) out = g_string_new(NULL);
	if (format == FORMAT_FILES) {
		format_files_result(out, r);
	} else {
		g_autoptr(GBytes) raw = show_read_copy(r, &error);
		if (!raw)
			return command_fail(error);
		gsize len;
		const char *data = g_bytes_get_data(raw, &len);
		g_autoptr(parsed_message) pm =
		    parse_message(data, len, r->date, PARSE_HEADERS, &error);
		if (!pm)
			return command_fail(error);
		if (format == FORMAT_JSON) {
			struct json j;
			json_init(&j, out);
			format_json_message(&j, r, pm);
			json_clear(&j);
			g_string_append_c(out, '\n');
		} else {
			format_text_message(out, r, pm);
		}
	}
	return format_write(out);
}
