/* mailclerk explain ID: where a message is filed, and by which rule. */
#include "config.h"

#include "cli/command.h"
#include "cli/printer.h"
#include "common/error.h"
#include "query/report.h"

struct explain_row {
	const struct filing *f;
	const struct mc_client_config *client; /* NULL: not in the configuration now */
};

static void
explain_describe(struct printer *p, gconstpointer record)
{
	const struct filing *f = ((const struct explain_row *)record)->f;
	printer_kv_string(p, "client", f->client);
	printer_kv_string(p, "project", f->project);
	printer_kv_string(p, "rule", f->rule);
	printer_kv_string(p, "matched", f->matched);
	printer_kv_bool(p, "excluded", f->excluded);
}

static void
explain_text(GString *out, gconstpointer record, guint index)
{
	const struct explain_row *row = record;
	const struct filing *f = row->f;
	/* Filings come first: an exclusion first means there is none. */
	if (f->excluded && index == 0)
		g_string_append(out, "not filed under any client\n");
	if (f->excluded)
		g_string_append(out, "excluded from ");
	if (f->project)
		g_string_append_printf(out, "project %s/%s", f->client, f->project);
	else
		g_string_append_printf(out, "client %s", f->client);
	if (row->client && !f->project && !g_str_equal(row->client->name, f->client))
		g_string_append_printf(out, " (%s)", row->client->name);
	g_string_append_printf(out, ": %s", f->rule);
	if (*f->matched)
		g_string_append_printf(out, ", matched \"%s\"", f->matched);
	g_string_append_c(out, '\n');
}

static const struct record_kind explain_kind = {
	.describe = explain_describe,
	.text = explain_text,
};

int
cmd_explain(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p =
	    command_parse_printer(env, "ID",
	                          "Shows the clients and projects message ID (a number or "
	                          "id:<Message-ID>) is filed under, each with the rule that "
	                          "filed it and the text that matched.",
	                          NULL, &explain_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	gint64 id = command_message(env, argc, argv, &error);
	g_autoptr(GPtrArray) filings = id ? report_explain(env->db, id, &error) : NULL;
	if (!filings)
		return command_fail(error);
	printer_list_begin(p, NULL, NULL, "not filed under any client\n");
	for (guint i = 0; i < filings->len; i++) {
		const struct filing *f = g_ptr_array_index(filings, i);
		struct explain_row row = { f, config_find_client(env->cfg, f->client) };
		printer_record(p, &explain_kind, &row);
	}
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
