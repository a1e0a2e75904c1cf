/* mailclerk complete WHAT: the words the shell completion scripts offer
 * (contrib/completion/), each read from where it is defined. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "cli/text.h"
#include "common/error.h"

/* Prints WORD, a tab and DESCRIPTION with its control characters blanked, so
 * that a name in the configuration is one line and one field. */
static void
print_word(const char *word, const char *description)
{
	g_autoptr(GString) line = g_string_new(word);
	g_string_append_c(line, '\t');
	text_append_clean(line, description ? description : "", 0);
	printf("%s\n", line->str);
}

/* Runs the command ARGV names (ARGV[0], and a second word) with ENV->describe
 * set to HOW, so that it prints its options or arguments where it parses
 * them; nothing for a command that does not exist. */
static int
describe(struct command_env *env, enum command_describe how, int argc, char **argv)
{
	if (argc == 0) {
		/* No command: main()'s own options, given before one. */
		if (how == DESCRIBE_OPTIONS)
			command_print_options(env->global_options, NULL);
		return MC_EXIT_OK;
	}
	const struct command *target = command_find(env->commands, env->n_commands, argc, argv);
	if (!target || (target->needs & CMD_HIDDEN))
		return MC_EXIT_OK;
	if (!target->fn) {
		/* A CMD_MAIL command, in mailclerk: mailclerk-mail has it. */
		g_autoptr(GPtrArray) args = g_ptr_array_new();
		g_ptr_array_add(args, "mailclerk");
		g_ptr_array_add(args, "complete");
		g_ptr_array_add(args, how == DESCRIBE_OPTIONS ? "options" : "args");
		for (int i = 0; i < argc; i++)
			g_ptr_array_add(args, argv[i]);
		g_ptr_array_add(args, NULL);
		return command_exec_mail((char **)args->pdata);
	}
	struct command_env sub = {
		.command = target,
		.db_path = env->db_path,
		.cfg = env->cfg,
		.lock = -1,
		.commands = env->commands,
		.n_commands = env->n_commands,
		.global_options = env->global_options,
		.describe = how,
	};
	/* Just the command's name: it prints at its option parsing and stops
	 * there, with its usage status, which is no error here. */
	char *name[] = { (char *)target->name, NULL };
	target->fn(&sub, 1, name);
	fflush(stdout);
	return MC_EXIT_OK;
}

int
cmd_complete(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(
	        env, "WHAT [COMMAND]",
	        "Prints the words shell completion offers, one a line (a word, a tab, a "
	        "description): commands; options [COMMAND] (those before a command without one); "
	        "args COMMAND (its arguments as --help names them); fields (of queries); clients, "
	        "projects (CLIENT/KEY) and sources (of the configuration, which is read quietly: "
	        "nothing when there is none or it has errors).",
	        entries, &argc, &argv))
		return MC_EXIT_USAGE;
	const char *what = argc > 1 ? argv[1] : "";
	int rest = argc > 2 ? argc - 2 : 0;
	const struct mc_config *cfg = env->cfg;

	if (g_str_equal(what, "commands") && rest == 0) {
		for (guint i = 0; i < env->n_commands; i++) {
			const struct command *c = &env->commands[i];
			if (c->needs & CMD_HIDDEN)
				continue;
			g_autofree char *name = g_strjoin(" ", c->name, c->sub, NULL);
			print_word(name, c->summary);
		}
	} else if (g_str_equal(what, "options") && rest <= 2) {
		return describe(env, DESCRIBE_OPTIONS, rest, argv + 2);
	} else if (g_str_equal(what, "args") && rest >= 1 && rest <= 2) {
		return describe(env, DESCRIBE_PARAMS, rest, argv + 2);
	} else if (g_str_equal(what, "fields") && rest == 0) {
		const char *name;
		for (gsize i = 0; (name = query_field_name(i)); i++)
			printf("%s:\n", name);
	} else if (g_str_equal(what, "clients") && rest == 0) {
		for (guint i = 0; cfg && i < cfg->clients->len; i++) {
			const struct mc_client_config *c = cfg->clients->pdata[i];
			print_word(c->key, c->name);
		}
	} else if (g_str_equal(what, "projects") && rest == 0) {
		for (guint i = 0; cfg && i < cfg->projects->len; i++) {
			const struct mc_project_config *p = cfg->projects->pdata[i];
			g_autofree char *key = g_strdup_printf("%s/%s", p->client, p->key);
			print_word(key, p->name);
		}
	} else if (g_str_equal(what, "sources") && rest == 0) {
		for (guint i = 0; cfg && i < cfg->sources->len; i++) {
			const struct mc_source_config *s = cfg->sources->pdata[i];
			print_word(s->name, s->type);
		}
	} else {
		fprintf(stderr,
		        "mailclerk complete: '%s' is none of commands, options [COMMAND], "
		        "args COMMAND, fields, clients, projects, sources\n",
		        argc > 1 ? argv[1] : "");
		return MC_EXIT_USAGE;
	}
	return MC_EXIT_OK;
}
