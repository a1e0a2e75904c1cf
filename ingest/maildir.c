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
/* Looking for an mbox to suggest, when a tree holds no maildir: this deep,
 * this many files at most. */
#define HINT_MAX_DEPTH 3
#define HINT_MAX_FILES 200

struct maildir_scan {
	struct source *src;
	struct source_sink *sink;
	GHashTable *visited;   /* containers seen this run */
	GPtrArray *unreadable; /* directories that could not be listed */
	gint64 now_ns;
	gboolean counting; /* the first pass: only count what the second will add */
	guint64 count;
	guint folders;   /* maildirs found (by the first pass) */
	gboolean unsure; /* a directory could not be read: maildirs may hide there */
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
maildir_folder_name(const char *rel, const char *root)
{
	if (!*rel)
		return g_strdup(root ? root : "INBOX");
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

/* Whether a directory is there. Only ENOENT and ENOTDIR mean it is not: an
 * unreadable or failing directory must never look like a deleted one, or its
 * mail would leave the index. */
enum presence { PRESENT, ABSENT, UNKNOWN };

static enum presence
dir_presence(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? PRESENT : ABSENT;
	return errno == ENOENT || errno == ENOTDIR ? ABSENT : UNKNOWN;
}

static gboolean
is_dir(const char *path)
{
	return dir_presence(path) == PRESENT;
}

/* A maildir has cur/ and new/ (and tmp/, which is never read). */
static enum presence
maildir_presence(const char *dir)
{
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autofree char *new = g_build_filename(dir, "new", NULL);
	enum presence c = dir_presence(cur), n = dir_presence(new);
	if (c == UNKNOWN || n == UNKNOWN)
		return UNKNOWN;
	return c == PRESENT && n == PRESENT ? PRESENT : ABSENT;
}

/* Returns the newest mtime of DIR's cur/ and new/ in nanoseconds. */
static gint64
maildir_mtime(const char *dir)
{
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autofree char *new = g_build_filename(dir, "new", NULL);
	struct stat st;
	gint64 mtime = 0;
	if (stat(cur, &st) == 0)
		mtime = MAX(mtime, STAT_MTIME_NS(st));
	if (stat(new, &st) == 0)
		mtime = MAX(mtime, STAT_MTIME_NS(st));
	return mtime;
}

/* Lists CONTAINER/SUB. Returns FALSE when it could not be read whole (then
 * nothing may be concluded about what is missing from it). */
static gboolean
maildir_scan_subdir(struct maildir_scan *ms, const char *container, const char *folder,
                    const char *sub, GHashTable *known, GHashTable *seen)
{
	g_autofree char *dir = g_build_filename(container, sub, NULL);
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return TRUE;
		ms->sink->skipped(ms->sink, dir, g_strerror(errno));
		return FALSE;
	}
	struct dirent *e;
	for (;;) {
		/* Stopping: the listing is not whole, so nothing is concluded. */
		if (ms->sink->stopping(ms->sink)) {
			closedir(d);
			return FALSE;
		}
		errno = 0;
		if (!(e = readdir(d)))
			break;
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
		/* Two files with one unique name (in cur/ and new/, or two flag
		 * sets) are both indexed; the second is known by its whole relative
		 * path, which is looked for first so that it is never taken for the
		 * other. Its info still says its flags (the path is the name). */
		g_autofree char *whole = g_strconcat(sub, "/", e->d_name, NULL);
		if (g_hash_table_contains(seen, uniq) || g_hash_table_contains(known, whole)) {
			const char *colon = strchr(e->d_name, ':');
			g_free(uniq);
			g_free(info);
			uniq = g_steal_pointer(&whole);
			info = g_strdup(colon ? colon : "");
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
	gboolean ok = errno == 0;
	if (!ok)
		ms->sink->skipped(ms->sink, dir, g_strerror(errno));
	closedir(d);
	return ok;
}

/* Scans one maildir folder. */
static void
maildir_scan_folder(struct maildir_scan *ms, const char *container, const char *rel)
{
	g_hash_table_add(ms->visited, g_strdup(container));
	if (!ms->counting && !ms->sink->claim(ms->sink, container))
		return;
	gint64 mtime = maildir_mtime(container);
	gint64 old_mtime = 0, old_size = 0;
	if (ms->sink->container_state(ms->sink, container, &old_mtime, &old_size) &&
	    old_mtime == mtime)
		return;

	g_autoptr(GHashTable) known = ms->sink->known_locations(ms->sink, container);
	if (!known)
		return;
	if (ms->counting) {
		g_autofree char *cur = g_build_filename(container, "cur", NULL);
		g_autofree char *new = g_build_filename(container, "new", NULL);
		guint64 files = count_files(cur) + count_files(new);
		guint known_n = g_hash_table_size(known);
		ms->count += files > known_n ? files - known_n : 0;
		return;
	}
	g_autofree char *folder = maildir_folder_name(rel, ms->src->root_folder);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gboolean whole = maildir_scan_subdir(ms, container, folder, "cur", known, seen);
	whole = maildir_scan_subdir(ms, container, folder, "new", known, seen) && whole;
	/* A file renamed from new/ to cur/ while they were being listed shows in
	 * neither: if the folder changed meanwhile, conclude nothing and look
	 * again next run. */
	if (!whole || maildir_mtime(container) != mtime)
		return;

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
	if (ms->sink->stopping(ms->sink))
		return;
	if (depth > MAILDIR_MAX_DEPTH) {
		ms->unsure = TRUE;
		if (!ms->counting)
			ms->sink->skipped(ms->sink, dir, "maildir tree nested too deeply");
		return;
	}
	enum presence here = maildir_presence(dir);
	gboolean is_maildir = here == PRESENT;
	if (here == UNKNOWN)
		ms->unsure = TRUE;
	if (is_maildir) {
		ms->folders++;
		maildir_scan_folder(ms, dir, rel);
	}

	DIR *d = opendir(dir);
	if (!d) {
		ms->unsure = TRUE;
		/* Nothing below it may be taken for deleted. */
		if (!ms->counting) {
			ms->sink->skipped(ms->sink, dir, g_strerror(errno));
			g_ptr_array_add(ms->unreadable, g_strdup(dir));
		}
		return;
	}
	g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		if (g_str_equal(n, ".") || g_str_equal(n, ".."))
			continue;
		/* A maildir's own cur/ new/ tmp/; elsewhere these are folder names. */
		if (is_maildir &&
		    (g_str_equal(n, "cur") || g_str_equal(n, "new") || g_str_equal(n, "tmp")))
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

/* Whether C is at or below a directory that could not be read. */
static gboolean
below_unreadable(struct maildir_scan *ms, const char *c)
{
	for (guint i = 0; i < ms->unreadable->len; i++) {
		const char *u = g_ptr_array_index(ms->unreadable, i);
		gsize n = strlen(u);
		if (strncmp(c, u, n) == 0 && (c[n] == '\0' || c[n] == '/'))
			return TRUE;
	}
	return FALSE;
}

gboolean
source_looks_like_maildir(const char *dir)
{
	if (maildir_presence(dir) == PRESENT)
		return TRUE;
	DIR *d = opendir(dir);
	if (!d)
		return FALSE;
	gboolean found = FALSE;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (g_str_equal(e->d_name, ".") || g_str_equal(e->d_name, ".."))
			continue;
		g_autofree char *sub = g_build_filename(dir, e->d_name, NULL);
		found = is_dir(sub) && maildir_presence(sub) == PRESENT;
	}
	closedir(d);
	return found;
}

/* Returns the first file at or below DIR that looks like an mbox (a few
 * levels, a few hundred files at most: it is only a hint), or NULL; the
 * caller frees it. *BUDGET counts the files left to look at. */
static char *
find_mbox(const char *dir, int depth, int *budget)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			g_ptr_array_add(names, g_strdup(e->d_name));
	closedir(d);
	g_ptr_array_sort(names, source_compare_strings);
	char *found = NULL;
	for (guint i = 0; !found && *budget > 0 && i < names->len; i++) {
		g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		if (is_dir(path)) {
			if (depth < HINT_MAX_DEPTH)
				found = find_mbox(path, depth + 1, budget);
		} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
			(*budget)--;
			if (source_looks_like_mbox(path))
				found = g_steal_pointer(&path);
		}
	}
	return found;
}

/* The error for a path that is no maildir tree at all, with a hint when it
 * looks like what another option reads. */
static void
maildir_not_a_tree(struct source *src, GError **error)
{
	struct stat st;
	if (stat(src->path, &st) < 0) {
		source_set_error(src, error, "%s: %s", src->path, g_strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		if (source_looks_like_mbox(src->path))
			source_set_error(src, error,
			                 "%s is a file, not a maildir directory; it looks like an "
			                 "mbox file: use %s",
			                 src->path, source_kind_option(src, "mbox"));
		else if (S_ISREG(st.st_mode))
			source_set_error(src, error, "%s is a file, not a maildir directory%s",
			                 src->path,
			                 *src->name ? "" : " (for a single message, use --file)");
		else
			source_set_error(src, error, "%s is not a directory", src->path);
	} else {
		int budget = HINT_MAX_FILES;
		g_autofree char *mbox = find_mbox(src->path, 0, &budget);
		g_autofree char *hint =
		    mbox ? g_strdup_printf("; %s looks like an mbox file: use %s", mbox,
		                           source_kind_option(src, "mbox"))
		         : NULL;
		source_set_error(src, error,
		                 "%s holds no maildir: neither it nor a directory below it has "
		                 "cur/ and new/%s",
		                 src->path, hint ? hint : "");
	}
}

static gboolean
maildir_scan(struct source *src, struct source_sink *sink, GError **error)
{
	/* The root may be a symbolic link (~/Mail on another disk); below it,
	 * links are not followed. */
	struct stat root;
	if (stat(src->path, &root) < 0 || !S_ISDIR(root.st_mode)) {
		maildir_not_a_tree(src, error);
		return FALSE;
	}
	struct maildir_scan ms = {
		.src = src,
		.sink = sink,
		.visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.unreadable = g_ptr_array_new_with_free_func(g_free),
		.now_ns = g_get_real_time() * 1000,
		.counting = TRUE,
	};
	/* A first pass counts the new files of the changed folders, so that
	 * progress can show an ETA; directory reads are cheap next to parsing. */
	maildir_walk(&ms, src->path, "", 0);
	/* A tree with no maildir at all is a wrong path (or an unmounted disk),
	 * not a tree whose every folder was deleted: said, and nothing in the
	 * index is touched. An empty maildir is fine. */
	gboolean none = ms.folders == 0 && !ms.unsure && !sink->stopping(sink);
	if (none)
		maildir_not_a_tree(src, error);
	sink->expect(sink, ms.count);
	ms.counting = FALSE;
	g_hash_table_remove_all(ms.visited);
	if (!none)
		maildir_walk(&ms, src->path, "", 0);

	/* A folder deleted as a whole, or no longer a maildir: every copy it
	 * held is gone. One that is merely unreadable keeps its mail. Not when
	 * the run is stopping: the walk may not have visited it. */
	g_autoptr(GPtrArray) known = none || sink->stopping(sink)
	                                 ? g_ptr_array_new()
	                                 : sink->known_containers(sink, "maildir", src->path);
	for (guint i = 0; i < known->len; i++) {
		const char *c = g_ptr_array_index(known, i);
		if (g_hash_table_contains(ms.visited, c) || below_unreadable(&ms, c))
			continue;
		enum presence here = dir_presence(c);
		if (here == UNKNOWN || (here == PRESENT && maildir_presence(c) != ABSENT))
			continue;
		source_forget_container(sink, c);
	}
	g_hash_table_unref(ms.visited);
	g_ptr_array_unref(ms.unreadable);
	return !none;
}

const struct source_ops maildir_source_ops = {
	.kind = "maildir",
	.scan = maildir_scan,
};
