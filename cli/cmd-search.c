/* mailclerk search QUERY: list matching messages. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "common/error.h"

int
cmd_search(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_sort = NULL;
	gint64 limit = COMMAND_LIMIT_UNSET, offset = 0;
	const GOptionEntry entries[] = {
		{ "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort,
		  "newest (default), oldest or relevance", "ORDER" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &limit, "print at most N messages", "N" },
		{ "offset", 0, 0, G_OPTION_ARG_INT64, &offset, "skip the first N messages", "N" },
		{ NULL },
	};
	g_autoptr(printer) p =
	    command_parse_printer(env, "QUERY...",
	                          "Lists the messages QUERY matches ('*' for all). See "
	                          "mailclerk(1) for the query language.",
	                          entries, &message_hit_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;

	g_autoptr(GError) error = NULL;
	enum search_sort sort = SORT_NEWEST;
	if (opt_sort && !search_parse_sort(opt_sort, &sort, &error))
		return command_fail(error);
	if (!command_limit(&limit, &error))
		return command_fail(error);
	if (offset < 0) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE, "--offset must not be negative");
		return command_fail(error);
	}
	g_autoptr(query) q = command_parse_query(env, argc, argv, COMMAND_QUERY_REQUIRED, &error);
	if (!q)
		return command_fail(error);
	g_autoptr(GArray) ids = command_search(env, q, sort, limit, offset, &error);
	g_autoptr(message_files) files = message_files_new(env->db_path);
	if (!ids || !print_hits(p, env->db, ids, query_fts_highlight(q), files, &error))
		return command_fail(error);
	return print_finish(g_steal_pointer(&p), files);
}
