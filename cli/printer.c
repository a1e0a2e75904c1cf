/* The printer interface: choosing a format, lists, records and values,
 * handed to the format's printer_ops. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cli/printer-ops.h"
#include "common/date.h"
#include "common/error.h"

static const struct printer_ops *const formats[] = {
	&printer_text_ops,   &printer_json_ops,  &printer_files_ops,
	&printer_files0_ops, &printer_vcard_ops, &printer_mutt_ops,
};

/* Whether KIND can be printed in FORMAT. */
static gboolean
kind_offers(const struct record_kind *kind, const struct printer_ops *format)
{
	if (format == &printer_files_ops || format == &printer_files0_ops)
		return kind->files != NULL;
	if (format == &printer_vcard_ops)
		return kind->vcard != NULL;
	if (format == &printer_mutt_ops)
		return kind->mutt != NULL;
	if (format == &printer_json_ops)
		return kind->describe != NULL;
	return kind->text != NULL;
}

char *
printer_formats(const struct record_kind *kind)
{
	guint n = 0;
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++)
		n += kind_offers(kind, formats[i]);
	GString *s = g_string_new(NULL);
	for (guint i = 0, listed = 0; i < G_N_ELEMENTS(formats); i++) {
		if (!kind_offers(kind, formats[i]))
			continue;
		listed++;
		g_string_append_printf(s, "%s%s",
		                       listed == 1   ? ""
		                       : listed == n ? " or "
		                                     : ", ",
		                       formats[i]->name);
	}
	return g_string_free(s, FALSE);
}

char *
printer_format_words(const struct record_kind *kind)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	for (guint i = 0; i < G_N_ELEMENTS(formats); i++)
		if (kind_offers(kind, formats[i]))
			g_ptr_array_add(names, (char *)formats[i]->name);
	g_ptr_array_add(names, NULL);
	return g_strjoinv("|", (char **)names->pdata);
}

struct printer *
printer_new(const char *command, const char *format, const struct record_kind *kind, GError **error)
{
	const char *name = format ? format : "text";
	const struct printer_ops *ops = NULL;
	for (guint i = 0; i < G_N_ELEMENTS(formats) && !ops; i++)
		if (kind_offers(kind, formats[i]) && g_str_equal(formats[i]->name, name))
			ops = formats[i];
	if (!ops) {
		g_autofree char *offered = printer_formats(kind);
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s prints %s, not '%s'", command,
		            offered, name);
		return NULL;
	}
	struct printer *p = g_new0(struct printer, 1);
	p->ops = ops;
	p->out = g_string_new(NULL);
	p->counts = g_array_new(FALSE, FALSE, sizeof(guint));
	p->empties = g_ptr_array_new();
	if (ops->init)
		ops->init(p);
	return p;
}

void
printer_free(struct printer *p)
{
	if (!p)
		return;
	if (p->ops->clear)
		p->ops->clear(p);
	g_string_free(p->out, TRUE);
	g_array_unref(p->counts);
	g_ptr_array_unref(p->empties);
	g_free(p);
}

int
printer_finish(struct printer *p)
{
	if (p->ops->finish)
		p->ops->finish(p);
	fwrite(p->out->str, 1, p->out->len, stdout);
	g_string_truncate(p->out, 0);
	printer_free(p);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return MC_EXIT_OK;
	fprintf(stderr, "mailclerk: cannot write the output: %s\n", g_strerror(errno));
	return MC_EXIT_FAILURE;
}

gboolean
printer_is(const struct printer *p, const char *format)
{
	return g_str_equal(p->ops->name, format);
}

gboolean
printer_is_files(const struct printer *p)
{
	return p->ops == &printer_files_ops || p->ops == &printer_files0_ops;
}

void
printer_flush(struct printer *p)
{
	if (p->out->len > 65536) {
		fwrite(p->out->str, 1, p->out->len, stdout);
		g_string_truncate(p->out, 0);
	}
}

void
printer_record(struct printer *p, const struct record_kind *kind, gconstpointer record)
{
	guint *count =
	    p->counts->len ? &g_array_index(p->counts, guint, p->counts->len - 1) : &p->top_count;
	p->ops->record(p, kind, record, (*count)++);
	printer_flush(p);
}

void
printer_keyed_record(struct printer *p, const char *key, const struct record_kind *kind,
                     gconstpointer record)
{
	/* Formats without keyed values print the record alone. */
	if (p->ops->key)
		p->ops->key(p, key);
	printer_record(p, kind, record);
}

void
printer_list_begin(struct printer *p, const char *key, const char *heading, const char *empty)
{
	guint zero = 0;
	g_array_append_val(p->counts, zero);
	g_ptr_array_add(p->empties, (gpointer)empty);
	p->ops->list_begin(p, key, heading);
}

void
printer_list_end(struct printer *p)
{
	guint count = g_array_index(p->counts, guint, p->counts->len - 1);
	const char *empty = g_ptr_array_steal_index(p->empties, p->empties->len - 1);
	g_array_set_size(p->counts, p->counts->len - 1);
	p->ops->list_end(p, empty, count);
	printer_flush(p);
}

void
printer_group_begin(struct printer *p)
{
	if (p->ops->group_begin)
		p->ops->group_begin(p);
}

void
printer_group_end(struct printer *p)
{
	if (p->ops->group_end)
		p->ops->group_end(p);
}

/* The values exist only in structured formats, where describe() is called. */

void
printer_key(struct printer *p, const char *key)
{
	p->ops->key(p, key);
}

void
printer_string(struct printer *p, const char *s)
{
	p->ops->string(p, s);
}

void
printer_int(struct printer *p, gint64 v)
{
	p->ops->integer(p, v);
}

void
printer_bool(struct printer *p, gboolean v)
{
	p->ops->boolean(p, v);
}

void
printer_null(struct printer *p)
{
	p->ops->null(p);
}

void
printer_map_begin(struct printer *p)
{
	p->ops->map_begin(p);
}

void
printer_map_end(struct printer *p)
{
	p->ops->map_end(p);
}

void
printer_array_begin(struct printer *p)
{
	p->ops->array_begin(p);
}

void
printer_array_end(struct printer *p)
{
	p->ops->array_end(p);
}

void
printer_kv_string(struct printer *p, const char *key, const char *s)
{
	printer_key(p, key);
	printer_string(p, s);
}

void
printer_kv_int(struct printer *p, const char *key, gint64 v)
{
	printer_key(p, key);
	printer_int(p, v);
}

void
printer_kv_bool(struct printer *p, const char *key, gboolean v)
{
	printer_key(p, key);
	printer_bool(p, v);
}

void
printer_kv_date(struct printer *p, const char *key, gint64 utc_seconds)
{
	g_autofree char *iso = date_iso(utc_seconds);
	printer_kv_string(p, key, iso);
}

void
printer_kv_strings(struct printer *p, const char *key, const GPtrArray *list)
{
	printer_key(p, key);
	printer_array_begin(p);
	for (guint i = 0; list && i < list->len; i++)
		printer_string(p, g_ptr_array_index(list, i));
	printer_array_end(p);
}

void
printer_kv_date_or_null(struct printer *p, const char *key, gint64 utc_seconds)
{
	if (utc_seconds)
		printer_kv_date(p, key, utc_seconds);
	else
		printer_kv_string(p, key, NULL);
}
