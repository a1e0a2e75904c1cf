/* vCard 4.0 output: escaping, folding and UIDs (RFC 6350). */
#include "config.h"

#include <string.h>

#include "cli/vcard.h"
#include "common/utf8.h"

/* Content lines are at most 75 octets, line break excluded (RFC 6350 3.2). */
#define VCARD_LINE_MAX 75

void
vcard_escape(GString *out, const char *value)
{
	g_autofree char *valid = NULL;
	if (!g_utf8_validate(value, -1, NULL))
		value = valid = utf8_dup_valid(value, strlen(value));
	for (const char *p = value; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		switch (c) {
		case '\\':
		case ',':
		case ';':
			g_string_append_c(out, '\\');
			g_string_append_c(out, (char)c);
			continue;
		case '\r':
			if (p[1] == '\n')
				p++;
			/* fall through */
		case '\n':
			g_string_append(out, "\\n");
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
			continue;
		g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
}

void
vcard_line(GString *out, const char *name, const char *value, gboolean raw)
{
	g_autoptr(GString) line = g_string_new(name);
	g_string_append_c(line, ':');
	if (raw)
		g_string_append(line, value);
	else
		vcard_escape(line, value);
	const char *s = line->str;
	gsize left = line->len;
	gsize room = VCARD_LINE_MAX;
	for (;;) {
		gsize n = utf8_cut(s, left, room);
		g_string_append_len(out, s, n);
		g_string_append(out, "\r\n");
		s += n;
		left -= n;
		if (left == 0 || n == 0)
			break;
		g_string_append_c(out, ' ');
		room = VCARD_LINE_MAX - 1;
	}
}

char *
vcard_uid(const char *client, const char *identity)
{
	/* The namespace of mailclerk's contact UIDs (a random UUID, fixed). */
	static const guint8 ns[16] = { 0x3a, 0x1f, 0x6c, 0x52, 0x9e, 0x04, 0x4b, 0x7d,
		                       0x8c, 0x2e, 0x51, 0x90, 0xd7, 0x36, 0xa4, 0x0b };
	g_autoptr(GChecksum) sha1 = g_checksum_new(G_CHECKSUM_SHA1);
	g_checksum_update(sha1, ns, sizeof ns);
	g_checksum_update(sha1, (const guchar *)client, strlen(client));
	g_checksum_update(sha1, (const guchar *)"\n", 1);
	g_checksum_update(sha1, (const guchar *)identity, strlen(identity));
	guint8 h[20];
	gsize len = sizeof h;
	g_checksum_get_digest(sha1, h, &len);
	h[6] = (h[6] & 0x0F) | 0x50; /* version 5 */
	h[8] = (h[8] & 0x3F) | 0x80; /* the RFC 4122 variant */
	return g_strdup_printf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	                       "%02x%02x%02x%02x%02x%02x",
	                       h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10],
	                       h[11], h[12], h[13], h[14], h[15]);
}
