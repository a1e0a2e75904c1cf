/* mailclerk reindex: read the stored copies of messages again and rewrite what parsing gives
 * (index/reindex.h). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "common/plural.h"
#include "index/reindex.h"
#include "index/supervise.h"

/* What the supervised child of a reindex is to do. */
struct reindex_cmd {
	struct command_env *env;
	int argc;
	char **argv;
};

static int
reindex_once(struct reindex_cmd *run)
{
	struct command_env *env = run->env;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = g_strjoinv(" ", run->argv + 1);
	g_strstrip(text);
	/* '*' is every message, as no query is: a whole reindex. */
	if (g_str_equal(text, "*"))
		*text = '\0';
	/* The messages of the query, or (none given) every message. */
	g_autoptr(GArray) ids = NULL;
	if (*text) {
		g_autoptr(query) q = command_parse_query(env, run->argc, run->argv, 0, &error);
		if (!q || !(ids = command_search(env, q, SORT_NEWEST, -1, 0, &error)))
			return command_fail(error);
	}
	struct reindex_report r;
	if (!command_index(env, &error))
		return command_fail(error);
	gboolean ok = reindex_run(env->db_path, env->cfg, ids, text, &r, &error);

	/* Earlier children of this run that a message crashed: what they
	 * committed. */
	struct writer_stats st;
	guint crashes;
	supervise_carried(&st, &crashes);
	writer_stats_add(&st, &r.stats);
	guint64 read = st.messages_rewritten + st.messages_unchanged;
	if (r.resumed_after)
		printf("reindex: going on after message %" G_GINT64_FORMAT
		       ", where a stopped reindex got to\n",
		       r.resumed_after);
	printf("reindex: %" G_GUINT64_FORMAT " message%s read again, %" G_GUINT64_FORMAT
	       " changed, %" G_GUINT64_FORMAT " unreadable, in %.2f s (%.0f messages/s)\n",
	       read, PLURAL_S(read), st.messages_rewritten, r.unreadable, r.seconds,
	       r.seconds > 0 ? (r.stats.messages_rewritten + r.stats.messages_unchanged) / r.seconds
	                     : 0.0);
	if (interrupt_caught()) {
		if (!ok)
			command_fail(error); /* said, but the exit status is the signal's */
		fprintf(stderr,
		        "mailclerk: interrupted: %" G_GUINT64_FORMAT
		        " message%s read again; run reindex again to finish\n",
		        read, PLURAL_S(read));
		return MC_EXIT_INTERRUPTED;
	}
	if (!ok)
		return command_fail(error);
	return r.unreadable ? MC_EXIT_FAILURE : MC_EXIT_OK;
}

/* The supervised child: the run, then the index closed cleanly (the child
 * ends with _exit(), not through main()). */
static int
reindex_child(void *data)
{
	struct reindex_cmd *run = data;
	int status = reindex_once(run);
	command_close_index(run->env);
	return status;
}

int
cmd_reindex(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(env, "[QUERY]",
	                           "Reads the stored copies of the messages QUERY matches (every "
	                           "message without one) again and rewrites what parsing gives: "
	                           "subject, date, sender, direction, addresses, attachments, "
	                           "text. Ids, threads, copies and filings are kept.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	/* ^C and SIGTERM stop it where the index is consistent; the next run
	 * goes on. */
	interrupt_catch();
	/* Parsing runs in a child a parent watches: a message that crashes
	 * the parser is recorded and skipped, and the run goes on. */
	struct reindex_cmd run = { .env = env, .argc = argc, .argv = argv };
	return supervise_run("reindex", reindex_child, &run, env->db_path);
}
