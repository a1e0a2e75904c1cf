/* The one-writer lock beside the index. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/error.h"
#include "index/lock.h"

/* How long a second writer waits for the first before saying the index is
 * busy: long enough for deliveries from procmail or fdm to queue up. */
#define LOCK_WAIT_SECONDS 120

int
index_lock(const char *db_path, GError **error)
{
	g_autofree char *dir = g_path_get_dirname(db_path);
	g_autofree char *path = g_strconcat(db_path, ".lock", NULL);
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", dir,
		            g_strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot open %s: %s", path,
		            g_strerror(errno));
		return -1;
	}
	gboolean told = FALSE;
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited++) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot lock %s: %s", path,
			            g_strerror(errno));
			close(fd);
			return -1;
		}
		if (waited >= LOCK_WAIT_SECONDS * 10) {
			g_set_error(error, MC_ERROR, MC_ERROR_BUSY,
			            "%s is busy: another ingest has held it for %d s", db_path,
			            LOCK_WAIT_SECONDS);
			close(fd);
			return -1;
		}
		if (!told && isatty(STDERR_FILENO)) {
			fprintf(stderr, "mailclerk: waiting for another ingest to finish...\n");
			told = TRUE;
		}
		g_usleep(100000);
	}
	return fd;
}
