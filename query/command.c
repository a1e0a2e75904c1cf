/* What the commands that read the index share. */
#include "config.h"

#include "commands.h"
#include "common/error.h"
#include "query/search.h"

struct query *
command_parse_query(int argc, char **argv, GError **error)
{
	gint64 now = search_now(error);
	if (now < 0)
		return NULL;
	/* The shell split the query into words; join them back. */
	g_autofree char *text = g_strjoinv(" ", argv + 1);
	return query_parse(text, now, error);
}

GArray *
command_search_snapshot(struct command_env *env, const struct query *q, enum search_sort sort,
                        gint64 limit, gint64 offset, struct mc_db **db, GError **error)
{
	*db = db_open(env->db_path, DB_READ, error);
	if (!*db || !db_exec(*db, "BEGIN", error))
		return NULL;
	return search_ids(*db, q, sort, limit, offset, error);
}

gboolean
command_check_client(struct command_env *env, const char *client, GError **error)
{
	if (config_find_client(env->cfg, client))
		return TRUE;
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "no [client %s] in %s", client,
	            env->cfg->file ? env->cfg->file : "the configuration");
	return FALSE;
}

gint64
command_open_message(struct command_env *env, const char *name, int argc, char **argv,
                     struct mc_db **db, GError **error)
{
	if (argc != 2) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s takes one message ID", name);
		return 0;
	}
	*db = db_open(env->db_path, DB_READ, error);
	if (!*db)
		return 0;
	return search_resolve_id(*db, argv[1], error);
}
