/* mailclerk contacts [CLIENT]: the people of each client's mail, as a
 * table, JSON, vCards or mutt's query answer. */
#include "config.h"

#include <string.h>

#include "cli/command.h"
#include "cli/printer.h"
#include "cli/text.h"
#include "cli/vcard.h"
#include "common/date.h"
#include "common/error.h"
#include "common/plural.h"
#include "query/contacts.h"

/* What the printer is handed: a contact and what its formats need besides. */
struct contact_row {
	const struct contact *c;
	const char *org;  /* the client's name as configured, else its key */
	int client_width; /* text: the widest client key of the list */
};

static void
contact_text(GString *out, gconstpointer record, guint index)
{
	const struct contact_row *r = record;
	const struct contact *c = r->c;
	g_autofree char *first = date_day(c->first, "1970-01-01");
	g_autofree char *last = date_day(c->last, "1970-01-01");
	g_autoptr(GString) name = g_string_new(NULL);
	text_append_clean(name, *c->name ? c->name : "-", 0);
	text_pad(out, name->str, 24);
	g_string_append_c(out, ' ');
	text_pad(out, c->client, r->client_width);
	g_string_append_printf(out, " %5" G_GINT64_FORMAT "  %s  %s  ", c->messages, first, last);
	for (guint i = 0; i < c->addresses->len; i++) {
		if (i)
			g_string_append(out, ", ");
		text_append_clean(out, g_ptr_array_index(c->addresses, i), 0);
	}
	g_string_append_c(out, '\n');
}

static void
contact_describe(struct printer *p, gconstpointer record)
{
	const struct contact *c = ((const struct contact_row *)record)->c;
	printer_kv_string(p, "name", c->name);
	printer_kv_string(p, "address", g_ptr_array_index(c->addresses, 0));
	printer_kv_strings(p, "addresses", c->addresses);
	g_autoptr(GPtrArray) clients = g_ptr_array_new();
	g_ptr_array_add(clients, c->client);
	printer_kv_strings(p, "clients", clients);
	printer_kv_int(p, "messages", c->messages);
	printer_kv_date(p, "first", c->first);
	printer_kv_date(p, "last", c->last);
}

static void
contact_vcard(GString *out, gconstpointer record)
{
	const struct contact_row *r = record;
	const struct contact *c = r->c;
	vcard_line(out, "BEGIN", "VCARD", TRUE);
	vcard_line(out, "VERSION", "4.0", TRUE);
	/* FN is required: a person without a name is their address. */
	vcard_line(out, "FN", *c->name ? c->name : (const char *)g_ptr_array_index(c->addresses, 0),
	           FALSE);
	for (guint i = 0; i < c->addresses->len; i++)
		vcard_line(out, i == 0 ? "EMAIL;PREF=1" : "EMAIL",
		           g_ptr_array_index(c->addresses, i), FALSE);
	vcard_line(out, "ORG", r->org, FALSE);
	vcard_line(out, "CATEGORIES", c->client, FALSE);
	g_autofree char *first = date_day(c->first, "1970-01-01");
	g_autofree char *last = date_day(c->last, "1970-01-01");
	g_autofree char *note = g_strdup_printf(
	    "mailclerk: first seen %s, last seen %s, %" G_GINT64_FORMAT " message%s", first, last,
	    c->messages, PLURAL_S(c->messages));
	vcard_line(out, "NOTE", note, FALSE);
	g_autofree char *uid = vcard_uid(c->client, c->identity);
	vcard_line(out, "UID", uid, TRUE);
	vcard_line(out, "END", "VCARD", TRUE);
}

/* mutt splits its lines at TABs and ends them at newlines: mail's text
 * must hold neither (text_append_clean() makes every control a space). */
static void
contact_mutt(GString *out, gconstpointer record)
{
	const struct contact *c = ((const struct contact_row *)record)->c;
	for (guint i = 0; i < c->addresses->len; i++) {
		const char *address = g_ptr_array_index(c->addresses, i);
		text_append_clean(out, address, 0);
		g_string_append_c(out, '\t');
		/* mutt's strtok() would take an empty name's TAB for the
		 * separator before the client: a person without a name is their
		 * address, as in vCards. */
		text_append_clean(out, *c->name ? c->name : address, 0);
		g_string_append_c(out, '\t');
		text_append_clean(out, c->client, 0);
		g_string_append_c(out, '\n');
	}
}

static const struct record_kind contact_kind = {
	.describe = contact_describe,
	.text = contact_text,
	.vcard = contact_vcard,
	.mutt = contact_mutt,
};

/* mutt's first line: how many people match. */
static char *
mutt_heading(guint n, const char *text)
{
	GString *s = g_string_new("mailclerk: ");
	if (n == 0)
		g_string_append(s, "no contacts");
	else
		g_string_append_printf(s, "%u contact%s", n, PLURAL_S(n));
	if (text && *text) {
		g_string_append(s, " matching '");
		text_append_clean(s, text, 0);
		g_string_append_c(s, '\'');
	}
	g_string_append_c(s, '\n');
	return g_string_free(s, FALSE);
}

int
cmd_contacts(struct command_env *env, int argc, char **argv)
{
	gboolean all = FALSE;
	g_autofree char *text = NULL;
	const GOptionEntry entries[] = {
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "also machine senders (noreply, mailer-daemon, notifications)", NULL },
		/* Bytes as given (FILENAME), so that the error below can say what
		 * is wrong where GOption would say "Invalid byte sequence". */
		{ "query", 0, 0, G_OPTION_ARG_FILENAME, &text,
		  "only the people whose name or an address holds TEXT (any case)", "TEXT" },
		{ NULL },
	};
	g_autoptr(printer) p = command_parse_printer(
	    env, "[CLIENT]",
	    "Lists the people of a client's mail (or of every client's, a row per client): "
	    "name (the latest one given), client, messages, first and last seen, and their "
	    "addresses, most used first. Within a client, addresses with the same display name, "
	    "and a personal address the configuration lists under the client, are one person. "
	    "Your own addresses are not contacts. --format=vcard writes vCards 4.0 (one per "
	    "person and client); --format=mutt answers mutt's query_command.",
	    entries, &contact_kind, &argc, &argv);
	if (!p)
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	const char *client = argc >= 2 ? argv[1] : NULL;
	if (argc > 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE, "contacts takes one CLIENT");
		return command_fail(error);
	}
	if (client && strchr(client, '/')) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "contacts takes a CLIENT, not a project: '%s'", client);
		return command_fail(error);
	}
	if (text && !g_utf8_validate(text, -1, NULL)) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE,
		            "contacts --query: TEXT is not UTF-8");
		return command_fail(error);
	}
	if (client && !command_check_client(env, client, &error))
		return command_fail(error);
	struct mc_db *db = command_index(env, &error);
	g_autoptr(GPtrArray) people =
	    db ? report_contacts(db, env->cfg, client, all, text, &error) : NULL;
	if (!people)
		return command_fail(error);
	int width = 0;
	for (guint i = 0; i < people->len; i++) {
		const struct contact *c = g_ptr_array_index(people, i);
		width = MAX(width, (int)strlen(c->client));
	}
	g_autofree char *heading = printer_is(p, "mutt") ? mutt_heading(people->len, text) : NULL;
	printer_list_begin(p, NULL, heading, NULL);
	for (guint i = 0; i < people->len; i++) {
		const struct contact *c = g_ptr_array_index(people, i);
		const struct mc_client_config *cc = config_find_client(env->cfg, c->client);
		struct contact_row r = { c, cc ? cc->name : c->client, width };
		printer_record(p, &contact_kind, &r);
	}
	printer_list_end(p);
	return printer_finish(g_steal_pointer(&p));
}
