/* mailclerk timeline CLIENT[/PROJECT]: a client's correspondence by thread. */
#include "config.h"

#include <string.h>

#include "cli/command.h"
#include "cli/print-message.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "common/plural.h"
#include "query/report.h"

/* Threads shown without --limit: a client's latest, at a glance. */
#define TIMELINE_LIMIT 100

static void
thread_text(GString *out, gconstpointer record, guint index)
{
	const struct timeline_thread *t = record;
	const struct timeline_message *first =
	    &g_array_index(t->messages, struct timeline_message, 0);
	g_string_append_printf(out, "%s%s  (thread %" G_GINT64_FORMAT ", %u message%s)\n",
	                       index ? "\n" : "", *first->subject ? first->subject : "(no subject)",
	                       t->thread, t->messages->len, PLURAL_S(t->messages->len));
	for (guint i = 0; i < t->messages->len; i++) {
		const struct timeline_message *m =
		    &g_array_index(t->messages, struct timeline_message, i);
		g_autofree char *when = date_minute(m->date);
		g_string_append_printf(out, "  %-6" G_GINT64_FORMAT " %s %s ", m->id, when,
		                       m->outbound ? "→" : "←");
		text_pad(out, *m->from_name ? m->from_name : m->from_addr, 24);
		g_string_append_printf(out, " %s%s\n", *m->subject ? m->subject : "(no subject)",
		                       m->attachments ? "  [📎]" : "");
	}
}

static void
thread_describe(struct printer *p, gconstpointer record)
{
	const struct timeline_thread *t = record;
	printer_kv_int(p, "thread", t->thread);
	printer_kv_int(p, "count", t->messages->len);
	printer_key(p, "messages");
	printer_array_begin(p);
	for (guint i = 0; i < t->messages->len; i++) {
		const struct timeline_message *m =
		    &g_array_index(t->messages, struct timeline_message, i);
		printer_map_begin(p);
		printer_kv_int(p, "id", m->id);
		printer_kv_date(p, "date", m->date);
		printer_kv_string(p, "direction", m->outbound ? "out" : "in");
		print_describe_address(p, "from", m->from_name, m->from_addr);
		printer_kv_string(p, "subject", m->subject);
		printer_kv_int(p, "attachments", m->attachments);
		printer_map_end(p);
	}
	printer_array_end(p);
}

static const struct record_kind thread_kind = {
	.describe = thread_describe,
	.text = thread_text,
};

static void
print_thread(const struct timeline_thread *thread, gpointer p)
{
	printer_record(p, &thread_kind, thread);
}

int
cmd_timeline(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_since = NULL;
	gint64 limit = TIMELINE_LIMIT;
	const GOptionEntry entries[] = {
		{ "since", 0, 0, G_OPTION_ARG_STRING, &opt_since,
		  "only mail from DATE on (as date: takes it: 2024-03, 2w, yesterday)", "DATE" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &limit,
		  "the N threads with the newest mail (default 100; 0: every thread)", "N" },
		{ NULL },
	};
	g_autoptr(printer) p =
	    command_parse_printer(env, "CLIENT[/PROJECT]",
	                          "Shows the mail filed under a client (or one of its projects) "
	                          "in time order, grouped by thread: each message's id, sent (→) "
	                          "and received (←), with attachments marked. The 100 threads "
	                          "with the newest mail unless --limit says otherwise.",
	                          entries, &thread_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (limit < 0) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "--limit: a number of threads, 0 for all");
		return command_fail(error);
	}
	if (argc != 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "timeline takes one CLIENT[/PROJECT]");
		return command_fail(error);
	}
	gint64 since = G_MININT64;
	if (opt_since) {
		gint64 now = date_now(&error);
		if (now < 0 || !query_parse_date("--since", opt_since, now, FALSE, &since, &error))
			return command_fail(error);
	}
	const char *slash = strchr(argv[1], '/');
	g_autofree char *client = slash ? g_strndup(argv[1], slash - argv[1]) : g_strdup(argv[1]);
	const char *project = slash ? slash + 1 : "";
	if (!command_check_client(env, argv[1], &error))
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	printer_list_begin(p, NULL, NULL, NULL);
	gboolean more;
	if (!db ||
	    !report_timeline(db, client, project, since, limit, print_thread, p, &more, &error))
		return command_fail(error);
	printer_list_end(p);
	/* On stderr: the listing stays what scripts parse. */
	if (more)
		g_printerr("mailclerk: the %" G_GINT64_FORMAT " thread%s with the newest mail; "
		           "older ones with --limit=0 or --since\n",
		           limit, PLURAL_S(limit));
	return printer_finish(g_steal_pointer(&p));
}
