/* The connection under libetpan's IMAP parser: TCP with timeouts, and TLS
 * done here with GnuTLS.
 *
 * libetpan's own TLS (Debian builds it with GnuTLS) verifies no certificate,
 * for no host name, and negotiates TLS 1.0; it hands out no session to fix
 * that with. So mailclerk does not use it: transport.c is a libetpan
 * mailstream_low driver of its own, which requires TLS 1.2 or newer, sends
 * SNI, and verifies the chain (system trust store plus ca_file) and the host
 * name right after the handshake, before any command is sent. */
#ifndef MC_TRANSPORT_H
#define MC_TRANSPORT_H

#include <glib.h>
#include <libetpan/libetpan.h>

/* Returns a plaintext TCP connection to HOST:PORT as a libetpan stream
 * driver (free it with mailstream_low_free(), or let the mailstream that
 * takes it do so), or NULL and ERROR. Every read and write waits at most
 * TIMEOUT seconds. */
mailstream_low *transport_connect(const char *host, int port, int timeout, GError **error);

/* Turns LOW (from transport_connect()) into TLS: handshake at TLS 1.2 or
 * newer with SNI, then, unless !VERIFY, the certificate chain verified
 * against the system store and CA_FILE (may be NULL) and matched against
 * HOST. FALSE and ERROR, naming HOST and the reason, otherwise; the
 * connection is then unusable. */
gboolean transport_start_tls(mailstream_low *low, const char *host, const char *ca_file,
                             gboolean verify, GError **error);

/* At most MAX bytes may be read before the next write (a command); more is
 * a hostile or broken server and fails the read. 0: no limit. */
void transport_set_read_limit(mailstream_low *low, gsize max);

/* Returns TRUE once a read or write failed (or transport_mark_broken() was
 * called): the session cannot go on. */
gboolean transport_broken(mailstream_low *low);
/* Says the session cannot go on (an answer could not be parsed). */
void transport_mark_broken(mailstream_low *low);

/* Returns why the last read or write failed ("timed out after 60 s", "the
 * server closed the connection", ...), or NULL; owned by LOW. */
const char *transport_last_error(mailstream_low *low);

#endif
