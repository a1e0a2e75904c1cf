/* mailclerk followups: threads where you owe a reply, and threads to chase. */
#include "config.h"

#include "cli/command.h"
#include "cli/printer.h"
#include "common/date.h"
#include "common/error.h"
#include "query/followups.h"

/* A follow-up as printed: its days are counted from NOW. */
struct followup_row {
	const struct followup *f;
	gint64 now;
};

static void
followup_text(GString *out, gconstpointer record, guint index)
{
	const struct followup_row *row = record;
	const struct followup *f = row->f;
	g_autofree char *date = date_day(f->date, "?");
	const char *who = f->outbound ? f->to_addr : (*f->from_name ? f->from_name : f->from_addr);
	g_string_append_printf(
	    out, "  %-10s %s  %s %s  %s  (id %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " days)\n",
	    f->client, date, f->outbound ? "→" : "←", who,
	    *f->subject ? f->subject : "(no subject)", f->id, (row->now - f->date) / 86400);
}

static void
followup_describe(struct printer *p, gconstpointer record)
{
	const struct followup_row *row = record;
	const struct followup *f = row->f;
	printer_kv_string(p, "client", f->client);
	printer_kv_int(p, "thread", f->thread);
	printer_kv_int(p, "id", f->id);
	printer_kv_date(p, "date", f->date);
	printer_kv_int(p, "days", (row->now - f->date) / 86400);
	printer_kv_string(p, "subject", f->subject);
	printer_kv_string(p, f->outbound ? "to" : "from", f->outbound ? f->to_addr : f->from_addr);
}

static const struct record_kind followup_kind = {
	.describe = followup_describe,
	.text = followup_text,
};

/* One section: the follow-ups of LIST going OUTBOUND (chase) or not (owe). */
static void
print_section(struct printer *p, const char *key, const char *heading, GPtrArray *list,
              gboolean outbound, gint64 now)
{
	printer_list_begin(p, key, heading, "  nothing\n");
	for (guint i = 0; i < list->len; i++) {
		const struct followup *f = g_ptr_array_index(list, i);
		struct followup_row row = { f, now };
		if (f->outbound == outbound)
			printer_record(p, &followup_kind, &row);
	}
	printer_list_end(p);
}

int
cmd_followups(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_now = NULL;
	gint64 days = 14;
	const GOptionEntry entries[] = {
		{ "days", 0, 0, G_OPTION_ARG_INT64, &days, "older than N days (default 14)", "N" },
		{ "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
		  "count from DATE instead of today (also MAILCLERK_NOW)", "DATE" },
		{ NULL },
	};
	g_autoptr(printer) p =
	    command_parse_printer(env, "[CLIENT]",
	                          "Lists the threads filed under a client (or CLIENT) whose last "
	                          "message is more than N days old: those where the client wrote "
	                          "last (you owe a reply) and those where you did (chase them).",
	                          entries, &followup_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (days < 0 || argc > 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            days < 0 ? "--days must not be negative"
		                     : "followups takes one CLIENT");
		return command_fail(error);
	}
	const char *client = argc == 2 ? argv[1] : NULL;
	if (client && !command_check_client(env, client, &error))
		return command_fail(error);
	gint64 now = opt_now ? date_parse("--now", opt_now, &error) : date_now(&error);
	if (now < 0)
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	g_autoptr(GPtrArray) list = db ? followups_collect(db, client, now, days, &error) : NULL;
	if (!list)
		return command_fail(error);
	g_autofree char *owe = g_strdup_printf(
	    "You owe a reply (they wrote last, more than %" G_GINT64_FORMAT " days ago):\n", days);
	g_autofree char *chase = g_strdup_printf(
	    "Chase them (you wrote last, no answer for more than %" G_GINT64_FORMAT " days):\n",
	    days);
	printer_group_begin(p);
	print_section(p, "owe", owe, list, FALSE, now);
	print_section(p, "chase", chase, list, TRUE, now);
	printer_group_end(p);
	return printer_finish(g_steal_pointer(&p));
}
