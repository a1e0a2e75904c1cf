/* The command table's side of every subcommand (mailclerk.c holds the table). */
#ifndef MC_COMMANDS_H
#define MC_COMMANDS_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"
#include "query/query.h"
#include "query/search.h"

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
int cmd_explain(struct command_env *env, int argc, char **argv);
int cmd_reclassify(struct command_env *env, int argc, char **argv);
int cmd_followups(struct command_env *env, int argc, char **argv);
int cmd_clients(struct command_env *env, int argc, char **argv);
int cmd_timeline(struct command_env *env, int argc, char **argv);
int cmd_attachments(struct command_env *env, int argc, char **argv);
int cmd_contacts(struct command_env *env, int argc, char **argv);
int cmd_attachments_save(struct command_env *env, int argc, char **argv);

/* Takes the one-writer lock of the index at DB_PATH (flock on DB_PATH.lock),
 * waiting up to two minutes. Returns the descriptor to keep open while
 * writing, or -1 and sets ERROR. */
int command_ingest_lock(const char *db_path, GError **error);

/* Returns the query the command's arguments after ARGV[0] make, relative
 * dates anchored at search_now(); the caller frees it with query_free().
 * NULL and ERROR for a malformed query or MAILCLERK_NOW. */
struct query *command_parse_query(int argc, char **argv, GError **error);

/* Opens the index at ENV's path for reading into *DB (the caller closes it,
 * even on failure) inside one read transaction, so that the ids and the rows
 * loaded after them are one snapshot (an ingest removing a hit in between
 * must not fail the command), and returns the ids search_ids() gives for Q.
 * NULL and ERROR otherwise. */
GArray *command_search_snapshot(struct command_env *env, const struct query *q,
                                enum search_sort sort, gint64 limit, gint64 offset,
                                struct mc_db **db, GError **error);

/* Returns TRUE when CLIENT is a [client] of ENV's configuration, else FALSE
 * and ERROR (MC_ERROR_USAGE) naming the configuration file. */
gboolean command_check_client(struct command_env *env, const char *client, GError **error);

/* For commands that take one message ID (ARGV[1]): opens the index for
 * reading into *DB (the caller closes it, even on failure) and returns the
 * message's id, or 0 and sets ERROR. NAME is the command, for messages. */
gint64 command_open_message(struct command_env *env, const char *name, int argc, char **argv,
                            struct mc_db **db, GError **error);

/* Prints "mailclerk: MESSAGE" to stderr and returns the exit code ERROR's
 * code calls for (2 for usage, config and query errors, else 1). */
int command_fail(const GError *error);

/* Parses ARGV with ENTRIES for a command; on a bad option prints the error
 * and returns FALSE (exit 2). PARAMS names the arguments in --help. */
gboolean command_parse_options(const char *name, const char *params, const char *summary,
                               const GOptionEntry *entries, int *argc, char ***argv);

#endif
