/* Text for people: cleaning, padding, sizes, colour. */
#include "config.h"

#include <unistd.h>

#include "cli/text.h"

/* Whether P starts a bidirectional formatting character: the marks
 * (U+200E, U+200F, U+061C), embeddings and overrides (U+202A-U+202E) and
 * isolates (U+2066-U+2069). A terminal that honours them shows the text
 * after one in another order: "invoice\u202Efdp.exe" reads as
 * "invoiceexe.pdf". All are zero-width: dropping one moves no column. */
static gboolean
is_bidi_control(const unsigned char *p)
{
	if (p[0] == 0xd8)
		return p[1] == 0x9c;
	if (p[0] != 0xe2)
		return FALSE;
	if (p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae);
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

void
text_append_clean(GString *out, const char *s, unsigned flags)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		const unsigned char *u = (const unsigned char *)p;
		if (c == '\033' && (flags & TEXT_KEEP_SGR) &&
		    (g_str_has_prefix(p, TEXT_HIGHLIGHT_ON) ||
		     g_str_has_prefix(p, TEXT_HIGHLIGHT_OFF)))
			g_string_append_c(out, (char)c);
		else if ((c == '\n' || c == '\t') && (flags & TEXT_KEEP_LINES))
			g_string_append_c(out, (char)c);
		else if (c < 0x20 || c == 0x7f)
			g_string_append_c(out, ' ');
		else if (c == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f) {
			/* C1 controls (U+0080-U+009F; U+009B is a one-byte CSI to some
			 * terminals) are blanked too. */
			g_string_append_c(out, ' ');
			p++;
		} else if (is_bidi_control(u)) {
			p += c == 0xd8 ? 1 : 2;
		} else if (c == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9)) {
			/* The line and paragraph separators end a line where lines are
			 * kept, as a newline would; elsewhere they are a space. */
			g_string_append_c(out, (flags & TEXT_KEEP_LINES) ? '\n' : ' ');
			p += 2;
		} else
			g_string_append_c(out, (char)c);
	}
}

void
text_append_address(GString *out, const struct mc_address *a)
{
	if (*a->name) {
		text_append_clean(out, a->name, 0);
		g_string_append(out, " <");
		text_append_clean(out, a->address, 0);
		g_string_append_c(out, '>');
	} else {
		text_append_clean(out, a->address, 0);
	}
}

void
text_pad(GString *out, const char *s, int width)
{
	/* Columns on a terminal, not bytes: CJK characters take two. Mail text
	 * is valid UTF-8 by the time it is stored. */
	int used = 0;
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_iszerowidth(c))
			continue;
		used += g_unichar_iswide(c) ? 2 : 1;
	}
	g_string_append(out, s);
	for (; used < width; used++)
		g_string_append_c(out, ' ');
}

char *
text_size(gint64 size)
{
	/* GLib puts a no-break space between number and unit in UTF-8 locales. */
	g_autofree char *s = g_format_size(size > 0 ? (guint64)size : 0);
	g_autoptr(GString) out = g_string_new(s);
	g_string_replace(out, "\u00a0", " ", 0);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

gboolean
text_use_color(void)
{
	const char *no_color = g_getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}
