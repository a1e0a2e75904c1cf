/* Small POSIX file helpers shared by the commands that write files. */
#ifndef MC_FILEIO_H
#define MC_FILEIO_H

#include <glib.h>

/* Writes all LEN bytes of DATA to FD, retrying short writes and EINTR.
 * Returns FALSE with errno set when a write fails. */
gboolean fileio_write_all(int fd, const void *data, gsize len);

#endif
