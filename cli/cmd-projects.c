/* mailclerk projects [CLIENT]: each project of the configuration and its
 * mail, follow-ups, attachments and folder. */
#include "config.h"

#include <string.h>

#include "cli/command.h"
#include "cli/print-counts.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "common/paths.h"
#include "query/report.h"

/* A project as printed, with the folder its attachments are saved in. */
struct project_row {
	const struct project_report *r;
	char *folder;
	int key_width; /* of the longest CLIENT/PROJECT listed, 20 at least */
};

/* CLIENT/PROJECT, or CLIENT for its mail filed under none; the caller frees it. */
static char *
project_key(const struct project_report *r)
{
	return r->project ? g_strdup_printf("%s/%s", r->client, r->project->key)
	                  : g_strdup(r->client);
}

static void
project_text(GString *out, gconstpointer record, guint index)
{
	const struct project_row *row = record;
	const struct project_report *r = row->r;
	g_autofree char *key = project_key(r);
	g_string_append_printf(out, "%-*s ", row->key_width, key);
	text_pad(out, r->project ? r->project->name : "(no project)", 20);
	print_counts_text(out, &r->n);
	g_string_append_printf(out, "  %11" G_GINT64_FORMAT "  %s\n", r->n.attachments,
	                       row->folder);
}

static void
project_describe(struct printer *p, gconstpointer record)
{
	const struct project_row *row = record;
	const struct project_report *r = row->r;
	printer_kv_string(p, "client", r->client);
	printer_kv_string(p, "project", r->project ? r->project->key : NULL);
	printer_kv_string(p, "name", r->project ? r->project->name : NULL);
	print_counts_describe(p, &r->n);
	printer_kv_string(p, "folder", row->folder);
}

static const struct record_kind project_kind = {
	.describe = project_describe,
	.text = project_text,
};

int
cmd_projects(struct command_env *env, int argc, char **argv)
{
	g_autoptr(printer) p = command_parse_printer(
	    env, "[CLIENT]",
	    "Lists each project of the configuration (or of CLIENT): messages received and sent, "
	    "threads, first and last message, open follow-ups (what followups lists), "
	    "attachments, and the folder attachments save --by-project puts its files in; then "
	    "each client's mail filed under none of its projects.",
	    NULL, &project_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	const char *client = argc == 2 ? argv[1] : NULL;
	if (argc > 2 || (client && strchr(client, '/'))) {
		g_set_error_literal(&error, MC_ERROR, MC_ERROR_USAGE, "projects takes one CLIENT");
		return command_fail(error);
	}
	gint64 now = date_now(&error);
	if (now < 0 || (client && !command_check_client(env, client, &error)))
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	g_autoptr(GArray) rows = db ? report_projects(db, env->cfg, client, now, &error) : NULL;
	if (!rows)
		return command_fail(error);
	g_autofree char *root = paths_attachments_root(env->cfg, env->db_path);
	/* Keys are ASCII (config_key_is_valid()): their bytes are columns. */
	int key_width = 20;
	for (guint i = 0; i < rows->len; i++) {
		g_autofree char *key = project_key(&g_array_index(rows, struct project_report, i));
		key_width = MAX(key_width, (int)strlen(key));
	}
	g_autofree char *header = g_strdup_printf(
	    "%-*s %-20s %5s %5s %7s  %-10s  %-10s  %9s  %11s  %s\n", key_width, "project", "name",
	    "in", "out", "threads", "first", "last", "followups", "attachments", "folder");
	printer_list_begin(p, NULL, header, NULL);
	for (guint i = 0; i < rows->len; i++) {
		const struct project_report *r = &g_array_index(rows, struct project_report, i);
		struct project_row row = { r,
			                   r->project ? paths_project_attachments(r->project, root)
			                              : paths_unsorted_attachments(r->client, root),
			                   key_width };
		printer_record(p, &project_kind, &row);
		g_free(row.folder);
	}
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
