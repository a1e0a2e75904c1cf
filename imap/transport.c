/* The connection to an IMAP server: TCP and TLS (GnuTLS, verified), as a libetpan stream. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "common/error.h"
#include "common/interrupt.h"
#include "imap/transport.h"

/* GnuTLS sets itself up when the program starts unless told not to: its
 * ASN.1 trees, random generator and configuration, 2 ms and 46 new pages of
 * every start of mailclerk-mail on the 2-core VM, where most starts (an
 * ingest of local mail, `show`, the PDF reader) open no TLS connection. It
 * is set up by tls_global_init() instead, at the first TLS connection. (A
 * GnuTLS linked shared may still set itself up at the start: harmless.) */
GNUTLS_SKIP_GLOBAL_INIT

/* TLS 1.2 and 1.3 only, GnuTLS's usual choice of everything else. */
#define TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"

struct transport {
	int fd;
	int port;
	int timeout_ms;
	gnutls_session_t tls; /* NULL: plaintext */
	gnutls_certificate_credentials_t cred;
	gsize read_limit; /* 0: none */
	gsize read_since_write;
	gboolean broken;     /* a read or write failed, or the caller gave up on the stream */
	char *error;         /* why */
	gboolean plain_read; /* bytes were read without TLS (before STARTTLS) */
	char tls_first[8];   /* the first bytes the TLS layer read, for a failed handshake */
	size_t tls_seen;
};

static void set_failure(struct transport *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
set_failure(struct transport *t, const char *fmt, ...)
{
	t->broken = TRUE;
	va_list ap;
	va_start(ap, fmt);
	g_free(t->error);
	t->error = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

/* Waits until FD is ready for EVENTS; FALSE (and the reason in T) on a
 * timeout, an error or a signal (common/interrupt.h). */
static gboolean
wait_fd(struct transport *t, short events)
{
	struct pollfd p = { .fd = t->fd, .events = events };
	int left = t->timeout_ms;
	for (;;) {
		/* ^C ends a wait on the server within a quarter of a second,
		 * whichever thread the signal went to. */
		if (interrupt_caught()) {
			set_failure(t, "interrupted");
			return FALSE;
		}
		int slice = MIN(left, 250);
		int r = poll(&p, 1, slice);
		if (r > 0)
			return TRUE;
		if (r == 0 && (left -= slice) > 0)
			continue;
		if (r == 0) {
			set_failure(t, "the server did not answer within %d s",
			            t->timeout_ms / 1000);
			return FALSE;
		}
		if (errno != EINTR) {
			set_failure(t, "%s", g_strerror(errno));
			return FALSE;
		}
	}
}

/* For the result N of a TLS or plain read or write: TRUE when it is to be
 * tried again; a failure is recorded in T. */
static gboolean
io_again(struct transport *t, ssize_t n)
{
	if (t->tls) {
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
			return TRUE;
		if (n < 0)
			set_failure(t, "TLS: %s", gnutls_strerror((int)n));
		return FALSE;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return TRUE;
	if (n < 0)
		set_failure(t, "%s", g_strerror(errno));
	return FALSE;
}

static ssize_t
transport_read(mailstream_low *low, void *buf, size_t count)
{
	struct transport *t = low->data;
	if (t->fd < 0)
		return -1;
	if (t->read_limit) {
		if (t->read_since_write >= t->read_limit) {
			set_failure(
			    t, "the server sent more than %" G_GSIZE_FORMAT " bytes in one answer",
			    t->read_limit);
			return -1;
		}
		count = MIN(count, t->read_limit - t->read_since_write);
	}
	for (;;) {
		if (!(t->tls && gnutls_record_check_pending(t->tls) > 0) && !wait_fd(t, POLLIN))
			return -1;
		ssize_t n =
		    t->tls ? gnutls_record_recv(t->tls, buf, count) : recv(t->fd, buf, count, 0);
		if (io_again(t, n))
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			set_failure(t, "the server closed the connection");
		t->read_since_write += n;
		t->plain_read = t->plain_read || !t->tls;
		return n;
	}
}

static ssize_t
transport_write(mailstream_low *low, const void *buf, size_t count)
{
	struct transport *t = low->data;
	if (t->fd < 0)
		return -1;
	t->read_since_write = 0;
	for (;;) {
		if (!wait_fd(t, POLLOUT))
			return -1;
		ssize_t n = t->tls ? gnutls_record_send(t->tls, buf, count)
		                   : send(t->fd, buf, count, MSG_NOSIGNAL);
		if (io_again(t, n))
			continue;
		return n < 0 ? -1 : n;
	}
}

static int
transport_close(mailstream_low *low)
{
	struct transport *t = low->data;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	return 0;
}

static int
transport_get_fd(mailstream_low *low)
{
	return ((struct transport *)low->data)->fd;
}

static void
transport_free(mailstream_low *low)
{
	struct transport *t = low->data;
	transport_close(low);
	if (t->tls)
		gnutls_deinit(t->tls);
	if (t->cred)
		gnutls_certificate_free_credentials(t->cred);
	g_free(t->error);
	g_free(t);
	/* libetpan's drivers free the stream itself (it allocated it with malloc). */
	free(low);
}

static mailstream_low_driver transport_driver = {
	.mailstream_read = transport_read,
	.mailstream_write = transport_write,
	.mailstream_close = transport_close,
	.mailstream_get_fd = transport_get_fd,
	.mailstream_free = transport_free,
};

mailstream_low *
transport_connect(const char *host, int port, int timeout, GError **error)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
	struct addrinfo *res = NULL;
	char service[16];
	g_snprintf(service, sizeof service, "%d", port);
	int gai = getaddrinfo(host, service, &hints, &res);
	if (gai != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", host, gai_strerror(gai));
		return NULL;
	}
	struct transport *t = g_new0(struct transport, 1);
	t->fd = -1;
	t->port = port;
	t->timeout_ms = timeout * 1000;
	g_autofree char *why = NULL;
	for (struct addrinfo *a = res; a && t->fd < 0; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		                a->ai_protocol);
		if (fd < 0)
			continue;
		int r = connect(fd, a->ai_addr, a->ai_addrlen);
		if (r != 0 && errno == EINPROGRESS) {
			t->fd = fd;
			if (wait_fd(t, POLLOUT)) {
				int err = 0;
				socklen_t len = sizeof err;
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
				r = err ? -1 : 0;
				errno = err;
			} else {
				r = -1;
				errno = ETIMEDOUT;
			}
			t->fd = -1;
		}
		if (r == 0) {
			t->fd = fd;
		} else {
			g_free(why);
			why = g_strdup(g_strerror(errno));
			close(fd);
		}
	}
	freeaddrinfo(res);
	/* A failed attempt at another address is no failure of this stream. */
	g_clear_pointer(&t->error, g_free);
	t->broken = FALSE;
	if (t->fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot connect to %s port %d: %s",
		            host, port, why ? why : "no address");
		g_free(t);
		return NULL;
	}
	mailstream_low *low = mailstream_low_new(t, &transport_driver);
	if (!low) {
		close(t->fd);
		g_free(t);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "out of memory");
	}
	return low;
}

static gboolean
is_ip_address(const char *host)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* GnuTLS reads and writes through these rather than on the descriptor
 * itself, so that the first bytes the server sent can be looked at when the
 * handshake fails: "* OK" is a plain IMAP greeting. */
static ssize_t
tls_pull(gnutls_transport_ptr_t ptr, void *buf, size_t len)
{
	struct transport *t = ptr;
	ssize_t n = recv(t->fd, buf, len, 0);
	if (n > 0 && t->tls_seen < sizeof t->tls_first) {
		size_t k = MIN((size_t)n, sizeof t->tls_first - t->tls_seen);
		memcpy(t->tls_first + t->tls_seen, buf, k);
		t->tls_seen += k;
	}
	return n;
}

static ssize_t
tls_push(gnutls_transport_ptr_t ptr, const void *buf, size_t len)
{
	struct transport *t = ptr;
	return send(t->fd, buf, len, MSG_NOSIGNAL);
}

static int
tls_pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
	struct transport *t = ptr;
	struct pollfd p = { .fd = t->fd, .events = POLLIN };
	return poll(&p, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int)ms);
}

/* Whether the server greeted in plain IMAP where TLS was expected: an
 * untagged answer ("* OK", "* PREAUTH", "* BYE") before any plain byte was
 * read, so not after STARTTLS. */
static gboolean
server_speaks_plain_imap(const struct transport *t)
{
	return !t->plain_read && t->tls_seen >= 2 && memcmp(t->tls_first, "* ", 2) == 0;
}

static gboolean
tls_fail(GError **error, const char *host, const char *what, int err)
{
	g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s: %s", host, what,
	            gnutls_strerror(err));
	return FALSE;
}

/* GnuTLS's set-up, once per process (see GNUTLS_SKIP_GLOBAL_INIT above):
 * its result, 0 or a GnuTLS error code. */
static int
tls_global_init(void)
{
	static gsize done;
	static int result;
	if (g_once_init_enter(&done)) {
		result = gnutls_global_init();
		g_once_init_leave(&done, 1);
	}
	return result;
}

gboolean
transport_start_tls(mailstream_low *low, const char *host, const char *ca_file, gboolean verify,
                    GError **error)
{
	struct transport *t = low->data;
	int r = tls_global_init();
	if (r < 0)
		return tls_fail(error, host, "TLS set-up", r);
	r = gnutls_certificate_allocate_credentials(&t->cred);
	if (r < 0)
		return tls_fail(error, host, "TLS set-up", r);
	if (verify) {
		r = gnutls_certificate_set_x509_system_trust(t->cred);
		if (r < 0)
			return tls_fail(error, host, "reading the system's trusted certificates",
			                r);
		if (ca_file) {
			r = gnutls_certificate_set_x509_trust_file(t->cred, ca_file,
			                                           GNUTLS_X509_FMT_PEM);
			if (r <= 0) {
				g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "ca_file %s: %s",
				            ca_file,
				            r == 0 ? "no certificate in it" : gnutls_strerror(r));
				return FALSE;
			}
		}
	}
	if ((r = gnutls_init(&t->tls, GNUTLS_CLIENT)) < 0 ||
	    (r = gnutls_priority_set_direct(t->tls, TLS_PRIORITY, NULL)) < 0 ||
	    (r = gnutls_credentials_set(t->tls, GNUTLS_CRD_CERTIFICATE, t->cred)) < 0)
		return tls_fail(error, host, "TLS set-up", r);
	/* SNI carries host names only, never addresses (RFC 6066). */
	if (!is_ip_address(host) &&
	    (r = gnutls_server_name_set(t->tls, GNUTLS_NAME_DNS, host, strlen(host))) < 0)
		return tls_fail(error, host, "TLS set-up", r);
	gnutls_transport_set_ptr(t->tls, t);
	gnutls_transport_set_pull_function(t->tls, tls_pull);
	gnutls_transport_set_pull_timeout_function(t->tls, tls_pull_timeout);
	gnutls_transport_set_push_function(t->tls, tls_push);
	gnutls_handshake_set_timeout(t->tls, t->timeout_ms);

	for (;;) {
		r = gnutls_handshake(t->tls);
		if (r >= 0)
			break;
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
			if (!wait_fd(t, gnutls_record_get_direction(t->tls) ? POLLOUT : POLLIN)) {
				g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
				            "%s: TLS handshake: %s", host, t->error);
				return FALSE;
			}
			continue;
		}
		if (!gnutls_error_is_fatal(r))
			continue;
		gboolean old_version = r == GNUTLS_E_UNSUPPORTED_VERSION_PACKET;
		g_autofree char *why = NULL;
		if (r == GNUTLS_E_FATAL_ALERT_RECEIVED) {
			gnutls_alert_description_t alert = gnutls_alert_get(t->tls);
			old_version = alert == GNUTLS_A_PROTOCOL_VERSION;
			why = g_strdup_printf("the server sent the alert '%s'",
			                      gnutls_alert_get_name(alert));
		}
		if (server_speaks_plain_imap(t)) {
			g_set_error(
			    error, MC_ERROR, MC_ERROR_FAILED,
			    "%s: TLS handshake failed: %s (the server at %s:%d speaks plain "
			    "IMAP; set tls = starttls)",
			    host, why ? why : gnutls_strerror(r), host, t->port);
			return FALSE;
		}
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: TLS handshake failed: %s%s",
		            host, why ? why : gnutls_strerror(r),
		            old_version
		                ? "; the server offers no TLS 1.2 or newer, which mailclerk "
		                  "requires"
		                : "");
		return FALSE;
	}
	gnutls_protocol_t version = gnutls_protocol_get_version(t->tls);
	if (version != GNUTLS_TLS1_2 && version != GNUTLS_TLS1_3) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "%s: the server negotiated %s; mailclerk requires TLS 1.2 or newer",
		            host, gnutls_protocol_get_name(version));
		return FALSE;
	}
	if (!verify)
		return TRUE;
	unsigned status = 0;
	r = gnutls_certificate_verify_peers3(t->tls, host, &status);
	if (r < 0)
		return tls_fail(error, host, "certificate verification", r);
	if (status != 0) {
		gnutls_datum_t why = { 0 };
		gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "%s: the server's certificate is refused: %s", host,
		            why.data ? g_strstrip((char *)why.data) : "verification failed");
		gnutls_free(why.data);
		return FALSE;
	}
	return TRUE;
}

void
transport_set_read_limit(mailstream_low *low, gsize max)
{
	struct transport *t = low->data;
	t->read_limit = max;
}

gboolean
transport_broken(mailstream_low *low)
{
	return ((struct transport *)low->data)->broken;
}

void
transport_mark_broken(mailstream_low *low)
{
	((struct transport *)low->data)->broken = TRUE;
}

const char *
transport_last_error(mailstream_low *low)
{
	return ((struct transport *)low->data)->error;
}
