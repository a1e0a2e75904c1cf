/* mailclerk timeline CLIENT[/PROJECT]: a client's correspondence by thread. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "query/format.h"

int
cmd_timeline(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("timeline", "CLIENT[/PROJECT]",
	                           "Shows all mail filed under a client (or one of its projects) "
	                           "in time order, grouped by thread: sent (→) and received (←), "
	                           "with attachments marked.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("timeline", opt_format, &format, &error))
		return command_fail(error);
	if (argc != 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "timeline takes one CLIENT[/PROJECT]");
		return command_fail(error);
	}
	const char *slash = strchr(argv[1], '/');
	g_autofree char *client = slash ? g_strndup(argv[1], slash - argv[1]) : g_strdup(argv[1]);
	const char *project = slash ? slash + 1 : "";
	if (!command_check_client(env, client, &error))
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db)
		return command_fail(error);
	/* Threads in the order they began; messages in date order within. */
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "WITH mine AS (SELECT m.* FROM filings f JOIN messages m ON m.id = f.message "
	    "WHERE f.client = ? AND f.project = ?), "
	    "starts AS (SELECT thread_id, min(date) AS start, count(*) AS n FROM mine "
	    "GROUP BY thread_id) "
	    "SELECT mine.thread_id, s.n, mine.id, mine.date, mine.direction, mine.from_name, "
	    "mine.from_addr, mine.subject, (SELECT count(*) FROM attachments a WHERE "
	    "a.message = mine.id AND a.is_inline = 0) FROM mine JOIN starts s ON "
	    "s.thread_id = mine.thread_id ORDER BY s.start, mine.thread_id, mine.date, mine.id",
	    &error);
	if (!s)
		return command_fail(error);
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project);
	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	gint64 thread = -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 t = sqlite3_column_int64(s, 0);
		gint64 date = sqlite3_column_int64(s, 3);
		gboolean sent = sqlite3_column_int(s, 4) == 1;
		const char *name = db_column_text(s, 5), *addr = db_column_text(s, 6);
		const char *subject = db_column_text(s, 7);
		gint64 attachments = sqlite3_column_int64(s, 8);
		if (t != thread) {
			if (format == FORMAT_JSON) {
				if (thread != -1) {
					json_end_array(&j);
					json_end_object(&j);
				}
				json_begin_object(&j);
				json_kv_int(&j, "thread", t);
				json_kv_int(&j, "count", sqlite3_column_int64(s, 1));
				json_key(&j, "messages");
				json_begin_array(&j);
			} else {
				g_string_append_printf(out,
				                       "%s%s  (thread %" G_GINT64_FORMAT
				                       ", %" G_GINT64_FORMAT " message%s)\n",
				                       thread == -1 ? "" : "\n",
				                       *subject ? subject : "(no subject)", t,
				                       (gint64)sqlite3_column_int64(s, 1),
				                       sqlite3_column_int64(s, 1) == 1 ? "" : "s");
			}
			thread = t;
		}
		if (format == FORMAT_JSON) {
			g_autofree char *iso = format_iso_date(date);
			json_begin_object(&j);
			json_kv_int(&j, "id", sqlite3_column_int64(s, 2));
			json_kv_string(&j, "date", iso);
			json_kv_string(&j, "direction", sent ? "out" : "in");
			json_key(&j, "from");
			json_begin_object(&j);
			json_kv_string(&j, "name", name);
			json_kv_string(&j, "address", addr);
			json_end_object(&j);
			json_kv_string(&j, "subject", subject);
			json_kv_int(&j, "attachments", attachments);
			json_end_object(&j);
		} else {
			g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(date);
			g_autofree char *when =
			    dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : g_strdup("?");
			g_string_append_printf(out, "  %s %s ", when, sent ? "→" : "←");
			format_pad(out, *name ? name : addr, 24);
			g_string_append_printf(out, " %s%s\n", *subject ? subject : "(no subject)",
			                       attachments ? "  [📎]" : "");
		}
	}
	if (rc != SQLITE_DONE) {
		db_set_error(&error, db, "reading the timeline");
		json_clear(&j);
		return command_fail(error);
	}
	if (format == FORMAT_JSON) {
		if (thread != -1) {
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		g_string_append_c(out, '\n');
	}
	json_clear(&j);
	return format_write(out);
}
