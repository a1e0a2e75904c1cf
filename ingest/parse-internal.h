/* Inside the parser: what ingest/parse.c, charset.c, headers.c, rawmail.c,
 * tnef.c, attachment-rule.c and alt-words.c share. parse.h is the interface for the rest
 * of mailclerk; only these files include this one. */
#ifndef MC_PARSE_INTERNAL_H
#define MC_PARSE_INTERNAL_H

#include <glib.h>
#include <gmime/gmime.h>

#include "common/message.h"

/* parse.c */

/* The options of every GMime parse (fallback charsets, loose compliance);
 * made once by parse_init(), which runs before any parse, and never freed. */
extern GMimeParserOptions *parser_options;

/* At most 1 MiB of body text, and of the HTML read for cid: references. */
#define MAX_BODY (1024 * 1024)
/* At most this many attachments per message, and cid: references per
 * multipart/related. */
#define MAX_ATTACHMENTS 1000

/* Returns at most MAX decoded bytes of PART, without decoding the rest;
 * *CUT tells whether there was more. The caller frees the array. */
GByteArray *part_bytes_max(GMimePart *part, gsize max, gboolean *cut);

/* attachment-rule.c: what a leaf part is to the user. */

/* What a leaf part is to the user. */
enum leaf_role {
	LEAF_BODY,        /* text read as the message, nothing more */
	LEAF_BODY_FILE,   /* a named inline text part: read as the message and a file */
	LEAF_FILE,        /* an attachment */
	LEAF_REPORT_TEXT, /* a report's status part: read as the message, listed hidden */
	LEAF_HIDDEN,      /* listed only with --include-inline */
};

/* Returns whether OBJ is a part meant to be read as part of the message:
 * text/SUBTYPE (any text/ when SUBTYPE is "*") not marked as an
 * attachment, named or not. */
gboolean is_body_part(GMimeObject *obj, const char *subtype);

/* Returns whether OBJ, a message's whole body, is S/MIME (application/
 * (x-)pkcs7-mime): what multipart/encrypted is to PGP/MIME. */
gboolean is_smime_body(GMimeObject *obj);

/* Adds to CIDS (a set of strings it frees with g_free) the Content-IDs,
 * lower case, that the HTML of the multipart/related MP refers to by cid:
 * URLs: its HTML parts and those of its multipart/alternative children (the
 * root is one or the other), MAX_BODY bytes of each, MAX_ATTACHMENTS
 * references in all. */
void related_cids(GHashTable *cids, GMimeMultipart *mp);

/* Returns what the leaf part OBJ is to the user: HIDDEN when it is inside
 * a part whose leaves are all hidden (multipart/encrypted, a signature, an
 * S/MIME body); CIDS (may be NULL) the Content-IDs its multipart/related
 * shows, as related_cids() gives them. */
enum leaf_role leaf_role(GMimeObject *obj, gboolean hidden, GHashTable *cids);

/* alt-words.c: the words of HTML alternatives that the plain text lacks. */

/* Words as the sets of words compare them: ASCII lower-cased, other text
 * case folded. Zeroed: empty, nothing allocated. */
struct word_set {
	GHashTable *set;     /* keys in CHUNK */
	GStringChunk *chunk; /* the keys, freed at once */
};

/* Frees what WS holds; it is empty (zeroed) again. */
void word_set_clear(struct word_set *ws);

struct alt_words {
	GString *text;        /* the words, a space apart, in the order first seen */
	struct word_set seen; /* the words in TEXT */
};

void alt_words_init(struct alt_words *aw);

/* Whether AW holds all it may (64 KiB of words): more is not looked for. */
gboolean alt_words_full(const struct alt_words *aw);

/* Adds to AW the words of HTML (the text of an HTML rendering) that PLAIN,
 * the text read as the body, lacks; nothing when HTML's words are PLAIN's
 * in order (HTML made from the plain text). PLAIN_WORDS (zeroed the first
 * time) keeps PLAIN's words for the next HTML of the same PLAIN; the caller
 * frees it with word_set_clear(). */
void alt_words_add(struct alt_words *aw, const char *plain, struct word_set *plain_words,
                   const char *html);

/* Returns AW's words (the caller frees them) and frees the rest of AW. */
char *alt_words_finish(struct alt_words *aw);

/* charset.c: strings cleaned, charsets turned into valid UTF-8. */

/* Returns S (any bytes, may be NULL) as one clean line of valid UTF-8,
 * never NULL; the caller frees it. */
char *clean_line(const char *s);

/* Returns S (valid UTF-8) cleaned as body text; the caller frees it. */
char *clean_body(const char *s);

/* Returns whether S (UTF-8) is empty or only white space. */
gboolean is_blank(const char *s);

/* Returns IN (LEN bytes in CHARSET, which may be NULL, unknown or a lie) as
 * valid UTF-8; the caller frees it. */
char *mc_to_utf8(const char *in, gsize len, const char *charset);
/* (Not "to_utf8": libytnef exports one of its own and calls it, and the
 * program's symbol would take its place there.) */

/* The longest charset name read as one (the longest iconv knows is 28). */
#define CHARSET_NAME_MAX 64

/* Returns the charset mail labelled CHARSET is to be read as when it is a
 * larger one, as browsers read it (WHATWG): windows-1252 for ISO-8859-1
 * (smart quotes and the euro sign in 0x80-0x9f), CP949 for EUC-KR,
 * CP932 (windows-31J) for Shift_JIS...; NULL when CHARSET is read as it says. A
 * static string. */
const char *charset_superset(const char *charset);

/* Whether CHARSET names ISO-2022-JP. */
gboolean charset_is_iso2022jp(const char *charset);

/* Whether IN (LEN bytes) is ISO-2022-JP iconv reads right: without the
 * extensions of iso2022jp_as_eucjp_ms(). */
gboolean iso2022jp_plain(const char *in, gsize len);

/* Whether IN (LEN bytes) is text in CHARSET, as iconv reads it. */
gboolean charset_reads(const char *charset, const char *in, gsize len);

/* Returns IN (LEN bytes of ISO-2022-JP with the extensions Windows writes,
 * which iconv's ISO-2022-JP refuses: NEC row 13 (①, ㈱), IBM kanji,
 * half-width katakana) as EUC-JP-MS, which iconv reads; NULL when IN is
 * not ISO-2022-JP. The caller unrefs it. */
GByteArray *iso2022jp_as_eucjp_ms(const char *in, gsize len);

/* Keeps the gconv modules of the charsets most mail declares loaded for the
 * life of the process; parse_init() calls it once. */
void charset_pin_common(void);

/* Returns the charset a <meta> tag near the start of HTML (LEN bytes)
 * names, or NULL; the caller frees it. */
char *html_sniff_charset(const char *html, gsize len);

/* Returns TEXT with format=flowed undone (DELSP for delsp=yes); the caller
 * frees it. */
char *unflow(const char *text, gboolean delsp);

/* headers.c: what a message's header block gives the message model. */

/* Returns PART's file name: its Content-Disposition filename, else its
 * Content-Type name; of a parameter given both plain and RFC 2231 encoded
 * (filename="Ubersicht.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf), the
 * encoded one, as Thunderbird reads it. NULL when it has none; PART's. */
const char *part_filename(GMimePart *part);

/* Returns the bare Message-ID S (may be NULL) cleaned and cut, or NULL when
 * it is empty; the caller frees it. */
char *clean_msgid(const char *s);

/* Sets PM->in_reply_to and adds to PM->references (both PM's) from MSG's
 * In-Reply-To and References; PM->message_id must be set. */
void fill_references(struct parsed_message *pm, GMimeMessage *msg);

/* Adds the mailboxes of LIST (may be NULL) to PM->addresses (PM's) with
 * ROLE; DEPTH is 0 (it counts nested groups). SEEN is one message's set
 * of "role:address" keys, which it adds to and which frees them (g_free). */
void add_addresses(struct parsed_message *pm, GHashTable *seen, enum mc_role role,
                   InternetAddressList *list, int depth);

/* Returns MSG's date in UTC seconds, from its Date or else its newest
 * Received header; FALLBACK when it has neither. */
gint64 message_date(GMimeMessage *msg, gint64 fallback);

/* Sets PM->headers (PM's) to MSG's header block as written. */
void fill_headers(struct parsed_message *pm, GMimeMessage *msg);

/* Adds MSG's labels (X-Gmail-Labels) to PM->labels (PM's): decoded,
 * cleaned, unquoted, blanks trimmed, at most MAX_LABELS (200) of at most
 * MAX_LABEL_BYTES (1024) bytes, each once in any case. */
void fill_labels(struct parsed_message *pm, GMimeMessage *msg);

/* Returns the first sign that MSG is automated mail (parse.h lists them),
 * as PM->automated_why takes it, "" when none; PM->addresses must be
 * filled. The caller frees it. */
char *automated_signal(const struct parsed_message *pm, GMimeMessage *msg);

/* rawmail.c: the caller's bytes checked and opened with GMime. */

/* Whether the newline at NL (before END) ends its header field: the next
 * line does not go on with a space or tab (a fold). */
static inline gboolean
ends_field(const char *nl, const char *end)
{
	return !(nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t'));
}

/* Returns the value of the field NAME (without its colon) in the header
 * block DATA (LEN bytes), after the colon up to the field's end, and sets
 * *VLEN: of the last such field when LAST, else of the first; NULL when
 * the block has none. Points into DATA. */
const char *header_field_value(const char *data, gsize len, const char *name, gboolean last,
                               gsize *vlen);

/* A change to the bytes GMime parses: FROM to TO (offsets in the message)
 * become TEXT (the edit's). */
struct header_edit {
	gsize from, to;
	char *text;
};

/* encoded-words.c: adds to EDITS (offsets from BASE) the changes GMime
 * 3.2.13 needs to read the encoded words and RFC 2231 values of the header
 * block DATA (LEN bytes) as mail readers do: runs of base64 words it cuts
 * short or words padded wrong made one word, and charset labels read as
 * the larger charset mailers mean by them (charset_superset()). */
void encoded_words_repair(const char *data, gsize len, gsize base, GArray *edits);

/* A message GMime is reading in place from the caller's bytes. */
struct gmime_message {
	GByteArray *array;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	/* The bytes parsed when they are not DATA (NULL when they are): a copy
	 * with the NUL bytes of the header block made spaces, or with the
	 * encoded words GMime 3.2.13 reads wrong rewritten
	 * (encoded_words_repair()), or with "\r\r\n" line ends made "\r\n". */
	char *copy;
	gboolean nul_spaces; /* NUL bytes were made spaces */
};

/* Checks that DATA (LEN bytes) is mail GMime can safely read and parses it
 * into M, which starts zeroed: M->msg is M's and reads DATA in place, so
 * DATA must outlive it. Returns FALSE and sets ERROR (PARSE_ERROR) when
 * not; gmime_message_close() M either way. */
gboolean gmime_message_open(struct gmime_message *m, const char *data, gsize len, GError **error);

/* Unrefs what M holds (M itself is the caller's) and gives DATA back. */
void gmime_message_close(struct gmime_message *m);

#endif
