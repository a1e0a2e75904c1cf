/* mailclerk thread ID: the messages of one thread, oldest first. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "common/error.h"

int
cmd_thread(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default), json or files",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options(env, "ID",
	                           "Lists the messages of the thread that message ID (a number or "
	                           "id:<Message-ID>) belongs to, oldest first.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autoptr(printer) p = printer_new("thread", opt_format, &message_hit_kind, &error);
	if (!p)
		return command_fail(error);
	gint64 id = command_message(env, argc, argv, &error);
	g_autoptr(GArray) ids = id ? search_thread(env->db, id, &error) : NULL;
	if (!ids || !print_hits(p, env->db, ids, NULL, &error))
		return command_fail(error);
	return printer_finish(g_steal_pointer(&p));
}
