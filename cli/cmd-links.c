/* mailclerk links DIR QUERY: DIR made a Maildir of symlinks to the messages
 * a query matches, for mail clients (as mu find --linksdir, mairix's
 * mfolder). DIR is ours only when it holds the mark and nothing but links we
 * made; anything else is refused before anything changes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli/command.h"
#include "common/error.h"
#include "common/paths.h"
#include "common/plural.h"
#include "index/load.h"
#include "ingest/message-file.h"

#define LINKS_MARK  ".mailclerk-links"
#define LINK_SUFFIX ".mailclerk-link"

static const char *const subs[] = { "cur", "new", "tmp" };

/* Whether NAME is one of ours: ID.mailclerk-link, with any maildir info
 * after it (mutt renames a link when its flags change). */
static gboolean
is_link_name(const char *name)
{
	const char *p = name;
	while (g_ascii_isdigit(*p))
		p++;
	if (p == name || !g_str_has_prefix(p, LINK_SUFFIX))
		return FALSE;
	p += strlen(LINK_SUFFIX);
	return *p == '\0' || *p == ':';
}

static gboolean
foreign(const char *dir, const char *what, GError **error)
{
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
	            "%s: %s, which 'mailclerk links' did not make; it replaces only its own "
	            "links: give it a new or empty folder",
	            dir, what);
	return FALSE;
}

/* Checks that DIR/SUB holds only our links. */
static gboolean
check_sub(const char *dir, const char *sub, GError **error)
{
	g_autofree char *path = g_build_filename(dir, sub, NULL);
	g_autoptr(GDir) d = g_dir_open(path, 0, error);
	if (!d)
		return FALSE;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		g_autofree char *entry = g_build_filename(path, name, NULL);
		GStatBuf st;
		if (g_lstat(entry, &st) != 0 || !S_ISLNK(st.st_mode) || !is_link_name(name)) {
			g_autofree char *what = g_strdup_printf("it holds %s/%s", sub, name);
			return foreign(dir, what, error);
		}
	}
	return TRUE;
}

/* Checks that DIR is missing, empty, or ours (the mark, cur/ new/ tmp/
 * holding only our links), reading only. FALSE and ERROR (exit 2) else. */
static gboolean
check_dir(const char *dir, GError **error)
{
	GStatBuf st;
	if (g_stat(dir, &st) != 0) {
		if (errno == ENOENT)
			return TRUE;
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", dir, g_strerror(errno));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode)) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE, "%s: not a folder", dir);
		return FALSE;
	}
	g_autofree char *mark = g_build_filename(dir, LINKS_MARK, NULL);
	gboolean marked = g_lstat(mark, &st) == 0 && S_ISREG(st.st_mode);
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	if (!d)
		return FALSE;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		if (!marked)
			return foreign(dir, "it is not empty and has no " LINKS_MARK " mark",
			               error);
		if (g_str_equal(name, LINKS_MARK))
			continue;
		g_autofree char *entry = g_build_filename(dir, name, NULL);
		gboolean sub = g_strv_contains((const char *const *)subs, name) &&
		               g_lstat(entry, &st) == 0 && S_ISDIR(st.st_mode);
		if (!sub) {
			g_autofree char *what = g_strdup_printf("it holds %s", name);
			return foreign(dir, what, error);
		}
		if (!check_sub(dir, name, error))
			return FALSE;
	}
	return TRUE;
}

/* Removes our links from DIR/SUB (made if missing), or, with KEEP, adds
 * their names to KEEP instead; returns an open descriptor of DIR/SUB, or -1
 * with ERROR. */
static int
empty_sub(const char *dir, const char *sub, GHashTable *keep, GError **error)
{
	g_autofree char *path = g_build_filename(dir, sub, NULL);
	if (g_mkdir_with_parents(path, 0700) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot make %s: %s", path,
		            g_strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", path, g_strerror(errno));
		return -1;
	}
	g_autoptr(GDir) d = g_dir_open(path, 0, error);
	if (!d) {
		close(fd);
		return -1;
	}
	const char *name;
	while ((name = g_dir_read_name(d))) {
		/* Only ours, even should something have appeared since the check. */
		struct stat st;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(st.st_mode) ||
		    !is_link_name(name))
			continue;
		if (keep)
			g_hash_table_add(keep, g_strdup(name));
		else if (unlinkat(fd, name, 0) != 0 && errno != ENOENT) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot remove %s/%s: %s",
			            path, name, g_strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Makes DIR ours, new/ and tmp/ empty of our links, and fills OLD with the
 * names of those in cur/; returns a descriptor of DIR/cur. */
static int
prepare_dir(const char *dir, GHashTable *old, GError **error)
{
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot make %s: %s", dir,
		            g_strerror(errno));
		return -1;
	}
	g_autofree char *mark = g_build_filename(dir, LINKS_MARK, NULL);
	if (!g_file_test(mark, G_FILE_TEST_EXISTS) &&
	    !g_file_set_contents(mark,
	                         "This folder is mailclerk's: 'mailclerk links' replaces the "
	                         "links in it at every run.\n",
	                         -1, error))
		return -1;
	int cur = -1;
	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		int fd = empty_sub(dir, subs[i], i == 0 ? old : NULL, error);
		if (fd < 0) {
			if (cur >= 0)
				close(cur);
			return -1;
		}
		if (i == 0)
			cur = fd;
		else
			close(fd);
	}
	return cur;
}

int
cmd_links(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_sort = NULL;
	gint64 limit = COMMAND_LIMIT_UNSET;
	const GOptionEntry entries[] = {
		{ "sort", 0, 0, G_OPTION_ARG_STRING, &opt_sort,
		  "newest (default), oldest or relevance", "ORDER" },
		{ "limit", 0, 0, G_OPTION_ARG_INT64, &limit, "link at most N messages", "N" },
		{ NULL },
	};
	if (!command_parse_options(env, "DIR QUERY...",
	                           "Makes DIR a Maildir of links to the messages QUERY matches "
	                           "('*' for all), replacing the links it made there before.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum search_sort sort = SORT_NEWEST;
	if (opt_sort && !search_parse_sort(opt_sort, &sort, &error))
		return command_fail(error);
	if (!command_limit(&limit, &error))
		return command_fail(error);
	if (argc < 2 || !*argv[1]) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "links: which folder? Give one and a query ('*' for all)");
		return command_fail(error);
	}
	g_autofree char *dir = paths_expand(argv[1]);
	if (!check_dir(dir, &error))
		return command_fail(error);
	g_autoptr(query) q =
	    command_parse_query(env, argc - 1, argv + 1, COMMAND_QUERY_REQUIRED, &error);
	if (!q)
		return command_fail(error);
	g_autoptr(GArray) ids = command_search(env, q, sort, limit, 0, &error);
	if (!ids)
		return command_fail(error);

	/* Every target first: a cache that cannot be written leaves DIR as it was. */
	g_autoptr(message_files) files = message_files_new(env->db_path);
	g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < ids->len; i++) {
		gint64 id = g_array_index(ids, gint64, i);
		g_autoptr(stored_message) m = load_message(env->db, id, &error);
		if (!m)
			return command_fail(error);
		char *target = message_files_path(files, m, &error);
		if (error)
			return command_fail(error);
		if (!target)
			continue;
		/* The message's flags, as search shows them, for mutt to show. */
		g_autofree char *info = mc_flags_info(m->flags);
		g_ptr_array_add(targets, target);
		g_ptr_array_add(names, g_strdup_printf("%" G_GINT64_FORMAT LINK_SUFFIX "%s", id,
		                                       *info ? info : ":2,"));
	}

	/* A link already there with its name and target is kept: running the
	 * same query again changes nothing, and costs no metadata writes. */
	g_autoptr(GHashTable) old = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int cur = prepare_dir(dir, old, &error);
	if (cur < 0)
		return command_fail(error);
	for (guint i = 0; i < targets->len && !error; i++) {
		const char *name = g_ptr_array_index(names, i);
		const char *target = g_ptr_array_index(targets, i);
		if (g_hash_table_remove(old, name)) {
			char buf[4096];
			ssize_t n = readlinkat(cur, name, buf, sizeof buf);
			if (n >= 0 && (size_t)n == strlen(target) && memcmp(buf, target, n) == 0)
				continue;
			(void)unlinkat(cur, name, 0);
		}
		if (symlinkat(target, cur, name) != 0)
			g_set_error(&error, MC_ERROR, MC_ERROR_FAILED, "cannot make %s/cur/%s: %s",
			            dir, name, g_strerror(errno));
	}
	/* Then what the last run made and this one did not. */
	GHashTableIter it;
	gpointer name;
	g_hash_table_iter_init(&it, old);
	while (!error && g_hash_table_iter_next(&it, &name, NULL))
		if (unlinkat(cur, name, 0) != 0 && errno != ENOENT)
			g_set_error(&error, MC_ERROR, MC_ERROR_FAILED,
			            "cannot remove %s/cur/%s: %s", dir, (const char *)name,
			            g_strerror(errno));
	if (error) {
		close(cur);
		return command_fail(error);
	}
	close(cur);
	printf("links: %u message%s in %s\n", targets->len, PLURAL_S(targets->len), dir);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "mailclerk: cannot write the output: %s\n", g_strerror(errno));
		return MC_EXIT_FAILURE;
	}
	const GPtrArray *problems = message_files_problems(files);
	for (guint i = 0; i < problems->len; i++)
		fprintf(stderr, "mailclerk: %s\n", (const char *)g_ptr_array_index(problems, i));
	return message_files_left_out(files) ? MC_EXIT_FAILURE : MC_EXIT_OK;
}
