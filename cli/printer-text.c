/* The text format: each record's lines for people, headings, and what an
 * empty list says. */
#include "config.h"

#include "cli/printer-ops.h"

static void
text_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->text(p->out, record, index);
}

static void
text_list_begin(struct printer *p, const char *key, const char *heading)
{
	if (heading)
		g_string_append(p->out, heading);
}

static void
text_list_end(struct printer *p, const char *empty, guint count)
{
	if (count == 0 && empty)
		g_string_append(p->out, empty);
}

const struct printer_ops printer_text_ops = {
	.name = "text",
	.record = text_record,
	.list_begin = text_list_begin,
	.list_end = text_list_end,
};
