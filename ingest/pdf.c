/* PDF attachments to text with poppler-glib, in a reader process.
 *
 * poppler's cost for one page is not bounded: one 85 KB PDF whose page
 * draws 20,000 lines of text took 8.5 s and 426 MB, and a little more
 * text takes gigabytes. Nothing in poppler-glib limits it, so each parse
 * worker hands its PDFs to a reader process of its own (this program
 * again, run with PDF_READER_ARG: pdf_reader_main()), which it watches
 * while it waits: a reader over PDF_MAX_MEMORY of memory or
 * PDF_MAX_CPU_SECONDS of CPU on one PDF is killed, as is one that crashes
 * on it, and the text of the pages it sent before stays; the caller is told
 * why (a problem of the message) and the next PDF starts a new reader.
 *
 * In the reader, each PDF opens its own PopplerDocument. poppler keeps its
 * global state (GlobalParams) while any document is open and builds it
 * again when the first one opens: that rebuild cost 0.5 ms a PDF, so one
 * tiny document stays open for the life of the reader. poppler reports
 * what it finds wrong in a file through GLib's log (domain "Poppler"):
 * hostile mail makes that noise, and none of it is something a user can
 * act on, so it is dropped. */
#include "config.h"

#include "ingest/pdf.h"
#include "common/interrupt.h"
#include "common/utf8.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Set by pdf_reader_main() in a program that can run as the reader. */
static gboolean reader_host;

gboolean
pdf_has_header(const char *data, gsize len)
{
	gsize n = MIN(len, PDF_HEADER_WITHIN);
	return n >= 5 && memmem(data, n, "%PDF-", 5) != NULL;
}

#ifdef HAVE_POPPLER
#include <gmodule.h>
#include <poppler.h>

/* poppler-glib and what it pulls in (cairo, NSS: some 35 libraries) cost 8
 * ms at every start of mailclerk-mail, and most runs never meet a PDF: it
 * is opened with GModule on the first one, by the SONAME configure found.
 * NULL members: not loaded (then there is no PDF text, said once). */
static struct {
	__typeof__(poppler_document_new_from_bytes) *document_new_from_bytes;
	__typeof__(poppler_document_get_n_pages) *document_get_n_pages;
	__typeof__(poppler_document_get_page) *document_get_page;
	__typeof__(poppler_page_get_text) *page_get_text;
} poppler;

static gboolean
pdf_load(void)
{
	GModule *module = g_module_open(POPPLER_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
	if (!module ||
	    !g_module_symbol(module, "poppler_document_new_from_bytes",
	                     (gpointer *)&poppler.document_new_from_bytes) ||
	    !g_module_symbol(module, "poppler_document_get_n_pages",
	                     (gpointer *)&poppler.document_get_n_pages) ||
	    !g_module_symbol(module, "poppler_document_get_page",
	                     (gpointer *)&poppler.document_get_page) ||
	    !g_module_symbol(module, "poppler_page_get_text", (gpointer *)&poppler.page_get_text)) {
		fprintf(stderr, "mailclerk: no PDF text: %s\n", g_module_error());
		memset(&poppler, 0, sizeof poppler);
		if (module)
			g_module_close(module);
		return FALSE;
	}
	/* Its types and global state live as long as the process. */
	g_module_make_resident(module);
	return TRUE;
}

/* One empty page; the offsets in the xref table are those of the objects. */
static const char keeper_pdf[] = "%PDF-1.4\n"
                                 "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                                 "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                                 "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>\n"
                                 "endobj\n"
                                 "xref\n0 4\n"
                                 "0000000000 65535 f \n"
                                 "0000000009 00000 n \n"
                                 "0000000058 00000 n \n"
                                 "0000000115 00000 n \n"
                                 "trailer\n<< /Size 4 /Root 1 0 R >>\n"
                                 "startxref\n182\n%%EOF\n";

/* Open for the life of the process, never read. */
static PopplerDocument *keeper;

static void
pdf_log_drop(const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

/* Opens the document that keeps poppler's global state alive; once. */
static void
pdf_init(void)
{
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		if (!pdf_load()) {
			g_once_init_leave(&once, 1);
			return;
		}
		g_log_set_handler("Poppler",
		                  G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
		                      G_LOG_LEVEL_DEBUG,
		                  pdf_log_drop, NULL);
		g_autoptr(GBytes) bytes = g_bytes_new_static(keeper_pdf, sizeof keeper_pdf - 1);
		/* On failure only the speed-up is lost. */
		keeper = poppler.document_new_from_bytes(bytes, NULL, NULL);
		g_once_init_leave(&once, 1);
	}
}

gboolean
pdf_text_supported(void)
{
	return TRUE;
}

/* ---- the protocol ----
 *
 * A request: the PDF's length and the text wanted (two u64), then its
 * bytes. The answer: the pages to be read (a u32; PDF_NO_DOCUMENT when
 * poppler cannot open it), then one frame a page read (a u32 length and
 * that much text; 0 for a page without text) and PDF_END. The reader's
 * first word, before any request, says whether it has poppler (1) or not
 * (0). Native byte order: both ends are this program. */
#define PDF_NO_DOCUMENT 0xFFFFFFFFu
#define PDF_END         0xFFFFFFFFu
/* A reader holding more than this after a PDF is replaced (a new one
 * holds 20 MB). */
#define PDF_READER_KEEP (32 * 1024 * 1024)
/* How often a waiting worker looks at its reader's memory and CPU. */
#define PDF_WATCH_MS 20

/* ---- the reader process ---- */

/* Reads all N bytes of BUF from FD; FALSE at EOF or on an error. */
static gboolean
fd_read_all(int fd, void *buf, gsize n)
{
	for (char *p = buf; n > 0;) {
		ssize_t got = read(fd, p, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return FALSE;
		p += got;
		n -= (gsize)got;
	}
	return TRUE;
}

/* Both ends write with this: the peer gone is FALSE, not a SIGPIPE. */
static gboolean
fd_send_all(int fd, const void *buf, gsize n)
{
	for (const char *p = buf; n > 0;) {
		ssize_t put = send(fd, p, n, MSG_NOSIGNAL);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return FALSE;
		p += put;
		n -= (gsize)put;
	}
	return TRUE;
}

static gboolean
write_word(guint32 word)
{
	return fd_send_all(STDOUT_FILENO, &word, sizeof word);
}

#ifdef MC_TEST_HOOKS
/* MAILCLERK_TEST_PDF_CRASH: a page whose text holds its value makes the
 * reader abort, as a crash in poppler would (without a core file). */
static void
test_crash(const char *text)
{
	const char *marker = g_getenv("MAILCLERK_TEST_PDF_CRASH");
	if (text && marker && *marker && strstr(text, marker)) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
		abort();
	}
}
#else
#define test_crash(text) ((void)0)
#endif

/* Sends the text of the PDF in DATA page after page, until about MAX bytes
 * are sent (the caller ends the answer). FALSE when the worker has gone. */
static gboolean
read_document(const char *data, gsize len, guint64 max)
{
	/* poppler reads the bytes in place while the document is open. */
	g_autoptr(GBytes) bytes = g_bytes_new_static(data, len);
	g_autoptr(GError) error = NULL;
	PopplerDocument *doc = poppler.document_new_from_bytes(bytes, NULL, &error);
	if (!doc) /* damaged, encrypted or not a PDF at all */
		return write_word(PDF_NO_DOCUMENT);

	int pages = CLAMP(poppler.document_get_n_pages(doc), 0, PDF_MAX_PAGES);
	gboolean ok = write_word((guint32)pages);
	guint64 sent = 0;
	for (int i = 0; ok && i < pages && sent < max; i++) {
		PopplerPage *page = poppler.document_get_page(doc, i);
		g_autofree char *text = page ? poppler.page_get_text(page) : NULL;
		if (page)
			g_object_unref(page);
		test_crash(text);
		gsize n = text ? strnlen(text, G_MAXUINT32 - 1) : 0;
		ok = write_word((guint32)n) && fd_send_all(STDOUT_FILENO, text, n);
		sent += n ? n + 2 : 0; /* and the blank line between pages */
	}
	g_object_unref(doc);
	return ok;
}

/* Gives back what the last PDF took. jemalloc (mailclerk-mail's malloc)
 * keeps freed pages for ten seconds: a reader held 86 MB after each PDF
 * of a 4,000-line page, and the memory limit then cut PDFs that fit a
 * fresh reader. glibc's malloc gives back what malloc_trim() can. */
static void
release_freed_memory(void)
{
	static int (*mallctl)(const char *, void *, size_t *, void *, size_t);
	static gboolean looked;
	/* Only past PDF_READER_KEEP: giving back after every PDF made the
	 * next fault its pages in again (1,000 small PDFs: 0.7 s, not 0.45). */
	long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	gboolean small = f && fscanf(f, "%ld %ld", &size, &resident) == 2 &&
	                 (guint64)resident * (guint64)sysconf(_SC_PAGESIZE) <= PDF_READER_KEEP;
	if (f)
		fclose(f);
	if (small)
		return;
	if (!looked) {
		mallctl = (__typeof__(mallctl))dlsym(RTLD_DEFAULT, "mallctl");
		looked = TRUE;
	}
	if (mallctl) {
		mallctl("thread.tcache.flush", NULL, NULL, NULL, 0);
		mallctl("arena.4096.purge", NULL, NULL, NULL, 0); /* MALLCTL_ARENAS_ALL */
	} else {
		malloc_trim(0);
	}
}

/* The reader's loop: one PDF after another until the worker closes. */
static int
reader_run(void)
{
	/* Only a worker talks to a reader: not a terminal, not a pipe. */
	int type;
	socklen_t type_len = sizeof type;
	if (getsockopt(STDIN_FILENO, SOL_SOCKET, SO_TYPE, &type, &type_len) != 0) {
		fprintf(stderr, "mailclerk: %s is for mailclerk's own use\n", PDF_READER_ARG);
		return 2;
	}
	/* Signals to the whole group are for the worker, which stops its
	 * reader; it dies with the worker that started it; a crash leaves no
	 * core file (one a hostile PDF). */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	struct rlimit limit = { 0, 0 };
	setrlimit(RLIMIT_CORE, &limit);
#if !defined(__SANITIZE_ADDRESS__)
	/* A backstop to the worker's watch, which looks every PDF_WATCH_MS:
	 * malloc fails (and poppler aborts) far past the limit. Not under
	 * ASan, whose shadow memory alone is past it. */
	limit.rlim_cur = limit.rlim_max = 4 * (rlim_t)PDF_MAX_MEMORY;
	setrlimit(RLIMIT_DATA, &limit);
#endif
	pdf_init();
#ifdef MC_TEST_HOOKS
	/* A start as slow as on a loaded machine: MAILCLERK_TEST_PDF_START_MS. */
	const char *slow_start = g_getenv("MAILCLERK_TEST_PDF_START_MS");
	if (slow_start)
		g_usleep(1000 * g_ascii_strtoull(slow_start, NULL, 10));
#endif
	if (!write_word(poppler.document_new_from_bytes != NULL) ||
	    !poppler.document_new_from_bytes)
		return 1;
	guint64 head[2];
	while (fd_read_all(STDIN_FILENO, head, sizeof head)) {
		if (head[0] > PDF_MAX_BYTES)
			return 1;
		char *data = g_malloc(MAX(head[0], 1));
		gboolean ok = fd_read_all(STDIN_FILENO, data, head[0]) &&
		              read_document(data, head[0], head[1]);
		/* What can go back goes back before the answer ends, so that the
		 * worker, which replaces a reader still holding much
		 * (PDF_READER_KEEP), measures what stays. */
		g_free(data);
		release_freed_memory();
		if (!ok || !write_word(PDF_END))
			return 1;
	}
	return 0;
}

/* ---- the worker's side ---- */

/* The reader of one parse worker. */
struct reader {
	GPid pid; /* 0: none running */
	int fd;   /* the worker's end of their socket pair */
	/* What it may spend on the PDF it reads: CPU in clock ticks from
	 * cpu_start, resident pages, and wall time (µs) from started. */
	guint64 cpu_start, cpu_limit, rss_limit;
	gint64 started, wall_limit;
	gint64 checked; /* when its memory and CPU were last read, µs */
};

/* Set once a reader has no poppler or could not start: no PDF text for
 * this process (said once). */
static gint no_reader;

/* Sets *CPU (clock ticks) and *RSS (pages) from /proc/PID/stat. */
static gboolean
reader_usage(GPid pid, guint64 *cpu, guint64 *rss)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return FALSE;
	gsize n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* After the command name in parentheses: the state is field 3,
	 * utime and stime 14 and 15, rss 24. */
	const char *p = strrchr(buf, ')');
	guint64 utime, stime, pages;
	if (!p ||
	    sscanf(p + 1,
	           " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %" G_GUINT64_FORMAT
	           " %" G_GUINT64_FORMAT " %*d %*d %*d %*d %*d %*d %*u %*u %" G_GUINT64_FORMAT,
	           &utime, &stime, &pages) != 3)
		return FALSE;
	*cpu = utime + stime;
	*rss = pages;
	return TRUE;
}

/* Closes R's end and reaps it (killed first when KILL). Returns why it
 * ended, for a problem (the caller frees it). */
static char *
reader_stop(struct reader *r, gboolean kill_it)
{
	if (!r->pid)
		return NULL;
	close(r->fd);
	if (kill_it)
		kill(r->pid, SIGKILL);
	int status = 0;
	pid_t got;
	while ((got = waitpid(r->pid, &status, 0)) < 0 && errno == EINTR)
		;
	int err = errno;
	r->pid = 0;
	r->fd = -1;
	if (got < 0)
		return g_strdup_printf("ended unseen (%s)", g_strerror(err));
	if (WIFSIGNALED(status))
		return g_strdup_printf("crashed (%s)", g_strsignal(WTERMSIG(status)));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return g_strdup_printf("failed (exit status %d)", WEXITSTATUS(status));
	return g_strdup("stopped");
}

/* Kills R for the reason WHY (returned, for a problem). */
static char *
reader_kill(struct reader *r, char *why)
{
	g_free(reader_stop(r, TRUE));
	return why;
}

/* Each thread's reader. No destroy notify: a thread's reader dies with it
 * (PR_SET_PDEATHSIG), and the thread's end must not wait on anything. A
 * GThreadPool does not join its threads: a worker stopping its reader at
 * its end outlived the pool, and LeakSanitizer in an ingest ending
 * meanwhile reported it could not stop that thread. `readers` keeps them
 * all, for the process's life. */
static GPrivate reader_key;
static GMutex readers_lock;
static GPtrArray *readers;

static struct reader *
thread_reader(void)
{
	struct reader *r = g_private_get(&reader_key);
	if (!r) {
		r = g_new0(struct reader, 1);
		g_private_set(&reader_key, r);
		g_mutex_lock(&readers_lock);
		if (!readers)
			readers = g_ptr_array_new();
		g_ptr_array_add(readers, r);
		g_mutex_unlock(&readers_lock);
	}
	return r;
}

void
pdf_readers_stop(void)
{
	g_mutex_lock(&readers_lock);
	for (guint i = 0; readers && i < readers->len; i++)
		g_free(reader_stop(g_ptr_array_index(readers, i), TRUE));
	g_mutex_unlock(&readers_lock);
}

/* S in BUF as "0.05" or "10" in every locale; returns BUF. */
static const char *
seconds(char buf[G_ASCII_DTOSTR_BUF_SIZE], double s)
{
	return g_ascii_formatd(buf, G_ASCII_DTOSTR_BUF_SIZE, "%g", s);
}

/* Kills R when it is over its limits, cannot be watched, or the run is
 * interrupted: then FALSE and *WHY. */
static gboolean
reader_within_limits(struct reader *r, gint64 now, char **why)
{
	guint64 cpu, rss;
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	if (interrupt_caught())
		*why = reader_kill(r, g_strdup("was stopped: the run was interrupted"));
	else if (!reader_usage(r->pid, &cpu, &rss))
		*why =
		    reader_kill(r, g_strdup_printf("could not be watched: %s", g_strerror(errno)));
	else if (rss > r->rss_limit)
		*why = reader_kill(
		    r, g_strdup_printf("needed more than %" G_GUINT64_FORMAT " MB of memory",
		                       r->rss_limit * (guint64)sysconf(_SC_PAGESIZE) >> 20));
	else if (cpu - r->cpu_start > r->cpu_limit)
		*why =
		    reader_kill(r, g_strdup_printf("took more than %s s of CPU",
		                                   seconds(buf, (double)r->cpu_limit /
		                                                    (double)sysconf(_SC_CLK_TCK))));
	else if (now - r->started > r->wall_limit)
		*why = reader_kill(
		    r, g_strdup_printf("took more than %s s",
		                       seconds(buf, (double)r->wall_limit / G_USEC_PER_SEC)));
	else
		return TRUE;
	return FALSE;
}

/* Reads N bytes from R, watching it all the while. FALSE and *WHY when it
 * ended or was stopped before. */
static gboolean
reader_read(struct reader *r, void *buf, gsize n, char **why)
{
	for (char *p = buf; n > 0;) {
		gint64 now = g_get_monotonic_time();
		if (now - r->checked >= PDF_WATCH_MS * 1000) {
			r->checked = now;
			if (!reader_within_limits(r, now, why))
				return FALSE;
		}
		struct pollfd ready = { .fd = r->fd, .events = POLLIN };
		int rc = poll(&ready, 1, PDF_WATCH_MS);
		if (rc < 0 && errno != EINTR) {
			*why = reader_kill(
			    r, g_strdup_printf("could not be read: %s", g_strerror(errno)));
			return FALSE;
		}
		if (rc <= 0)
			continue;
		ssize_t got = recv(r->fd, p, n, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*why = reader_kill(
			    r, g_strdup_printf("could not be read: %s", g_strerror(errno)));
			return FALSE;
		}
		if (got == 0) {
			*why = reader_stop(r, FALSE);
			return FALSE;
		}
		p += got;
		n -= (gsize)got;
	}
	return TRUE;
}

static gboolean
reader_word(struct reader *r, guint32 *word, char **why)
{
	return reader_read(r, word, sizeof *word, why);
}

/* The limits of one PDF: PDF_MAX_MEMORY and PDF_MAX_CPU_SECONDS (and three
 * times that in wall time, for a reader stopped or stuck), or with the
 * test hooks MAILCLERK_TEST_PDF_LIMITS "MB,MS" (memory, CPU). */
static void
reader_set_limits(struct reader *r)
{
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
	guint64 mb = PDF_MAX_MEMORY >> 20, ms = PDF_MAX_CPU_SECONDS * 1000;
#ifdef MC_TEST_HOOKS
	const char *limits = g_getenv("MAILCLERK_TEST_PDF_LIMITS");
	if (limits)
		sscanf(limits, "%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT, &mb, &ms);
#endif
	r->rss_limit = (mb << 20) / (guint64)page;
	r->cpu_limit = ms * (guint64)tick / 1000;
	r->wall_limit = (gint64)(3 * ms * 1000);
	guint64 rss;
	if (!reader_usage(r->pid, &r->cpu_start, &rss))
		r->cpu_start = 0;
	r->started = r->checked = g_get_monotonic_time();
}

/* Starts a reader in R: this program again, with PDF_READER_ARG. FALSE and
 * *WHY when it could not (then no_reader is set). */
static gboolean
reader_start(struct reader *r, char **why)
{
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
		*why = g_strdup_printf("could not start: %s", g_strerror(errno));
		return FALSE;
	}
	posix_spawn_file_actions_t actions;
	int rc = posix_spawn_file_actions_init(&actions);
	if (rc == 0) {
		if ((rc = posix_spawn_file_actions_adddup2(&actions, pair[1], STDIN_FILENO)) == 0 &&
		    (rc = posix_spawn_file_actions_adddup2(&actions, pair[1], STDOUT_FILENO)) ==
		        0) {
			char *argv[] = { (char *)"mailclerk-pdf-reader", (char *)PDF_READER_ARG,
				         NULL };
			pid_t pid;
			rc = posix_spawn(&pid, "/proc/self/exe", &actions, NULL, argv, environ);
			if (rc == 0)
				*r = (struct reader){ .pid = pid, .fd = pair[0] };
		}
		posix_spawn_file_actions_destroy(&actions);
	}
	close(pair[1]);
	if (rc != 0) {
		close(pair[0]);
		g_atomic_int_set(&no_reader, 1);
		*why = g_strdup_printf("could not start: %s", g_strerror(rc));
		return FALSE;
	}
	/* Starting (loading poppler) has the limits of a PDF. */
	reader_set_limits(r);
	guint32 has_poppler = 0;
	g_autofree char *how = NULL;
	if (!reader_word(r, &has_poppler, &how) || !has_poppler) {
		/* Stopped by ^C, it could still have started. */
		if (!interrupt_caught())
			g_atomic_int_set(&no_reader, 1);
		g_free(reader_stop(r, TRUE));
		*why = g_strdup_printf("could not start: %s", how ? how : "it has no poppler");
		return FALSE;
	}
	return TRUE;
}

/* Sends R the PDF in DATA (LEN bytes) and the text wanted, MAX. */
static gboolean
reader_ask(struct reader *r, const char *data, gsize len, gsize max)
{
	guint64 head[2] = { len, max };
	return fd_send_all(r->fd, head, sizeof head) && fd_send_all(r->fd, data, len);
}

char *
pdf_text(const char *data, gsize len, gsize max, char **problem)
{
	*problem = NULL;
	if (len > PDF_MAX_BYTES || !pdf_has_header(data, len) || !reader_host ||
	    g_atomic_int_get(&no_reader) || interrupt_caught())
		return NULL;
	struct reader *r = thread_reader();
	g_autofree char *why = NULL;
	/* A reader that ended since its last PDF (it cannot have been asked
	 * anything) is started again. */
	if (r->pid && !reader_ask(r, data, len, max))
		g_free(reader_stop(r, TRUE));
	if (!r->pid) {
		if (!reader_start(r, &why)) {
			/* Stopped by ^C while it started: the interruption is
			 * what the run says, not this. */
			if (interrupt_caught())
				return NULL;
			/* Said once for the process: every PDF after it is unread. */
			static gsize said;
			if (g_once_init_enter(&said)) {
				fprintf(stderr, "mailclerk: no PDF text: the PDF reader %s\n", why);
				g_once_init_leave(&said, 1);
			}
			return NULL;
		}
		if (!reader_ask(r, data, len, max)) {
			why = g_strdup_printf("could not be sent the PDF: %s", g_strerror(errno));
			g_free(reader_stop(r, TRUE));
			*problem = g_strdup_printf("PDF text not read: the PDF reader %s", why);
			return NULL;
		}
	}
	reader_set_limits(r);

	guint32 pages = 0, done = 0, n;
	GString *out = g_string_new(NULL);
	g_autofree char *text = NULL;
	gboolean ok = reader_word(r, &pages, &why);
	while (ok && (ok = reader_word(r, &n, &why)) && n != PDF_END) {
		if (n > r->rss_limit * (guint64)sysconf(_SC_PAGESIZE)) {
			why = reader_kill(r, g_strdup("sent a page longer than it could hold"));
			ok = FALSE;
			break;
		}
		text = g_realloc(text, MAX(n, 1));
		if (!(ok = reader_read(r, text, n, &why)))
			break;
		done++;
		if (n == 0)
			continue;
		if (out->len > 0)
			g_string_append(out, "\n\n");
		utf8_append_valid(out, text, n);
	}
	/* A reader still holding much after the PDF is replaced (it gave
	 * back what it could before its last word). */
	guint64 cpu, rss;
	if (ok && reader_usage(r->pid, &cpu, &rss) &&
	    rss * (guint64)sysconf(_SC_PAGESIZE) > PDF_READER_KEEP)
		g_free(reader_stop(r, TRUE));
	/* Interrupted, the message is not indexed: nothing to say of it. */
	if (!ok && !interrupt_caught())
		*problem =
		    pages && pages != PDF_NO_DOCUMENT
		        ? g_strdup_printf("PDF text read from %u of %u pages: the PDF reader %s",
		                          done, pages, why)
		        : g_strdup_printf("PDF text not read: the PDF reader %s", why);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

#else /* !HAVE_POPPLER */

gboolean
pdf_text_supported(void)
{
	return FALSE;
}

char *
pdf_text(const char *data, gsize len, gsize max, char **problem)
{
	*problem = NULL;
	return NULL;
}

void
pdf_readers_stop(void)
{
}

static int
reader_run(void)
{
	return 1;
}

#endif

int
pdf_reader_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], PDF_READER_ARG) != 0) {
		reader_host = TRUE;
		return -1;
	}
	return reader_run();
}
