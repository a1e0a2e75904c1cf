#include "config.h"

#include <string.h>

#include "query/format.h"

enum clean_flags {
	CLEAN_KEEP_SGR = 1 << 0,   /* ESC of our own highlight codes */
	CLEAN_KEEP_LINES = 1 << 1, /* newlines and tabs (a body) */
};

/* Appends S with control characters (from hostile mail) shown as spaces, so
 * nothing a message says can move the cursor or recolour the terminal,
 * except what FLAGS keeps. */
static void
append_clean(GString *out, const char *s, unsigned flags)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\033' && (flags & CLEAN_KEEP_SGR) &&
		    (g_str_has_prefix(p, "\033[1;31m") || g_str_has_prefix(p, "\033[0m")))
			g_string_append_c(out, (char)c);
		else if ((c == '\n' || c == '\t') && (flags & CLEAN_KEEP_LINES))
			g_string_append_c(out, (char)c);
		else if (c < 0x20 || c == 0x7f)
			g_string_append_c(out, ' ');
		else if (c == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f) {
			/* C1 controls (U+0080-U+009F; U+009B is a one-byte CSI to some
			 * terminals) are blanked too. */
			g_string_append_c(out, ' ');
			p++;
		} else
			g_string_append_c(out, (char)c);
	}
}

static void
append_address(GString *out, const struct mc_address *a)
{
	if (*a->name) {
		append_clean(out, a->name, 0);
		g_string_append(out, " <");
		append_clean(out, a->address, 0);
		g_string_append_c(out, '>');
	} else {
		append_clean(out, a->address, 0);
	}
}

void
format_text_result(GString *out, const struct result *r)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(r->date);
	g_autofree char *date = dt ? g_date_time_format(dt, "%Y-%m-%d %H:%M") : g_strdup("?");
	g_string_append_printf(out, "%-6" G_GINT64_FORMAT " %s  %s ", r->id, date,
	                       r->direction ? "→" : "←");
	append_clean(out, *r->from.name ? r->from.name : r->from.address, 0);
	g_string_append(out, "  ");
	append_clean(out, *r->subject ? r->subject : "(no subject)", 0);
	if (r->attachments->len)
		g_string_append(out, "  [📎]");
	g_string_append_c(out, '\n');
	if (*r->snippet) {
		g_string_append(out, "       ");
		append_clean(out, r->snippet, CLEAN_KEEP_SGR);
		g_string_append_c(out, '\n');
	}
}

static void
append_list(GString *out, const char *label, GPtrArray *addresses)
{
	if (!addresses->len)
		return;
	g_string_append_printf(out, "%s: ", label);
	for (guint i = 0; i < addresses->len; i++) {
		if (i)
			g_string_append(out, ", ");
		append_address(out, g_ptr_array_index(addresses, i));
	}
	g_string_append_c(out, '\n');
}

void
format_text_message(GString *out, const struct result *r, const struct parsed_message *pm)
{
	g_autofree char *date = format_iso_date(r->date);
	g_string_append_printf(out, "Message: %" G_GINT64_FORMAT " (thread %" G_GINT64_FORMAT ")\n",
	                       r->id, r->thread);
	g_string_append(out, "Message-ID: <");
	append_clean(out, r->message_id, 0);
	g_string_append_printf(out, ">\nDate: %s\nFrom: ", date);
	append_address(out, &r->from);
	g_string_append_c(out, '\n');
	append_list(out, "To", r->to);
	append_list(out, "Cc", r->cc);
	g_string_append(out, "Subject: ");
	append_clean(out, r->subject, 0);
	g_string_append_c(out, '\n');
	for (guint i = 0; i < r->locations->len; i++) {
		const struct result_location *l = g_ptr_array_index(r->locations, i);
		g_string_append(out, "File: ");
		append_clean(out, l->path, 0);
		if (g_str_equal(l->kind, "mbox"))
			g_string_append_printf(out, " (offset %" G_GINT64_FORMAT ")", l->offset);
		if (*l->folder) {
			g_string_append(out, " [");
			append_clean(out, l->folder, 0);
			g_string_append_c(out, ']');
		}
		g_string_append_c(out, '\n');
	}
	g_string_append_c(out, '\n');
	/* The body keeps its line breaks and tabs; other controls are blanked. */
	append_clean(out, pm->body_text, CLEAN_KEEP_LINES);
	if (out->len && out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
	if (r->attachments->len) {
		g_string_append(out, "\nAttachments:\n");
		for (guint i = 0; i < r->attachments->len; i++) {
			const struct mc_attachment *a = g_ptr_array_index(r->attachments, i);
			g_autofree char *size = g_format_size(a->size);
			g_string_append_printf(out, "  [%s] ", a->part);
			append_clean(out, *a->filename ? a->filename : "(no name)", 0);
			g_string_append_printf(out, " (%s, %s%s) sha256:%.12s\n", a->mime_type,
			                       size, a->is_inline ? ", inline" : "", a->sha256);
		}
	}
}
