/* mailclerk thread ID: the messages of one thread, oldest first. */
#include "config.h"

#include "commands.h"
#include "common/error.h"
#include "query/format.h"
#include "query/search.h"

int
cmd_thread(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default), json or files",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("thread", "ID",
	                           "Lists the messages of the thread that message ID (a number or "
	                           "id:<Message-ID>) belongs to, oldest first.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format = FORMAT_TEXT;
	if (opt_format && !format_parse(opt_format, &format, &error))
		return command_fail(error);
	g_autoptr(mc_db) db = NULL;
	gint64 id = command_open_message(env, "thread", argc, argv, &db, &error);
	/* One snapshot for the ids and the rows (see cmd-search.c). */
	if (!id || !db_exec(db, "BEGIN", &error))
		return command_fail(error);
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db,
	               "SELECT id FROM messages WHERE thread_id = (SELECT thread_id FROM messages "
	               "WHERE id = ?) ORDER BY date, id",
	               &error);
	if (!s)
		return command_fail(error);
	sqlite3_bind_int64(s, 1, id);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	while (sqlite3_step(s) == SQLITE_ROW) {
		gint64 m = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, m);
	}
	if (!format_print_results(db, ids, NULL, format, &error))
		return command_fail(error);
	return MC_EXIT_OK;
}
