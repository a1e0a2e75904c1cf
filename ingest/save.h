/* Saving attachments to folders: `attachments save` and a project's
 * save_attachments during ingest.
 *
 * A folder holds each distinct content once: before writing, the SHA-256 of
 * the attachment is looked up among the files already there (hashed lazily,
 * only those of the same size). A new file gets its name from a template
 * (common/filename.h), " (2)" when that name is taken (compared ignoring
 * case and Unicode normalisation), and is written to a temporary name with
 * O_CREAT|O_EXCL|O_NOFOLLOW, fsynced and renamed into place without
 * replacing anything: an existing file is never overwritten and a symlink
 * planted in the folder is never followed. */
#ifndef MC_SAVE_H
#define MC_SAVE_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"

/* Where one attachment goes: a folder and the template of its file name. */
struct save_destination {
	char *dir;      /* absolute */
	char *template; /* attachment_name */
	char *client;   /* for {client}; may be NULL */
	char *project;  /* for {project}, the project key; may be NULL */
};
void save_destination_free(gpointer destination);

/* Returns project P's destination: its `attachments` folder, by default
 * ROOT/CLIENT/KEY, and its attachment_name; free it with
 * save_destination_free(). */
struct save_destination *save_project_destination(const struct mc_config *cfg,
                                                  const struct mc_project_config *p,
                                                  const char *root);

/* Returns the folder of project P's attachments: its `attachments` folder,
 * by default ROOT/CLIENT/KEY; the caller frees it. (ingest/save-folder.c,
 * which needs no GMime: the query program links it.) */
char *save_project_folder(const struct mc_project_config *p, const char *root);

/* Returns ROOT/CLIENT/_unsorted, the folder of CLIENT's mail filed under
 * none of its projects; the caller frees it. */
char *save_unsorted_folder(const char *client, const char *root);

/* Returns the folders R's attachments go to with --by-project (BY_PROJECT)
 * or --to TO_DIR: each of its projects' `attachments` folder, by default
 * ROOT/CLIENT/PROJECT; ROOT/CLIENT/_unsorted for a client without one of its
 * projects; ROOT/_unfiled for mail filed under no client. An array of
 * struct save_destination * the caller unrefs. */
GPtrArray *save_destinations(const struct mc_config *cfg, const struct stored_message *r,
                             gboolean by_project, const char *to_dir, const char *root);

enum save_outcome {
	SAVE_SAVED,     /* written (or, in a dry run, would be) */
	SAVE_DUPLICATE, /* the folder has these bytes already */
	SAVE_FAILED,    /* ERROR says why */
};

struct saver;

/* Returns a saver; with DRY_RUN it decides everything and writes nothing.
 * Free it with saver_free(). */
struct saver *saver_new(gboolean dry_run);
void saver_free(struct saver *s);
typedef struct saver saver;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(saver, saver_free)

/* Saves attachment A of message R to DEST (its folder created when
 * missing). *PATH is set to the file written, or for a duplicate to the file
 * that already holds the bytes; the caller frees it. */
enum save_outcome saver_save(struct saver *s, const struct save_destination *dest,
                             const struct stored_message *r, const struct mc_attachment *a,
                             char **path, GError **error);

/* Saves the attachments (not inline parts unless INCLUDE_INLINE) of message
 * R to DESTS, printing a line for each to OUT ("saved PATH", "duplicate
 * PATH ..."), and adding to the counts. Failures are reported on stderr. */
void saver_save_message(struct saver *s, GPtrArray *dests, const struct stored_message *r,
                        gboolean include_inline, GString *out, guint *saved, guint *duplicates,
                        guint *failed);

#endif
