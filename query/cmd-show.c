/* mailclerk show ID: one message, read again from its file and parsed. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "ingest/parse.h"
#include "ingest/save.h"
#include "query/format.h"
#include "query/search.h"

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
		g_autoptr(GBytes) raw = message_read_copy(r, &error);
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
