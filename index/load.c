/* Reading a stored message and its rows back from the index. */
#include "config.h"

#include "index/load.h"
#include "common/error.h"

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

void
load_address_row(sqlite3_stmt *s, int first, GPtrArray *out)
{
	struct mc_address *a = g_new0(struct mc_address, 1);
	a->role = sqlite3_column_int(s, first);
	a->name = g_strdup(db_column_text(s, first + 1));
	a->address = g_strdup(db_column_text(s, first + 2));
	a->domain = g_strdup(db_column_text(s, first + 3));
	g_ptr_array_add(out, a);
}

static void
address_row(sqlite3_stmt *s, gpointer out)
{
	load_address_row(s, 0, out);
}

gboolean
load_addresses(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db,
	                "SELECT role, name, address, domain FROM addresses WHERE message = ? "
	                "ORDER BY rowid",
	                id, address_row, out, "reading a message's addresses", error);
}

void
load_attachment_row(sqlite3_stmt *s, int first, GPtrArray *out)
{
	struct mc_attachment *a = g_new0(struct mc_attachment, 1);
	a->part = g_strdup(db_column_text(s, first));
	a->filename = g_strdup(db_column_text(s, first + 1));
	a->mime_type = g_strdup(db_column_text(s, first + 2));
	a->size = sqlite3_column_int64(s, first + 3);
	g_strlcpy(a->sha256, db_column_text(s, first + 4), sizeof a->sha256);
	a->is_inline = sqlite3_column_int(s, first + 5);
	g_ptr_array_add(out, a);
}

static void
attachment_row(sqlite3_stmt *s, gpointer out)
{
	load_attachment_row(s, 0, out);
}

gboolean
load_attachments(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db,
	                "SELECT part, filename, mime_type, size, sha256, is_inline "
	                "FROM attachments WHERE message = ? ORDER BY rowid",
	                id, attachment_row, out, "reading a message's attachments", error);
}

static void
label_row(sqlite3_stmt *s, gpointer out)
{
	g_ptr_array_add(out, g_strdup(db_column_text(s, 0)));
}

gboolean
load_labels(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db, "SELECT label FROM labels WHERE message = ? ORDER BY rowid", id,
	                label_row, out, "reading a message's labels", error);
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

char *
load_location_path(const char *kind, const char *container, const char *sub, const char *name,
                   const char *info)
{
	if (!g_str_equal(kind, "maildir"))
		return g_strdup(container);
	if (*sub)
		return g_strconcat(container, "/", sub, "/", name, info, NULL);
	/* A second file of one unique name: NAME is its whole relative path
	 * ("cur/UNIQUE:2,RS"), INFO only its flags. */
	return g_strconcat(container, "/", name, NULL);
}

static void
location_row(sqlite3_stmt *s, gpointer out)
{
	struct mc_location *l = g_new0(struct mc_location, 1);
	l->kind = g_strdup(db_column_text(s, 0));
	l->path = load_location_path(l->kind, db_column_text(s, 1), db_column_text(s, 2),
	                             db_column_text(s, 3), db_column_text(s, 4));
	l->offset = sqlite3_column_int64(s, 5);
	l->length = sqlite3_column_int64(s, 6);
	l->folder = g_strdup(db_column_text(s, 7));
	l->id = sqlite3_column_int64(s, 8);
	l->fingerprint = sqlite3_column_int64(s, 9);
	/* maildir and mbox copies keep flags in info (":2,RS"); a file has none. */
	l->flags = mc_flags_parse(db_column_text(s, 4));
	g_ptr_array_add(out, l);
}

gboolean
load_locations(struct mc_db *db, gint64 id, GPtrArray *out, GError **error)
{
	return each_row(db,
	                "SELECT c.kind, c.path, l.sub, l.name, l.info, l.offset, l.length, "
	                "c.folder, l.id, l.fingerprint FROM locations l JOIN containers c ON c.id "
	                "= l.container "
	                "WHERE l.message = ? ORDER BY c.folder, c.path, l.name",
	                id, location_row, out, "reading a message's copies", error);
}

static void
add_distinct(GPtrArray *list, const char *s)
{
	if (!g_ptr_array_find_with_equal_func(list, s, g_str_equal, NULL))
		g_ptr_array_add(list, g_strdup(s));
}

struct stored_message *
load_message_summary(struct mc_db *db, gint64 id, GError **error)
{
	sqlite3_stmt *s =
	    db_cached(db,
	              "SELECT message_id, thread_id, date, subject, direction, from_name, "
	              "from_addr, automated, automated_why FROM messages WHERE id = ?",
	              error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "no message with id %" G_GINT64_FORMAT, id);
		return NULL;
	}
	g_autoptr(stored_message) m = stored_message_new();
	m->id = id;
	g_free(m->message_id);
	m->message_id = g_strdup(db_column_text(s, 0));
	m->thread = sqlite3_column_int64(s, 1);
	m->date = sqlite3_column_int64(s, 2);
	g_free(m->subject);
	m->subject = g_strdup(db_column_text(s, 3));
	m->direction = sqlite3_column_int(s, 4);
	g_free(m->from.name);
	m->from.name = g_strdup(db_column_text(s, 5));
	g_free(m->from.address);
	m->from.address = g_strdup(db_column_text(s, 6));
	m->automated = sqlite3_column_int(s, 7);
	g_free(m->automated_why);
	m->automated_why = g_strdup(db_column_text(s, 8));
	sqlite3_reset(s);
	if (!load_attachments(db, id, m->attachments, error))
		return NULL;
	return g_steal_pointer(&m);
}

struct stored_message *
load_message(struct mc_db *db, gint64 id, GError **error)
{
	g_autoptr(stored_message) m = load_message_summary(db, id, error);
	if (!m)
		return NULL;
	/* From is in the message row; To and Cc are printed, Bcc is not. */
	g_autoptr(GPtrArray) addrs = g_ptr_array_new();
	if (!load_addresses(db, id, addrs, error))
		return NULL;
	for (guint i = 0; i < addrs->len; i++) {
		struct mc_address *addr = g_ptr_array_index(addrs, i);
		if (addr->role == MC_ROLE_TO)
			g_ptr_array_add(m->to, addr);
		else if (addr->role == MC_ROLE_CC)
			g_ptr_array_add(m->cc, addr);
		else
			mc_address_free(addr);
	}
	if (!load_locations(db, id, m->locations, error))
		return NULL;
	for (guint i = 0; i < m->locations->len; i++) {
		const struct mc_location *l = g_ptr_array_index(m->locations, i);
		add_distinct(m->files, l->path);
		m->flags |= l->flags;
		if (*l->folder)
			add_distinct(m->folders, l->folder);
	}
	if (!load_labels(db, id, m->labels, error) ||
	    !load_filings(db, id, m->clients, m->projects, error))
		return NULL;
	return g_steal_pointer(&m);
}
