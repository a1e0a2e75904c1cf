/* main(): global options, the command table, dispatch.
 *
 * Built twice: as mailclerk, which runs the commands that only read the index
 * and links no GMime (start-up is most of a search's time), and as
 * mailclerk-mail (MAILCLERK_MAIL), which runs every command. mailclerk hands
 * the commands that read mail over to mailclerk-mail by exec. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "common/conf.h"
#include "common/error.h"
#include "common/paths.h"
#include "query/query.h"

struct command {
	const char *name;
	const char *sub; /* a second word, as in "attachments save"; or NULL */
	command_fn fn;   /* NULL: run by mailclerk-mail */
	const char *summary;
};

#ifdef MAILCLERK_MAIL
#define MAIL_COMMAND(fn) fn
#else
#define MAIL_COMMAND(fn) NULL
#endif

/* Every command, once: dispatch and `mailclerk --help` both read this table. */
static const struct command commands[] = {
	{ "ingest", NULL, MAIL_COMMAND(cmd_ingest),
	  "add mail from maildirs, mbox files, message files and sources" },
	{ "search", NULL, cmd_search, "list the messages a query matches" },
	{ "count", NULL, cmd_count, "count the messages a query matches" },
	{ "show", NULL, MAIL_COMMAND(cmd_show), "show one message: headers, body, attachments" },
	{ "thread", NULL, cmd_thread, "list the messages of a message's thread" },
	{ "explain", NULL, cmd_explain,
	  "show which client and project a message is filed under, and why" },
	{ "clients", NULL, cmd_clients,
	  "each client: mail in and out, threads, contact, follow-ups" },
	{ "timeline", NULL, cmd_timeline,
	  "a client's or project's correspondence by thread, in order" },
	{ "contacts", NULL, cmd_contacts,
	  "everyone in a client's mail: name, address, messages, dates" },
	{ "followups", NULL, cmd_followups, "threads where you owe a reply, and threads to chase" },
	{ "attachments", NULL, cmd_attachments,
	  "list the attachments of the messages a query matches" },
	{ "attachments", "save", MAIL_COMMAND(cmd_attachments_save),
	  "save them into a folder, or each project's folder" },
	{ "reclassify", NULL, MAIL_COMMAND(cmd_reclassify),
	  "file every message again after the client or project rules changed" },
	{ "check", NULL, cmd_check, "verify the index's integrity" },
};

/* Returns where mailclerk-mail is: beside this program when that has one (a
 * build tree), else where `make install` put it. The caller frees it. */
static char *
mail_program_path(void)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	if (self) {
		g_autofree char *dir = g_path_get_dirname(self);
		char *beside = g_build_filename(dir, "mailclerk-mail", NULL);
		if (g_file_test(beside, G_FILE_TEST_IS_EXECUTABLE))
			return beside;
		g_free(beside);
	}
	return g_build_filename(PKGLIBEXECDIR, "mailclerk-mail", NULL);
}

/* Runs ARGV (as mailclerk was given it) in mailclerk-mail; returns only on
 * failure. */
static int
run_mail_program(char **argv)
{
	g_autofree char *path = mail_program_path();
	execv(path, argv);
	fprintf(stderr, "mailclerk: cannot run %s: %s (is mailclerk installed whole?)\n", path,
	        g_strerror(errno));
	return MC_EXIT_FAILURE;
}

int
command_fail(const GError *error)
{
	fprintf(stderr, "mailclerk: %s\n", error->message);
	if (error->domain == MC_ERROR && error->code == MC_ERROR_USAGE)
		return MC_EXIT_USAGE;
	if (error->domain == G_OPTION_ERROR || error->domain == QUERY_ERROR)
		return MC_EXIT_USAGE;
	return MC_EXIT_FAILURE;
}

gboolean
command_parse_options(const char *name, const char *params, const char *summary,
                      const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autofree char *prg = g_strdup_printf("mailclerk %s", name);
	g_set_prgname(prg);
	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		fprintf(stderr, "mailclerk %s: %s (see 'mailclerk %s --help')\n", name,
		        error->message, name);
		return FALSE;
	}
	return TRUE;
}

static char *
commands_help(void)
{
	GString *s = g_string_new("Commands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		g_autofree char *name = g_strjoin(" ", commands[i].name, commands[i].sub, NULL);
		g_string_append_printf(s, "  %-17s %s\n", name, commands[i].summary);
	}
	g_string_append(s, "\n'mailclerk COMMAND --help' describes a command's options.\n"
	                   "Exit status: 0 success (also with no results), 1 runtime failure,\n"
	                   "2 usage, configuration or query error.");
	return g_string_free(s, FALSE);
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* The arguments as given: option parsing rewrites ARGV, and a command run
	 * by mailclerk-mail needs them whole. */
	g_auto(GStrv) original_argv = g_strdupv(argv);
	g_autofree char *opt_config = NULL, *opt_db = NULL;
	gboolean opt_version = FALSE;
	const GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
		  "configuration file (default $XDG_CONFIG_HOME/mailclerk/config)", "FILE" },
		{ "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt_db,
		  "index database (default $XDG_DATA_HOME/mailclerk/index.db)", "FILE" },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &opt_version, "print the version and exit",
		  NULL },
		{ NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("COMMAND [OPTIONS] [ARGS]");
	g_option_context_set_summary(ctx, "Puts a freelancer's client mail in one place and "
	                                  "finds it again.");
	g_autofree char *desc = commands_help();
	g_option_context_set_description(ctx, desc);
	g_option_context_add_main_entries(ctx, entries, NULL);
	/* Stop at the command name: what follows belongs to the command. */
	g_option_context_set_strict_posix(ctx, TRUE);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		fprintf(stderr, "mailclerk: %s (see 'mailclerk --help')\n", error->message);
		return MC_EXIT_USAGE;
	}
	if (opt_version) {
		/* The second line says what the build can read; scripts and the
		 * tests look for "PDF text: poppler". */
		printf("mailclerk %s\n", PACKAGE_VERSION);
#ifdef HAVE_POPPLER
		printf("PDF text: poppler-glib %s\n", POPPLER_VERSION);
#else
		printf("PDF text: no (built without poppler-glib)\n");
#endif
		return MC_EXIT_OK;
	}
	if (argc < 2) {
		g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
		fputs(help, stderr);
		return MC_EXIT_USAGE;
	}
	/* "attachments save" before "attachments". */
	const struct command *cmd = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(commands) && !cmd; i++)
		if (g_str_equal(commands[i].name, argv[1]) && commands[i].sub && argc > 2 &&
		    g_str_equal(commands[i].sub, argv[2]))
			cmd = &commands[i];
	for (guint i = 0; i < G_N_ELEMENTS(commands) && !cmd; i++)
		if (g_str_equal(commands[i].name, argv[1]) && !commands[i].sub)
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "mailclerk: unknown command '%s' (see 'mailclerk --help')\n",
		        argv[1]);
		return MC_EXIT_USAGE;
	}
	if (!cmd->fn)
		return run_mail_program(original_argv);

	/* --config, then MAILCLERK_CONFIG, name a file that must exist; the XDG
	 * default may be missing, which means defaults. */
	const char *env_config = g_getenv("MAILCLERK_CONFIG");
	gboolean must_exist = opt_config || (env_config && *env_config);
	g_autofree char *config_path = opt_config   ? g_strdup(opt_config)
	                               : must_exist ? g_strdup(env_config)
	                                            : paths_default_config();
	g_autoptr(mc_config) cfg = config_load(config_path, must_exist, &error);
	if (!cfg)
		return command_fail(error);
	const char *env_db = g_getenv("MAILCLERK_DB");
	g_autofree char *db_path = opt_db                ? paths_expand(opt_db)
	                           : (env_db && *env_db) ? paths_expand(env_db)
	                                                 : paths_default_db();

	struct command_env env = { .db_path = db_path, .cfg = cfg };
	int skip = cmd->sub ? 2 : 1;
	return cmd->fn(&env, argc - skip, argv + skip);
}
