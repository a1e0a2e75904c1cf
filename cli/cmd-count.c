/* mailclerk count QUERY: how many messages match. */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"

int
cmd_count(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(env, "QUERY...",
	                           "Prints the number of messages QUERY matches ('*' for all).",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = command_parse_query(env, argc, argv, COMMAND_QUERY_REQUIRED, &error);
	if (!q)
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	gint64 n = db ? search_count(db, q, &error) : -1;
	if (n < 0)
		return command_fail(error);
	printf("%" G_GINT64_FORMAT "\n", n);
	return MC_EXIT_OK;
}
