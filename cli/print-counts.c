/* The mail counts of `clients` and `projects`: text columns and JSON keys. */
#include "config.h"

#include "cli/print-counts.h"
#include "common/date.h"

/* A date column; "-" for none (0). */
static char *
day(gint64 t)
{
	return t ? date_day(t, "-") : g_strdup("-");
}

void
print_counts_text(GString *out, const struct mail_counts *n)
{
	g_autofree char *first = day(n->first), *last = day(n->last);
	g_string_append_printf(out,
	                       " %5" G_GINT64_FORMAT " %5" G_GINT64_FORMAT " %7" G_GINT64_FORMAT
	                       "  %-10s  %-10s  %9" G_GINT64_FORMAT,
	                       n->in, n->out, n->threads, first, last, n->followups);
}

void
print_counts_describe(struct printer *p, const struct mail_counts *n)
{
	printer_kv_int(p, "messages_in", n->in);
	printer_kv_int(p, "messages_out", n->out);
	printer_kv_int(p, "threads", n->threads);
	printer_kv_date_or_null(p, "first", n->first);
	printer_kv_date_or_null(p, "last", n->last);
	printer_kv_int(p, "followups", n->followups);
	printer_kv_int(p, "attachments", n->attachments);
}
