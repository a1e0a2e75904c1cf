/* The report queries behind the views (clients, timeline, explain,
 * attachments): rows for the commands to print; nothing here prints.
 * Follow-ups and contacts have their own files (followups.h, contacts.h). */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"

/* The mail of a client or project, in numbers. */
struct mail_counts {
	gint64 in, out;     /* messages received and sent */
	gint64 threads;     /* distinct threads */
	gint64 first, last; /* dates of the first and last message; 0 for none */
	gint64 followups;   /* what `followups` lists for it (owe and chase), by default */
	gint64 attachments; /* attachments, inline parts left out */
};

/* One client's mail, for `clients`. */
struct client_report {
	const struct mc_client_config *client; /* borrowed from the configuration */
	struct mail_counts n;
};

/* Returns one struct client_report per client of CFG, in its order, with
 * follow-ups counted as of NOW; the caller unrefs it. NULL and ERROR on a
 * database error. */
GArray *report_clients(struct mc_db *db, const struct mc_config *cfg, gint64 now, GError **error);

/* One project's mail, for `projects`; or a client's mail filed under none
 * of its projects. */
struct project_report {
	const char *client;                      /* borrowed from the configuration */
	const struct mc_project_config *project; /* borrowed; NULL: the client's other mail */
	struct mail_counts n;
};

/* Returns a struct project_report for each project of CFG (of CLIENT, or
 * of every client), in its order, each client's followed by its mail in
 * none of them when it has some; follow-ups counted as of NOW. The caller
 * unrefs it; NULL and ERROR on a database error. */
GArray *report_projects(struct mc_db *db, const struct mc_config *cfg, const char *client,
                        gint64 now, GError **error);

/* One message of a timeline. */
struct timeline_message {
	gint64 id;
	gint64 date;
	gboolean outbound;
	const char *from_name, *from_addr, *subject; /* "" when missing */
	gint64 attachments;                          /* attachments, inline parts left out */
};

/* One thread of a timeline: its messages filed under the client or project,
 * in date order. Valid during the callback only. */
struct timeline_thread {
	gint64 thread;
	GArray *messages; /* struct timeline_message */
};

typedef void (*report_timeline_fn)(const struct timeline_thread *thread, gpointer data);

/* Calls FN for each thread with mail filed under CLIENT (and PROJECT, a
 * project key, or "" for the client itself) dated SINCE (UTC seconds) or
 * later, threads in the order they began; with LIMIT > 0 only the LIMIT
 * threads with the newest such mail, setting MORE when there are others.
 * FALSE and ERROR on a database error. */
gboolean report_timeline(struct mc_db *db, const char *client, const char *project, gint64 since,
                         gint64 limit, report_timeline_fn fn, gpointer data, gboolean *more,
                         GError **error);

/* Returns why message ID is filed where it is: struct filing * (index/rules.h),
 * its filings by client and project, then the clients whose exclude rule
 * kept it out (`excluded`); the caller unrefs it. NULL and ERROR on a
 * database error. */
GPtrArray *report_explain(struct mc_db *db, gint64 id, GError **error);

/* One attachment of a message. Valid during the callback. */
struct attachment_report {
	gint64 id; /* the message */
	const char *message_id;
	gint64 date;
	const char *from_name, *from_addr;
	const GPtrArray *clients;  /* char *, the message's client keys */
	const GPtrArray *projects; /* char *, "CLIENT/KEY" */
	const char *filename, *mime_type, *sha256, *part;
	gint64 size;
	gboolean is_inline;
};

typedef void (*report_attachment_fn)(const struct attachment_report *a, gpointer data);

/* Calls FN for each attachment of the messages IDS (gint64), in that order
 * and part order within a message; inline parts only with INLINE; the first
 * LIMIT of them (0: all), MORE set to whether there are others. FALSE and
 * ERROR on a database error. */
gboolean report_attachments(struct mc_db *db, GArray *ids, gboolean with_inline, gint64 limit,
                            report_attachment_fn fn, gpointer data, gboolean *more, GError **error);

#endif
