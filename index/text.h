/* How the index keeps the text it was built from: the body, most of it,
 * zstd-compressed in message_text; FTS5 reads it back through the view
 * fts_source, which decompresses with the SQL function mc_unzstd(). */
#ifndef MC_TEXT_H
#define MC_TEXT_H

#include <glib.h>
#include <sqlite3.h>

/* Returns TEXT (UTF-8, NUL-terminated) compressed; the caller unrefs it.
 * Safe to call from several threads: each keeps its own zstd context. */
GBytes *text_compress(const char *text);

/* Registers mc_unzstd(BLOB) -> TEXT on DB. FALSE and ERROR on failure. */
gboolean text_register(sqlite3 *db, GError **error);

#endif
