/* mailclerk reclassify: refile every message by the rules as they are now
 * (index/reclassify.h). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"
#include "index/reclassify.h"

int
cmd_reclassify(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(env, "",
	                           "Files every message again by the client and project rules "
	                           "of the configuration as they are now (after you changed "
	                           "them), from what the index holds, marks automated "
	                           "mail again by its automated and people lists, and "
	                           "mail sent by you again by your me addresses.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	struct reclassify_report r;
	struct mc_db *db = command_index(env, &error);
	if (!db || !reclassify_run(db, env->cfg, env->rules, &r, &error))
		return command_fail(error);
	printf("reclassify: %" G_GINT64_FORMAT " messages, %" G_GINT64_FORMAT
	       " filings (%" G_GINT64_FORMAT " added, %" G_GINT64_FORMAT
	       " removed), %" G_GINT64_FORMAT " automated (%" G_GINT64_FORMAT
	       " changed), %" G_GINT64_FORMAT " outbound (%" G_GINT64_FORMAT
	       " changed), in %.2f s\n",
	       r.messages, r.filings, r.added, r.removed, r.automated, r.automated_changed,
	       r.outbound, r.outbound_changed, r.seconds);
	return MC_EXIT_OK;
}
