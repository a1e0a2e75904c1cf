/* mailclerk attachments [QUERY]: the attachments of the messages QUERY matches. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "index/load.h"
#include "query/format.h"
#include "query/search.h"

/* The text column for the filing: the first project, else the clients, else "-". */
static char *
filed_under(const GPtrArray *clients, const GPtrArray *projects)
{
	if (projects->len)
		return g_strdup(g_ptr_array_index(projects, 0));
	if (clients->len == 0)
		return g_strdup("-");
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < clients->len; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "",
		                       (char *)g_ptr_array_index(clients, i));
	return g_string_free(s, FALSE);
}

int
cmd_attachments(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	gboolean include_inline = FALSE;
	const GOptionEntry entries[] = {
		{ "include-inline", 0, 0, G_OPTION_ARG_NONE, &include_inline,
		  "also parts shown inline (Content-ID images, signature logos)", NULL },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("attachments", "[QUERY...]",
	                           "Lists the attachments of the messages QUERY matches (all "
	                           "messages without one), newest first: date, client or "
	                           "project, sender, file name, type, size and the start of "
	                           "the SHA-256.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("attachments", opt_format, &format, &error))
		return command_fail(error);
	g_autoptr(query) q = command_parse_query(argc, argv, &error);
	if (!q)
		return command_fail(error);
	g_autoptr(mc_db) db = NULL;
	g_autoptr(GArray) ids = command_search_snapshot(env, q, SORT_NEWEST, -1, 0, &db, &error);
	if (!ids)
		return command_fail(error);
	g_autoptr(sqlite3_stmt) parts = db_prepare(
	    db,
	    "SELECT m.date, m.message_id, m.from_name, m.from_addr, a.filename, a.mime_type, "
	    "a.size, a.sha256, a.part, a.is_inline FROM attachments a JOIN messages m ON "
	    "m.id = a.message WHERE a.message = ?1 AND (?2 OR a.is_inline = 0) ORDER BY a.rowid",
	    &error);
	if (!parts)
		return command_fail(error);

	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		sqlite3_reset(parts);
		sqlite3_bind_int64(parts, 1, id);
		sqlite3_bind_int(parts, 2, include_inline);
		g_autoptr(GPtrArray) clients = NULL, projects = NULL;
		int rc;
		while ((rc = sqlite3_step(parts)) == SQLITE_ROW) {
			/* Filings once per message, and only for one with attachments. */
			if (!clients) {
				clients = g_ptr_array_new_with_free_func(g_free);
				projects = g_ptr_array_new_with_free_func(g_free);
				if (!load_filings(db, id, clients, projects, &error)) {
					json_clear(&j);
					return command_fail(error);
				}
			}
			gint64 date = sqlite3_column_int64(parts, 0);
			const char *from_name = db_column_text(parts, 2);
			const char *from_addr = db_column_text(parts, 3);
			const char *filename = db_column_text(parts, 4);
			const char *type = db_column_text(parts, 5);
			gint64 size = sqlite3_column_int64(parts, 6);
			const char *sha256 = db_column_text(parts, 7);
			if (format == FORMAT_JSON) {
				g_autofree char *iso = format_iso_date(date);
				json_begin_object(&j);
				json_kv_int(&j, "id", id);
				json_kv_string(&j, "message_id", db_column_text(parts, 1));
				json_kv_string(&j, "date", iso);
				json_key(&j, "from");
				json_begin_object(&j);
				json_kv_string(&j, "name", from_name);
				json_kv_string(&j, "address", from_addr);
				json_end_object(&j);
				json_key(&j, "clients");
				json_begin_array(&j);
				for (guint k = 0; k < clients->len; k++)
					json_string(&j, g_ptr_array_index(clients, k));
				json_end_array(&j);
				json_key(&j, "projects");
				json_begin_array(&j);
				for (guint k = 0; k < projects->len; k++)
					json_string(&j, g_ptr_array_index(projects, k));
				json_end_array(&j);
				json_kv_string(&j, "filename", filename);
				json_kv_string(&j, "mime_type", type);
				json_kv_int(&j, "size", size);
				json_kv_string(&j, "sha256", sha256);
				json_kv_string(&j, "part", db_column_text(parts, 8));
				json_key(&j, "inline");
				json_bool(&j, sqlite3_column_int(parts, 9));
				json_end_object(&j);
				continue;
			}
			g_autofree char *day = format_day(date, "?");
			g_autofree char *where = filed_under(clients, projects);
			g_autofree char *human = format_size(size);
			g_string_append_printf(out, "%s  ", day);
			format_pad(out, where, 16);
			g_string_append_c(out, ' ');
			format_pad(out, *from_name ? from_name : from_addr, 20);
			g_string_append_printf(out, " %s  %s  %s  %.8s\n",
			                       *filename ? filename : "(no name)", type, human,
			                       sha256);
		}
		if (rc != SQLITE_DONE) {
			db_set_error(&error, db, "listing attachments");
			json_clear(&j);
			return command_fail(error);
		}
		format_stream(out);
	}
	if (format == FORMAT_JSON) {
		json_end_array(&j);
		g_string_append_c(out, '\n');
	}
	json_clear(&j);
	return format_write(out);
}
