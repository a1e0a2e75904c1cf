/* Small POSIX file helpers shared by the commands that write files. */
#ifndef MC_FILEIO_H
#define MC_FILEIO_H

#include <glib.h>

/* Writes all LEN bytes of DATA to FD, retrying short writes and EINTR.
 * Returns FALSE with errno set when a write fails. */
gboolean fileio_write_all(int fd, const void *data, gsize len);

/* fsyncs directory DIR, so that the names made in it are on disk; FALSE
 * with errno set when it cannot. */
gboolean fileio_fsync_dir(const char *dir);

/* Creates DIR/tmp, DIR/new and DIR/cur (0700, and DIR's parents) where
 * missing: a Maildir for mail mailclerk stores itself (stdin, IMAP, mbox
 * messages extracted for mail clients). FALSE and ERROR otherwise. */
gboolean fileio_make_maildir(const char *dir, GError **error);

#endif
