/* Follow-ups: threads filed under a client whose last message is older than
 * a number of days. When the client wrote last, you owe a reply; when you
 * did, it is time to chase them. */
#ifndef MC_FOLLOWUPS_H
#define MC_FOLLOWUPS_H

#include <glib.h>

#include "index/db.h"

struct followup {
	char *client;
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

/* Returns the struct followup * of CLIENT (NULL: every client) whose thread's
 * last message is more than DAYS days older than NOW, oldest first; the
 * caller unrefs it. NULL and ERROR on a database error. */
GPtrArray *followups_collect(struct mc_db *db, const char *client, gint64 now, gint64 days,
                             GError **error);

#endif
