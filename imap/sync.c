/* Fetching IMAP mail: per-folder sync (EXAMINE, new UIDs, batches, progress) and imap_sync(). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "common/error.h"
#include "common/fileio.h"
#include "common/interrupt.h"
#include "imap/flags.h"
#include "imap/mutf7.h"
#include "imap/session.h"
#include "imap/store.h"
#include "imap/sync.h"
#include "imap/transport.h"
#include "ingest/source.h"

/* A batch of bodies: at most this many messages or bytes at once, so memory
 * stays flat whatever the size of the mailbox. */
#define BATCH_MESSAGES 200
#define BATCH_BYTES    (16 * 1024 * 1024)
/* A message larger than this is reported and not fetched. */
#define MAX_MESSAGE (64 * 1024 * 1024)

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
				flags = imap_maildir_flags(item->att_data.att_dyn);
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
	/* EXAMINE (CONDSTORE) tells the folder's HIGHESTMODSEQ (0: NOMODSEQ). */
	uint64_t highest = 0;
	int r = s->condstore ? mailimap_examine_condstore(s->imap, folder, &highest)
	                     : mailimap_examine(s->imap, folder);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("EXAMINE %s", folder);
		return command_failed(s, r, what, error);
	}
	uint32_t uidvalidity = s->imap->imap_selection_info->sel_uidvalidity;
	uint32_t known_validity, last;
	uint64_t modseq;
	if (!state->load(state, s->sc->name, folder, &known_validity, &last, &modseq, error))
		return FALSE;
	if (known_validity != uidvalidity) {
		last = 0; /* renumbered (or new): all of it again; dedupe keeps doubles out */
		modseq = 0;
	}
	report->folders++;

	char *decoded = mutf7_decode(folder);
	g_autofree char *shown = decoded ? decoded : g_strdup(folder);
	g_strdelimit(shown, (char[]){ s->delimiter, '\0' }, '/');
	g_autofree char *dir = store_dir(store_root, s->sc->name, shown);
	if (!fileio_make_maildir(dir, error))
		return FALSE;
	/* Flags changed on the server since the stored messages were fetched
	 * (or since the last run). Messages fetched below have the flags of
	 * their fetch, which is after HIGHEST. */
	guint renamed = 0;
	gboolean flags_ok = imap_sync_flags(s, folder, dir, uidvalidity, s->condstore, modseq,
	                                    highest, &renamed, error);
	report->flags_changed += renamed;
	if (!flags_ok)
		return FALSE;
	g_autoptr(GArray) uids = list_new_uids(s, folder, last, error);
	if (!uids)
		return FALSE;
	gint64 start = g_get_monotonic_time();
	guint i = 0;
	while (i < uids->len) {
		/* Interrupted: what is stored and recorded stays; the rest is
		 * fetched next run. */
		if (interrupt_caught()) {
			g_set_error(error, MC_ERROR, MC_ERROR_INTERRUPTED, "%s: interrupted",
			            folder);
			return FALSE;
		}
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
	/* Every flag change up to HIGHEST is in the store now. */
	if (highest != modseq &&
	    !state->save_modseq(state, s->sc->name, folder, uidvalidity, highest, error))
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
		 * connection or a signal does. */
		if (interrupt_caught() || (s.low && transport_broken(s.low))) {
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
