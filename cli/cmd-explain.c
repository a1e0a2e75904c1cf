/* mailclerk explain ID: where a message is filed and by which rule; whether it is automated. */
#include "config.h"

#include "cli/command.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/automated.h"
#include "common/error.h"
#include "index/load.h"
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

/* The message's automated mark: as stored, and why by the configuration
 * as it is now. */
struct automated_row {
	const struct stored_message *m;
	struct automated_mark mark;
};

static void
automated_describe(struct printer *p, gconstpointer record)
{
	const struct automated_row *row = record;
	g_autofree char *reason = automated_reason(&row->mark, row->m->automated_why);
	g_autofree char *config =
	    row->mark.list ? g_strdup_printf("%s = %s", row->mark.list, row->mark.entry) : NULL;
	printer_kv_bool(p, "automated", row->m->automated);
	printer_kv_string(p, "reason", reason);
	printer_kv_string(p, "signal", row->m->automated_why);
	printer_kv_string(p, "config", config);
	printer_kv_bool(p, "reclassify_needed", row->mark.automated != row->m->automated);
}

static void
automated_text(GString *out, gconstpointer record, guint index)
{
	const struct automated_row *row = record;
	g_autofree char *reason = automated_reason(&row->mark, row->m->automated_why);
	text_append_clean(out, reason, 0);
	/* The index keeps the mark ingest or reclassify made. */
	if (row->mark.automated != row->m->automated)
		g_string_append(out, " (not yet in the index: run mailclerk reclassify)");
	g_string_append_c(out, '\n');
}

static const struct record_kind automated_kind = {
	.describe = automated_describe,
	.text = automated_text,
};

int
cmd_explain(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p =
	    command_parse_printer(env, "ID",
	                          "Shows the clients and projects message ID (a number or "
	                          "id:<Message-ID>) is filed under, each with the rule that "
	                          "filed it and the text that matched, and why it is or is not "
	                          "automated mail.",
	                          NULL, &explain_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	gint64 id = command_message(env, argc, argv, &error);
	g_autoptr(GPtrArray) filings = id ? report_explain(env->db, id, &error) : NULL;
	g_autoptr(stored_message) m = filings ? load_message(env->db, id, &error) : NULL;
	if (!m)
		return command_fail(error);
	printer_group_begin(p);
	printer_list_begin(p, "filings", NULL, "not filed under any client\n");
	for (guint i = 0; i < filings->len; i++) {
		const struct filing *f = g_ptr_array_index(filings, i);
		struct explain_row row = { f, config_find_client(env->cfg, f->client) };
		printer_record(p, &explain_kind, &row);
	}
	printer_list_end(p);
	struct automated_row automated = { .m = m };
	automated_mark(env->cfg, m->from.address, m->automated_why, &automated.mark);
	printer_keyed_record(p, "automated", &automated_kind, &automated);
	printer_group_end(p);
	return printer_finish(g_steal_pointer(&p));
}
