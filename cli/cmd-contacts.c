/* mailclerk contacts [CLIENT]: everyone seen in a client's mail. */
#include "config.h"

#include <string.h>

#include "cli/command.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "query/report.h"

static void
contact_text(GString *out, gconstpointer record, guint index)
{
	const struct contact_report *c = record;
	g_autofree char *first = date_day(c->first, "1970-01-01");
	g_autofree char *last = date_day(c->last, "1970-01-01");
	text_pad(out, *c->name ? c->name : "-", 24);
	g_string_append_c(out, ' ');
	text_pad(out, c->address, 36);
	g_string_append_printf(out, " %5" G_GINT64_FORMAT "  %s  %s\n", c->messages, first, last);
}

static void
contact_describe(struct printer *p, gconstpointer record)
{
	const struct contact_report *c = record;
	printer_kv_string(p, "name", c->name);
	printer_kv_string(p, "address", c->address);
	printer_kv_int(p, "messages", c->messages);
	printer_kv_date(p, "first", c->first);
	printer_kv_date(p, "last", c->last);
}

static const struct record_kind contact_kind = {
	.describe = contact_describe,
	.text = contact_text,
};

static void
print_contact(const struct contact_report *c, gpointer p)
{
	printer_record(p, &contact_kind, c);
}

int
cmd_contacts(struct command_env *env, int argc, char **argv)
{
	gboolean all = FALSE;
	const GOptionEntry entries[] = {
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "also machine senders (noreply, mailer-daemon, notifications)", NULL },
		{ NULL },
	};
	g_autoptr(printer) p =
	    command_parse_printer(env, "[CLIENT]",
	                          "Lists everyone seen in a client's mail (or all clients'): "
	                          "name (the latest one given), address, messages, first and "
	                          "last seen. Your own addresses are not contacts.",
	                          entries, &contact_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	const char *client = argc >= 2 ? argv[1] : NULL;
	if (argc > 2 || (client && strchr(client, '/'))) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE, "contacts takes one CLIENT");
		return command_fail(error);
	}
	if (client && !command_check_client(env, client, &error))
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	printer_list_begin(p, NULL, NULL, NULL);
	if (!db || !report_contacts(db, env->cfg, client, all, print_contact, p, &error))
		return command_fail(error);
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
