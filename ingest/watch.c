/* inotify watches on local sources, and what their events mean for a source. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "ingest/watch.h"

/* As ingest/maildir.c walks: deeper trees are not mail. */
#define MAX_DEPTH 32

/* A directory's events: arrivals (rename from tmp/, link(), a file written
 * and closed), departures, and the directory itself going away. */
#define DIR_MASK                                                                                   \
	(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF |   \
	 IN_MOVE_SELF | IN_ATTRIB | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

/* One watched directory. */
struct node {
	guint id;      /* the source */
	char *path;    /* the directory */
	char *file;    /* an mbox file source: the one name in PATH that counts; else NULL */
	gboolean root; /* the source's root (a maildir source's top folder) */
	gboolean mbox; /* an mbox source: files created are not yet written */
	int depth;
};

struct fs_watch {
	int fd;
	GHashTable *nodes;  /* wd → struct node * */
	gboolean full_said; /* max_user_watches reached, said */
};

static void
node_free(gpointer p)
{
	struct node *n = p;
	g_free(n->path);
	g_free(n->file);
	g_free(n);
}

struct fs_watch *
fs_watch_new(GError **error)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot watch files (inotify): %s",
		            g_strerror(errno));
		return NULL;
	}
	struct fs_watch *w = g_new0(struct fs_watch, 1);
	w->fd = fd;
	w->nodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, node_free);
	return w;
}

void
fs_watch_free(struct fs_watch *w)
{
	if (!w)
		return;
	close(w->fd);
	g_hash_table_destroy(w->nodes);
	g_free(w);
}

int
fs_watch_fd(const struct fs_watch *w)
{
	return w->fd;
}

static gboolean
is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static gboolean
is_maildir(const char *dir)
{
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	g_autofree char *new = g_build_filename(dir, "new", NULL);
	return is_dir(cur) && is_dir(new);
}

/* Watches DIR and, unless it is an mbox file's folder, the directories below
 * it as ingest/maildir.c walks them (no symlinks, not tmp/ of a maildir, not
 * other indexers' databases). FALSE when DIR itself could not be watched. */
static gboolean
watch_tree(struct fs_watch *w, guint id, const char *dir, const char *file, gboolean root,
           gboolean mbox, int depth)
{
	if (depth > MAX_DEPTH)
		return TRUE;
	int wd = inotify_add_watch(w->fd, dir, DIR_MASK);
	if (wd < 0) {
		if (errno == ENOSPC && !w->full_said) {
			fprintf(stderr,
			        "mailclerk watch: cannot watch %s: the system's limit of inotify "
			        "watches is reached (fs.inotify.max_user_watches); mail below it "
			        "is indexed when the rest of its source changes\n",
			        dir);
			w->full_said = TRUE;
		}
		return FALSE;
	}
	struct node *n = g_new0(struct node, 1);
	n->id = id;
	n->path = g_strdup(dir);
	n->file = g_strdup(file);
	n->root = root;
	n->mbox = mbox;
	n->depth = depth;
	/* A directory watched again (moved, or in two sources) keeps its wd:
	 * the newest says what it is. */
	g_hash_table_replace(w->nodes, GINT_TO_POINTER(wd), n);
	if (file)
		return TRUE;

	gboolean maildir = !mbox && is_maildir(dir);
	DIR *d = opendir(dir);
	if (!d)
		return TRUE;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (g_str_equal(name, ".") || g_str_equal(name, "..") ||
		    (maildir && g_str_equal(name, "tmp")) || g_str_equal(name, ".notmuch") ||
		    g_str_equal(name, ".mu") || g_str_equal(name, ".mairix"))
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		g_autofree char *sub = g_build_filename(dir, name, NULL);
		if (is_dir(sub))
			watch_tree(w, id, sub, NULL, FALSE, mbox, depth + 1);
	}
	closedir(d);
	return TRUE;
}

gboolean
fs_watch_add(struct fs_watch *w, guint id, const char *kind, const char *source_path)
{
	gboolean mbox = g_str_equal(kind, "mbox");
	/* A source given as a symlink (~/Mail on another disk) is read through
	 * it by ingest: the watches go where it points. */
	g_autofree char *path = realpath(source_path, NULL);
	if (!path)
		return FALSE;
	if (is_dir(path))
		return watch_tree(w, id, path, NULL, TRUE, mbox, 0);
	struct stat st;
	if (!mbox || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return FALSE;
	/* An mbox file: its folder, for the file's name only (a mail client
	 * rewrites it into place with a rename, which a watch on the file
	 * itself would not follow). */
	g_autofree char *dir = g_path_get_dirname(path);
	g_autofree char *base = g_path_get_basename(path);
	return watch_tree(w, id, dir, base, TRUE, TRUE, 0);
}

/* Stops watching everything of source ID. */
static void
forget_source(struct fs_watch *w, guint id)
{
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, w->nodes);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (((struct node *)value)->id == id) {
			inotify_rm_watch(w->fd, GPOINTER_TO_INT(key));
			g_hash_table_iter_remove(&it);
		}
}

static void
all_changed(struct fs_watch *w, fs_watch_fn fn, gpointer data)
{
	g_autoptr(GHashTable) ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, w->nodes);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_hash_table_add(ids, GUINT_TO_POINTER(((struct node *)value)->id));
	g_hash_table_iter_init(&it, ids);
	gpointer id;
	while (g_hash_table_iter_next(&it, &id, NULL))
		fn(GPOINTER_TO_UINT(id), FALSE, data);
}

/* One event EV on node N (watch WD). */
static void
on_event(struct fs_watch *w, int wd, struct node *n, const struct inotify_event *ev, fs_watch_fn fn,
         gpointer data)
{
	guint id = n->id;
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
		if (n->root) {
			forget_source(w, id);
			fn(id, TRUE, data);
			return;
		}
		/* A folder below the root went away (or elsewhere, where its
		 * watch would follow it under a stale name): its mail is gone
		 * from here. */
		if (!(ev->mask & IN_IGNORED))
			inotify_rm_watch(w->fd, wd);
		g_hash_table_remove(w->nodes, GINT_TO_POINTER(wd));
		fn(id, FALSE, data);
		return;
	}
	if (!ev->len)
		return;
	if (n->file) {
		if (!g_str_equal(ev->name, n->file) || (ev->mask & IN_CREATE))
			return;
		if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
			forget_source(w, id);
			fn(id, TRUE, data);
		} else {
			fn(id, FALSE, data);
		}
		return;
	}
	if ((ev->mask & IN_ATTRIB) && !(ev->mask & IN_ISDIR))
		return; /* a file's times or mode: not mail */
	if (ev->mask & IN_ISDIR) {
		/* IN_ATTRIB: a folder made readable may be watched now. */
		if (ev->mask & (IN_CREATE | IN_MOVED_TO | IN_ATTRIB)) {
			g_autofree char *sub = g_build_filename(n->path, ev->name, NULL);
			if (!(g_str_equal(ev->name, "tmp") && !n->mbox && is_maildir(n->path)))
				watch_tree(w, id, sub, NULL, FALSE, n->mbox, n->depth + 1);
		}
		fn(id, FALSE, data);
		return;
	}
	/* A file created in an mbox folder is not written yet: its close says
	 * when it is. In a maildir, a file appears whole (renamed or linked). */
	if ((ev->mask & IN_CREATE) && n->mbox)
		return;
	fn(id, FALSE, data);
}

void
fs_watch_read(struct fs_watch *w, fs_watch_fn fn, gpointer data)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof buf);
		if (len <= 0)
			return; /* EAGAIN: all read */
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				all_changed(w, fn, data);
				continue;
			}
			struct node *n = g_hash_table_lookup(w->nodes, GINT_TO_POINTER(ev->wd));
			if (n)
				on_event(w, ev->wd, n, ev, fn, data);
		}
	}
}
