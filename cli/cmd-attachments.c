/* mailclerk attachments [QUERY]: the attachments of the messages QUERY matches. */
#include "config.h"

#include "cli/command.h"
#include "cli/print-message.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "query/report.h"

/* Attachments shown without --limit: the latest, at a glance. */
#define ATTACHMENTS_LIMIT 100

/* The text column for the filing: the first project, else the clients, else "-". */
static char *
filed_under(const GPtrArray *clients, const GPtrArray *projects)
{
	if (projects->len)
		return g_strdup(g_ptr_array_index(projects, 0));
	if (clients->len == 0)
		return g_strdup("-");
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < clients->len; i++)
		g_string_append_printf(s, "%s%s", i ? "," : "",
		                       (char *)g_ptr_array_index(clients, i));
	return g_string_free(s, FALSE);
}

static void
attachment_text(GString *out, gconstpointer record, guint index)
{
	const struct attachment_report *a = record;
	g_autofree char *day = date_day(a->date, "?");
	g_autofree char *where = filed_under(a->clients, a->projects);
	g_autofree char *human = text_size(a->size);
	g_string_append_printf(out, "%s  ", day);
	text_pad(out, where, 16);
	g_string_append_c(out, ' ');
	text_pad(out, *a->from_name ? a->from_name : a->from_addr, 20);
	/* With --include-inline, what is no attachment by the rule says so. */
	g_string_append_printf(out, " %s  %s  %s  %.8s%s\n",
	                       *a->filename ? a->filename : "(no name)", a->mime_type, human,
	                       a->sha256, a->is_inline ? "  inline" : "");
}

static void
attachment_describe(struct printer *p, gconstpointer record)
{
	const struct attachment_report *a = record;
	printer_kv_int(p, "id", a->id);
	printer_kv_string(p, "message_id", a->message_id);
	printer_kv_date(p, "date", a->date);
	print_describe_address(p, "from", a->from_name, a->from_addr);
	printer_kv_strings(p, "clients", a->clients);
	printer_kv_strings(p, "projects", a->projects);
	printer_kv_string(p, "filename", a->filename);
	printer_kv_string(p, "mime_type", a->mime_type);
	printer_kv_int(p, "size", a->size);
	printer_kv_string(p, "sha256", a->sha256);
	printer_kv_string(p, "part", a->part);
	printer_kv_bool(p, "inline", a->is_inline);
}

static const struct record_kind attachment_kind = {
	.describe = attachment_describe,
	.text = attachment_text,
};

static void
print_attachment(const struct attachment_report *a, gpointer p)
{
	printer_record(p, &attachment_kind, a);
}

int
cmd_attachments(struct command_env *env, int argc, char **argv)
{
	gboolean include_inline = FALSE;
	gint64 limit = ATTACHMENTS_LIMIT;
	const GOptionEntry entries[] = {
		{ "include-inline", 0, 0, G_OPTION_ARG_NONE, &include_inline,
		  "also parts shown inline (Content-ID images, signature logos)", NULL },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &limit,
		  "the N newest attachments (default 100; 0: all)", "N" },
		{ NULL },
	};
	g_autoptr(printer) p =
	    command_parse_printer(env, "[QUERY...]",
	                          "Lists the attachments of the messages QUERY matches (all "
	                          "messages without one), newest first: date, client or "
	                          "project, sender, file name, type, size and the start of "
	                          "the SHA-256. The 100 newest unless --limit says otherwise.",
	                          entries, &attachment_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (limit < 0) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "--limit: a number of attachments, 0 for all");
		return command_fail(error);
	}
	/* Only messages with attachments, unless inline parts count too: then
	 * a message may have none, and a limit cannot count messages. */
	g_autoptr(query) q = command_parse_query(
	    env, argc, argv, include_inline ? 0 : COMMAND_QUERY_ATTACHMENTS, &error);
	if (!q)
		return command_fail(error);
	/* Each message has one at least: LIMIT + 1 of them tell whether there
	 * are more than LIMIT attachments. */
	gint64 messages = limit && !include_inline ? limit + 1 : -1;
	g_autoptr(GArray) ids = command_search(env, q, SORT_NEWEST, messages, 0, &error);
	if (!ids)
		return command_fail(error);
	printer_list_begin(p, NULL, NULL, NULL);
	gboolean more;
	if (!report_attachments(env->db, ids, include_inline, limit, print_attachment, p, &more,
	                        &error))
		return command_fail(error);
	printer_list_end(p);
	/* On stderr: the listing stays what scripts parse. */
	if (more)
		g_printerr("mailclerk: the %" G_GINT64_FORMAT " newest attachments; all of them "
		           "with --limit=0\n",
		           limit);
	return printer_finish(g_steal_pointer(&p));
}
