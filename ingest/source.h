/* One interface for every place mail comes from (fdm's `struct fetch`).
 *
 * A source walks its mail and tells a sink what it found: messages to parse
 * and index, known copies that were renamed or are gone, and containers
 * (maildir folders, mbox files) it finished. It asks the sink what the index
 * already holds, so unchanged mail is never read again. Sources never touch
 * SQL; the sink (index/pipeline.c) does. */
#ifndef MC_SOURCE_H
#define MC_SOURCE_H

#include <glib.h>

#include "common/message.h"

/* A message to parse: where it is and what to call it. */
struct source_item {
	char *source;       /* [source NAME] or "" */
	const char *kind;   /* "maildir", "mbox", "file" (static) */
	char *container;    /* maildir folder directory, mbox file, or the file itself */
	char *folder;       /* folder name users see */
	char *name;         /* identity in the container across renames: maildir unique
	                     * name, mbox offset; "" for a single file */
	char *sub;          /* maildir: "cur" or "new"; "" otherwise */
	char *info;         /* maildir: what follows the unique name (":2,S"); mbox: the
	                     * flags of Status/X-Status in that form, "" when none */
	char *path;         /* absolute path of the file holding it */
	gint64 offset;      /* mbox: offset of the message's first byte */
	gint64 length;      /* mbox: its length */
	gint64 fingerprint; /* mbox: 64 bits of the SHA-256 of its raw bytes */
	gint64 mtime;       /* file time, the last fallback for the date */
	GBytes *data;       /* the raw bytes when the source has read them; NULL: read PATH */
	/* Why the source refuses the file as it is (not mail of its kind):
	 * reported, and remembered as skipped until it changes; LENGTH is
	 * its size. NULL for mail. */
	char *refused;
};

/* Frees ITEM and everything it owns. */
void source_item_free(struct source_item *item);
typedef struct source_item source_item;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(source_item, source_item_free)

/* A copy the index already holds (see sink->known_locations). */
struct known_location {
	gint64 id;
	char *sub;
	char *info;
	gint64 length;
	gint64 fingerprint;
};

struct source_sink {
	/* What the index knows. Returns FALSE when CONTAINER was never scanned. */
	gboolean (*container_state)(struct source_sink *sink, const char *container,
	                            gint64 *mtime_ns, gint64 *size);
	/* Returns name -> struct known_location * for CONTAINER; the caller unrefs
	 * it. NULL when the index could not be read (reported): the source must
	 * then leave CONTAINER alone. */
	GHashTable *(*known_locations)(struct source_sink *sink, const char *container);
	/* Returns FALSE when CONTAINER was already scanned this run (two sources
	 * overlapping, e.g. ~/Mail and ~/Mail/.Work): scanning it twice in one
	 * run would replace its copies with themselves. */
	gboolean (*claim)(struct source_sink *sink, const char *container);

	/* Returns the containers of KIND ("maildir", "mbox") the index holds at
	 * or below the directory PREFIX, as char *; the caller unrefs it. Lets a
	 * source notice a folder or file that was deleted as a whole. */
	GPtrArray *(*known_containers)(struct source_sink *sink, const char *kind,
	                               const char *prefix);

	/* About N more messages are coming (for progress); sources that cannot
	 * tell cheaply do not call it. */
	void (*expect)(struct source_sink *sink, guint64 n);

	/* A message to parse and index; the sink takes ITEM. It may block while
	 * too many messages are in flight, which keeps memory flat. */
	void (*add)(struct source_sink *sink, struct source_item *item);
	/* A known maildir copy was renamed: it is now in SUB with INFO (flags). */
	void (*moved)(struct source_sink *sink, gint64 location_id, const char *sub,
	              const char *info);
	/* A known copy no longer exists. */
	void (*gone)(struct source_sink *sink, gint64 location_id);
	/* CONTAINER was scanned completely as of MTIME_NS/SIZE; MTIME_NS -1 says
	 * it no longer exists (after its copies were reported gone). */
	void (*container_done)(struct source_sink *sink, const char *container, gint64 mtime_ns,
	                       gint64 size);
	/* Something that could not be read was skipped: reported and counted. */
	void (*skipped)(struct source_sink *sink, const char *path, const char *reason);
	/* TRUE once the run is stopping (interrupted, or the index cannot be
	 * written): the source returns at once, reporting no container done and
	 * no copy gone for what it has not read whole. */
	gboolean (*stopping)(struct source_sink *sink);
};

struct source;

struct source_ops {
	const char *kind;
	/* Optional: looks at the source's files, and only at them (of SINK
	 * only stopping(), which any thread may call), so that it can run on
	 * another thread while the index is opened; what it found is kept
	 * with source_set_walked() for scan. */
	void (*walk)(struct source *src, struct source_sink *sink);
	/* Walks the source, feeding SINK. FALSE and ERROR on a failure that stops
	 * this source (an unreadable single message is sink->skipped instead). */
	gboolean (*scan)(struct source *src, struct source_sink *sink, GError **error);
};

struct source {
	const struct source_ops *ops;
	char *name;      /* [source NAME], or "" for command-line paths */
	char *path;      /* absolute maildir root, mbox file or message file */
	char *store_dir; /* Maildir for mail with no file of its own (stdin); set by the caller */
	const char *root_folder; /* maildir: the top folder's name; NULL means "INBOX" */
	gpointer walked;         /* what walk found, until scan takes it */
	GDestroyNotify walked_free;
};

/* Keeps WALKED (freed with FREE_FUNC unless taken) as what SRC's walk found. */
void source_set_walked(struct source *src, gpointer walked, GDestroyNotify free_func);

/* Returns what SRC's walk found, or NULL (not walked); the caller owns it. */
gpointer source_take_walked(struct source *src);

/* Walks SOURCES (those whose kind has a walk) on a thread of their own,
 * in order, while the caller goes on: a no-op run over a million messages
 * spends a third of its time in the maildir walk's lstat calls, which can
 * go on while the index is opened. Returns the walk for
 * sources_walk_finish(), which must be called. */
struct sources_walk *sources_walk_start(GPtrArray *sources, struct source_sink *sink);

/* Walks what is left of WALK on this thread too (unless CANCEL: then the
 * other thread stops after the source it is walking, and the sources not
 * walked are walked by their scan, if any), waits for the other and frees
 * WALK. */
void sources_walk_finish(struct sources_walk *walk, gboolean cancel);

/* Sets ERROR (MC_ERROR_FAILED) to the message FMT, after "[source NAME]: "
 * for a source of the configuration: the user is told where to look. */
void source_set_error(const struct source *src, GError **error, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* Returns how the user asks for a source of KIND ("maildir", "mbox") where
 * SRC was given: "--mbox" on the command line, "type = mbox" in the
 * configuration (static). For hints when a path is of another kind. */
const char *source_kind_option(const struct source *src, const char *kind);

/* Whether PATH is a file whose first line that is not blank starts with
 * "From " (whatever its line ends): an mbox, for hints. */
gboolean source_looks_like_mbox(const char *path);

/* Whether DIR or a directory right below it is a maildir (has cur/ and
 * new/), for hints. */
gboolean source_looks_like_maildir(const char *dir);

/* Tells SINK that CONTAINER is gone with every copy it held (a deleted
 * folder or mbox file). */
void source_forget_container(struct source_sink *sink, const char *container);

/* g_ptr_array_sort() comparator for arrays of strings. */
gint source_compare_strings(gconstpointer a, gconstpointer b);

extern const struct source_ops maildir_source_ops;
extern const struct source_ops mbox_source_ops;
extern const struct source_ops file_source_ops;

/* Returns a source of KIND ("maildir", "mbox", "file") for PATH, or NULL and
 * sets ERROR; the caller frees it with source_free(). */
struct source *source_new(const char *kind, const char *name, const char *path, GError **error);
void source_free(struct source *src);
typedef struct source source;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(source, source_free)

/* A single mbox message larger than this is reported and skipped, not
 * indexed: nothing real is that big, and it bounds memory. */
#define MBOX_MAX_MESSAGE (128 * 1024 * 1024)

/* Reads the message at OFFSET/LENGTH of the mbox PATH and undoes mboxrd
 * ">From " quoting (ingest/mbox-read.c, without GMime). Returns the raw
 * message the caller unrefs, or NULL and sets ERROR: MC_ERROR_NOT_FOUND
 * when the file is gone or too short to hold it (changed since it was
 * indexed), MC_ERROR_FAILED for other errors. */
GBytes *mbox_read_message(const char *path, gint64 offset, gint64 length, GError **error);

/* Returns 64 bits of the SHA-256 of DATA (LEN bytes), an mbox copy's
 * fingerprint (locations.fingerprint): of its bytes after unquoting. */
gint64 mbox_fingerprint(const guint8 *data, gsize len);

/* Whether the line at LINE (LEN bytes) matches ^>+From , so loses a '>'. */
gboolean mbox_line_is_from_quoted(const char *line, gsize len);

/* Returns the raw bytes of the first of LOCATIONS (struct mc_location *, the
 * copies of message ID) that can still be read; the caller unrefs them. NULL
 * and ERROR naming every copy tried otherwise. */
GBytes *source_read_copy(gint64 id, const GPtrArray *locations, GError **error);

/* A Status or X-Status line of a message's header block: the headers mbox
 * clients rewrite to keep its flags. */
struct mbox_flag_header {
	gsize start, end;  /* the line's bytes, its continuation lines included */
	gboolean x_status; /* X-Status (else Status) */
	const char *value; /* after the colon, to the line's end (inside the data) */
	gsize value_len;
};
#define MBOX_FLAG_HEADERS_MAX 8

/* Fills OUT with the first MBOX_FLAG_HEADERS_MAX Status and X-Status lines
 * (names in any case) of the header block of the raw message DATA (LEN
 * bytes, up to its first blank line) and returns how many. */
guint mbox_flag_headers(const char *data, gsize len,
                        struct mbox_flag_header out[MBOX_FLAG_HEADERS_MAX]);

/* Returns the flags of the raw message DATA's Status and X-Status headers as
 * a copy's info (":2,FRS", "" for none; mc_flags_info()); the caller frees
 * it. Unknown letters are ignored. A message with neither header but an
 * X-Gmail-Labels (Gmail Takeout) is read unless labelled Unread, and
 * flagged when labelled Starred. */
char *mbox_flags_info(const char *data, gsize len);

/* Returns the mboxrd-unquoted copy of the LEN bytes at DATA (one '>' removed
 * from lines matching ^>+From ); the caller unrefs it. */
GBytes *mbox_unquote(const char *data, gsize len);

/* Writes DATA into the Maildir STORE_DIR (tmp/, fsync, rename into new/,
 * fsync the directory) and returns the new file's path (caller frees) or
 * NULL and sets ERROR. Used for mail that has no file of its own (stdin). */
char *store_deliver(const char *store_dir, GBytes *data, GError **error);

/* Reads one message from standard input and delivers it into the Maildir
 * STORE_DIR (store_deliver); it is indexed from there, by a maildir source.
 * Returns its path (the caller frees it), or NULL and ERROR (also for an
 * empty input). */
char *file_store_stdin(const char *store_dir, GError **error);

/* Returns the nanosecond mtime of a struct stat. */
#define STAT_MTIME_NS(st) ((gint64)(st).st_mtim.tv_sec * 1000000000 + (st).st_mtim.tv_nsec)

#endif
