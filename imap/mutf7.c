/* IMAP's modified UTF-7 folder names, to and from UTF-8. */
#include "config.h"

#include <string.h>

#include "imap/mutf7.h"

char *
mutf7_encode(const char *name)
{
	GString *out = g_string_new(NULL);
	/* A name from the config is taken as written, which may not be UTF-8:
	 * walking a cut-off character would step past the end. */
	g_autofree char *valid = g_utf8_make_valid(name, -1);
	const char *p = valid;
	while (*p) {
		if (*p == '&') {
			g_string_append(out, "&-");
			p++;
		} else if ((guchar)*p >= 0x20 && (guchar)*p <= 0x7e) {
			g_string_append_c(out, *p++);
		} else {
			/* A run of other characters: UTF-16BE in base64, ',' for '/',
			 * no padding, between '&' and '-'. */
			const char *start = p;
			while (*p && !((guchar)*p >= 0x20 && (guchar)*p <= 0x7e))
				p = g_utf8_next_char(p);
			glong n = 0;
			g_autofree gunichar2 *utf16 =
			    g_utf8_to_utf16(start, p - start, NULL, &n, NULL);
			if (!utf16)
				continue;
			g_autofree guchar *be = g_new(guchar, n * 2);
			for (glong i = 0; i < n; i++) {
				be[2 * i] = utf16[i] >> 8;
				be[2 * i + 1] = utf16[i] & 0xff;
			}
			g_autofree char *b64 = g_base64_encode(be, n * 2);
			g_strdelimit(b64, "/", ',');
			char *eq = strchr(b64, '=');
			if (eq)
				*eq = '\0';
			g_string_append_printf(out, "&%s-", b64);
		}
	}
	return g_string_free(out, FALSE);
}

char *
mutf7_decode(const char *name)
{
	GString *out = g_string_new(NULL);
	for (const char *p = name; *p;) {
		if ((guchar)*p < 0x20 || (guchar)*p > 0x7e)
			goto invalid;
		if (*p != '&') {
			g_string_append_c(out, *p++);
			continue;
		}
		const char *end = strchr(p + 1, '-');
		if (!end)
			goto invalid;
		if (end == p + 1) {
			g_string_append_c(out, '&');
			p = end + 1;
			continue;
		}
		/* Base64 of UTF-16BE, ',' for '/', padding left out. */
		GString *b64 = g_string_new_len(p + 1, end - p - 1);
		for (gsize i = 0; i < b64->len; i++) {
			char c = b64->str[i];
			if (c == ',')
				b64->str[i] = '/';
			else if (!g_ascii_isalnum(c) && c != '+')
				c = 0;
			if (!c) {
				g_string_free(b64, TRUE);
				goto invalid;
			}
		}
		while (b64->len % 4)
			g_string_append_c(b64, '=');
		gsize len = 0;
		g_autofree guchar *be = g_base64_decode(b64->str, &len);
		g_string_free(b64, TRUE);
		if (len == 0 || len % 2)
			goto invalid;
		g_autofree gunichar2 *utf16 = g_new(gunichar2, len / 2);
		for (gsize i = 0; i < len / 2; i++)
			utf16[i] = (gunichar2)(be[2 * i] << 8 | be[2 * i + 1]);
		g_autofree char *utf8 = g_utf16_to_utf8(utf16, len / 2, NULL, NULL, NULL);
		if (!utf8)
			goto invalid;
		g_string_append(out, utf8);
		p = end + 1;
	}
	return g_string_free(out, FALSE);
invalid:
	g_string_free(out, TRUE);
	return NULL;
}
