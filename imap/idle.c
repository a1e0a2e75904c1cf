/* IMAP IDLE on one folder: connect, EXAMINE, IDLE, reconnect with backoff. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "common/error.h"
#include "imap/idle.h"
#include "imap/session.h"
#include "imap/sync.h"

/* RFC 2177: servers may end an IDLE after 30 minutes of it. */
#define IDLE_RENEW_MS (28 * 60 * 1000)
#define BACKOFF_FIRST 1
#define BACKOFF_MAX   300

/* FALSE when the reader of FD is gone. */
static gboolean
tell(int fd, char what)
{
	return write(fd, &what, 1) == 1 || errno == EAGAIN;
}

/* The folder to IDLE on: INBOX when it is one of FOLDERS, else the first. */
static const char *
idle_folder(GPtrArray *folders)
{
	for (guint i = 0; i < folders->len; i++)
		if (g_ascii_strcasecmp(g_ptr_array_index(folders, i), "INBOX") == 0)
			return g_ptr_array_index(folders, i);
	return folders->len ? g_ptr_array_index(folders, 0) : NULL;
}

/* One connection: IDLE until it breaks (FALSE and ERROR), the reader is
 * gone or the server has no IDLE (TRUE, *DONE set). */
static gboolean
idle_session(struct session *s, int fd, volatile gint *down, gboolean *done, gboolean *examined,
             GError **error)
{
	const struct mc_source_config *sc = s->sc;
	char *password = imap_password(sc, error);
	if (!password)
		return FALSE;
	gboolean ok = session_open(s, password, error);
	imap_password_free(password);
	if (!ok)
		return FALSE;
	if (!s->idle) {
		*done = TRUE;
		tell(fd, IMAP_IDLE_NONE);
		return TRUE;
	}
	g_autoptr(GPtrArray) folders = resolve_folders(s, error);
	const char *folder = folders ? idle_folder(folders) : NULL;
	if (!folder) {
		if (folders)
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: no folder to watch",
			            sc->imap->host);
		return FALSE;
	}
	int r = mailimap_examine(s->imap, folder);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("EXAMINE %s", folder);
		return command_failed(s, r, what, error);
	}
	*examined = TRUE;
	imap_watch_said(sc, down, TRUE, NULL);
	/* Whatever came while we were not listening. */
	if (!tell(fd, IMAP_IDLE_CHANGED)) {
		*done = TRUE;
		return TRUE;
	}
	for (;;) {
		r = mailimap_idle(s->imap);
		if (r != MAILIMAP_NO_ERROR)
			return command_failed(s, r, "IDLE", error);
		/* The server's word may already be read into the stream's buffer. */
		struct pollfd p = { .fd = mailimap_idle_get_fd(s->imap), .events = POLLIN };
		int n = s->imap->imap_stream->read_buffer_len > 0 ? 1 : poll(&p, 1, IDLE_RENEW_MS);
		if (n < 0 && errno != EINTR) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", sc->imap->host,
			            g_strerror(errno));
			return FALSE;
		}
		r = mailimap_idle_done(s->imap);
		if (r != MAILIMAP_NO_ERROR)
			return command_failed(s, r, "IDLE DONE", error);
		if (n > 0 && !tell(fd, IMAP_IDLE_CHANGED)) {
			*done = TRUE;
			return TRUE;
		}
	}
}

gboolean
imap_refused(const GError *error)
{
	return error && error->domain == MC_ERROR &&
	       (error->code == MC_ERROR_REFUSED || error->code == MC_ERROR_USAGE);
}

enum imap_down
imap_watch_said(const struct mc_source_config *sc, volatile gint *down, gboolean ok,
                const GError *error)
{
	const char *why = error ? error->message : "the connection was lost";
	if (ok) {
		if (g_atomic_int_compare_and_exchange(down, IMAP_DOWN, IMAP_UP))
			fprintf(stderr, "mailclerk watch: %s: the server answers again\n",
			        sc->name);
	} else if (imap_refused(error)) {
		gint was = g_atomic_int_get(down);
		while (was != IMAP_REFUSED &&
		       !g_atomic_int_compare_and_exchange(down, was, IMAP_REFUSED))
			was = g_atomic_int_get(down);
		if (was != IMAP_REFUSED)
			fprintf(
			    stderr,
			    "mailclerk watch: %s: %s; not trying again until the watch restarts\n",
			    sc->name, why);
	} else if (g_atomic_int_compare_and_exchange(down, IMAP_UP, IMAP_DOWN)) {
		fprintf(stderr, "mailclerk watch: %s: %s; trying again\n", sc->name, why);
	}
	return g_atomic_int_get(down);
}

void
imap_idle_loop(const struct mc_source_config *sc, int fd, volatile gint *down)
{
	int backoff = BACKOFF_FIRST;
	for (;;) {
		struct session s = { .sc = sc };
		g_autoptr(GError) error = NULL;
		gboolean done = FALSE, examined = FALSE;
		gboolean ok = idle_session(&s, fd, down, &done, &examined, &error);
		session_close(&s);
		if (done)
			return;
		if (examined)
			backoff = BACKOFF_FIRST;
		if (!ok && imap_watch_said(sc, down, FALSE, error) == IMAP_REFUSED)
			return;
		/* The watch is gone (it sets PR_SET_PDEATHSIG too). */
		if (getppid() == 1)
			return;
		sleep(backoff);
		backoff = MIN(backoff * 2, BACKOFF_MAX);
	}
}
