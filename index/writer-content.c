/* What parsing gives of a message, into the index: the parsed columns of its row, its date in the
 * date map, addresses, attachments, labels, stored text and full text; inserted for a new message
 * and rewritten where it differs for a message read again. */
#include "config.h"

#include <string.h>

#include "index/writer-internal.h"
#include "common/automated.h"
#include "common/error.h"
#include "index/aggregates.h"
#include "index/text.h"

/* The columns of a messages row that parsing gives, in the order bind_row()
 * binds them: a field parsing learns is added here and there, and the
 * insert, the comparison and the rewrite all follow. */
#define ROW_REST                                                                                   \
	"date, from_name, from_addr, subject, direction, size, has_attachments, automated, "       \
	"automated_why"
#define ROW_COLUMNS "content_hash, " ROW_REST

enum {
	CT_INSERT_MSG,
	CT_UPDATE_MSG,
	CT_SAME_ROW,
	CT_SAME_TEXT,
	CT_OLD_ADDRS,
	CT_OLD_ATTS,
	CT_OLD_LABELS,
	CT_INSERT_ADDR,
	CT_INSERT_ATT,
	CT_INSERT_LABEL,
	CT_INSERT_FTS,
	CT_INSERT_TEXT,
	CT_DELETE_FTS,
	CT_DELETE_TEXT,
	CT_DELETE_ADDRS,
	CT_DELETE_ATTS,
	CT_DELETE_LABELS,
	CT_INSERT_DOMAIN,
	CT_COUNT
};

/* %s: ROW_COLUMNS; %v: a parameter for each of them; %r: ROW_REST, the
 * columns after the content hash, and %w their parameters ?2, ?3...
 * (statement_sql()). */
static const char *const statements[CT_COUNT] = {
	[CT_INSERT_MSG] = "INSERT INTO messages (message_id, thread_id, %s) VALUES (?, ?, %v)",
	[CT_UPDATE_MSG] = "UPDATE messages SET (%s) = (%v) WHERE id = ?",
	/* The rest of the row, and the content hash: the same (0), a SHA-256
	 * kept from before it was XXH3 (1), or another (2). */
	[CT_SAME_ROW] = "SELECT (%r) IS (%w), CASE WHEN content_hash IS ?1 THEN 0 WHEN "
	                "length(content_hash) = 32 THEN 1 ELSE 2 END FROM messages WHERE id = ?",
	[CT_SAME_TEXT] = "SELECT m.subject = ? AND t.sender = ? AND t.recipients = ? AND "
	                 "t.body = ? AND t.attachments = ? AND t.alt = ? FROM messages m "
	                 "JOIN message_text t ON t.id = m.id WHERE m.id = ?",
	[CT_OLD_ADDRS] = "SELECT role, name, address, domain FROM addresses WHERE message = ? "
	                 "ORDER BY rowid",
	[CT_OLD_ATTS] = "SELECT part, filename, mime_type, size, sha256, is_inline FROM "
	                "attachments WHERE message = ? ORDER BY rowid",
	[CT_OLD_LABELS] = "SELECT label, folded FROM labels WHERE message = ? ORDER BY rowid",
	[CT_INSERT_ADDR] = "INSERT INTO addresses (message, role, name, address, domain) "
	                   "VALUES (?,?,?,?,?)",
	[CT_INSERT_ATT] = "INSERT INTO attachments (message, part, filename, mime_type, size, "
	                  "sha256, is_inline) VALUES (?,?,?,?,?,?,?)",
	[CT_INSERT_LABEL] = "INSERT INTO labels (message, label, folded) VALUES (?,?,?)",
	[CT_INSERT_FTS] = "INSERT INTO fts (rowid, subject, sender, recipients, body, attachments, "
	                  "alt) VALUES (?,?,?,?,?,?,?)",
	[CT_INSERT_TEXT] = "INSERT INTO message_text (id, sender, recipients, body, attachments, "
	                   "alt) VALUES (?,?,?,?,?,?)",
	/* An external-content index forgets a row only when told the exact
	 * text it indexed: the messages_delete_fts trigger's statement. */
	[CT_DELETE_FTS] = "INSERT INTO fts (fts, rowid, subject, sender, recipients, body, "
	                  "attachments, alt) SELECT 'delete', id, subject, sender, recipients, "
	                  "body, attachments, alt FROM fts_source WHERE id = ?",
	[CT_DELETE_TEXT] = "DELETE FROM message_text WHERE id = ?",
	[CT_DELETE_ADDRS] = "DELETE FROM addresses WHERE message = ?",
	[CT_DELETE_ATTS] = "DELETE FROM attachments WHERE message = ?",
	[CT_DELETE_LABELS] = "DELETE FROM labels WHERE message = ?",
	[CT_INSERT_DOMAIN] = "INSERT OR IGNORE INTO domains (domain) VALUES (?)",
};

/* The domains a writer has put in `domains` (migrate-18.sql) or found
 * there, kept so that an address of a known domain costs no statement;
 * past this many, a domain not among them is inserted (or ignored) each
 * time, as before the first. */
#define DOMAINS_KNOWN_MAX 65536

struct content_writer {
	struct mc_db *db;
	const struct mc_config *cfg;
	struct dates *dates;
	struct doclens *lengths;
	int row_columns; /* in ROW_COLUMNS */
	sqlite3_stmt *st[CT_COUNT];
	GHashTable *domains_known; /* char * (owned) -> itself; see DOMAINS_KNOWN_MAX */
};

/* A parsed message as the index stores it. */
struct content {
	const struct parsed_message *pm;
	const struct mc_address *from;
	int direction; /* 1 when From is a `me` address */
	gboolean automated;
	gboolean has_attachments;
	gint64 attachments; /* not shown inline */
	guint8 hash[CONTENT_HASH_BYTES];
	GString *sender;     /* names and address of From, for the full text */
	GString *recipients; /* of To, Cc and Bcc */
	GString *names;      /* attachment file names, one a line */
	GBytes *body_z;      /* the body compressed */
	GPtrArray *folded;   /* char *, mc_label_key() of each of pm->labels */
};

/* What of a message to write (write_content()). */
enum content_parts {
	PART_ROW = 1 << 0,         /* the parsed columns of its row */
	PART_DATE = 1 << 1,        /* its date in the date map */
	PART_ADDRESSES = 1 << 2,   /* addresses rows */
	PART_ATTACHMENTS = 1 << 3, /* attachments rows */
	PART_TEXT = 1 << 4,        /* message_text and the full text */
	PART_LABELS = 1 << 5,      /* labels rows */
	PART_HASH = 1 << 6,        /* only the content hash's form in its row (no change) */
	PART_ALL = (1 << 7) - 1,
};

/* Returns FORMAT with %s replaced by ROW_COLUMNS, %v by as many '?' as it
 * has COLUMNS, %r by ROW_REST and %w by ?2 to ?COLUMNS; the caller frees
 * it. */
static char *
statement_sql(const char *format, int columns)
{
	GString *sql = g_string_new(NULL);
	for (const char *p = format; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			g_string_append(sql, ROW_COLUMNS);
			p++;
		} else if (p[0] == '%' && p[1] == 'v') {
			for (int i = 0; i < columns; i++)
				g_string_append(sql, i ? ", ?" : "?");
			p++;
		} else if (p[0] == '%' && p[1] == 'r') {
			g_string_append(sql, ROW_REST);
			p++;
		} else if (p[0] == '%' && p[1] == 'w') {
			for (int i = 2; i <= columns; i++)
				g_string_append_printf(sql, i > 2 ? ", ?%d" : "?%d", i);
			p++;
		} else {
			g_string_append_c(sql, *p);
		}
	}
	return g_string_free(sql, FALSE);
}

struct content_writer *
content_writer_new(struct mc_db *db, const struct mc_config *cfg, struct dates *date_map,
                   struct doclens *lengths, GError **error)
{
	struct content_writer *cw = g_new0(struct content_writer, 1);
	cw->db = db;
	cw->cfg = cfg;
	cw->dates = date_map;
	cw->lengths = lengths;
	cw->row_columns = 1;
	cw->domains_known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (const char *p = ROW_COLUMNS; *p; p++)
		cw->row_columns += *p == ',';
	for (int i = 0; i < CT_COUNT; i++) {
		g_autofree char *sql = statement_sql(statements[i], cw->row_columns);
		if (!(cw->st[i] = db_prepare(db, sql, error))) {
			content_writer_free(cw);
			return NULL;
		}
	}
	return cw;
}

void
content_writer_free(struct content_writer *cw)
{
	if (!cw)
		return;
	for (int i = 0; i < CT_COUNT; i++)
		sqlite3_finalize(cw->st[i]);
	if (cw->domains_known)
		g_hash_table_unref(cw->domains_known);
	g_free(cw);
}

/* Resets and clears bindings so a statement can be reused. */
static sqlite3_stmt *
stmt(struct content_writer *cw, int which)
{
	sqlite3_stmt *s = cw->st[which];
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static gboolean
step_done(struct content_writer *cw, sqlite3_stmt *s, const char *what, GError **error)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_set_error(error, cw->db, what);
	return TRUE;
}

/* Puts DOMAIN in `domains`, the table `@domain` searches start from
 * (query/fields.c), unless this writer knows it is there. Its transaction
 * is the address's: committed together or lost together, and a writer
 * whose transaction fails is not used again. */
static gboolean
note_domain(struct content_writer *cw, const char *domain, GError **error)
{
	if (g_hash_table_contains(cw->domains_known, domain))
		return TRUE;
	sqlite3_stmt *s = stmt(cw, CT_INSERT_DOMAIN);
	db_bind_text(s, 1, domain);
	if (!step_done(cw, s, "adding an address's domain", error))
		return FALSE;
	if (g_hash_table_size(cw->domains_known) < DOMAINS_KNOWN_MAX)
		g_hash_table_add(cw->domains_known, g_strdup(domain));
	return TRUE;
}

gboolean
content_outbound(const struct mc_config *cfg, const char *from)
{
	return *from && config_is_me(cfg, from);
}

static void
content_init(struct content *c, const struct content_writer *cw, const struct parsed_message *pm,
             GBytes *body_z)
{
	memset(c, 0, sizeof *c);
	c->pm = pm;
	c->from = parsed_message_first_address(pm, MC_ROLE_FROM);
	c->direction = content_outbound(cw->cfg, c->from ? c->from->address : "");
	struct automated_mark mark;
	automated_mark(cw->cfg, c->from ? c->from->address : "", pm->automated_why, &mark);
	c->automated = mark.automated;
	content_hash_bytes(pm->content_hash, c->hash);
	c->sender = g_string_new(NULL);
	c->recipients = g_string_new(NULL);
	for (guint i = 0; i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		GString *text = a->role == MC_ROLE_FROM       ? c->sender
		                : a->role == MC_ROLE_REPLY_TO ? NULL
		                                              : c->recipients;
		if (text)
			g_string_append_printf(text, "%s %s\n", a->name, a->address);
	}
	c->names = g_string_new(NULL);
	for (guint i = 0; i < pm->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, i);
		if (!a->is_inline) {
			c->has_attachments = TRUE;
			c->attachments++;
		}
		if (*a->filename)
			g_string_append_printf(c->names, "%s\n", a->filename);
	}
	c->body_z = body_z ? g_bytes_ref(body_z) : text_compress(pm->body_text);
	c->folded = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < pm->labels->len; i++)
		g_ptr_array_add(c->folded, mc_label_key(g_ptr_array_index(pm->labels, i)));
}

static void
content_clear(struct content *c)
{
	g_string_free(c->sender, TRUE);
	g_string_free(c->recipients, TRUE);
	g_string_free(c->names, TRUE);
	g_bytes_unref(c->body_z);
	g_ptr_array_unref(c->folded);
}

/* Binds the values of ROW_COLUMNS from C, from parameter FIRST on; returns
 * the next parameter's index. */
static int
bind_row(struct content_writer *cw, sqlite3_stmt *s, int first, const struct content *c)
{
	const struct parsed_message *pm = c->pm;
	int i = first;
	sqlite3_bind_blob(s, i++, c->hash, sizeof c->hash, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, i++, pm->date);
	db_bind_text(s, i++, c->from ? c->from->name : "");
	db_bind_text(s, i++, c->from ? c->from->address : "");
	db_bind_text(s, i++, pm->subject);
	sqlite3_bind_int(s, i++, c->direction);
	sqlite3_bind_int64(s, i++, pm->size);
	sqlite3_bind_int(s, i++, c->has_attachments);
	sqlite3_bind_int(s, i++, c->automated);
	db_bind_text(s, i++, pm->automated_why);
	g_assert(i - first == cw->row_columns);
	return i;
}

/* Runs statement WHICH on message ID (its one parameter). */
static gboolean
run_on(struct content_writer *cw, int which, gint64 id, const char *what, GError **error)
{
	sqlite3_stmt *s = stmt(cw, which);
	sqlite3_bind_int64(s, 1, id);
	return step_done(cw, s, what, error);
}

/* Writes PARTS of C as message *ID: a new message (*ID 0, inserted in
 * THREAD, *ID set) or an existing one whose rows of PARTS are gone (the
 * row is updated). The one function for ingest and reindex alike. */
static gboolean
write_content(struct content_writer *cw, const struct content *c, unsigned parts, gint64 thread,
              gint64 *id, GError **error)
{
	const struct parsed_message *pm = c->pm;
	sqlite3_stmt *s;
	if (!*id) {
		s = stmt(cw, CT_INSERT_MSG);
		db_bind_text(s, 1, pm->message_id);
		sqlite3_bind_int64(s, 2, thread);
		bind_row(cw, s, 3, c);
		if (!step_done(cw, s, "adding a message", error))
			return FALSE;
		*id = sqlite3_last_insert_rowid(cw->db->sql);
	} else if (parts & (PART_ROW | PART_HASH)) {
		s = stmt(cw, CT_UPDATE_MSG);
		sqlite3_bind_int64(s, bind_row(cw, s, 1, c), *id);
		if (!step_done(cw, s, "rewriting a message", error))
			return FALSE;
	}
	if ((parts & PART_DATE) && !dates_set(cw->dates, *id, pm->date, error))
		return FALSE;

	for (guint i = 0; (parts & PART_ADDRESSES) && i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		s = stmt(cw, CT_INSERT_ADDR);
		sqlite3_bind_int64(s, 1, *id);
		sqlite3_bind_int(s, 2, a->role);
		db_bind_text(s, 3, a->name);
		db_bind_text(s, 4, a->address);
		db_bind_text(s, 5, a->domain);
		if (!step_done(cw, s, "adding an address", error) ||
		    !note_domain(cw, a->domain, error))
			return FALSE;
	}
	for (guint i = 0; (parts & PART_ATTACHMENTS) && i < pm->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(pm->attachments, i);
		s = stmt(cw, CT_INSERT_ATT);
		sqlite3_bind_int64(s, 1, *id);
		db_bind_text(s, 2, a->part);
		db_bind_text(s, 3, a->filename);
		db_bind_text(s, 4, a->mime_type);
		sqlite3_bind_int64(s, 5, a->size);
		db_bind_text(s, 6, a->sha256);
		sqlite3_bind_int(s, 7, a->is_inline);
		if (!step_done(cw, s, "adding an attachment", error))
			return FALSE;
	}
	for (guint i = 0; (parts & PART_LABELS) && i < pm->labels->len; i++) {
		s = stmt(cw, CT_INSERT_LABEL);
		sqlite3_bind_int64(s, 1, *id);
		db_bind_text(s, 2, g_ptr_array_index(pm->labels, i));
		db_bind_text(s, 3, g_ptr_array_index(c->folded, i));
		if (!step_done(cw, s, "adding a label", error))
			return FALSE;
	}
	if (!(parts & PART_TEXT))
		return TRUE;

	s = stmt(cw, CT_INSERT_FTS);
	sqlite3_bind_int64(s, 1, *id);
	db_bind_text(s, 2, pm->subject);
	db_bind_text(s, 3, c->sender->str);
	db_bind_text(s, 4, c->recipients->str);
	/* The body is the largest string: let SQLite read it in place. */
	sqlite3_bind_text(s, 5, pm->body_text, -1, SQLITE_STATIC);
	db_bind_text(s, 6, c->names->str);
	db_bind_text(s, 7, pm->alt_words);
	if (!step_done(cw, s, "indexing text", error) || !doclens_record(cw->lengths, *id, error))
		return FALSE;

	gsize zlen;
	const void *z = g_bytes_get_data(c->body_z, &zlen);
	s = stmt(cw, CT_INSERT_TEXT);
	sqlite3_bind_int64(s, 1, *id);
	db_bind_text(s, 2, c->sender->str);
	db_bind_text(s, 3, c->recipients->str);
	sqlite3_bind_blob64(s, 4, z, zlen, SQLITE_STATIC);
	db_bind_text(s, 5, c->names->str);
	db_bind_text(s, 6, pm->alt_words);
	return step_done(cw, s, "storing text", error);
}

gboolean
content_insert(struct content_writer *cw, const struct parsed_message *pm, GBytes *body_z,
               gint64 thread, gint64 *id, struct content_numbers *numbers, GError **error)
{
	struct content c;
	content_init(&c, cw, pm, body_z);
	*id = 0;
	*numbers = (struct content_numbers){
		.date = pm->date,
		.direction = c.direction,
		.attachments = c.attachments,
		.automated = c.automated,
	};
	gboolean ok = write_content(cw, &c, PART_ALL, thread, id, error);
	content_clear(&c);
	return ok;
}

/* Sets *SAME to the first column of statement S's one row (0 when there is
 * no row: nothing to compare with is a difference). */
static gboolean
step_same(struct content_writer *cw, sqlite3_stmt *s, gboolean *same, GError **error)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_set_error(error, cw->db, "reading a message");
	*same = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return TRUE;
}

/* Sets *SAME to whether message ID's addresses rows are PM's, in order. */
static gboolean
same_addresses(struct content_writer *cw, gint64 id, const struct parsed_message *pm,
               gboolean *same, GError **error)
{
	sqlite3_stmt *s = stmt(cw, CT_OLD_ADDRS);
	sqlite3_bind_int64(s, 1, id);
	guint n = 0;
	int rc;
	*same = TRUE;
	while (*same && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const struct mc_address *a =
		    n < pm->addresses->len ? g_ptr_array_index(pm->addresses, n) : NULL;
		*same = a && (int)a->role == sqlite3_column_int(s, 0) &&
		        g_str_equal(a->name, db_column_text(s, 1)) &&
		        g_str_equal(a->address, db_column_text(s, 2)) &&
		        g_str_equal(a->domain, db_column_text(s, 3));
		n++;
	}
	if (*same && rc != SQLITE_DONE)
		return db_set_error(error, cw->db, "reading a message's addresses");
	*same = *same && n == pm->addresses->len;
	sqlite3_reset(s);
	return TRUE;
}

/* Sets *SAME to whether message ID's attachments rows are PM's, in order. */
static gboolean
same_attachments(struct content_writer *cw, gint64 id, const struct parsed_message *pm,
                 gboolean *same, GError **error)
{
	sqlite3_stmt *s = stmt(cw, CT_OLD_ATTS);
	sqlite3_bind_int64(s, 1, id);
	guint n = 0;
	int rc;
	*same = TRUE;
	while (*same && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const struct mc_attachment *a =
		    n < pm->attachments->len ? g_ptr_array_index(pm->attachments, n) : NULL;
		*same = a && g_str_equal(a->part, db_column_text(s, 0)) &&
		        g_str_equal(a->filename, db_column_text(s, 1)) &&
		        g_str_equal(a->mime_type, db_column_text(s, 2)) &&
		        a->size == sqlite3_column_int64(s, 3) &&
		        g_str_equal(a->sha256, db_column_text(s, 4)) &&
		        a->is_inline == sqlite3_column_int(s, 5);
		n++;
	}
	if (*same && rc != SQLITE_DONE)
		return db_set_error(error, cw->db, "reading a message's attachments");
	*same = *same && n == pm->attachments->len;
	sqlite3_reset(s);
	return TRUE;
}

/* Sets *SAME to whether message ID's labels rows are C's, in order (the
 * folded key too: folding that changed is rewritten). */
static gboolean
same_labels(struct content_writer *cw, gint64 id, const struct content *c, gboolean *same,
            GError **error)
{
	const GPtrArray *labels = c->pm->labels;
	sqlite3_stmt *s = stmt(cw, CT_OLD_LABELS);
	sqlite3_bind_int64(s, 1, id);
	guint n = 0;
	int rc;
	*same = TRUE;
	while (*same && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*same = n < labels->len &&
		        g_str_equal(g_ptr_array_index(labels, n), db_column_text(s, 0)) &&
		        g_str_equal(g_ptr_array_index(c->folded, n), db_column_text(s, 1));
		n++;
	}
	if (*same && rc != SQLITE_DONE)
		return db_set_error(error, cw->db, "reading a message's labels");
	*same = *same && n == labels->len;
	sqlite3_reset(s);
	return TRUE;
}

/* Sets PARTS to what of C differs from what the index holds for message ID. */
static gboolean
compare_content(struct content_writer *cw, gint64 id, const struct content *c, unsigned *parts,
                GError **error)
{
	const struct parsed_message *pm = c->pm;
	gboolean same = FALSE;
	*parts = 0;
	sqlite3_stmt *s = stmt(cw, CT_SAME_ROW);
	sqlite3_bind_int64(s, bind_row(cw, s, 1, c), id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_set_error(error, cw->db, "reading a message");
	int hash = rc == SQLITE_ROW ? sqlite3_column_int(s, 1) : 2;
	*parts |= rc == SQLITE_ROW && sqlite3_column_int(s, 0) && hash != 2 ? 0 : PART_ROW;
	/* A hash of the old form is brought to the new one, and is no change. */
	*parts |= hash == 1 ? PART_HASH : 0;
	sqlite3_reset(s);

	gint64 old_date;
	if (!dates_get(cw->dates, id, &old_date, error))
		return FALSE;
	*parts |= old_date == pm->date ? 0 : PART_DATE;
	/* Its chunk's newest date is written again whatever changed: what
	 * reindex repairs when `check` finds it behind the mail. */
	dates_touch(cw->dates, id);

	/* The compressed bodies are compared: the same text compresses to the
	 * same bytes (a zstd of another version may not, which only costs
	 * indexing the text again). */
	gsize zlen;
	const void *z = g_bytes_get_data(c->body_z, &zlen);
	s = stmt(cw, CT_SAME_TEXT);
	db_bind_text(s, 1, pm->subject);
	db_bind_text(s, 2, c->sender->str);
	db_bind_text(s, 3, c->recipients->str);
	sqlite3_bind_blob64(s, 4, z, zlen, SQLITE_STATIC);
	db_bind_text(s, 5, c->names->str);
	db_bind_text(s, 6, pm->alt_words);
	sqlite3_bind_int64(s, 7, id);
	if (!step_same(cw, s, &same, error))
		return FALSE;
	*parts |= same ? 0 : PART_TEXT;

	if (!same_addresses(cw, id, pm, &same, error))
		return FALSE;
	*parts |= same ? 0 : PART_ADDRESSES;
	if (!same_attachments(cw, id, pm, &same, error))
		return FALSE;
	*parts |= same ? 0 : PART_ATTACHMENTS;
	if (!same_labels(cw, id, c, &same, error))
		return FALSE;
	*parts |= same ? 0 : PART_LABELS;
	return TRUE;
}

void
content_hash_bytes(const char *hex, guint8 out[CONTENT_HASH_BYTES])
{
	for (int i = 0; i < CONTENT_HASH_BYTES; i++)
		out[i] = (guint8)(g_ascii_xdigit_value(hex[2 * i]) << 4 |
		                  g_ascii_xdigit_value(hex[2 * i + 1]));
}

gboolean
content_rewrite(struct content_writer *cw, gint64 id, const struct parsed_message *pm,
                GBytes *body_z, gboolean *changed, GError **error)
{
	struct content c;
	content_init(&c, cw, pm, body_z);
	unsigned parts;
	gboolean ok = compare_content(cw, id, &c, &parts, error);
	*changed = ok && (parts & ~PART_HASH);
	/* Its addresses or date change what it adds to its contacts: those of
	 * the old addresses and of the new ones are counted again. */
	gboolean contacts_change = ok && (parts & (PART_ADDRESSES | PART_ROW));
	if (contacts_change)
		ok = aggregates_note_contacts(cw->db, id, error);
	/* The old text leaves the full-text index while the row still has the
	 * subject it was indexed with. */
	if (ok && (parts & PART_TEXT))
		ok = run_on(cw, CT_DELETE_FTS, id, "removing old text", error) &&
		     run_on(cw, CT_DELETE_TEXT, id, "removing old text", error);
	if (ok && (parts & PART_ADDRESSES))
		ok = run_on(cw, CT_DELETE_ADDRS, id, "removing old addresses", error);
	if (ok && (parts & PART_ATTACHMENTS))
		ok = run_on(cw, CT_DELETE_ATTS, id, "removing old attachments", error);
	if (ok && (parts & PART_LABELS))
		ok = run_on(cw, CT_DELETE_LABELS, id, "removing old labels", error);
	if (ok && parts)
		ok = write_content(cw, &c, parts, 0, &id, error) &&
		     aggregates_note_thread(cw->db, id, error);
	if (ok && contacts_change)
		ok = aggregates_note_contacts(cw->db, id, error);
	content_clear(&c);
	return ok;
}
