/* The configuration file (GKeyFile/INI; README "Configuration").
 *
 * Every key is checked when the file is loaded: invalid UTF-8, a line that
 * is no group, key or comment, an unknown group or key, a group or key given
 * twice, a missing required key, or a value that cannot be used (an address
 * that is none, a number out of range) is an MC_ERROR_USAGE error naming
 * FILE:LINE, the group and the key, so nothing runs on a config the user did
 * not mean. Group names are read with blanks trimmed and collapsed:
 * [client  acme] is [client acme]. */
#ifndef MC_CONFIG_H
#define MC_CONFIG_H

#include <glib.h>

enum mc_tls {
	MC_TLS_IMAPS,    /* TLS from the first byte (port 993) */
	MC_TLS_STARTTLS, /* plain connection upgraded with STARTTLS, which must be offered */
	MC_TLS_NONE,     /* plaintext: only when the config says so, warned about every run */
};

/* The keys of a type = imap source. */
struct mc_imap_config {
	char *host;
	int port;        /* default 993 (imaps) or 143 */
	enum mc_tls tls; /* default MC_TLS_IMAPS */
	char *user;
	char *password_command; /* run with /bin/sh -c; first line of its output; or NULL */
	GPtrArray *folders;  /* char *, names or LIST patterns such as Archive/%; default INBOX */
	char *ca_file;       /* extra trusted CA (absolute), or NULL */
	int timeout;         /* seconds, default 60 */
	int poll;            /* seconds between syncs under `watch` (poll = 5m), default 300 */
	gboolean tls_verify; /* FALSE only when the config says tls_verify = no */
};

struct mc_source_config {
	char *name;                  /* NAME of [source NAME] */
	char *type;                  /* "maildir", "mbox" or "imap" */
	char *path;                  /* maildir/mbox: absolute, ~ expanded; NULL for imap */
	struct mc_imap_config *imap; /* type imap: its keys; else NULL */
};

/* [client KEY]: values as written; index/rules-compile.c compiles them.
 * Lines are FILE's, for error messages (0 in a configuration made in code):
 * a key's line is its group's when the key is not given. */
struct mc_client_config {
	char *key;
	char *group;          /* "client KEY", for error messages */
	int line;             /* of the [client KEY] header */
	char *name;           /* display name; KEY when not given */
	GPtrArray *domains;   /* char *, lower-cased domains ("@" dropped), checked */
	GPtrArray *addresses; /* char *, lower-cased addresses, checked */
	char *match;          /* raw ';'-separated FIELD:/REGEX/FLAGS list, or NULL */
	int match_line;
	char *exclude; /* likewise, or NULL */
	int exclude_line;
	int followup_days; /* followup_days: days of silence before it has gone quiet; 0 unset */
	gboolean inactive; /* active = no: left out of `followups`' "gone quiet" */
};

/* [project CLIENT/KEY] */
struct mc_project_config {
	char *client; /* CLIENT, a [client] of the file */
	char *key;    /* KEY */
	char *group;  /* "project CLIENT/KEY" */
	int line;     /* of the [project CLIENT/KEY] header */
	char *name;   /* display name; KEY when not given */
	char *match;
	int match_line;
	char *exclude;
	int exclude_line;
	char *attachments; /* folder for its attachments (absolute), or NULL */
	gboolean save_attachments;
	char *attachment_name; /* file name template for its attachments, or NULL */
};

struct mc_config {
	char *file;            /* the file read, or NULL when none existed */
	GPtrArray *me;         /* char *, lower-cased addresses of the user, checked */
	GPtrArray *sources;    /* struct mc_source_config *, in file order */
	GPtrArray *clients;    /* struct mc_client_config *, in file order */
	GPtrArray *projects;   /* struct mc_project_config *, in file order */
	char *attachment_name; /* [mailclerk] attachment_name, or NULL (the default) */
	/* [mailclerk] automated and people: senders whose mail is always (never)
	 * automated (common/automated.h); char *, lower-cased addresses and
	 * "@domain"s, checked. */
	GPtrArray *automated;
	GPtrArray *people;
	char *attachments_dir; /* [mailclerk] attachments_dir (absolute, ~ expanded), or NULL:
	                        * use paths_attachments_root() (common/paths.h) */
	int followup_max_age;  /* [mailclerk] followup_max_age: days after which a thread is
	                        * history for `followups`; CONFIG_FOLLOWUP_MAX_AGE by default */
};

/* The default of followup_max_age, in days. */
#define CONFIG_FOLLOWUP_MAX_AGE 90

/* Loads FILE. A missing file is an error when MUST_EXIST (named by --config
 * or MAILCLERK_CONFIG), otherwise it means defaults; an empty file means
 * defaults. Returns a config the caller frees with config_free(), or NULL
 * and sets ERROR (MC_ERROR_USAGE). */
struct mc_config *config_load(const char *file, gboolean must_exist, GError **error);
/* Returns an empty configuration (no addresses, sources, clients or
 * projects) for FILE (may be NULL), to be filled in; free it with
 * config_free(), which frees what was added too. */
struct mc_config *config_new(const char *file);
void config_free(struct mc_config *cfg);
typedef struct mc_config mc_config;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(mc_config, config_free)

/* Returns the [source NAME] or NULL; owned by CFG. */
const struct mc_source_config *config_find_source(const struct mc_config *cfg, const char *name);

/* Returns TRUE when KEY may name a client or project: letters, digits, '.',
 * '_' and '-', not starting with '.'. Keys appear in queries (client:KEY,
 * project:C/KEY) and name folders of saved attachments. */
gboolean config_key_is_valid(const char *key);

/* Returns the [client KEY] or NULL; owned by CFG. */
const struct mc_client_config *config_find_client(const struct mc_config *cfg, const char *key);

/* Returns TRUE when addresses A and B are the same in any case, also
 * outside ASCII (mail gives lower-cased UTF-8, the config what the user
 * typed). */
gboolean config_same_address(const char *a, const char *b);

/* Returns ADDRESS as config_same_address() compares it: two addresses are
 * the same exactly when their keys are equal (strcmp), so a caller that
 * compares one address with many makes its key once. Caller frees. */
char *config_address_key(const char *address);

/* Returns TRUE when ADDRESS is one of the user's own, in any case (Unicode
 * case folding outside ASCII). */
gboolean config_is_me(const struct mc_config *cfg, const char *address);

#endif
