/* Fuzz target: config and rule loading (common/conf.c, index/rules-compile.c).
 *
 * The input is a configuration file. What loads is compiled into rules,
 * which then file one fixed message; besides crashes it checks that a
 * refused file says why and that every filing names a configured client
 * (and one of its projects). The message is also given its automated mark
 * (common/automated.c), whose entry must be one of the file's. */
#include "config.h"

#include <string.h>

#include "fuzz/fuzz.h"
#include "common/automated.h"
#include "common/error.h"
#include "index/rules.h"

static struct fuzz_file file;
static struct parsed_message *pm;

static void
add_address(enum mc_role role, const char *name, const char *address)
{
	struct mc_address *a = g_new0(struct mc_address, 1);
	a->role = role;
	a->name = g_strdup(name);
	a->address = g_strdup(address);
	a->domain = g_strdup(strrchr(address, '@') + 1);
	g_ptr_array_add(pm->addresses, a);
}

static void
add_header(const char *name, const char *value)
{
	struct mc_header *h = g_new0(struct mc_header, 1);
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	g_ptr_array_add(pm->headers, h);
}

/* A message every kind of rule has something to look at in. */
static void
make_message(void)
{
	pm = parsed_message_new();
	g_free(pm->message_id);
	pm->message_id = g_strdup("20240110.kickoff@acme.example");
	g_free(pm->subject);
	pm->subject = g_strdup("ACME-12: Website relaunch kickoff – 報價單");
	g_free(pm->body_text);
	pm->body_text = g_strdup("Hi Sam,\n\nthe invoice for ACME-12 is attached.\n"
	                         "Grüße, Bob\n-- \nAcme Corp, Unit 7\n");
	add_address(MC_ROLE_FROM, "Bob Smith", "bob@mail.acme.example");
	add_address(MC_ROLE_TO, "Sam", "sam@studio.example");
	add_address(MC_ROLE_CC, "Ünal", "unal@globex.example");
	struct mc_attachment *att = g_new0(struct mc_attachment, 1);
	att->part = g_strdup("2");
	att->filename = g_strdup("invoice-jan.pdf");
	att->mime_type = g_strdup("application/pdf");
	g_ptr_array_add(pm->attachments, att);
	pm->headers = parsed_message_new_headers();
	add_header("List-Id", "Acme projects <projects.acme.example>");
	add_header("X-Mailer", "Thunderbird");
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	fuzz_file_init(&file);
	make_message();
	return 0;
}

static gboolean
has_project(const struct mc_config *cfg, const char *client, const char *key)
{
	for (guint i = 0; i < cfg->projects->len; i++) {
		const struct mc_project_config *p = g_ptr_array_index(cfg->projects, i);
		if (g_str_equal(p->client, client) && g_str_equal(p->key, key))
			return TRUE;
	}
	return FALSE;
}

static void
check_refused(const char *what, const GError *error)
{
	if (!error || !g_error_matches(error, MC_ERROR, MC_ERROR_USAGE) || !*error->message)
		fuzz_fail("%s failed without a usage error", what);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_file_set(&file, data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_config) cfg = config_load(file.path, TRUE, &error);
	if (!cfg) {
		check_refused("config_load()", error);
		return 0;
	}
	struct automated_mark mark;
	automated_mark(cfg, "bob@mail.acme.example", "Precedence: bulk", &mark);
	GPtrArray *list = !mark.list                         ? NULL
	                  : g_str_equal(mark.list, "people") ? cfg->people
	                                                     : cfg->automated;
	if (mark.list && !g_ptr_array_find(list, mark.entry, NULL))
		fuzz_fail("automated mark by '%s', which config %s does not have", mark.entry,
		          mark.list);
	g_free(automated_reason(&mark, "Precedence: bulk"));
	g_autoptr(rules) r = rules_compile(cfg, &error);
	if (!r) {
		check_refused("rules_compile()", error);
		return 0;
	}
	g_autoptr(GPtrArray) filings = rules_file(r, pm);
	for (guint i = 0; i < filings->len; i++) {
		const struct filing *f = g_ptr_array_index(filings, i);
		if (!f->client || !config_find_client(cfg, f->client))
			fuzz_fail("filed under client '%s', which the config does not have",
			          f->client ? f->client : "(null)");
		if (f->project && !has_project(cfg, f->client, f->project))
			fuzz_fail("filed under project '%s/%s', which the config does not have",
			          f->client, f->project);
		if (!f->rule)
			fuzz_fail("a filing under '%s' without its rule", f->client);
	}
	return 0;
}
