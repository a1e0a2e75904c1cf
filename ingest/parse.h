/* Turning raw RFC 5322 bytes into the message model, with GMime.
 *
 * Mail is hostile input: these functions never crash on it and never return
 * invalid UTF-8. Safe to call from several threads at once once
 * parse_init() has run (GMime objects are not shared between calls). */
/* What a parsed message holds:
 * - Headers decoded (RFC 2047; raw 8-bit headers through fallback charsets
 *   utf-8 then windows-1252 via GMimeParserOptions). Every text part converted
 *   to valid UTF-8 from its declared charset (ISO-2022-JP, windows-1252;
 *   unknown or lying charsets: if the conversion fails, valid UTF-8 is kept,
 *   else windows-1252, else g_utf8_make_valid).
 * - Body text: multipart/alternative prefers text/plain, else HTML turned to
 *   text with html_to_text(); multipart/mixed: every inline text part in order.
 *   The words of an HTML alternative that its plain text lacks go to
 *   alt_words (for searching only; at most 64 KiB).
 *   message/rfc822 parts are descended into: their From/To/Subject/Date lines
 *   and body text are appended to body_text, their attachments listed too
 *   (part path nested). The text of text and PDF attachments follows the
 *   message's own. Body text is capped at 1 MiB (cut on a UTF-8 boundary);
 *   nesting at 64 levels, so that deeper mail never recurses without bound.
 * - Addresses: From, To, Cc, Bcc, Reply-To, groups flattened to their members;
 *   address lower-cased, domain = after the last '@'.
 * - Date: Date header; if missing/unparsable, the date after the last ';' of
 *   the topmost Received header; else FALLBACK_DATE.
 * - Message-ID bare (no <>), trimmed, at most 512 bytes; missing/empty ->
 *   "sha256:" + the hex SHA-256 of its content, message_id_synthesized = TRUE.
 *   Its content is the raw bytes less the Status and X-Status header
 *   lines (mbox_flag_headers(), which mbox clients rewrite); content_hash
 *   is the hex XXH3-128 of it. In-Reply-To (first id) and
 *   References parsed with g_mime_references_parse.
 * - Body text also takes, in order, every named inline text part (it is an
 *   attachment too) and the status parts of reports (delivery-status,
 *   disposition-notification, rfc822-headers: a bounce's failed address and
 *   diagnostic are what one searches it for).
 * - Attachments, the one rule that listing, JSON, has:attachment and saving
 *   follow: every leaf part that is not a nameless body text part is
 *   recorded; it is an attachment (is_inline = FALSE) when it has a file
 *   name (Content-Disposition filename or Content-Type name, RFC 2231 too)
 *   whatever its disposition, or a disposition of attachment, or a type
 *   that is not text/ (a nameless PDF is a file). It is none (is_inline =
 *   TRUE, listed only with --include-inline) when it is a part the HTML of
 *   its multipart/related shows by a cid: URL (the HTML of the related's
 *   own parts and of its multipart/alternative children, 1 MiB of each,
 *   read), a signature (application/pgp-signature, application/(x-)pkcs7-
 *   signature, or any second part of a multipart/signed), a part of a
 *   multipart/encrypted (both the version part and the payload, whatever
 *   the protocol parameter), an S/MIME body (application/(x-)pkcs7-mime as
 *   a message's whole body; inside a multipart a .p7m is a file), a
 *   message/external-body (a pointer to a file elsewhere), or a report's
 *   status part (above).
 *   filename from g_mime_part_get_filename (RFC 2231), MIME type lower-cased,
 *   size and SHA-256 of the decoded bytes, hashed as they stream by (never
 *   held whole). Part paths 1-based like mutt: "1", "2", "2.1".
 * - Automated mail (automated_why): the first of these signs, in this order,
 *   as text; "" when none. A header with a blank value is no sign.
 *     List-Id, List-Unsubscribe, List-Post: "List-Id: <news.globex.example>"
 *     Precedence bulk, list or junk (any case): "Precedence: bulk"
 *     Auto-Submitted other than no (its value before any ';', any case):
 *       "Auto-Submitted: auto-replied"
 *     X-Autoreply, X-Autorespond: "X-Autoreply: yes"
 *     a top-level multipart/report (delivery or read report):
 *       "multipart/report (delivery-status)", or "multipart/report"
 *     Return-Path <> (blanks inside allowed): "Return-Path: <>"
 *     a machine From (address_is_machine()): "machine sender noreply@x.example"
 *   Values are cleaned as one line and cut at 100 bytes (then "…").
 * - Not mail (PARSE_ERROR_NOT_MAIL): no header line first, or none of
 *   From/To/Cc/Subject/Date/Message-ID/Received present, or lines ended by
 *   a lone CR (PARSE_CR_ONLY_REASON); the message says why.
 *   NUL bytes in the header block are read as spaces (a problem says so). */
#ifndef MC_PARSE_H
#define MC_PARSE_H

#include <glib.h>
#include "common/message.h"

/* Why a file or mbox whose lines end in a lone CR (old Mac) is not read. */
#define PARSE_CR_ONLY_REASON                                                                       \
	"line ends are CR only (old Mac format), which mailclerk does not read; convert "          \
	"them first, e.g. with: tr '\\r' '\\n' < OLD > NEW"

#define PARSE_ERROR (parse_error_quark())
GQuark parse_error_quark(void);
enum parse_error_code {
	PARSE_ERROR_NOT_MAIL, /* no header block a mail message has */
	PARSE_ERROR_FAILED,   /* GMime could not parse it */
};

enum parse_flags {
	PARSE_DEFAULT = 0,
	PARSE_HEADERS = 1 << 0, /* also fill pm->headers (for show) */
};

/* Initialises GMime (g_mime_init) and the parser options once; thread-safe.
 * parse_message() calls it on first use, so commands that never parse never
 * pay for it. */
void parse_init(void);

/* Gives the threads created from now on (process-wide) stacks of
 * PARSE_THREAD_STACK bytes: GMime copies header text onto the stack while
 * it parses (ingest/rawmail.c), and a thread's default stack is whatever
 * `ulimit -s` says (2 MiB when unlimited). Call it before creating threads
 * that parse; it costs address space, not memory. */
#define PARSE_THREAD_STACK (64 * 1024 * 1024)
void parse_thread_stacks(void);

/* Parses DATA (LEN bytes, need not be NUL-terminated). FALLBACK_DATE (UTC
 * seconds) is used when neither Date nor Received gives one.
 * Returns a new message the caller frees with parsed_message_free(), or NULL
 * and sets ERROR (PARSE_ERROR_NOT_MAIL for a file that is not mail). */
struct parsed_message *parse_message(const char *data, gsize len, gint64 fallback_date,
                                     enum parse_flags flags, GError **error);

/* A message parsed for the bytes of its attachments, each part found by
 * its path at once. */
struct attachment_source;

/* Parses the message in DATA (LEN bytes, which must outlive it). NULL and
 * ERROR when it cannot be parsed; else free it with
 * attachment_source_free(). */
struct attachment_source *attachment_source_open(const char *data, gsize len, GError **error);

/* Returns the decoded bytes (transfer encoding undone) of attachment PART
 * (a path as struct mc_attachment.part gives it); the caller unrefs them.
 * NULL and ERROR when the message has no such attachment part. */
GBytes *attachment_source_bytes(struct attachment_source *src, const char *part, GError **error);

void attachment_source_free(struct attachment_source *src);

/* The bytes of attachment PART of the message in DATA (LEN bytes), as
 * attachment_source_bytes() gives them, for one part; NULL and ERROR when
 * the message cannot be parsed or has no such part. */
GBytes *parse_attachment_bytes(const char *data, gsize len, const char *part, GError **error);

#endif
