/* Single messages: files named on the command line, and one message on
 * standard input (so mailclerk can sit behind fdm, procmail or a Sieve pipe).
 * Mail from stdin has no file of its own, so it is first delivered into
 * mailclerk's local store (a Maildir beside the index) and indexed there:
 * nothing is indexed that could not be shown again. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/source.h"
#include "common/error.h"
#include "common/fileio.h"

#define FILE_MAX_STDIN (256 * 1024 * 1024)

char *
store_deliver(const char *store_dir, GBytes *data, GError **error)
{
	static gint counter;
	if (!fileio_make_maildir(store_dir, error))
		return NULL;
	/* The Maildir convention for unique names: time, pid and a counter, host. */
	gint64 now = g_get_real_time();
	g_autofree char *uniq = g_strdup_printf("%" G_GINT64_FORMAT ".M%06dP%dQ%d.%s",
	                                        now / 1000000, (int)(now % 1000000), (int)getpid(),
	                                        g_atomic_int_add(&counter, 1), g_get_host_name());
	g_autofree char *tmp = g_build_filename(store_dir, "tmp", uniq, NULL);
	g_autofree char *dest = g_build_filename(store_dir, "new", uniq, NULL);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", tmp,
		            g_strerror(errno));
		return NULL;
	}
	gsize len;
	const char *bytes = g_bytes_get_data(data, &len);
	gboolean ok = fileio_write_all(fd, bytes, len) && fsync(fd) == 0;
	ok = (close(fd) == 0) && ok;
	if (!ok || rename(tmp, dest) < 0) {
		int e = errno;
		unlink(tmp);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot write %s: %s", dest,
		            g_strerror(e));
		return NULL;
	}
	g_autofree char *newdir = g_build_filename(store_dir, "new", NULL);
	if (!fileio_fsync_dir(newdir)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot sync %s: %s", newdir,
		            g_strerror(errno));
		return NULL;
	}
	return g_steal_pointer(&dest);
}

char *
file_store_stdin(const char *store_dir, GError **error)
{
	GByteArray *buf = g_byte_array_new();
	char chunk[65536];
	for (;;) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "reading standard input: %s",
			            g_strerror(errno));
			g_byte_array_unref(buf);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + n > FILE_MAX_STDIN) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
			            "standard input: message larger than 256 MiB");
			g_byte_array_unref(buf);
			return NULL;
		}
		g_byte_array_append(buf, (const guint8 *)chunk, n);
	}
	g_autoptr(GBytes) data = g_byte_array_free_to_bytes(buf);
	if (g_bytes_get_size(data) == 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "standard input: no message (empty)");
		return NULL;
	}
	return store_deliver(store_dir, data, error);
}

static gboolean
file_scan(struct source *src, struct source_sink *sink, GError **error)
{
	struct stat st;
	if (stat(src->path, &st) < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", src->path,
		            g_strerror(errno));
		return FALSE;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: not a regular file", src->path);
		return FALSE;
	}
	gint64 old_mtime, old_size;
	if (!sink->claim(sink, src->path))
		return TRUE;
	if (sink->container_state(sink, src->path, &old_mtime, &old_size) &&
	    old_mtime == STAT_MTIME_NS(st) && old_size == st.st_size)
		return TRUE;
	/* A file that changed since it was indexed keeps its name: writer_add()
	 * replaces the old copy. */
	struct source_item *item = g_new0(struct source_item, 1);
	item->source = g_strdup(src->name);
	item->kind = "file";
	item->container = g_strdup(src->path);
	item->folder = g_strdup("");
	item->name = g_strdup("");
	item->sub = g_strdup("");
	item->info = g_strdup("");
	item->path = g_strdup(src->path);
	item->mtime = st.st_mtim.tv_sec;
	sink->add(sink, item);
	sink->container_done(sink, src->path, STAT_MTIME_NS(st), st.st_size);
	return TRUE;
}

const struct source_ops file_source_ops = {
	.kind = "file",
	.scan = file_scan,
};
