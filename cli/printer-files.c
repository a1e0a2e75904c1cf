/* The files formats: the paths of each record's files, one per line, for
 * mail clients (mutt's <change-folder> on a list of files, scripts), or
 * each ended by a NUL byte (files0, for xargs -0: a path may hold a
 * newline). */
#include "config.h"

#include "cli/printer-ops.h"

static void
files_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->files(p->out, record, '\n');
}

static void
files0_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->files(p->out, record, '\0');
}

static void
files_list(struct printer *p, const char *key, const char *heading)
{
}

static void
files_list_end(struct printer *p, const char *empty, guint count)
{
}

const struct printer_ops printer_files_ops = {
	.name = "files",
	.record = files_record,
	.list_begin = files_list,
	.list_end = files_list_end,
};

const struct printer_ops printer_files0_ops = {
	.name = "files0",
	.record = files0_record,
	.list_begin = files_list,
	.list_end = files_list_end,
};
