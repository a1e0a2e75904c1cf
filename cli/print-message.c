/* Printing messages: hits of a listing and a message shown whole. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/print-message.h"
#include "cli/text.h"
#include "common/date.h"
#include "common/error.h"
#include "index/load.h"
#include "query/search.h"

/* Whether M has a file attached: an inline part (a logo the HTML shows, a
 * delivery report) is not one, as for has:attachment. */
static gboolean
has_files(const struct stored_message *m)
{
	for (guint i = 0; i < m->attachments->len; i++)
		if (!((const struct mc_attachment *)g_ptr_array_index(m->attachments, i))
		         ->is_inline)
			return TRUE;
	return FALSE;
}

static void
hit_text(GString *out, gconstpointer record, guint index)
{
	const struct message_hit *h = record;
	const struct stored_message *m = h->m;
	g_autofree char *date = date_minute(m->date);
	g_string_append_printf(out, "%-6" G_GINT64_FORMAT " %s  %s ", m->id, date,
	                       m->direction ? "→" : "←");
	text_append_clean(out, *m->from.name ? m->from.name : m->from.address, 0);
	g_string_append(out, "  ");
	text_append_clean(out, *m->subject ? m->subject : "(no subject)", 0);
	if (has_files(m))
		g_string_append(out, "  [📎]");
	g_string_append_c(out, '\n');
	if (*h->snippet) {
		g_string_append(out, "       ");
		text_append_clean(out, h->snippet, TEXT_KEEP_SGR);
		g_string_append_c(out, '\n');
	}
}

void
print_describe_address(struct printer *p, const char *key, const char *name, const char *address)
{
	if (key)
		printer_key(p, key);
	printer_map_begin(p);
	printer_kv_string(p, "name", name);
	printer_kv_string(p, "address", address);
	printer_map_end(p);
}

static void
describe_addresses(struct printer *p, const char *key, const GPtrArray *list)
{
	printer_key(p, key);
	printer_array_begin(p);
	for (guint i = 0; i < list->len; i++) {
		const struct mc_address *a = g_ptr_array_index(list, i);
		print_describe_address(p, NULL, a->name, a->address);
	}
	printer_array_end(p);
}

/* The fields every printed message has, but the snippet. */
static void
describe_message(struct printer *p, const struct stored_message *m)
{
	printer_kv_int(p, "id", m->id);
	printer_kv_string(p, "message_id", m->message_id);
	printer_kv_int(p, "thread", m->thread);
	printer_kv_date(p, "date", m->date);
	print_describe_address(p, "from", m->from.name, m->from.address);
	describe_addresses(p, "to", m->to);
	describe_addresses(p, "cc", m->cc);
	printer_kv_string(p, "subject", m->subject);
	printer_kv_string(p, "direction", m->direction ? "out" : "in");
	printer_kv_bool(p, "automated", m->automated);
	printer_key(p, "flags");
	printer_array_begin(p);
	for (guint i = 0; i < MC_FLAG_COUNT; i++)
		if (m->flags & (1u << i))
			printer_string(p, mc_flag_name(i));
	printer_array_end(p);
	printer_kv_strings(p, "clients", m->clients);
	printer_kv_strings(p, "projects", m->projects);
	printer_kv_strings(p, "labels", m->labels);
	printer_kv_strings(p, "folders", m->folders);
	printer_kv_strings(p, "files", m->files);
	printer_key(p, "attachments");
	printer_array_begin(p);
	for (guint i = 0; i < m->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(m->attachments, i);
		if (a->is_inline)
			continue;
		printer_map_begin(p);
		printer_kv_string(p, "filename", a->filename);
		printer_kv_string(p, "mime_type", a->mime_type);
		printer_kv_int(p, "size", a->size);
		printer_kv_string(p, "sha256", a->sha256);
		printer_kv_string(p, "part", a->part);
		printer_map_end(p);
	}
	printer_array_end(p);
}

static void
hit_describe(struct printer *p, gconstpointer record)
{
	const struct message_hit *h = record;
	describe_message(p, h->m);
	printer_kv_string(p, "snippet", h->snippet);
}

static void
message_file(GString *out, const char *file, char end)
{
	if (file) {
		g_string_append(out, file);
		g_string_append_c(out, end);
	}
}

static void
hit_files(GString *out, gconstpointer record, char end)
{
	message_file(out, ((const struct message_hit *)record)->file, end);
}

const struct record_kind message_hit_kind = {
	.describe = hit_describe,
	.text = hit_text,
	.files = hit_files,
};

static void
append_address_list(GString *out, const char *label, const GPtrArray *addresses)
{
	if (!addresses->len)
		return;
	g_string_append_printf(out, "%s: ", label);
	for (guint i = 0; i < addresses->len; i++) {
		if (i)
			g_string_append(out, ", ");
		text_append_address(out, g_ptr_array_index(addresses, i));
	}
	g_string_append_c(out, '\n');
}

static void
shown_text(GString *out, gconstpointer record, guint index)
{
	const struct message_shown *s = record;
	const struct stored_message *m = s->m;
	g_autofree char *date = date_iso(m->date);
	g_string_append_printf(out, "Message: %" G_GINT64_FORMAT " (thread %" G_GINT64_FORMAT ")\n",
	                       m->id, m->thread);
	g_string_append(out, "Message-ID: <");
	text_append_clean(out, m->message_id, 0);
	g_string_append_printf(out, ">\nDate: %s\nFrom: ", date);
	text_append_address(out, &m->from);
	g_string_append_c(out, '\n');
	append_address_list(out, "To", m->to);
	append_address_list(out, "Cc", m->cc);
	g_string_append(out, "Subject: ");
	text_append_clean(out, m->subject, 0);
	g_string_append_c(out, '\n');
	for (guint i = 0; i < m->labels->len; i++) {
		const char *label = g_ptr_array_index(m->labels, i);
		g_string_append(out, i ? ", " : "Labels: ");
		/* A label with a comma is quoted, as X-Gmail-Labels writes it. */
		gboolean quote = strchr(label, ',') != NULL;
		if (quote)
			g_string_append_c(out, '"');
		text_append_clean(out, label, 0);
		if (quote)
			g_string_append_c(out, '"');
		if (i + 1 == m->labels->len)
			g_string_append_c(out, '\n');
	}
	for (guint i = 0; i < m->locations->len; i++) {
		const struct mc_location *l = g_ptr_array_index(m->locations, i);
		g_string_append(out, "File: ");
		text_append_clean(out, l->path, 0);
		if (g_str_equal(l->kind, "mbox"))
			g_string_append_printf(out, " (offset %" G_GINT64_FORMAT ")", l->offset);
		if (*l->folder) {
			g_string_append(out, " [");
			text_append_clean(out, l->folder, 0);
			g_string_append_c(out, ']');
		}
		g_string_append_c(out, '\n');
	}
	g_string_append_c(out, '\n');
	/* The body keeps its line breaks and tabs; other controls are blanked. */
	text_append_clean(out, s->pm->body_text, TEXT_KEEP_LINES);
	if (out->len && out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
	if (m->attachments->len) {
		g_string_append(out, "\nAttachments:\n");
		for (guint i = 0; i < m->attachments->len; i++) {
			const struct mc_attachment *a = g_ptr_array_index(m->attachments, i);
			g_autofree char *size = g_format_size(a->size);
			g_string_append_printf(out, "  [%s] ", a->part);
			text_append_clean(out, *a->filename ? a->filename : "(no name)", 0);
			g_string_append_printf(out, " (%s, %s%s) sha256:%.12s\n", a->mime_type,
			                       size, a->is_inline ? ", inline" : "", a->sha256);
		}
	}
}

static void
shown_describe(struct printer *p, gconstpointer record)
{
	const struct message_shown *s = record;
	describe_message(p, s->m);
	printer_kv_string(p, "snippet", "");
	printer_kv_string(p, "body", s->pm->body_text);
	printer_key(p, "headers");
	printer_array_begin(p);
	for (guint i = 0; s->pm->headers && i < s->pm->headers->len; i++) {
		const struct mc_header *h = g_ptr_array_index(s->pm->headers, i);
		printer_map_begin(p);
		printer_kv_string(p, "name", h->name);
		printer_kv_string(p, "value", h->value);
		printer_map_end(p);
	}
	printer_array_end(p);
}

static void
shown_files(GString *out, gconstpointer record, char end)
{
	message_file(out, ((const struct message_shown *)record)->file, end);
}

const struct record_kind message_shown_kind = {
	.describe = shown_describe,
	.text = shown_text,
	.files = shown_files,
};

/* Snippets made at a time: the table of them stays small however many hits
 * are printed. */
#define SNIPPET_CHUNK 500

gboolean
print_hits(struct printer *p, struct mc_db *db, GArray *ids, const char *highlight,
           struct message_files *files, GError **error)
{
	/* Files need no snippet; colour only for people at a terminal. */
	gboolean snippets_wanted = !printer_is_files(p);
	gboolean color = printer_is(p, "text") && text_use_color();
	/* A text line shows the message row and whether it has attachments
	 * (hit_text()); the other formats show the message whole. */
	gboolean summary = printer_is(p, "text");
	g_autoptr(GHashTable) snippets = NULL;
	printer_list_begin(p, NULL, NULL, NULL);
	for (guint i = 0; i < ids->len; i++) {
		const gint64 *id = &g_array_index(ids, gint64, i);
		/* Snippets a chunk at a time (search_snippets()). */
		if (i % SNIPPET_CHUNK == 0 && snippets_wanted) {
			g_clear_pointer(&snippets, g_hash_table_unref);
			snippets = search_snippets(db, id, MIN(SNIPPET_CHUNK, ids->len - i),
			                           highlight, color ? TEXT_HIGHLIGHT_ON : "",
			                           color ? TEXT_HIGHLIGHT_OFF : "", error);
			if (!snippets)
				return FALSE;
		}
		g_autoptr(stored_message) m =
		    summary ? load_message_summary(db, *id, error) : load_message(db, *id, error);
		if (!m)
			return FALSE;
		/* A message that matched through a non-text term shows the start
		 * of its body. */
		const char *snippet = snippets_wanted ? g_hash_table_lookup(snippets, id) : "";
		g_autofree char *preview = snippet ? NULL : search_preview(db, *id);
		g_autofree char *file = NULL;
		if (!snippets_wanted) {
			GError *local = NULL;
			file = message_files_path(files, m, &local);
			if (local) {
				g_propagate_error(error, local);
				return FALSE;
			}
		}
		struct message_hit hit = { m, snippet ? snippet : preview, file };
		printer_record(p, &message_hit_kind, &hit);
	}
	printer_list_end(p);
	return TRUE;
}

int
print_finish(struct printer *p, struct message_files *files)
{
	int rc = printer_finish(p);
	const GPtrArray *problems = message_files_problems(files);
	for (guint i = 0; i < problems->len; i++)
		fprintf(stderr, "mailclerk: %s\n", (const char *)g_ptr_array_index(problems, i));
	return rc == MC_EXIT_OK && message_files_left_out(files) ? MC_EXIT_FAILURE : rc;
}
