/* mailclerk clients: each client of the configuration and its mail. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-counts.h"
#include "cli/printer.h"
#include "common/date.h"
#include "common/error.h"
#include "query/report.h"

static void
client_text(GString *out, gconstpointer record, guint index)
{
	const struct client_report *r = record;
	g_string_append_printf(out, "%-12s %-20s", r->client->key, r->client->name);
	print_counts_text(out, &r->n);
	g_string_append_printf(out, "  %" G_GINT64_FORMAT "\n", r->n.attachments);
}

static void
client_describe(struct printer *p, gconstpointer record)
{
	const struct client_report *r = record;
	printer_kv_string(p, "client", r->client->key);
	printer_kv_string(p, "name", r->client->name);
	print_counts_describe(p, &r->n);
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
