/* Choosing the one file per message a mail client opens, and the cache
 * Maildir of messages extracted from mboxes (mutt cannot open one message
 * of an mbox by path). Names in the cache come from the Message-ID's hash,
 * never from mail. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ingest/message-file.h"
#include "ingest/source.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/paths.h"
#include "common/sha256.h"

struct message_files {
	char *root;           /* the cache Maildir */
	GHashTable *cached;   /* message key (before the first '.') -> file name in cur/; NULL
	                       * until read */
	GHashTable *listings; /* maildir_find_moved()'s folders read so far */
	GPtrArray *problems;
	guint left_out;
};

struct message_files *
message_files_new(const char *db_path)
{
	struct message_files *mf = g_new0(struct message_files, 1);
	mf->root = paths_mbox_cache(db_path);
	mf->listings = maildir_listings_new();
	mf->problems = g_ptr_array_new_with_free_func(g_free);
	return mf;
}

void
message_files_free(struct message_files *mf)
{
	if (!mf)
		return;
	g_free(mf->root);
	g_clear_pointer(&mf->cached, g_hash_table_unref);
	g_hash_table_unref(mf->listings);
	g_ptr_array_unref(mf->problems);
	g_free(mf);
}

const GPtrArray *
message_files_problems(const struct message_files *mf)
{
	return mf->problems;
}

guint
message_files_left_out(const struct message_files *mf)
{
	return mf->left_out;
}

GHashTable *
maildir_listings_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                             (GDestroyNotify)g_hash_table_unref);
}

/* Returns DIR's files by unique name (what precedes ':'), read once into
 * LISTINGS; an unreadable DIR has none. */
static GHashTable *
maildir_listing(GHashTable *listings, const char *dir)
{
	GHashTable *names = g_hash_table_lookup(listings, dir);
	if (names)
		return names;
	names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d)))
		if (name[0] != '.')
			g_hash_table_insert(names, g_strndup(name, strcspn(name, ":")),
			                    g_strdup(name));
	g_hash_table_insert(listings, g_strdup(dir), names);
	return names;
}

char *
maildir_find_moved(GHashTable *listings, const char *path)
{
	g_autoptr(GHashTable) own = listings ? NULL : maildir_listings_new();
	g_autofree char *base = g_path_get_basename(path);
	g_autofree char *sub = g_path_get_dirname(path);
	g_autofree char *folder = g_path_get_dirname(sub);
	g_autofree char *uniq = g_strndup(base, strcspn(base, ":"));
	static const char *const subs[] = { "cur", "new" };
	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *dir = g_build_filename(folder, subs[i], NULL);
		const char *name =
		    g_hash_table_lookup(maildir_listing(listings ? listings : own, dir), uniq);
		g_autofree char *now = name ? g_build_filename(dir, name, NULL) : NULL;
		if (now && g_file_test(now, G_FILE_TEST_IS_REGULAR))
			return g_steal_pointer(&now);
	}
	return NULL;
}

static void
problem(struct message_files *mf, char *line)
{
	if (!g_ptr_array_find_with_equal_func(mf->problems, line, g_str_equal, NULL))
		g_ptr_array_add(mf->problems, line);
	else
		g_free(line);
}

/* Makes the cache Maildir and reads the names in its cur/, once a run:
 * one listing, not a look-up per message. */
static gboolean
open_cache(struct message_files *mf, GError **error)
{
	if (mf->cached)
		return TRUE;
	if (!fileio_make_maildir(mf->root, error)) {
		g_prefix_error(error, "the cache of mbox messages: ");
		return FALSE;
	}
	g_autofree char *cur = g_build_filename(mf->root, "cur", NULL);
	g_autoptr(GDir) d = g_dir_open(cur, 0, error);
	if (!d)
		return FALSE;
	mf->cached = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *name;
	while ((name = g_dir_read_name(d))) {
		const char *dot = strchr(name, '.');
		char *key = dot ? g_strndup(name, dot - name) : g_strdup(name);
		g_hash_table_replace(mf->cached, key, g_strdup(name));
	}
	return TRUE;
}

/* Writes DATA into tmp/ under a name of this process, makes it durable and
 * renames it to cur/NAME. */
static gboolean
write_cached(struct message_files *mf, const char *name, GBytes *data, GError **error)
{
	g_autofree char *tmp_name = g_strdup_printf("%s.%d.tmp", name, (int)getpid());
	g_autofree char *tmp = g_build_filename(mf->root, "tmp", tmp_name, NULL);
	g_autofree char *cur = g_build_filename(mf->root, "cur", NULL);
	g_autofree char *dest = g_build_filename(cur, name, NULL);
	/* A killed run's leftover of this very name is ours to replace. */
	(void)g_unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	gsize len;
	const void *bytes = g_bytes_get_data(data, &len);
	gboolean ok = fd >= 0 && fileio_write_all(fd, bytes, len) && fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (ok && rename(tmp, dest) == 0 && fileio_fsync_dir(cur))
		return TRUE;
	saved = ok ? errno : saved;
	(void)g_unlink(tmp);
	g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot write %s: %s", dest,
	            g_strerror(saved));
	return FALSE;
}

/* Returns the cached file of mbox copy L of M, extracting it when the cache
 * lacks it; NULL without ERROR when the mbox no longer holds it (REASON
 * set), NULL and ERROR when the cache cannot be written. */
static char *
cached_copy(struct message_files *mf, const struct stored_message *m, const struct mc_location *l,
            char **reason, GError **error)
{
	if (!open_cache(mf, error))
		return NULL;
	char hash[SHA256_HEX_SIZE];
	sha256_hex(m->message_id, strlen(m->message_id), hash);
	/* The message (128 bits of its Message-ID's hash), then the bytes (the
	 * copy's fingerprint): an mbox rewritten with other bytes for it is
	 * extracted again, replacing the old file. */
	g_autofree char *key = g_strndup(hash, 32);
	g_autofree char *unique = g_strdup_printf("%s.%016" G_GINT64_MODIFIER "x.mailclerk", key,
	                                          (guint64)l->fingerprint);
	g_autofree char *info = mc_flags_info(l->flags);
	g_autofree char *name = g_strconcat(unique, *info ? info : ":2,", NULL);
	g_autofree char *path = g_build_filename(mf->root, "cur", name, NULL);
	const char *have = g_hash_table_lookup(mf->cached, key);
	g_autofree char *old = have ? g_build_filename(mf->root, "cur", have, NULL) : NULL;
	if (have && g_str_equal(have, name))
		return g_steal_pointer(&path);
	if (have && g_str_has_prefix(have, unique) && have[strlen(unique)] == ':') {
		/* Only the flags differ: the mbox's are the ones to show. */
		if (rename(old, path) == 0) {
			g_hash_table_replace(mf->cached, g_strdup(key), g_strdup(name));
			return g_steal_pointer(&path);
		}
		if (errno != ENOENT) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot rename %s: %s", old,
			            g_strerror(errno));
			return NULL;
		}
	}
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) data = mbox_read_message(l->path, l->offset, l->length, &local);
	if (!data && local->code != MC_ERROR_NOT_FOUND) {
		*reason = g_strdup(local->message);
		return NULL;
	}
	/* Offsets move when a mail client rewrites the mbox: the bytes there
	 * must still be the ones indexed. */
	gsize len = 0;
	const guint8 *bytes = data ? g_bytes_get_data(data, &len) : NULL;
	if (!data || mbox_fingerprint(bytes, len) != l->fingerprint) {
		*reason = g_strdup_printf(
		    "%s: changed since it was indexed; run 'mailclerk ingest'", l->path);
		return NULL;
	}
	if (!write_cached(mf, name, data, error))
		return NULL;
	if (old)
		(void)g_unlink(old); /* the message's earlier bytes */
	g_hash_table_replace(mf->cached, g_strdup(key), g_strdup(name));
	return g_steal_pointer(&path);
}

/* Orders copies as they are preferred: maildir, file, mbox; within a
 * kind, the most recently found first. */
static int
rank(const struct mc_location *l)
{
	return g_str_equal(l->kind, "maildir") ? 0 : g_str_equal(l->kind, "file") ? 1 : 2;
}

static gint
compare_copies(gconstpointer a, gconstpointer b)
{
	const struct mc_location *x = *(const struct mc_location *const *)a;
	const struct mc_location *y = *(const struct mc_location *const *)b;
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

char *
message_files_path(struct message_files *mf, const struct stored_message *m, GError **error)
{
	g_autoptr(GPtrArray) copies = g_ptr_array_copy(m->locations, NULL, NULL);
	g_ptr_array_set_free_func(copies, NULL); /* borrowed: copy keeps M's */
	g_ptr_array_sort(copies, compare_copies);
	g_autofree char *reason = NULL;
	for (guint i = 0; i < copies->len; i++) {
		const struct mc_location *l = g_ptr_array_index(copies, i);
		char *why = NULL;
		if (rank(l) < 2) {
			struct stat st;
			if (stat(l->path, &st) == 0)
				return g_strdup(l->path);
			char *moved = g_str_equal(l->kind, "maildir") && errno == ENOENT
			                  ? maildir_find_moved(mf->listings, l->path)
			                  : NULL;
			if (moved)
				return moved;
			why = g_strdup_printf("%s: %s; run 'mailclerk ingest'", l->path,
			                      g_strerror(errno));
		} else {
			char *path = cached_copy(mf, m, l, &why, error);
			if (path || !why)
				return path;
		}
		if (!reason)
			reason = why;
		else
			g_free(why);
	}
	mf->left_out++;
	problem(mf, reason ? g_steal_pointer(&reason)
	                   : g_strdup_printf("message %" G_GINT64_FORMAT " has no copy", m->id));
	return NULL;
}
