/* The message model's constructors and destructors. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "common/message.h"
#include "common/sha256.h"
#include "common/utf8.h"

char *
mc_message_id_bound(const char *id)
{
	gsize len = strlen(id);
	if (len <= MC_MESSAGE_ID_MAX)
		return g_strdup(id);
	char hex[SHA256_HEX_SIZE];
	sha256_hex(id, len, hex);
	gsize keep = utf8_cut(id, len, MC_MESSAGE_ID_MAX - SHA256_HEX_SIZE);
	return g_strdup_printf("%.*s#%s", (int)keep, id, hex);
}

const char *
mc_role_name(enum mc_role role)
{
	static const char *const names[] = { "from", "to", "cc", "bcc", "reply-to" };
	return (unsigned)role < G_N_ELEMENTS(names) ? names[role] : "unknown";
}

gboolean
address_is_machine(const char *address)
{
	/* Any local part containing "noreply" or "no-reply" is one too. */
	static const char *const machine[] = {
		"no_reply",   "donotreply",   "do-not-reply",  "mailer-daemon",
		"postmaster", "notification", "notifications", "bounce",
		"bounces",    "alerts",       "daemon",        NULL,
	};
	const char *at = strchr(address, '@');
	g_autofree char *local = at ? g_strndup(address, at - address) : g_strdup(address);
	for (const char *const *m = machine; *m; m++)
		if (g_str_equal(local, *m) ||
		    (g_str_has_prefix(local, *m) && local[strlen(*m)] == '+'))
			return TRUE;
	return strstr(local, "noreply") != NULL || strstr(local, "no-reply") != NULL;
}

void
mc_address_free(gpointer p)
{
	struct mc_address *a = p;
	g_free(a->name);
	g_free(a->address);
	g_free(a->domain);
	g_free(a);
}

void
mc_attachment_free(gpointer p)
{
	struct mc_attachment *a = p;
	g_free(a->part);
	g_free(a->filename);
	g_free(a->mime_type);
	g_free(a);
}

void
mc_location_free(gpointer p)
{
	struct mc_location *l = p;
	g_free(l->kind);
	g_free(l->path);
	g_free(l->folder);
	g_free(l);
}

static void
header_free(gpointer p)
{
	struct mc_header *h = p;
	g_free(h->name);
	g_free(h->value);
	g_free(h);
}

struct parsed_message *
parsed_message_new(void)
{
	struct parsed_message *pm = g_new0(struct parsed_message, 1);
	pm->references = g_ptr_array_new_with_free_func(g_free);
	pm->addresses = g_ptr_array_new_with_free_func(mc_address_free);
	pm->attachments = g_ptr_array_new_with_free_func(mc_attachment_free);
	pm->subject = g_strdup("");
	pm->body_text = g_strdup("");
	pm->alt_words = g_strdup("");
	pm->automated_why = g_strdup("");
	pm->labels = g_ptr_array_new_with_free_func(g_free);
	return pm;
}

void
parsed_message_free(struct parsed_message *pm)
{
	if (!pm)
		return;
	g_free(pm->message_id);
	g_free(pm->subject);
	g_free(pm->in_reply_to);
	g_ptr_array_unref(pm->references);
	g_ptr_array_unref(pm->addresses);
	g_free(pm->body_text);
	g_free(pm->alt_words);
	g_ptr_array_unref(pm->attachments);
	if (pm->headers)
		g_ptr_array_unref(pm->headers);
	g_free(pm->automated_why);
	g_ptr_array_unref(pm->labels);
	if (pm->problems)
		g_ptr_array_unref(pm->problems);
	g_free(pm);
}

void
parsed_message_add_problem(struct parsed_message *pm, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	if (!pm->problems)
		pm->problems = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(pm->problems, g_strdup_vprintf(format, ap));
	va_end(ap);
}

/* Exposed so parse.c can build header arrays with the right free function. */
GPtrArray *
parsed_message_new_headers(void)
{
	return g_ptr_array_new_with_free_func(header_free);
}

const struct mc_address *
parsed_message_first_address(const struct parsed_message *pm, enum mc_role role)
{
	for (guint i = 0; i < pm->addresses->len; i++) {
		const struct mc_address *a = g_ptr_array_index(pm->addresses, i);
		if (a->role == role)
			return a;
	}
	return NULL;
}

struct stored_message *
stored_message_new(void)
{
	struct stored_message *m = g_new0(struct stored_message, 1);
	m->message_id = g_strdup("");
	m->subject = g_strdup("");
	m->automated_why = g_strdup("");
	m->from.role = MC_ROLE_FROM;
	m->from.name = g_strdup("");
	m->from.address = g_strdup("");
	m->from.domain = g_strdup("");
	m->to = g_ptr_array_new_with_free_func(mc_address_free);
	m->cc = g_ptr_array_new_with_free_func(mc_address_free);
	m->folders = g_ptr_array_new_with_free_func(g_free);
	m->files = g_ptr_array_new_with_free_func(g_free);
	m->locations = g_ptr_array_new_with_free_func(mc_location_free);
	m->attachments = g_ptr_array_new_with_free_func(mc_attachment_free);
	m->clients = g_ptr_array_new_with_free_func(g_free);
	m->projects = g_ptr_array_new_with_free_func(g_free);
	m->labels = g_ptr_array_new_with_free_func(g_free);
	return m;
}

void
stored_message_free(struct stored_message *m)
{
	if (!m)
		return;
	g_free(m->message_id);
	g_free(m->subject);
	g_free(m->automated_why);
	g_free(m->from.name);
	g_free(m->from.address);
	g_free(m->from.domain);
	g_ptr_array_unref(m->to);
	g_ptr_array_unref(m->cc);
	g_ptr_array_unref(m->folders);
	g_ptr_array_unref(m->files);
	g_ptr_array_unref(m->locations);
	g_ptr_array_unref(m->attachments);
	g_ptr_array_unref(m->clients);
	g_ptr_array_unref(m->projects);
	g_ptr_array_unref(m->labels);
	g_free(m);
}

/* In the order of the MC_FLAG_* bits. */
static const struct {
	char letter;
	const char *name;
} flags[MC_FLAG_COUNT] = {
	{ 'D', "draft" },   { 'F', "flagged" }, { 'P', "passed" },
	{ 'R', "replied" }, { 'S', "seen" },    { 'T', "trashed" },
};

guint
mc_flags_parse(const char *info)
{
	if (!g_str_has_prefix(info, ":2,"))
		return 0;
	guint bits = 0;
	for (const char *c = info + 3; *c; c++)
		for (guint i = 0; i < MC_FLAG_COUNT; i++)
			if (*c == flags[i].letter)
				bits |= 1u << i;
	return bits;
}

const char *
mc_flag_name(guint i)
{
	return i < MC_FLAG_COUNT ? flags[i].name : "";
}

char *
mc_label_key(const char *label)
{
	/* Query text may not be UTF-8; casefold would read past a bad sequence. */
	g_autofree char *valid =
	    g_utf8_validate(label, -1, NULL) ? NULL : g_utf8_make_valid(label, -1);
	/* NFKC first: a full-width or compatibility form folds as its plain one. */
	g_autofree char *nfkc = g_utf8_normalize(valid ? valid : label, -1, G_NORMALIZE_NFKC);
	return g_utf8_casefold(nfkc, -1);
}

char *
mc_flags_info(guint bits)
{
	if (!bits)
		return g_strdup("");
	GString *info = g_string_new(":2,");
	/* The table is in ASCII order, as maildir names want it. */
	for (guint i = 0; i < MC_FLAG_COUNT; i++)
		if (bits & (1u << i))
			g_string_append_c(info, flags[i].letter);
	return g_string_free(info, FALSE);
}

guint
mc_flags_from_status(const char *value, gsize len, gboolean x_status)
{
	guint bits = 0;
	for (gsize i = 0; i < MIN(len, 256); i++) {
		if (!x_status) {
			if (value[i] == 'R')
				bits |= MC_FLAG_SEEN;
			continue;
		}
		switch (value[i]) {
		case 'A':
			bits |= MC_FLAG_REPLIED;
			break;
		case 'F':
			bits |= MC_FLAG_FLAGGED;
			break;
		case 'T':
			bits |= MC_FLAG_DRAFT;
			break;
		case 'D':
			bits |= MC_FLAG_TRASHED;
			break;
		}
	}
	return bits;
}
