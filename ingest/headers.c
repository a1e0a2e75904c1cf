/* Headers: Message-ID, references, addresses, date, header block, labels, automated mail. */
#include "config.h"

#include "ingest/parse-internal.h"
#include "common/utf8.h"

#include <string.h>

#include <gmime/gmime.h>

/* Bounds what one hostile message can put into the index. */
#define MAX_REFERENCES 100
/* Gmail allows 225 characters a label (at most 900 bytes of UTF-8) and
 * nobody has hundreds on one message. */
#define MAX_LABELS      200
#define MAX_LABEL_BYTES 1024

/* The value of the parameter NAME in LIST (may be NULL): the RFC 2231 one
 * when it is also given plain (for readers that know no RFC 2231, RFC
 * 6266 says), else the first. */
static const char *
param_value(GMimeParamList *list, const char *name)
{
	const char *first = NULL;
	int n = list ? g_mime_param_list_length(list) : 0;
	for (int i = 0; i < n; i++) {
		GMimeParam *param = g_mime_param_list_get_parameter_at(list, i);
		if (g_ascii_strcasecmp(g_mime_param_get_name(param), name) != 0)
			continue;
		if (g_mime_param_get_encoding_method(param) == GMIME_PARAM_ENCODING_METHOD_RFC2231)
			return g_mime_param_get_value(param);
		if (!first)
			first = g_mime_param_get_value(param);
	}
	return first;
}

const char *
part_filename(GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(obj);
	const char *name =
	    disposition
	        ? param_value(g_mime_content_disposition_get_parameters(disposition), "filename")
	        : NULL;
	GMimeContentType *type = g_mime_object_get_content_type(obj);
	return name ? name
	            : param_value(type ? g_mime_content_type_get_parameters(type) : NULL, "name");
}

/* Returns the bare Message-ID S (from GMime) cleaned and bounded
 * (mc_message_id_bound()), or NULL when there is none. */
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
	char *bounded = mc_message_id_bound(id);
	g_free(id);
	return bounded;
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

/* Labels. */

/* Adds LEN bytes at PIECE, one label as the header writes it, to PM's
 * labels: a '"' begins or ends quoted text, in which a backslash takes the
 * next character as it is. SEEN holds the keys (mc_label_key()) added. */
static void
add_label(struct parsed_message *pm, GHashTable *seen, const char *piece, gsize len)
{
	GString *label = g_string_sized_new(MIN(len, MAX_LABEL_BYTES) + 1);
	gboolean quoted = FALSE;
	for (gsize i = 0; i < len && label->len < MAX_LABEL_BYTES + 4; i++) {
		if (piece[i] == '"')
			quoted = !quoted;
		else if (quoted && piece[i] == '\\' && i + 1 < len)
			g_string_append_c(label, piece[++i]);
		else
			g_string_append_c(label, piece[i]);
	}
	g_autofree char *text = g_string_free(label, FALSE);
	/* The line was clean, but unquoting may have joined or exposed blanks. */
	g_strstrip(text);
	text[utf8_cut(text, strlen(text), MAX_LABEL_BYTES)] = '\0';
	g_strchomp(text);
	if (!*text)
		return;
	char *key = mc_label_key(text);
	if (!g_hash_table_add(seen, key))
		return;
	g_ptr_array_add(pm->labels, g_steal_pointer(&text));
}

/* X-Gmail-Labels (Gmail Takeout, and mail fetched from Gmail): labels
 * separated by commas, a label with a comma in double quotes:
 * "Inbox,Opened,Clients/Acme,\"Label, with comma\"". GMime decodes the
 * value as any unstructured header (RFC 2047 words, 8-bit text in the
 * fallback charsets) before it is split, as Gmail encodes the whole value
 * at once; a message with the header twice has the labels of both. */
void
fill_labels(struct parsed_message *pm, GMimeMessage *msg)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	int n = g_mime_header_list_get_count(headers);
	for (int i = 0; i < n && pm->labels->len < MAX_LABELS; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
		if (g_ascii_strcasecmp(g_mime_header_get_name(h), "X-Gmail-Labels") != 0)
			continue;
		g_autofree char *line = clean_line(g_mime_header_get_value(h));
		const char *start = line;
		gboolean quoted = FALSE, whole = FALSE;
		for (const char *p = line; pm->labels->len < MAX_LABELS; p++) {
			if (*p == '"') {
				quoted = !quoted;
			} else if (*p == '\\' && quoted && p[1]) {
				p++;
			} else if (*p == '\0' || (*p == ',' && !quoted)) {
				add_label(pm, seen, start, p - start);
				whole = !*p;
				if (whole)
					break;
				start = p + 1;
			}
		}
		if (!whole)
			parsed_message_add_problem(pm,
			                           "X-Gmail-Labels: more than %d labels, the "
			                           "first %d kept",
			                           MAX_LABELS, MAX_LABELS);
	}
}

/* Automated mail. */

/* How much of a header value the sign keeps: enough to recognise it. */
#define SIGN_VALUE_MAX 100

/* Returns header NAME of MSG as one clean line, or NULL when it is missing
 * or blank. */
static char *
header_line(GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
	if (!v)
		return NULL;
	char *line = clean_line(v);
	if (!*line)
		g_clear_pointer(&line, g_free);
	return line;
}

/* Returns "NAME: VALUE", VALUE cut at SIGN_VALUE_MAX bytes. */
static char *
sign(const char *name, const char *value)
{
	gsize n = strlen(value), keep = utf8_cut(value, n, SIGN_VALUE_MAX);
	return g_strdup_printf("%s: %.*s%s", name, (int)keep, value, keep < n ? "…" : "");
}

/* Returns the keyword of a header value: before any ';' parameters,
 * trimmed, ASCII lower-cased. */
static char *
keyword(const char *line)
{
	const char *semi = strchr(line, ';');
	g_autofree char *word = semi ? g_strndup(line, semi - line) : g_strdup(line);
	return g_ascii_strdown(g_strstrip(word), -1);
}

/* Whether a Return-Path is the null one, "<>": bounces and reports are
 * sent from it so that nothing answers them. */
static gboolean
is_null_path(const char *v)
{
	const char *want = "<>";
	for (; *v; v++) {
		if (g_ascii_isspace(*v))
			continue;
		if (*v != *want)
			return FALSE;
		want++;
	}
	return !*want;
}

/* A handful of header lookups on the message GMime has parsed already:
 * nothing here reads the body. */
char *
automated_signal(const struct parsed_message *pm, GMimeMessage *msg)
{
	static const char *const list_headers[] = { "List-Id", "List-Unsubscribe", "List-Post" };
	for (guint i = 0; i < G_N_ELEMENTS(list_headers); i++) {
		g_autofree char *v = header_line(msg, list_headers[i]);
		if (v)
			return sign(list_headers[i], v);
	}

	g_autofree char *precedence = header_line(msg, "Precedence");
	if (precedence) {
		g_autofree char *word = g_ascii_strdown(precedence, -1);
		if (g_str_equal(word, "bulk") || g_str_equal(word, "list") ||
		    g_str_equal(word, "junk"))
			return sign("Precedence", word);
	}

	g_autofree char *submitted = header_line(msg, "Auto-Submitted");
	if (submitted) {
		g_autofree char *word = keyword(submitted);
		if (*word && !g_str_equal(word, "no"))
			return sign("Auto-Submitted", word);
	}

	static const char *const auto_headers[] = { "X-Autoreply", "X-Autorespond" };
	for (guint i = 0; i < G_N_ELEMENTS(auto_headers); i++) {
		g_autofree char *v = header_line(msg, auto_headers[i]);
		if (v)
			return sign(auto_headers[i], v);
	}

	/* GMime keeps the top Content-Type on the message's MIME part. */
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	if (body && g_mime_content_type_is_type(g_mime_object_get_content_type(body), "multipart",
	                                        "report")) {
		g_autofree char *type =
		    clean_line(g_mime_object_get_content_type_parameter(body, "report-type"));
		if (!*type)
			return g_strdup("multipart/report");
		g_autofree char *lower = g_ascii_strdown(type, -1);
		gsize keep = utf8_cut(lower, strlen(lower), SIGN_VALUE_MAX);
		return g_strdup_printf("multipart/report (%.*s)", (int)keep, lower);
	}

	const char *path = g_mime_object_get_header(GMIME_OBJECT(msg), "Return-Path");
	if (path && is_null_path(path))
		return g_strdup("Return-Path: <>");

	const struct mc_address *from = parsed_message_first_address(pm, MC_ROLE_FROM);
	if (from && address_is_machine(from->address)) {
		gsize keep = utf8_cut(from->address, strlen(from->address), SIGN_VALUE_MAX);
		return g_strdup_printf("machine sender %.*s", (int)keep, from->address);
	}
	return g_strdup("");
}
