/* mailclerk search QUERY: list matching messages. */
#include "config.h"

#include "commands.h"
#include "common/error.h"
#include "query/format.h"
#include "query/search.h"

int
cmd_search(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL, *opt_sort = NULL;
	gint64 limit = -1, offset = 0;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format,
		  "text (default), json, or files (one path per line, for mutt)", "FORMAT" },
		{ "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort,
		  "newest (default), oldest or relevance", "ORDER" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &limit, "print at most N messages", "N" },
		{ "offset", 0, 0, G_OPTION_ARG_INT64, &offset, "skip the first N messages", "N" },
		{ NULL },
	};
	if (!command_parse_options("search", "QUERY...",
	                           "Lists the messages QUERY matches; an empty query or '*' "
	                           "matches all. See mailclerk(1) for the query language.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;

	g_autoptr(GError) error = NULL;
	enum output_format format = FORMAT_TEXT;
	enum search_sort sort = SORT_NEWEST;
	if ((opt_format && !format_parse(opt_format, &format, &error)) ||
	    (opt_sort && !search_parse_sort(opt_sort, &sort, &error)))
		return command_fail(error);
	if (offset < 0) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE, "--offset must not be negative");
		return command_fail(error);
	}
	g_autoptr(query) q = command_parse_query(argc, argv, &error);
	if (!q)
		return command_fail(error);
	g_autoptr(mc_db) db = NULL;
	g_autoptr(GArray) ids = command_search_snapshot(env, q, sort, limit, offset, &db, &error);
	if (!ids || !format_print_results(db, ids, query_fts_highlight(q), format, &error))
		return command_fail(error);
	return MC_EXIT_OK;
}
