#include "config.h"

#include "query/format.h"

void
format_files_result(GString *out, const struct result *r)
{
	for (guint i = 0; i < r->files->len; i++)
		g_string_append_printf(out, "%s\n", (const char *)g_ptr_array_index(r->files, i));
}
