/* Dates as mailclerk shows and reads them: UTC, ISO 8601 for scripts, days
 * and minutes for people; the dates a user gives on the command line; and
 * "now", which tests and reports can pin with MAILCLERK_NOW. */
#ifndef MC_DATE_H
#define MC_DATE_H

#include <glib.h>

/* Returns UTC_SECONDS as "2024-03-01T12:00:00Z" (the epoch when out of
 * range); the caller frees it. */
char *date_iso(gint64 utc_seconds);

/* Returns the UTC day "2024-03-01", or FALLBACK when UTC_SECONDS is out of
 * range; the caller frees it. */
char *date_day(gint64 utc_seconds, const char *fallback);

/* Returns the UTC minute "2024-03-01 12:00", or "?" when out of range; the
 * caller frees it. */
char *date_minute(gint64 utc_seconds);

/* Returns TEXT (YYYY-MM-DD, ISO 8601 or epoch seconds) as UTC seconds, or -1
 * and sets ERROR (MC_ERROR_USAGE) naming WHAT (an option or variable). */
gint64 date_parse(const char *what, const char *text, GError **error);

/* Returns "now" in UTC seconds: MAILCLERK_NOW (as date_parse() reads it)
 * when set, for reproducible tests and reports; else the clock. -1 and ERROR
 * when MAILCLERK_NOW is malformed. */
gint64 date_now(GError **error);

/* Returns TRUE when MAILCLERK_NOW sets "now" rather than the clock. */
gboolean date_now_is_set(void);

#endif
