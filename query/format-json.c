#include "config.h"

#include "query/format.h"

static void
json_address(struct json *j, const struct mc_address *a)
{
	json_begin_object(j);
	json_kv_string(j, "name", a->name);
	json_kv_string(j, "address", a->address);
	json_end_object(j);
}

static void
json_addresses(struct json *j, const char *key, GPtrArray *list)
{
	json_key(j, key);
	json_begin_array(j);
	for (guint i = 0; i < list->len; i++)
		json_address(j, g_ptr_array_index(list, i));
	json_end_array(j);
}

static void
json_strings(struct json *j, const char *key, GPtrArray *list)
{
	json_key(j, key);
	json_begin_array(j);
	for (guint i = 0; list && i < list->len; i++)
		json_string(j, g_ptr_array_index(list, i));
	json_end_array(j);
}

/* Writes the members of the result object, without the braces. */
static void
json_result_members(struct json *j, const struct result *r)
{
	json_kv_int(j, "id", r->id);
	json_kv_string(j, "message_id", r->message_id);
	json_kv_int(j, "thread", r->thread);
	g_autofree char *date = format_iso_date(r->date);
	json_kv_string(j, "date", date);
	json_key(j, "from");
	json_address(j, &r->from);
	json_addresses(j, "to", r->to);
	json_addresses(j, "cc", r->cc);
	json_kv_string(j, "subject", r->subject);
	json_kv_string(j, "direction", r->direction ? "out" : "in");
	json_strings(j, "clients", r->clients);
	json_strings(j, "projects", r->projects);
	json_strings(j, "folders", r->folders);
	json_strings(j, "files", r->files);
	json_key(j, "attachments");
	json_begin_array(j);
	for (guint i = 0; i < r->attachments->len; i++) {
		const struct mc_attachment *a = g_ptr_array_index(r->attachments, i);
		if (a->is_inline)
			continue;
		json_begin_object(j);
		json_kv_string(j, "filename", a->filename);
		json_kv_string(j, "mime_type", a->mime_type);
		json_kv_int(j, "size", a->size);
		json_kv_string(j, "sha256", a->sha256);
		json_kv_string(j, "part", a->part);
		json_end_object(j);
	}
	json_end_array(j);
	json_kv_string(j, "snippet", r->snippet);
}

void
format_json_result(struct json *j, const struct result *r)
{
	json_begin_object(j);
	json_result_members(j, r);
	json_end_object(j);
}

void
format_json_message(struct json *j, const struct result *r, const struct parsed_message *pm)
{
	json_begin_object(j);
	json_result_members(j, r);
	json_kv_string(j, "body", pm->body_text);
	json_key(j, "headers");
	json_begin_array(j);
	for (guint i = 0; pm->headers && i < pm->headers->len; i++) {
		const struct mc_header *h = g_ptr_array_index(pm->headers, i);
		json_begin_object(j);
		json_kv_string(j, "name", h->name);
		json_kv_string(j, "value", h->value);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
