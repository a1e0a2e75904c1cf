/* Maildir trees: the root and every maildir below it, Maildir++ dot-folders
 * (".Archive.2023" is the folder "Archive/2023") and nested trees
 * ("Projects/Website"). A folder whose cur/ and new/ mtimes have not changed
 * since the last scan is skipped without reading its files, as notmuch does. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/source.h"
#include "common/error.h"

/* Deeper trees than this are surely a loop or a mistake; they are reported. */
#define MAILDIR_MAX_DEPTH 32

struct maildir_scan {
	struct source *src;
	struct source_sink *sink;
	GHashTable *visited; /* containers seen this run */
	gint64 now_ns;
	gboolean counting; /* the first pass: only count what the second will add */
	guint64 count;
};

/* Returns the number of regular, non-hidden entries of DIR. */
static guint64
count_files(const char *dir)
{
	guint64 n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && (e->d_type == DT_REG || e->d_type == DT_UNKNOWN))
			n++;
	closedir(d);
	return n;
}

/* Returns the folder name for DIR relative to the root REL ("" for the root). */
static char *
maildir_folder_name(const char *rel)
{
	if (!*rel)
		return g_strdup("INBOX");
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	GString *name = g_string_new(NULL);
	for (char **p = parts; *p; p++) {
		if (name->len)
			g_string_append_c(name, '/');
		/* Maildir++: ".Archive.2023" stands for Archive/2023. */
		if ((*p)[0] == '.' && (*p)[1]) {
			g_autofree char *inner = g_strdup(*p + 1);
			g_strdelimit(inner, ".", '/');
			g_string_append(name, inner);
		} else {
			g_string_append(name, *p);
		}
	}
	return g_string_free(name, FALSE);
}

/* Maildir file names are "unique[:2,FLAGS]"; the unique part names the
 * message for as long as it lives in this folder, the rest (INFO) changes
 * with its flags. */
static void
maildir_split_name(const char *name, char **uniq, char **info)
{
	const char *colon = strchr(name, ':');
	if (!colon) {
		*uniq = g_strdup(name);
		*info = g_strdup("");
		return;
	}
	*uniq = g_strndup(name, colon - name);
	*info = g_strdup(colon);
}

static gboolean
is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
maildir_scan_subdir(struct maildir_scan *ms, const char *container, const char *folder,
                    const char *sub, GHashTable *known, GHashTable *seen)
{
	g_autofree char *dir = g_build_filename(container, sub, NULL);
	DIR *d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			ms->sink->skipped(ms->sink, dir, g_strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		g_autofree char *path = g_build_filename(dir, e->d_name, NULL);
		if (e->d_type != DT_REG) {
			struct stat st;
			if (e->d_type != DT_UNKNOWN || stat(path, &st) < 0 ||
			    !S_ISREG(st.st_mode)) {
				if (e->d_type != DT_DIR)
					ms->sink->skipped(ms->sink, path, "not a regular file");
				continue;
			}
		}
		g_autofree char *uniq = NULL, *info = NULL;
		maildir_split_name(e->d_name, &uniq, &info);
		const char *where = sub;
		if (g_hash_table_contains(seen, uniq)) {
			/* Two files with one unique name (in cur/ and new/): index both;
			 * the second is known by its whole relative path. */
			g_free(uniq);
			g_free(info);
			uniq = g_strconcat(sub, "/", e->d_name, NULL);
			info = g_strdup("");
			where = "";
		}
		const struct known_location *kl = g_hash_table_lookup(known, uniq);
		g_hash_table_add(seen, g_strdup(uniq));
		if (kl) {
			if (!g_str_equal(kl->sub, where) || !g_str_equal(kl->info, info))
				ms->sink->moved(ms->sink, kl->id, where, info);
			continue;
		}
		struct source_item *item = g_new0(struct source_item, 1);
		item->source = g_strdup(ms->src->name);
		item->kind = "maildir";
		item->container = g_strdup(container);
		item->folder = g_strdup(folder);
		item->name = g_steal_pointer(&uniq);
		item->sub = g_strdup(where);
		item->info = g_steal_pointer(&info);
		item->path = g_steal_pointer(&path);
		ms->sink->add(ms->sink, item);
	}
	closedir(d);
}

/* Scans one maildir folder (a directory with cur/ and/or new/). */
static void
maildir_scan_folder(struct maildir_scan *ms, const char *container, const char *rel)
{
	g_hash_table_add(ms->visited, g_strdup(container));
	g_autofree char *cur = g_build_filename(container, "cur", NULL);
	g_autofree char *new = g_build_filename(container, "new", NULL);
	struct stat st;
	gint64 mtime = 0;
	if (stat(cur, &st) == 0)
		mtime = MAX(mtime, STAT_MTIME_NS(st));
	if (stat(new, &st) == 0)
		mtime = MAX(mtime, STAT_MTIME_NS(st));

	gint64 old_mtime = 0, old_size = 0;
	if (ms->sink->container_state(ms->sink, container, &old_mtime, &old_size) &&
	    old_mtime == mtime)
		return;

	g_autoptr(GHashTable) known = ms->sink->known_locations(ms->sink, container);
	if (ms->counting) {
		guint64 files = count_files(cur) + count_files(new);
		guint known_n = g_hash_table_size(known);
		ms->count += files > known_n ? files - known_n : 0;
		return;
	}
	g_autofree char *folder = maildir_folder_name(rel);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	maildir_scan_subdir(ms, container, folder, "cur", known, seen);
	maildir_scan_subdir(ms, container, folder, "new", known, seen);

	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (!g_hash_table_contains(seen, key))
			ms->sink->gone(ms->sink, ((struct known_location *)value)->id);

	/* A directory changed within the last two seconds may change again within
	 * the same mtime tick; leave it unrecorded so the next run looks again. */
	if (ms->now_ns - mtime > 2 * G_GINT64_CONSTANT(1000000000))
		ms->sink->container_done(ms->sink, container, mtime, 0);
}

static void
maildir_walk(struct maildir_scan *ms, const char *dir, const char *rel, int depth)
{
	if (depth > MAILDIR_MAX_DEPTH) {
		if (!ms->counting)
			ms->sink->skipped(ms->sink, dir, "maildir tree nested too deeply");
		return;
	}
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autofree char *new = g_build_filename(dir, "new", NULL);
	if (is_dir(cur) || is_dir(new))
		maildir_scan_folder(ms, dir, rel);

	DIR *d = opendir(dir);
	if (!d) {
		if (!ms->counting)
			ms->sink->skipped(ms->sink, dir, g_strerror(errno));
		return;
	}
	g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (g_str_equal(n, ".") || g_str_equal(n, "..") || g_str_equal(n, "cur") ||
		    g_str_equal(n, "new") || g_str_equal(n, "tmp"))
			continue;
		/* Other indexers keep their databases inside the tree. */
		if (g_str_equal(n, ".notmuch") || g_str_equal(n, ".mu") ||
		    g_str_equal(n, ".mairix"))
			continue;
		if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN)
			g_ptr_array_add(subdirs, g_strdup(n));
	}
	closedir(d);
	g_ptr_array_sort(subdirs, source_compare_strings);
	for (guint i = 0; i < subdirs->len; i++) {
		const char *n = g_ptr_array_index(subdirs, i);
		g_autofree char *path = g_build_filename(dir, n, NULL);
		if (!is_dir(path)) /* symlinks are not followed: no loops */
			continue;
		g_autofree char *sub_rel = *rel ? g_strconcat(rel, "/", n, NULL) : g_strdup(n);
		maildir_walk(ms, path, sub_rel, depth + 1);
	}
}

static gboolean
maildir_scan(struct source *src, struct source_sink *sink, GError **error)
{
	if (!is_dir(src->path)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: not a maildir directory",
		            src->path);
		return FALSE;
	}
	struct maildir_scan ms = {
		.src = src,
		.sink = sink,
		.visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.now_ns = g_get_real_time() * 1000,
		.counting = TRUE,
	};
	/* A first pass counts the new files of the changed folders, so that
	 * progress can show an ETA; directory reads are cheap next to parsing. */
	maildir_walk(&ms, src->path, "", 0);
	sink->expect(sink, ms.count);
	ms.counting = FALSE;
	g_hash_table_remove_all(ms.visited);
	maildir_walk(&ms, src->path, "", 0);

	/* A folder deleted as a whole: every copy it held is gone. */
	g_autoptr(GPtrArray) known = sink->known_containers(sink, src->path);
	for (guint i = 0; i < known->len; i++) {
		const char *c = g_ptr_array_index(known, i);
		if (g_hash_table_contains(ms.visited, c) || is_dir(c))
			continue;
		g_autoptr(GHashTable) locs = sink->known_locations(sink, c);
		GHashTableIter it;
		gpointer value;
		g_hash_table_iter_init(&it, locs);
		while (g_hash_table_iter_next(&it, NULL, &value))
			sink->gone(sink, ((struct known_location *)value)->id);
		sink->container_done(sink, c, -1, 0);
	}
	g_hash_table_unref(ms.visited);
	return TRUE;
}

const struct source_ops maildir_source_ops = {
	.kind = "maildir",
	.scan = maildir_scan,
};
