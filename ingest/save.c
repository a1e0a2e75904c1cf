/* Saving attachments into folders: each content once, never overwriting; moving a saved file. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/date.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/filename.h"
#include "common/paths.h"
#include "common/sha256.h"
#include "ingest/parse.h"
#include "ingest/save.h"
#include "ingest/source.h"

/* Temporary files start with a dot, which no saved name does. */
#define TMP_PREFIX ".mailclerk-tmp."
/* Seconds after which a temporary file is a killed run's, not a live one's. */
#define TMP_MAX_AGE 3600

/* What a saver knows of one destination folder. */
struct folder {
	int fd;               /* -1: it does not exist yet (dry run) */
	GHashTable *names;    /* folded name -> NULL: every name taken */
	GHashTable *unhashed; /* size (gint64 *) -> GPtrArray of names of files not hashed yet */
	GHashTable *hashes;   /* hex SHA-256 -> name of a file holding those bytes */
};

static void
folder_free(gpointer data)
{
	struct folder *f = data;
	if (f->fd >= 0)
		close(f->fd);
	g_hash_table_unref(f->names);
	g_hash_table_unref(f->unhashed);
	g_hash_table_unref(f->hashes);
	g_free(f);
}

struct saver {
	gboolean dry_run;
	GHashTable *folders; /* dir -> struct folder * */
	/* The message being saved: its file is read once for all its parts,
	 * and a part decoded once for all its destinations. */
	gint64 message;                   /* its id, 0 for none */
	GBytes *raw;                      /* its bytes, or NULL */
	struct attachment_source *source; /* RAW parsed, or NULL */
	GHashTable *parts;                /* part path -> decoded GBytes */
};

struct saver *
saver_new(gboolean dry_run)
{
	struct saver *s = g_new0(struct saver, 1);
	s->dry_run = dry_run;
	s->folders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, folder_free);
	s->parts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	return s;
}

void
saver_free(struct saver *s)
{
	if (!s)
		return;
	g_hash_table_unref(s->folders);
	g_clear_pointer(&s->source, attachment_source_free);
	g_clear_pointer(&s->raw, g_bytes_unref);
	g_hash_table_unref(s->parts);
	g_free(s);
}

/* Returns the decoded bytes of attachment A of message R (owned by S), or
 * NULL and ERROR. */
static GBytes *
saver_part_bytes(struct saver *s, const struct stored_message *r, const struct mc_attachment *a,
                 GError **error)
{
	if (s->message != r->id) {
		g_clear_pointer(&s->source, attachment_source_free);
		g_clear_pointer(&s->raw, g_bytes_unref);
		g_hash_table_remove_all(s->parts);
		s->message = r->id;
	}
	GBytes *bytes = g_hash_table_lookup(s->parts, a->part);
	if (bytes)
		return bytes;
	if (!s->raw && !(s->raw = source_read_copy(r->id, r->locations, error)))
		return NULL;
	gsize len;
	const char *data = g_bytes_get_data(s->raw, &len);
	if (!s->source && !(s->source = attachment_source_open(data, len, error)))
		return NULL;
	bytes = attachment_source_bytes(s->source, a->part, error);
	if (bytes)
		g_hash_table_insert(s->parts, g_strdup(a->part), bytes);
	return bytes;
}

/* Returns NAME as names are compared: NFC, case folded. "Report.pdf" and
 * "report.pdf" are one file on the file systems people copy folders to. */
static char *
fold_name(const char *name)
{
	/* A name already in the folder need not be UTF-8 (a Latin-1 file of the
	 * user's); GLib's normalising reads past invalid sequences. */
	g_autofree char *valid = g_utf8_make_valid(name, -1);
	g_autofree char *nfc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFC);
	return g_utf8_casefold(nfc ? nfc : valid, -1);
}

static void
folder_take_name(struct folder *f, const char *name)
{
	g_hash_table_add(f->names, fold_name(name));
}

/* Reads what folder F (open as F->fd) holds: every name, and the regular
 * files by size. Temporary files a killed run left behind are removed. */
static gboolean
folder_scan(struct folder *f, const char *dir, gboolean dry_run, GError **error)
{
	int fd = dup(f->fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", dir, g_strerror(errno));
		return FALSE;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (g_str_equal(e->d_name, ".") || g_str_equal(e->d_name, ".."))
			continue;
		if (g_str_has_prefix(e->d_name, TMP_PREFIX)) {
			/* Left by a killed run; a recent one may be another save
			 * writing into this folder right now. */
			struct stat tst;
			if (!dry_run && fstatat(f->fd, e->d_name, &tst, AT_SYMLINK_NOFOLLOW) == 0 &&
			    tst.st_mtime < time(NULL) - TMP_MAX_AGE)
				unlinkat(f->fd, e->d_name, 0);
			continue;
		}
		folder_take_name(f, e->d_name);
		struct stat st;
		if (fstatat(f->fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		gint64 size = st.st_size;
		GPtrArray *list = g_hash_table_lookup(f->unhashed, &size);
		if (!list) {
			list = g_ptr_array_new_with_free_func(g_free);
			g_hash_table_insert(f->unhashed, g_memdup2(&size, sizeof size), list);
		}
		g_ptr_array_add(list, g_strdup(e->d_name));
	}
	closedir(d);
	return TRUE;
}

/* Returns folder DIR, opened (and created, unless a dry run) and scanned
 * on first use; owned by S. */
static struct folder *
saver_folder(struct saver *s, const char *dir, GError **error)
{
	struct folder *f = g_hash_table_lookup(s->folders, dir);
	if (f)
		return f;
	f = g_new0(struct folder, 1);
	f->fd = -1;
	f->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	f->unhashed = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                    (GDestroyNotify)g_ptr_array_unref);
	f->hashes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!s->dry_run && g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create folder %s: %s", dir,
		            g_strerror(errno));
		folder_free(f);
		return NULL;
	}
	f->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->fd < 0 && !(s->dry_run && errno == ENOENT)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot open folder %s: %s", dir,
		            g_strerror(errno));
		folder_free(f);
		return NULL;
	}
	if (f->fd >= 0 && !folder_scan(f, dir, s->dry_run, error)) {
		folder_free(f);
		return NULL;
	}
	g_hash_table_insert(s->folders, g_strdup(dir), f);
	return f;
}

/* Returns the hex SHA-256 of file NAME in folder F, or NULL when it cannot
 * be read as a regular file; the caller frees it. */
static char *
hash_file(struct folder *f, const char *name)
{
	int fd = openat(f->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	struct sha256_stream sum;
	sha256_stream_init(&sum);
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sha256_stream_update(&sum, buf, n);
	close(fd);
	char hex[SHA256_HEX_SIZE];
	sha256_stream_finish(&sum, hex);
	return n < 0 ? NULL : g_strdup(hex);
}

/* Returns the name of a file in F holding SIZE bytes with SHA256, or NULL. */
static const char *
folder_find(struct folder *f, const char *sha256, gint64 size)
{
	GPtrArray *list = g_hash_table_lookup(f->unhashed, &size);
	if (list) {
		for (guint i = 0; i < list->len; i++) {
			const char *name = g_ptr_array_index(list, i);
			char *hash = hash_file(f, name);
			if (hash && !g_hash_table_contains(f->hashes, hash))
				g_hash_table_insert(f->hashes, hash, g_strdup(name));
			else
				g_free(hash);
		}
		g_hash_table_remove(f->unhashed, &size);
	}
	return g_hash_table_lookup(f->hashes, sha256);
}

/* Returns a name from BASE that F does not hold yet: BASE, "BASE (2)", ... */
static char *
folder_free_name(struct folder *f, const char *base)
{
	char *name = g_strdup(base);
	for (guint n = 2; n < G_MAXUINT; n++) {
		g_autofree char *folded = fold_name(name);
		if (!g_hash_table_contains(f->names, folded))
			break;
		g_free(name);
		name = filename_numbered(base, n);
	}
	return name;
}

/* Renames FROM in folder FROM_FD to NAME in folder TO_FD unless NAME
 * exists; errno EEXIST then. */
static int
rename_noreplace(int from_fd, const char *from, int to_fd, const char *name)
{
	if (renameat2(from_fd, from, to_fd, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: a hard link fails on an
	 * existing name just the same. */
	if (linkat(from_fd, from, to_fd, name, 0) != 0)
		return -1;
	unlinkat(from_fd, from, 0);
	return 0;
}

/* Writes DATA into folder F under a free name made from BASE; returns that
 * name (the caller frees it), or NULL and ERROR. */
static char *
folder_write(struct folder *f, const char *dir, const char *base, GBytes *data, GError **error)
{
	char tmp[64];
	int fd = -1;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		g_snprintf(tmp, sizeof tmp, TMP_PREFIX "%08x%08x", g_random_int(), g_random_int());
		fd = openat(f->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create a file in %s: %s", dir,
		            g_strerror(errno));
		return NULL;
	}
	gsize len;
	const guint8 *bytes = g_bytes_get_data(data, &len);
	if (!fileio_write_all(fd, bytes, len) || fsync(fd) != 0) {
		int saved = errno;
		close(fd);
		unlinkat(f->fd, tmp, 0);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot write to %s: %s", dir,
		            g_strerror(saved));
		return NULL;
	}
	close(fd);
	for (;;) {
		char *name = folder_free_name(f, base);
		if (rename_noreplace(f->fd, tmp, f->fd, name) == 0) {
			fsync(f->fd);
			folder_take_name(f, name);
			return name;
		}
		int saved = errno;
		if (saved == EEXIST) {
			/* Made since the folder was read: take the next name. */
			folder_take_name(f, name);
			g_free(name);
			continue;
		}
		unlinkat(f->fd, tmp, 0);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot save %s/%s: %s", dir, name,
		            g_strerror(saved));
		g_free(name);
		return NULL;
	}
}

/* Returns the name saving A of R into DEST would start from; the caller
 * frees it. */
static char *
destination_base(const struct save_destination *dest, const struct stored_message *r,
                 const struct mc_attachment *a)
{
	g_autofree char *day = date_day(r->date, "0000-00-00");
	struct filename_fields fields = {
		.date = day,
		.client = dest->client,
		.project = dest->project,
		.from = r->from.address,
		.subject = r->subject,
		.filename = a->filename,
		.mime_type = a->mime_type,
		.sha256 = a->sha256,
	};
	return filename_expand(dest->template, &fields);
}

enum save_outcome
saver_save(struct saver *s, const struct save_destination *dest, const struct stored_message *r,
           const struct mc_attachment *a, char **path, char *sha256, gint64 *size, GError **error)
{
	struct folder *f = saver_folder(s, dest->dir, error);
	if (!f)
		return SAVE_FAILED;
	g_strlcpy(sha256, a->sha256, SHA256_HEX_SIZE);
	*size = a->size;
	const char *have = folder_find(f, a->sha256, a->size);
	if (have) {
		*path = g_build_filename(dest->dir, have, NULL);
		return SAVE_DUPLICATE;
	}

	g_autofree char *base = destination_base(dest, r, a);
	if (s->dry_run) {
		char *name = folder_free_name(f, base);
		folder_take_name(f, name);
		g_hash_table_insert(f->hashes, g_strdup(a->sha256), g_strdup(name));
		*path = g_build_filename(dest->dir, name, NULL);
		g_free(name);
		return SAVE_SAVED;
	}

	GBytes *bytes = saver_part_bytes(s, r, a, error);
	if (!bytes)
		return SAVE_FAILED;
	/* The file may have changed since it was indexed: dedupe on what is
	 * really written. */
	sha256_hex(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), sha256);
	*size = g_bytes_get_size(bytes);
	if (!g_str_equal(sha256, a->sha256)) {
		have = folder_find(f, sha256, *size);
		if (have) {
			*path = g_build_filename(dest->dir, have, NULL);
			return SAVE_DUPLICATE;
		}
	}
	g_autofree char *name = folder_write(f, dest->dir, base, bytes, error);
	if (!name)
		return SAVE_FAILED;
	g_hash_table_insert(f->hashes, g_strdup(sha256), g_strdup(name));
	*path = g_build_filename(dest->dir, name, NULL);
	return SAVE_SAVED;
}

gboolean
saver_find(struct saver *s, const struct save_destination *dest, const char *sha256, gint64 size,
           char **path, GError **error)
{
	*path = NULL;
	struct folder *f = saver_folder(s, dest->dir, error);
	if (!f)
		return FALSE;
	const char *have = folder_find(f, sha256, size);
	if (have)
		*path = g_build_filename(dest->dir, have, NULL);
	return TRUE;
}

gboolean
save_file_unchanged(const char *path, gint64 size, const char *sha256)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return FALSE;
	struct stat st;
	gboolean same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == size;
	if (same) {
		struct sha256_stream sum;
		sha256_stream_init(&sum);
		char buf[65536];
		ssize_t n;
		while ((n = read(fd, buf, sizeof buf)) > 0)
			sha256_stream_update(&sum, buf, n);
		char hex[SHA256_HEX_SIZE];
		sha256_stream_finish(&sum, hex);
		same = n == 0 && g_str_equal(hex, sha256);
	}
	close(fd);
	return same;
}

/* Forgets file PATH in the folders S has read, as it has been moved away or
 * removed: it is no duplicate any more, and its name is free. */
static void
saver_forget(struct saver *s, const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *name = g_path_get_basename(path);
	struct folder *f = g_hash_table_lookup(s->folders, dir);
	if (!f)
		return;
	g_autofree char *folded = fold_name(name);
	g_hash_table_remove(f->names, folded);
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, f->hashes);
	while (g_hash_table_iter_next(&it, NULL, &value))
		if (g_str_equal(value, name))
			g_hash_table_iter_remove(&it);
	g_hash_table_iter_init(&it, f->unhashed);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		GPtrArray *list = value;
		for (guint i = 0; i < list->len; i++)
			if (g_str_equal(g_ptr_array_index(list, i), name))
				g_ptr_array_remove_index(list, i--);
	}
}

gboolean
save_test_hook(const char *point)
{
#ifdef MC_TEST_HOOKS
	const char *list = g_getenv("MAILCLERK_TEST_MOVE");
	if (!list || !*list)
		return FALSE;
	g_auto(GStrv) points = g_strsplit(list, ",", -1);
	if (!g_strv_contains((const char *const *)points, point))
		return FALSE;
	if (g_str_has_prefix(point, "kill-")) {
		fflush(NULL);
		raise(SIGKILL);
	}
	return TRUE;
#else
	(void)point;
	return FALSE;
#endif
}

/* Renames FROM_NAME in folder FROM_FD to NAME in folder TO_FD unless NAME
 * exists (errno EEXIST then); EXDEV between file systems. */
static int
move_noreplace(int from_fd, const char *from_name, int to_fd, const char *name)
{
	if (save_test_hook("exdev")) {
		errno = EXDEV;
		return -1;
	}
	return rename_noreplace(from_fd, from_name, to_fd, name);
}

/* Copies FROM_NAME of folder FROM_FD into a new temporary file of folder F,
 * fsynced, checking that its bytes still hash to SHA256; writes the
 * temporary name into TMP (64 bytes). FALSE and ERROR otherwise, nothing
 * left behind. */
static gboolean
copy_to_temporary(int from_fd, const char *from_name, const char *from, struct folder *f,
                  const char *dir, const char *sha256, char *tmp, GError **error)
{
	int in = openat(from_fd, from_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (in < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot read %s: %s", from,
		            g_strerror(errno));
		return FALSE;
	}
	int out = -1;
	for (int tries = 0; out < 0 && tries < 100; tries++) {
		g_snprintf(tmp, 64, TMP_PREFIX "%08x%08x", g_random_int(), g_random_int());
		out =
		    openat(f->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (out < 0 && errno != EEXIST)
			break;
	}
	if (out < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create a file in %s: %s", dir,
		            g_strerror(errno));
		close(in);
		return FALSE;
	}
	struct sha256_stream sum;
	sha256_stream_init(&sum);
	char buf[65536];
	int err = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || !fileio_write_all(out, buf, n)) {
			err = errno;
			break;
		}
		sha256_stream_update(&sum, buf, n);
	}
	if (!err && fsync(out) != 0)
		err = errno;
	gboolean ok = err == 0;
	int saved = err;
	close(in);
	close(out);
	char hex[SHA256_HEX_SIZE];
	sha256_stream_finish(&sum, hex);
	if (ok && g_str_equal(hex, sha256))
		return TRUE;
	unlinkat(f->fd, tmp, 0);
	if (ok)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s changed while it was moved",
		            from);
	else
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot copy %s to %s: %s", from, dir,
		            g_strerror(saved));
	return FALSE;
}

gboolean
saver_move(struct saver *s, const struct save_destination *dest, const struct stored_message *r,
           const struct mc_attachment *a, const char *from, const char *sha256,
           saver_move_fn before, gpointer data, char **path, GError **error)
{
	struct folder *f = saver_folder(s, dest->dir, error);
	if (!f)
		return FALSE;
	g_autofree char *base = destination_base(dest, r, a);
	if (s->dry_run) {
		saver_forget(s, from);
		g_autofree char *name = folder_free_name(f, base);
		folder_take_name(f, name);
		g_hash_table_insert(f->hashes, g_strdup(sha256), g_strdup(name));
		*path = g_build_filename(dest->dir, name, NULL);
		return TRUE;
	}
	g_autofree char *from_dir = g_path_get_dirname(from);
	g_autofree char *from_name = g_path_get_basename(from);
	int from_fd = open(from_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from_fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot open folder %s: %s", from_dir,
		            g_strerror(errno));
		return FALSE;
	}
	/* Across file systems the file is first copied beside its new name. */
	char tmp[64] = "";
	gboolean copied = FALSE;
	for (;;) {
		g_autofree char *name = folder_free_name(f, base);
		g_autofree char *to = g_build_filename(dest->dir, name, NULL);
		if (!before(from, to, data, error))
			break;
		save_test_hook("kill-before-move");
		int rc = copied ? rename_noreplace(f->fd, tmp, f->fd, name)
		                : move_noreplace(from_fd, from_name, f->fd, name);
		if (rc == 0) {
			fsync(f->fd);
			folder_take_name(f, name);
			g_hash_table_insert(f->hashes, g_strdup(sha256), g_strdup(name));
			if (copied) {
				save_test_hook("kill-before-unlink");
				if (unlinkat(from_fd, from_name, 0) != 0)
					g_printerr(
					    "mailclerk: copied %s to %s but cannot remove it: "
					    "%s\n",
					    from, to, g_strerror(errno));
			}
			fsync(from_fd);
			close(from_fd);
			saver_forget(s, from);
			*path = g_steal_pointer(&to);
			return TRUE;
		}
		int saved = errno;
		if (saved == EEXIST) {
			/* Made since the folder was read: take the next name. */
			folder_take_name(f, name);
			continue;
		}
		if (saved == EXDEV && !copied) {
			if (!copy_to_temporary(from_fd, from_name, from, f, dest->dir, sha256, tmp,
			                       error))
				break;
			copied = TRUE;
			continue;
		}
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot move %s to %s: %s", from, to,
		            g_strerror(saved));
		break;
	}
	if (copied)
		unlinkat(f->fd, tmp, 0);
	close(from_fd);
	return FALSE;
}

gboolean
saver_remove(struct saver *s, const char *path, GError **error)
{
	saver_forget(s, path);
	if (s->dry_run)
		return TRUE;
	g_autofree char *dir = g_path_get_dirname(path);
	if (unlink(path) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot remove %s: %s", path,
		            g_strerror(errno));
		return FALSE;
	}
	fileio_fsync_dir(dir);
	return TRUE;
}
