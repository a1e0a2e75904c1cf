/* IMAP flags: the server's as Maildir letters, and changes on the server renamed into the store. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/error.h"
#include "common/message.h"
#include "imap/flags.h"
#include "imap/transport.h"

char *
imap_maildir_flags(struct mailimap_msg_att_dynamic *dyn)
{
	guint bits = 0;
	for (clistiter *c = dyn && dyn->att_list ? clist_begin(dyn->att_list) : NULL; c;
	     c = clist_next(c)) {
		struct mailimap_flag_fetch *ff = clist_content(c);
		if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER || !ff->fl_flag)
			continue;
		switch (ff->fl_flag->fl_type) {
		case MAILIMAP_FLAG_DRAFT:
			bits |= MC_FLAG_DRAFT;
			break;
		case MAILIMAP_FLAG_FLAGGED:
			bits |= MC_FLAG_FLAGGED;
			break;
		case MAILIMAP_FLAG_ANSWERED:
			bits |= MC_FLAG_REPLIED;
			break;
		case MAILIMAP_FLAG_SEEN:
			bits |= MC_FLAG_SEEN;
			break;
		case MAILIMAP_FLAG_DELETED:
			bits |= MC_FLAG_TRASHED;
			break;
		default:
			break;
		}
	}
	g_autofree char *info = mc_flags_info(bits);
	return g_strdup(*info ? info + 3 : "");
}

/* Returns UID -> file name (char *) of every message of UIDVALIDITY in
 * CUR, a store folder's cur/, and sets *TOP to the highest UID; NULL and
 * ERROR when CUR cannot be read. */
static GHashTable *
stored_uids(const char *cur, uint32_t uidvalidity, uint32_t *top, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(cur, 0, error);
	if (!d)
		return NULL;
	GHashTable *files = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	g_autofree char *prefix = g_strdup_printf("%u_", uidvalidity);
	gsize plen = strlen(prefix);
	*top = 0;
	const char *name;
	while ((name = g_dir_read_name(d))) {
		/* UIDVALIDITY_UID.mailclerk:2,FLAGS, as imap/store.c names them. */
		if (strncmp(name, prefix, plen) != 0 || !g_ascii_isdigit(name[plen]))
			continue;
		char *end;
		guint64 uid = g_ascii_strtoull(name + plen, &end, 10);
		if (uid == 0 || uid > G_MAXUINT32 || !g_str_has_prefix(end, ".mailclerk:2,"))
			continue;
		g_hash_table_replace(files, GUINT_TO_POINTER((guint)uid), g_strdup(name));
		*top = MAX(*top, (uint32_t)uid);
	}
	return files;
}

gboolean
imap_sync_flags(struct session *s, const char *folder, const char *dir, uint32_t uidvalidity,
                gboolean condstore, uint64_t modseq, uint64_t highest, guint *renamed,
                GError **error)
{
	*renamed = 0;
	if (condstore && modseq > 0 && modseq == highest)
		return TRUE; /* nothing changed in the folder since */
	g_autofree char *cur = g_build_filename(dir, "cur", NULL);
	uint32_t top;
	g_autoptr(GHashTable) files = stored_uids(cur, uidvalidity, &top, error);
	if (!files)
		return FALSE;
	if (top == 0)
		return TRUE;
	/* Up to the highest UID stored, which may be above the recorded
	 * progress after a cut: a batch fetched again then finds its files
	 * under the flags it is sent with. */
	struct mailimap_set *set = mailimap_set_new_interval(1, top);
	struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_flags());
	/* An answer of a few dozen bytes a message; keywords can make it more. */
	transport_set_read_limit(
	    s->low, MAX(READ_LIMIT, (gsize)g_hash_table_size(files) * 1024 + 1024 * 1024));
	clist *result = NULL;
	int r = condstore && modseq > 0
	            ? mailimap_uid_fetch_changedsince(s->imap, set, ft, modseq, &result)
	            : mailimap_uid_fetch(s->imap, set, ft, &result);
	transport_set_read_limit(s->low, READ_LIMIT);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("%s: UID FETCH (FLAGS)", folder);
		return command_failed(s, r, what, error);
	}
	int dfd = open(cur, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	gboolean ok = dfd >= 0;
	if (!ok)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", cur, g_strerror(errno));
	for (clistiter *c = result && ok ? clist_begin(result) : NULL; c && ok; c = clist_next(c)) {
		struct mailimap_msg_att *att = clist_content(c);
		uint32_t uid = 0;
		g_autofree char *flags = NULL;
		for (clistiter *i = clist_begin(att->att_list); i; i = clist_next(i)) {
			struct mailimap_msg_att_item *item = clist_content(i);
			if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
				g_free(flags);
				flags = imap_maildir_flags(item->att_data.att_dyn);
			} else if (item->att_type == MAILIMAP_MSG_ATT_ITEM_STATIC &&
			           item->att_data.att_static->att_type == MAILIMAP_MSG_ATT_UID) {
				uid = item->att_data.att_static->att_data.att_uid;
			}
		}
		const char *old = uid ? g_hash_table_lookup(files, GUINT_TO_POINTER(uid)) : NULL;
		if (!old || !flags)
			continue; /* not stored (yet), or no FLAGS in this answer */
		g_autofree char *name =
		    g_strdup_printf("%u_%u.mailclerk:2,%s", uidvalidity, uid, flags);
		if (g_str_equal(name, old))
			continue;
		/* Atomic: the file has the old name or the new one, never none. */
		if (renameat(dfd, old, dfd, name) != 0) {
			if (errno == ENOENT)
				continue;
			g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s/%s: %s", cur, name,
			            g_strerror(errno));
			ok = FALSE;
			break;
		}
		g_hash_table_replace(files, GUINT_TO_POINTER(uid), g_steal_pointer(&name));
		(*renamed)++;
	}
	mailimap_fetch_list_free(result);
	/* Durable before the caller records the folder's HIGHESTMODSEQ. */
	if (ok && *renamed > 0 && fsync(dfd) != 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "%s: %s", cur, g_strerror(errno));
		ok = FALSE;
	}
	if (dfd >= 0)
		close(dfd);
	return ok;
}
