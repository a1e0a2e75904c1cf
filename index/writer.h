/* The single writer: everything that changes the index goes through here,
 * on one thread, inside transactions the caller opens and commits. */
#ifndef MC_WRITER_H
#define MC_WRITER_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"
#include "index/db.h"
#include "index/rules.h"
#include "ingest/source.h"

struct writer_stats {
	guint64 messages_added;     /* new distinct messages */
	guint64 copies_added;       /* new copies of messages already indexed */
	guint64 copies_moved;       /* copies renamed (flags) */
	guint64 copies_removed;     /* copies whose file is gone */
	guint64 messages_removed;   /* messages left with no copy */
	guint64 messages_rewritten; /* reindex: messages whose parse changed what the index held */
	guint64 messages_unchanged; /* reindex: messages read again that were as parsed before */
};

/* Adds FROM's counts to TO's. */
void writer_stats_add(struct writer_stats *to, const struct writer_stats *from);

struct index_writer;

/* Returns a writer on DB (borrowed; must outlive it) using CFG's `me`
 * addresses for direction and FILING_RULES (borrowed, may be NULL) to file new
 * messages under clients and projects, or NULL and sets ERROR. Free with
 * writer_free(). */
struct index_writer *writer_new(struct mc_db *db, const struct mc_config *cfg,
                                const struct rules *filing_rules, GError **error);
void writer_free(struct index_writer *w);
typedef struct index_writer index_writer;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(index_writer, writer_free)

/* Prepares every statement W writes with, at most once: a writer prepares
 * only what a run with nothing new asks (writer_orphans_pending(),
 * writer_inherit_pending()) until then. writer_begin() does it first; a
 * caller that begins its own transaction calls it. */
gboolean writer_prepare(struct index_writer *w, GError **error);
gboolean writer_begin(struct index_writer *w, GError **error);
gboolean writer_commit(struct index_writer *w, GError **error);
/* Writes what W has counted so far of the open transaction's new mail (its
 * threads', clients' and contacts' numbers) and forgets it, so that what it
 * holds does not grow with the batch; writer_commit() writes the rest. */
gboolean writer_flush_counts(struct index_writer *w, GError **error);
void writer_rollback(struct index_writer *w);

/* Counts the aggregates of migrate-14.sql whole (db_aggregates_rebuild()),
 * forgetting what W counted of this transaction's mail: reclassify, which
 * files every message again. FALSE and ERROR on a database error. */
gboolean writer_aggregates_rebuild(struct index_writer *w, GError **error);

/* Records the copy ITEM of the parsed message PM: a new message, or one more
 * location of a message with the same Message-ID. BODY_Z is PM's body as
 * text_compress() makes it (done on the parse workers), or NULL to compress
 * it here; FILINGS is what rules_file() returns for PM (also done on the
 * workers), or NULL to run the rules here. Neither is taken over. When
 * ITEM is no copy of the message (a new maildir file with its Message-ID
 * and other content, the message's own file still there), nothing is
 * recorded and *REFUSED (else NULL; the caller frees it) says why. */
gboolean writer_add(struct index_writer *w, const struct source_item *item,
                    const struct parsed_message *pm, GBytes *body_z, GPtrArray *filings,
                    char **refused, GError **error);
/* Rewrites what parsing gives of message ID (the copy read again is PM;
 * BODY_Z as for writer_add(), or NULL): its subject, date, sender,
 * direction, size, addresses, attachments and text, where they differ from
 * what the index holds. Its id, thread, copies, filings and everything
 * recorded about it are kept. Counted as rewritten or unchanged. */
gboolean writer_rewrite(struct index_writer *w, gint64 id, const struct parsed_message *pm,
                        GBytes *body_z, GError **error);
/* A maildir copy renamed: it is now in SUB with INFO. */
gboolean writer_move(struct index_writer *w, gint64 location_id, const char *sub, const char *info,
                     GError **error);
/* Removes a copy; its message is checked by writer_sweep_orphans(). A
 * location that no longer exists is not an error. */
gboolean writer_remove_location(struct index_writer *w, gint64 location_id, GError **error);
/* Removes the messages that lost copies (this run or a killed one) and have
 * none left; call in the run's last transaction. */
gboolean writer_sweep_orphans(struct index_writer *w, GError **error);

/* Files message ID (whose content PM is) by the writer's rules: one row per
 * client and project, with the rule and the matched text. FILINGS, when not
 * NULL, is rules_file()'s answer for PM computed beforehand. */
gboolean writer_file_message(struct index_writer *w, const struct parsed_message *pm,
                             GPtrArray *filings, gint64 id, GError **error);

/* Gives each message that no rule filed the filings of its thread (rule
 * "thread"): a "thanks!" from a personal address lands in the project. ALL:
 * every thread (after reclassify); else the threads of the messages added
 * since this was last done (inherit_pending, also a killed run's). Call in
 * the run's last transaction. */
gboolean writer_inherit_filings(struct index_writer *w, gboolean all, GError **error);

/* Makes every message's automated mark and direction what W's
 * configuration says now of its sender: the mark from its stored signal and
 * the `automated` and `people` lists (common/automated.h), the direction
 * (outbound or not) from `me`, after the user changed them.
 * *AUTOMATED_CHANGED and *DIRECTION_CHANGED count the messages that
 * changed. */
gboolean writer_remark(struct index_writer *w, gint64 *automated_changed, gint64 *direction_changed,
                       GError **error);

/* Returns TRUE when messages added (by this run or a killed one) still wait
 * for writer_inherit_filings(). */
gboolean writer_inherit_pending(struct index_writer *w);

/* Returns TRUE when a killed run left messages to check. */
gboolean writer_orphans_pending(struct index_writer *w);

/* Records CONTAINER as scanned completely as of MTIME_NS/SIZE; MTIME_NS -1
 * forgets it (when no copy is left in it). */
gboolean writer_container_done(struct index_writer *w, const char *container, gint64 mtime_ns,
                               gint64 size, GError **error);

/* Returns the counts so far; owned by W. */
const struct writer_stats *writer_stats(const struct index_writer *w);

/* Records ITEM (SIZE bytes, item->mtime) as skipped for REASON: later runs
 * do not parse it again until its size or time changes. */
gboolean writer_skip(struct index_writer *w, const struct source_item *item, gint64 size,
                     const char *reason, GError **error);

/* Forgets that the message NAME of CONTAINER was skipped (it changed or
 * went since). */
gboolean writer_unskip(struct index_writer *w, const char *container, const char *name,
                       GError **error);

#endif
