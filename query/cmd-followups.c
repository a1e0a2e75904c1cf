/* mailclerk followups: threads where you owe a reply, and threads to chase. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "query/followups.h"
#include "query/format.h"
#include "query/search.h"

static void
followups_text(GString *out, GPtrArray *list, gboolean outbound, gint64 now, gint64 days)
{
	g_string_append_printf(
	    out,
	    outbound ? "Chase them (you wrote last, no answer for more than %" G_GINT64_FORMAT
	               " days):\n"
	             : "You owe a reply (they wrote last, more than %" G_GINT64_FORMAT
	               " days ago):\n",
	    days);
	guint n = 0;
	for (guint i = 0; i < list->len; i++) {
		const struct followup *f = g_ptr_array_index(list, i);
		if (f->outbound != outbound)
			continue;
		g_autofree char *date = format_day(f->date, "?");
		const char *who =
		    outbound ? f->to_addr : (*f->from_name ? f->from_name : f->from_addr);
		g_string_append_printf(
		    out,
		    "  %-10s %s  %s %s  %s  (id %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " days)\n",
		    f->client, date, outbound ? "→" : "←", who,
		    *f->subject ? f->subject : "(no subject)", f->id, (now - f->date) / 86400);
		n++;
	}
	if (!n)
		g_string_append(out, "  nothing\n");
}

static void
followups_json(struct json *j, const char *key, GPtrArray *list, gboolean outbound, gint64 now)
{
	json_key(j, key);
	json_begin_array(j);
	for (guint i = 0; i < list->len; i++) {
		const struct followup *f = g_ptr_array_index(list, i);
		if (f->outbound != outbound)
			continue;
		g_autofree char *date = format_iso_date(f->date);
		json_begin_object(j);
		json_kv_string(j, "client", f->client);
		json_kv_int(j, "thread", f->thread);
		json_kv_int(j, "id", f->id);
		json_kv_string(j, "date", date);
		json_kv_int(j, "days", (now - f->date) / 86400);
		json_kv_string(j, "subject", f->subject);
		json_kv_string(j, outbound ? "to" : "from", outbound ? f->to_addr : f->from_addr);
		json_end_object(j);
	}
	json_end_array(j);
}

int
cmd_followups(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL, *opt_now = NULL;
	gint64 days = 14;
	const GOptionEntry entries[] = {
		{ "days", 0, 0, G_OPTION_ARG_INT64, &days, "older than N days (default 14)", "N" },
		{ "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
		  "count from DATE instead of today (also MAILCLERK_NOW)", "DATE" },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("followups", "[CLIENT]",
	                           "Lists the threads filed under a client (or CLIENT) whose last "
	                           "message is more than N days old: those where the client wrote "
	                           "last (you owe a reply) and those where you did (chase them).",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("followups", opt_format, &format, &error))
		return command_fail(error);
	if (days < 0 || argc > 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            days < 0 ? "--days must not be negative"
		                     : "followups takes one CLIENT");
		return command_fail(error);
	}
	const char *client = argc == 2 ? argv[1] : NULL;
	if (client && !command_check_client(env, client, &error))
		return command_fail(error);
	gint64 now = opt_now ? search_parse_time("--now", opt_now, &error) : search_now(&error);
	if (now < 0)
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db)
		return command_fail(error);
	g_autoptr(GPtrArray) list = followups_collect(db, client, now, days, &error);
	if (!list)
		return command_fail(error);
	g_autoptr(GString) out = g_string_new(NULL);
	if (format == FORMAT_JSON) {
		struct json j;
		json_init(&j, out);
		json_begin_object(&j);
		followups_json(&j, "owe", list, FALSE, now);
		followups_json(&j, "chase", list, TRUE, now);
		json_end_object(&j);
		json_clear(&j);
		g_string_append_c(out, '\n');
	} else {
		followups_text(out, list, FALSE, now, days);
		followups_text(out, list, TRUE, now, days);
	}
	return format_write(out);
}
