/* Text for people: cleaning, padding, sizes, colour. */
#include "config.h"

#include <unistd.h>

#include "cli/text.h"

void
text_append_clean(GString *out, const char *s, unsigned flags)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
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
