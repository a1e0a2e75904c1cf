/* mailclerk thread ID: the messages of one thread, oldest first. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "common/error.h"

int
cmd_thread(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p = command_parse_printer(
	    env, "ID",
	    "Lists the messages of a thread, oldest first: thread:N, or the thread that message "
	    "ID (a number or id:<Message-ID>) belongs to.",
	    NULL, &message_hit_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (argc != 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "thread takes one message ID or thread:N");
		return command_fail(error);
	}
	struct mc_db *db = command_index(env, &error);
	gint64 thread = db ? search_resolve_thread(db, argv[1], &error) : 0;
	g_autoptr(GArray) ids = thread ? search_thread(db, thread, &error) : NULL;
	g_autoptr(message_files) files = message_files_new(env->db_path);
	if (!ids || !print_hits(p, db, ids, NULL, files, &error))
		return command_fail(error);
	return print_finish(g_steal_pointer(&p), files);
}
