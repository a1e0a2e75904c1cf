/* IMAP's modified UTF-7 for mailbox names (RFC 3501, 5.1.3): what servers
 * send in LIST and expect in EXAMINE unless UTF8=ACCEPT is enabled, e.g.
 * "Entw&APw-rfe" for "Entwürfe". */
#ifndef MC_MUTF7_H
#define MC_MUTF7_H

#include <glib.h>

/* Returns NAME (UTF-8, as users write it) in modified UTF-7; the caller
 * frees it. */
char *mutf7_encode(const char *name);

/* Returns the UTF-8 of modified UTF-7 NAME, or NULL when NAME is not valid
 * modified UTF-7 (then the caller shows it as it is); the caller frees
 * it. */
char *mutf7_decode(const char *name);

#endif
