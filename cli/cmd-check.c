/* mailclerk check: verify the index (SQLite's and FTS5's own checks). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"

int
cmd_check(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(env, "",
	                           "Verifies the index: SQLite's integrity_check and the "
	                           "full-text index's integrity-check. Prints ok, or the problems; "
	                           "then whether the index needs a reindex.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	struct mc_db *db = command_index(env, &error);
	g_autoptr(GPtrArray) problems = db ? db_check(db, &error) : NULL;
	if (!problems)
		return command_fail(error);
	for (guint i = 0; i < problems->len; i++)
		printf("%s\n", (const char *)g_ptr_array_index(problems, i));
	if (problems->len == 0)
		printf("ok\n");
	/* Not a fault of the index: said, but it still passes. */
	g_autofree char *lacks = db_reindex_needed(db);
	if (lacks)
		printf(
		    "reindex needed: this index was made by an older mailclerk and lacks %s; run "
		    "'mailclerk reindex'\n",
		    lacks);
	return problems->len == 0 ? MC_EXIT_OK : MC_EXIT_FAILURE;
}
