/* ingest/watch.c: which file system events make a source changed or gone.
 * The watch as a whole (debounce, ingests, signals) is tests/cli/watch.sh. */
#include "config.h"

#include <glib/gstdio.h>
#include <poll.h>
#include <unistd.h>

#include "ingest/watch.h"

/* What fs_watch_read() reported: per source, changes and gones. */
struct seen {
	guint changed[4];
	guint gone[4];
};

static void
on_event(guint id, gboolean gone, gpointer data)
{
	struct seen *s = data;
	g_assert_cmpuint(id, <, 4);
	if (gone)
		s->gone[id]++;
	else
		s->changed[id]++;
}

/* The events of W so far: the kernel queues them as the calls return, so
 * one poll with no wait is enough. */
static struct seen
drain(struct fs_watch *w)
{
	struct seen s = { 0 };
	struct pollfd p = { .fd = fs_watch_fd(w), .events = POLLIN };
	while (poll(&p, 1, 0) > 0)
		fs_watch_read(w, on_event, &s);
	return s;
}

static char *
make_maildir(const char *root, const char *rel)
{
	char *dir = g_build_filename(root, rel, NULL);
	for (const char *const *sub = (const char *const[]){ "cur", "new", "tmp", NULL }; *sub;
	     sub++) {
		g_autofree char *d = g_build_filename(dir, *sub, NULL);
		g_assert_cmpint(g_mkdir_with_parents(d, 0700), ==, 0);
	}
	return dir;
}

static void
write_file(const char *path, const char *text)
{
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void
test_maildir(void)
{
	g_autofree char *root = g_dir_make_tmp("test-watch-XXXXXX", NULL);
	g_autofree char *md = make_maildir(root, "mail");
	struct fs_watch *w = fs_watch_new(NULL);
	g_assert_nonnull(w);
	g_assert_true(fs_watch_add(w, 1, "maildir", md));

	/* Written into tmp/: nothing yet. */
	g_autofree char *tmp = g_build_filename(md, "tmp", "m1", NULL);
	g_autofree char *new = g_build_filename(md, "new", "m1", NULL);
	g_autofree char *cur = g_build_filename(md, "cur", "m1:2,S", NULL);
	write_file(tmp, "Subject: x\n\nx\n");
	struct seen s = drain(w);
	g_assert_cmpuint(s.changed[1], ==, 0);
	/* Renamed into new/, then into cur/ with a flag, then deleted. */
	g_assert_cmpint(g_rename(tmp, new), ==, 0);
	s = drain(w);
	g_assert_cmpuint(s.changed[1], >, 0);
	g_assert_cmpint(g_rename(new, cur), ==, 0);
	s = drain(w);
	g_assert_cmpuint(s.changed[1], >, 0);
	g_assert_cmpint(g_unlink(cur), ==, 0);
	s = drain(w);
	g_assert_cmpuint(s.changed[1], >, 0);
	g_assert_cmpuint(s.gone[1], ==, 0);

	/* A folder made later is watched: a delivery into it is a change. */
	g_autofree char *sub = make_maildir(md, ".Later");
	drain(w);
	g_autofree char *subnew = g_build_filename(sub, "new", "m2", NULL);
	write_file(subnew, "Subject: y\n\ny\n");
	s = drain(w);
	g_assert_cmpuint(s.changed[1], >, 0);

	/* The maildir moved away: gone, and nothing of it watched any more. */
	g_autofree char *away = g_build_filename(root, "away", NULL);
	g_assert_cmpint(g_rename(md, away), ==, 0);
	s = drain(w);
	g_assert_cmpuint(s.gone[1], ==, 1);
	g_autofree char *away_new = g_build_filename(away, "new", "m3", NULL);
	write_file(away_new, "Subject: z\n\nz\n");
	s = drain(w);
	g_assert_cmpuint(s.changed[1] + s.gone[1], ==, 0);
	/* Back: watched again. */
	g_assert_false(fs_watch_add(w, 1, "maildir", md));
	g_assert_cmpint(g_rename(away, md), ==, 0);
	g_assert_true(fs_watch_add(w, 1, "maildir", md));
	g_autofree char *back_new = g_build_filename(md, "new", "m4", NULL);
	write_file(back_new, "Subject: w\n\nw\n");
	s = drain(w);
	g_assert_cmpuint(s.changed[1], >, 0);
	fs_watch_free(w);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", root);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
test_mbox(void)
{
	g_autofree char *root = g_dir_make_tmp("test-watch-XXXXXX", NULL);
	g_autofree char *box = g_build_filename(root, "inbox.mbox", NULL);
	g_autofree char *other = g_build_filename(root, "other.mbox", NULL);
	struct fs_watch *w = fs_watch_new(NULL);
	/* Not there yet: not watched. */
	g_assert_false(fs_watch_add(w, 2, "mbox", box));
	write_file(box, "From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nx\n");
	g_assert_true(fs_watch_add(w, 2, "mbox", box));
	/* Another file in the folder is none of its business. */
	write_file(other, "From a@b Mon Jan  1 00:00:00 2024\n\n");
	struct seen s = drain(w);
	g_assert_cmpuint(s.changed[2] + s.gone[2], ==, 0);
	/* Written and closed (g_file_set_contents renames it into place). */
	write_file(box, "From a@b Mon Jan  1 00:00:00 2024\nSubject: x\n\nx\n\nFrom c@d "
	                "Mon Jan  1 00:00:00 2024\nSubject: y\n\ny\n");
	s = drain(w);
	g_assert_cmpuint(s.changed[2], >, 0);
	g_assert_cmpuint(s.gone[2], ==, 0);
	/* Deleted: gone. */
	g_assert_cmpint(g_unlink(box), ==, 0);
	s = drain(w);
	g_assert_cmpuint(s.gone[2], ==, 1);
	fs_watch_free(w);
	g_unlink(other);
	g_rmdir(root);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/watch/maildir", test_maildir);
	g_test_add_func("/watch/mbox", test_mbox);
	return g_test_run();
}
