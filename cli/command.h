/* The commands' side of the command table (main.c holds the table): what a
 * command needs, what main() hands it, and the helpers every command uses. */
#ifndef MC_COMMAND_H
#define MC_COMMAND_H

#include <glib.h>

#include "cli/printer.h"
#include "common/conf.h"
#include "index/db.h"
#include "index/rules.h"
#include "query/query.h"
#include "query/search.h"

/* What a command needs, in the command table. The index is opened as these
 * say by command_index(), once, after the command has checked its
 * arguments; main() closes it and releases the lock when the command
 * returns. */
enum command_needs {
	CMD_READ = 1 << 0,                /* the index, which must exist, for reading */
	CMD_SNAPSHOT = 1 << 1 | CMD_READ, /* ... in one read transaction: ids and the
	                                   * rows loaded after them agree, whatever an
	                                   * ingest does meanwhile */
	CMD_WRITE = 1 << 2,               /* the index for writing, created when missing
	                                   * (with CMD_READ: it must exist) */
	CMD_LOCK = 1 << 3,                /* the one-writer lock, taken before the index
	                                   * opens (index/lock.h) */
	CMD_RULES = 1 << 4,               /* the filing rules, compiled (so checked) before
	                                   * the command runs: a bad rule is an error before
	                                   * anything is read or written. Every command that
	                                   * reads clients or projects has it; plain
	                                   * queries do without, and start faster */
	CMD_MAIL = 1 << 5,                /* it parses mail: run by mailclerk-mail, which
	                                   * links GMime (see main.c) */
	CMD_QUIET = 1 << 6,               /* a configuration that cannot be loaded is no
	                                   * error: the command gets none (cfg NULL).
	                                   * Completion must never print on a terminal */
	CMD_HIDDEN = 1 << 7,              /* left out of --help and of completion */
	CMD_SUPERVISED = 1 << 8,          /* CMD_MAIL, parsing in a supervised child
	                                   * (index/supervise.h): mailclerk starts
	                                   * mailclerk-mail as that child */
};

/* What command_parse_options() does instead of parsing, for completion
 * (cli/cmd-complete.c): commands are asked about themselves by running them
 * with this set, so each option is known where it is defined. */
enum command_describe {
	DESCRIBE_NONE = 0,
	DESCRIBE_OPTIONS, /* print "--NAME[=]\tDESCRIPTION" per option, then fail */
	DESCRIBE_PARAMS,  /* print the arguments as --help names them (QUERY...), then fail */
};

struct command_env;

/* A command parses its own ARGV (ARGV[0] is the command name) and returns an
 * exit code (enum mc_exit), having printed any error itself. */
typedef int (*command_fn)(struct command_env *env, int argc, char **argv);

/* One line of the command table. */
struct command {
	const char *name;
	const char *sub; /* a second word, as in "attachments save"; or NULL */
	command_fn fn;   /* NULL in mailclerk for a CMD_MAIL command */
	unsigned needs;  /* enum command_needs */
	const char *summary;
};

/* What main() resolved before running a command; owned by main(). */
struct command_env {
	const struct command *command;
	const char *db_path;       /* --db, MAILCLERK_DB or the XDG default */
	struct mc_config *cfg;     /* the loaded configuration */
	const struct rules *rules; /* CMD_RULES: the compiled rules; NULL without clients */
	struct mc_db *db;          /* opened by command_index() */
	int lock;                  /* the writer lock's descriptor, or -1 */
	/* For completion: the command table and main()'s own options, and what
	 * command_parse_options() is to print instead of parsing. */
	const struct command *commands;
	guint n_commands;
	const GOptionEntry *global_options;
	enum command_describe describe;
};

int cmd_ingest(struct command_env *env, int argc, char **argv);
int cmd_watch(struct command_env *env, int argc, char **argv);
int cmd_search(struct command_env *env, int argc, char **argv);
int cmd_count(struct command_env *env, int argc, char **argv);
int cmd_show(struct command_env *env, int argc, char **argv);
int cmd_thread(struct command_env *env, int argc, char **argv);
int cmd_links(struct command_env *env, int argc, char **argv);
int cmd_check(struct command_env *env, int argc, char **argv);
int cmd_explain(struct command_env *env, int argc, char **argv);
int cmd_reclassify(struct command_env *env, int argc, char **argv);
int cmd_followups(struct command_env *env, int argc, char **argv);
int cmd_clients(struct command_env *env, int argc, char **argv);
int cmd_timeline(struct command_env *env, int argc, char **argv);
int cmd_attachments(struct command_env *env, int argc, char **argv);
int cmd_contacts(struct command_env *env, int argc, char **argv);
int cmd_attachments_save(struct command_env *env, int argc, char **argv);
int cmd_followups_mark(struct command_env *env, int argc, char **argv);
int cmd_projects(struct command_env *env, int argc, char **argv);
int cmd_reindex(struct command_env *env, int argc, char **argv);
int cmd_complete(struct command_env *env, int argc, char **argv);

/* Returns the command of TABLE (N lines) that ARGV names: ARGV[0] and, for
 * a command with a second word ("attachments save"), ARGV[1]; NULL for none.
 * Points into TABLE. */
const struct command *command_find(const struct command *table, guint n, int argc, char **argv);

/* Runs ARGV in mailclerk-mail, the program that has the CMD_MAIL commands;
 * returns an exit code only on failure, having said why. */
int command_exec_mail(char **argv);

/* Runs ARGV, a CMD_SUPERVISED command (COMMAND: its name), in mailclerk-mail
 * as this process's supervised child (supervise_spawn() on the index
 * DB_PATH); returns the run's exit status. */
int command_supervise_mail(const char *command, char **argv, const char *db_path);

/* Prints ENTRIES as completion reads them, one a line: "--NAME\tDESCRIPTION",
 * with '=' after NAME when the option takes a value, and a third field for
 * what the value is: FILE (a file name), or for --format FORMAT_WORDS (may
 * be NULL), the formats as "text|json|files". */
void command_print_options(const GOptionEntry *entries, const char *format_words);

/* Returns the index as the command's needs say, opening it (and taking the
 * writer lock first, for CMD_LOCK) on the first call; owned by ENV. NULL and
 * ERROR when it cannot be opened (no index yet, a busy writer). */
struct mc_db *command_index(struct command_env *env, GError **error);

/* Closes what command_index() opened: the index, then the lock. */
void command_close_index(struct command_env *env);

/* Parses ARGV with ENTRIES for the command; on a bad option prints the error
 * and returns FALSE (exit 2). PARAMS names the arguments in --help; when it
 * is "", an argument is such an error too. With
 * ENV->describe set, it prints ENTRIES or PARAMS instead and returns FALSE. */
gboolean command_parse_options(struct command_env *env, const char *params, const char *summary,
                               const GOptionEntry *entries, int *argc, char ***argv);

/* Parses ARGV with ENTRIES (may be NULL) and --format=FORMAT, the formats
 * KIND offers, and returns a printer for the format asked. NULL when the
 * options are wrong, the error printed (exit 2). */
struct printer *command_parse_printer(struct command_env *env, const char *params,
                                      const char *summary, const GOptionEntry *entries,
                                      const struct record_kind *kind, int *argc, char ***argv);

/* Prints "mailclerk: MESSAGE" to stderr and returns the exit code ERROR's
 * code calls for (2 for usage, config and query errors, else 1). */
int command_fail(const GError *error);

/* What command_parse_query() is asked for. */
enum command_query_flags {
	COMMAND_QUERY_REQUIRED = 1 << 0,    /* no query is an error */
	COMMAND_QUERY_ATTACHMENTS = 1 << 1, /* only messages with attachments (has:attachment) */
};

/* Returns the query the command's arguments after ARGV[0] make, relative
 * dates anchored at date_now(), its client: and project: keys checked
 * against the configuration and the index (which this opens); the caller
 * frees it with query_free(). FLAGS: enum command_query_flags. NULL and
 * ERROR for a missing query when COMMAND_QUERY_REQUIRED (none, or only
 * spaces: '*' is every message), a malformed query, an unknown key,
 * MAILCLERK_NOW, or an index that cannot be opened. */
struct query *command_parse_query(struct command_env *env, int argc, char **argv, unsigned flags,
                                  GError **error);

/* The value a --limit that may say "all" starts from: it is still there
 * when the option was not given. */
#define COMMAND_LIMIT_UNSET G_MININT64

/* Turns *LIMIT, as --limit left it, into search_ids()'s: -1 for all when
 * not given. FALSE and a usage ERROR when it is negative. */
gboolean command_limit(gint64 *limit, GError **error);

/* Returns the ids search_ids() gives for Q on ENV's index; the caller
 * unrefs them. NULL and ERROR otherwise. */
GArray *command_search(struct command_env *env, const struct query *q, enum search_sort sort,
                       gint64 limit, gint64 offset, GError **error);

/* Returns TRUE when SPEC, a CLIENT or CLIENT/PROJECT argument, names a
 * client or project that exists (query_check_key_arg(): the configuration's,
 * or keys the index has filed mail under; this opens the index unless SPEC
 * is a [client] of the configuration), else FALSE and ERROR: the key that
 * names nothing (exit 2), with the nearest that exists. */
gboolean command_check_client(struct command_env *env, const char *spec, GError **error);

/* For commands that take one message ID (ARGV[1]): returns the message's id
 * in ENV's index, or 0 and sets ERROR. */
gint64 command_message(struct command_env *env, int argc, char **argv, GError **error);

#endif
