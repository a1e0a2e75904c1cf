/* A poison message never blocks a source: an ingest run is done by a child
 * process the caller's process watches. The parse workers note the message
 * each of them is parsing in memory both processes share; when the child
 * dies of a crash (a signal inside GMime, poppler, ...), the parent records
 * the message that crashed it as skipped in the index and starts the run
 * again, which skips it and indexes everything else. */
#ifndef MC_SUPERVISE_H
#define MC_SUPERVISE_H

#include <glib.h>
#include <sys/types.h>

#include "index/writer.h"
#include "ingest/source.h"

/* Runs RUN(DATA), the run of COMMAND ("ingest", "reindex": static, for
 * messages and the lock), in a child process, again after each crash on a
 * message, and returns its exit status; 1 when it succeeded but messages
 * crashed it, 128 + the signal when it died of something that is not a
 * message's crash. DB_PATH is the index the crashes are recorded in. Call
 * it before any thread is started. */
int supervise_run(const char *command, int (*run)(void *data), void *data, const char *db_path);

/* The same, in the program the user started (mailclerk), for a COMMAND
 * that runs in another program: its child runs PROGRAM with ARGV, which
 * calls supervise_run() and finds it is that child. Saves the child a
 * fork of a process that has loaded GMime: its pages were copied on each
 * first write, ~200 of them (6 ms) for a no-op ingest. Returns
 * SUPERVISE_NO_JOURNAL, having started nothing, when the journal cannot be
 * shared with another program (no memfd): the caller runs PROGRAM as it
 * can. */
int supervise_spawn(const char *command, const char *program, char **argv, const char *db_path);
#define SUPERVISE_NO_JOURNAL (-1)

/* Whether this process is a child started again after a message crashed the
 * one before: what that one read from stdin is not there to be read again
 * (ingest stores it first, and indexes it from the store). */
gboolean supervise_restarted(void);

/* Returns SIGINT or SIGTERM when one reached this process while
 * supervise_run() waited for a child (which then decided how to stop), else
 * 0: for a caller that goes on after a run (mailclerk watch). */
int supervise_stop_signal(void);

/* In the child: a parse worker is about to parse ITEM (SIZE bytes, read
 * with item->mtime), shown as WHERE in reports. No-op when not supervised. */
void supervise_enter(const struct source_item *item, gint64 size, const char *where);
/* ...and is done with it. */
void supervise_leave(void);

/* Returns the pid of the process the user started: the supervisor's in a
 * supervised child, else this process's. */
pid_t supervise_user_pid(void);

/* In the child's writer: STATS is what this child has committed so far. */
void supervise_committed(const struct writer_stats *stats);

/* In the child: what earlier children of this run committed before they
 * crashed, and how many messages crashed them, for the run's summary. */
void supervise_carried(struct writer_stats *stats, guint *crashes);

/* Test hook (MC_TEST_HOOKS; a no-op without): when the environment names
 * MAILCLERK_TEST_CRASH and a message contains its value, parsing that
 * message overflows the stack, as a hostile message once made GMime do. */
void supervise_test_crash(const char *raw, gsize len);

#endif
