/* The configuration file's line index: one scan, before GKeyFile reads it. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "common/conf-internal.h"
#include "common/error.h"
#include "common/utf8.h"

void
conf_error(GError **error, const char *file, int line, const char *group, const char *key,
           const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	GString *s = g_string_new(file);
	if (line > 0)
		g_string_append_printf(s, ":%d", line);
	g_string_append(s, ": ");
	if (group)
		g_string_append_printf(s, "[%s]: ", group);
	if (key)
		g_string_append_printf(s, "key '%s': ", key);
	g_string_append(s, msg);
	g_set_error_literal(error, MC_ERROR, MC_ERROR_USAGE, s->str);
	g_string_free(s, TRUE);
}

static void
key_free(gpointer p)
{
	struct conf_key *k = p;
	g_free(k->name);
	g_free(k);
}

static void
group_free(gpointer p)
{
	struct conf_group *g = p;
	g_free(g->name);
	g_ptr_array_unref(g->keys);
	g_free(g);
}

void
conf_lines_free(struct conf_lines *lines)
{
	if (!lines)
		return;
	g_ptr_array_unref(lines->groups);
	g_free(lines->text);
	g_free(lines);
}

int
conf_key_line(const struct conf_group *g, const char *key)
{
	for (guint i = 0; i < g->keys->len; i++) {
		const struct conf_key *k = g_ptr_array_index(g->keys, i);
		if (g_str_equal(k->name, key))
			return k->line;
	}
	return 0;
}

/* The group named NAME (normalised) in LINES, or NULL. */
static const struct conf_group *
find_group(const struct conf_lines *lines, const char *name)
{
	for (guint i = 0; i < lines->groups->len; i++) {
		const struct conf_group *g = g_ptr_array_index(lines->groups, i);
		if (g_str_equal(g->name, name))
			return g;
	}
	return NULL;
}

/* Returns the group name between '[' and ']' (LEN bytes at S) with blanks
 * trimmed and runs of them made one space, so that [client  acme] and
 * [client acme ] are [client acme]; or NULL and ERROR when it holds another
 * control character or a '[' (GKeyFile refuses both) or nothing at all. */
static char *
group_name(const char *s, gsize len, const char *file, int n, GError **error)
{
	GString *name = g_string_new(NULL);
	for (gsize i = 0; i < len; i++) {
		if (g_ascii_isspace(s[i])) {
			if (name->len && name->str[name->len - 1] != ' ')
				g_string_append_c(name, ' ');
		} else if (g_ascii_iscntrl(s[i]) || s[i] == '[') {
			conf_error(error, file, n, NULL, NULL,
			           "a group name may not hold '[' or control characters");
			g_string_free(name, TRUE);
			return NULL;
		} else {
			g_string_append_c(name, s[i]);
		}
	}
	if (name->len && name->str[name->len - 1] == ' ')
		g_string_truncate(name, name->len - 1);
	if (!name->len) {
		conf_error(error, file, n, NULL, NULL, "empty group name []");
		g_string_free(name, TRUE);
		return NULL;
	}
	return g_string_free(name, FALSE);
}

/* The key of the line S (LEN bytes), as GKeyFile would name it, for an
 * error message; NULL when it holds none or the key is not valid UTF-8. */
static char *
key_of_invalid_line(const char *s, gsize len)
{
	while (len && g_ascii_isspace(*s)) {
		s++;
		len--;
	}
	const char *eq = memchr(s, '=', len);
	if (!eq || eq == s || *s == '#' || *s == '[')
		return NULL;
	const char *end = eq;
	while (end > s && g_ascii_isspace(end[-1]))
		end--;
	if (!g_utf8_validate_len(s, end - s, NULL))
		return NULL;
	return g_strndup(s, end - s);
}

/* Scans line N (LEN bytes at S, without its newline) into LINES and OUT. */
static gboolean
scan_line(struct conf_lines *lines, GString *out, struct conf_group **group, const char *s,
          gsize len, const char *file, int n, GError **error)
{
	if (len && s[len - 1] == '\r')
		len--; /* GKeyFile drops it too */
	if (!g_utf8_validate_len(s, len, NULL)) {
		g_autofree char *key = *group ? key_of_invalid_line(s, len) : NULL;
		conf_error(error, file, n, key ? (*group)->name : NULL, key,
		           "not valid UTF-8 (the file must be UTF-8 text)");
		return FALSE;
	}
	/* GKeyFile's own reading of a line: leading blanks do not count. */
	const char *p = s, *end = s + len;
	while (p < end && g_ascii_isspace(*p))
		p++;
	if (p == end || *p == '#') {
		g_string_append_len(out, s, len);
		return TRUE;
	}
	if (*p == '[') {
		const char *close = memchr(p, ']', end - p);
		const char *q = close ? close + 1 : end;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (!close || q != end) {
			conf_error(error, file, n, NULL, NULL,
			           "a group header is [NAME] alone on its line");
			return FALSE;
		}
		char *name = group_name(p + 1, close - p - 1, file, n, error);
		if (!name)
			return FALSE;
		const struct conf_group *first = find_group(lines, name);
		if (first) {
			conf_error(error, file, n, NULL, NULL,
			           "group [%s] is given twice (also at line %d)", name,
			           first->line);
			g_free(name);
			return FALSE;
		}
		struct conf_group *g = g_new0(struct conf_group, 1);
		g->name = name;
		g->line = n;
		g->keys = g_ptr_array_new_with_free_func(key_free);
		g_ptr_array_add(lines->groups, g);
		*group = g;
		g_string_append_printf(out, "[%s]", name);
		return TRUE;
	}
	const char *eq = memchr(p, '=', end - p);
	if (!eq || eq == p) {
		gsize keep = utf8_cut(p, end - p, 60);
		conf_error(error, file, n, NULL, NULL,
		           "expected [GROUP], KEY = VALUE or a # comment, not '%.*s%s'", (int)keep,
		           p, keep < (gsize)(end - p) ? "…" : "");
		return FALSE;
	}
	const char *key_end = eq;
	while (key_end > p && g_ascii_isspace(key_end[-1]))
		key_end--;
	g_autofree char *key = g_strndup(p, key_end - p);
	if (!*group) {
		conf_error(error, file, n, NULL, key, "comes before any [group]");
		return FALSE;
	}
	int first = conf_key_line(*group, key);
	if (first) {
		conf_error(error, file, n, (*group)->name, NULL,
		           "key '%s' is given twice (also at line %d)", key, first);
		return FALSE;
	}
	struct conf_key *k = g_new0(struct conf_key, 1);
	k->name = g_steal_pointer(&key);
	k->line = n;
	g_ptr_array_add((*group)->keys, k);
	g_string_append_len(out, s, len);
	return TRUE;
}

struct conf_lines *
conf_lines_scan(const char *file, const char *text, gsize len, GError **error)
{
	g_autoptr(conf_lines) lines = g_new0(struct conf_lines, 1);
	lines->groups = g_ptr_array_new_with_free_func(group_free);
	g_autoptr(GString) out = g_string_sized_new(len);
	struct conf_group *group = NULL;

	/* Some editors start UTF-8 files with a byte order mark. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	const char *p = text, *end = text + len;
	for (int n = 1; p < end; n++) {
		const char *nl = memchr(p, '\n', end - p);
		const char *line_end = nl ? nl : end;
		if (!scan_line(lines, out, &group, p, line_end - p, file, n, error))
			return NULL;
		g_string_append_c(out, '\n');
		p = nl ? nl + 1 : end;
	}
	lines->len = out->len;
	lines->text = g_string_free(g_steal_pointer(&out), FALSE);
	return g_steal_pointer(&lines);
}
