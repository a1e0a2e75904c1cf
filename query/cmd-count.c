/* mailclerk count QUERY: how many messages match. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "query/search.h"

int
cmd_count(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options("count", "QUERY...",
	                           "Prints the number of messages QUERY matches.", entries, &argc,
	                           &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autoptr(query) q = command_parse_query(argc, argv, &error);
	if (!q)
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db)
		return command_fail(error);
	gint64 n = search_count(db, q, &error);
	if (n < 0)
		return command_fail(error);
	printf("%" G_GINT64_FORMAT "\n", n);
	return MC_EXIT_OK;
}
