/* Reading a message back out of an mbox by its offset and length, and the
 * fingerprint that tells it is still the message indexed there: what `show`,
 * reindex and the files of `search` share, without GMime. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ingest/source.h"
#include "common/error.h"
#include "common/sha256.h"

gboolean
mbox_line_is_from_quoted(const char *line, gsize len)
{
	gsize i = 0;
	while (i < len && line[i] == '>')
		i++;
	return i > 0 && len - i >= 5 && memcmp(line + i, "From ", 5) == 0;
}

GBytes *
mbox_unquote(const char *data, gsize len)
{
	GByteArray *out = g_byte_array_sized_new(len);
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *next = nl ? nl + 1 : end;
		if (mbox_line_is_from_quoted(p, next - p))
			p++;
		g_byte_array_append(out, (const guint8 *)p, next - p);
		p = next;
	}
	return g_byte_array_free_to_bytes(out);
}

GBytes *
mbox_read_message(const char *path, gint64 offset, gint64 length, GError **error)
{
	if (length < 0 || length > MBOX_MAX_MESSAGE) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: bad message length", path);
		return NULL;
	}
	FILE *f = fopen(path, "rbe");
	if (!f) {
		g_set_error(error, MC_ERROR, errno == ENOENT ? MC_ERROR_NOT_FOUND : MC_ERROR_FAILED,
		            "%s: %s", path, g_strerror(errno));
		return NULL;
	}
	g_autofree char *buf = g_malloc(length + 1);
	gboolean ok =
	    fseeko(f, offset, SEEK_SET) == 0 && fread(buf, 1, length, f) == (size_t)length;
	gboolean short_read = !ok && !ferror(f);
	fclose(f);
	if (!ok) {
		/* A file now too short for the message: not the file indexed. */
		g_set_error(error, MC_ERROR, short_read ? MC_ERROR_NOT_FOUND : MC_ERROR_FAILED,
		            "%s: cannot read the message at offset %" G_GINT64_FORMAT
		            " (the mbox changed since it was indexed?)",
		            path, offset);
		return NULL;
	}
	return mbox_unquote(buf, length);
}

gint64
mbox_fingerprint(const guint8 *data, gsize len)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	sha256_bytes(data, len, digest);
	guint64 v;
	memcpy(&v, digest, sizeof v);
	return (gint64)GUINT64_FROM_LE(v);
}
