/* Crash supervision of an ingest run: the child, the shared journal of the messages in parse, the
 * crash handler, and the record of a message that crashed it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "index/supervise.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "index/db.h"
#include "index/lock.h"

/* Parse workers that can be told apart; more threads than this parse
 * unsupervised (a crash of theirs is then not put down to a message). */
#define JOURNAL_SLOTS 64
#define SLOT_TEXT     4096
/* Restarts of one run at most: each records a message, so this only stops
 * a run whose every message crashes it. */
#define MAX_CRASHES 100
/* The crash handler's own stack: a stack overflow leaves none to run on. */
#define HANDLER_STACK (64 * 1024)

/* A message in parse; BUSY is set last and cleared first, so the parent
 * never reads a half-written slot as the one that crashed. */
struct journal_slot {
	volatile gint busy;
	gint64 size, mtime;
	char container[SLOT_TEXT];
	char name[256];
	char where[SLOT_TEXT];
};

/* What a spawned child finds at the start of its journal: a journal of this
 * layout (journal_magic()), made by its parent. */
#define JOURNAL_MAGIC G_GUINT64_CONSTANT(0x6d63206a726e6c31) /* "mc jrnl1" */
/* The environment variable that names a spawned child's journal (a
 * descriptor of a sealed memfd). */
#define JOURNAL_ENV "MAILCLERK_SUPERVISOR_JOURNAL"
/* The seals the journal has (a kernel may add F_SEAL_EXEC): its size fixed,
 * and it stays writable. */
#define JOURNAL_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW)
#ifdef F_SEAL_FUTURE_WRITE
#define JOURNAL_WRITE_SEALS (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)
#else
#define JOURNAL_WRITE_SEALS F_SEAL_WRITE
#endif

/* Shared between the parent and each child (MAP_SHARED). */
struct journal {
	guint64 magic;
	pid_t supervisor;
	volatile gint crashed_slot; /* set by the crash handler, -1 when none */
	gint slots_used;
	struct writer_stats committed; /* by the current child */
	struct writer_stats carried;   /* by earlier children of this run */
	guint crashes;
	struct journal_slot slots[JOURNAL_SLOTS];
};

static struct journal *journal;    /* NULL when not supervised */
static __thread gint my_slot = -1; /* this thread's slot, once it has one */
static volatile pid_t child_pid;
static volatile sig_atomic_t stop_signal; /* SIGINT or SIGTERM seen while a child ran */
static gboolean in_child;                 /* this process is a supervised child */
static const char *run_name = "ingest";   /* the command, for messages */

/* JOURNAL_MAGIC with the layout folded in: a mailclerk and a mailclerk-mail
 * of other builds (an upgrade while one runs) do not share a journal. */
static guint64
journal_magic(void)
{
	return JOURNAL_MAGIC ^ ((guint64)sizeof(struct journal) << 8) ^
	       ((guint64)sizeof(struct journal_slot) << 32) ^
	       ((guint64)sizeof(struct writer_stats) << 48);
}

static void
on_crash(int sig)
{
	if (my_slot >= 0 && journal->slots[my_slot].busy)
		journal->crashed_slot = my_slot;
	/* SA_RESETHAND restored the default action: die of SIG as we would have. */
	raise(sig);
}

/* A signal another process sent is passed on to the child, as SIGTERM:
 * ^C from the terminal reaches the child itself (one process group), and
 * is not passed on; but a program's SIGINT to the whole group (kill -INT
 * -PGID) reaches the child and this process alike, and passed on as
 * SIGINT it would be a second ^C, which kills at once, the batch unwritten.
 * A second SIGTERM only asks twice (common/interrupt.c), as a service
 * manager's stop sends it to every process of the service. */
static void
forward_signal(int sig, siginfo_t *info, void *context)
{
	stop_signal = sig;
	if (child_pid > 0 && info && (info->si_code == SI_USER || info->si_code == SI_QUEUE))
		kill(child_pid, SIGTERM);
}

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS };

static void
child_install_handlers(void)
{
	struct sigaction sa = { .sa_handler = on_crash, .sa_flags = SA_ONSTACK | SA_RESETHAND };
	sigemptyset(&sa.sa_mask);
	for (guint i = 0; i < G_N_ELEMENTS(crash_signals); i++)
		sigaction(crash_signals[i], &sa, NULL);
}

static gboolean
is_crash_signal(int sig)
{
	for (guint i = 0; i < G_N_ELEMENTS(crash_signals); i++)
		if (crash_signals[i] == sig)
			return TRUE;
	return FALSE;
}

/* Records the message in SLOT as skipped, so that the next child does not
 * parse it again (index/pipeline.c reads the table). */
static gboolean
record_crash(const char *db_path, const struct journal_slot *slot, int sig, GError **error)
{
	int lock = index_lock(db_path, run_name, error);
	if (lock < 0)
		return FALSE;
	gboolean ok = FALSE;
	g_autoptr(mc_db) db = db_open(db_path, DB_WRITE, error);
	if (db) {
		g_autoptr(sqlite3_stmt) s =
		    db_prepare(db,
		               "INSERT OR REPLACE INTO skipped (container, name, size, mtime, "
		               "reason) VALUES (?, ?, ?, ?, ?)",
		               error);
		g_autofree char *reason =
		    g_strdup_printf("parsing it crashed mailclerk (%s)", g_strsignal(sig));
		if (s) {
			db_bind_text(s, 1, slot->container);
			db_bind_text(s, 2, slot->name);
			sqlite3_bind_int64(s, 3, slot->size);
			sqlite3_bind_int64(s, 4, slot->mtime);
			db_bind_text(s, 5, reason);
			ok = sqlite3_step(s) == SQLITE_DONE;
			if (!ok)
				db_set_error(error, db, "recording a crash");
		}
	}
	close(lock);
	return ok;
}

/* How a child is started: forked to call RUN(DATA), or PROGRAM run with
 * ARGV, given the journal's descriptor JOURNAL_FD. */
struct child_start {
	int (*run)(void *data);
	void *data;
	const char *program;
	char **argv;
	int journal_fd;
};

/* Runs START's PROGRAM with the journal's descriptor open in it and named
 * by JOURNAL_ENV, and the signals STOPS blocked: interrupt_catch()
 * unblocks them once it catches them, so that one sent while the child
 * starts is a request to stop, not its death. Returns its pid, or -1 and
 * ERROR. */
static pid_t
spawn_child(const struct child_start *start, const sigset_t *stops, GError **error)
{
	/* A copy without close-on-exec, for this child only: no thread runs
	 * here that could spawn meanwhile. */
	int inherited = fcntl(start->journal_fd, F_DUPFD, 3);
	if (inherited < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot start the %s: %s", run_name,
		            g_strerror(errno));
		return -1;
	}
	g_autofree char *value = g_strdup_printf("%d", inherited);
	g_auto(GStrv) env = g_environ_setenv(g_get_environ(), JOURNAL_ENV, value, TRUE);
	pid_t pid;
	posix_spawnattr_t attr;
	int rc = posix_spawnattr_init(&attr);
	if (rc == 0) {
		if ((rc = posix_spawnattr_setsigmask(&attr, stops)) == 0 &&
		    (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK)) == 0)
			rc = posix_spawn(&pid, start->program, NULL, &attr, start->argv, env);
		posix_spawnattr_destroy(&attr);
	}
	close(inherited);
	if (rc != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "cannot run %s: %s (is mailclerk installed whole?)", start->program,
		            g_strerror(rc));
		return -1;
	}
	return pid;
}

/* Starts one child as START says and waits for it; returns its wait status,
 * or -1 and ERROR when it could not be started. */
static int
run_child(const struct child_start *start, GError **error)
{
	fflush(NULL);
	/* The child decides how to stop (common/interrupt.c); a signal for it
	 * that comes while it starts waits until child_pid names it. */
	sigset_t stops, old_mask;
	interrupt_signals(&stops);
	sigprocmask(SIG_BLOCK, &stops, &old_mask);
	pid_t pid = start->program ? spawn_child(start, &stops, error) : fork();
	if (pid < 0 && !start->program)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot start the %s: %s", run_name,
		            g_strerror(errno));
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		in_child = TRUE;
		child_install_handlers();
		int rc = start->run(start->data);
		fflush(NULL);
		_exit(rc);
	}
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		return -1;
	}
	child_pid = pid;
	/* Asked to stop before the child started: a spawned child has not
	 * this process's flag, so it is asked too, and stops as it would have. */
	if (start->program && interrupt_caught())
		kill(pid, SIGTERM);
	struct sigaction fwd = { .sa_sigaction = forward_signal, .sa_flags = SA_SIGINFO }, old_int,
	                 old_term;
	sigemptyset(&fwd.sa_mask);
	sigaction(SIGINT, &fwd, &old_int);
	sigaction(SIGTERM, &fwd, &old_term);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	child_pid = 0;
	return status;
}

/* The journal of a child mailclerk spawned (supervise_spawn()): mapped from
 * the descriptor JOURNAL_ENV names, once; NULL in any other process. A
 * descriptor that is not a journal's (a variable set by hand) is none. */
static struct journal *
spawned_journal(void)
{
	static gboolean looked;
	static struct journal *spawned;
	if (looked)
		return spawned;
	looked = TRUE;
	const char *value = g_getenv(JOURNAL_ENV);
	if (!value)
		return NULL;
	char *end;
	gint64 fd = g_ascii_strtoll(value, &end, 10);
	struct stat st;
	int seals = *value && !*end && fd >= 3 && fd <= G_MAXINT ? fcntl((int)fd, F_GET_SEALS) : -1;
	if (seals >= 0 && (seals & JOURNAL_SEALS) == JOURNAL_SEALS &&
	    !(seals & JOURNAL_WRITE_SEALS) && fstat((int)fd, &st) == 0 &&
	    st.st_size == (off_t)sizeof(struct journal)) {
		struct journal *j =
		    mmap(NULL, sizeof *j, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0);
		if (j != MAP_FAILED && j->magic == journal_magic() && j->supervisor == getppid())
			spawned = j;
		else if (j != MAP_FAILED)
			munmap(j, sizeof *j);
		close((int)fd);
	}
	/* Not for the PDF readers it starts. */
	g_unsetenv(JOURNAL_ENV);
	return spawned;
}

gboolean
supervise_restarted(void)
{
	struct journal *j = journal ? journal : spawned_journal();
	return j && j->crashes > 0;
}

/* A sealed memfd the size of a journal, or -1. */
static int
journal_memfd(void)
{
	int fd = -1;
#ifdef MFD_NOEXEC_SEAL
	/* What a kernel with vm.memfd_noexec set asks for; older kernels
	 * refuse the flag. */
	fd = memfd_create("mailclerk-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
#endif
	if (fd < 0)
		fd = memfd_create("mailclerk-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd >= 0 && (ftruncate(fd, sizeof(struct journal)) != 0 ||
	                fcntl(fd, F_ADD_SEALS, JOURNAL_SEALS) != 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The journal shared with the children: a sealed memfd for children run
 * with exec (FD set), else an anonymous mapping (FD -1). NULL when it
 * cannot be made: said, unless it was to be a memfd (the caller then has
 * the command run otherwise). */
static struct journal *
journal_new(gboolean for_exec, int *fd)
{
	*fd = -1;
	struct journal *j = MAP_FAILED;
	if (!for_exec)
		j = mmap(NULL, sizeof *j, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		         0);
	else if ((*fd = journal_memfd()) >= 0)
		j = mmap(NULL, sizeof *j, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	if (j == MAP_FAILED) {
		if (!for_exec)
			fprintf(stderr, "mailclerk: cannot map the crash journal: %s\n",
			        g_strerror(errno));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return NULL;
	}
	j->magic = journal_magic();
	j->supervisor = getpid();
	return j;
}

/* The supervisor's loop: START's child, started again after each crash on
 * a message. */
static int
supervise(const char *command, struct child_start *start, const char *db_path)
{
	run_name = command;
	if (!(journal = journal_new(start->program != NULL, &start->journal_fd)))
		return start->program ? SUPERVISE_NO_JOURNAL : MC_EXIT_FAILURE;
	int rc = MC_EXIT_FAILURE;
	for (;;) {
		/* The new mapping is zeros: after a crash, only the slots handed out
		 * were written. Each slot is a page or two of the mapping, and a page
		 * touched for nothing cost every ingest 10-14 us on this project's VM. */
		journal->crashed_slot = -1;
		guint used = MIN((guint)journal->slots_used, JOURNAL_SLOTS);
		for (guint i = 0; i < used; i++)
			journal->slots[i].busy = 0;
		journal->slots_used = 0;
		memset(&journal->committed, 0, sizeof journal->committed);

		g_autoptr(GError) error = NULL;
		int status = run_child(start, &error);
		if (status < 0) {
			fprintf(stderr, "mailclerk: %s\n", error->message);
			break;
		}
		if (WIFEXITED(status)) {
			rc = WEXITSTATUS(status);
			break;
		}
		int sig = WTERMSIG(status);
		rc = 128 + sig;
		if (!is_crash_signal(sig)) {
			fprintf(stderr, "mailclerk: %s stopped by signal %d (%s)\n", run_name, sig,
			        g_strsignal(sig));
			break;
		}
		if (journal->crashed_slot < 0) {
			fprintf(stderr,
			        "mailclerk: %s crashed (%s) outside the parsing of a message; "
			        "what it committed is kept, run %s again to go on\n",
			        run_name, g_strsignal(sig), run_name);
			break;
		}
		const struct journal_slot *slot = &journal->slots[journal->crashed_slot];
		fprintf(stderr,
		        "mailclerk: skipped %s: parsing it crashed mailclerk (%s); it is skipped "
		        "until it changes\n",
		        slot->where, g_strsignal(sig));
		if (!record_crash(db_path, slot, sig, &error)) {
			fprintf(stderr, "mailclerk: %s\n", error->message);
			rc = MC_EXIT_FAILURE;
			break;
		}
		writer_stats_add(&journal->carried, &journal->committed);
		/* Asked to stop meanwhile: not started again. */
		if (stop_signal || interrupt_caught()) {
			fprintf(
			    stderr,
			    "mailclerk: interrupted: what the %s committed is kept; run %s again "
			    "to finish\n",
			    run_name, run_name);
			rc = MC_EXIT_INTERRUPTED;
			break;
		}
		if (++journal->crashes >= MAX_CRASHES) {
			fprintf(stderr, "mailclerk: %u messages crashed this %s; stopping\n",
			        journal->crashes, run_name);
			rc = MC_EXIT_FAILURE;
			break;
		}
	}
	if (rc == MC_EXIT_OK && journal->crashes)
		rc = MC_EXIT_FAILURE;
	munmap(journal, sizeof *journal);
	journal = NULL;
	if (start->journal_fd >= 0)
		close(start->journal_fd);
	return rc;
}

int
supervise_run(const char *command, int (*run)(void *data), void *data, const char *db_path)
{
	struct journal *spawned = spawned_journal();
	if (spawned) {
		/* This process is the child: its supervisor is the mailclerk
		 * that started it. */
		run_name = command;
		journal = spawned;
		in_child = TRUE;
		child_install_handlers();
		int rc = run(data);
		fflush(NULL);
		_exit(rc);
	}
	struct child_start start = { .run = run, .data = data, .journal_fd = -1 };
	return supervise(command, &start, db_path);
}

int
supervise_spawn(const char *command, const char *program, char **argv, const char *db_path)
{
	/* As the forked supervisor, whose command had caught them: ^C while it
	 * records a crash (the lock may be busy) stops it cleanly. */
	interrupt_catch();
	struct child_start start = { .program = program, .argv = argv, .journal_fd = -1 };
	return supervise(command, &start, db_path);
}

static void
copy_text(char *to, const char *from)
{
	g_strlcpy(to, from ? from : "", SLOT_TEXT);
}

void
supervise_enter(const struct source_item *item, gint64 size, const char *where)
{
	if (!journal)
		return;
	if (my_slot < 0) {
		gint slot = g_atomic_int_add(&journal->slots_used, 1);
		if (slot >= JOURNAL_SLOTS)
			return;
		/* Each thread needs its own stack for the handler, unless it has
		 * one already (ASan gives every thread one, and frees it itself). */
		stack_t old;
		if (sigaltstack(NULL, &old) < 0)
			return;
		if (old.ss_flags & SS_DISABLE) {
			stack_t ss = { .ss_sp = g_malloc(HANDLER_STACK), .ss_size = HANDLER_STACK };
			if (sigaltstack(&ss, NULL) < 0) {
				g_free(ss.ss_sp);
				return;
			}
		}
		my_slot = slot;
	}
	struct journal_slot *s = &journal->slots[my_slot];
	copy_text(s->container, item->container);
	g_strlcpy(s->name, item->name ? item->name : "", sizeof s->name);
	copy_text(s->where, where);
	s->size = size;
	s->mtime = item->mtime;
	g_atomic_int_set(&s->busy, 1);
}

void
supervise_leave(void)
{
	if (journal && my_slot >= 0)
		g_atomic_int_set(&journal->slots[my_slot].busy, 0);
}

int
supervise_stop_signal(void)
{
	return stop_signal;
}

pid_t
supervise_user_pid(void)
{
	return in_child && journal ? journal->supervisor : getpid();
}

void
supervise_committed(const struct writer_stats *stats)
{
	if (journal)
		journal->committed = *stats;
}

void
supervise_carried(struct writer_stats *stats, guint *crashes)
{
	memset(stats, 0, sizeof *stats);
	*crashes = 0;
	if (journal) {
		*stats = journal->carried;
		*crashes = journal->crashes;
	}
}

#ifdef MC_TEST_HOOKS
/* Recurses until the stack is gone; the volatile buffer keeps the compiler
 * from turning it into a loop. */
static int (*volatile recurse_again)(int);

static int
recurse(int depth)
{
	volatile char frame[1024];
	frame[depth % sizeof frame] = (char)depth;
	return recurse_again(depth + 1) + frame[depth % sizeof frame];
}

void
supervise_test_crash(const char *raw, gsize len)
{
	static const char *marker;
	static gsize once;
	if (g_once_init_enter(&once)) {
		marker = g_getenv("MAILCLERK_TEST_CRASH");
		g_once_init_leave(&once, 1);
	}
	if (marker && *marker && g_strstr_len(raw, len, marker)) {
		recurse_again = recurse;
		recurse(0);
	}
}
#else
void
supervise_test_crash(const char *raw, gsize len)
{
}
#endif
