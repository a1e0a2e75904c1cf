/* mailclerk show ID: one message, read again from its file and parsed. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "common/error.h"
#include "index/load.h"
#include "ingest/parse.h"
#include "ingest/source.h"

int
cmd_show(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p =
	    command_parse_printer(env, "ID",
	                          "Shows message ID (a number or id:<Message-ID>): headers, body "
	                          "text and attachments.",
	                          NULL, &message_shown_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	gint64 id = command_message(env, argc, argv, &error);
	g_autoptr(stored_message) m = id ? load_message(env->db, id, &error) : NULL;
	if (!m)
		return command_fail(error);
	struct message_shown shown = { m, NULL, NULL };
	/* The path needs no parsing. */
	g_autoptr(parsed_message) pm = NULL;
	g_autoptr(message_files) files = message_files_new(env->db_path);
	g_autofree char *file = NULL;
	if (printer_is_files(p)) {
		if (!(file = message_files_path(files, m, &error)) && error)
			return command_fail(error);
		shown.file = file;
	} else {
		g_autoptr(GBytes) raw = source_read_copy(m->id, m->locations, &error);
		if (!raw)
			return command_fail(error);
		gsize len;
		const char *data = g_bytes_get_data(raw, &len);
		if (!(pm = parse_message(data, len, m->date, PARSE_HEADERS, &error)))
			return command_fail(error);
		shown.pm = pm;
	}
	printer_record(p, &message_shown_kind, &shown);
	return print_finish(g_steal_pointer(&p), files);
}
