/* The command table's side of every subcommand (mailclerk.c holds the table). */
#ifndef MC_COMMANDS_H
#define MC_COMMANDS_H

#include <glib.h>

#include "common/conf.h"

/* What main() resolved before running a command; all owned by main(). */
struct command_env {
	const char *db_path;   /* --db, MAILCLERK_DB or the XDG default */
	struct mc_config *cfg; /* the loaded configuration */
	const char *prgname;   /* "mailclerk COMMAND", for --help */
};

/* A command parses its own ARGV (ARGV[0] is the command name) and returns an
 * exit code (enum mc_exit), having printed any error itself. */
typedef int (*command_fn)(struct command_env *env, int argc, char **argv);

int cmd_ingest(struct command_env *env, int argc, char **argv);
int cmd_search(struct command_env *env, int argc, char **argv);
int cmd_count(struct command_env *env, int argc, char **argv);
int cmd_show(struct command_env *env, int argc, char **argv);
int cmd_thread(struct command_env *env, int argc, char **argv);
int cmd_check(struct command_env *env, int argc, char **argv);

/* Returns the command's arguments after ARGV[0] joined into one query; the
 * caller frees it. */
char *command_query_text(int argc, char **argv);

/* Prints "mailclerk: MESSAGE" to stderr and returns the exit code ERROR's
 * code calls for (2 for usage, config and query errors, else 1). */
int command_fail(const GError *error);

/* Parses ARGV with ENTRIES for a command; on a bad option prints the error
 * and returns FALSE (exit 2). PARAMS names the arguments in --help. */
gboolean command_parse_options(const char *name, const char *params, const char *summary,
                               const GOptionEntry *entries, int *argc, char ***argv);

#endif
