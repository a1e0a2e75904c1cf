/* The table of file extensions and MIME types, and the top-level types. */
#include "config.h"

#include "common/mimetype.h"

#include <string.h>

/* mailclerk(1) lists these extensions under type:. */
static const struct mimetype table[] = {
	{ "pdf", "application/pdf" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "json", "application/json" },
	{ "xml", "application/xml" },
	{ "rtf", "application/rtf" },
	{ "doc", "application/msword" },
	{ "xls", "application/vnd.ms-excel" },
	{ "ppt", "application/vnd.ms-powerpoint" },
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "asc", "application/pgp-keys" },
	{ "sig", "application/pgp-signature" },
	{ "p7s", "application/pkcs7-signature" },
	{ "ics", "application/ics" },
	{ "7z", "application/x-7z-compressed" },
	{ "rar", "application/vnd.rar" },
	{ "tar", "application/x-tar" },
	{ "bin", "application/octet-stream" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "svg", "image/svg+xml" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "bmp", "image/bmp" },
	{ "heic", "image/heic" },
	{ "txt", "text/plain" },
	{ "html", "text/html" },
	{ "htm", "text/html" },
	{ "csv", "text/csv" },
	{ "ics", "text/calendar" },
	{ "md", "text/markdown" },
	{ "vcf", "text/x-vcard" },
	{ "vcf", "text/vcard" },
	{ "eml", "message/rfc822" },
	{ "mp3", "audio/mpeg" },
	{ "m4a", "audio/mp4" },
	{ "wav", "audio/wav" },
	{ "ogg", "audio/ogg" },
	{ "mp4", "video/mp4" },
	{ "mov", "video/quicktime" },
};

static const char *const top_levels[] = {
	"application", "audio",     "font", "image", "message",
	"model",       "multipart", "text", "video", NULL,
};

const struct mimetype *
mimetype_table(guint *n)
{
	*n = G_N_ELEMENTS(table);
	return table;
}

const char *
mimetype_extension(const char *mime_type)
{
	for (guint i = 0; mime_type && i < G_N_ELEMENTS(table); i++)
		if (g_ascii_strcasecmp(mime_type, table[i].type) == 0)
			return table[i].ext;
	return NULL;
}

gboolean
mimetype_is_extension(const char *ext)
{
	for (guint i = 0; i < G_N_ELEMENTS(table); i++)
		if (g_ascii_strcasecmp(ext, table[i].ext) == 0)
			return TRUE;
	return FALSE;
}

const char *
mimetype_of_filename(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || !dot[1])
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(table); i++)
		if (g_ascii_strcasecmp(dot + 1, table[i].ext) == 0)
			return table[i].type;
	return NULL;
}

gboolean
mimetype_is_top_level(const char *major)
{
	for (guint i = 0; top_levels[i]; i++)
		if (g_ascii_strcasecmp(major, top_levels[i]) == 0)
			return TRUE;
	return FALSE;
}

const char *const *
mimetype_top_levels(void)
{
	return top_levels;
}
