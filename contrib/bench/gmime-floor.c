/* The floor of an ingest: every file under a folder read and parsed by GMime
 * (g_mime_parser_construct_message(), nothing else: no part decoded, nothing
 * written) in N threads, as mailclerk's parse workers read and parse it.
 * bench.py builds it with pkg-config and prints its rate beside mailclerk's.
 *
 * usage: gmime-floor DIR [THREADS]   (THREADS defaults to the number of cores)
 * prints: files messages seconds messages/s threads */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>

static gint parsed;

/* Every regular file under DIR, into FILES. */
static void
list_files(const char *dir, GPtrArray *files)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (!d)
		return;
	for (const char *name; (name = g_dir_read_name(d));) {
		char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			list_files(path, files), g_free(path);
		else
			g_ptr_array_add(files, path);
	}
	g_dir_close(d);
}

/* Reads the file at PATH into memory; NULL when it cannot. */
static GByteArray *
read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	GByteArray *buf = g_byte_array_sized_new(st.st_size);
	g_byte_array_set_size(buf, st.st_size);
	gsize got = 0;
	while (got < (gsize)st.st_size) {
		ssize_t n = read(fd, buf->data + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	g_byte_array_set_size(buf, got);
	return buf;
}

static void
parse_one(gpointer data, gpointer user_data)
{
	GMimeParserOptions *options = user_data;
	GByteArray *bytes = read_file(data);
	if (!bytes)
		return;
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes); /* owns BYTES */
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, options);
	if (msg) {
		g_atomic_int_inc(&parsed);
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gmime-floor DIR [THREADS]\n");
		return 2;
	}
	int threads = argc > 2 ? atoi(argv[2]) : (int)g_get_num_processors();
	g_mime_init();
	GMimeParserOptions *options = g_mime_parser_options_new();
	/* Timed from the listing on, as an ingest is: it lists its folders too. */
	gint64 start = g_get_monotonic_time();
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	list_files(argv[1], files);
	GThreadPool *pool = g_thread_pool_new(parse_one, options, threads, TRUE, NULL);
	for (guint i = 0; i < files->len; i++)
		g_thread_pool_push(pool, g_ptr_array_index(files, i), NULL);
	g_thread_pool_free(pool, FALSE, TRUE);
	double seconds = (g_get_monotonic_time() - start) / 1e6;

	printf("%u %d %.3f %.0f %d\n", files->len, g_atomic_int_get(&parsed), seconds,
	       g_atomic_int_get(&parsed) / seconds, threads);
	g_ptr_array_unref(files);
	g_mime_parser_options_free(options);
	g_mime_shutdown();
	return 0;
}
