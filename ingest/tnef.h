/* TNEF (application/ms-tnef, "winmail.dat", [MS-OXTNEF]): the files that
 * Outlook and Exchange pack inside it, read with libytnef.
 *
 * What is read: each attachment's bytes (attAttachData), its name
 * (PR_ATTACH_LONG_FILENAME, else the 8.3 attAttachTitle) and MIME type
 * (PR_ATTACH_MIME_TAG, else guessed from the name by common/mimetype.c,
 * else application/octet-stream). What is not: the message's own
 * properties, among them its RTF body (PR_RTF_COMPRESSED: no file anyone
 * attached, and the MIME text part beside winmail.dat carries the same
 * text), and attachments without attAttachData (an attached Outlook
 * message, an OLE object), which are counted as left out.
 *
 * Bounded: a TNEF part over TNEF_MAX_BYTES is not opened; at most
 * TNEF_MAX_FILES files are read (the others are left out); the files are
 * slices of the input, so their bytes never add up to more than it. Every
 * attribute is checked (lengths, checksums, the MAPI property blocks against
 * the limits of libytnef's parser) before libytnef sees it, so that it
 * never fails half-way (it prints its errors on stdout) and never reads
 * out of bounds; it gets only the attributes it is asked for. Thread-safe. */
#ifndef MC_TNEF_H
#define MC_TNEF_H

#include <glib.h>
#include <gmime/gmime.h>

#include "common/message.h"

#define TNEF_MAX_BYTES (64 * 1024 * 1024)
#define TNEF_MAX_FILES 100

#define TNEF_ERROR (tnef_error_quark())
GQuark tnef_error_quark(void);
enum tnef_error_code {
	TNEF_ERROR_UNSUPPORTED, /* built without libytnef */
	TNEF_ERROR_TOO_LARGE,   /* over TNEF_MAX_BYTES */
	TNEF_ERROR_CORRUPT,     /* not TNEF, or damaged: the message says where */
};

/* One file inside a TNEF stream. */
struct tnef_file {
	char *name;      /* valid UTF-8, as sent (may hold '/'); "" when none */
	char *mime_type; /* lower-case "type/subtype" */
	GBytes *bytes;
};

/* Whether this build opens TNEF (configure found libytnef). */
gboolean tnef_supported(void);

/* Returns the files of the TNEF stream DATA (LEN bytes) in their order, as
 * a new array of struct tnef_file * that frees them, and sets *LEFT_OUT
 * (may be NULL) to the attachments it holds but not as files (see above).
 * NULL and ERROR (TNEF_ERROR) when it cannot be read: the message says why,
 * for people ("checksum mismatch in attribute 0x0006800f at byte 1234"). */
GPtrArray *tnef_decode(const guint8 *data, gsize len, guint *left_out, GError **error);

/* Whether leaf PART at PATH (a part path, struct mc_attachment.part) is
 * TNEF to open: typed application/ms-tnef or application/vnd.ms-tnef, or
 * named winmail.dat (any case), and not itself a file inside TNEF. */
gboolean tnef_part_is(GMimePart *part, const char *path);

/* Returns the files of TNEF part PART as new GMime parts (type, file name
 * and decoded content set) owned by PART, which keeps them as long as it
 * lives; the file numbered N (1-based) is part "PATH/tnef/N". NULL when
 * PART cannot be decoded: the reason is added to PM (when not NULL) as a
 * problem naming PATH. *WHOLE tells whether every attachment in it is
 * among the files. */
GPtrArray *tnef_part_files(GMimePart *part, const char *path, struct parsed_message *pm,
                           gboolean *whole);

/* Returns the path of the TNEF part that part PATH ("2/tnef/3") is a file
 * of ("2"), setting *INDEX to its 0-based index, or NULL when PATH is no
 * such path; the caller frees it. */
char *tnef_outer_path(const char *path, guint *index);

#endif
