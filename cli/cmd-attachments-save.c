/* mailclerk attachments save [--to DIR | --by-project] [--dry-run] QUERY:
 * the attachments of the messages QUERY matches, written to disk once each
 * (ingest/save.h says how). */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/plural.h"
#include "index/load.h"
#include "index/saved-files.h"
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
	        "ROOT/CLIENT/PROJECT, CLIENT/_unsorted, _unfiled, where ROOT is "
	        "attachments_dir or the folder 'attachments' beside the index). The same "
	        "bytes are saved once per folder; an existing file is never overwritten. A "
	        "file saved before into the folder of a filing its message no longer has is "
	        "moved, while unchanged.",
	        entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (opt_to && by_project) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "attachments save: --to and --by-project exclude each other");
		return command_fail(error);
	}
	g_autoptr(query) q = command_parse_query(env, argc, argv, COMMAND_QUERY_REQUIRED, &error);
	if (!q)
		return command_fail(error);
	g_autofree char *to_dir = opt_to ? paths_expand(opt_to) : NULL;
	g_autofree char *root = paths_attachments_root(env->cfg, env->db_path);

	g_autoptr(GArray) ids = command_search(env, q, SORT_OLDEST, -1, 0, &error);
	if (!ids)
		return command_fail(error);

	g_autoptr(save_run) run = save_run_new(env->db, env->cfg, root, dry_run, &error);
	if (!run)
		return command_fail(error);
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < ids->len; i++) {
		g_autoptr(stored_message) r =
		    load_message(env->db, g_array_index(ids, gint64, i), &error);
		if (!r)
			return command_fail(error);
		g_autoptr(GPtrArray) dests =
		    save_destinations(env->cfg, r, to_dir == NULL, to_dir, root);
		gboolean ok = save_run_message(run, dests, r, include_inline, out, &error);
		fputs(out->str, stdout);
		g_string_truncate(out, 0);
		if (!ok)
			return command_fail(error);
	}
	fflush(stdout);
	const struct save_counts *n = save_run_counts(run);
	fprintf(stderr, "attachments save: %u %s, %u %s, %u duplicate%s, %u failed\n", n->saved,
	        dry_run ? "to save" : "saved", n->moved, dry_run ? "to move" : "moved",
	        n->duplicates, PLURAL_S(n->duplicates), n->failed);
	return n->failed ? MC_EXIT_FAILURE : MC_EXIT_OK;
}
