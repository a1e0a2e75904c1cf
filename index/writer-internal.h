/* Private to the writer (index/writer.c and index/writer-content.c): what
 * parsing gives of a message, written by ingest's insert and by reindex's
 * rewrite through one function, so that a field parsing learns is written
 * by both. */
#ifndef MC_WRITER_INTERNAL_H
#define MC_WRITER_INTERNAL_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"
#include "index/db.h"
#include "index/dates.h"
#include "index/doclens.h"

struct content_writer;

/* Returns a content writer on DB using CFG's `me` addresses for direction
 * and keeping DATE_MAP and LENGTHS (the writer's date and text-length maps)
 * in step; all four are borrowed and must outlive it. NULL and ERROR when its statements cannot be
 * prepared. Free with content_writer_free(). */
struct content_writer *content_writer_new(struct mc_db *db, const struct mc_config *cfg,
                                          struct dates *date_map, struct doclens *lengths,
                                          GError **error);
void content_writer_free(struct content_writer *cw);

/* What a message adds to the numbers of each key it is filed under
 * (thread_stats, migrate-14.sql). */
struct content_numbers {
	gint64 date;
	int direction;      /* 0 in, 1 out */
	gint64 attachments; /* those not shown inline */
	gboolean automated; /* messages.automated */
};

/* Returns TRUE when mail from FROM (its From address, "" when none) is
 * outbound, sent by the user: one of CFG's `me`. Ingest and reclassify
 * (writer_remark()) set messages.direction by it. */
gboolean content_outbound(const struct mc_config *cfg, const char *from);

/* Sets OUT to the bytes of a parsed message's content hash HEX (its hex
 * digits): messages.content_hash holds the bytes, the index is smaller. */
void content_hash_bytes(const char *hex, guint8 out[CONTENT_HASH_BYTES]);

/* Inserts PM as a new message of thread THREAD with everything parsing
 * gives (BODY_Z: its body compressed, or NULL to compress it here); sets
 * *ID to its id and NUMBERS to what it adds. */
gboolean content_insert(struct content_writer *cw, const struct parsed_message *pm, GBytes *body_z,
                        gint64 thread, gint64 *id, struct content_numbers *numbers, GError **error);

/* Rewrites what parsing gives of the existing message ID from PM, only the
 * parts that differ from what the index holds (the full text is deleted
 * with its old text and indexed again only when the text changed); sets
 * *CHANGED when anything did. The message row's identity (Message-ID,
 * thread) and everything else about the message are left alone. Its
 * thread's numbers are counted again before the commit when anything
 * changed. */
gboolean content_rewrite(struct content_writer *cw, gint64 id, const struct parsed_message *pm,
                         GBytes *body_z, gboolean *changed, GError **error);

#endif
