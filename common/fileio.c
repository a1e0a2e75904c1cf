#include "config.h"

#include <errno.h>
#include <unistd.h>

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
