#include "config.h"

#include "index/load.h"
#include "common/message.h"

/* Runs cached statement SQL for message ID, calling ROW for each row. */
static gboolean
each_row(struct mc_db *db, const char *sql, gint64 id, void (*row)(sqlite3_stmt *, gpointer),
         gpointer data, const char *what, GError **error)
{
	sqlite3_stmt *s = db_cached(db, sql, error);
	if (!s)
		return FALSE;
	sqlite3_bind_int64(s, 1, id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		row(s, data);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || db_set_error(error, db, what);
}

static void
address_row(sqlite3_stmt *s, gpointer out)
{
	struct mc_address *a = g_new0(struct mc_address, 1);
	a->role = sqlite3_column_int(s, 0);
	a->name = g_strdup(db_column_text(s, 1));
	a->address = g_strdup(db_column_text(s, 2));
	a->domain = g_strdup(db_column_text(s, 3));
	g_ptr_array_add(out, a);
}

gboolean
load_addresses(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db,
	                "SELECT role, name, address, domain FROM addresses WHERE message = ? "
	                "ORDER BY rowid",
	                id, address_row, out, "reading a message's addresses", error);
}

static void
attachment_row(sqlite3_stmt *s, gpointer out)
{
	struct mc_attachment *a = g_new0(struct mc_attachment, 1);
	a->part = g_strdup(db_column_text(s, 0));
	a->filename = g_strdup(db_column_text(s, 1));
	a->mime_type = g_strdup(db_column_text(s, 2));
	a->size = sqlite3_column_int64(s, 3);
	g_strlcpy(a->sha256, db_column_text(s, 4), sizeof a->sha256);
	a->is_inline = sqlite3_column_int(s, 5);
	g_ptr_array_add(out, a);
}

gboolean
load_attachments(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db,
	                "SELECT part, filename, mime_type, size, sha256, is_inline "
	                "FROM attachments WHERE message = ? ORDER BY rowid",
	                id, attachment_row, out, "reading a message's attachments", error);
}

struct filings_out {
	GPtrArray *clients, *projects;
};

static void
filing_row(sqlite3_stmt *s, gpointer data)
{
	struct filings_out *out = data;
	const char *client = db_column_text(s, 0), *project = db_column_text(s, 1);
	if (*project)
		g_ptr_array_add(out->projects, g_strdup_printf("%s/%s", client, project));
	else
		g_ptr_array_add(out->clients, g_strdup(client));
}

gboolean
load_filings(struct mc_db *db, gint64 id, GPtrArray *clients, GPtrArray *projects, GError **error)
{
	struct filings_out out = { clients, projects };
	return each_row(db,
	                "SELECT client, project FROM filings WHERE message = ? "
	                "ORDER BY client, project",
	                id, filing_row, &out, "reading a message's filings", error);
}
