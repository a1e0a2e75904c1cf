/* mailclerk explain ID: where a message is filed, and by which rule. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "query/format.h"
#include "query/search.h"

int
cmd_explain(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("explain", "ID",
	                           "Shows the clients and projects message ID (a number or "
	                           "id:<Message-ID>) is filed under, each with the rule that "
	                           "filed it and the text that matched.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("explain", opt_format, &format, &error))
		return command_fail(error);
	g_autoptr(mc_db) db = NULL;
	gint64 id = command_open_message(env, "explain", argc, argv, &db, &error);
	if (!id)
		return command_fail(error);
	/* The filings, then the clients whose exclude rule kept it out. */
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db,
	               "SELECT client, project, rule, matched, 0 AS excluded FROM filings "
	               "WHERE message = ?1 UNION ALL SELECT client, '', rule, matched, 1 "
	               "FROM exclusions WHERE message = ?1 ORDER BY excluded, client, 2",
	               &error);
	if (!s)
		return command_fail(error);
	sqlite3_bind_int64(s, 1, id);
	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	guint n = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *client = db_column_text(s, 0), *project = db_column_text(s, 1);
		const char *rule = db_column_text(s, 2), *matched = db_column_text(s, 3);
		gboolean excluded = sqlite3_column_int(s, 4);
		const struct mc_client_config *c = config_find_client(env->cfg, client);
		if (excluded && n == 0 && format == FORMAT_TEXT)
			g_string_append(out, "not filed under any client\n");
		n++;
		if (format == FORMAT_JSON) {
			json_begin_object(&j);
			json_kv_string(&j, "client", client);
			json_key(&j, "project");
			if (*project)
				json_string(&j, project);
			else
				json_null(&j);
			json_kv_string(&j, "rule", rule);
			json_kv_string(&j, "matched", matched);
			json_key(&j, "excluded");
			json_bool(&j, excluded);
			json_end_object(&j);
			continue;
		}
		if (excluded)
			g_string_append(out, "excluded from ");
		if (*project)
			g_string_append_printf(out, "project %s/%s", client, project);
		else
			g_string_append_printf(out, "client %s", client);
		if (c && !*project && !g_str_equal(c->name, client))
			g_string_append_printf(out, " (%s)", c->name);
		g_string_append_printf(out, ": %s", rule);
		if (*matched)
			g_string_append_printf(out, ", matched \"%s\"", matched);
		g_string_append_c(out, '\n');
	}
	if (format == FORMAT_JSON) {
		json_end_array(&j);
		g_string_append_c(out, '\n');
	} else if (n == 0) {
		g_string_append(out, "not filed under any client\n");
	}
	json_clear(&j);
	return format_write(out);
}
