/* mailclerk clients: each client of the configuration and its mail. */
#include "config.h"

#include <string.h>

#include "cli/command.h"
#include "cli/print-counts.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "query/report.h"

/* A client as printed: the column of keys fits the longest. */
struct client_row {
	const struct client_report *r;
	int key_width;
};

static void
client_text(GString *out, gconstpointer record, guint index)
{
	const struct client_row *row = record;
	const struct client_report *r = row->r;
	/* Keys are ASCII (config_key_is_valid()); names are not. */
	g_string_append_printf(out, "%-*s ", row->key_width, r->client->key);
	text_pad(out, r->client->name, 20);
	print_counts_text(out, &r->n);
	g_string_append_printf(out, "  %" G_GINT64_FORMAT "\n", r->n.attachments);
}

static void
client_describe(struct printer *p, gconstpointer record)
{
	const struct client_report *r = ((const struct client_row *)record)->r;
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
	int key_width = 12;
	for (guint i = 0; i < rows->len; i++)
		key_width =
		    MAX(key_width,
		        (int)strlen(g_array_index(rows, struct client_report, i).client->key));
	g_autofree char *header = g_strdup_printf(
	    "%-*s %-20s %5s %5s %7s  %-10s  %-10s  %9s  %s\n", key_width, "client", "name", "in",
	    "out", "threads", "first", "last", "followups", "attachments");
	printer_list_begin(p, NULL, header, NULL);
	for (guint i = 0; i < rows->len; i++) {
		struct client_row row = { &g_array_index(rows, struct client_report, i),
			                  key_width };
		printer_record(p, &client_kind, &row);
	}
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
