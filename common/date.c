/* Dates for people and scripts (UTC), user-given dates, and "now". */
#include "config.h"

#include <string.h>

#include "common/date.h"
#include "common/error.h"

static char *
date_format(gint64 utc_seconds, const char *format, const char *fallback)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(utc_seconds);
	return dt ? g_date_time_format(dt, format) : g_strdup(fallback);
}

char *
date_iso(gint64 utc_seconds)
{
	return date_format(utc_seconds, "%Y-%m-%dT%H:%M:%SZ", "1970-01-01T00:00:00Z");
}

char *
date_day(gint64 utc_seconds, const char *fallback)
{
	return date_format(utc_seconds, "%Y-%m-%d", fallback);
}

char *
date_minute(gint64 utc_seconds)
{
	return date_format(utc_seconds, "%Y-%m-%d %H:%M", "?");
}

gint64
date_parse(const char *what, const char *text, GError **error)
{
	char *end;
	gint64 v = g_ascii_strtoll(text, &end, 10);
	/* All digits: epoch seconds ("2024-03-01" stops at the first '-'). */
	if (*end == '\0' && end != text)
		return v;
	g_autofree char *iso =
	    strlen(text) == 10 ? g_strconcat(text, "T00:00:00Z", NULL) : g_strdup(text);
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(iso, utc);
	if (!dt) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "%s: '%s' is not a date (YYYY-MM-DD, ISO 8601 or epoch seconds)", what,
		            text);
		return -1;
	}
	return g_date_time_to_unix(dt);
}

gboolean
date_now_is_set(void)
{
	const char *env = g_getenv("MAILCLERK_NOW");
	return env && *env;
}

gint64
date_now(GError **error)
{
	const char *env = g_getenv("MAILCLERK_NOW");
	if (!date_now_is_set())
		return g_get_real_time() / G_USEC_PER_SEC;
	return date_parse("MAILCLERK_NOW", env, error);
}
