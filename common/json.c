/* The streaming JSON writer. */
#include "config.h"

#include "common/json.h"

void
json_init(struct json *j, GString *out)
{
	j->out = out;
	j->need_comma = g_array_new(FALSE, FALSE, sizeof(gboolean));
	j->after_key = FALSE;
}

void
json_clear(struct json *j)
{
	g_array_unref(j->need_comma);
}

/* Called before every value or key: writes the comma a previous sibling needs. */
static void
json_separate(struct json *j)
{
	if (j->after_key) {
		j->after_key = FALSE;
		return;
	}
	if (j->need_comma->len == 0)
		return;
	gboolean *need = &g_array_index(j->need_comma, gboolean, j->need_comma->len - 1);
	if (*need)
		g_string_append_c(j->out, ',');
	*need = TRUE;
}

static void
json_open(struct json *j, char c)
{
	json_separate(j);
	g_string_append_c(j->out, c);
	gboolean f = FALSE;
	g_array_append_val(j->need_comma, f);
}

static void
json_close(struct json *j, char c)
{
	g_array_set_size(j->need_comma, j->need_comma->len - 1);
	g_string_append_c(j->out, c);
}

void
json_begin_object(struct json *j)
{
	json_open(j, '{');
}

void
json_end_object(struct json *j)
{
	json_close(j, '}');
}

void
json_begin_array(struct json *j)
{
	json_open(j, '[');
}

void
json_end_array(struct json *j)
{
	json_close(j, ']');
}

void
json_append_quoted(GString *out, const char *s)
{
	/* JSON is UTF-8: a file name that is not (the file system allows any
	 * bytes) is written with U+FFFD for what does not decode. */
	g_autofree char *valid = g_utf8_validate(s, -1, NULL) ? NULL : g_utf8_make_valid(s, -1);
	if (valid)
		s = valid;
	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

void
json_key(struct json *j, const char *key)
{
	json_separate(j);
	json_append_quoted(j->out, key);
	g_string_append_c(j->out, ':');
	j->after_key = TRUE;
}

void
json_string(struct json *j, const char *s)
{
	json_separate(j);
	if (s)
		json_append_quoted(j->out, s);
	else
		g_string_append(j->out, "null");
}

void
json_int(struct json *j, gint64 v)
{
	json_separate(j);
	g_string_append_printf(j->out, "%" G_GINT64_FORMAT, v);
}

void
json_bool(struct json *j, gboolean v)
{
	json_separate(j);
	g_string_append(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_separate(j);
	g_string_append(j->out, "null");
}

void
json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void
json_kv_int(struct json *j, const char *key, gint64 v)
{
	json_key(j, key);
	json_int(j, v);
}
