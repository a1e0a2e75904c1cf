/* mailclerk thread ID: the messages of one thread, oldest first. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "common/error.h"

int
cmd_thread(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p =
	    command_parse_printer(env, "ID",
	                          "Lists the messages of the thread that message ID (a number or "
	                          "id:<Message-ID>) belongs to, oldest first.",
	                          NULL, &message_hit_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	gint64 id = command_message(env, argc, argv, &error);
	g_autoptr(GArray) ids = id ? search_thread(env->db, id, &error) : NULL;
	if (!ids || !print_hits(p, env->db, ids, NULL, &error))
		return command_fail(error);
	return printer_finish(g_steal_pointer(&p));
}
