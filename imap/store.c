/* The local store of IMAP mail: a Maildir per folder, escaped names, messages tmp/ to cur/. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/fileio.h"
#include "imap/store.h"
#include "imap/sync.h"

void
imap_store_folder_free(gpointer folder)
{
	struct imap_store_folder *f = folder;
	g_free(f->dir);
	g_free(f->folder);
	g_free(f);
}

char *
escape_name(const char *name)
{
	GString *out = g_string_new("=");
	for (const char *p = name; *p; p++) {
		guchar c = *p;
		if (g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.')
			g_string_append_c(out, c);
		else
			g_string_append_printf(out, "%%%02X", c);
	}
	return g_string_free(out, FALSE);
}

/* Returns the name ENTRY (a store directory) was made from, as valid UTF-8
 * for display (a server may send any bytes), or NULL when ENTRY is none of
 * ours. */
static char *
unescape_name(const char *entry)
{
	if (entry[0] != '=')
		return NULL;
	g_autofree char *raw = g_uri_unescape_string(entry + 1, NULL);
	return raw ? g_utf8_make_valid(raw, -1) : NULL;
}

char *
store_dir(const char *store_root, const char *source_name, const char *folder)
{
	g_autofree char *s = escape_name(source_name);
	g_autofree char *f = escape_name(folder);
	return g_build_filename(store_root, s, f, NULL);
}

GPtrArray *
imap_store_folders(const char *store_root, const char *name)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(imap_store_folder_free);
	g_autofree char *s = escape_name(name);
	g_autofree char *root = g_build_filename(store_root, s, NULL);
	g_autoptr(GDir) dir = g_dir_open(root, 0, NULL);
	const char *entry;
	while (dir && (entry = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(root, entry, NULL);
		g_autofree char *cur = g_build_filename(path, "cur", NULL);
		char *folder = unescape_name(entry);
		if (!folder || !g_file_test(cur, G_FILE_TEST_IS_DIR)) {
			g_free(folder);
			continue;
		}
		struct imap_store_folder *f = g_new0(struct imap_store_folder, 1);
		f->dir = g_steal_pointer(&path);
		f->folder = folder;
		g_ptr_array_add(out, f);
	}
	return out;
}

void
pending_clear(gpointer p)
{
	struct pending *x = p;
	g_free(x->tmp);
	g_free(x->final);
}

gboolean
store_message(const char *dir, const char *name, const char *flags, const char *data, gsize len,
              gint64 internaldate, GArray *pending, GError **error)
{
	g_autofree char *file = g_strdup_printf("%s:2,%s", name, flags);
	g_autofree char *final = g_build_filename(dir, "cur", file, NULL);
	if (g_file_test(final, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *tmp = g_build_filename(dir, "tmp", name, NULL);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmp, g_strerror(errno));
		return FALSE;
	}
	if (!fileio_write_all(fd, data, len)) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmp, g_strerror(saved));
		return FALSE;
	}
	if (internaldate >= 0) {
		struct timespec times[2] = { { internaldate, 0 }, { internaldate, 0 } };
		futimens(fd, times);
	}
	close(fd);
	struct pending p = { g_steal_pointer(&tmp), g_steal_pointer(&final) };
	g_array_append_val(pending, p);
	return TRUE;
}

gboolean
commit_pending(const char *dir, GArray *pending, GError **error)
{
	if (pending->len == 0)
		return TRUE;
	g_autofree char *tmpdir = g_build_filename(dir, "tmp", NULL);
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) != 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmpdir, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	for (guint i = 0; i < pending->len; i++) {
		struct pending *p = &g_array_index(pending, struct pending, i);
		if (rename(p->tmp, p->final) != 0) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", p->final,
			            g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}
