/* Base64 decoding for the attachment hash (ingest/parse.c): GMime's bytes,
 * faster. GMime decodes one character at a time; an attachment is mostly
 * whole quartets of alphabet characters, and those are decoded here by
 * table. Everything else (line breaks, padding, junk, a quartet split by a
 * line break) goes to GMime's own g_mime_encoding_base64_decode_step(), so
 * the result is GMime's byte for byte, and so the hash of a saved file
 * (ingest/save.c, which decodes with GMime) is the hash the index holds. */
#ifndef MC_BASE64_H
#define MC_BASE64_H

#include <glib.h>

/* Sets up the tables and checks them against GMime's decoder; returns
 * whether they are used (a GMime that decodes any character otherwise is
 * left all decoding). Call before base64_decode_step(), after g_mime_init(). */
gboolean base64_init(void);

/* Decodes IN (LEN bytes) into OUT, which has room for LEN + 3
 * bytes, as g_mime_encoding_base64_decode_step() would with STATE and SAVE
 * (both 0 at the start of a part); returns the bytes written. */
gsize base64_decode_step(const guchar *in, gsize len, guchar *out, int *state, guint32 *save);

#endif
