/* The files format: the paths of each record's files, one per line, for
 * mail clients (mutt's <change-folder> on a list of files, scripts). */
#include "config.h"

#include "cli/printer-ops.h"

static void
files_record(struct printer *p, const struct record_kind *kind, gconstpointer record, guint index)
{
	kind->files(p->out, record);
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
