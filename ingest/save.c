/* Saving attachments into folders: each content once, never overwriting. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

void
save_destination_free(gpointer destination)
{
	struct save_destination *d = destination;
	g_free(d->dir);
	g_free(d->template);
	g_free(d->client);
	g_free(d->project);
	g_free(d);
}

static struct save_destination *
destination_new(char *dir, const char *template, const char *client, const char *project)
{
	struct save_destination *d = g_new0(struct save_destination, 1);
	d->dir = dir;
	d->template = g_strdup(template);
	d->client = g_strdup(client);
	d->project = g_strdup(project);
	return d;
}

static void
add_destination(GPtrArray *dests, char *dir, const char *template, const char *client,
                const char *project)
{
	g_ptr_array_add(dests, destination_new(dir, template, client, project));
}

struct save_destination *
save_project_destination(const struct mc_config *cfg, const struct mc_project_config *p,
                         const char *root)
{
	return destination_new(save_project_folder(p, root),
	                       p->attachment_name     ? p->attachment_name
	                       : cfg->attachment_name ? cfg->attachment_name
	                                              : FILENAME_DEFAULT_TEMPLATE,
	                       p->client, p->key);
}

static const struct mc_project_config *
find_project(const struct mc_config *cfg, const char *client, const char *key)
{
	for (guint i = 0; i < cfg->projects->len; i++) {
		const struct mc_project_config *p = g_ptr_array_index(cfg->projects, i);
		if (g_str_equal(p->client, client) && g_str_equal(p->key, key))
			return p;
	}
	return NULL;
}

GPtrArray *
save_destinations(const struct mc_config *cfg, const struct stored_message *r, gboolean by_project,
                  const char *to_dir, const char *root)
{
	GPtrArray *dests = g_ptr_array_new_with_free_func(save_destination_free);
	const char *global =
	    cfg->attachment_name ? cfg->attachment_name : FILENAME_DEFAULT_TEMPLATE;
	if (!by_project) {
		const char *project = r->projects->len ? g_ptr_array_index(r->projects, 0) : NULL;
		const char *slash = project ? strchr(project, '/') : NULL;
		add_destination(dests, g_strdup(to_dir), global,
		                r->clients->len ? g_ptr_array_index(r->clients, 0) : NULL,
		                slash ? slash + 1 : NULL);
		return dests;
	}
	g_autoptr(GHashTable) clients_with_project = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < r->projects->len; i++) {
		const char *spec = g_ptr_array_index(r->projects, i);
		const char *slash = strchr(spec, '/');
		if (!slash)
			continue;
		g_autofree char *client = g_strndup(spec, slash - spec);
		const char *key = slash + 1;
		const struct mc_project_config *p = find_project(cfg, client, key);
		if (p)
			g_ptr_array_add(dests, save_project_destination(cfg, p, root));
		/* The index may hold keys of an older config. */
		else if (config_key_is_valid(client) && config_key_is_valid(key))
			add_destination(dests, g_build_filename(root, client, key, NULL), global,
			                client, key);
		else
			continue;
		g_hash_table_add(clients_with_project, (gpointer)g_intern_string(client));
	}
	for (guint i = 0; i < r->clients->len; i++) {
		const char *client = g_ptr_array_index(r->clients, i);
		if (g_hash_table_contains(clients_with_project, g_intern_string(client)) ||
		    !config_key_is_valid(client))
			continue;
		add_destination(dests, save_unsorted_folder(client, root), global, client, NULL);
	}
	if (r->clients->len == 0)
		add_destination(dests, g_build_filename(root, "_unfiled", NULL), global, NULL,
		                NULL);
	return dests;
}

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
	gint64 message;    /* its id, 0 for none */
	GBytes *raw;       /* its bytes, or NULL */
	GHashTable *parts; /* part path -> decoded GBytes */
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
	bytes = parse_attachment_bytes(data, len, a->part, error);
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

/* Moves TMP to NAME in folder FD unless NAME exists; errno EEXIST then. */
static int
rename_noreplace(int fd, const char *tmp, const char *name)
{
	if (renameat2(fd, tmp, fd, name, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: a hard link fails on an
	 * existing name just the same. */
	if (linkat(fd, tmp, fd, name, 0) != 0)
		return -1;
	unlinkat(fd, tmp, 0);
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
		if (rename_noreplace(f->fd, tmp, name) == 0) {
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

enum save_outcome
saver_save(struct saver *s, const struct save_destination *dest, const struct stored_message *r,
           const struct mc_attachment *a, char **path, GError **error)
{
	struct folder *f = saver_folder(s, dest->dir, error);
	if (!f)
		return SAVE_FAILED;
	const char *have = folder_find(f, a->sha256, a->size);
	if (have) {
		*path = g_build_filename(dest->dir, have, NULL);
		return SAVE_DUPLICATE;
	}

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
	g_autofree char *base = filename_expand(dest->template, &fields);
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
	char sha[SHA256_HEX_SIZE];
	sha256_hex(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), sha);
	if (!g_str_equal(sha, a->sha256)) {
		have = folder_find(f, sha, g_bytes_get_size(bytes));
		if (have) {
			*path = g_build_filename(dest->dir, have, NULL);
			return SAVE_DUPLICATE;
		}
	}
	g_autofree char *name = folder_write(f, dest->dir, base, bytes, error);
	if (!name)
		return SAVE_FAILED;
	g_hash_table_insert(f->hashes, g_strdup(sha), g_strdup(name));
	*path = g_build_filename(dest->dir, name, NULL);
	return SAVE_SAVED;
}

void
saver_save_message(struct saver *s, GPtrArray *dests, const struct stored_message *r,
                   gboolean include_inline, GString *out, guint *saved, guint *duplicates,
                   guint *failed)
{
	for (guint i = 0; i < r->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(r->attachments, i);
		if (a->is_inline && !include_inline)
			continue;
		for (guint k = 0; k < dests->len; k++) {
			g_autoptr(GError) error = NULL;
			g_autofree char *path = NULL;
			switch (saver_save(s, g_ptr_array_index(dests, k), r, a, &path, &error)) {
			case SAVE_SAVED:
				g_string_append_printf(out, "%s %s\n",
				                       s->dry_run ? "would save" : "saved", path);
				(*saved)++;
				break;
			case SAVE_DUPLICATE:
				g_string_append_printf(
				    out, "duplicate %s (message %" G_GINT64_FORMAT " part %s)\n",
				    path, r->id, a->part);
				(*duplicates)++;
				break;
			case SAVE_FAILED:
				fprintf(stderr,
				        "mailclerk: message %" G_GINT64_FORMAT " part %s: %s\n",
				        r->id, a->part, error->message);
				(*failed)++;
				break;
			}
		}
	}
}
