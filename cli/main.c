/* main(): global options, the command table, dispatch.
 *
 * Built twice: as mailclerk, which runs the commands that only read the index
 * and links no GMime (start-up is most of a search's time), and as
 * mailclerk-mail (MAILCLERK_MAIL), which runs every command. mailclerk hands
 * the commands marked CMD_MAIL over to mailclerk-mail by exec. Both link the
 * commands from one library (libmailclerk-cli.a), so each program holds
 * exactly the commands its table names: the table decides the split, and a
 * command that parses mail but is not marked CMD_MAIL fails to link into
 * mailclerk, which has no GMime. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/command.h"
#include "common/conf.h"
#include "common/error.h"
#include "common/heap.h"
#include "common/paths.h"
#include "ingest/parse.h"
#include "ingest/pdf.h"

/* A command that parses mail: its function and CMD_MAIL in one, so the two
 * cannot disagree. mailclerk has no such functions (it links no GMime); it
 * runs mailclerk-mail for them. */
#ifdef MAILCLERK_MAIL
#define MAIL(fn) fn, CMD_MAIL
#else
#define MAIL(fn) NULL, CMD_MAIL
#endif

/* Every command, once: what it needs, dispatch, and `mailclerk --help`. */
static const struct command commands[] = {
	{ "ingest", NULL, MAIL(cmd_ingest) | CMD_WRITE | CMD_LOCK | CMD_RULES | CMD_SUPERVISED,
	  "add mail from maildirs, mbox files, message files and sources" },
	/* Each ingest is a child that takes the lock only while it writes. */
	{ "watch", NULL, MAIL(cmd_watch) | CMD_WRITE | CMD_LOCK | CMD_RULES,
	  "keep the index current: ingest each source when its mail changes" },
	{ "search", NULL, cmd_search, CMD_SNAPSHOT, "list the messages a query matches" },
	{ "count", NULL, cmd_count, CMD_READ, "count the messages a query matches" },
	{ "show", NULL, MAIL(cmd_show) | CMD_READ, "show one message: headers, body, attachments" },
	{ "thread", NULL, cmd_thread, CMD_SNAPSHOT,
	  "list the messages of a thread (a message's, or thread:N)" },
	{ "links", NULL, cmd_links, CMD_SNAPSHOT,
	  "make a folder a Maildir of links to the messages a query matches, for mutt" },
	{ "explain", NULL, cmd_explain, CMD_READ | CMD_RULES,
	  "show which client and project a message is filed under, and why" },
	{ "clients", NULL, cmd_clients, CMD_SNAPSHOT | CMD_RULES,
	  "each client: mail in and out, threads, contact, follow-ups" },
	{ "timeline", NULL, cmd_timeline, CMD_READ | CMD_RULES,
	  "a client's or project's correspondence by thread, in order" },
	{ "contacts", NULL, cmd_contacts, CMD_READ | CMD_RULES,
	  "everyone in a client's mail: name, address, messages, dates" },
	{ "followups", NULL, cmd_followups, CMD_READ | CMD_RULES,
	  "threads where you owe a reply or should chase; clients gone quiet" },
	/* Marks are written: the index must exist, and the writer lock is taken. */
	{ "followups", "done", cmd_followups_mark, CMD_READ | CMD_WRITE | CMD_LOCK,
	  "mark a thread done, until a new message arrives in it" },
	{ "followups", "snooze", cmd_followups_mark, CMD_READ | CMD_WRITE | CMD_LOCK,
	  "leave a thread out of the follow-ups until a date" },
	{ "followups", "undo", cmd_followups_mark, CMD_READ | CMD_WRITE | CMD_LOCK,
	  "take a thread's done or snooze mark away" },
	{ "projects", NULL, cmd_projects, CMD_SNAPSHOT | CMD_RULES,
	  "each project: mail in and out, threads, follow-ups, attachments, folder" },
	{ "attachments", NULL, cmd_attachments, CMD_SNAPSHOT,
	  "list the attachments of the messages a query matches" },
	/* It records the files it saves (a few rows; the index must exist), under
	 * the writer lock so that no ingest saves or moves files meanwhile. */
	{ "attachments", "save", MAIL(cmd_attachments_save) | CMD_READ | CMD_LOCK | CMD_RULES,
	  "save them into a folder, or each project's folder" },
	{ "reclassify", NULL, MAIL(cmd_reclassify) | CMD_WRITE | CMD_LOCK | CMD_RULES,
	  "file every message again after the client or project rules changed" },
	{ "reindex", NULL, MAIL(cmd_reindex) | CMD_READ | CMD_WRITE | CMD_LOCK | CMD_SUPERVISED,
	  "read the stored mail again: text, addresses, attachments as parsing gives them now" },
	{ "check", NULL, cmd_check, CMD_READ, "verify the index's integrity" },
	/* For the shell completion scripts (contrib/completion/): internal, in
	 * the man page only. */
	{ "complete", NULL, cmd_complete, CMD_QUIET | CMD_HIDDEN,
	  "print the words shell completion offers" },
};

static char *
commands_help(void)
{
	GString *s = g_string_new("Commands:\n");
	for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (commands[i].needs & CMD_HIDDEN)
			continue;
		g_autofree char *name = g_strjoin(" ", commands[i].name, commands[i].sub, NULL);
		g_string_append_printf(s, "  %-17s %s\n", name, commands[i].summary);
	}
	g_string_append(
	    s, "\n'mailclerk COMMAND --help' describes a command's options.\n"
	       "Exit status: 0 success (also with no results), 1 runtime failure,\n"
	       "2 usage, configuration or query error, 130 ingest or reindex interrupted.");
	return g_string_free(s, FALSE);
}

/* Whether the configuration at PATH reads the same each time: a file, or
 * none (the defaults). */
static gboolean
config_rereadable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? S_ISREG(st.st_mode) : errno == ENOENT;
}

/* The command line, run: the exit status. */
static int
run(int argc, char **argv)
{
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
		/* The next lines say what the build can read; scripts and the
		 * tests look for "PDF text: poppler" and "TNEF: libytnef". */
		printf("mailclerk %s\n", PACKAGE_VERSION);
#ifdef HAVE_POPPLER
		printf("PDF text: poppler-glib %s\n", POPPLER_VERSION);
#else
		printf("PDF text: no (built without poppler-glib)\n");
#endif
#ifdef HAVE_YTNEF
		printf("TNEF: libytnef %s\n", YTNEF_VERSION);
#else
		printf("TNEF: no (built without libytnef)\n");
#endif
		return MC_EXIT_OK;
	}
	if (argc < 2) {
		g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
		fputs(help, stderr);
		return MC_EXIT_USAGE;
	}
	const struct command *cmd =
	    command_find(commands, G_N_ELEMENTS(commands), argc - 1, argv + 1);
	if (!cmd) {
		fprintf(stderr, "mailclerk: unknown command '%s' (see 'mailclerk --help')\n",
		        argv[1]);
		return MC_EXIT_USAGE;
	}
	const char *env_db = g_getenv("MAILCLERK_DB");
	g_autofree char *db_path = opt_db                ? paths_expand(opt_db)
	                           : (env_db && *env_db) ? paths_expand(env_db)
	                                                 : paths_default_db();
	/* --config, then MAILCLERK_CONFIG, name a file that must exist; the XDG
	 * default may be missing, which means defaults. */
	const char *env_config = g_getenv("MAILCLERK_CONFIG");
	gboolean must_exist = opt_config || (env_config && *env_config);
	g_autofree char *config_path = opt_config   ? g_strdup(opt_config)
	                               : must_exist ? g_strdup(env_config)
	                                            : paths_default_config();
	/* A CMD_MAIL command, in mailclerk: mailclerk-mail runs it, as this
	 * process's child when a message that crashes it is to be recorded.
	 * Each child reads the configuration, so one that can be read only
	 * once (a pipe, <(gpg -d ...)) has mailclerk-mail fork its own. */
	if (!cmd->fn && (cmd->needs & CMD_SUPERVISED) && config_rereadable(config_path))
		return command_supervise_mail(cmd->name, original_argv, db_path);
	if (!cmd->fn)
		return command_exec_mail(original_argv);

	g_autoptr(mc_config) cfg = config_load(config_path, must_exist, &error);
	if (!cfg && !(cmd->needs & CMD_QUIET))
		return command_fail(error);

	/* A bad rule is an error before the command reads or writes anything. */
	g_autoptr(rules) filing_rules = NULL;
	if ((cmd->needs & CMD_RULES) && cfg && cfg->clients->len &&
	    !(filing_rules = rules_compile(cfg, &error)))
		return command_fail(error);

	struct command_env env = {
		.command = cmd,
		.db_path = db_path,
		.cfg = cfg,
		.rules = filing_rules,
		.lock = -1,
		.commands = commands,
		.n_commands = G_N_ELEMENTS(commands),
		.global_options = entries,
	};
	int skip = cmd->sub ? 2 : 1;
	int status = cmd->fn(&env, argc - skip, argv + skip);
	command_close_index(&env);
	return status;
}

struct run_args {
	int argc;
	char **argv;
	int status;
};

static void *
run_thread(void *data)
{
	struct run_args *a = data;
	a->status = run(a->argc, a->argv);
	return NULL;
}

int
main(int argc, char **argv)
{
#ifdef MAILCLERK_MAIL
	/* This program is also the PDF reader its parse workers start. */
	int reader_status = pdf_reader_main(argc, argv);
	if (reader_status >= 0)
		return reader_status;
#else
	/* First, before the heap grows: a search's heap on one huge page
	 * rather than a fault each 4 KiB (mailclerk-mail's jemalloc keeps its
	 * own). */
	heap_prefer_huge_pages();
#endif
	/* The categories mailclerk reads: characters and the terminal's charset
	 * (LC_CTYPE), GLib's messages (LC_MESSAGES) and the decimal point of
	 * sizes and rates (LC_NUMERIC); dates and everything else are printed
	 * the same in every locale. Not LC_ALL: glibc reads each category from a
	 * file of its own where there is no locale archive (Debian's C.UTF-8),
	 * and the nine unused ones cost every search 0.25 ms. */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
	setlocale(LC_NUMERIC, "");
	/* GMime copies header text onto the stack (ingest/rawmail.c). The main
	 * thread, which parses for show, thread and attachments save, may grow
	 * its stack as far as the parse threads' (parse_thread_stacks()):
	 * Linux reads the limit as the stack grows, whatever `ulimit -s` said
	 * at the start. Where the hard limit is lower, the command runs on a
	 * thread with a stack that deep. */
	struct rlimit stack;
	if (getrlimit(RLIMIT_STACK, &stack) != 0 || stack.rlim_cur == RLIM_INFINITY ||
	    stack.rlim_cur >= PARSE_THREAD_STACK)
		return run(argc, argv);
	if (stack.rlim_max == RLIM_INFINITY || stack.rlim_max >= PARSE_THREAD_STACK) {
		stack.rlim_cur = PARSE_THREAD_STACK;
		if (setrlimit(RLIMIT_STACK, &stack) == 0)
			return run(argc, argv);
	}
	struct run_args a = { argc, argv, MC_EXIT_FAILURE };
	pthread_attr_t attr;
	pthread_t thread;
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, PARSE_THREAD_STACK) != 0 ||
	    pthread_create(&thread, &attr, run_thread, &a) != 0)
		return run(argc, argv);
	pthread_join(thread, NULL);
	return a.status;
}
