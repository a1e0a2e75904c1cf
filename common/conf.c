/* The configuration file: reading and checking it with GKeyFile. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "common/conf.h"
#include "common/error.h"
#include "common/filename.h"
#include "common/paths.h"

static void
source_config_free(gpointer p)
{
	struct mc_source_config *s = p;
	g_free(s->name);
	g_free(s->type);
	g_free(s->path);
	if (s->imap) {
		g_free(s->imap->host);
		g_free(s->imap->user);
		g_free(s->imap->password_command);
		g_ptr_array_unref(s->imap->folders);
		g_free(s->imap->ca_file);
		g_free(s->imap);
	}
	g_free(s);
}

static void
client_config_free(gpointer p)
{
	struct mc_client_config *c = p;
	g_free(c->key);
	g_free(c->group);
	g_free(c->name);
	g_ptr_array_unref(c->domains);
	g_ptr_array_unref(c->addresses);
	g_free(c->match);
	g_free(c->exclude);
	g_free(c);
}

static void
project_config_free(gpointer p)
{
	struct mc_project_config *pr = p;
	g_free(pr->client);
	g_free(pr->key);
	g_free(pr->group);
	g_free(pr->name);
	g_free(pr->match);
	g_free(pr->exclude);
	g_free(pr->attachments);
	g_free(pr->attachment_name);
	g_free(pr);
}

void
config_free(struct mc_config *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->file);
	g_ptr_array_unref(cfg->me);
	g_ptr_array_unref(cfg->sources);
	g_ptr_array_unref(cfg->clients);
	g_ptr_array_unref(cfg->projects);
	g_free(cfg->attachment_name);
	g_free(cfg);
}

static gboolean
key_allowed(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (g_str_equal(key, *allowed))
			return TRUE;
	return FALSE;
}

/* Every key of GROUP must be in ALLOWED. */
static gboolean
check_keys(GKeyFile *kf, const char *file, const char *group, const char *const *allowed,
           GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	for (char **k = keys; k && *k; k++) {
		if (!key_allowed(*k, allowed)) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: [%s]: unknown key '%s'",
			            file, group, *k);
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns the trimmed, non-empty items of a ';'-separated value. */
static GPtrArray *
split_list(const char *value)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit(value, ";", -1);
	for (char **p = parts; *p; p++) {
		char *item = g_strstrip(g_strdup(*p));
		if (*item)
			g_ptr_array_add(items, item);
		else
			g_free(item);
	}
	return items;
}

static char *
required_string(GKeyFile *kf, const char *file, const char *group, const char *key, GError **error)
{
	g_autofree char *v = g_key_file_get_string(kf, group, key, NULL);
	if (!v || !*g_strstrip(v)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: [%s]: missing required key '%s'",
		            file, group, key);
		return NULL;
	}
	return g_steal_pointer(&v);
}

/* GKeyFile merges a group given twice and keeps the last of a key given
 * twice: both would silently change what the user wrote, so they are
 * errors, with the line. */
static gboolean
check_duplicates(const char *file, const char *text, GError **error)
{
	g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree char *group = NULL;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (int n = 0; lines[n]; n++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[n]));
		if (!*line || *line == '#')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');
			if (!close)
				continue; /* GKeyFile reports it */
			g_free(group);
			group = g_strndup(line + 1, close - line - 1);
			if (!g_hash_table_add(groups, g_strdup(group))) {
				g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
				            "%s:%d: group [%s] is given twice", file, n + 1, group);
				return FALSE;
			}
			g_hash_table_remove_all(keys);
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || !group)
			continue;
		g_autofree char *key = g_strstrip(g_strndup(line, eq - line));
		if (!g_hash_table_add(keys, g_strdup(key))) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "%s:%d: [%s]: key '%s' is given twice", file, n + 1, group,
			            key);
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns KEY's value as written, or NULL: GKeyFile's string values would
 * turn the \s and \\ of a regex into a space and a backslash. */
static char *
raw_value(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_value(kf, group, key, NULL);
	return v ? g_strstrip(v) : NULL;
}

gboolean
config_key_is_valid(const char *key)
{
	/* A key names a folder of saved attachments: never "." or "..". */
	if (!*key || *key == '.')
		return FALSE;
	for (const char *p = key; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
			return FALSE;
	return TRUE;
}

static GPtrArray *
split_lower(const char *value)
{
	GPtrArray *items = split_list(value ? value : "");
	for (guint i = 0; i < items->len; i++) {
		char *lower = g_ascii_strdown(items->pdata[i], -1);
		g_free(items->pdata[i]);
		items->pdata[i] = lower;
	}
	return items;
}

static gboolean
load_client(struct mc_config *cfg, GKeyFile *kf, const char *file, const char *group,
            const char *key, GError **error)
{
	static const char *const keys[] = {
		"name", "domains", "addresses", "match", "exclude", NULL
	};
	if (!config_key_is_valid(key)) {
		g_set_error(
		    error, MC_ERROR, MC_ERROR_USAGE,
		    "%s: [%s]: a client needs a key of letters, digits, '.', '_' or '-', not "
		    "starting with '.', as in [client acme]",
		    file, group);
		return FALSE;
	}
	if (!check_keys(kf, file, group, keys, error))
		return FALSE;
	struct mc_client_config *c = g_new0(struct mc_client_config, 1);
	c->key = g_strdup(key);
	c->group = g_strdup(group);
	c->name = g_key_file_get_string(kf, group, "name", NULL);
	if (!c->name || !*g_strstrip(c->name)) {
		g_free(c->name);
		c->name = g_strdup(key);
	}
	g_autofree char *domains = g_key_file_get_string(kf, group, "domains", NULL);
	g_autofree char *addresses = g_key_file_get_string(kf, group, "addresses", NULL);
	c->domains = split_lower(domains);
	c->addresses = split_lower(addresses);
	c->match = raw_value(kf, group, "match");
	c->exclude = raw_value(kf, group, "exclude");
	g_ptr_array_add(cfg->clients, c);
	for (guint i = 0; i < c->addresses->len; i++) {
		if (!strchr(g_ptr_array_index(c->addresses, i), '@')) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "%s: [%s]: key 'addresses': '%s' is not an e-mail address",
			            file, group, (char *)g_ptr_array_index(c->addresses, i));
			return FALSE;
		}
	}
	return TRUE;
}

/* Reads yes/no key KEY of GROUP into *VALUE (unchanged when missing). GLib
 * knows only true/false; people write yes. */
static gboolean
get_yes_no(GKeyFile *kf, const char *file, const char *group, const char *key, gboolean *value,
           GError **error)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	g_autofree char *v = raw_value(kf, group, key);
	if (!v)
		return TRUE;
	g_autofree char *lower = g_ascii_strdown(v, -1);
	if (g_strv_contains(yes, lower)) {
		*value = TRUE;
	} else if (g_strv_contains(no, lower)) {
		*value = FALSE;
	} else {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: key '%s': '%s' is not yes or no (true or false)", file,
		            group, key, v);
		return FALSE;
	}
	return TRUE;
}

/* Reads GROUP's attachment_name into *TEMPLATE (NULL when not set). */
static gboolean
load_attachment_name(GKeyFile *kf, const char *file, const char *group, char **template,
                     GError **error)
{
	g_autofree char *value = raw_value(kf, group, "attachment_name");
	if (!value)
		return TRUE;
	g_autoptr(GError) local = NULL;
	if (!*value || !filename_template_check(value, &local)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: [%s]: key 'attachment_name': %s",
		            file, group, local ? local->message : "empty");
		return FALSE;
	}
	*template = g_steal_pointer(&value);
	return TRUE;
}

static gboolean
load_project(struct mc_config *cfg, GKeyFile *kf, const char *file, const char *group,
             const char *spec, GError **error)
{
	static const char *const keys[] = {
		"name", "match", "exclude", "attachments", "save_attachments", "attachment_name",
		NULL
	};
	const char *slash = strchr(spec, '/');
	g_autofree char *client = slash ? g_strndup(spec, slash - spec) : NULL;
	if (!slash || !config_key_is_valid(client) || !config_key_is_valid(slash + 1)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: a project is named CLIENT/KEY, as in [project acme/website]",
		            file, group);
		return FALSE;
	}
	if (!config_find_client(cfg, client)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: no [client %s] for this project", file, group, client);
		return FALSE;
	}
	if (!check_keys(kf, file, group, keys, error))
		return FALSE;
	struct mc_project_config *pr = g_new0(struct mc_project_config, 1);
	pr->client = g_steal_pointer(&client);
	pr->key = g_strdup(slash + 1);
	pr->group = g_strdup(group);
	g_ptr_array_add(cfg->projects, pr);
	pr->name = g_key_file_get_string(kf, group, "name", NULL);
	if (!pr->name || !*g_strstrip(pr->name)) {
		g_free(pr->name);
		pr->name = g_strdup(pr->key);
	}
	pr->match = raw_value(kf, group, "match");
	pr->exclude = raw_value(kf, group, "exclude");
	g_autofree char *dir = g_key_file_get_string(kf, group, "attachments", NULL);
	if (dir && *g_strstrip(dir))
		pr->attachments = paths_expand(dir);
	if (!load_attachment_name(kf, file, group, &pr->attachment_name, error))
		return FALSE;
	if (!get_yes_no(kf, file, group, "save_attachments", &pr->save_attachments, error))
		return FALSE;
	return TRUE;
}

/* Reads integer KEY of GROUP into *VALUE, between MIN and MAX; unchanged
 * when the key is missing. */
static gboolean
get_int(GKeyFile *kf, const char *file, const char *group, const char *key, int min, int max,
        int *value, GError **error)
{
	g_autofree char *v = raw_value(kf, group, key);
	if (!v)
		return TRUE;
	char *end;
	gint64 n = g_ascii_strtoll(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: key '%s': '%s' is not a number from %d to %d", file, group,
		            key, v, min, max);
		return FALSE;
	}
	*value = (int)n;
	return TRUE;
}

static gboolean
load_imap(struct mc_source_config *s, GKeyFile *kf, const char *file, const char *group,
          GError **error)
{
	struct mc_imap_config *imap = g_new0(struct mc_imap_config, 1);
	s->imap = imap;
	imap->folders = g_ptr_array_new_with_free_func(g_free);
	imap->timeout = 60;
	imap->tls_verify = TRUE;
	imap->host = required_string(kf, file, group, "host", error);
	if (!imap->host)
		return FALSE;
	imap->user = required_string(kf, file, group, "user", error);
	if (!imap->user)
		return FALSE;
	g_autofree char *tls = raw_value(kf, group, "tls");
	if (!tls || g_str_equal(tls, "imaps")) {
		imap->tls = MC_TLS_IMAPS;
	} else if (g_str_equal(tls, "starttls")) {
		imap->tls = MC_TLS_STARTTLS;
	} else if (g_str_equal(tls, "none")) {
		imap->tls = MC_TLS_NONE;
	} else {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: key 'tls': '%s' is not imaps, starttls or none", file, group,
		            tls);
		return FALSE;
	}
	imap->port = imap->tls == MC_TLS_IMAPS ? 993 : 143;
	if (!get_int(kf, file, group, "port", 1, 65535, &imap->port, error) ||
	    !get_int(kf, file, group, "timeout", 1, 3600, &imap->timeout, error) ||
	    !get_yes_no(kf, file, group, "tls_verify", &imap->tls_verify, error))
		return FALSE;
	imap->password_command = raw_value(kf, group, "password_command");
	g_autofree char *ca = raw_value(kf, group, "ca_file");
	if (ca && *ca)
		imap->ca_file = paths_expand(ca);
	g_autofree char *folders = raw_value(kf, group, "folders");
	g_autoptr(GPtrArray) items = split_list(folders ? folders : "");
	for (guint i = 0; i < items->len; i++)
		g_ptr_array_add(imap->folders, g_strdup(g_ptr_array_index(items, i)));
	if (imap->folders->len == 0)
		g_ptr_array_add(imap->folders, g_strdup("INBOX"));
	return TRUE;
}

static gboolean
load_source(struct mc_config *cfg, GKeyFile *kf, const char *file, const char *group,
            const char *name, GError **error)
{
	static const char *const local_keys[] = { "type", "path", NULL };
	static const char *const imap_keys[] = { "type",       "host",    "port",
		                                 "tls",        "user",    "password_command",
		                                 "folders",    "ca_file", "timeout",
		                                 "tls_verify", NULL };
	if (!*name) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: [%s]: a source needs a name, as in [source work]", file, group);
		return FALSE;
	}
	if (config_find_source(cfg, name)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: [%s]: duplicate source '%s'",
		            file, group, name);
		return FALSE;
	}
	g_autofree char *type = required_string(kf, file, group, "type", error);
	if (!type)
		return FALSE;
	struct mc_source_config *s = g_new0(struct mc_source_config, 1);
	s->name = g_strdup(name);
	s->type = g_strdup(type);
	g_ptr_array_add(cfg->sources, s);

	if (g_str_equal(type, "maildir") || g_str_equal(type, "mbox")) {
		if (!check_keys(kf, file, group, local_keys, error))
			return FALSE;
		g_autofree char *path = required_string(kf, file, group, "path", error);
		if (!path)
			return FALSE;
		s->path = paths_expand(path);
	} else if (g_str_equal(type, "imap")) {
		if (!check_keys(kf, file, group, imap_keys, error) ||
		    !load_imap(s, kf, file, group, error))
			return FALSE;
	} else {
		g_set_error(
		    error, MC_ERROR, MC_ERROR_USAGE,
		    "%s: [%s]: key 'type': unknown source type '%s' (maildir, mbox or imap)", file,
		    group, type);
		return FALSE;
	}
	return TRUE;
}

struct mc_config *
config_new(const char *file)
{
	struct mc_config *cfg = g_new0(struct mc_config, 1);
	cfg->file = g_strdup(file);
	cfg->me = g_ptr_array_new_with_free_func(g_free);
	cfg->sources = g_ptr_array_new_with_free_func(source_config_free);
	cfg->clients = g_ptr_array_new_with_free_func(client_config_free);
	cfg->projects = g_ptr_array_new_with_free_func(project_config_free);
	return cfg;
}

struct mc_config *
config_load(const char *file, gboolean must_exist, GError **error)
{
	g_autoptr(mc_config) cfg = config_new(NULL);

	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_autofree char *text = NULL;
	gsize len = 0;
	/* Read it ourselves: GKeyFile refuses what is not a regular file, and
	 * --config /dev/null (no configuration) or a pipe should work. */
	if (!g_file_get_contents(file, &text, &len, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			if (!must_exist)
				return g_steal_pointer(&cfg);
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: %s", file,
			            g_strerror(ENOENT));
			return NULL;
		}
		/* GLib's message names the file already. */
		g_set_error_literal(error, MC_ERROR, MC_ERROR_USAGE, local->message);
		return NULL;
	}
	/* An empty file is valid GKeyFile input, so any error here is real. */
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: %s", file, local->message);
		return NULL;
	}
	cfg->file = g_strdup(file);
	if (!check_duplicates(file, text, error))
		return NULL;

	/* Clients first, so that a project may come before its client. */
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (char **g = groups; *g; g++) {
		if (g_str_has_prefix(*g, "client ") || g_str_equal(*g, "client")) {
			g_autofree char *key = g_strstrip(g_strdup(*g + strlen("client")));
			if (!load_client(cfg, kf, file, *g, key, error))
				return NULL;
		}
	}
	for (char **g = groups; *g; g++) {
		if (g_str_equal(*g, "mailclerk")) {
			static const char *const keys[] = { "me", "attachment_name", NULL };
			if (!check_keys(kf, file, *g, keys, error))
				return NULL;
			if (!load_attachment_name(kf, file, *g, &cfg->attachment_name, error))
				return NULL;
			g_autofree char *me = g_key_file_get_string(kf, *g, "me", NULL);
			if (me) {
				g_autoptr(GPtrArray) items = split_list(me);
				for (guint i = 0; i < items->len; i++) {
					const char *a = g_ptr_array_index(items, i);
					if (!strchr(a, '@')) {
						g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
						            "%s: [%s]: key 'me': '%s' is not an "
						            "e-mail address",
						            file, *g, a);
						return NULL;
					}
					g_ptr_array_add(cfg->me, g_ascii_strdown(a, -1));
				}
			}
		} else if (g_str_has_prefix(*g, "source ") || g_str_equal(*g, "source")) {
			g_autofree char *name = g_strstrip(g_strdup(*g + strlen("source")));
			if (!load_source(cfg, kf, file, *g, name, error))
				return NULL;
		} else if (g_str_has_prefix(*g, "client ") || g_str_equal(*g, "client")) {
			continue; /* loaded above */
		} else if (g_str_has_prefix(*g, "project ") || g_str_equal(*g, "project")) {
			g_autofree char *spec = g_strstrip(g_strdup(*g + strlen("project")));
			if (!load_project(cfg, kf, file, *g, spec, error))
				return NULL;
		} else {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "%s: unknown group [%s] (expected [mailclerk], [source NAME], "
			            "[client KEY] or [project CLIENT/KEY])",
			            file, *g);
			return NULL;
		}
	}
	return g_steal_pointer(&cfg);
}

const struct mc_source_config *
config_find_source(const struct mc_config *cfg, const char *name)
{
	for (guint i = 0; i < cfg->sources->len; i++) {
		const struct mc_source_config *s = g_ptr_array_index(cfg->sources, i);
		if (g_str_equal(s->name, name))
			return s;
	}
	return NULL;
}

gboolean
config_same_address(const char *a, const char *b)
{
	if (g_ascii_strcasecmp(a, b) == 0)
		return TRUE;
	if (g_str_is_ascii(a) && g_str_is_ascii(b))
		return FALSE;
	g_autofree char *fa = g_utf8_casefold(a, -1);
	g_autofree char *fb = g_utf8_casefold(b, -1);
	return strcmp(fa, fb) == 0;
}

gboolean
config_is_me(const struct mc_config *cfg, const char *address)
{
	for (guint i = 0; cfg->me && i < cfg->me->len; i++)
		if (config_same_address(g_ptr_array_index(cfg->me, i), address))
			return TRUE;
	return FALSE;
}

const struct mc_client_config *
config_find_client(const struct mc_config *cfg, const char *key)
{
	for (guint i = 0; i < cfg->clients->len; i++) {
		const struct mc_client_config *c = g_ptr_array_index(cfg->clients, i);
		if (g_str_equal(c->key, key))
			return c;
	}
	return NULL;
}
