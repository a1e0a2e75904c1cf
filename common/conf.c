#include "config.h"

#include <errno.h>
#include <string.h>

#include "common/conf.h"
#include "common/error.h"
#include "common/paths.h"

static void
source_config_free(gpointer p)
{
	struct mc_source_config *s = p;
	g_free(s->name);
	g_free(s->type);
	g_free(s->path);
	g_free(s);
}

void
config_free(struct mc_config *cfg)
{
	if (!cfg)
		return;
	g_free(cfg->file);
	g_ptr_array_unref(cfg->me);
	g_ptr_array_unref(cfg->sources);
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
		if (!check_keys(kf, file, group, imap_keys, error))
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
config_load(const char *file, gboolean must_exist, GError **error)
{
	g_autoptr(mc_config) cfg = g_new0(struct mc_config, 1);
	cfg->me = g_ptr_array_new_with_free_func(g_free);
	cfg->sources = g_ptr_array_new_with_free_func(source_config_free);

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

	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	for (char **g = groups; *g; g++) {
		if (g_str_equal(*g, "mailclerk")) {
			static const char *const keys[] = { "me", NULL };
			if (!check_keys(kf, file, *g, keys, error))
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
		} else if (g_str_has_prefix(*g, "client ") || g_str_has_prefix(*g, "project ")) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "%s: [%s]: client and project rules are not supported by this "
			            "version of mailclerk yet",
			            file, *g);
			return NULL;
		} else {
			g_set_error(
			    error, MC_ERROR, MC_ERROR_USAGE,
			    "%s: unknown group [%s] (expected [mailclerk] or [source NAME])", file,
			    *g);
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
config_is_me(const struct mc_config *cfg, const char *address)
{
	for (guint i = 0; i < cfg->me->len; i++)
		if (g_ascii_strcasecmp(g_ptr_array_index(cfg->me, i), address) == 0)
			return TRUE;
	return FALSE;
}
