/* Private to the pipeline (index/pipeline.c, index/pipeline-sink.c,
 * index/reindex.c): the machinery an ingest run and a reindex run share —
 * messages handed to a pool of parse workers, their results written by one
 * writer thread in large transactions — and what each run adds to it. */
#ifndef MC_PIPELINE_INTERNAL_H
#define MC_PIPELINE_INTERNAL_H

#include <glib.h>

#include "common/conf.h"
#include "index/db.h"
#include "index/pipeline.h"
#include "index/rules.h"
#include "ingest/parse.h"
#include "ingest/source.h"

enum event_kind { EV_ITEM, EV_MOVED, EV_GONE, EV_DONE, EV_END };

struct event {
	enum event_kind kind;
	struct source_item *item; /* EV_ITEM: the copy parsed (reindex: the one read) */
	struct parsed_message *pm;
	GBytes *body_z;     /* pm's body, compressed by the worker */
	GPtrArray *filings; /* pm's filings, found by the worker */
	gsize bytes;        /* raw bytes counted in pipeline.in_flight_bytes */
	GError *error;
	gboolean known_skip;  /* skipped by an earlier run and unchanged: not parsed */
	gint64 skip_size;     /* the size a skip is remembered with, when not BYTES */
	gboolean was_skipped; /* skipped by an earlier run, changed since */
	gint64 id;
	char *path;  /* EV_MOVED: the new sub; EV_DONE: the container */
	char *flags; /* EV_MOVED: the new info */
	gint64 mtime_ns;
	gint64 size;
	/* reindex (0 in an ingest): the message read again, its Message-ID,
	 * its copies (struct source_item *, in the order show reads them; the
	 * one read moves to ITEM) and its place in the job (index/reindex.c) */
	gint64 message;
	char *message_id;
	GPtrArray *copies;
	guint seq;
};

struct reindex_job;

struct pipeline {
	struct source_sink sink; /* ingest: first, the sink callbacks cast back to this */
	const struct mc_config *cfg;
	const struct rules *rules;
	enum parse_flags parse_flags; /* PARSE_HEADERS when a rule reads a header */
	const char *db_path;
	struct ingest_report *report;
	struct mc_db *read_db;
	GHashTable *skipped_known; /* "container\nname" -> gint64[2] {size, mtime}: earlier runs' */
	/* ingest (pipeline-sink.c) */
	GHashTable *containers; /* path -> gint64[2] {mtime_ns, size} as of the run's start */
	GHashTable *claimed;    /* containers scanned this run, by any source */
	sqlite3_stmt *st_locations;
	sqlite3_stmt *st_containers_below;
	/* reindex (reindex.c); NULL in an ingest */
	struct reindex_job *reindex;
	/* the machinery (pipeline.c) */
	GThreadPool *pool;
	GAsyncQueue *queue; /* struct event * to the writer */
	GThread *writer;
	GError *writer_error;
	GMutex lock;
	GCond cond;
	guint in_flight;
	gsize in_flight_bytes;
	/* The feeder (one thread: the scanner) waits in pipeline_feed() for
	 * room for a message of this many bytes; G_MAXSIZE when it does not. */
	gsize feeder_waits_for;
	guint64 discovered;
	guint64 expected; /* what sources announced (sink->expect) */
	gint skipped;
	gint writer_failed;
	guint workers_alive; /* parse threads that have not ended (under LOCK) */
};

void event_free(struct event *ev);

/* Sets up P for a run into the index at DB_PATH (borrowed, as CFG,
 * FILING_RULES
 * and REPORT, which is cleared): a read connection and the files earlier
 * runs skipped. FALSE and ERROR when the index cannot be read; call
 * pipeline_clear() either way. */
gboolean pipeline_open(struct pipeline *p, const char *db_path, const struct mc_config *cfg,
                       const struct rules *filing_rules, struct ingest_report *report,
                       GError **error);

/* Starts the parse workers and the writer thread. */
void pipeline_start(struct pipeline *p);

/* Hands EV (an EV_ITEM with its item or, in a reindex, its copies; BYTES
 * of raw mail already read, 0 when the worker reads them) to a parse
 * worker, waiting while too many messages are in flight; frees it instead
 * once the run is stopping. */
void pipeline_feed(struct pipeline *p, struct event *ev, gsize bytes);

/* Sends EV straight to the writer thread. */
void pipeline_push(struct pipeline *p, struct event *ev);

/* About N more messages are coming (for progress). */
void pipeline_expect(struct pipeline *p, guint64 n);

/* Waits for the workers and the writer to finish what was fed. FALSE and
 * ERROR when the writer failed. */
gboolean pipeline_finish(struct pipeline *p, GError **error);

/* Frees what pipeline_open() and pipeline_start() made; fills in the
 * report's skipped count and time. */
void pipeline_clear(struct pipeline *p, gint64 start);

/* Whether the run stops early: a signal (common/interrupt.h) or an index
 * that cannot be written. */
gboolean pipeline_stopping(struct pipeline *p);

/* Reads the message file PATH whole (at most 256 MiB) and sets *MTIME to
 * its time; the caller unrefs the bytes. NULL and ERROR (the system's
 * reason, without the path) otherwise; a larger file is a PARSE_ERROR,
 * the file's nature, with *MTIME and *SIZE (when not NULL) set, so that it
 * is remembered as skipped. */
GBytes *pipeline_read_file(const char *path, gint64 *mtime, gint64 *size, GError **error);

/* Returns how reports name the copy ITEM: its path, an mbox's with the
 * message's offset. The caller frees it. */
char *pipeline_copy_where(const struct source_item *item);

/* Returns how reports name EV's copy: pipeline_copy_where(), after
 * "message ID" in a reindex. The caller frees it. */
char *pipeline_where(const struct event *ev);

/* Reports PATH as skipped for REASON on stderr, and counts it. */
void pipeline_report_skipped(struct pipeline *p, const char *path, const char *reason);

/* ---- a reindex's part, in reindex.c ---- */

/* In the parse worker: reads the first copy of EV->copies that can be read
 * and is still message EV->message (it becomes EV->item); returns its raw
 * bytes and sets *MTIME, or NULL with EV->error set. */
GBytes *reindex_read(struct event *ev, gint64 *mtime);

/* After parsing: sets EV->error when the copy now holds another message. */
void reindex_check(struct event *ev);

/* In the writer thread: EV is written, or left as it was (reported). */
void reindex_done(struct reindex_job *job, const struct event *ev);

/* In the writer thread, in the transaction about to be committed: records
 * how far the job got, so that a run started again after a kill goes on
 * from there. */
gboolean reindex_mark(struct reindex_job *job, struct mc_db *db, GError **error);

/* Whether the index records how far the job got (test hooks). */
gboolean reindex_marked(const struct reindex_job *job);

/* In the writer thread, in the run's last transaction once every message
 * was handled: forgets the mark and, after a reindex of every message,
 * that the index needed one. */
gboolean reindex_finish(struct reindex_job *job, struct mc_db *db, GError **error);

#endif
