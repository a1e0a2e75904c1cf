/* The message model: a parsed message (what ingest hands to the index) and
 * a stored message (what the index gives back, index/load.h).
 *
 * Every string of a parsed message is valid UTF-8 (ingest/parse.c
 * guarantees it); every field of both is owned by its struct. */
#ifndef MC_MESSAGE_H
#define MC_MESSAGE_H

#include <glib.h>

/* A message's content hash (ingest/parse.h): its bytes, as
 * messages.content_hash keeps them, and its hex digits with the NUL. */
#define CONTENT_HASH_BYTES    16
#define CONTENT_HASH_HEX_SIZE (2 * CONTENT_HASH_BYTES + 1)

enum mc_role {
	MC_ROLE_FROM = 0,
	MC_ROLE_TO = 1,
	MC_ROLE_CC = 2,
	MC_ROLE_BCC = 3,
	MC_ROLE_REPLY_TO = 4,
};

/* Returns "from", "to", "cc", "bcc" or "reply-to"; a static string. */
const char *mc_role_name(enum mc_role role);

/* The longest Message-ID kept as it is, in bytes. */
#define MC_MESSAGE_ID_MAX 512

/* Returns ID (bare) as the index keeps it, new: itself up to
 * MC_MESSAGE_ID_MAX bytes; a longer one its start and '#' and the SHA-256
 * of the whole, in MC_MESSAGE_ID_MAX bytes, so that two that start alike
 * stay apart. The same for a message's own, its references and id: in a
 * query. */
char *mc_message_id_bound(const char *id);

struct mc_address {
	enum mc_role role;
	char *name;    /* display name, "" when none */
	char *address; /* lower-cased addr-spec, e.g. "bob@acme.example" */
	char *domain;  /* lower-cased part after the last '@', "" when none */
};

struct mc_attachment {
	char *part;      /* MIME part path, e.g. "2" or "1.3" (1-based, like mutt) */
	char *filename;  /* RFC 2231/2047 decoded, "" when the part has none */
	char *mime_type; /* lower-cased "type/subtype" */
	gint64 size;     /* size of the decoded bytes */
	char sha256[65]; /* hex SHA-256 of the decoded bytes */
	/* No attachment by the rule of ingest/parse.h (an image the HTML shows,
	 * a signature, an encrypted part, a report's status): listed only with
	 * --include-inline, never counted by has:attachment. */
	gboolean is_inline;
};

struct mc_header {
	char *name;
	char *value; /* unfolded and RFC 2047 decoded */
};

struct parsed_message {
	char *message_id; /* bare, no angle brackets; "sha256:<hex>" when missing */
	gboolean message_id_synthesized;
	char content_hash[CONTENT_HASH_HEX_SIZE]; /* ingest/parse.h */
	gint64 date;                              /* UTC seconds since the epoch */
	char *subject;                            /* "" when none */
	char *in_reply_to;                        /* bare Message-ID or NULL */
	GPtrArray *references; /* char *, bare Message-IDs, oldest first (References) */
	GPtrArray
	    *addresses;  /* struct mc_address *, in header order: from, to, cc, bcc, reply-to */
	char *body_text; /* readable body text; "" when none */
	/* Words of HTML alternatives that the plain text chosen as the body
	 * lacks, a space apart, at most 64 KiB: searched, never shown; "" when
	 * none. */
	char *alt_words;
	GPtrArray *attachments; /* struct mc_attachment * */
	GPtrArray *headers;     /* struct mc_header *; only with PARSE_HEADERS, else NULL */
	gint64 size;            /* raw size in bytes */
	/* The first sign of automated mail found (ingest/parse.h lists them in
	 * order), as text for people: "List-Id: <news.globex.example>",
	 * "Precedence: bulk"; "" when none. */
	char *automated_why;
	/* char *, the message's labels (Gmail's X-Gmail-Labels, ingest/headers.c)
	 * in header order: cleaned, none empty, none twice in any case. */
	GPtrArray *labels;
	/* What could not be read but did not stop the message from being
	 * indexed, for people: "part 2 (winmail.dat): ..."; char *, NULL when
	 * nothing (parsed_message_add_problem()). Ingest prints them. */
	GPtrArray *problems;
};

/* One copy of a stored message: where it can be read again. */
struct mc_location {
	gint64 id;          /* locations.id: the higher, the more recently it was found there */
	char *kind;         /* "maildir", "mbox" or "file" */
	char *path;         /* absolute: the message's file, or the mbox holding it */
	gint64 offset;      /* mbox: where the message starts */
	gint64 length;      /* mbox: how many bytes it has */
	gint64 fingerprint; /* mbox: of its bytes (mbox_fingerprint()), to tell they still are */
	char *folder;       /* its folder as users see it, "" when none */
	guint flags; /* maildir and mbox: the MC_FLAG_* of its info (mc_flags_parse()); 0 else */
};

/* The Maildir flags (the letters after ":2," in a file name), as bits. */
enum mc_flag {
	MC_FLAG_DRAFT = 1 << 0,   /* D */
	MC_FLAG_FLAGGED = 1 << 1, /* F */
	MC_FLAG_PASSED = 1 << 2,  /* P: forwarded */
	MC_FLAG_REPLIED = 1 << 3, /* R */
	MC_FLAG_SEEN = 1 << 4,    /* S */
	MC_FLAG_TRASHED = 1 << 5, /* T */
};
#define MC_FLAG_COUNT 6

/* Returns the MC_FLAG_* of INFO, what follows a maildir file's unique name
 * (":2,RS"); 0 for anything else. */
guint mc_flags_parse(const char *info);

/* Returns INFO for the MC_FLAG_* BITS in the maildir form: ":2," and the
 * letters in ASCII order (":2,FRS"); "" when BITS is 0. The caller frees it.
 * mbox copies keep their Status/X-Status flags so too. */
char *mc_flags_info(guint bits);

/* Returns the MC_FLAG_* of an mbox Status header's VALUE (LEN bytes; 'R' is
 * seen, 'O' old is no flag) when X_STATUS is FALSE, else of an X-Status
 * header's (A replied, F flagged, T draft, D trashed), as mutt and other
 * mbox clients write them. Other bytes are ignored; at most the first 256
 * are read. */
guint mc_flags_from_status(const char *value, gsize len, gboolean x_status);

/* Returns the name of flag bit I (0 ≤ I < MC_FLAG_COUNT): "draft",
 * "flagged", "passed", "replied", "seen", "trashed"; a static string. */
const char *mc_flag_name(guint i);

/* Returns LABEL (valid UTF-8) as label: compares it: NFKC, case-folded
 * (Unicode, not only ASCII), so that one label is one key whatever its case.
 * The caller frees it. */
char *mc_label_key(const char *label);

/* Free one struct mc_address / mc_attachment / mc_location and what it owns
 * (GDestroyNotify). */
void mc_address_free(gpointer address);
void mc_attachment_free(gpointer attachment);
void mc_location_free(gpointer location);

struct parsed_message *parsed_message_new(void);
void parsed_message_free(struct parsed_message *pm);
typedef struct parsed_message parsed_message;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(parsed_message, parsed_message_free)

/* Returns TRUE when ADDRESS's local part is a machine's, not a person's:
 * noreply, no-reply, mailer-daemon, postmaster, notifications, bounces,
 * alerts... (also with a "+tag"). */
gboolean address_is_machine(const char *address);

/* Adds a problem (printf FORMAT, valid UTF-8) to PM->problems. */
void parsed_message_add_problem(struct parsed_message *pm, const char *format, ...)
    G_GNUC_PRINTF(2, 3);

/* Returns an empty array that frees struct mc_header elements; caller owns it. */
GPtrArray *parsed_message_new_headers(void);

/* Returns the first address with ROLE, or NULL; owned by PM. */
const struct mc_address *parsed_message_first_address(const struct parsed_message *pm,
                                                      enum mc_role role);

/* A message as the index holds it: what search prints and what show and
 * saving attachments read again. Loaded by load_message() (index/load.h);
 * freed with stored_message_free(). */
struct stored_message {
	gint64 id;
	char *message_id;
	gint64 thread;
	gint64 date; /* UTC seconds */
	char *subject;
	int direction;          /* 0 in, 1 out */
	gboolean automated;     /* the automated mark (common/automated.h) */
	char *automated_why;    /* the signal parsing found, "" none */
	struct mc_address from; /* role from; name/address "" when missing, domain "" */
	GPtrArray *to;          /* struct mc_address * */
	GPtrArray *cc;          /* struct mc_address * */
	GPtrArray *folders;     /* char *, distinct, sorted */
	GPtrArray *files;       /* char *, the distinct paths of its copies */
	GPtrArray *locations;   /* struct mc_location *, every copy */
	guint flags;            /* MC_FLAG_* any of its maildir or mbox copies carries */
	GPtrArray *attachments; /* struct mc_attachment * (inline parts included) */
	GPtrArray *clients;     /* char *, client keys it is filed under, sorted */
	GPtrArray *projects;    /* char *, "CLIENT/KEY" of its projects, sorted */
	GPtrArray *labels;      /* char *, its labels in header order */
};

/* Returns an empty stored message (every array empty, strings ""); free it
 * with stored_message_free(). */
struct stored_message *stored_message_new(void);
void stored_message_free(struct stored_message *m);
typedef struct stored_message stored_message;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(stored_message, stored_message_free)

#endif
