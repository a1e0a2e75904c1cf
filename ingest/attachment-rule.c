/* What a leaf part is to the user, the one rule of what an attachment is
 * (described in parse.h): body text, an attachment, both, or a part listed
 * only with --include-inline. ingest/parse.c walks the message and asks
 * leaf_role() at every leaf. */
#include "config.h"

#include "ingest/parse-internal.h"

#include <string.h>

static gboolean
disposition_is(GMimeObject *obj, const char *value)
{
	const char *d = g_mime_object_get_disposition(obj);
	return d && g_ascii_strcasecmp(d, value) == 0;
}

gboolean
is_body_part(GMimeObject *obj, const char *subtype)
{
	if (!GMIME_IS_PART(obj) || GMIME_IS_MESSAGE_PARTIAL(obj))
		return FALSE;
	if (!g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", subtype))
		return FALSE;
	return !disposition_is(obj, "attachment");
}

static gboolean
has_filename(GMimePart *part)
{
	const char *name = part_filename(part);
	if (!name)
		return FALSE;
	while (g_ascii_isspace(*name))
		name++;
	return *name != '\0';
}

/* Whether OBJ's type is one of TYPES ("type/subtype", any case), without
 * allocating: it runs for every leaf part. */
static gboolean
type_is_one_of(GMimeObject *obj, const char *const *types)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	if (!type || !sub)
		return FALSE;
	gsize n = strlen(type);
	for (const char *const *t = types; *t; t++)
		if (g_ascii_strncasecmp(*t, type, n) == 0 && (*t)[n] == '/' &&
		    g_ascii_strcasecmp(*t + n + 1, sub) == 0)
			return TRUE;
	return FALSE;
}

/* Signatures are never something the user attached, wherever they are. */
static const char *const signature_types[] = { "application/pgp-signature",
	                                       "application/pkcs7-signature",
	                                       "application/x-pkcs7-signature", NULL };
/* The machine-readable parts of delivery and read reports: their text is
 * part of the report (a bounce's failed address and diagnostic), not a file. */
static const char *const report_types[] = { "message/delivery-status",
	                                    "message/global-delivery-status",
	                                    "message/disposition-notification",
	                                    "message/global-disposition-notification",
	                                    "text/rfc822-headers",
	                                    "message/global-headers",
	                                    NULL };
/* A pointer to a file kept elsewhere (RFC 2046): the message holds none of
 * its bytes, only the headers of a part that is not there. */
static const char *const reference_types[] = { "message/external-body", NULL };
/* A whole message wrapped in S/MIME: what multipart/encrypted is to PGP/MIME
 * when it is a message's body (a .p7m inside a multipart is a file). */
static const char *const smime_types[] = { "application/pkcs7-mime", "application/x-pkcs7-mime",
	                                   NULL };

gboolean
is_smime_body(GMimeObject *obj)
{
	return type_is_one_of(obj, smime_types);
}

/* Adds to CIDS the Content-IDs (lower case, %-escapes undone) that cid:
 * URLs in HTML (LEN bytes) refer to, at most MAX_ATTACHMENTS in all. */
static void
scan_cids(GHashTable *cids, const char *html, gsize len)
{
	for (gsize i = 0; i + 4 <= len && g_hash_table_size(cids) < MAX_ATTACHMENTS; i++) {
		if (g_ascii_strncasecmp(html + i, "cid:", 4) != 0)
			continue;
		gsize start = i + 4, end = start;
		while (end < len && end - start < 998 && !strchr("\"'<>() \t\r\n", html[end]) &&
		       html[end] != '\0')
			end++;
		i = end - 1;
		if (end == start)
			continue;
		g_autofree char *raw = g_strndup(html + start, end - start);
		g_autofree char *id = g_uri_unescape_string(raw, NULL);
		g_hash_table_add(cids, g_ascii_strdown(id ? id : raw, -1));
	}
}

static void
scan_part_cids(GHashTable *cids, GMimeObject *obj)
{
	if (!is_body_part(obj, "html"))
		return;
	gboolean cut;
	g_autoptr(GByteArray) bytes = part_bytes_max(GMIME_PART(obj), MAX_BODY, &cut);
	scan_cids(cids, (const char *)bytes->data, bytes->len);
}

void
related_cids(GHashTable *cids, GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count(mp);
	for (int i = 0; i < n; i++) {
		GMimeObject *child = g_mime_multipart_get_part(mp, i);
		if (!GMIME_IS_MULTIPART(child)) {
			scan_part_cids(cids, child);
			continue;
		}
		if (!g_mime_content_type_is_type(g_mime_object_get_content_type(child), "multipart",
		                                 "alternative"))
			continue;
		GMimeMultipart *alt = GMIME_MULTIPART(child);
		for (int k = 0; k < g_mime_multipart_get_count(alt); k++)
			scan_part_cids(cids, g_mime_multipart_get_part(alt, k));
	}
}

enum leaf_role
leaf_role(GMimeObject *obj, gboolean hidden, GHashTable *cids)
{
	if (hidden || type_is_one_of(obj, signature_types) || type_is_one_of(obj, reference_types))
		return LEAF_HIDDEN;
	const char *cid = g_mime_object_get_content_id(obj);
	if (cids && cid && *cid) {
		g_autofree char *key = g_ascii_strdown(cid, -1);
		if (g_hash_table_contains(cids, key))
			return LEAF_HIDDEN;
	}
	if (type_is_one_of(obj, report_types))
		return LEAF_REPORT_TEXT;
	if (is_body_part(obj, "*"))
		return has_filename(GMIME_PART(obj)) ? LEAF_BODY_FILE : LEAF_BODY;
	return LEAF_FILE;
}
