/* The JSON format: a record is an object of its described values; lists are
 * arrays, groups objects; one newline ends the output. */
#include "config.h"

#include "cli/printer-ops.h"
#include "common/json.h"

static struct json *
json_of(struct printer *p)
{
	return p->data;
}

static void
json_printer_init(struct printer *p)
{
	struct json *j = g_new0(struct json, 1);
	json_init(j, p->out);
	p->data = j;
}

static void
json_printer_clear(struct printer *p)
{
	json_clear(json_of(p));
	g_free(p->data);
}

static void
json_printer_record(struct printer *p, const struct record_kind *kind, gconstpointer record,
                    guint index)
{
	json_begin_object(json_of(p));
	kind->describe(p, record);
	json_end_object(json_of(p));
}

static void
json_printer_list_begin(struct printer *p, const char *key, const char *heading)
{
	if (key)
		json_key(json_of(p), key);
	json_begin_array(json_of(p));
}

static void
json_printer_list_end(struct printer *p, const char *empty, guint count)
{
	json_end_array(json_of(p));
}

static void
json_printer_finish(struct printer *p)
{
	g_string_append_c(p->out, '\n');
}

static void
json_printer_key(struct printer *p, const char *key)
{
	json_key(json_of(p), key);
}

static void
json_printer_string(struct printer *p, const char *s)
{
	json_string(json_of(p), s);
}

static void
json_printer_int(struct printer *p, gint64 v)
{
	json_int(json_of(p), v);
}

static void
json_printer_bool(struct printer *p, gboolean v)
{
	json_bool(json_of(p), v);
}

static void
json_printer_null(struct printer *p)
{
	json_null(json_of(p));
}

static void
json_printer_map_begin(struct printer *p)
{
	json_begin_object(json_of(p));
}

static void
json_printer_map_end(struct printer *p)
{
	json_end_object(json_of(p));
}

static void
json_printer_array_begin(struct printer *p)
{
	json_begin_array(json_of(p));
}

static void
json_printer_array_end(struct printer *p)
{
	json_end_array(json_of(p));
}

const struct printer_ops printer_json_ops = {
	.name = "json",
	.init = json_printer_init,
	.clear = json_printer_clear,
	.record = json_printer_record,
	.list_begin = json_printer_list_begin,
	.list_end = json_printer_list_end,
	.group_begin = json_printer_map_begin,
	.group_end = json_printer_map_end,
	.finish = json_printer_finish,
	.key = json_printer_key,
	.string = json_printer_string,
	.integer = json_printer_int,
	.boolean = json_printer_bool,
	.null = json_printer_null,
	.map_begin = json_printer_map_begin,
	.map_end = json_printer_map_end,
	.array_begin = json_printer_array_begin,
	.array_end = json_printer_array_end,
};
