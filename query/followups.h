/* Follow-ups: the threads filed under a client that wait for someone, and
 * the clients and projects that have gone quiet.
 *
 * A thread's last message (latest date, then highest id) decides. You owe a
 * reply when it is inbound, not automated, filed under the client, has one
 * of your `me` addresses in To or Cc, and no copy of it carries the Maildir
 * R (answered) flag; whatever its age. Chase them when it is yours, not
 * automated, filed under the client, and older than a number of days.
 * Threads whose last message is older than the maximum age are history and
 * left out, and so are threads marked done, or snoozed until a time still to
 * come (followup_state, index/followup-state.h): a mark is kept on the
 * message that was the last when it was made, so a new last message ends
 * it. */
#ifndef MC_FOLLOWUPS_H
#define MC_FOLLOWUPS_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"

/* The defaults of --days (chase) and --quiet. */
#define FOLLOWUP_DAYS       14
#define FOLLOWUP_QUIET_DAYS 14

struct followup_options {
	gint64 now;     /* UTC seconds ages are counted from */
	gint64 days;    /* chase: your last message is older than this many days */
	gint64 max_age; /* days: threads whose last message is older are left out... */
	gboolean all;   /* ...unless ALL */
	gint64 quiet;   /* gone quiet after this many days; 0: each client's
	                 * followup_days, else FOLLOWUP_QUIET_DAYS */
	gint64 latest;  /* threads whose last message is dated later are left out: NOW
	                 * when it was given (as it stood then), else G_MAXINT64 (a
	                 * sender's clock ahead of ours is still mail that came) */
};

/* Sets O to the defaults of `followups` (what `clients` counts with) as of
 * NOW, with CFG's followup_max_age; LATEST as for NOW from the clock, unless
 * MAILCLERK_NOW gives it. */
void followup_options_init(struct followup_options *o, const struct mc_config *cfg, gint64 now);

struct followup {
	char *client;
	char **projects; /* the projects of CLIENT its last message is filed under, sorted */
	gint64 thread;
	gint64 id;         /* the thread's last message */
	gint64 date;       /* its date, UTC seconds */
	gboolean outbound; /* TRUE: you wrote last (chase them); FALSE: you owe a reply */
	char *subject;
	char *from_name;
	char *from_addr;
	char *to_addr; /* outbound: its first recipient, "" otherwise */
};
void followup_free(struct followup *f);

/* Returns the struct followup * of CLIENT (NULL: every client; PROJECT, a
 * project key of CLIENT, or NULL: only threads whose last message is filed
 * under it), owed and to chase as O says, oldest first; the caller unrefs
 * it. CFG gives the `me` addresses. NULL and ERROR on a database error. */
GPtrArray *followups_collect(struct mc_db *db, const struct mc_config *cfg, const char *client,
                             const char *project, const struct followup_options *o, GError **error);

/* A client, or one of its projects, with no exchange either way for longer
 * than its follow-up days. */
struct followup_quiet {
	const char *client;  /* borrowed from the configuration */
	const char *project; /* the project key, or NULL for the client as a whole */
	const char *name;    /* its display name */
	gint64 last;         /* the date of its last message that is not automated; 0: none */
	gint64 last_id;      /* that message; 0: none */
};

/* Returns the struct followup_quiet of CFG's clients (or CLIENT's, or its
 * PROJECT's) that have gone quiet as of O->now, longest silent (or never
 * heard from) first: a client whose last message that is not automated is
 * older than its days (O->quiet, else its followup_days, else
 * FOLLOWUP_QUIET_DAYS), and a project of a client that has not gone quiet
 * whose own is. Clients with active = no are left out. The caller frees the
 * array; NULL and ERROR on a database error. */
GArray *followups_quiet(struct mc_db *db, const struct mc_config *cfg, const char *client,
                        const char *project, const struct followup_options *o, GError **error);

/* A thread marked done or snoozed. */
struct followup_mark {
	gint64 thread;
	gint64 id; /* the message the mark is kept on, still the thread's last */
	gint64 date;
	gboolean outbound;
	char *subject, *from_name, *from_addr;
	char *to_addr; /* its first recipient, "" when none */
	enum followup_state {
		FOLLOWUP_OPEN, /* not marked */
		FOLLOWUP_DONE,
		FOLLOWUP_SNOOZED,
	} state;
	gint64 until;  /* snoozed: when it ends, UTC seconds */
	char *note;    /* "" when none */
	gint64 marked; /* when it was marked */
};
void followup_mark_free(struct followup_mark *m);
typedef struct followup_mark followup_mark;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(followup_mark, followup_mark_free)

/* Returns the struct followup_mark * of the threads that are done, or
 * snoozed past NOW, whose marked message is still their last and filed
 * under CLIENT (NULL: any; PROJECT: that project of it), in the order they
 * were marked; the caller unrefs it. NULL and ERROR on a database error. */
GPtrArray *followups_marked(struct mc_db *db, const char *client, const char *project, gint64 now,
                            GError **error);

/* Returns thread THREAD's last message as a struct followup_mark * whose
 * state says how that message is marked (FOLLOWUP_OPEN: not at all; a
 * snooze that has ended still counts); free it with followup_mark_free().
 * NULL and ERROR when the thread has no message or on a database error. */
struct followup_mark *followups_thread(struct mc_db *db, gint64 thread, GError **error);

#endif
