/* The address book formats: vcard (each record's vCards, for khard and
 * other address books) and mutt (mutt's query_command answer: a first
 * line, then a line per address). */
#include "config.h"

#include "cli/printer-ops.h"

static void
vcard_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->vcard(p->out, record);
}

static void
mutt_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->mutt(p->out, record);
}

static void
book_list_begin(struct printer *p, const char *key, const char *heading)
{
}

static void
mutt_list_begin(struct printer *p, const char *key, const char *heading)
{
	/* mutt reads the first line as a message to show, whatever it says. */
	g_string_append(p->out, heading ? heading : "\n");
}

static void
book_list_end(struct printer *p, const char *empty, guint count)
{
}

const struct printer_ops printer_vcard_ops = {
	.name = "vcard",
	.record = vcard_record,
	.list_begin = book_list_begin,
	.list_end = book_list_end,
};

const struct printer_ops printer_mutt_ops = {
	.name = "mutt",
	.record = mutt_record,
	.list_begin = mutt_list_begin,
	.list_end = book_list_end,
};
