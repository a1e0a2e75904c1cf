/* One IMAP session, private to imap/: connecting through imap/transport.c,
 * capabilities, STARTTLS, login, and the configured folders resolved with
 * LIST. imap/sync.c drives it. */
#ifndef MC_IMAP_SESSION_H
#define MC_IMAP_SESSION_H

#include <glib.h>
#include <libetpan/libetpan.h>

#include "common/conf.h"

/* Answers other than a batch (capabilities, LIST, the UID/size list). */
#define READ_LIMIT (64 * 1024 * 1024)

/* One IMAP session. */
struct session {
	const struct mc_source_config *sc;
	mailimap *imap;
	mailstream_low *low; /* owned by imap's stream once connected */
	char delimiter;      /* the server's hierarchy delimiter, '/' when none */
	gboolean condstore;  /* the server offers CONDSTORE (RFC 7162) once logged in */
	gboolean idle;       /* ...and IDLE (RFC 2177) */
};

/* Sets ERROR for a failed command R: the server's own words for NO/BAD,
 * the connection's trouble for a stream error (which also marks the
 * connection broken). WHAT names the command. Always returns FALSE. */
gboolean command_failed(struct session *s, int r, const char *what, GError **error);

/* Connects S (S->sc set, the rest zero) to its server, with TLS as
 * configured, and logs in with PASSWORD. FALSE and ERROR otherwise; either
 * way the caller closes S with session_close(). */
gboolean session_open(struct session *s, const char *password, GError **error);
/* Says LOGOUT unless the connection is broken, and frees what S holds. */
void session_close(struct session *s);

/* Returns the server's mailbox names for the configured folders: names as
 * they are, patterns with '*' or '%' expanded with LIST; '/' in either
 * stands for the server's delimiter. Sorted, each once. Sets S->delimiter.
 * The caller unrefs the array (it frees the names); NULL and ERROR when
 * LIST fails. */
GPtrArray *resolve_folders(struct session *s, GError **error);

#endif
