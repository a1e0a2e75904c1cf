/* The IMAP session: connecting, capabilities, STARTTLS, login, passwords, LIST and folders. */
#include "config.h"

#include <string.h>

#include <libetpan/libetpan.h>

#include "common/error.h"
#include "imap/mutf7.h"
#include "imap/session.h"
#include "imap/sync.h"
#include "imap/transport.h"

/* Returns MAILCLERK_PASSWORD_NAME for source SC (NAME in capitals, other
 * characters than letters and digits as '_'); the caller frees it. */
static char *
password_variable(const struct mc_source_config *sc)
{
	g_autofree char *var = g_ascii_strup(sc->name, -1);
	for (char *p = var; *p; p++)
		if (!g_ascii_isalnum(*p))
			*p = '_';
	return g_strconcat("MAILCLERK_PASSWORD_", var, NULL);
}

gboolean
imap_password_configured(const struct mc_source_config *sc, GError **error)
{
	g_autofree char *env = password_variable(sc);
	const char *value = g_getenv(env);
	if ((value && *value) || sc->imap->password_command)
		return TRUE;
	g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
	            "source '%s': no password: set password_command, or %s in the environment",
	            sc->name, env);
	return FALSE;
}

char *
imap_password(const struct mc_source_config *sc, GError **error)
{
	g_autofree char *env = password_variable(sc);
	const char *value = g_getenv(env);
	if (value && *value)
		return g_strdup(value);
	if (!imap_password_configured(sc, error))
		return NULL;
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

gboolean
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

gboolean
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
		g_set_error(error, MC_ERROR, MC_ERROR_REFUSED,
		            "%s: the server refuses to log in without TLS (LOGINDISABLED); use "
		            "tls = imaps or tls = starttls",
		            c->host);
		return FALSE;
	}
	r = mailimap_login(s->imap, c->user, password);
	if (r != MAILIMAP_NO_ERROR) {
		g_autofree char *what = g_strdup_printf("login as %s", c->user);
		command_failed(s, r, what, error);
		/* The server said no (not a lost connection, nor a NO
		 * [UNAVAILABLE] of RFC 5530, which passes): the same password will
		 * be refused again. */
		if (error && *error && r != MAILIMAP_ERROR_STREAM && r != MAILIMAP_ERROR_PARSE &&
		    !strstr((*error)->message, "[UNAVAILABLE]"))
			(*error)->code = MC_ERROR_REFUSED;
		return FALSE;
	}
	/* Servers offer more once logged in (QRESYNC implies CONDSTORE). */
	if (!read_capabilities(s, error))
		return FALSE;
	s->condstore = has_capability(s, "CONDSTORE") || has_capability(s, "QRESYNC");
	s->idle = has_capability(s, "IDLE");
	return TRUE;
}

void
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

GPtrArray *
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
