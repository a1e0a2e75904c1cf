/* Helpers the fuzz targets share: fatal criticals, failures, in-memory files. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

void
fuzz_init(void)
{
	g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
}

void
fuzz_fail(const char *format, ...)
{
	va_list ap;

	fputs("fuzz: ", stderr);
	va_start(ap, format);
	vfprintf(stderr, format, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
fuzz_check_utf8(const char *what, const char *s)
{
	const char *bad;

	if (s && !g_utf8_validate(s, -1, &bad))
		fuzz_fail("%s is not valid UTF-8 at byte %td", what, bad - s);
}

void
fuzz_file_init(struct fuzz_file *f)
{
	f->fd = memfd_create("mailclerk-fuzz", MFD_CLOEXEC);
	if (f->fd < 0)
		fuzz_fail("memfd_create: %s", g_strerror(errno));
	g_snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
}

void
fuzz_file_set(struct fuzz_file *f, const uint8_t *data, size_t size)
{
	if (ftruncate(f->fd, 0) < 0)
		fuzz_fail("ftruncate: %s", g_strerror(errno));
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(f->fd, data + done, size - done, (off_t)done);
		if (n < 0 && errno != EINTR)
			fuzz_fail("pwrite: %s", g_strerror(errno));
		if (n > 0)
			done += (size_t)n;
	}
}
