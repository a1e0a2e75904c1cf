/* mailclerk watch: keeps the index current, ingesting a source when it changes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "cli/command.h"
#include "cli/ingest.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "imap/idle.h"
#include "imap/sync.h"
#include "index/lock.h"
#include "index/supervise.h"
#include "ingest/source.h"
#include "ingest/watch.h"

/* Changes are collected until none came for QUIET_MS, but for MAX_WAIT_MS
 * at most: a burst (an rsync, a fetch of 10,000 messages) is a few runs,
 * and mail in a steady stream is still indexed within about a second. */
#define QUIET_MS    300
#define MAX_WAIT_MS 1000
/* A missing source is looked for this often. */
#define MISSING_CHECK_S 2
/* An IDLE process that ended on its own is started again after this. */
#define IDLE_RESTART_S 5
/* A failed IMAP sync is tried again after 1 s, doubling up to this. */
#define BACKOFF_MAX_S 300

/* One [source] of the configuration. */
struct watched {
	const struct mc_source_config *sc;
	guint index;      /* in cfg->sources, and in imap_down */
	gboolean dirty;   /* changed since its last ingest */
	gboolean missing; /* a local source whose path is not there: said once */
	/* IMAP */
	pid_t idle_pid;   /* the IDLE process, or 0 */
	int idle_fd;      /* its pipe, the read end */
	guint idle_tag;   /* ...in the main loop */
	gboolean no_idle; /* the server offers none: polled only */
	gint64 next_poll; /* monotonic µs */
	int backoff;      /* s, while the server fails */
};

struct watch {
	struct command_env *env;
	GPtrArray *items; /* struct watched *, as cfg->sources */
	struct fs_watch *fs;
	gint *imap_down; /* MAP_SHARED, one per source: see struct ingest_watch */
	gint64 first_change, last_change;
	guint quiet_tag, poll_tag, missing_tag, restart_tag;
	gboolean first;
};

static gboolean
stopping(void)
{
	return interrupt_caught() || supervise_stop_signal();
}

/* SIGINT and SIGTERM are blocked but while the loop sleeps (and while an
 * ingest runs), so that one caught just before the sleep still ends it. */
static sigset_t stop_signals;

static gint
watch_poll(GPollFD *fds, guint nfds, gint timeout)
{
	if (stopping())
		return 0;
	struct timespec ts = { timeout / 1000, (timeout % 1000) * 1000000L };
	sigset_t during;
	sigprocmask(SIG_SETMASK, NULL, &during);
	sigdelset(&during, SIGINT);
	sigdelset(&during, SIGTERM);
	G_STATIC_ASSERT(sizeof(GPollFD) == sizeof(struct pollfd));
	return ppoll((struct pollfd *)fds, nfds, timeout < 0 ? NULL : &ts, &during);
}

static void schedule_ingest(struct watch *w);

static void
changed(struct watch *w, struct watched *it)
{
	it->dirty = TRUE;
	schedule_ingest(w);
}

static gboolean look_for_missing(gpointer data);

static void
set_missing(struct watch *w, struct watched *it)
{
	if (!it->missing)
		fprintf(stderr, "mailclerk watch: %s: %s is not there; watching for it\n",
		        it->sc->name, it->sc->path);
	it->missing = TRUE;
	it->dirty = FALSE;
	if (!w->missing_tag)
		w->missing_tag = g_timeout_add_seconds(MISSING_CHECK_S, look_for_missing, w);
}

/* Watches a local source; FALSE when it is not there. */
static gboolean
watch_local(struct watch *w, struct watched *it)
{
	return fs_watch_add(w->fs, it->index, it->sc->type, it->sc->path);
}

static gboolean
look_for_missing(gpointer data)
{
	struct watch *w = data;
	gboolean still = FALSE;
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (!it->missing)
			continue;
		if (!watch_local(w, it)) {
			still = TRUE;
			continue;
		}
		fprintf(stderr, "mailclerk watch: %s: %s is back\n", it->sc->name, it->sc->path);
		it->missing = FALSE;
		changed(w, it);
	}
	if (!still)
		w->missing_tag = 0;
	return still;
}

static void
on_fs_event(guint id, gboolean gone, gpointer data)
{
	struct watch *w = data;
	struct watched *it = g_ptr_array_index(w->items, id);
	if (gone)
		set_missing(w, it);
	else if (!it->missing)
		changed(w, it);
}

static gboolean
on_fs_readable(gint fd, GIOCondition cond, gpointer data)
{
	struct watch *w = data;
	fs_watch_read(w->fs, on_fs_event, w);
	return G_SOURCE_CONTINUE;
}

/* One ingest of every dirty source, as `mailclerk ingest NAME...` would. */
static void
run_ingest(struct watch *w)
{
	struct command_env *env = w->env;
	g_autofree char *data_dir = g_path_get_dirname(env->db_path);
	g_autofree char *store_dir = g_build_filename(data_dir, "store", "stdin", NULL);
	g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func((GDestroyNotify)source_free);
	g_autoptr(GPtrArray) imap_sources = g_ptr_array_new();
	g_autoptr(GPtrArray) ran = g_ptr_array_new();
	g_autoptr(GString) label = g_string_new(NULL);
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (!it->dirty || it->missing)
			continue;
		it->dirty = FALSE;
		if (it->sc->imap) {
			g_ptr_array_add(imap_sources, (gpointer)it->sc);
		} else {
			g_autoptr(GError) error = NULL;
			struct source *src =
			    source_new(it->sc->type, it->sc->name, it->sc->path, &error);
			if (!src) {
				fprintf(stderr, "mailclerk watch: %s\n", error->message);
				continue;
			}
			src->store_dir = g_strdup(store_dir);
			g_ptr_array_add(sources, src);
		}
		g_ptr_array_add(ran, it);
		g_string_append_printf(label, "%s%s", label->len ? ", " : "", it->sc->name);
	}
	if (!ran->len)
		return;
	struct ingest_watch iw = {
		.label = label->str,
		.cfg_sources = env->cfg->sources,
		.imap_down = w->imap_down,
		.first = w->first,
	};
	sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
	ingest_run_sources(env, sources, imap_sources, &iw);
	sigprocmask(SIG_BLOCK, &stop_signals, NULL);
	w->first = FALSE;

	/* IMAP: the next sync after `poll`, or sooner while the server fails. */
	gint64 now = g_get_monotonic_time();
	for (guint i = 0; i < ran->len; i++) {
		struct watched *it = g_ptr_array_index(ran, i);
		if (!it->sc->imap)
			continue;
		if (w->imap_down[it->index] == IMAP_REFUSED) {
			it->next_poll = G_MAXINT64; /* said; not tried again */
		} else if (w->imap_down[it->index]) {
			it->next_poll = now + (gint64)it->backoff * G_USEC_PER_SEC;
			it->backoff = MIN(it->backoff * 2, BACKOFF_MAX_S);
		} else {
			it->next_poll = now + (gint64)it->sc->imap->poll * G_USEC_PER_SEC;
			it->backoff = 1;
		}
	}
}

static void schedule_poll(struct watch *w);

static gboolean
on_quiet(gpointer data)
{
	struct watch *w = data;
	gint64 now = g_get_monotonic_time();
	gint64 due = MIN(w->last_change + QUIET_MS * 1000, w->first_change + MAX_WAIT_MS * 1000);
	if (now < due) {
		w->quiet_tag = g_timeout_add((guint)((due - now + 999) / 1000), on_quiet, w);
		return G_SOURCE_REMOVE;
	}
	w->quiet_tag = 0;
	/* Events that came during the run are read after it: the next run. */
	run_ingest(w);
	schedule_poll(w);
	return G_SOURCE_REMOVE;
}

static void
schedule_ingest(struct watch *w)
{
	gint64 now = g_get_monotonic_time();
	if (!w->quiet_tag) {
		w->first_change = now;
		w->quiet_tag = g_timeout_add(QUIET_MS, on_quiet, w);
	}
	w->last_change = now;
}

static gboolean
on_poll(gpointer data)
{
	struct watch *w = data;
	w->poll_tag = 0;
	gint64 now = g_get_monotonic_time();
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (!it->sc->imap || it->dirty || it->next_poll > now)
			continue;
		/* A server its IDLE process cannot reach: a sync would only wait
		 * for it too (and hold up local mail meanwhile). The IDLE process
		 * says when it is back. */
		if (it->idle_pid && w->imap_down[it->index]) {
			it->next_poll = now + (gint64)it->sc->imap->poll * G_USEC_PER_SEC;
			continue;
		}
		it->next_poll = G_MAXINT64; /* set again by the run */
		changed(w, it);
	}
	schedule_poll(w);
	return G_SOURCE_REMOVE;
}

/* The timer of the IMAP source due first. */
static void
schedule_poll(struct watch *w)
{
	gint64 next = G_MAXINT64;
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (it->sc->imap && !it->dirty)
			next = MIN(next, it->next_poll);
	}
	if (w->poll_tag)
		g_source_remove(w->poll_tag);
	w->poll_tag = 0;
	if (next == G_MAXINT64)
		return;
	gint64 ms = MAX(0, (next - g_get_monotonic_time() + 999) / 1000);
	w->poll_tag = g_timeout_add((guint)MIN(ms, G_MAXUINT), on_poll, w);
}

static void start_idle(struct watch *w, struct watched *it);

static gboolean
restart_idle(gpointer data)
{
	struct watch *w = data;
	w->restart_tag = 0;
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (it->sc->imap && !it->no_idle && !it->idle_pid &&
		    w->imap_down[it->index] != IMAP_REFUSED)
			start_idle(w, it);
	}
	return G_SOURCE_REMOVE;
}

struct idle_pipe {
	struct watch *w;
	struct watched *it;
};

static gboolean
on_idle_readable(gint fd, GIOCondition cond, gpointer data)
{
	struct idle_pipe *ip = data;
	struct watched *it = ip->it;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == IMAP_IDLE_CHANGED) {
			changed(ip->w, it);
		} else if (buf[i] == IMAP_IDLE_NONE && !it->no_idle) {
			it->no_idle = TRUE;
			fprintf(stderr,
			        "mailclerk watch: %s: the server offers no IDLE; polling it every "
			        "%d s\n",
			        it->sc->name, it->sc->imap->poll);
		}
	}
	if (n > 0)
		return G_SOURCE_CONTINUE;
	/* The IDLE process ended. */
	close(fd);
	while (waitpid(it->idle_pid, NULL, 0) < 0 && errno == EINTR)
		;
	it->idle_pid = 0;
	it->idle_tag = 0;
	if (!it->no_idle && !stopping() && !ip->w->restart_tag &&
	    ip->w->imap_down[it->index] != IMAP_REFUSED)
		ip->w->restart_tag = g_timeout_add_seconds(IDLE_RESTART_S, restart_idle, ip->w);
	return G_SOURCE_REMOVE;
}

/* The IDLE of IMAP source IT, in a process of its own (imap/idle.h). */
static void
start_idle(struct watch *w, struct watched *it)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fprintf(stderr, "mailclerk watch: %s: no IDLE (%s); polling\n", it->sc->name,
		        g_strerror(errno));
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
		g_unix_set_fd_nonblocking(fds[1], TRUE, NULL);
		imap_idle_loop(it->sc, fds[1], &w->imap_down[it->index]);
		fflush(NULL);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0) {
		fprintf(stderr, "mailclerk watch: %s: no IDLE (%s); polling\n", it->sc->name,
		        g_strerror(errno));
		close(fds[0]);
		return;
	}
	it->idle_pid = pid;
	it->idle_fd = fds[0];
	struct idle_pipe *ip = g_new0(struct idle_pipe, 1);
	ip->w = w;
	ip->it = it;
	it->idle_tag = g_unix_fd_add_full(G_PRIORITY_DEFAULT, fds[0], G_IO_IN | G_IO_HUP | G_IO_ERR,
	                                  on_idle_readable, ip, g_free);
}

static void
stop_idles(struct watch *w)
{
	for (guint i = 0; i < w->items->len; i++) {
		struct watched *it = g_ptr_array_index(w->items, i);
		if (!it->idle_pid)
			continue;
		kill(it->idle_pid, SIGTERM);
		while (waitpid(it->idle_pid, NULL, 0) < 0 && errno == EINTR)
			;
		it->idle_pid = 0;
	}
}

int
cmd_watch(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options(env, "",
	                           "Keeps the index current: ingests each [source NAME] of the "
	                           "configuration when its mail changes (inotify for maildirs "
	                           "and mbox files, IMAP IDLE and polling every `poll` for "
	                           "IMAP), until SIGTERM or ^C.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	if (env->cfg->sources->len == 0) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "nothing to watch: add [source NAME] groups to %s",
		            env->cfg->file ? env->cfg->file : "the configuration");
		return command_fail(error);
	}

	/* An IMAP source without a password is a configuration error: said
	 * now, not retried for ever. */
	for (guint i = 0; i < env->cfg->sources->len; i++) {
		const struct mc_source_config *sc = g_ptr_array_index(env->cfg->sources, i);
		if (sc->imap && !imap_password_configured(sc, &error))
			return command_fail(error);
	}
	int watch_lock = index_watch_lock(env->db_path, &error);
	if (watch_lock < 0)
		return command_fail(error);

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop_signals, NULL);
	interrupt_catch();

	struct watch w = { .env = env, .first = TRUE };
	w.fs = fs_watch_new(&error);
	if (!w.fs)
		return command_fail(error);
	gsize down_size = MAX(1, env->cfg->sources->len) * sizeof(gint);
	w.imap_down =
	    mmap(NULL, down_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w.imap_down == MAP_FAILED) {
		g_set_error(&error, MC_ERROR, MC_ERROR_FAILED, "cannot map shared memory: %s",
		            g_strerror(errno));
		fs_watch_free(w.fs);
		return command_fail(error);
	}
	g_main_context_set_poll_func(NULL, watch_poll);
	w.items = g_ptr_array_new_with_free_func(g_free);
	/* Watches first, then the first ingest: nothing delivered between the two is missed. */
	for (guint i = 0; i < env->cfg->sources->len; i++) {
		struct watched *it = g_new0(struct watched, 1);
		it->sc = g_ptr_array_index(env->cfg->sources, i);
		it->index = i;
		it->backoff = 1;
		it->dirty = TRUE;
		g_ptr_array_add(w.items, it);
		if (it->sc->imap)
			start_idle(&w, it);
		else if (!watch_local(&w, it))
			set_missing(&w, it);
	}
	guint fs_tag = g_unix_fd_add(fs_watch_fd(w.fs), G_IO_IN, on_fs_readable, &w);
	schedule_ingest(&w);

	while (!stopping())
		g_main_context_iteration(NULL, TRUE);

	stop_idles(&w);
	g_source_remove(fs_tag);
	for (guint i = 0; i < w.items->len; i++) {
		struct watched *it = g_ptr_array_index(w.items, i);
		if (it->idle_tag) {
			g_source_remove(it->idle_tag);
			close(it->idle_fd);
		}
	}
	guint tags[] = { w.quiet_tag, w.poll_tag, w.missing_tag, w.restart_tag };
	for (guint i = 0; i < G_N_ELEMENTS(tags); i++)
		if (tags[i])
			g_source_remove(tags[i]);
	g_ptr_array_unref(w.items);
	fs_watch_free(w.fs);
	munmap(w.imap_down, down_size);
	g_main_context_set_poll_func(NULL, NULL);
	close(watch_lock);
	/* Stopping is how a watch ends (systemd's stop): a success. */
	return MC_EXIT_OK;
}
