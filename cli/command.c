/* What every command shares: opening the index as the table says, options,
 * errors, queries, message references. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/command.h"
#include "common/date.h"
#include "common/error.h"
#include "common/paths.h"
#include "index/lock.h"
#include "index/supervise.h"

struct mc_db *
command_index(struct command_env *env, GError **error)
{
	if (env->db)
		return env->db;
	unsigned needs = env->command->needs;
	g_assert(needs & (CMD_READ | CMD_WRITE));
	if ((needs & CMD_LOCK) && env->lock < 0 &&
	    (env->lock = index_lock(env->db_path, env->command->name, error)) < 0)
		return NULL;
	/* CMD_READ with CMD_WRITE: written, but never created. */
	enum db_mode mode = !(needs & CMD_WRITE) ? DB_READ
	                    : (needs & CMD_READ) ? DB_UPDATE
	                                         : DB_WRITE;
	g_autoptr(mc_db) db = db_open(env->db_path, mode, error);
	if (!db)
		return NULL;
	if ((needs & CMD_SNAPSHOT) == CMD_SNAPSHOT && !db_begin_read(db, error))
		return NULL;
	return env->db = g_steal_pointer(&db);
}

void
command_close_index(struct command_env *env)
{
	g_clear_pointer(&env->db, db_close);
	if (env->lock >= 0)
		close(env->lock);
	env->lock = -1;
}

int
command_fail(const GError *error)
{
	fprintf(stderr, "mailclerk: %s\n", error->message);
	if (error->domain == MC_ERROR && error->code == MC_ERROR_USAGE)
		return MC_EXIT_USAGE;
	if (error->domain == MC_ERROR && error->code == MC_ERROR_INTERRUPTED)
		return MC_EXIT_INTERRUPTED;
	if (error->domain == G_OPTION_ERROR || error->domain == QUERY_ERROR)
		return MC_EXIT_USAGE;
	return MC_EXIT_FAILURE;
}

const struct command *
command_find(const struct command *table, guint n, int argc, char **argv)
{
	if (argc < 1)
		return NULL;
	/* "attachments save" before "attachments", "followups done" before "followups". */
	for (guint i = 0; i < n; i++)
		if (g_str_equal(table[i].name, argv[0]) && table[i].sub && argc > 1 &&
		    g_str_equal(table[i].sub, argv[1]))
			return &table[i];
	for (guint i = 0; i < n; i++)
		if (g_str_equal(table[i].name, argv[0]) && !table[i].sub)
			return &table[i];
	return NULL;
}

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

int
command_exec_mail(char **argv)
{
	g_autofree char *path = mail_program_path();
	execv(path, argv);
	fprintf(stderr, "mailclerk: cannot run %s: %s (is mailclerk installed whole?)\n", path,
	        g_strerror(errno));
	return MC_EXIT_FAILURE;
}

int
command_supervise_mail(const char *command, char **argv, const char *db_path)
{
	g_autofree char *path = mail_program_path();
	int status = supervise_spawn(command, path, argv, db_path);
	/* No journal to share (no memfd): mailclerk-mail forks its own child. */
	return status == SUPERVISE_NO_JOURNAL ? command_exec_mail(argv) : status;
}

void
command_print_options(const GOptionEntry *entries, const char *format_words)
{
	for (const GOptionEntry *e = entries; e && e->long_name; e++) {
		if (e->flags & G_OPTION_FLAG_HIDDEN)
			continue;
		gboolean value = e->arg != G_OPTION_ARG_NONE && !(e->flags & G_OPTION_FLAG_NO_ARG);
		gboolean file =
		    e->arg == G_OPTION_ARG_FILENAME || e->arg == G_OPTION_ARG_FILENAME_ARRAY;
		const char *takes = file ? "FILE"
		                    : format_words && g_str_equal(e->long_name, "format")
		                        ? format_words
		                        : NULL;
		printf("--%s%s\t%s%s%s\n", e->long_name, value ? "=" : "",
		       e->description ? e->description : "", takes ? "\t" : "", takes ? takes : "");
	}
	/* GOptionContext adds it to every command. */
	printf("--help\tshow the options\n");
}

gboolean
command_parse_options(struct command_env *env, const char *params, const char *summary,
                      const GOptionEntry *entries, int *argc, char ***argv)
{
	if (env->describe == DESCRIBE_OPTIONS) {
		command_print_options(entries, NULL);
		return FALSE;
	}
	if (env->describe == DESCRIBE_PARAMS) {
		printf("%s\n", params);
		return FALSE;
	}
	g_autofree char *name = g_strjoin(" ", env->command->name, env->command->sub, NULL);
	g_autoptr(GOptionContext) ctx = g_option_context_new(params);
	g_autofree char *prg = g_strdup_printf("mailclerk %s", name);
	g_set_prgname(prg);
	g_option_context_set_summary(ctx, summary);
	g_option_context_add_main_entries(ctx, entries, NULL);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		/* "-word" is also a query's NOT: it must come after "--". */
		gboolean negation =
		    g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION) &&
		    strstr(params, "QUERY") && !strstr(error->message, " --");
		fprintf(stderr, "mailclerk %s: %s%s (see 'mailclerk %s --help')\n", name,
		        error->message,
		        negation ? "; a query with a word that starts with '-' goes after '--'"
		                 : "",
		        name);
		return FALSE;
	}
	/* GOption stops at "--" and leaves it: what follows is arguments. */
	for (int i = 1; i < *argc; i++) {
		if (g_str_equal((*argv)[i], "--")) {
			/* Not freed: ARGV's strings are the caller's. */
			memmove(*argv + i, *argv + i + 1, (*argc - i) * sizeof **argv);
			(*argc)--;
			break;
		}
	}
	/* A command without parameters would otherwise ignore them: a user
	 * typing "reclassify acme" would think only acme was refiled. */
	if (!*params && *argc > 1) {
		fprintf(stderr, "mailclerk: %s takes no arguments ('%s')\n", name, (*argv)[1]);
		return FALSE;
	}
	return TRUE;
}

struct printer *
command_parse_printer(struct command_env *env, const char *params, const char *summary,
                      const GOptionEntry *entries, const struct record_kind *kind, int *argc,
                      char ***argv)
{
	g_autofree char *format = NULL;
	g_autofree char *formats = printer_formats(kind);
	g_autofree char *help = g_strdup_printf("%s (text is the default)", formats);
	g_autoptr(GArray) all = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));
	for (const GOptionEntry *e = entries; e && e->long_name; e++)
		g_array_append_val(all, *e);
	GOptionEntry format_entry = {
		"format", 0, 0, G_OPTION_ARG_STRING, &format, help, "FORMAT"
	};
	g_array_append_val(all, format_entry);
	if (env->describe == DESCRIBE_OPTIONS) {
		g_autofree char *words = printer_format_words(kind);
		command_print_options((GOptionEntry *)all->data, words);
		return NULL;
	}
	if (!command_parse_options(env, params, summary, (GOptionEntry *)all->data, argc, argv))
		return NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *name = g_strjoin(" ", env->command->name, env->command->sub, NULL);
	struct printer *p = printer_new(name, format, kind, &error);
	if (!p)
		command_fail(error);
	return p;
}

/* Whether TEXT is nothing but white space, as the query lexer sees it. */
static gboolean
is_blank(const char *text)
{
	for (const char *p = text; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2 || !g_unichar_isspace(c))
			return FALSE;
	}
	return TRUE;
}

struct query *
command_parse_query(struct command_env *env, int argc, char **argv, unsigned flags, GError **error)
{
	/* The shell split the query into words; join them back. */
	g_autofree char *text = g_strjoinv(" ", argv + 1);
	if ((flags & COMMAND_QUERY_REQUIRED) && is_blank(text)) {
		g_autofree char *name = g_strjoin(" ", env->command->name, env->command->sub, NULL);
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: which messages? Give a query ('*' for all)", name);
		return NULL;
	}
	gint64 now = date_now(error);
	if (now < 0)
		return NULL;
	g_autoptr(query) q = flags & COMMAND_QUERY_ATTACHMENTS
	                         ? query_parse_attachments(text, now, error)
	                         : query_parse(text, now, error);
	if (!q)
		return NULL;
	/* A key that names nothing is an error, not an empty result. The
	 * command reads the index next anyway. */
	struct mc_db *db = command_index(env, error);
	if (!db || !query_check_keys(q, env->cfg, db, error))
		return NULL;
	return g_steal_pointer(&q);
}

gboolean
command_limit(gint64 *limit, GError **error)
{
	if (*limit == COMMAND_LIMIT_UNSET) {
		*limit = -1;
		return TRUE;
	}
	if (*limit < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "--limit must not be negative (leave it out for all)");
		return FALSE;
	}
	return TRUE;
}

GArray *
command_search(struct command_env *env, const struct query *q, enum search_sort sort, gint64 limit,
               gint64 offset, GError **error)
{
	struct mc_db *db = command_index(env, error);
	return db ? search_ids(db, q, sort, limit, offset, error) : NULL;
}

gboolean
command_check_client(struct command_env *env, const char *spec, GError **error)
{
	/* A key of the configuration needs no index; one the index has filed
	 * mail under (an older configuration's) is as good as in queries. */
	if (!strchr(spec, '/') && config_find_client(env->cfg, spec))
		return TRUE;
	struct mc_db *db = command_index(env, error);
	return db && query_check_key_arg(spec, env->cfg, db, error);
}

gint64
command_message(struct command_env *env, int argc, char **argv, GError **error)
{
	if (argc != 2) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s takes one message ID",
		            env->command->name);
		return 0;
	}
	struct mc_db *db = command_index(env, error);
	return db ? search_resolve_id(db, argv[1], error) : 0;
}
