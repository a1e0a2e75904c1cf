/* mailclerk ingest: add mail to the index. */
#include "config.h"

#include <stdio.h>

#include "cli/command.h"
#include "cli/ingest.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/interrupt.h"
#include "common/plural.h"
#include "imap/idle.h"
#include "imap/sync.h"
#include "index/autosave.h"
#include "index/imap-state.h"
#include "index/pipeline.h"
#include "index/supervise.h"

static gboolean
add_source(GPtrArray *sources, const char *kind, const char *name, const char *path,
           const char *store_dir, GError **error)
{
	struct source *src = source_new(kind, name, path, error);
	if (!src)
		return FALSE;
	src->store_dir = g_strdup(store_dir);
	g_ptr_array_add(sources, src);
	return TRUE;
}

/* What the supervised child of an ingest run is to do. */
struct ingest_run {
	struct command_env *env;
	GPtrArray *sources;      /* struct source * */
	GPtrArray *imap_sources; /* const struct mc_source_config * */
	const char *data_dir, *store_dir;
	const struct ingest_watch *watch; /* NULL for `mailclerk ingest` */
};

static int ingest_child(void *data);

/* A signal stopped the run at a safe point: says how far it got. */
static int
ingest_interrupted(guint64 indexed)
{
	fprintf(stderr,
	        "mailclerk: interrupted: %" G_GUINT64_FORMAT
	        " message%s indexed; run ingest again to finish\n",
	        indexed, PLURAL_S(indexed));
	return MC_EXIT_INTERRUPTED;
}

int
cmd_ingest(struct command_env *env, int argc, char **argv)
{
	g_auto(GStrv) maildirs = NULL, mboxes = NULL, files = NULL;
	const GOptionEntry entries[] = {
		{ "maildir", 'm', 0, G_OPTION_ARG_FILENAME_ARRAY, &maildirs,
		  "a maildir, and every maildir below it (repeatable)", "DIR" },
		{ "mbox", 'b', 0, G_OPTION_ARG_FILENAME_ARRAY, &mboxes,
		  "an mbox file, or a directory of them (repeatable)", "FILE" },
		{ "file", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
		  "a message file; '-' reads one message from standard input; further "
		  "arguments are files too",
		  "FILE" },
		{ NULL },
	};
	if (!command_parse_options(env, "[NAME...]",
	                           "Adds mail to the index. With no options, ingests every maildir "
	                           "and mbox [source NAME] of the configuration; with NAMEs, only "
	                           "those.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	/* ^C and SIGTERM stop the run where the index is consistent and say
	 * so; a second one kills as usual. */
	interrupt_catch();

	g_autoptr(GError) error = NULL;
	g_autofree char *data_dir = g_path_get_dirname(env->db_path);
	g_autofree char *store_dir = g_build_filename(data_dir, "store", "stdin", NULL);
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func((GDestroyNotify)source_free);
	/* const struct mc_source_config *: fetched first, then indexed from the store. */
	g_autoptr(GPtrArray) imap_sources = g_ptr_array_new();

	for (char **p = maildirs; p && *p; p++)
		if (!add_source(sources, "maildir", "", *p, store_dir, &error))
			return command_fail(error);
	for (char **p = mboxes; p && *p; p++)
		if (!add_source(sources, "mbox", "", *p, store_dir, &error))
			return command_fail(error);
	if (files) {
		g_autoptr(GPtrArray) paths = g_ptr_array_new();
		for (char **p = files; *p; p++)
			g_ptr_array_add(paths, *p);
		for (int i = 1; i < argc; i++)
			g_ptr_array_add(paths, argv[i]);
		gboolean stdin_read = FALSE;
		for (guint i = 0; i < paths->len; i++) {
			const char *path = g_ptr_array_index(paths, i);
			/* Mail on stdin is stored first, here, and indexed from the
			 * store: a run started again after a crash finds it there. */
			if (g_str_equal(path, "-")) {
				if (stdin_read || supervise_restarted())
					continue;
				g_autofree char *stored = NULL;
				if (!fileio_make_maildir(store_dir, &error) ||
				    !(stored = file_store_stdin(store_dir, &error)))
					return command_fail(error);
				stdin_read = TRUE;
			} else if (!add_source(sources, "file", "", path, store_dir, &error)) {
				return command_fail(error);
			}
		}
	} else if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			const struct mc_source_config *sc = config_find_source(env->cfg, argv[i]);
			if (!sc) {
				g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
				            "no [source %s] in %s", argv[i],
				            env->cfg->file ? env->cfg->file : "the configuration");
				return command_fail(error);
			}
			if (g_str_equal(sc->type, "imap")) {
				g_ptr_array_add(imap_sources, (gpointer)sc);
				continue;
			}
			if (!add_source(sources, sc->type, sc->name, sc->path, store_dir, &error))
				return command_fail(error);
		}
	} else if (!maildirs && !mboxes) {
		for (guint i = 0; i < env->cfg->sources->len; i++) {
			const struct mc_source_config *sc = g_ptr_array_index(env->cfg->sources, i);
			if (g_str_equal(sc->type, "imap")) {
				g_ptr_array_add(imap_sources, (gpointer)sc);
				continue;
			}
			if (!add_source(sources, sc->type, sc->name, sc->path, store_dir, &error))
				return command_fail(error);
		}
		if (sources->len == 0 && imap_sources->len == 0) {
			g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
			            "nothing to ingest: give --maildir, --mbox or --file, or add "
			            "[source NAME] groups to %s",
			            env->cfg->file ? env->cfg->file : "the configuration");
			return command_fail(error);
		}
	}

	/* Mail from stdin is indexed from the store it was delivered to, above
	 * or by a killed run that did not index it: first, like a delivery. */
	if (g_file_test(store_dir, G_FILE_TEST_IS_DIR)) {
		struct source *store = source_new("maildir", "", store_dir, &error);
		if (!store)
			return command_fail(error);
		store->root_folder = "stdin";
		g_ptr_array_insert(sources, 0, store);
	}

	return ingest_run_sources(env, sources, imap_sources, NULL);
}

int
ingest_run_sources(struct command_env *env, GPtrArray *sources, GPtrArray *imap_sources,
                   const struct ingest_watch *watch)
{
	g_autofree char *data_dir = g_path_get_dirname(env->db_path);
	g_autofree char *store_dir = g_build_filename(data_dir, "store", "stdin", NULL);
	struct ingest_run run = {
		.env = env,
		.sources = sources,
		.imap_sources = imap_sources,
		.data_dir = data_dir,
		.store_dir = store_dir,
		.watch = watch,
	};
	return supervise_run("ingest", ingest_child, &run, env->db_path);
}

static int ingest_once(struct ingest_run *run);
static void print_ingest_summary(const struct writer_stats *st, const struct ingest_report *r,
                                 guint crashes, guint64 known);

static void
print_imap_report(const struct mc_source_config *sc, const struct imap_sync_report *rep,
                  const GError *failed)
{
	if (failed)
		fprintf(stderr, "mailclerk: %s\n", failed->message);
	if (rep->busy)
		printf("imap: %s: another ingest is fetching it; indexing its store as it is",
		       sc->name);
	else
		printf("imap: %s: %" G_GUINT64_FORMAT " new message%s fetched from %u folder%s",
		       sc->name, rep->fetched, PLURAL_S(rep->fetched), rep->folders,
		       PLURAL_S(rep->folders));
	if (rep->skipped)
		printf(", %" G_GUINT64_FORMAT " skipped", rep->skipped);
	if (rep->flags_changed)
		printf(", flags changed on %" G_GUINT64_FORMAT, rep->flags_changed);
	printf("\n");
	fflush(stdout);
}

/* Watch: source SC's state in WATCH->imap_down (shared with the watch),
 * said as imap_watch_said() says it, the same as the IDLE processes. */
static void
watch_imap_said(const struct ingest_watch *watch, const struct mc_source_config *sc, gboolean ok,
                const GError *failed)
{
	gint *down = NULL;
	for (guint i = 0; i < watch->cfg_sources->len; i++)
		if (g_ptr_array_index(watch->cfg_sources, i) == sc)
			down = &watch->imap_down[i];
	if (down)
		imap_watch_said(sc, down, ok, failed);
}

/* Watch: one line for a run that changed the index, nothing otherwise. */
static void
print_watch_summary(const struct ingest_watch *watch, const struct writer_stats *st,
                    guint64 skipped)
{
	g_autoptr(GString) line = g_string_new(NULL);
	const struct {
		guint64 n;
		const char *what, *whats;
	} parts[] = {
		{ st->messages_added, "new", "new" },
		{ st->copies_added, "new copy", "new copies" },
		{ st->copies_moved, "renamed", "renamed" },
		{ st->copies_removed, "removed", "removed" },
		{ skipped, "skipped", "skipped" },
	};
	for (guint i = 0; i < G_N_ELEMENTS(parts); i++)
		if (parts[i].n)
			g_string_append_printf(line, "%s%" G_GUINT64_FORMAT " %s",
			                       line->len ? ", " : "", parts[i].n,
			                       parts[i].n == 1 ? parts[i].what : parts[i].whats);
	if (line->len) {
		printf("mailclerk watch: %s: %s\n", watch->label, line->str);
		fflush(stdout);
	}
}

/* The supervised child: the run, then the index closed cleanly (the child
 * ends with _exit(), not through main()). */
static int
ingest_child(void *data)
{
	struct ingest_run *run = data;
	int status = ingest_once(run);
	command_close_index(run->env);
	return status;
}

static int
ingest_once(struct ingest_run *run)
{
	struct command_env *env = run->env;
	GPtrArray *sources = run->sources, *imap_sources = run->imap_sources;
	const char *data_dir = run->data_dir, *store_dir = run->store_dir;
	g_autoptr(GError) error = NULL;

	/* IMAP: new mail into the store, then the store (all of it, also folders
	 * the server no longer has) is indexed like any maildir. Fetching takes
	 * no index lock (each source has its own, imap/sync.c): a long first
	 * sync must not hold up local deliveries (ingest --file -). */
	g_autofree char *imap_root = g_build_filename(data_dir, "store", "imap", NULL);
	g_autoptr(GPtrArray) store_folders = g_ptr_array_new_with_free_func(imap_store_folder_free);
	guint imap_failed = 0;
	struct imap_progress *imap_state = NULL;
	if (imap_sources->len && !(imap_state = imap_state_open(env->db_path, &error)))
		return command_fail(error);
	for (guint i = 0; i < imap_sources->len; i++) {
		const struct mc_source_config *sc = g_ptr_array_index(imap_sources, i);
		struct imap_sync_report rep;
		g_autoptr(GError) local = NULL;
		gboolean synced = imap_sync(imap_state, imap_root, sc, &rep, &local);
		if (!synced && !interrupt_caught())
			imap_failed++;
		if (run->watch)
			watch_imap_said(run->watch, sc, synced || interrupt_caught(), local);
		else
			print_imap_report(sc, &rep, synced || interrupt_caught() ? NULL : local);
		/* What was fetched is in the store: the next run indexes it. */
		if (interrupt_caught()) {
			imap_state_close(imap_state);
			return run->watch ? MC_EXIT_INTERRUPTED : ingest_interrupted(0);
		}
		g_autoptr(GPtrArray) folders = imap_store_folders(imap_root, sc->name);
		for (guint k = 0; k < folders->len; k++) {
			struct imap_store_folder *f = g_ptr_array_index(folders, k);
			if (!add_source(sources, "maildir", sc->name, f->dir, store_dir, &error)) {
				imap_state_close(imap_state);
				return command_fail(error);
			}
			((struct source *)g_ptr_array_index(sources, sources->len - 1))
			    ->root_folder = f->folder;
			g_ptr_array_add(store_folders, g_ptr_array_steal_index(folders, k--));
		}
	}
	imap_state_close(imap_state);
	/* Now the writer lock, and the index. A watch never gives up on a busy
	 * lock: the changes it saw are still to be indexed. */
	struct mc_db *db = command_index(env, &error);
	while (!db && run->watch && g_error_matches(error, MC_ERROR, MC_ERROR_BUSY)) {
		g_clear_error(&error);
		db = command_index(env, &error);
	}
	if (!db && interrupt_caught())
		return run->watch ? MC_EXIT_INTERRUPTED : ingest_interrupted(0);
	if (!db || !autosave_prepare(db, env->cfg, &error))
		return command_fail(error);
	struct ingest_report r;
	gboolean ok = pipeline_run(env->db_path, env->cfg, env->rules, sources, &r, &error);
	/* A watch said it (watch_imap_said()) and retries. */
	if (ok && imap_failed && !run->watch) {
		g_set_error(&error, MC_ERROR, MC_ERROR_FAILED,
		            "%u of %u IMAP sources could not be fetched whole", imap_failed,
		            imap_sources->len);
		ok = FALSE;
	}
	if (ok && r.sources_failed) {
		g_set_error(&error, MC_ERROR, MC_ERROR_FAILED,
		            "%" G_GUINT64_FORMAT " of %u sources could not be read",
		            r.sources_failed, sources->len);
		ok = FALSE;
	}
	/* Earlier children of this run that crashed on a message: what they
	 * committed, and the messages that crashed them (found by this run,
	 * although the index now knows them). */
	struct writer_stats st;
	guint crashes;
	supervise_carried(&st, &crashes);
	writer_stats_add(&st, &r.stats);
	guint64 known = r.skipped_known > crashes ? r.skipped_known - crashes : 0;
	if (run->watch)
		print_watch_summary(run->watch, &st, r.skipped + crashes);
	else
		print_ingest_summary(&st, &r, crashes, known);
	/* An index made by an older mailclerk: its mail lacks what parsing
	 * gives now until it is read again. */
	g_autofree char *lacks = !run->watch || run->watch->first ? db_reindex_needed(db) : NULL;
	if (lacks)
		fprintf(stderr,
		        "mailclerk: this index was made by an older mailclerk and lacks %s; run "
		        "'mailclerk reindex'\n",
		        lacks);
	/* Interrupted: what was committed is saved by the next run. */
	if (interrupt_caught()) {
		if (!ok)
			command_fail(error); /* said, but the exit status is the signal's */
		return run->watch ? MC_EXIT_INTERRUPTED : ingest_interrupted(st.messages_added);
	}
	/* What the run committed is saved even when it stopped early. */
	guint save_failed = 0;
	g_autoptr(GError) save_error = NULL;
	gboolean saved_ok = autosave_run(db, env->cfg, &save_failed, &save_error);
	if (interrupt_caught() && saved_ok && ok)
		return run->watch ? MC_EXIT_INTERRUPTED : ingest_interrupted(st.messages_added);
	if (!ok)
		return command_fail(error);
	if (!saved_ok)
		return command_fail(save_error);
	return save_failed ? MC_EXIT_FAILURE : MC_EXIT_OK;
}

static void
print_ingest_summary(const struct writer_stats *st, const struct ingest_report *r, guint crashes,
                     guint64 known)
{
	printf("ingest: %" G_GUINT64_FORMAT " new message%s, %" G_GUINT64_FORMAT
	       " new cop%s of known messages, %" G_GUINT64_FORMAT " renamed, %" G_GUINT64_FORMAT
	       " cop%s removed (%" G_GUINT64_FORMAT " message%s), %" G_GUINT64_FORMAT " skipped",
	       st->messages_added, PLURAL_S(st->messages_added), st->copies_added,
	       st->copies_added == 1 ? "y" : "ies", st->copies_moved, st->copies_removed,
	       st->copies_removed == 1 ? "y" : "ies", st->messages_removed,
	       PLURAL_S(st->messages_removed), r->skipped + crashes);
	if (known)
		printf(", %" G_GUINT64_FORMAT " skipped (known)", known);
	/* A message's only copy edited in place, read again. */
	if (st->messages_rewritten)
		printf(", %" G_GUINT64_FORMAT " changed", st->messages_rewritten);
	printf(", in %.2f s (%.0f messages/s)\n", r->seconds,
	       r->seconds > 0 ? r->scanned / r->seconds : 0.0);
}
