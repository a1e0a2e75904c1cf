/* The numbers `clients`, `projects` and `contacts` show, kept up to date in
 * the writer's transactions (migrate-14.sql): filing_stats and thread_stats
 * per client and project, contact_stats per client and address; and
 * thread_last, each thread's last message, for `followups`
 * (migrate-16.sql). */
#ifndef MC_AGGREGATES_H
#define MC_AGGREGATES_H

#include <glib.h>

#include "index/db.h"

/* Makes the temporary tables aggregates_flush() works in. FALSE and ERROR
 * on a database error. */
gboolean aggregates_begin(struct mc_db *db, GError **error);

/* Counts again what changed in the transaction: the threads of stats_dirty
 * (triggers and the writer note them; their last messages too), the
 * messages of contacts_pending and the keys of contacts_dirty. The writer
 * adds what its new mail adds to the other threads itself, before it calls
 * this. Every transaction that changes messages, filings or attachments
 * calls it before it commits (the writer does). FALSE and ERROR on a
 * database error. */
gboolean aggregates_flush(struct mc_db *db, GError **error);

/* Note, for aggregates_flush(), that the numbers of message ID's thread
 * changed (a message parsed again with other numbers, a filing inherited
 * from its thread); that its contacts did (its addresses or date changed:
 * call it before and after); that it was newly filed under CLIENT, its
 * contacts not counted by the caller; that it is no longer filed under
 * CLIENT (a filing inherited from its thread went). FALSE and ERROR on a
 * database error. */
gboolean aggregates_note_thread(struct mc_db *db, gint64 id, GError **error);
gboolean aggregates_note_contacts(struct mc_db *db, gint64 id, GError **error);
gboolean aggregates_note_filing(struct mc_db *db, gint64 id, const char *client, GError **error);
gboolean aggregates_note_unfiled(struct mc_db *db, gint64 id, const char *client, GError **error);

/* Forgets what was noted for aggregates_flush() in the caller's write
 * transaction, for a caller whose changes leave every number as it was
 * (reclassify, when every message keeps the keys it was filed under: its
 * filings inherited from a thread are written again, and counting their
 * contacts again would count them twice). FALSE and ERROR on a database
 * error. */
gboolean aggregates_forget(struct mc_db *db, GError **error);

/* Counts everything again (migration 14; reclassify, which files every
 * message again), inside the caller's write transaction. FALSE and ERROR on
 * a database error. */
gboolean aggregates_rebuild(struct mc_db *db, GError **error);

/* What messages add to the contacts of clients, counted in memory. */
struct contacts;

struct contacts *contacts_new(void);
void contacts_free(struct contacts *c);
typedef struct contacts contacts;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(contacts, contacts_free)

/* Counts ADDRESS in MESSAGE (dated DATE) under CLIENT, with NAME ("" when
 * none) at ROW (the order of the message's addresses: addresses.rowid).
 * The rows of one message under a key come together: a message counts once
 * for its key however many roles the address has in it. */
void contacts_count(struct contacts *c, const char *client, const char *address, gint64 message,
                    gint64 date, const char *name, gint64 row);

/* Adds what C counted to contact_stats and forgets it. FALSE and ERROR on a
 * database error. */
gboolean contacts_write(struct contacts *c, struct mc_db *db, GError **error);

/* Forgets what C counted. */
void contacts_clear(struct contacts *c);

#endif
