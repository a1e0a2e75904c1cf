/* vCard 4.0 (RFC 6350) content lines: values escaped, lines folded, and a
 * stable UID for a person. */
#ifndef MC_VCARD_H
#define MC_VCARD_H

#include <glib.h>

/* Appends VALUE to OUT as vCard text (RFC 6350 3.4): backslash, comma and
 * semicolon escaped, a line break (CRLF, CR or LF) as "\n", other control
 * characters (C0, DEL, C1) dropped, invalid UTF-8 as U+FFFD. */
void vcard_escape(GString *out, const char *value);

/* Appends the content line NAME ":" VALUE (VALUE escaped with
 * vcard_escape() unless RAW) to OUT, folded at 75 octets (a continuation
 * line begins with a space) without cutting a UTF-8 character, each line
 * ended by CRLF. NAME may carry parameters ("EMAIL;PREF=1"). */
void vcard_line(GString *out, const char *name, const char *value, gboolean raw);

/* Returns "urn:uuid:..." (a name-based UUID, RFC 4122 version 5) for the
 * person IDENTITY in the mail of CLIENT: the same for the same two strings,
 * whatever else changes. The caller frees it. */
char *vcard_uid(const char *client, const char *identity);

#endif
