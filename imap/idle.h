/* IMAP IDLE (RFC 2177) on one folder of a source, for `mailclerk watch`:
 * run in a process of its own, so that a slow or dead server never holds
 * up the watch; what it finds is one byte on a pipe. */
#ifndef MC_IMAP_IDLE_H
#define MC_IMAP_IDLE_H

#include <glib.h>

#include "common/conf.h"

/* What the shared *DOWN of a source says. */
enum imap_down {
	IMAP_UP = 0,
	IMAP_DOWN = 1,    /* failing: tried again with a backoff */
	IMAP_REFUSED = 2, /* refused for good (imap_refused()): not tried again */
};

/* Whether ERROR (from connecting, logging in or a sync) is one that trying
 * again cannot mend: a login the server refused, no password configured,
 * a server that will not log in without TLS. */
gboolean imap_refused(const GError *error);
/* Records in *DOWN (shared by the watch, its IDLE processes and its runs'
 * children) how source SC's server answered: OK, or failed with ERROR. Says
 * on stderr only what changed, once whoever meets it first (each change is
 * an atomic compare-and-swap): an outage begins ("mailclerk watch: NAME:
 * ERROR; trying again"), ends ("the server answers again"), or is a
 * refusal (imap_refused(): "...; not trying again until the watch
 * restarts", for good). Returns the state now. */
enum imap_down imap_watch_said(const struct mc_source_config *sc, volatile gint *down, gboolean ok,
                               const GError *error);

/* What imap_idle_loop() writes on its pipe. */
#define IMAP_IDLE_CHANGED 'c' /* the folder may have changed (also: (re)connected) */
#define IMAP_IDLE_NONE    'n' /* the server offers no IDLE: poll it */

/* Keeps an IDLE on INBOX of source SC, or on its first configured folder
 * when INBOX is not one, and writes IMAP_IDLE_CHANGED to FD (non-blocking;
 * a byte not yet read is enough) whenever the server says something there.
 * IDLE is ended and begun again every 28 minutes (servers drop one after
 * 30). A lost or refused connection is tried again after 1 s, doubling to
 * 5 min, and back to 1 s once connected; an outage is said on stderr once,
 * when *DOWN (shared with whoever else reports this source) is not yet
 * set, and its end likewise. A refusal (imap_refused()) is said, *DOWN set
 * to IMAP_REFUSED, and the loop returns. Returns too when the server offers
 * no IDLE (after writing IMAP_IDLE_NONE) or FD's reader is gone. */
void imap_idle_loop(const struct mc_source_config *sc, int fd, volatile gint *down);

#endif
