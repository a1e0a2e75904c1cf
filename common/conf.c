/* The configuration file: reading and checking it with GKeyFile. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "common/conf.h"
#include "common/conf-internal.h"
#include "common/error.h"
#include "common/filename.h"
#include "common/nearest.h"
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
	g_ptr_array_unref(cfg->automated);
	g_ptr_array_unref(cfg->people);
	g_free(cfg->attachments_dir);
	g_free(cfg);
}

/* The keys each kind of group may hold. */
static const char *const mailclerk_keys[] = { "me",        "attachment_name", "attachments_dir",
	                                      "automated", "people",          "followup_max_age",
	                                      NULL };
static const char *const client_keys[] = { "name",    "domains",       "addresses", "match",
	                                   "exclude", "followup_days", "active",    NULL };
static const char *const project_keys[] = {
	"name", "match", "exclude", "attachments", "save_attachments", "attachment_name", NULL
};
static const char *const local_keys[] = { "type", "path", NULL };
static const char *const imap_keys[] = { "type",       "host",    "port",
	                                 "tls",        "user",    "password_command",
	                                 "folders",    "ca_file", "timeout",
	                                 "tls_verify", "poll",    NULL };

/* The group being read: GKeyFile's reading of FILE, and where things are. */
struct reader {
	GKeyFile *kf;
	const char *file;
	const struct conf_group *g;
};

/* The line of KEY, or of the group's header when the group has no KEY. */
static int
key_line(const struct reader *rd, const char *key)
{
	int line = conf_key_line(rd->g, key);
	return line ? line : rd->g->line;
}

/* Sets ERROR to "FILE:LINE: [GROUP]: key 'KEY': MESSAGE", LINE the key's;
 * without "key 'KEY': " and at the group's line when KEY is NULL. */
static void rd_error(GError **error, const struct reader *rd, const char *key, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void
rd_error(GError **error, const struct reader *rd, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	conf_error(error, rd->file, key ? key_line(rd, key) : rd->g->line, rd->g->name, key, "%s",
	           msg);
}

/* Every key of the group must be in ALLOWED (or in ALSO, which may be NULL). */
static gboolean
check_keys(const struct reader *rd, const char *const *allowed, const char *const *also,
           GError **error)
{
	for (guint i = 0; i < rd->g->keys->len; i++) {
		const struct conf_key *k = g_ptr_array_index(rd->g->keys, i);
		if (!g_strv_contains(allowed, k->name) &&
		    !(also && g_strv_contains(also, k->name))) {
			g_autoptr(GPtrArray) keys = g_ptr_array_new();
			for (const char *const *a = allowed; *a; a++)
				g_ptr_array_add(keys, (gpointer)*a);
			for (const char *const *a = also; a && *a; a++)
				g_ptr_array_add(keys, (gpointer)*a);
			const char *near =
			    nearest_word(k->name, (const char *const *)keys->pdata, keys->len);
			g_autofree char *tail = did_you_mean(near);
			conf_error(error, rd->file, k->line, rd->g->name, NULL,
			           "unknown key '%s'%s", k->name, tail);
			return FALSE;
		}
	}
	return TRUE;
}

/* Returns the trimmed, non-empty items of VALUE, separated by any of SEPS. */
static GPtrArray *
split_list(const char *value, const char *seps)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit_set(value, seps, -1);
	for (char **p = parts; *p; p++) {
		char *item = g_strstrip(g_strdup(*p));
		if (*item)
			g_ptr_array_add(items, item);
		else
			g_free(item);
	}
	return items;
}

/* Returns KEY's value as written, or NULL: GKeyFile's string values would
 * turn the \s and \\ of a regex into a space and a backslash. */
static char *
raw_value(const struct reader *rd, const char *key)
{
	char *v = g_key_file_get_value(rd->kf, rd->g->name, key, NULL);
	return v ? g_strstrip(v) : NULL;
}

/* Reads string KEY (escapes such as \s decoded) into *VALUE, trimmed; NULL
 * when the key is missing. An escape GKeyFile cannot decode is an error:
 * GLib drops the value or keeps the backslash, depending on its version. */
static gboolean
string_value(const struct reader *rd, const char *key, char **value, GError **error)
{
	*value = NULL;
	if (!conf_key_line(rd->g, key))
		return TRUE;
	g_autoptr(GError) local = NULL;
	g_autofree char *v = g_key_file_get_string(rd->kf, rd->g->name, key, &local);
	if (local || !v) {
		g_autofree char *raw = raw_value(rd, key);
		rd_error(error, rd, key, "'%s' has a '\\' that starts no escape (write '\\\\')",
		         raw ? raw : "");
		return FALSE;
	}
	*value = g_strstrip(g_steal_pointer(&v));
	return TRUE;
}

/* Reads KEY into *VALUE, which must be there and not empty. */
static gboolean
required_string(const struct reader *rd, const char *key, char **value, GError **error)
{
	if (!string_value(rd, key, value, error))
		return FALSE;
	if (!*value) {
		rd_error(error, rd, NULL, "missing required key '%s'", key);
		return FALSE;
	}
	if (!**value) {
		g_clear_pointer(value, g_free);
		rd_error(error, rd, key, "empty value");
		return FALSE;
	}
	return TRUE;
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

/* A domain as mail carries it: labels of letters (of any script: an IDN is
 * written in UTF-8), digits and inner hyphens, MIN_LABELS labels at least.
 * In a domains list one label ("acme") is far more often a slip than a host
 * of the user's own network, and would file a whole top-level domain; in
 * an address (root@localhost) it is a host. */
static gboolean
domain_is_valid(const char *d, int min_labels)
{
	int labels = 0;
	for (const char *p = d;; p++) {
		const char *start = p;
		gunichar last = 0;
		for (; *p && *p != '.'; p = g_utf8_next_char(p)) {
			last = g_utf8_get_char(p);
			if (last < 0x80 ? !g_ascii_isalnum(last) && last != '-'
			                : !g_unichar_isalnum(last) && !g_unichar_ismark(last))
				return FALSE;
		}
		if (p == start || *start == '-' || last == '-')
			return FALSE;
		labels++;
		if (!*p)
			return labels >= min_labels;
	}
}

/* An address as mail carries it: LOCAL@DOMAIN, DOMAIN as above, LOCAL
 * without blanks, controls or the characters that would mean a display name
 * or a second address around it ("Sam <sam@studio.example>"). Quoted local
 * parts ("j doe"@…) are not taken: a stray quote is the likelier. Dots are,
 * anywhere: some providers hand out addresses with ".." in them. */
static gboolean
address_is_valid(const char *a)
{
	const char *at = strchr(a, '@');
	if (!at || at == a || !domain_is_valid(at + 1, 1))
		return FALSE;
	for (const char *p = a; p < at; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x80 ? c <= ' ' || c == 0x7f || strchr("()<>[]\\,;:\"", (int)c)
		             : g_unichar_isspace(c) || g_unichar_iscntrl(c))
			return FALSE;
	}
	return TRUE;
}

enum list_kind { LIST_ADDRESSES, LIST_DOMAINS, LIST_SENDERS };

/* Reads KEY, a list of addresses or domains separated by ';' or ',', into
 * OUT, lower-cased; "@acme.example" is the domain acme.example. Each item
 * must be an address (a domain): one that is not would never match.
 * LIST_SENDERS takes both, a domain written and kept as "@acme.example". */
static gboolean
load_list(const struct reader *rd, const char *key, enum list_kind kind, GPtrArray *out,
          GError **error)
{
	g_autofree char *value = NULL;
	if (!string_value(rd, key, &value, error))
		return FALSE;
	g_autoptr(GPtrArray) items = split_list(value ? value : "", ";,");
	for (guint i = 0; i < items->len; i++) {
		const char *item = g_ptr_array_index(items, i);
		if (kind == LIST_SENDERS && *item == '@') {
			if (!domain_is_valid(item + 1, 2)) {
				rd_error(error, rd, key, "'%s' is not @ followed by a domain",
				         item);
				return FALSE;
			}
			g_ptr_array_add(out, g_utf8_strdown(item, -1));
		} else if (kind == LIST_DOMAINS) {
			const char *d = *item == '@' ? item + 1 : item;
			if (!domain_is_valid(d, 2)) {
				rd_error(error, rd, key, "'%s' is not a domain", item);
				return FALSE;
			}
			g_ptr_array_add(out, g_utf8_strdown(d, -1));
		} else {
			if (!address_is_valid(item)) {
				rd_error(error, rd, key,
				         kind == LIST_SENDERS
				             ? "'%s' is neither an e-mail address nor @DOMAIN"
				             : "'%s' is not an e-mail address",
				         item);
				return FALSE;
			}
			g_ptr_array_add(out, g_utf8_strdown(item, -1));
		}
	}
	return TRUE;
}

/* Reads KEY, a display name, into *NAME; DEFAULT when missing or empty. */
static gboolean
load_name(const struct reader *rd, const char *dflt, char **name, GError **error)
{
	if (!string_value(rd, "name", name, error))
		return FALSE;
	if (!*name || !**name) {
		g_free(*name);
		*name = g_strdup(dflt);
	}
	return TRUE;
}

static gboolean get_yes_no(const struct reader *rd, const char *key, gboolean *value,
                           GError **error);
static gboolean get_int(const struct reader *rd, const char *key, int min, int max, int *value,
                        GError **error);

static gboolean
load_client(struct mc_config *cfg, const struct reader *rd, const char *key, GError **error)
{
	if (!config_key_is_valid(key)) {
		rd_error(error, rd, NULL,
		         "a client needs a key of letters, digits, '.', '_' or '-', not "
		         "starting with '.', as in [client acme]");
		return FALSE;
	}
	struct mc_client_config *c = g_new0(struct mc_client_config, 1);
	g_ptr_array_add(cfg->clients, c);
	c->key = g_strdup(key);
	c->group = g_strdup(rd->g->name);
	c->line = rd->g->line;
	c->domains = g_ptr_array_new_with_free_func(g_free);
	c->addresses = g_ptr_array_new_with_free_func(g_free);
	if (!load_name(rd, key, &c->name, error) ||
	    !load_list(rd, "domains", LIST_DOMAINS, c->domains, error) ||
	    !load_list(rd, "addresses", LIST_ADDRESSES, c->addresses, error))
		return FALSE;
	c->match = raw_value(rd, "match");
	c->match_line = key_line(rd, "match");
	c->exclude = raw_value(rd, "exclude");
	c->exclude_line = key_line(rd, "exclude");
	gboolean active = TRUE;
	if (!get_int(rd, "followup_days", 1, 3650, &c->followup_days, error) ||
	    !get_yes_no(rd, "active", &active, error))
		return FALSE;
	c->inactive = !active;
	return TRUE;
}

/* Reads yes/no KEY into *VALUE (unchanged when missing). GLib knows only
 * true/false; people write yes. */
static gboolean
get_yes_no(const struct reader *rd, const char *key, gboolean *value, GError **error)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	g_autofree char *v = raw_value(rd, key);
	if (!v)
		return TRUE;
	g_autofree char *lower = g_ascii_strdown(v, -1);
	if (g_strv_contains(yes, lower)) {
		*value = TRUE;
	} else if (g_strv_contains(no, lower)) {
		*value = FALSE;
	} else {
		rd_error(error, rd, key, "'%s' is not yes or no (true or false)", v);
		return FALSE;
	}
	return TRUE;
}

/* Reads the group's attachment_name into *TEMPLATE (NULL when not set). */
static gboolean
load_attachment_name(const struct reader *rd, char **template, GError **error)
{
	g_autofree char *value = raw_value(rd, "attachment_name");
	if (!value)
		return TRUE;
	g_autoptr(GError) local = NULL;
	if (!*value || !filename_template_check(value, &local)) {
		rd_error(error, rd, "attachment_name", "%s", local ? local->message : "empty");
		return FALSE;
	}
	*template = g_steal_pointer(&value);
	return TRUE;
}

static gboolean
load_project(struct mc_config *cfg, const struct reader *rd, const char *spec, GError **error)
{
	const char *slash = strchr(spec, '/');
	g_autofree char *client = slash ? g_strndup(spec, slash - spec) : NULL;
	if (!slash || !config_key_is_valid(client) || !config_key_is_valid(slash + 1)) {
		rd_error(error, rd, NULL,
		         "a project is named CLIENT/KEY, as in [project acme/website]");
		return FALSE;
	}
	if (!config_find_client(cfg, client)) {
		rd_error(error, rd, NULL, "no [client %s] for this project", client);
		return FALSE;
	}
	struct mc_project_config *pr = g_new0(struct mc_project_config, 1);
	g_ptr_array_add(cfg->projects, pr);
	pr->client = g_steal_pointer(&client);
	pr->key = g_strdup(slash + 1);
	pr->group = g_strdup(rd->g->name);
	pr->line = rd->g->line;
	if (!load_name(rd, pr->key, &pr->name, error))
		return FALSE;
	pr->match = raw_value(rd, "match");
	pr->match_line = key_line(rd, "match");
	pr->exclude = raw_value(rd, "exclude");
	pr->exclude_line = key_line(rd, "exclude");
	g_autofree char *dir = NULL;
	if (!string_value(rd, "attachments", &dir, error))
		return FALSE;
	if (dir && *dir)
		pr->attachments = paths_expand(dir);
	return load_attachment_name(rd, &pr->attachment_name, error) &&
	       get_yes_no(rd, "save_attachments", &pr->save_attachments, error);
}

/* Reads [mailclerk] attachments_dir: the root of the saved attachments'
 * folders. Absolute or under ~, as a root relative to wherever mailclerk
 * happens to run would scatter the folders; a file there is no folder. */
static gboolean
load_attachments_dir(struct mc_config *cfg, const struct reader *rd, GError **error)
{
	g_autofree char *dir = NULL;
	if (!string_value(rd, "attachments_dir", &dir, error))
		return FALSE;
	if (!dir)
		return TRUE;
	if (!*dir) {
		rd_error(error, rd, "attachments_dir", "empty value");
		return FALSE;
	}
	if (!g_path_is_absolute(dir) && !g_str_equal(dir, "~") && !g_str_has_prefix(dir, "~/")) {
		rd_error(error, rd, "attachments_dir",
		         "'%s' is not an absolute path (start it with / or ~/)", dir);
		return FALSE;
	}
	g_autofree char *path = paths_expand(dir);
	if (g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		rd_error(error, rd, "attachments_dir", "%s is not a folder", path);
		return FALSE;
	}
	cfg->attachments_dir = g_steal_pointer(&path);
	return TRUE;
}

/* Reads integer KEY into *VALUE, between MIN and MAX; unchanged when the
 * key is missing. */
static gboolean
get_int(const struct reader *rd, const char *key, int min, int max, int *value, GError **error)
{
	g_autofree char *v = raw_value(rd, key);
	if (!v)
		return TRUE;
	char *end;
	gint64 n = g_ascii_strtoll(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		rd_error(error, rd, key, "'%s' is not a number from %d to %d", v, min, max);
		return FALSE;
	}
	*value = (int)n;
	return TRUE;
}

/* Reads duration KEY ("90s", "5m", "1h"; a bare number is seconds) into
 * *SECONDS, between MIN and MAX seconds; unchanged when the key is missing. */
static gboolean
get_duration(const struct reader *rd, const char *key, int min, int max, int *seconds,
             GError **error)
{
	g_autofree char *v = raw_value(rd, key);
	if (!v)
		return TRUE;
	char *end;
	gint64 n = g_ascii_strtoll(v, &end, 10);
	gint64 unit = g_str_equal(end, "") || g_str_equal(end, "s") ? 1
	              : g_str_equal(end, "m")                       ? 60
	              : g_str_equal(end, "h")                       ? 3600
	                                                            : 0;
	if (!g_ascii_isdigit(*v) || !unit || n > G_MAXINT || n * unit < min || n * unit > max) {
		rd_error(
		    error, rd, key,
		    "'%s' is not a duration from %ds to %dh (a number and s, m or h, as in 5m)", v,
		    min, max / 3600);
		return FALSE;
	}
	*seconds = (int)(n * unit);
	return TRUE;
}

static gboolean
load_imap(struct mc_source_config *s, const struct reader *rd, GError **error)
{
	struct mc_imap_config *imap = g_new0(struct mc_imap_config, 1);
	s->imap = imap;
	imap->folders = g_ptr_array_new_with_free_func(g_free);
	imap->timeout = 60;
	imap->poll = 300;
	imap->tls_verify = TRUE;
	if (!required_string(rd, "host", &imap->host, error) ||
	    !required_string(rd, "user", &imap->user, error))
		return FALSE;
	g_autofree char *tls = raw_value(rd, "tls");
	if (!tls || g_str_equal(tls, "imaps")) {
		imap->tls = MC_TLS_IMAPS;
	} else if (g_str_equal(tls, "starttls")) {
		imap->tls = MC_TLS_STARTTLS;
	} else if (g_str_equal(tls, "none")) {
		imap->tls = MC_TLS_NONE;
	} else {
		rd_error(error, rd, "tls", "'%s' is not imaps, starttls or none", tls);
		return FALSE;
	}
	imap->port = imap->tls == MC_TLS_IMAPS ? 993 : 143;
	if (!get_int(rd, "port", 1, 65535, &imap->port, error) ||
	    !get_int(rd, "timeout", 1, 3600, &imap->timeout, error) ||
	    !get_duration(rd, "poll", 1, 24 * 3600, &imap->poll, error) ||
	    !get_yes_no(rd, "tls_verify", &imap->tls_verify, error))
		return FALSE;
	imap->password_command = raw_value(rd, "password_command");
	g_autofree char *ca = raw_value(rd, "ca_file");
	if (ca && *ca)
		imap->ca_file = paths_expand(ca);
	/* Only ';': a folder name may hold a comma. */
	g_autofree char *folders = raw_value(rd, "folders");
	g_autoptr(GPtrArray) items = split_list(folders ? folders : "", ";");
	for (guint i = 0; i < items->len; i++)
		g_ptr_array_add(imap->folders, g_strdup(g_ptr_array_index(items, i)));
	if (imap->folders->len == 0)
		g_ptr_array_add(imap->folders, g_strdup("INBOX"));
	return TRUE;
}

static gboolean
load_source(struct mc_config *cfg, const struct reader *rd, const char *name, GError **error)
{
	if (!*name) {
		rd_error(error, rd, NULL, "a source needs a name, as in [source work]");
		return FALSE;
	}
	g_autofree char *type = NULL;
	if (!required_string(rd, "type", &type, error))
		return FALSE;
	struct mc_source_config *s = g_new0(struct mc_source_config, 1);
	s->name = g_strdup(name);
	s->type = g_strdup(type);
	g_ptr_array_add(cfg->sources, s);

	if (g_str_equal(type, "maildir") || g_str_equal(type, "mbox")) {
		g_autofree char *path = NULL;
		if (!check_keys(rd, local_keys, NULL, error) ||
		    !required_string(rd, "path", &path, error))
			return FALSE;
		s->path = paths_expand(path);
	} else if (g_str_equal(type, "imap")) {
		if (!check_keys(rd, imap_keys, NULL, error) || !load_imap(s, rd, error))
			return FALSE;
	} else {
		rd_error(error, rd, "type", "unknown source type '%s' (maildir, mbox or imap)",
		         type);
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
	cfg->automated = g_ptr_array_new_with_free_func(g_free);
	cfg->people = g_ptr_array_new_with_free_func(g_free);
	cfg->followup_max_age = CONFIG_FOLLOWUP_MAX_AGE;
	return cfg;
}

/* Returns what follows WORD in a group name "WORD REST" (or "" for "WORD"),
 * or NULL when NAME is another kind of group. */
static const char *
group_rest(const char *name, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(name, word, n) != 0 || (name[n] && name[n] != ' '))
		return NULL;
	return name[n] ? name + n + 1 : name + n;
}

/* Every group must be of a known kind and hold only its keys (a source any
 * source's: its type decides which, when it is loaded). Checked before
 * GKeyFile reads the file, which refuses some key names without a line. */
static gboolean
check_groups(const char *file, const struct conf_lines *lines, GError **error)
{
	for (guint i = 0; i < lines->groups->len; i++) {
		const struct conf_group *g = g_ptr_array_index(lines->groups, i);
		const struct reader rd = { NULL, file, g };
		gboolean ok;
		if (g_str_equal(g->name, "mailclerk")) {
			ok = check_keys(&rd, mailclerk_keys, NULL, error);
		} else if (group_rest(g->name, "source")) {
			ok = check_keys(&rd, local_keys, imap_keys, error);
		} else if (group_rest(g->name, "client")) {
			ok = check_keys(&rd, client_keys, NULL, error);
		} else if (group_rest(g->name, "project")) {
			ok = check_keys(&rd, project_keys, NULL, error);
		} else {
			conf_error(error, file, g->line, NULL, NULL,
			           "unknown group [%s] (expected [mailclerk], [source NAME], "
			           "[client KEY] or [project CLIENT/KEY])",
			           g->name);
			return FALSE;
		}
		if (!ok)
			return FALSE;
	}
	return TRUE;
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
	g_autoptr(conf_lines) lines = conf_lines_scan(file, text, len, error);
	if (!lines || !check_groups(file, lines, error))
		return NULL;
	/* The scan took what GKeyFile refuses, so this is only a safety net. */
	if (!g_key_file_load_from_data(kf, lines->text, lines->len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: %s", file, local->message);
		return NULL;
	}
	cfg->file = g_strdup(file);

	/* Clients first, so that a project may come before its client. */
	for (guint i = 0; i < lines->groups->len; i++) {
		const struct reader rd = { kf, file, g_ptr_array_index(lines->groups, i) };
		const char *key = group_rest(rd.g->name, "client");
		if (key && !load_client(cfg, &rd, key, error))
			return NULL;
	}
	for (guint i = 0; i < lines->groups->len; i++) {
		const struct reader rd = { kf, file, g_ptr_array_index(lines->groups, i) };
		const char *rest;
		if (g_str_equal(rd.g->name, "mailclerk")) {
			if (!load_attachment_name(&rd, &cfg->attachment_name, error) ||
			    !load_attachments_dir(cfg, &rd, error) ||
			    !load_list(&rd, "me", LIST_ADDRESSES, cfg->me, error) ||
			    !load_list(&rd, "automated", LIST_SENDERS, cfg->automated, error) ||
			    !load_list(&rd, "people", LIST_SENDERS, cfg->people, error) ||
			    !get_int(&rd, "followup_max_age", 1, 36500, &cfg->followup_max_age,
			             error))
				return NULL;
		} else if ((rest = group_rest(rd.g->name, "source"))) {
			if (!load_source(cfg, &rd, rest, error))
				return NULL;
		} else if ((rest = group_rest(rd.g->name, "project"))) {
			if (!load_project(cfg, &rd, rest, error))
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

char *
config_address_key(const char *address)
{
	/* Case folding leaves ASCII as its lower case. */
	return g_str_is_ascii(address) ? g_ascii_strdown(address, -1)
	                               : g_utf8_casefold(address, -1);
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
