/* mailclerk contacts [CLIENT]: everyone seen in a client's mail. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "common/error.h"
#include "common/json.h"
#include "query/format.h"

/* Addresses machines send from: left out unless --all. The local part is
 * what tells (noreply@, mailer-daemon@, notifications@ ...). */
static gboolean
contact_is_machine(const char *address)
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

int
cmd_contacts(struct command_env *env, int argc, char **argv)
{
	g_autofree char *opt_format = NULL;
	gboolean all = FALSE;
	const GOptionEntry entries[] = {
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all,
		  "also machine senders (noreply, mailer-daemon, notifications)", NULL },
		{ "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, "text (default) or json",
		  "FORMAT" },
		{ NULL },
	};
	if (!command_parse_options("contacts", "[CLIENT]",
	                           "Lists everyone seen in a client's mail (or all clients'): "
	                           "name (the latest one given), address, messages, first and "
	                           "last seen. Your own addresses are not contacts.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	enum output_format format;
	if (!format_parse_text_or_json("contacts", opt_format, &format, &error))
		return command_fail(error);
	const char *client = argc >= 2 ? argv[1] : NULL;
	if (argc > 2) {
		g_set_error(&error, MC_ERROR, MC_ERROR_USAGE, "contacts takes one CLIENT");
		return command_fail(error);
	}
	if (client && !command_check_client(env, client, &error))
		return command_fail(error);
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db)
		return command_fail(error);
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "WITH mine AS (SELECT DISTINCT message FROM filings WHERE project = '' "
	    "AND (?1 IS NULL OR client = ?1)) "
	    "SELECT a.address, count(DISTINCT a.message), min(m.date), max(m.date), "
	    "(SELECT a2.name FROM addresses a2 JOIN messages m2 ON m2.id = a2.message "
	    "WHERE a2.address = a.address AND a2.name != '' AND a2.message IN mine "
	    "ORDER BY m2.date DESC LIMIT 1) "
	    "FROM addresses a JOIN messages m ON m.id = a.message WHERE a.message IN mine "
	    "GROUP BY a.address ORDER BY count(DISTINCT a.message) DESC, a.address",
	    &error);
	if (!s)
		return command_fail(error);
	db_bind_text(s, 1, client);
	g_autoptr(GString) out = g_string_new(NULL);
	struct json j;
	json_init(&j, out);
	if (format == FORMAT_JSON)
		json_begin_array(&j);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *address = db_column_text(s, 0);
		if (config_is_me(env->cfg, address) || (!all && contact_is_machine(address)))
			continue;
		const char *name = db_column_text(s, 4);
		gint64 n = sqlite3_column_int64(s, 1);
		g_autofree char *first = format_iso_date(sqlite3_column_int64(s, 2));
		g_autofree char *last = format_iso_date(sqlite3_column_int64(s, 3));
		if (format == FORMAT_JSON) {
			json_begin_object(&j);
			json_kv_string(&j, "name", name);
			json_kv_string(&j, "address", address);
			json_kv_int(&j, "messages", n);
			json_kv_string(&j, "first", first);
			json_kv_string(&j, "last", last);
			json_end_object(&j);
		} else {
			format_pad(out, *name ? name : "-", 24);
			g_string_append_c(out, ' ');
			format_pad(out, address, 36);
			g_string_append_printf(out, " %5" G_GINT64_FORMAT "  %.10s  %.10s\n", n,
			                       first, last);
		}
	}
	if (rc != SQLITE_DONE) {
		db_set_error(&error, db, "listing contacts");
		json_clear(&j);
		return command_fail(error);
	}
	if (format == FORMAT_JSON) {
		json_end_array(&j);
		g_string_append_c(out, '\n');
	}
	json_clear(&j);
	return format_write(out);
}
