/* mailclerk clients: each client of the configuration and its mail. */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "query/followups.h"
#include "query/format.h"
#include "query/search.h"

struct client_row {
	const struct mc_client_config *c;
	gint64 in, out, threads, first, last, followups, attachments;
};

/* A date column; "-" for none (0). */
static char *
day(gint64 t)
{
	return t ? format_day(t, "-") : g_strdup("-");
}

int
cmd_clients(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	const GOptionEntry entries[] = {
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("clients", "",
	                           "Lists each client of the configuration: messages received and "
	                           "sent, threads, first and last contact, open follow-ups (14 "
	                           "days, see followups) and attachments.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("clients", opt_format, &format, &error))
		return command_fail(error);
	gint64 now = search_now(&error);
	if (now < 0)
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db || !db_exec(db, "BEGIN", &error))
		return command_fail(error);
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT coalesce(sum(m.direction = 0), 0), coalesce(sum(m.direction = 1), 0), "
	    "count(DISTINCT m.thread_id), coalesce(min(m.date), 0), coalesce(max(m.date), 0), "
	    "(SELECT count(*) FROM attachments a JOIN filings g ON g.message = a.message "
	    "WHERE g.client = ?1 AND g.project = '' AND a.is_inline = 0) "
	    "FROM filings f JOIN messages m ON m.id = f.message WHERE f.client = ?1 "
	    "AND f.project = ''",
	    &error);
	g_autoptr(GPtrArray) open = followups_collect(db, NULL, now, 14, &error);
	if (!s || !open)
		return command_fail(error);
	g_autoptr(GArray) rows = g_array_new(FALSE, TRUE, sizeof(struct client_row));
	for (guint i = 0; i < env->cfg->clients->len; i++) {
		struct client_row row = { .c = g_ptr_array_index(env->cfg->clients, i) };
		sqlite3_reset(s);
		db_bind_text(s, 1, row.c->key);
		if (sqlite3_step(s) != SQLITE_ROW) {
			db_set_error(&error, db, "counting a client's mail");
			return command_fail(error);
		}
		row.in = sqlite3_column_int64(s, 0);
		row.out = sqlite3_column_int64(s, 1);
		row.threads = sqlite3_column_int64(s, 2);
		row.first = sqlite3_column_int64(s, 3);
		row.last = sqlite3_column_int64(s, 4);
		row.attachments = sqlite3_column_int64(s, 5);
		for (guint k = 0; k < open->len; k++)
			row.followups += g_str_equal(
			    ((struct followup *)g_ptr_array_index(open, k))->client, row.c->key);
		g_array_append_val(rows, row);
	}

	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	else
		g_string_append_printf(out, "%-12s %-20s %5s %5s %7s  %-10s  %-10s  %9s  %s\n",
		                       "client", "name", "in", "out", "threads", "first", "last",
		                       "followups", "attachments");
	for (guint i = 0; i < rows->len; i++) {
		const struct client_row *r = &g_array_index(rows, struct client_row, i);
		if (format == FORMAT_JSON) {
			json_begin_object(&j);
			json_kv_string(&j, "client", r->c->key);
			json_kv_string(&j, "name", r->c->name);
			json_kv_int(&j, "messages_in", r->in);
			json_kv_int(&j, "messages_out", r->out);
			json_kv_int(&j, "threads", r->threads);
			g_autofree char *first = r->first ? format_iso_date(r->first) : NULL;
			g_autofree char *last = r->last ? format_iso_date(r->last) : NULL;
			json_kv_string(&j, "first", first);
			json_kv_string(&j, "last", last);
			json_kv_int(&j, "followups", r->followups);
			json_kv_int(&j, "attachments", r->attachments);
			json_end_object(&j);
			continue;
		}
		g_autofree char *first = day(r->first), *last = day(r->last);
		g_string_append_printf(out,
		                       "%-12s %-20s %5" G_GINT64_FORMAT " %5" G_GINT64_FORMAT
		                       " %7" G_GINT64_FORMAT "  %-10s  %-10s  %9" G_GINT64_FORMAT
		                       "  %" G_GINT64_FORMAT "\n",
		                       r->c->key, r->c->name, r->in, r->out, r->threads, first,
		                       last, r->followups, r->attachments);
	}
	if (format == FORMAT_JSON) {
		json_end_array(&j);
		g_string_append_c(out, '\n');
	}
	json_clear(&j);
	return format_write(out);
}
