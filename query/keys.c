/* client: and project: keys checked against the clients and projects that
 * exist: the configuration's, and those the index has filed mail under. */
#include "config.h"

#include <string.h>

#include "common/nearest.h"
#include "query/query-parts.h"

void
key_ref_free(gpointer data)
{
	struct key_ref *k = data;

	g_free(k->client);
	g_free(k->project);
	g_free(k->lit);
	g_free(k);
}

static gboolean
in_config(const struct key_ref *k, const struct mc_config *cfg)
{
	if (!k->is_project)
		return config_find_client(cfg, k->client) != NULL;
	for (guint i = 0; i < cfg->projects->len; i++) {
		const struct mc_project_config *p = cfg->projects->pdata[i];
		if (strcmp(p->key, k->project) == 0 &&
		    (k->client == NULL || strcmp(p->client, k->client) == 0))
			return TRUE;
	}
	return FALSE;
}

/* Returns 1 when DB has mail filed under K, 0 when not, -1 and ERROR when it
 * cannot be read. Each is one probe of filings_client or filings_project. */
static int
in_index(const struct key_ref *k, struct mc_db *db, GError **error)
{
	/* project:acme/ is no project, though acme's own filings have project ''. */
	if (k->is_project && k->project[0] == '\0')
		return 0;
	const char *sql = !k->is_project ? "SELECT 1 FROM filings WHERE client = ?1 LIMIT 1"
	                  : k->client ? "SELECT 1 FROM filings WHERE client = ?1 AND project = ?2 "
	                                "LIMIT 1"
	                              : "SELECT 1 FROM filings WHERE project = ?2 LIMIT 1";
	g_autoptr(sqlite3_stmt) st = db_prepare(db, sql, error);
	if (!st)
		return -1;
	db_bind_text(st, 1, k->client);
	db_bind_text(st, 2, k->project);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading the filings");
		return -1;
	}
	return 0;
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the keys that exist of K's kind, as K is written (client,
 * project, or client/project), sorted and each once; the caller unrefs
 * them. NULL and ERROR when the index cannot be read. */
static GPtrArray *
existing_keys(const struct key_ref *k, const struct mc_config *cfg, struct mc_db *db,
              GError **error)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);

	if (!k->is_project) {
		for (guint i = 0; i < cfg->clients->len; i++)
			g_ptr_array_add(
			    all,
			    g_strdup(((struct mc_client_config *)cfg->clients->pdata[i])->key));
	} else {
		for (guint i = 0; i < cfg->projects->len; i++) {
			const struct mc_project_config *p = cfg->projects->pdata[i];
			g_ptr_array_add(all, k->client ? g_strdup_printf("%s/%s", p->client, p->key)
			                               : g_strdup(p->key));
		}
	}
	const char *sql =
	    !k->is_project ? "SELECT DISTINCT client FROM filings"
	    : k->client
	        ? "SELECT DISTINCT client || '/' || project FROM filings WHERE project != ''"
	        : "SELECT DISTINCT project FROM filings WHERE project != ''";
	g_autoptr(sqlite3_stmt) st = db_prepare(db, sql, error);
	if (!st)
		return NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(all, g_strdup(db_column_text(st, 0)));
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "reading the filings");
		return NULL;
	}

	/* Sorted, so that the suggestion does not depend on the order of the
	 * file or of the index. */
	g_ptr_array_sort(all, compare_strings);
	for (guint i = 1; i < all->len;) {
		if (strcmp(all->pdata[i], all->pdata[i - 1]) == 0)
			g_ptr_array_remove_index(all, i);
		else
			i++;
	}
	return g_steal_pointer(&all);
}

/* Checks one key; COL 0 for a command's argument, which has no column. */
static gboolean
check_key(const struct key_ref *k, const struct mc_config *cfg, struct mc_db *db, GError **error)
{
	if (in_config(k, cfg))
		return TRUE;
	int found = in_index(k, db, error);
	if (found)
		return found > 0;
	g_autoptr(GPtrArray) keys = existing_keys(k, cfg, db, error);
	if (!keys)
		return FALSE;
	const char *near = nearest_word(k->lit, (const char *const *)keys->pdata, keys->len);
	g_autofree char *tail = did_you_mean(near);
	g_autofree char *col = k->col ? g_strdup_printf(" at column %d", k->col) : g_strdup("");
	g_set_error(error, QUERY_ERROR, QUERY_ERROR_UNKNOWN_KEY, "no %s '%s'%s%s",
	            k->is_project ? "project" : "client", k->lit, col, tail);
	return FALSE;
}

gboolean
query_check_keys(const struct query *q, const struct mc_config *cfg, struct mc_db *db,
                 GError **error)
{
	for (guint i = 0; i < q->keys->len; i++)
		if (!check_key(q->keys->pdata[i], cfg, db, error))
			return FALSE;
	return TRUE;
}

gboolean
query_check_key_arg(const char *spec, const struct mc_config *cfg, struct mc_db *db, GError **error)
{
	const char *slash = strchr(spec, '/');
	struct key_ref k = {
		.is_project = slash != NULL,
		.client = slash ? g_strndup(spec, slash - spec) : g_strdup(spec),
		.project = slash ? g_strdup(slash + 1) : NULL,
		.lit = (char *)spec,
	};
	gboolean ok = check_key(&k, cfg, db, error);
	g_free(k.client);
	g_free(k.project);
	return ok;
}
