#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "common/error.h"
#include "common/fileio.h"
#include "imap/mutf7.h"
#include "imap/sync.h"
#include "imap/transport.h"
#include "ingest/source.h"

/* A batch of bodies: at most this many messages or bytes at once, so memory
 * stays flat whatever the size of the mailbox. */
#define BATCH_MESSAGES 200
#define BATCH_BYTES    (16 * 1024 * 1024)
/* A message larger than this is reported and not fetched. */
#define MAX_MESSAGE (64 * 1024 * 1024)
/* Answers other than a batch (capabilities, LIST, the UID/size list). */
#define READ_LIMIT (64 * 1024 * 1024)

void
imap_store_folder_free(gpointer folder)
{
	struct imap_store_folder *f = folder;
	g_free(f->dir);
	g_free(f->folder);
	g_free(f);
}

/* Returns NAME as one safe directory name: "=", then NAME with bytes other
 * than letters, digits, '-', '_' and '.' as %XX, so that no server-chosen
 * name is a path, hidden, empty, or two names one. */
static char *
escape_name(const char *name)
{
	GString *out = g_string_new("=");
	for (const char *p = name; *p; p++) {
		guchar c = *p;
		if (g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.')
			g_string_append_c(out, c);
		else
			g_string_append_printf(out, "%%%02X", c);
	}
	return g_string_free(out, FALSE);
}

/* Returns the name ENTRY (a store directory) was made from, as valid UTF-8
 * for display (a server may send any bytes), or NULL when ENTRY is none of
 * ours. */
static char *
unescape_name(const char *entry)
{
	if (entry[0] != '=')
		return NULL;
	g_autofree char *raw = g_uri_unescape_string(entry + 1, NULL);
	return raw ? g_utf8_make_valid(raw, -1) : NULL;
}

static char *
store_dir(const char *store_root, const char *source_name, const char *folder)
{
	g_autofree char *s = escape_name(source_name);
	g_autofree char *f = escape_name(folder);
	return g_build_filename(store_root, s, f, NULL);
}

GPtrArray *
imap_store_folders(const char *store_root, const char *name)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(imap_store_folder_free);
	g_autofree char *s = escape_name(name);
	g_autofree char *root = g_build_filename(store_root, s, NULL);
	g_autoptr(GDir) dir = g_dir_open(root, 0, NULL);
	const char *entry;
	while (dir && (entry = g_dir_read_name(dir))) {
		g_autofree char *path = g_build_filename(root, entry, NULL);
		g_autofree char *cur = g_build_filename(path, "cur", NULL);
		char *folder = unescape_name(entry);
		if (!folder || !g_file_test(cur, G_FILE_TEST_IS_DIR)) {
			g_free(folder);
			continue;
		}
		struct imap_store_folder *f = g_new0(struct imap_store_folder, 1);
		f->dir = g_steal_pointer(&path);
		f->folder = folder;
		g_ptr_array_add(out, f);
	}
	return out;
}

char *
imap_password(const struct mc_source_config *sc, GError **error)
{
	g_autofree char *var = g_ascii_strup(sc->name, -1);
	for (char *p = var; *p; p++)
		if (!g_ascii_isalnum(*p))
			*p = '_';
	g_autofree char *env = g_strconcat("MAILCLERK_PASSWORD_", var, NULL);
	const char *value = g_getenv(env);
	if (value && *value)
		return g_strdup(value);
	if (!sc->imap->password_command) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "source '%s': no password: set password_command, or %s in the "
		            "environment",
		            sc->name, env);
		return NULL;
	}
	const char *argv[] = { "/bin/sh", "-c", sc->imap->password_command, NULL };
	char *out = NULL;
	int status = 0;
	g_autoptr(GError) local = NULL;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, &out,
	                  NULL, &status, &local)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "source '%s': password_command: %s",
		            sc->name, local->message);
		return NULL;
	}
	if (!g_spawn_check_wait_status(status, &local)) {
		imap_password_free(out);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "source '%s': password_command: %s",
		            sc->name, local->message);
		return NULL;
	}
	/* Only the first line is the password; the rest is cleared too. */
	gsize first = strcspn(out, "\r\n");
	explicit_bzero(out + first, strlen(out + first));
	if (!*out) {
		imap_password_free(out);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "source '%s': password_command printed no password", sc->name);
		return NULL;
	}
	return out;
}

void
imap_password_free(char *password)
{
	if (!password)
		return;
	explicit_bzero(password, strlen(password));
	g_free(password);
}

/* One IMAP session. */
struct session {
	const struct mc_source_config *sc;
	mailimap *imap;
	mailstream_low *low; /* owned by imap's stream once connected */
	char delimiter;      /* the server's hierarchy delimiter, '/' when none */
};

/* Sets ERROR for a failed command R: the server's own words for NO/BAD,
 * the connection's trouble for a stream error. */
static gboolean
command_failed(struct session *s, int r, const char *what, GError **error)
{
	const char *host = s->sc->imap->host;
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE) {
		/* After an answer that could not be read, the rest of it would be
		 * taken for the answer to the next command (libetpan does not
		 * match tags): the connection is done for. */
		if (s->low)
			transport_mark_broken(s->low);
		const char *why = s->low ? transport_last_error(s->low) : NULL;
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s: %s", host, what,
		            why                         ? why
		            : r == MAILIMAP_ERROR_PARSE ? "the server's answer could not be read"
		                                        : "the connection was lost");
		return FALSE;
	}
	const char *text = s->imap->imap_response;
	g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s: the server said: %s", host, what,
	            text && *text ? text : "(nothing)");
	return FALSE;
}

static gboolean
has_capability(struct session *s, const char *name)
{
	struct mailimap_connection_info *ci = s->imap->imap_connection_info;
	if (!ci || !ci->imap_capability)
		return FALSE;
	for (clistiter *c = clist_begin(ci->imap_capability->cap_list); c; c = clist_next(c)) {
		struct mailimap_capability *cap = clist_content(c);
		if (cap->cap_type == MAILIMAP_CAPABILITY_NAME && cap->cap_data.cap_name &&
		    g_ascii_strcasecmp(cap->cap_data.cap_name, name) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
read_capabilities(struct session *s, GError **error)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(s->imap, &caps);
	if (r != MAILIMAP_NO_ERROR)
		return command_failed(s, r, "CAPABILITY", error);
	mailimap_capability_data_free(caps);
	return TRUE;
}

static gboolean
session_open(struct session *s, const char *password, GError **error)
{
	const struct mc_imap_config *c = s->sc->imap;
	s->low = transport_connect(c->host, c->port, c->timeout, error);
	if (!s->low)
		return FALSE;
	transport_set_read_limit(s->low, READ_LIMIT);
	if (c->tls == MC_TLS_IMAPS &&
	    !transport_start_tls(s->low, c->host, c->ca_file, c->tls_verify, error)) {
		mailstream_low_free(s->low);
		s->low = NULL;
		return FALSE;
	}
	mailstream *stream = mailstream_new(s->low, 8192);
	s->imap = mailimap_new(0, NULL);
	int r = mailimap_connect(s->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return command_failed(s, r, "greeting", error);
	if (!read_capabilities(s, error))
		return FALSE;
	if (c->tls == MC_TLS_STARTTLS) {
		/* Never a silent fall back to a plaintext login. */
		if (!has_capability(s, "STARTTLS")) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
			            "%s: the server does not offer STARTTLS (tls = starttls); "
			            "the password was not sent",
			            c->host);
			return FALSE;
		}
		r = mailimap_starttls(s->imap);
		if (r != MAILIMAP_NO_ERROR)
			return command_failed(s, r, "STARTTLS", error);
		if (!transport_start_tls(s->low, c->host, c->ca_file, c->tls_verify, error))
			return FALSE;
		/* What the server offered before TLS counts for nothing. */
		if (!read_capabilities(s, error))
			return FALSE;
	}
	if (has_capability(s, "LOGINDISABLED")) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "%s: the server refuses to log in without TLS (LOGINDISABLED); use "
		            "tls = imaps or tls = starttls",
		            c->host);
		return FALSE;
	}
	r = mailimap_login(s->imap, c->user, password);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("login as %s", c->user);
		return command_failed(s, r, what, error);
	}
	return TRUE;
}

static void
session_close(struct session *s)
{
	if (s->imap) {
		/* mailimap_free() says LOGOUT while it has a stream: not to a
		 * connection that already failed, which would wait out the timeout. */
		if (s->low && transport_broken(s->low))
			mailstream_low_close(s->low);
		mailimap_free(s->imap);
	} else if (s->low) {
		mailstream_low_free(s->low);
	}
	s->imap = NULL;
	s->low = NULL;
}

static gboolean
mailbox_selectable(const struct mailimap_mailbox_list *mb)
{
	const struct mailimap_mbx_list_flags *f = mb->mb_flag;
	if (!f)
		return TRUE;
	if (f->mbf_type == MAILIMAP_MBX_LIST_FLAGS_SFLAG &&
	    f->mbf_sflag == MAILIMAP_MBX_LIST_SFLAG_NOSELECT)
		return FALSE;
	for (clistiter *c = f->mbf_oflags ? clist_begin(f->mbf_oflags) : NULL; c;
	     c = clist_next(c)) {
		const struct mailimap_mbx_list_oflag *o = clist_content(c);
		if (o->of_type == MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT && o->of_flag_ext &&
		    (g_ascii_strcasecmp(o->of_flag_ext, "NonExistent") == 0 ||
		     g_ascii_strcasecmp(o->of_flag_ext, "Noselect") == 0))
			return FALSE;
	}
	return TRUE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the server's mailbox names for the configured folders: names as
 * they are, patterns with '*' or '%' expanded with LIST; '/' in either
 * stands for the server's delimiter. Sorted, each once. */
static GPtrArray *
resolve_folders(struct session *s, GError **error)
{
	clist *result = NULL;
	int r = mailimap_list(s->imap, "", "", &result);
	if (r != MAILIMAP_NO_ERROR)
		return command_failed(s, r, "LIST", error), NULL;
	s->delimiter = '/';
	if (result && clist_begin(result)) {
		struct mailimap_mailbox_list *mb = clist_content(clist_begin(result));
		if (mb->mb_delimiter)
			s->delimiter = mb->mb_delimiter;
	}
	mailimap_list_result_free(result);

	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < s->sc->imap->folders->len; i++) {
		/* Names as users write them: UTF-8 with '/'; the server's are
		 * modified UTF-7 with its own delimiter. */
		g_autofree char *pattern = mutf7_encode(g_ptr_array_index(s->sc->imap->folders, i));
		g_strdelimit(pattern, "/", s->delimiter);
		if (!strpbrk(pattern, "*%")) {
			if (g_hash_table_add(seen, g_strdup(pattern)))
				g_ptr_array_add(names, g_strdup(pattern));
			continue;
		}
		result = NULL;
		r = mailimap_list(s->imap, "", pattern, &result);
		if (r != MAILIMAP_NO_ERROR) {
			g_autofree char *what = g_strdup_printf("LIST %s", pattern);
			g_ptr_array_unref(names);
			return command_failed(s, r, what, error), NULL;
		}
		for (clistiter *c = result ? clist_begin(result) : NULL; c; c = clist_next(c)) {
			struct mailimap_mailbox_list *mb = clist_content(c);
			if (mb->mb_name && mailbox_selectable(mb) &&
			    g_hash_table_add(seen, g_strdup(mb->mb_name)))
				g_ptr_array_add(names, g_strdup(mb->mb_name));
		}
		mailimap_list_result_free(result);
	}
	g_ptr_array_sort(names, compare_names);
	return names;
}

struct uid_size {
	uint32_t uid;
	uint32_t size;
};

static gint
compare_uid(gconstpointer a, gconstpointer b)
{
	uint32_t x = ((const struct uid_size *)a)->uid, y = ((const struct uid_size *)b)->uid;
	return x < y ? -1 : x > y;
}

/* Returns the UIDs above LAST with their sizes, ascending. */
static GArray *
list_new_uids(struct session *s, const char *folder, uint32_t last, GError **error)
{
	struct mailimap_set *set = mailimap_set_new_interval(last + 1, 0);
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_rfc822_size());
	clist *result = NULL;
	int r = mailimap_uid_fetch(s->imap, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("%s: UID FETCH", folder);
		return command_failed(s, r, what, error), NULL;
	}
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(struct uid_size));
	for (clistiter *c = result ? clist_begin(result) : NULL; c; c = clist_next(c)) {
		struct mailimap_msg_att *att = clist_content(c);
		struct uid_size us = { 0 };
		for (clistiter *i = clist_begin(att->att_list); i; i = clist_next(i)) {
			struct mailimap_msg_att_item *item = clist_content(i);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			struct mailimap_msg_att_static *st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID)
				us.uid = st->att_data.att_uid;
			else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
				us.size = st->att_data.att_rfc822_size;
		}
		/* "last+1:*" also returns the newest message when it is <= last. */
		if (us.uid > last)
			g_array_append_val(uids, us);
	}
	mailimap_fetch_list_free(result);
	g_array_sort(uids, compare_uid);
	return uids;
}

/* Returns maildir flags (sorted: D F R S T) for a FLAGS answer. */
static char *
maildir_flags(struct mailimap_msg_att_dynamic *dyn)
{
	gboolean draft = FALSE, flagged = FALSE, answered = FALSE, seen = FALSE, deleted = FALSE;
	for (clistiter *c = dyn && dyn->att_list ? clist_begin(dyn->att_list) : NULL; c;
	     c = clist_next(c)) {
		struct mailimap_flag_fetch *ff = clist_content(c);
		if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER || !ff->fl_flag)
			continue;
		switch (ff->fl_flag->fl_type) {
		case MAILIMAP_FLAG_DRAFT:
			draft = TRUE;
			break;
		case MAILIMAP_FLAG_FLAGGED:
			flagged = TRUE;
			break;
		case MAILIMAP_FLAG_ANSWERED:
			answered = TRUE;
			break;
		case MAILIMAP_FLAG_SEEN:
			seen = TRUE;
			break;
		case MAILIMAP_FLAG_DELETED:
			deleted = TRUE;
			break;
		default:
			break;
		}
	}
	return g_strdup_printf("%s%s%s%s%s", draft ? "D" : "", flagged ? "F" : "",
	                       answered ? "R" : "", seen ? "S" : "", deleted ? "T" : "");
}

static gint64
internaldate_seconds(const struct mailimap_date_time *d)
{
	if (!d)
		return -1;
	int zone = d->dt_zone; /* +HHMM as a number */
	int offset = (zone / 100) * 3600 + (zone % 100) * 60;
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
	g_autoptr(GDateTime) dt = g_date_time_new(utc, d->dt_year, d->dt_month, d->dt_day,
	                                          d->dt_hour, d->dt_min, d->dt_sec);
	return dt ? g_date_time_to_unix(dt) - offset : -1;
}

/* A message written to tmp/, to be moved to cur/ once the batch is on disk. */
struct pending {
	char *tmp;
	char *final;
};

static void
pending_clear(gpointer p)
{
	struct pending *x = p;
	g_free(x->tmp);
	g_free(x->final);
}

/* Writes one message into the folder Maildir DIR as tmp/NAME, its mtime
 * INTERNALDATE, and notes in PENDING that it becomes cur/NAME:2,FLAGS. A
 * message already in cur/ (a batch fetched again after a cut) is left as it
 * is. */
static gboolean
store_message(const char *dir, const char *name, const char *flags, const char *data, gsize len,
              gint64 internaldate, GArray *pending, GError **error)
{
	g_autofree char *file = g_strdup_printf("%s:2,%s", name, flags);
	g_autofree char *final = g_build_filename(dir, "cur", file, NULL);
	if (g_file_test(final, G_FILE_TEST_EXISTS))
		return TRUE;
	g_autofree char *tmp = g_build_filename(dir, "tmp", name, NULL);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmp, g_strerror(errno));
		return FALSE;
	}
	if (!fileio_write_all(fd, data, len)) {
		int saved = errno;
		close(fd);
		unlink(tmp);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmp, g_strerror(saved));
		return FALSE;
	}
	if (internaldate >= 0) {
		struct timespec times[2] = { { internaldate, 0 }, { internaldate, 0 } };
		futimens(fd, times);
	}
	close(fd);
	struct pending p = { g_steal_pointer(&tmp), g_steal_pointer(&final) };
	g_array_append_val(pending, p);
	return TRUE;
}

/* Makes the batch's files durable with one syncfs() (instead of an fsync a
 * message, which was most of the time of a fetch), then moves them into
 * cur/: a message reaches cur/ only with its bytes on disk. */
static gboolean
commit_pending(const char *dir, GArray *pending, GError **error)
{
	if (pending->len == 0)
		return TRUE;
	g_autofree char *tmpdir = g_build_filename(dir, "tmp", NULL);
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) != 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", tmpdir, g_strerror(saved));
		return FALSE;
	}
	close(fd);
	for (guint i = 0; i < pending->len; i++) {
		struct pending *p = &g_array_index(pending, struct pending, i);
		if (rename(p->tmp, p->final) != 0) {
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", p->final,
			            g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

/* Fetches the bodies of UIDS[FIRST..END) into DIR. *DONE is set to how
 * many of them, from FIRST on, are stored: a message the server did not
 * send stops the count there (it is asked for again next run). */
static gboolean
fetch_batch(struct session *s, const char *folder, const char *dir, uint32_t uidvalidity,
            GArray *uids, guint first, guint end, gsize bytes, guint *done, GError **error)
{
	*done = 0;
	struct mailimap_set *set = mailimap_set_new_empty();
	for (guint i = first; i < end; i++)
		mailimap_set_add_single(set, g_array_index(uids, struct uid_size, i).uid);
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_flags());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_internaldate());
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(NULL)));
	/* The answer is the bodies and a little per message; twice a full
	 * batch at least, as servers' RFC822.SIZE are not always exact. */
	transport_set_read_limit(s->low,
	                         MAX(bytes, BATCH_BYTES) * 2 + (end - first) * 4096 + 1024 * 1024);
	clist *result = NULL;
	int r = mailimap_uid_fetch(s->imap, set, ft, &result);
	transport_set_read_limit(s->low, READ_LIMIT);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("%s: fetching messages", folder);
		return command_failed(s, r, what, error);
	}
	g_autoptr(GHashTable) got = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_autoptr(GArray) pending = g_array_new(FALSE, FALSE, sizeof(struct pending));
	g_array_set_clear_func(pending, pending_clear);
	gboolean ok = TRUE;
	for (clistiter *c = result ? clist_begin(result) : NULL; c && ok; c = clist_next(c)) {
		struct mailimap_msg_att *att = clist_content(c);
		uint32_t uid = 0;
		const char *body = NULL;
		gsize len = 0;
		gint64 date = -1;
		g_autofree char *flags = NULL;
		for (clistiter *i = clist_begin(att->att_list); i; i = clist_next(i)) {
			struct mailimap_msg_att_item *item = clist_content(i);
			if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
				g_free(flags);
				flags = maildir_flags(item->att_data.att_dyn);
				continue;
			}
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			struct mailimap_msg_att_static *st = item->att_data.att_static;
			if (st->att_type == MAILIMAP_MSG_ATT_UID) {
				uid = st->att_data.att_uid;
			} else if (st->att_type == MAILIMAP_MSG_ATT_INTERNALDATE) {
				date = internaldate_seconds(st->att_data.att_internal_date);
			} else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
			           st->att_data.att_body_section) {
				body = st->att_data.att_body_section->sec_body_part;
				len = st->att_data.att_body_section->sec_length;
			}
		}
		/* Unsolicited FETCH answers (flag updates) carry no body; a UID
		 * sent twice is stored once. */
		if (!uid || !body || g_hash_table_contains(got, GUINT_TO_POINTER(uid)))
			continue;
		g_autofree char *name = g_strdup_printf("%u_%u.mailclerk", uidvalidity, uid);
		ok = store_message(dir, name, flags ? flags : "", body, len, date, pending, error);
		if (ok)
			g_hash_table_add(got, GUINT_TO_POINTER(uid));
	}
	mailimap_fetch_list_free(result);
	if (!ok || !commit_pending(dir, pending, error))
		return FALSE;
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	if (!fileio_fsync_dir(cur)) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", cur, g_strerror(errno));
		return FALSE;
	}
	for (guint i = first; i < end; i++) {
		uint32_t uid = g_array_index(uids, struct uid_size, i).uid;
		if (!g_hash_table_contains(got, GUINT_TO_POINTER(uid))) {
			g_set_error(
			    error, MC_ERROR, MC_ERROR_FAILED,
			    "%s: %s: UID %u was not sent by the server (expunged meanwhile, or a "
			    "server fault); it is asked for again next run",
			    s->sc->imap->host, folder, uid);
			return FALSE;
		}
		(*done)++;
	}
	return TRUE;
}

static void
progress(const struct session *s, const char *folder, guint done, guint total, gint64 start)
{
	if (!isatty(STDERR_FILENO))
		return;
	double secs = (g_get_monotonic_time() - start) / 1e6;
	fprintf(stderr, "\r%s %s: %u/%u messages fetched (%.0f/s)\033[K", s->sc->name, folder, done,
	        total, secs > 0 ? done / secs : 0.0);
	if (done == total)
		fputc('\n', stderr);
}

/* Fetches FOLDER's new mail. */
static gboolean
sync_folder(struct session *s, struct imap_progress *state, const char *store_root,
            const char *folder, struct imap_sync_report *report, GError **error)
{
	int r = mailimap_examine(s->imap, folder);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("EXAMINE %s", folder);
		return command_failed(s, r, what, error);
	}
	uint32_t uidvalidity = s->imap->imap_selection_info->sel_uidvalidity;
	uint32_t known_validity, last;
	if (!state->load(state, s->sc->name, folder, &known_validity, &last, error))
		return FALSE;
	if (known_validity != uidvalidity)
		last = 0; /* renumbered (or new): all of it again; dedupe keeps doubles out */
	report->folders++;

	char *decoded = mutf7_decode(folder);
	g_autofree char *shown = decoded ? decoded : g_strdup(folder);
	g_strdelimit(shown, (char[]){ s->delimiter, '\0' }, '/');
	g_autofree char *dir = store_dir(store_root, s->sc->name, shown);
	if (!store_make_maildir(dir, error))
		return FALSE;
	g_autoptr(GArray) uids = list_new_uids(s, folder, last, error);
	if (!uids)
		return FALSE;
	gint64 start = g_get_monotonic_time();
	guint i = 0;
	while (i < uids->len) {
		guint end = i;
		gsize bytes = 0;
		while (end < uids->len && end - i < BATCH_MESSAGES) {
			const struct uid_size *u = &g_array_index(uids, struct uid_size, end);
			if (u->size > MAX_MESSAGE)
				break;
			if (end > i && bytes + u->size > BATCH_BYTES)
				break;
			bytes += u->size;
			end++;
		}
		if (end == i) {
			/* Too large to hold in memory: said, counted, and passed. */
			const struct uid_size *u = &g_array_index(uids, struct uid_size, i);
			fprintf(
			    stderr,
			    "mailclerk: %s: %s: skipped UID %u: %u bytes, more than the %d MB a "
			    "message may have\n",
			    s->sc->name, folder, u->uid, u->size, MAX_MESSAGE / (1024 * 1024));
			report->skipped++;
			if (!state->save(state, s->sc->name, folder, uidvalidity, u->uid, error))
				return FALSE;
			i++;
			continue;
		}
		guint done = 0;
		g_autoptr(GError) batch_error = NULL;
		gboolean ok = fetch_batch(s, folder, dir, uidvalidity, uids, i, end, bytes, &done,
		                          &batch_error);
		/* What is stored and fsynced: now the index may say so. */
		if (done > 0) {
			uint32_t top = g_array_index(uids, struct uid_size, i + done - 1).uid;
			if (!state->save(state, s->sc->name, folder, uidvalidity, top, error))
				return FALSE;
			report->fetched += done;
		}
		if (!ok) {
			g_propagate_error(error, g_steal_pointer(&batch_error));
			return FALSE;
		}
		i = end;
		progress(s, shown, i, uids->len, start);
	}
	if (uids->len == 0 && known_validity != uidvalidity &&
	    !state->save(state, s->sc->name, folder, uidvalidity, 0, error))
		return FALSE;
	return TRUE;
}

static gboolean imap_sync_locked(struct imap_progress *state, const char *store_root,
                                 const struct mc_source_config *sc, struct imap_sync_report *report,
                                 GError **error);

gboolean
imap_sync(struct imap_progress *state, const char *store_root, const struct mc_source_config *sc,
          struct imap_sync_report *report, GError **error)
{
	memset(report, 0, sizeof *report);
	const struct mc_imap_config *c = sc->imap;
	if (c->tls == MC_TLS_NONE)
		fprintf(stderr,
		        "mailclerk: warning: source '%s': tls = none: the password and all mail "
		        "cross the network in plain text\n",
		        sc->name);
	else if (!c->tls_verify)
		fprintf(stderr,
		        "mailclerk: WARNING: source '%s': tls_verify = no: the server's "
		        "certificate is not checked, anyone on the network can read the "
		        "password and the mail\n",
		        sc->name);
	/* One fetch of a source at a time; the lock goes with the descriptor. */
	if (g_mkdir_with_parents(store_root, 0700) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot create %s: %s", store_root,
		            g_strerror(errno));
		return FALSE;
	}
	g_autofree char *escaped = escape_name(sc->name);
	g_autofree char *lock_name = g_strconcat(escaped, ".lock", NULL);
	g_autofree char *lock_path = g_build_filename(store_root, lock_name, NULL);
	int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
		int saved = errno;
		if (lock >= 0)
			close(lock);
		if (lock >= 0 && saved == EWOULDBLOCK) {
			report->busy = TRUE;
			return TRUE;
		}
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "cannot lock %s: %s", lock_path,
		            g_strerror(saved));
		return FALSE;
	}
	gboolean ok = imap_sync_locked(state, store_root, sc, report, error);
	close(lock);
	return ok;
}

static gboolean
imap_sync_locked(struct imap_progress *state, const char *store_root,
                 const struct mc_source_config *sc, struct imap_sync_report *report, GError **error)
{
	char *password = imap_password(sc, error);
	if (!password)
		return FALSE;
	struct session s = { .sc = sc };
	gboolean ok = session_open(&s, password, error);
	imap_password_free(password);
	g_autoptr(GPtrArray) folders = ok ? resolve_folders(&s, error) : NULL;
	ok = folders != NULL;
	g_autoptr(GString) failures = g_string_new(NULL);
	for (guint i = 0; ok && i < folders->len; i++) {
		g_autoptr(GError) local = NULL;
		const char *folder = g_ptr_array_index(folders, i);
		if (sync_folder(&s, state, store_root, folder, report, &local))
			continue;
		report->folders_failed++;
		/* A folder the server refused does not stop the others; a lost
		 * connection does. */
		if (s.low && transport_broken(s.low)) {
			g_propagate_error(error, g_steal_pointer(&local));
			ok = FALSE;
		} else {
			fprintf(stderr, "mailclerk: %s\n", local->message);
			g_string_append_printf(failures, "%s%s", failures->len ? ", " : "", folder);
		}
	}
	session_close(&s);
	if (ok && failures->len) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "source '%s': folders not fetched: %s", sc->name, failures->str);
		return FALSE;
	}
	return ok;
}
