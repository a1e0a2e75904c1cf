/* Making text from mail valid UTF-8, and cutting it on a character boundary. */
#include "config.h"

#include "common/utf8.h"

void
utf8_append_valid(GString *out, const char *s, gsize len)
{
	const char *end = s + len;

	while (s < end) {
		const char *bad;
		g_utf8_validate_len(s, end - s, &bad);
		g_string_append_len(out, s, bad - s);
		if (bad >= end)
			break;
		if (*bad != '\0')
			g_string_append(out, "\xEF\xBF\xBD");
		s = bad + 1;
	}
}

char *
utf8_dup_valid(const char *s, gsize len)
{
	GString *out = g_string_sized_new(len + 1);
	utf8_append_valid(out, s, len);
	return g_string_free(out, FALSE);
}

gsize
utf8_cut(const char *s, gsize len, gsize max)
{
	if (len <= max)
		return len;
	/* Back over continuation bytes to the start of the character at MAX. */
	while (max > 0 && ((guchar)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}
