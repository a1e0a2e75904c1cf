/* mailclerk clients: each client of the configuration and its mail. */
#include "config.h"

#include "cli/command.h"
#include "cli/printer.h"
#include "common/date.h"
#include "common/error.h"
#include "query/report.h"

/* A date column; "-" for none (0). */
static char *
day(gint64 t)
{
	return t ? date_day(t, "-") : g_strdup("-");
}

static void
client_text(GString *out, gconstpointer record, guint index)
{
	const struct client_report *r = record;
	g_autofree char *first = day(r->first), *last = day(r->last);
	g_string_append_printf(out,
	                       "%-12s %-20s %5" G_GINT64_FORMAT " %5" G_GINT64_FORMAT
	                       " %7" G_GINT64_FORMAT "  %-10s  %-10s  %9" G_GINT64_FORMAT
	                       "  %" G_GINT64_FORMAT "\n",
	                       r->client->key, r->client->name, r->in, r->out, r->threads, first,
	                       last, r->followups, r->attachments);
}

/* A date, or null for none (0). */
static void
describe_date(struct printer *p, const char *key, gint64 t)
{
	if (t)
		printer_kv_date(p, key, t);
	else
		printer_kv_string(p, key, NULL);
}

static void
client_describe(struct printer *p, gconstpointer record)
{
	const struct client_report *r = record;
	printer_kv_string(p, "client", r->client->key);
	printer_kv_string(p, "name", r->client->name);
	printer_kv_int(p, "messages_in", r->in);
	printer_kv_int(p, "messages_out", r->out);
	printer_kv_int(p, "threads", r->threads);
	describe_date(p, "first", r->first);
	describe_date(p, "last", r->last);
	printer_kv_int(p, "followups", r->followups);
	printer_kv_int(p, "attachments", r->attachments);
}

static const struct record_kind client_kind = {
	.describe = client_describe,
	.text = client_text,
};

int
cmd_clients(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p =
	    command_parse_printer(env, "",
	                          "Lists each client of the configuration: messages received and "
	                          "sent, threads, first and last contact, open follow-ups (what "
	                          "followups lists by default) and attachments.",
	                          NULL, &client_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	gint64 now = date_now(&error);
	if (now < 0)
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	g_autoptr(GArray) rows = db ? report_clients(db, env->cfg, now, &error) : NULL;
	if (!rows)
		return command_fail(error);
	g_autofree char *header =
	    g_strdup_printf("%-12s %-20s %5s %5s %7s  %-10s  %-10s  %9s  %s\n", "client", "name",
	                    "in", "out", "threads", "first", "last", "followups", "attachments");
	printer_list_begin(p, NULL, header, NULL);
	for (guint i = 0; i < rows->len; i++)
		printer_record(p, &client_kind, &g_array_index(rows, struct client_report, i));
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
