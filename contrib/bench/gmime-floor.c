/* The floor of an ingest: every file under a folder read and parsed by GMime
 * (g_mime_parser_construct_message(), nothing else: no part decoded, nothing
 * written) in N threads, as mailclerk's parse workers read and parse it.
 * bench.py builds it with pkg-config and prints its rate beside mailclerk's.
 *
 * With a database path, the floor of an indexer built on GMime and SQLite
 * FTS5: each worker also takes what a search must find (subject, sender and
 * recipients as GMime reads them, the text of every text part in UTF-8) and
 * one writer thread inserts it into a contentless FTS5 table with SQLite's
 * own unicode61 tokenizer, in one transaction, journal off. Nothing else: no
 * message table, hash, thread, HTML conversion or attachment. An indexer
 * that stores and searches the mail does all of this and more.
 *
 * Both keep glibc's converters for common mail charsets loaded, as mailclerk
 * does (ingest/charset.c): GMime opens and closes a conversion for each
 * encoded word and text part, and glibc unloads a charset's module when its
 * last conversion closes, so without this the floor measured mostly glibc
 * mapping modules in and out (a third of its CPU on the bench corpus).
 * bench.py links it with jemalloc when found, as mailclerk-mail is.
 *
 * usage: gmime-floor DIR [THREADS [DB]]   (THREADS 0 or absent: one per core)
 * prints: files messages seconds messages/s threads cpu-seconds (user and
 * system, all threads) */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <gmime/gmime.h>
#include <sqlite3.h>

static gint parsed;

/* The writer's queue when a database is given; NULL otherwise. */
static GAsyncQueue *to_writer;

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

/* Appends the text of every text part under OBJ to TEXT. */
static void
add_text(GMimeObject *parent, GMimeObject *obj, gpointer user_data)
{
	(void)parent;
	GString *text = user_data;
	if (!GMIME_IS_TEXT_PART(obj))
		return;
	char *part = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
	if (part) {
		g_string_append_c(text, '\n');
		g_string_append(text, part);
		g_free(part);
	}
}

/* The three columns of MSG, joined by NUL bytes, for the writer. */
static GString *
columns_of(GMimeMessage *msg)
{
	GString *row = g_string_new(g_mime_message_get_subject(msg));
	g_string_append_c(row, '\0');
	char *from = internet_address_list_to_string(g_mime_message_get_from(msg), NULL, FALSE);
	char *to =
	    internet_address_list_to_string(g_mime_message_get_all_recipients(msg), NULL, FALSE);
	g_string_append_printf(row, "%s %s", from ? from : "", to ? to : "");
	g_free(from);
	g_free(to);
	g_string_append_c(row, '\0');
	g_mime_message_foreach(msg, add_text, row);
	return row;
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
		if (to_writer)
			g_async_queue_push(to_writer, columns_of(msg));
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
}

static void
check_sql(sqlite3 *db, int rc)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		fprintf(stderr, "gmime-floor: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
}

/* The writer: every row from the queue into the full-text index, until the
 * empty row that main() pushes last. */
static gpointer
write_rows(gpointer data)
{
	sqlite3 *db = data;
	sqlite3_stmt *insert;
	check_sql(db, sqlite3_exec(db, "BEGIN", NULL, NULL, NULL));
	check_sql(db, sqlite3_prepare_v2(db,
	                                 "INSERT INTO fts (subject, addresses, body) "
	                                 "VALUES (?1, ?2, ?3)",
	                                 -1, &insert, NULL));
	for (GString *row; (row = g_async_queue_pop(to_writer))->len > 0;) {
		const char *subject = row->str;
		const char *addresses = subject + strlen(subject) + 1;
		const char *body = addresses + strlen(addresses) + 1;
		sqlite3_bind_text(insert, 1, subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 2, addresses, -1, SQLITE_STATIC);
		sqlite3_bind_text(insert, 3, body, row->str + row->len - body, SQLITE_STATIC);
		check_sql(db, sqlite3_step(insert));
		sqlite3_reset(insert);
		g_string_free(row, TRUE);
	}
	sqlite3_finalize(insert);
	check_sql(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL));
	return NULL;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gmime-floor DIR [THREADS [DB]]\n");
		return 2;
	}
	int threads = argc > 2 ? atoi(argv[2]) : 0;
	if (threads <= 0)
		threads = (int)g_get_num_processors();
	sqlite3 *db = NULL;
	if (argc > 3) {
		unlink(argv[3]);
		if (sqlite3_open(argv[3], &db) != SQLITE_OK) {
			fprintf(stderr, "gmime-floor: cannot open %s\n", argv[3]);
			return 1;
		}
		check_sql(db,
		          sqlite3_exec(db,
		                       "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		                       "CREATE VIRTUAL TABLE fts USING fts5(subject, addresses, "
		                       "body, content = '', tokenize = 'unicode61 "
		                       "remove_diacritics 2')",
		                       NULL, NULL, NULL));
		to_writer = g_async_queue_new();
	}
	static const char *const charsets[] = { "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-15",
		                                "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252",
		                                "KOI8-R",       "KOI8-U",       "ISO-2022-JP",
		                                "SHIFT_JIS",    "EUC-JP",       "GB2312",
		                                "GBK",          "GB18030",      "BIG5",
		                                "EUC-KR",       "UTF-16",       "UTF-7" };
	for (gsize i = 0; i < G_N_ELEMENTS(charsets); i++) {
		iconv_open("UTF-8", charsets[i]); /* never closed */
		iconv_open(charsets[i], "UTF-8");
	}
	g_mime_init();
	GMimeParserOptions *options = g_mime_parser_options_new();
	/* Timed from the listing on, as an ingest is: it lists its folders too. */
	gint64 start = g_get_monotonic_time();
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	list_files(argv[1], files);
	GThread *writer = db ? g_thread_new("writer", write_rows, db) : NULL;
	GThreadPool *pool = g_thread_pool_new(parse_one, options, threads, TRUE, NULL);
	for (guint i = 0; i < files->len; i++)
		g_thread_pool_push(pool, g_ptr_array_index(files, i), NULL);
	g_thread_pool_free(pool, FALSE, TRUE);
	if (writer) {
		g_async_queue_push(to_writer, g_string_new(NULL));
		g_thread_join(writer);
		sqlite3_close(db);
	}
	double seconds = (g_get_monotonic_time() - start) / 1e6;

	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	double cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
	             (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
	printf("%u %d %.3f %.0f %d %.3f\n", files->len, g_atomic_int_get(&parsed), seconds,
	       g_atomic_int_get(&parsed) / seconds, threads, cpu);
	g_ptr_array_unref(files);
	g_mime_parser_options_free(options);
	g_mime_shutdown();
	return 0;
}
