/* mailclerk attachments save [--to DIR | --by-project] [--dry-run] QUERY:
 * the attachments of the messages QUERY matches, written to disk once each
 * (ingest/save.h says how). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/paths.h"
#include "index/load.h"
#include "ingest/save.h"

int
cmd_attachments_save(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_to = NULL;
	gboolean by_project = FALSE, dry_run = FALSE, include_inline = FALSE;
	const GOptionEntry entries[] = {
		{ "to", 0, 0, G_OPTION_ARG_FILENAME, &opt_to, "save every file into DIR", "DIR" },
		{ "by-project", 0, 0, G_OPTION_ARG_NONE, &by_project,
		  "save into each project's attachments folder (the default)", NULL },
		{ "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
		  "print what would be saved; write nothing", NULL },
		{ "include-inline", 0, 0, G_OPTION_ARG_NONE, &include_inline,
		  "also parts shown inline (Content-ID images, signature logos)", NULL },
		{ NULL },
	};
	if (!command_parse_options(
	        env, "QUERY...",
	        "Saves the attachments of the messages QUERY matches ('*' for all): into DIR "
	        "with --to, else into each project's attachments folder (by default "
	        "$XDG_DATA_HOME/mailclerk/attachments/CLIENT/PROJECT, CLIENT/_unsorted, "
	        "_unfiled). The same bytes are saved once per folder; an existing file is "
	        "never overwritten.",
	        entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (opt_to && by_project) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "attachments save: --to and --by-project exclude each other");
		return command_fail(error);
	}
	g_autoptr(query) q = command_parse_query(env, argc, argv, TRUE, &error);
	if (!q)
		return command_fail(error);
	g_autofree char *to_dir = opt_to ? paths_expand(opt_to) : NULL;
	g_autofree char *root = command_attachments_root(env);

	g_autoptr(GArray) ids = command_search(env, q, SORT_OLDEST, -1, 0, &error);
	if (!ids)
		return command_fail(error);

	g_autoptr(saver) s = saver_new(dry_run);
	guint saved = 0, duplicates = 0, failed = 0;
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(stored_message) r =
		    load_message(env->db, g_array_index(ids, gint64, i), &error);
		if (!r)
			return command_fail(error);
		g_autoptr(GPtrArray) dests =
		    save_destinations(env->cfg, r, to_dir == NULL, to_dir, root);
		saver_save_message(s, dests, r, include_inline, out, &saved, &duplicates, &failed);
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
	}
	fflush(stdout);
	fprintf(stderr, "attachments save: %u %s, %u duplicate%s, %u failed\n", saved,
	        dry_run ? "to save" : "saved", duplicates, duplicates == 1 ? "" : "s", failed);
	return failed ? MC_EXIT_FAILURE : MC_EXIT_OK;
}
