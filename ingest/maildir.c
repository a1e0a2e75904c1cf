/* Maildir trees: the root and every maildir below it, Maildir++ dot-folders
 * (".Archive.2023" is the folder "Archive/2023") and nested trees
 * ("Projects/Website"). A folder whose cur/ and new/ mtimes have not changed
 * since the last scan is skipped without reading its files, as notmuch does. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/vfs.h>
#endif
#include <unistd.h>

#include "ingest/source.h"
#include "common/error.h"

/* Deeper trees than this are surely a loop or a mistake; they are reported. */
#define MAILDIR_MAX_DEPTH 32
/* Looking for an mbox to suggest, when a tree holds no maildir: this deep,
 * this many files at most. */
#define HINT_MAX_DEPTH 3
#define HINT_MAX_FILES 200

/* What the walk found, in walk order: a maildir folder, or a directory
 * that could not be read or lies too deep (REL NULL). The scan then works
 * through this list instead of walking the tree a second time. */
struct maildir_found {
	char *dir;           /* absolute path */
	char *rel;           /* folder: the path below the root ("" for the root) */
	gint64 mtime;        /* folder: the newest mtime of cur/ and new/ */
	char *reason;        /* skipped: why */
	gboolean unreadable; /* skipped: nothing below it may be taken for deleted */
};

static void
maildir_found_free(gpointer data)
{
	struct maildir_found *f = data;
	g_free(f->dir);
	g_free(f->rel);
	g_free(f->reason);
	g_free(f);
}

/* What a walk of the tree found. It only looks at the file system (what
 * the index knows is asked after it), so it may run on any thread, before
 * the index is open (maildir_walk_source()). */
struct maildir_walker {
	struct source_sink *sink; /* for stopping(), which any thread may call */
	GPtrArray *found;         /* struct maildir_found *, in walk order */
	guint folders;            /* maildirs found */
	gboolean unsure;          /* a directory could not be read: maildirs may hide there */
	gint64 walked_at;         /* g_get_monotonic_time() at its end */
	/* Whether directory link counts can be trusted on the device fs_dev
	 * (maildir_links_count_subdirs()). */
	gboolean fs_known, fs_counts;
	dev_t fs_dev;
};

struct maildir_scan {
	struct source *src;
	struct source_sink *sink;
	GHashTable *visited;   /* containers seen this run */
	GPtrArray *unreadable; /* directories that could not be listed */
	gint64 now_ns;
	guint64 count; /* new files in the changed folders, for progress */
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

/* maildir_presence() and maildir_mtime() at once, for the directory NAME
 * in the directory open as FD (NAME "." for FD itself): one lstat of each
 * of cur/ and new/, relative to FD, so that the kernel does not look up
 * the whole path again (at a million messages, path lookups were most of a
 * no-op run's kernel time). *MTIME is set when PRESENT. */
static enum presence
maildir_presence_at(int fd, const char *name, gint64 *mtime)
{
	static const char *const subs[] = { "cur", "new" };
	enum presence p = PRESENT;
	*mtime = 0;
	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *sub = g_strconcat(name, "/", subs[i], NULL);
		struct stat st;
		enum presence here;
		if (fstatat(fd, sub, &st, AT_SYMLINK_NOFOLLOW) == 0)
			here = S_ISDIR(st.st_mode) ? PRESENT : ABSENT;
		else
			here = errno == ENOENT || errno == ENOTDIR ? ABSENT : UNKNOWN;
		if (here == UNKNOWN)
			p = UNKNOWN;
		else if (here == ABSENT && p == PRESENT)
			p = ABSENT;
		else if (here == PRESENT)
			*mtime = MAX(*mtime, STAT_MTIME_NS(st));
	}
	return p;
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

/* Whether the folder CONTAINER is as the last run left it: its cur/ and
 * new/ newest at MTIME then too. */
static gboolean
folder_unchanged(struct maildir_scan *ms, const char *container, gint64 mtime)
{
	gint64 old_mtime = 0, old_size = 0;
	return ms->sink->container_state(ms->sink, container, &old_mtime, &old_size) &&
	       old_mtime == mtime;
}

/* Counts the files of the folder CONTAINER that the scan will add, when
 * it changed since the last run (MTIME), for progress and its ETA. */
static void
maildir_count_folder(struct maildir_scan *ms, const char *container, gint64 mtime)
{
	if (folder_unchanged(ms, container, mtime))
		return;
	g_autoptr(GHashTable) known = ms->sink->known_locations(ms->sink, container);
	if (!known)
		return;
	g_autofree char *cur = g_build_filename(container, "cur", NULL);
	g_autofree char *new = g_build_filename(container, "new", NULL);
	guint64 files = count_files(cur) + count_files(new);
	guint known_n = g_hash_table_size(known);
	ms->count += files > known_n ? files - known_n : 0;
}

/* Scans one maildir folder, whose cur/ and new/ were newest at MTIME when
 * the walk found it: unchanged since the last run, it is not read. */
static void
maildir_scan_folder(struct maildir_scan *ms, const char *container, const char *rel, gint64 mtime)
{
	g_hash_table_add(ms->visited, g_strdup(container));
	if (!ms->sink->claim(ms->sink, container))
		return;
	if (folder_unchanged(ms, container, mtime))
		return;

	g_autoptr(GHashTable) known = ms->sink->known_locations(ms->sink, container);
	if (!known)
		return;
	/* The walk may be long past (a first run scans folder after folder for
	 * minutes): what is listed now is as of now. */
	mtime = maildir_mtime(container);
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
maildir_found_folder(struct maildir_walker *w, const char *dir, const char *rel, gint64 mtime)
{
	struct maildir_found *f = g_new0(struct maildir_found, 1);
	f->dir = g_strdup(dir);
	f->rel = g_strdup(rel);
	f->mtime = mtime;
	g_ptr_array_add(w->found, f);
	w->folders++;
}

static void
maildir_found_skipped(struct maildir_walker *w, const char *dir, const char *reason,
                      gboolean unreadable)
{
	struct maildir_found *f = g_new0(struct maildir_found, 1);
	f->dir = g_strdup(dir);
	f->reason = g_strdup(reason);
	f->unreadable = unreadable;
	g_ptr_array_add(w->found, f);
	w->unsure = TRUE;
}

/* Whether the entry N (of type TYPE, a d_type) of the directory open as FD
 * is a directory the walk goes into. */
static gboolean
maildir_walks_into(int fd, const char *n, unsigned char type, gboolean is_maildir)
{
	if (g_str_equal(n, ".") || g_str_equal(n, ".."))
		return FALSE;
	/* A maildir's own cur/ new/ tmp/; elsewhere these are folder names. */
	if (is_maildir && (g_str_equal(n, "cur") || g_str_equal(n, "new") || g_str_equal(n, "tmp")))
		return FALSE;
	/* Other indexers keep their databases inside the tree. */
	if (g_str_equal(n, ".notmuch") || g_str_equal(n, ".mu") || g_str_equal(n, ".mairix"))
		return FALSE;
	/* The file system's word for the type is trusted; only where it gives
	 * none is the entry looked at (not following links). */
	struct stat st;
	return type == DT_DIR ||
	       (type == DT_UNKNOWN && fstatat(fd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	        S_ISDIR(st.st_mode));
}

#ifdef SYS_getdents64
/* What getdents64(2) returns (glibc declares no type for it). */
struct maildir_dirent64 {
	guint64 d_ino;
	gint64 d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};
#endif

/* Adds to SUBDIRS the names of the directories in the directory open as FD
 * that the walk goes into; FD stays open. FALSE and errno when it could not
 * be listed. On Linux the entries are read with getdents64(2) straight from
 * FD: fdopendir() costs an fstat, two fcntl and a 32 KiB buffer per
 * directory, a tenth of a no-op run's system calls at a million messages. */
static gboolean
maildir_subdirs(int fd, gboolean is_maildir, GPtrArray *subdirs)
{
#ifdef SYS_getdents64
	char buf[8192] __attribute__((aligned(8)));
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		if (n == 0)
			return TRUE;
		for (long pos = 0; pos < n;) {
			const struct maildir_dirent64 *e = (const void *)(buf + pos);
			pos += e->d_reclen;
			if (maildir_walks_into(fd, e->d_name, e->d_type, is_maildir))
				g_ptr_array_add(subdirs, g_strdup(e->d_name));
		}
	}
#else
	int own = dup(fd);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	if (!d) {
		if (own >= 0)
			close(own);
		return FALSE;
	}
	struct dirent *e;
	while ((e = readdir(d)))
		if (maildir_walks_into(fd, e->d_name, e->d_type, is_maildir))
			g_ptr_array_add(subdirs, g_strdup(e->d_name));
	closedir(d);
	return TRUE;
#endif
}

/* Whether the link count of directories on the file system of ST is one
 * more than their subdirectories plus one (ext2/3/4 and tmpfs keep it so;
 * btrfs says 1, and network file systems may be stale). One statfs per
 * device. */
static gboolean
maildir_links_count_subdirs(struct maildir_walker *w, const char *dir, const struct stat *st)
{
#ifdef __linux__
	if (!w->fs_known || w->fs_dev != st->st_dev) {
		struct statfs fs;
		w->fs_known = TRUE;
		w->fs_dev = st->st_dev;
		w->fs_counts = statfs(dir, &fs) == 0 &&
		               (fs.f_type == EXT4_SUPER_MAGIC || fs.f_type == TMPFS_MAGIC);
	}
	return w->fs_counts;
#else
	return FALSE;
#endif
}

/* Whether the maildir DIR, NAME in the directory open as PARENT, whose lstat
 * is ST, has no subdirectory but cur/, new/ and maybe tmp/: its link count
 * says so, where the file system keeps it (then it need not be listed;
 * most maildirs hold no folders). */
static gboolean
maildir_is_leaf(struct maildir_walker *w, int parent, const char *name, const char *dir,
                const struct stat *st)
{
	if (st->st_nlink != 4 && st->st_nlink != 5)
		return FALSE;
	if (!maildir_links_count_subdirs(w, dir, st))
		return FALSE;
	if (st->st_nlink == 4)
		return TRUE; /* cur/ and new/ */
	g_autofree char *tmp = g_strconcat(name, "/tmp", NULL);
	struct stat t;
	return fstatat(parent, tmp, &t, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(t.st_mode);
}

/* Walks the directory DIR (NAME in the directory open as PARENT; PARENT -1
 * for the root, which may be a symbolic link) and what is below it,
 * recording the maildirs found. Nothing is scanned yet, nor asked of the
 * index. */
static void
maildir_walk(struct maildir_walker *w, int parent, const char *name, const char *dir,
             const char *rel, int depth)
{
	if (w->sink->stopping(w->sink))
		return;
	if (depth > MAILDIR_MAX_DEPTH) {
		maildir_found_skipped(w, dir, "maildir tree nested too deeply", FALSE);
		return;
	}
	/* Below the root, symbolic links are not followed: no loops. */
	struct stat st;
	gboolean have_st = parent >= 0 && fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (have_st && !S_ISDIR(st.st_mode))
		return; /* no longer a directory */
	gint64 mtime = 0;
	enum presence here = parent >= 0 ? maildir_presence_at(parent, name, &mtime) : UNKNOWN;
	if (here == PRESENT && have_st && maildir_is_leaf(w, parent, name, dir, &st)) {
		maildir_found_folder(w, dir, rel, mtime);
		return;
	}
	int fd = parent < 0 ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
	                    : openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		/* Gone since it was listed, or not a directory after all. */
		if (parent >= 0 && (err == ENOENT || err == ENOTDIR || err == ELOOP))
			return;
		/* Searchable but not readable, or not even searchable: what can
		 * be seen of it by its path is used, as before. */
		here = maildir_presence(dir);
		if (here == UNKNOWN)
			w->unsure = TRUE;
		if (here == PRESENT)
			maildir_found_folder(w, dir, rel, maildir_mtime(dir));
		/* Nothing below it may be taken for deleted. */
		maildir_found_skipped(w, dir, g_strerror(err), TRUE);
		return;
	}
	if (parent < 0)
		here = maildir_presence_at(fd, ".", &mtime);
	gboolean is_maildir = here == PRESENT;
	if (here == UNKNOWN)
		w->unsure = TRUE;
	if (is_maildir)
		maildir_found_folder(w, dir, rel, mtime);

	g_autoptr(GPtrArray) subdirs = g_ptr_array_new_with_free_func(g_free);
	if (!maildir_subdirs(fd, is_maildir, subdirs)) {
		int err = errno;
		close(fd);
		maildir_found_skipped(w, dir, g_strerror(err), TRUE);
		return;
	}
	g_ptr_array_sort(subdirs, source_compare_strings);
	for (guint i = 0; i < subdirs->len; i++) {
		const char *n = g_ptr_array_index(subdirs, i);
		g_autofree char *path = g_build_filename(dir, n, NULL);
		g_autofree char *sub_rel = *rel ? g_strconcat(rel, "/", n, NULL) : g_strdup(n);
		maildir_walk(w, fd, n, path, sub_rel, depth + 1);
	}
	close(fd);
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

static void
maildir_walker_free(gpointer data)
{
	struct maildir_walker *w = data;
	if (w->found)
		g_ptr_array_unref(w->found);
	g_free(w);
}

/* The root may be a symbolic link (~/Mail on another disk); below it,
 * links are not followed. */
static gboolean
maildir_root_is_dir(const struct source *src)
{
	struct stat root;
	return stat(src->path, &root) == 0 && S_ISDIR(root.st_mode);
}

static struct maildir_walker *
maildir_walk_tree(struct source *src, struct source_sink *sink)
{
	struct maildir_walker *w = g_new0(struct maildir_walker, 1);
	w->sink = sink;
	w->found = g_ptr_array_new_with_free_func(maildir_found_free);
	maildir_walk(w, -1, NULL, src->path, "", 0);
	w->walked_at = g_get_monotonic_time();
	return w;
}

/* A walk done before the run's first scan that is older than this when its
 * source's turn comes (earlier sources had much new mail) is done again:
 * what it found is then as late as when each source was walked at its
 * turn. */
#define WALK_MAX_AGE_US (5 * G_USEC_PER_SEC)

static void
maildir_walk_source(struct source *src, struct source_sink *sink)
{
	if (!maildir_root_is_dir(src))
		return; /* the scan says so */
	source_set_walked(src, maildir_walk_tree(src, sink), maildir_walker_free);
}

static gboolean
maildir_scan(struct source *src, struct source_sink *sink, GError **error)
{
	/* The walk finds the folders (done already when the sources were
	 * walked before the index was open, unless that is long past); the
	 * new files of the changed ones are counted, so that progress can show
	 * an ETA; the scan then reads them from its list. */
	struct maildir_walker *walk = source_take_walked(src);
	if (walk && g_get_monotonic_time() - walk->walked_at > WALK_MAX_AGE_US)
		g_clear_pointer(&walk, maildir_walker_free);
	if (!maildir_root_is_dir(src)) {
		g_clear_pointer(&walk, maildir_walker_free);
		maildir_not_a_tree(src, error);
		return FALSE;
	}
	if (!walk)
		walk = maildir_walk_tree(src, sink);
	struct maildir_scan ms = {
		.src = src,
		.sink = sink,
		.visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		.unreadable = g_ptr_array_new_with_free_func(g_free),
		.now_ns = g_get_real_time() * 1000,
	};
	for (guint i = 0; i < walk->found->len && !sink->stopping(sink); i++) {
		const struct maildir_found *f = g_ptr_array_index(walk->found, i);
		if (f->rel)
			maildir_count_folder(&ms, f->dir, f->mtime);
	}
	/* A tree with no maildir at all is a wrong path (or an unmounted disk),
	 * not a tree whose every folder was deleted: said, and nothing in the
	 * index is touched. An empty maildir is fine. */
	gboolean none = walk->folders == 0 && !walk->unsure && !sink->stopping(sink);
	if (none)
		maildir_not_a_tree(src, error);
	sink->expect(sink, ms.count);
	for (guint i = 0; !none && i < walk->found->len && !sink->stopping(sink); i++) {
		const struct maildir_found *f = g_ptr_array_index(walk->found, i);
		if (f->rel) {
			maildir_scan_folder(&ms, f->dir, f->rel, f->mtime);
			continue;
		}
		sink->skipped(sink, f->dir, f->reason);
		if (f->unreadable)
			g_ptr_array_add(ms.unreadable, g_strdup(f->dir));
	}

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
	maildir_walker_free(walk);
	return !none;
}

const struct source_ops maildir_source_ops = {
	.kind = "maildir",
	.walk = maildir_walk_source,
	.scan = maildir_scan,
};
