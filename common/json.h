/* A small streaming JSON writer: objects, arrays, strings, numbers.
 * Commas are inserted for the caller; strings are escaped per RFC 8259. */
#ifndef MC_JSON_H
#define MC_JSON_H

#include <glib.h>

struct json {
	GString *out;
	GArray *need_comma; /* gboolean per open container */
	gboolean after_key;
};

/* Starts writing into OUT (borrowed; must outlive the writer). */
void json_init(struct json *j, GString *out);
void json_clear(struct json *j);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, gint64 v);
void json_bool(struct json *j, gboolean v);
void json_null(struct json *j);
/* Shorthands for a key followed by a value. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, gint64 v);

/* Appends S as a quoted, escaped JSON string to OUT. */
void json_append_quoted(GString *out, const char *s);

#endif
