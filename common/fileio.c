/* File I/O helpers: writing whole buffers, syncing directories. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/error.h"
#include "common/fileio.h"

gboolean
fileio_write_all(int fd, const void *data, gsize len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EIO;
		if (n <= 0)
			return FALSE;
		p += n;
		len -= n;
	}
	return TRUE;
}

gboolean
fileio_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	gboolean ok = fsync(fd) == 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return ok;
}

gboolean
fileio_make_maildir(const char *dir, GError **error)
{
	for (const char *const *sub = (const char *const[]){ "tmp", "new", "cur", NULL }; *sub;
	     sub++) {
		g_autofree char *d = g_build_filename(dir, *sub, NULL);
		if (g_mkdir_with_parents(d, 0700) < 0) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", d,
			            g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}
