/* mailclerk followups done|snooze|undo ID: marks a thread done or snoozed,
 * or takes the mark away (index/followup-state.h). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "index/followup-state.h"
#include "query/followups.h"

/* Prints "WHAT: thread N (last message ID, DATE): SUBJECT". */
static void
print_marked(const char *what, const struct followup_mark *m)
{
	g_autoptr(GString) out = g_string_new(what);
	g_autofree char *date = date_day(m->date, "?");
	g_string_append_printf(
	    out,
	    ": thread %" G_GINT64_FORMAT " (last message %" G_GINT64_FORMAT ", %s): ", m->thread,
	    m->id, date);
	text_append_clean(out, *m->subject ? m->subject : "(no subject)", 0);
	printf("%s\n", out->str);
}

int
cmd_followups_mark(struct command_env *env, int argc, char **argv)
{
	const char *verb = env->command->sub;
	gboolean snooze = g_str_equal(verb, "snooze"), undo = g_str_equal(verb, "undo");
	g_autofree char *opt_until = NULL, *opt_note = NULL;
	const GOptionEntry until_entry = {
		"until",    0,
		0,          G_OPTION_ARG_STRING,
		&opt_until, "until DATE (as date: takes it, ahead: 2w, 2025-01-10)",
		"DATE"
	};
	const GOptionEntry note_entry = {
		"note", 0, 0, G_OPTION_ARG_STRING, &opt_note, "a note kept with the mark", "TEXT"
	};
	GOptionEntry entries[3] = { { NULL } };
	int n = 0;
	if (snooze)
		entries[n++] = until_entry;
	if (!undo)
		entries[n++] = note_entry;
	const char *summary = undo     ? "Takes the done or snooze mark off a thread: its "
	                                 "follow-up is listed again."
	                      : snooze ? "Leaves a thread out of the follow-ups until DATE, or "
	                                 "until a new message arrives in it."
	                               : "Marks a thread done: it leaves the follow-ups until a "
	                                 "new message arrives in it.";
	if (!command_parse_options(env, "ID|thread:N", summary, entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (argc != 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "followups %s takes one message ID or thread:N", verb);
		return command_fail(error);
	}
	if (snooze && !opt_until) {
		g_set_error_literal(&error, MC_ERROR, MC_ERROR_USAGE,
		                    "followups snooze needs --until DATE (2w, 2025-01-10)");
		return command_fail(error);
	}
	gint64 now = date_now(&error), until = 0;
	if (now < 0)
		return command_fail(error);
	if (snooze) {
		if (!query_parse_date("--until", opt_until, now, TRUE, &until, &error))
			return command_fail(error);
		if (until <= now) {
			g_autofree char *day = date_day(now, "?");
			g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
			            "--until: '%s' is not after today (%s)", opt_until, day);
			return command_fail(error);
		}
	}
	struct mc_db *db = command_index(env, &error);
	gint64 thread = db ? search_resolve_thread(db, argv[1], &error) : 0;
	g_autoptr(followup_mark) m = thread ? followups_thread(db, thread, &error) : NULL;
	if (!m) {
		/* The reference is what the user asked to change: naming nothing
		 * is a usage error, as an unknown client is. */
		if (g_error_matches(error, MC_ERROR, MC_ERROR_NOT_FOUND))
			error->code = MC_ERROR_USAGE;
		return command_fail(error);
	}
	if (undo) {
		if (m->state == FOLLOWUP_OPEN) {
			g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
			            "thread %" G_GINT64_FORMAT " is not marked done or snoozed",
			            m->thread);
			return command_fail(error);
		}
		if (!followup_state_clear(db, thread, &error))
			return command_fail(error);
		print_marked(m->state == FOLLOWUP_DONE ? "no longer done" : "no longer snoozed", m);
		return MC_EXIT_OK;
	}
	if (!followup_state_mark(db, thread, m->id, until, opt_note, now, &error))
		return command_fail(error);
	g_autofree char *day = date_day(until, "?");
	g_autofree char *what =
	    snooze ? g_strdup_printf("snoozed until %s", day) : g_strdup("done");
	print_marked(what, m);
	return MC_EXIT_OK;
}
