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
 * planted in the folder is never followed.
 *
 * A file saved into a filing's folder is moved, not copied again, when its
 * message is filed elsewhere later: index/saved-files.h keeps the record of
 * what mailclerk wrote and decides; this file only does the file work. */
#ifndef MC_SAVE_H
#define MC_SAVE_H

#include <glib.h>

#include "common/conf.h"
#include "common/message.h"

/* Where one attachment goes: a folder and the template of its file name. */
struct save_destination {
	char *dir;       /* absolute */
	char *template;  /* attachment_name */
	char *client;    /* for {client}; may be NULL */
	char *project;   /* for {project}, the project key; may be NULL */
	gboolean filing; /* a filing's folder (--by-project, save_attachments): CLIENT
	                  * and PROJECT name it, CLIENT NULL for _unfiled, PROJECT NULL
	                  * for _unsorted; FALSE for --to DIR */
};
void save_destination_free(gpointer destination);

/* Returns project P's destination: its folder (paths_project_attachments(),
 * by default ROOT/CLIENT/KEY) and its attachment_name; free it with
 * save_destination_free(). */
struct save_destination *save_project_destination(const struct mc_config *cfg,
                                                  const struct mc_project_config *p,
                                                  const char *root);

/* Returns the folders of a message filed under CLIENTS (char *, keys) and
 * PROJECTS (char *, "CLIENT/KEY"): each project's folder, by default
 * ROOT/CLIENT/PROJECT; ROOT/CLIENT/_unsorted for a client without one of its
 * projects; ROOT/_unfiled for mail filed under no client. An array of
 * struct save_destination * the caller unrefs. */
GPtrArray *save_filing_destinations(const struct mc_config *cfg, GPtrArray *clients,
                                    GPtrArray *projects, const char *root);

/* Returns the folders R's attachments go to: with BY_PROJECT its filings'
 * (save_filing_destinations()), else TO_DIR. An array of struct
 * save_destination * the caller unrefs. */
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
 * that already holds the bytes; the caller frees it. SHA256 (SHA256_HEX_SIZE
 * bytes) and *SIZE get the hash and length of the bytes saved: A's, unless
 * the message file changed since it was indexed. */
enum save_outcome saver_save(struct saver *s, const struct save_destination *dest,
                             const struct stored_message *r, const struct mc_attachment *a,
                             char **path, char *sha256, gint64 *size, GError **error);

/* Sets *PATH to a file in DEST's folder holding SIZE bytes with SHA256 (the
 * caller frees it), or to NULL when there is none. FALSE and ERROR when the
 * folder cannot be read (or created). */
gboolean saver_find(struct saver *s, const struct save_destination *dest, const char *sha256,
                    gint64 size, char **path, GError **error);

/* Returns TRUE when PATH is a regular file (not a symlink) of SIZE bytes
 * whose SHA-256 is SHA256: still what mailclerk wrote. The size is compared
 * first, so a changed length costs no read. */
gboolean save_file_unchanged(const char *path, gint64 size, const char *sha256);

/* Called with each path a file is about to be moved to, before it is; FALSE
 * and ERROR stop the move. */
typedef gboolean (*saver_move_fn)(const char *from, const char *to, gpointer data, GError **error);

/* Moves FROM, a file holding SHA256 that mailclerk saved (the caller has
 * checked it is unchanged), into DEST's folder under the name saving
 * attachment A of R there would give it, " (2)" when that is taken: nothing
 * is replaced. BEFORE (with DATA) is called with each path chosen before the
 * file goes there, so that the record names it first. Within a file system
 * the file is renamed; across file systems it is copied to a temporary
 * file (its bytes checked against SHA256), fsynced, renamed into place, and
 * then FROM is removed. In a dry run nothing moves and BEFORE is not
 * called. Sets *PATH to the new path (the caller frees it). FALSE and ERROR
 * when the file could not be moved: it is then still at FROM. */
gboolean saver_move(struct saver *s, const struct save_destination *dest,
                    const struct stored_message *r, const struct mc_attachment *a, const char *from,
                    const char *sha256, saver_move_fn before, gpointer data, char **path,
                    GError **error);

/* Removes PATH, a file mailclerk saved whose bytes another file keeps (the
 * caller has checked). In a dry run it is only forgotten. FALSE and ERROR
 * when it cannot be removed. */
gboolean saver_remove(struct saver *s, const char *path, GError **error);

/* Test builds (MC_TEST_HOOKS): TRUE when $MAILCLERK_TEST_MOVE, a comma-
 * separated list, holds POINT ("exdev": renames between folders fail as
 * between file systems); a POINT starting with "kill-" kills the process
 * (SIGKILL) there when listed. Always FALSE in other builds. */
gboolean save_test_hook(const char *point);

#endif
