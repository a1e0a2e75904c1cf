/* A client's or project's mail in numbers (struct mail_counts), as
 * `clients` and `projects` print it: the same columns and JSON keys. */
#ifndef MC_PRINT_COUNTS_H
#define MC_PRINT_COUNTS_H

#include <glib.h>

#include "cli/printer.h"
#include "query/report.h"

/* Appends N's columns (in, out, threads, first, last, follow-ups) to OUT. */
void print_counts_text(GString *out, const struct mail_counts *n);

/* Describes N: messages_in, messages_out, threads, first, last (null for
 * none), followups, attachments. */
void print_counts_describe(struct printer *p, const struct mail_counts *n);

#endif
