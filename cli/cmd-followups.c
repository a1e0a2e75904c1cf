/* mailclerk followups: threads where you owe a reply, threads to chase,
 * clients and projects gone quiet; with --done, the threads marked done or
 * snoozed. (Marking them is cmd-followups-mark.c.) */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "common/plural.h"
#include "query/followups.h"

/* Whole days from DATE to NOW; 0 for a message dated ahead of NOW (a
 * sender's clock). */
static gint64
age_days(gint64 now, gint64 date)
{
	return now > date ? (now - date) / 86400 : 0;
}

/* Appends "  (id ID, N days)" and the end of the line. */
static void
append_id_days(GString *out, gint64 id, gint64 days)
{
	g_string_append_printf(out, "  (id %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " day%s)\n", id,
	                       days, PLURAL_S(days));
}

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
	g_autofree char *key = f->projects[0] ? g_strdup_printf("%s/%s", f->client, f->projects[0])
	                                      : g_strdup(f->client);
	const char *who = f->outbound ? f->to_addr : (*f->from_name ? f->from_name : f->from_addr);
	g_string_append_printf(out, "  %-16s %s  %s ", key, date, f->outbound ? "→" : "←");
	text_append_clean(out, who, 0);
	g_string_append(out, "  ");
	text_append_clean(out, *f->subject ? f->subject : "(no subject)", 0);
	append_id_days(out, f->id, age_days(row->now, f->date));
}

static void
followup_describe(struct printer *p, gconstpointer record)
{
	const struct followup_row *row = record;
	const struct followup *f = row->f;
	printer_kv_string(p, "client", f->client);
	printer_kv_string(p, "project", f->projects[0]);
	printer_kv_int(p, "thread", f->thread);
	printer_kv_int(p, "id", f->id);
	printer_kv_date(p, "date", f->date);
	printer_kv_int(p, "days", age_days(row->now, f->date));
	printer_kv_string(p, "subject", f->subject);
	printer_kv_string(p, f->outbound ? "to" : "from", f->outbound ? f->to_addr : f->from_addr);
}

static const struct record_kind followup_kind = {
	.describe = followup_describe,
	.text = followup_text,
};

/* A client or project gone quiet, as printed. */
struct quiet_row {
	const struct followup_quiet *q;
	gint64 now;
};

static void
quiet_text(GString *out, gconstpointer record, guint index)
{
	const struct quiet_row *row = record;
	const struct followup_quiet *q = row->q;
	g_autofree char *key =
	    q->project ? g_strdup_printf("%s/%s", q->client, q->project) : g_strdup(q->client);
	g_autofree char *date = q->last_id ? date_day(q->last, "?") : g_strdup("never");
	g_string_append_printf(out, "  %-16s %-10s  ", key, date);
	text_append_clean(out, q->name, 0);
	if (q->last_id)
		append_id_days(out, q->last_id, age_days(row->now, q->last));
	else
		g_string_append(out, "  (no exchange yet)\n");
}

static void
quiet_describe(struct printer *p, gconstpointer record)
{
	const struct quiet_row *row = record;
	const struct followup_quiet *q = row->q;
	printer_kv_string(p, "client", q->client);
	printer_kv_string(p, "project", q->project);
	if (q->last_id) {
		printer_kv_date(p, "last", q->last);
		printer_kv_int(p, "days", age_days(row->now, q->last));
		printer_kv_int(p, "last_id", q->last_id);
	} else {
		printer_kv_string(p, "last", NULL);
		printer_kv_string(p, "days", NULL);
		printer_kv_string(p, "last_id", NULL);
	}
}

static const struct record_kind quiet_kind = {
	.describe = quiet_describe,
	.text = quiet_text,
};

static void
mark_text(GString *out, gconstpointer record, guint index)
{
	const struct followup_mark *m = record;
	g_autofree char *until = date_day(m->until, "?");
	g_autofree char *state =
	    m->state == FOLLOWUP_SNOOZED ? g_strdup_printf("until %s", until) : g_strdup("done");
	g_autofree char *date = date_day(m->date, "?");
	g_string_append_printf(out, "  %-16s %s  %s ", state, date, m->outbound ? "→" : "←");
	text_append_clean(out,
	                  m->outbound     ? m->to_addr
	                  : *m->from_name ? m->from_name
	                                  : m->from_addr,
	                  0);
	g_string_append(out, "  ");
	text_append_clean(out, *m->subject ? m->subject : "(no subject)", 0);
	g_string_append_printf(out, "  (id %" G_GINT64_FORMAT ", thread %" G_GINT64_FORMAT ")",
	                       m->id, m->thread);
	if (*m->note) {
		g_string_append(out, "  note: ");
		text_append_clean(out, m->note, 0);
	}
	g_string_append_c(out, '\n');
}

static void
mark_describe(struct printer *p, gconstpointer record)
{
	const struct followup_mark *m = record;
	printer_kv_int(p, "thread", m->thread);
	printer_kv_int(p, "id", m->id);
	printer_kv_date(p, "date", m->date);
	printer_kv_string(p, "subject", m->subject);
	printer_kv_string(p, m->outbound ? "to" : "from", m->outbound ? m->to_addr : m->from_addr);
	printer_kv_string(p, "state", m->state == FOLLOWUP_SNOOZED ? "snoozed" : "done");
	printer_kv_date_or_null(p, "until", m->state == FOLLOWUP_SNOOZED ? m->until : 0);
	printer_kv_string(p, "note", m->note);
	printer_kv_date(p, "marked", m->marked);
}

static const struct record_kind mark_kind = {
	.describe = mark_describe,
	.text = mark_text,
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

/* The heading of the quiet section: its days, and whether some client
 * counts its own. */
static char *
quiet_heading(const struct mc_config *cfg, const char *client, gint64 quiet)
{
	gboolean own = FALSE;
	for (guint i = 0; !quiet && i < cfg->clients->len; i++) {
		const struct mc_client_config *c = g_ptr_array_index(cfg->clients, i);
		own |= c->followup_days && !c->inactive && (!client || g_str_equal(client, c->key));
	}
	return g_strdup_printf(
	    "Gone quiet (no mail either way for more than %" G_GINT64_FORMAT " day%s%s):\n",
	    quiet ? quiet : FOLLOWUP_QUIET_DAYS, PLURAL_S(quiet ? quiet : FOLLOWUP_QUIET_DAYS),
	    own ? ", or the client's followup_days" : "");
}

/* Prints the threads marked done or snoozed; FALSE and ERROR when they
 * cannot be read. */
static gboolean
print_marked(struct printer *p, struct mc_db *db, const char *client, const char *project,
             gint64 now, GError **error)
{
	g_autoptr(GPtrArray) marks = followups_marked(db, client, project, now, error);
	if (!marks)
		return FALSE;
	printer_list_begin(p, NULL, "Done and snoozed:\n", "  nothing\n");
	for (guint i = 0; i < marks->len; i++)
		printer_record(p, &mark_kind, g_ptr_array_index(marks, i));
	printer_list_end(p);
	return TRUE;
}

/* The longest --days, --max-age or --quiet: no date arithmetic overflows. */
#define MAX_DAYS 100000

int
cmd_followups(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_now = NULL;
	/* G_MININT64: not given. */
	gint64 days = FOLLOWUP_DAYS, max_age = G_MININT64, quiet = G_MININT64;
	gboolean all = FALSE, done = FALSE;
	const GOptionEntry entries[] = {
		{ "days", 0, 0, G_OPTION_ARG_INT64, &days,
		  "chase your messages unanswered for more than N days (default 14)", "N" },
		{ "max-age", 0, 0, G_OPTION_ARG_INT64, &max_age,
		  "leave out threads quiet for more than N days (default 90, or followup_max_age)",
		  "N" },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all, "keep threads of any age", NULL },
		{ "quiet", 0, 0, G_OPTION_ARG_INT64, &quiet,
		  "gone quiet: no mail either way for more than N days (default 14, or the "
		  "client's followup_days)",
		  "N" },
		{ "done", 0, 0, G_OPTION_ARG_NONE, &done, "list the threads marked done or snoozed",
		  NULL },
		{ "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
		  "count from DATE instead of today (also MAILCLERK_NOW)", "DATE" },
		{ NULL },
	};
	g_autoptr(printer) p = command_parse_printer(
	    env, "[CLIENT[/PROJECT]]",
	    "Lists the threads filed under a client (or CLIENT, or its PROJECT) where you owe a "
	    "reply (they wrote last, to you, and it is not answered) and those to chase (you "
	    "wrote last, more than N days ago), then the clients and projects gone quiet. "
	    "'followups done|snooze|undo ID' marks a thread.",
	    entries, &followup_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	const char *bad =
	    days < 0                               ? "--days must not be negative"
	    : max_age != G_MININT64 && max_age < 1 ? "--max-age must be at least 1"
	    : quiet != G_MININT64 && quiet < 1     ? "--quiet must be at least 1"
	    : MAX(days, MAX(max_age, quiet)) > MAX_DAYS
	        ? "--days, --max-age and --quiet count at most 100000 days"
	    : argc >= 2 && (g_str_equal(argv[1], "done") || g_str_equal(argv[1], "snooze") ||
	                    g_str_equal(argv[1], "undo"))
	        ? "options go after the word: followups done|snooze|undo ID [OPTION...]"
	    : argc > 2 ? "followups takes one CLIENT[/PROJECT]"
	               : NULL;
	if (bad) {
		g_set_error_literal(&error, MC_ERROR, MC_ERROR_USAGE, bad);
		return command_fail(error);
	}
	gint64 now = opt_now ? date_parse("--now", opt_now, &error) : date_now(&error);
	if (now < 0)
		return command_fail(error);
	const char *spec = argc == 2 ? argv[1] : NULL;
	if (spec && !command_check_client(env, spec, &error))
		return command_fail(error);
	const char *slash = spec ? strchr(spec, '/') : NULL;
	g_autofree char *client = slash ? g_strndup(spec, slash - spec) : g_strdup(spec);
	const char *project = slash ? slash + 1 : NULL;
	struct mc_db *db = command_index(env, &error);
	if (!db)
		return command_fail(error);
	if (done) {
		if (!print_marked(p, db, client, project, now, &error))
			return command_fail(error);
		return printer_finish(g_steal_pointer(&p));
	}

	/* Without them nothing is yours: no reply is owed and nothing to chase. */
	if (env->cfg->me->len == 0)
		fprintf(stderr,
		        "mailclerk: the configuration names none of your addresses ([mailclerk] "
		        "me = ...): no thread can be owed a reply or chased\n");
	struct followup_options o;
	followup_options_init(&o, env->cfg, now);
	o.days = days;
	o.all = all;
	if (opt_now)
		o.latest = now;
	if (max_age > 0)
		o.max_age = max_age;
	if (quiet > 0)
		o.quiet = quiet;
	g_autoptr(GPtrArray) list = followups_collect(db, env->cfg, client, project, &o, &error);
	g_autoptr(GArray) silent =
	    list ? followups_quiet(db, env->cfg, client, project, &o, &error) : NULL;
	if (!silent)
		return command_fail(error);
	g_autofree char *chase = g_strdup_printf(
	    "Chase them (you wrote last, no answer for more than %" G_GINT64_FORMAT " day%s):\n",
	    days, PLURAL_S(days));
	g_autofree char *heading = quiet_heading(env->cfg, client, o.quiet);
	printer_group_begin(p);
	print_section(p, "owe", "You owe a reply (they wrote last, to you):\n", list, FALSE, now);
	print_section(p, "chase", chase, list, TRUE, now);
	printer_list_begin(p, "quiet", heading, "  nothing\n");
	for (guint i = 0; i < silent->len; i++) {
		struct quiet_row row = { &g_array_index(silent, struct followup_quiet, i), now };
		printer_record(p, &quiet_kind, &row);
	}
	printer_list_end(p);
	printer_group_end(p);
	return printer_finish(g_steal_pointer(&p));
}
