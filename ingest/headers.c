/* Headers: Message-ID, In-Reply-To and References, addresses, the date, the header block. */
#include "config.h"

#include "ingest/parse-internal.h"
#include "common/utf8.h"

#include <string.h>

#include <gmime/gmime.h>

/* Bounds what one hostile message can put into the index. */
#define MAX_MSGID      512
#define MAX_REFERENCES 100

/* Returns the bare Message-ID S (from GMime) cleaned and cut to MAX_MSGID
 * bytes, or NULL when there is none. */
char *
clean_msgid(const char *s)
{
	if (!s)
		return NULL;
	char *id = clean_line(s);
	if (!*id) {
		g_free(id);
		return NULL;
	}
	id[utf8_cut(id, strlen(id), MAX_MSGID)] = '\0';
	return id;
}

/* Returns the Message-IDs of header NAME, or NULL when it has none. */
static GMimeReferences *
header_references(GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	if (!v)
		return NULL;
	GMimeReferences *refs = g_mime_references_parse(parser_options, v);
	if (refs && g_mime_references_length(refs) == 0) {
		g_mime_references_free(refs);
		return NULL;
	}
	return refs;
}

void
fill_references(struct parsed_message *pm, GMimeMessage *msg)
{
	GMimeReferences *irt = header_references(msg, "In-Reply-To");
	if (irt) {
		g_autofree char *id = clean_msgid(g_mime_references_get_message_id(irt, 0));
		if (id && strcmp(id, pm->message_id) != 0)
			pm->in_reply_to = g_steal_pointer(&id);
		g_mime_references_free(irt);
	}

	GMimeReferences *refs = header_references(msg, "References");
	if (!refs)
		return;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	int n = g_mime_references_length(refs);
	for (int i = 0; i < n; i++) {
		char *id = clean_msgid(g_mime_references_get_message_id(refs, i));
		/* A message in its own References would make a loop in its thread. */
		if (!id || strcmp(id, pm->message_id) == 0 || g_hash_table_contains(seen, id)) {
			g_free(id);
			continue;
		}
		g_hash_table_add(seen, id);
		g_ptr_array_add(ids, id);
	}
	g_mime_references_free(refs);

	/* Past the cap, keep the thread's root and the nearest ancestors: those
	 * are the ones threading needs. */
	for (guint i = 0; i < ids->len; i++) {
		if (i == 0 || i + (MAX_REFERENCES - 1) >= ids->len)
			g_ptr_array_add(pm->references, g_strdup(g_ptr_array_index(ids, i)));
	}
}

/* Adds the mailboxes of LIST with ROLE, groups flattened; SEEN holds
 * "role:address" keys so an address repeated in a role is listed once. */
void
add_addresses(struct parsed_message *pm, GHashTable *seen, enum mc_role role,
              InternetAddressList *list, int depth)
{
	if (!list || depth > 2)
		return;
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			InternetAddressList *members =
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
			add_addresses(pm, seen, role, members, depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;

		g_autofree char *raw =
		    clean_line(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
		g_autofree char *address = g_utf8_strdown(raw, -1);
		if (!*address)
			continue;
		char *key = g_strdup_printf("%d:%s", role, address);
		if (!g_hash_table_add(seen, key))
			continue;

		struct mc_address *a = g_new0(struct mc_address, 1);
		a->role = role;
		a->name = clean_line(internet_address_get_name(ia));
		gsize nl = strlen(a->name);
		/* Outlook quotes names with apostrophes: 'Bob Smith' <bob@...>. */
		if (nl >= 2 && a->name[0] == '\'' && a->name[nl - 1] == '\'') {
			char *unquoted = g_strstrip(g_strndup(a->name + 1, nl - 2));
			g_free(a->name);
			a->name = unquoted;
		}
		const char *at = strrchr(address, '@');
		a->domain = g_strdup(at ? at + 1 : "");
		a->address = g_steal_pointer(&address);
		g_ptr_array_add(pm->addresses, a);
	}
}

/* Returns the date of the newest Received header (the one added last, on
 * delivery), or NULL. The caller unrefs it. */
static GDateTime *
received_date(GMimeMessage *msg)
{
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int n = g_mime_header_list_get_count(headers);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Received") != 0)
			continue;
		const char *v = g_mime_header_get_value(h);
		const char *semi = v ? strrchr(v, ';') : NULL;
		if (semi)
			return g_mime_utils_header_decode_date(semi + 1);
		return NULL;
	}
	return NULL;
}

gint64
message_date(GMimeMessage *msg, gint64 fallback)
{
	/* Some clients send the epoch for "no date"; only Received can help. */
	GDateTime *date = g_mime_message_get_date(msg);
	if (date && g_date_time_to_unix(date) > 0)
		return g_date_time_to_unix(date);

	GDateTime *received = received_date(msg);
	if (received) {
		gint64 t = g_date_time_to_unix(received);
		g_date_time_unref(received);
		if (t > 0)
			return t;
	}
	return date ? g_date_time_to_unix(date) : fallback;
}

static gint
header_offset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(*(GMimeHeader **)a);
	gint64 y = g_mime_header_get_offset(*(GMimeHeader **)b);
	return x < y ? -1 : x > y;
}

static void
collect_headers(GPtrArray *out, GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(list);
	for (int i = 0; i < n; i++)
		g_ptr_array_add(out, g_mime_header_list_get_header_at(list, i));
}

/* The message's header block as written: GMime keeps the Content-* headers
 * on the top MIME part, so both lists are merged back in file order. */
void
fill_headers(struct parsed_message *pm, GMimeMessage *msg)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	collect_headers(all, GMIME_OBJECT(msg));
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	if (body)
		collect_headers(all, body);
	/* A stable sort, so equal offsets keep their order. */
	g_ptr_array_sort(all, header_offset_cmp);

	pm->headers = parsed_message_new_headers();
	for (guint i = 0; i < all->len; i++) {
		GMimeHeader *h = g_ptr_array_index(all, i);
		struct mc_header *mh = g_new0(struct mc_header, 1);
		mh->name = clean_line(g_mime_header_get_name(h));
		mh->value = clean_line(g_mime_header_get_value(h));
		g_ptr_array_add(pm->headers, mh);
	}
}
