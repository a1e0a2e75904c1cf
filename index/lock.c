/* The one-writer lock beside the index, and who holds it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/error.h"
#include "common/interrupt.h"
#include "index/lock.h"
#include "index/supervise.h"

/* How long a second writer waits for the first before saying the index is
 * busy: long enough for deliveries from procmail or fdm to queue up. */
#define LOCK_WAIT_SECONDS 120

/* Says who holds the lock in its file, "PID COMMAND\n": a second writer
 * names it while it waits. Only a hint, so a failed write is no error. The
 * pid is the one the user started: an ingest's supervisor, not its child. */
static void
lock_write_holder(int fd, const char *command)
{
	g_autofree char *line = g_strdup_printf("%d %s\n", (int)supervise_user_pid(), command);
	/* Over the last holder's line, then cut to this one: mostly the same
	 * length, so no block is freed and allocated again. A reader meanwhile
	 * reads the first line. */
	gsize n = strlen(line);
	if (pwrite(fd, line, n, 0) == (ssize_t)n && ftruncate(fd, (off_t)n) < 0)
		return;
}

/* Returns "pid 1234 (ingest)" for the holder named in the lock file FD, or
 * NULL when it names none or a process that is gone (a killed holder's
 * line, not yet replaced by the new holder's). The caller frees it. */
static char *
lock_read_holder(int fd)
{
	char buf[128];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *end;
	long pid = strtol(buf, &end, 10);
	if (pid <= 0 || *end != ' ' || (kill((pid_t)pid, 0) < 0 && errno != EPERM))
		return NULL;
	g_autofree char *command = g_strndup(end + 1, strcspn(end + 1, "\n"));
	return g_strdup_printf("pid %ld (%s)", pid, command);
}

/* Opens (creating it and its folder) the lock file PATH beside the index at
 * DB_PATH; -1 and ERROR when it cannot. */
static int
lock_open(const char *db_path, const char *path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(db_path);
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", dir,
		            g_strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot open %s: %s", path,
		            g_strerror(errno));
	return fd;
}

int
index_watch_lock(const char *db_path, GError **error)
{
	g_autofree char *path = g_strconcat(db_path, ".watch", NULL);
	int fd = lock_open(db_path, path, error);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		g_autofree char *holder = lock_read_holder(fd);
		if (errno == EWOULDBLOCK)
			g_set_error(error, MC_ERROR, MC_ERROR_BUSY,
			            "%s is already kept current by another watch, %s", db_path,
			            holder ? holder : "of another process");
		else
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot lock %s: %s", path,
			            g_strerror(errno));
		close(fd);
		return -1;
	}
	lock_write_holder(fd, "watch");
	return fd;
}

int
index_lock(const char *db_path, const char *command, GError **error)
{
	g_autofree char *path = g_strconcat(db_path, ".lock", NULL);
	int fd = lock_open(db_path, path, error);
	if (fd < 0)
		return -1;
	gboolean told = FALSE;
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited++) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot lock %s: %s", path,
			            g_strerror(errno));
			close(fd);
			return -1;
		}
		g_autofree char *holder = lock_read_holder(fd);
		if (interrupt_caught()) {
			g_set_error(error, MC_ERROR, MC_ERROR_INTERRUPTED,
			            "interrupted while waiting for the index lock");
			close(fd);
			return -1;
		}
		if (waited >= LOCK_WAIT_SECONDS * 10) {
			g_set_error(error, MC_ERROR, MC_ERROR_BUSY,
			            "%s is busy: the index lock has been held by %s for %d s",
			            db_path, holder ? holder : "another process",
			            LOCK_WAIT_SECONDS);
			close(fd);
			return -1;
		}
		/* Once, terminal or not: a cron job's log says why it took long. The
		 * holder writes its name just after it takes the lock; a second
		 * later, it is said without. */
		if (!told && (holder || waited >= 10)) {
			fprintf(stderr, "mailclerk: waiting for the index lock held by %s\n",
			        holder ? holder : "another process");
			told = TRUE;
		}
		g_usleep(100000);
	}
	lock_write_holder(fd, command);
	return fd;
}
