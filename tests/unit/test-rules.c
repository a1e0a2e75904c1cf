/* Unit tests of the client and project rules: compiling and filing. */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "index/rules.h"
#include "common/error.h"

/* Configs are built by hand: conf.c's parser is tested on its own. */

static struct mc_config *
cfg_new(void)
{
	struct mc_config *cfg = config_new("/tmp/cfg");
	g_ptr_array_add(cfg->me, g_strdup("sam@studio.example"));
	return cfg;
}

typedef struct mc_config test_cfg;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(test_cfg, config_free)

/* ';'-separated LIST (or NULL) as a GPtrArray of char *. */
static GPtrArray *
split(const char *list)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = g_strsplit(list ? list : "", ";", -1);
	for (guint i = 0; parts[i]; i++) {
		char *s = g_strstrip(g_strdup(parts[i]));
		if (*s)
			g_ptr_array_add(a, s);
		else
			g_free(s);
	}
	return a;
}

static void
add_client(struct mc_config *cfg, const char *key, const char *domains, const char *addresses,
           const char *match, const char *exclude)
{
	struct mc_client_config *c = g_new0(struct mc_client_config, 1);
	c->key = g_strdup(key);
	c->group = g_strdup_printf("client %s", key);
	c->name = g_strdup(key);
	c->domains = split(domains);
	c->addresses = split(addresses);
	c->match = g_strdup(match);
	c->exclude = g_strdup(exclude);
	g_ptr_array_add(cfg->clients, c);
}

static void
add_project(struct mc_config *cfg, const char *client, const char *key, const char *match,
            const char *exclude)
{
	struct mc_project_config *pc = g_new0(struct mc_project_config, 1);
	pc->client = g_strdup(client);
	pc->key = g_strdup(key);
	pc->group = g_strdup_printf("project %s/%s", client, key);
	pc->name = g_strdup(key);
	pc->match = g_strdup(match);
	pc->exclude = g_strdup(exclude);
	g_ptr_array_add(cfg->projects, pc);
}

static struct parsed_message *
msg_new(const char *subject, const char *body)
{
	struct parsed_message *pm = parsed_message_new();
	g_free(pm->subject);
	pm->subject = g_strdup(subject);
	g_free(pm->body_text);
	pm->body_text = g_strdup(body);
	return pm;
}

/* Addresses are kept as given (parse.c lower-cases them; the rules must not
 * rely on it). */
static void
add_addr(struct parsed_message *pm, enum mc_role role, const char *name, const char *address)
{
	struct mc_address *a = g_new0(struct mc_address, 1);
	const char *at = strrchr(address, '@');
	a->role = role;
	a->name = g_strdup(name ? name : "");
	a->address = g_strdup(address);
	a->domain = g_strdup(at ? at + 1 : "");
	g_ptr_array_add(pm->addresses, a);
}

static void
add_header(struct parsed_message *pm, const char *name, const char *value)
{
	struct mc_header *h = g_new0(struct mc_header, 1);
	if (!pm->headers)
		pm->headers = parsed_message_new_headers();
	h->name = g_strdup(name);
	h->value = g_strdup(value);
	g_ptr_array_add(pm->headers, h);
}

static struct rules *
compile_ok(const struct mc_config *cfg)
{
	g_autoptr(GError) error = NULL;
	struct rules *r = rules_compile(cfg, &error);
	g_assert_no_error(error);
	g_assert_nonnull(r);
	return r;
}

/* The filings of PM, one "client|project|rule|matched" line each ("-" for
 * no project); an exclusion's line starts with "!". */
static char *
file_str(const struct rules *r, const struct parsed_message *pm)
{
	g_autoptr(GPtrArray) fs = rules_file(r, pm);
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < fs->len; i++) {
		const struct filing *f = g_ptr_array_index(fs, i);
		g_string_append_printf(out, "%s%s|%s|%s|%s\n", f->excluded ? "!" : "", f->client,
		                       f->project ? f->project : "-", f->rule, f->matched);
	}
	return g_string_free(out, FALSE);
}

#define assert_files(r, pm, expected)                                                              \
	do {                                                                                       \
		g_autofree char *got_ = file_str((r), (pm));                                       \
		g_assert_cmpstr(got_, ==, (expected));                                             \
	} while (0)

/* A message from FROM to TO (either may be NULL). */
static struct parsed_message *
mail(const char *from, const char *to, const char *subject)
{
	struct parsed_message *pm = msg_new(subject, "");
	if (from)
		add_addr(pm, MC_ROLE_FROM, "", from);
	if (to)
		add_addr(pm, MC_ROLE_TO, "", to);
	return pm;
}

static void
test_domains(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", "acme.example", NULL, NULL, NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	g_autoptr(parsed_message) exact = mail("bob@acme.example", "sam@studio.example", "hi");
	assert_files(r, exact, "acme|-|domain acme.example|bob@acme.example\n");
	g_autoptr(parsed_message) sub = mail("bob@mail.acme.example", "sam@studio.example", "hi");
	assert_files(r, sub, "acme|-|domain acme.example|bob@mail.acme.example\n");
	g_autoptr(parsed_message) upper = mail("bob@Mail.ACME.example", "sam@studio.example", "hi");
	assert_files(r, upper, "acme|-|domain acme.example|bob@Mail.ACME.example\n");
	g_autoptr(parsed_message) lookalike =
	    mail("eve@notacme.example", "sam@studio.example", "hi");
	assert_files(r, lookalike, "");
	g_autoptr(parsed_message) suffix =
	    mail("eve@acme.example.evil", "sam@studio.example", "hi");
	assert_files(r, suffix, "");
	g_autoptr(parsed_message) local = mail("acme.example@x.example", NULL, "hi");
	assert_files(r, local, "");

	/* The configuration's case does not matter either; the rule says the
	 * domain as it was written. */
	g_autoptr(test_cfg) cfg2 = cfg_new();
	add_client(cfg2, "globex", "Globex.EXAMPLE", NULL, NULL, NULL);
	g_autoptr(rules) r2 = compile_ok(cfg2);
	g_autoptr(parsed_message) in2 = mail("ann@eu.globex.example", "sam@studio.example", "hi");
	assert_files(r2, in2, "globex|-|domain Globex.EXAMPLE|ann@eu.globex.example\n");
}

static void
test_addresses(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", NULL, "bob.personal@gmail.example", NULL, NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	g_autoptr(parsed_message) pm =
	    mail("Bob.Personal@GMAIL.example", "sam@studio.example", "hi");
	assert_files(r, pm,
	             "acme|-|address bob.personal@gmail.example|Bob.Personal@GMAIL.example\n");
	g_autoptr(parsed_message) other =
	    mail("bob.personal2@gmail.example", "sam@studio.example", "hi");
	assert_files(r, other, "");

	/* Outside ASCII, in any case (Unicode case folding), both ways; the
	 * user's own address too. */
	g_autoptr(test_cfg) cfg2 = config_new("/tmp/cfg");
	g_ptr_array_add(cfg2->me, g_strdup("SØREN@studio.example"));
	add_client(cfg2, "jurgen", NULL, "JÜRGEN@Müller.example", NULL, NULL);
	add_client(cfg2, "studio", "studio.example", NULL, NULL, NULL);
	g_autoptr(rules) r2 = compile_ok(cfg2);
	g_autoptr(parsed_message) in = mail("jürgen@müller.example", "søren@studio.example", "hi");
	assert_files(r2, in, "jurgen|-|address JÜRGEN@Müller.example|jürgen@müller.example\n");
	g_autoptr(parsed_message) not_him =
	    mail("jurgen@muller.example", "Søren@Studio.example", "hi");
	assert_files(r2, not_him, "");
}

static void
test_direction(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	/* The user's own domain as a client: the user's address never counts. */
	add_client(cfg, "studio", "studio.example", NULL, NULL, NULL);
	add_client(cfg, "acme", "acme.example", NULL, NULL, NULL);
	add_client(cfg, "globex", "globex.example", NULL, NULL, NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	/* Outbound, filed by its recipient; "me" in any case. */
	g_autoptr(parsed_message) out = mail("Sam@Studio.Example", "bob@acme.example", "proposal");
	assert_files(r, out, "acme|-|domain acme.example|bob@acme.example\n");

	/* Inbound, filed by its sender. */
	g_autoptr(parsed_message) in = mail("bob@acme.example", "sam@studio.example", "re");
	assert_files(r, in, "acme|-|domain acme.example|bob@acme.example\n");

	/* CC'd across two clients: two filings, in client order. */
	g_autoptr(parsed_message) cc = mail("carol@globex.example", "sam@studio.example", "intro");
	add_addr(cc, MC_ROLE_CC, "Bob", "bob@acme.example");
	assert_files(r, cc,
	             "acme|-|domain acme.example|bob@acme.example\n"
	             "globex|-|domain globex.example|carol@globex.example\n");

	/* A colleague is another party, so the user's domain files it. */
	g_autoptr(parsed_message) mate = mail("kim@studio.example", "sam@studio.example", "lunch");
	assert_files(r, mate, "studio|-|domain studio.example|kim@studio.example\n");
}

static void
test_exclude(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", "acme.example", NULL, NULL,
	           "from:/^noreply@/; subject:/unsubscribe/i");
	add_client(cfg, "globex", "globex.example", NULL, NULL, NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	/* The bare address is tried, so ^ anchors work despite a display name.
	 * The exclusion is recorded, with its rule and match. */
	g_autoptr(parsed_message) pm = msg_new("Your order", "");
	add_addr(pm, MC_ROLE_FROM, "ACME Shop", "noreply@acme.example");
	add_addr(pm, MC_ROLE_TO, "", "sam@studio.example");
	assert_files(r, pm, "!acme|-|from /^noreply@/|noreply@\n");

	g_autoptr(parsed_message) news = mail("bob@acme.example", NULL, "UNSUBSCRIBE here");
	assert_files(r, news, "!acme|-|subject /unsubscribe/i|UNSUBSCRIBE\n");

	/* Mail no client files records every exclude that matches: it must not
	 * inherit those clients from its thread. */
	g_autoptr(parsed_message) tool = mail("noreply@tickets.example", NULL, "Re: kickoff");
	assert_files(r, tool, "!acme|-|from /^noreply@/|noreply@\n");
	/* Mail another client files does not inherit, so nothing is asked. */
	g_autoptr(parsed_message) other = mail("noreply@globex.example", NULL, "Report");
	assert_files(r, other, "globex|-|domain globex.example|noreply@globex.example\n");

	g_autoptr(parsed_message) ok = mail("bob@acme.example", NULL, "Invoice");
	assert_files(r, ok, "acme|-|domain acme.example|bob@acme.example\n");
}

static void
test_projects(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", "acme.example", NULL, NULL, "subject:/newsletter/i");
	add_project(cfg, "acme", "website", "subject:/\\[ACME-12\\]/; body:/website relaunch/i",
	            "subject:/draft/");
	add_project(cfg, "acme", "all", "subject:/\\[ACME-\\d+\\]/", NULL);
	add_project(cfg, "acme", "none", NULL, NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	/* Filed by a project alone: the client too, "project KEY". */
	g_autoptr(parsed_message) proj = mail("x@elsewhere.example", NULL, "Re: [ACME-12] launch");
	assert_files(r, proj,
	             "acme|-|project website|[ACME-12]\n"
	             "acme|website|subject /\\[ACME-12\\]/|[ACME-12]\n"
	             "acme|all|subject /\\[ACME-\\d+\\]/|[ACME-12]\n");

	/* The client's own reason wins for the client filing. */
	g_autoptr(parsed_message) both = msg_new("notes", "About the Website Relaunch.");
	add_addr(both, MC_ROLE_FROM, "", "bob@acme.example");
	assert_files(r, both,
	             "acme|-|domain acme.example|bob@acme.example\n"
	             "acme|website|body /website relaunch/i|Website Relaunch\n");

	/* The project's exclude drops only the project. */
	g_autoptr(parsed_message) draft = mail("x@elsewhere.example", NULL, "[ACME-12] draft");
	assert_files(r, draft,
	             "acme|-|project all|[ACME-12]\n"
	             "acme|all|subject /\\[ACME-\\d+\\]/|[ACME-12]\n");

	/* The client's exclude drops the client and its projects. */
	g_autoptr(parsed_message) news = mail("bob@acme.example", NULL, "[ACME-12] Newsletter");
	assert_files(r, news, "!acme|-|subject /newsletter/i|Newsletter\n");
}

static void
test_first_reason(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", "acme-corp.example; acme.example", "bob@acme.example",
	           "subject:/ACME/; subject:/ACME-\\d+/", NULL);
	add_client(cfg, "byname", NULL, NULL, "subject:/zzz/; subject:/ACME-\\d+/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	/* Domains in file order, before addresses and match rules. */
	g_autoptr(parsed_message) pm = mail("bob@acme.example", "x@acme-corp.example", "ACME-7");
	assert_files(r, pm,
	             "acme|-|domain acme-corp.example|x@acme-corp.example\n"
	             "byname|-|subject /ACME-\\d+/|ACME-7\n");

	/* Addresses before match rules. */
	g_autoptr(test_cfg) cfg2 = cfg_new();
	add_client(cfg2, "acme", NULL, "bob@acme.example", "subject:/ACME/", NULL);
	g_autoptr(rules) r2 = compile_ok(cfg2);
	assert_files(r2, pm, "acme|-|address bob@acme.example|bob@acme.example\n");

	/* Match rules in file order. */
	g_autoptr(parsed_message) subj = mail("x@other.example", NULL, "ACME-7");
	assert_files(r, subj,
	             "acme|-|subject /ACME/|ACME\n"
	             "byname|-|subject /ACME-\\d+/|ACME-7\n");
}

static void
test_fields(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "named", NULL, NULL, "from:/^Bob Smith </", NULL);
	add_client(cfg, "pdf", NULL, NULL, "attachment:/\\.pdf$/i", NULL);
	add_client(cfg, "cc", NULL, NULL, "cc:/@globex\\.example$/", NULL);
	add_client(cfg, "to", NULL, NULL, "to:/@globex\\.example$/", NULL);
	add_client(cfg, "any", NULL, NULL, "address:/^carol@/", NULL);
	add_client(cfg, "mine", NULL, NULL, "to:/^sam@/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);
	g_assert_false(rules_need_headers(r));

	g_autoptr(parsed_message) pm = msg_new("files", "");
	add_addr(pm, MC_ROLE_FROM, "Bob Smith", "bob@x.example");
	add_addr(pm, MC_ROLE_TO, "Sam", "sam@studio.example");
	add_addr(pm, MC_ROLE_BCC, "", "carol@globex.example");
	struct mc_attachment *at = g_new0(struct mc_attachment, 1);
	at->part = g_strdup("2");
	at->filename = g_strdup("Contract.PDF");
	at->mime_type = g_strdup("application/pdf");
	g_ptr_array_add(pm->attachments, at);
	/* A nameless part is skipped, not matched as "". */
	at = g_new0(struct mc_attachment, 1);
	at->part = g_strdup("3");
	at->filename = g_strdup("");
	at->mime_type = g_strdup("text/plain");
	g_ptr_array_add(pm->attachments, at);

	/* match rules are not limited to the other party (to:/^sam@/). */
	assert_files(r, pm,
	             "named|-|from /^Bob Smith </|Bob Smith <\n"
	             "pdf|-|attachment /\\.pdf$/i|.PDF\n"
	             "any|-|address /^carol@/|carol@\n"
	             "mine|-|to /^sam@/|sam@\n");
}

static void
test_header(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", NULL, NULL, "header:List-Id:/<dev\\.acme\\.example>/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);
	g_assert_true(rules_need_headers(r));

	g_autoptr(parsed_message) pm = mail("list@lists.example", NULL, "[dev] build");
	assert_files(r, pm, ""); /* no headers parsed */
	add_header(pm, "Subject", "<dev.acme.example>");
	add_header(pm, "list-id", "ACME developers <dev.acme.example>");
	assert_files(r, pm, "acme|-|header:List-Id /<dev\\.acme\\.example>/|<dev.acme.example>\n");

	/* In an exclude too. */
	g_autoptr(test_cfg) cfg2 = cfg_new();
	add_client(cfg2, "acme", NULL, NULL, NULL, "header:X-Spam:/yes/");
	g_autoptr(rules) r2 = compile_ok(cfg2);
	g_assert_true(rules_need_headers(r2));
}

static void
test_label(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "kaneren", NULL, NULL, "label:/Kaneren/", NULL);
	add_client(cfg, "acme", NULL, NULL, "label:/^clients\\/acme$/i", "label:/^Spam$/");
	add_project(cfg, "acme", "web", "label:/\\/Web$/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);
	g_assert_false(rules_need_headers(r));

	g_autoptr(parsed_message) pm = mail("bob@other.example", NULL, "hello");
	assert_files(r, pm, "");
	g_ptr_array_add(pm->labels, g_strdup("Inbox"));
	g_ptr_array_add(pm->labels, g_strdup("Clients/Kaneren"));
	assert_files(r, pm, "kaneren|-|label /Kaneren/|Kaneren\n");

	/* Each label alone: ^ and $ are its ends; FLAGS as for every field. */
	g_autoptr(parsed_message) acme = mail("bob@other.example", NULL, "hello");
	g_ptr_array_add(acme->labels, g_strdup("Clients/Acme/Web"));
	assert_files(r, acme,
	             "acme|-|project web|/Web\n"
	             "acme|web|label /\\/Web$/|/Web\n");
	g_ptr_array_add(acme->labels, g_strdup("CLIENTS/ACME"));
	assert_files(r, acme,
	             "acme|-|label /^clients\\/acme$/i|CLIENTS/ACME\n"
	             "acme|web|label /\\/Web$/|/Web\n");
	g_ptr_array_add(acme->labels, g_strdup("Spam"));
	assert_files(r, acme, "!acme|-|label /^Spam$/|Spam\n");
	/* Case matters without the i flag. */
	g_autoptr(parsed_message) lower = mail("bob@other.example", NULL, "hello");
	g_ptr_array_add(lower->labels, g_strdup("clients/kaneren"));
	assert_files(r, lower, "");
}

static void
test_syntax(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "semi", NULL, NULL, "  subject:/a;b/ ;body:/x;y/  ; ", NULL);
	add_client(cfg, "slash", NULL, NULL, "subject:/in\\/out/", NULL);
	add_client(cfg, "ext", NULL, NULL, "subject:/ACME - \\d+  # ticket number\n/x", NULL);
	add_client(cfg, "both", NULL, NULL, "Subject : /acme - \\d+/ix", NULL);
	add_client(cfg, "bs", NULL, NULL, "subject:/c:\\\\/ ; subject:/zz/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	g_autoptr(parsed_message) a = msg_new("a;b", "");
	assert_files(r, a, "semi|-|subject /a;b/|a;b\n");
	g_autoptr(parsed_message) b = msg_new("", "x;y");
	assert_files(r, b, "semi|-|body /x;y/|x;y\n");
	g_autoptr(parsed_message) c = msg_new("in/out tray", "");
	assert_files(r, c, "slash|-|subject /in\\/out/|in/out\n");
	g_autoptr(parsed_message) d = msg_new("Re: ACME-42 status", "");
	assert_files(r, d,
	             "ext|-|subject /ACME - \\d+  # ticket number\n/x|ACME-42\n"
	             "both|-|subject /acme - \\d+/ix|ACME-42\n");
	g_autoptr(parsed_message) e = msg_new("see c:\\ drive", "");
	assert_files(r, e, "bs|-|subject /c:\\\\/|c:\\\n");
}

static void
expect_error(const char *match, const char *exclude, const char *expected)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	g_autoptr(GError) error = NULL;
	add_client(cfg, "acme", "acme.example", NULL, match, exclude);
	g_autoptr(rules) r = rules_compile(cfg, &error);
	g_assert_null(r);
	g_assert_error(error, MC_ERROR, MC_ERROR_USAGE);
	g_assert_cmpstr(error->message, ==, expected);
}

static void
test_errors(void)
{
	expect_error("subject:/a(b/", NULL,
	             "/tmp/cfg: [client acme]: key 'match': regex /a(b/ does not compile: "
	             "missing closing parenthesis at offset 3");
	expect_error("subject:/ok/; sender:/x/", NULL,
	             "/tmp/cfg: [client acme]: key 'match': unknown field 'sender' (subject, "
	             "body, from, to, cc, address, attachment, label, header:NAME)");
	expect_error("subject ACME", NULL,
	             "/tmp/cfg: [client acme]: key 'match': expected FIELD:/REGEX/FLAGS at "
	             "'subject ACME'");
	expect_error("subject:/ok/ ; subject ACME ; body:/x/", NULL,
	             "/tmp/cfg: [client acme]: key 'match': expected FIELD:/REGEX/FLAGS at "
	             "'subject ACME'");
	expect_error("subject:ACME", NULL,
	             "/tmp/cfg: [client acme]: key 'match': expected FIELD:/REGEX/FLAGS at "
	             "'subject:ACME'");
	expect_error("subject:/ACME", NULL,
	             "/tmp/cfg: [client acme]: key 'match': expected FIELD:/REGEX/FLAGS at "
	             "'subject:/ACME'");
	expect_error("subject:/a/ b", NULL,
	             "/tmp/cfg: [client acme]: key 'match': expected FIELD:/REGEX/FLAGS at "
	             "'subject:/a/ b'");
	expect_error("subject:/x/q", NULL,
	             "/tmp/cfg: [client acme]: key 'match': unknown flag 'q'");
	expect_error("subject:/x/ié", NULL,
	             "/tmp/cfg: [client acme]: key 'match': unknown flag 'é'");
	expect_error("header:/x/", NULL,
	             "/tmp/cfg: [client acme]: key 'match': 'header:' needs a NAME (header:NAME)");
	expect_error("header: :/x/", NULL,
	             "/tmp/cfg: [client acme]: key 'match': 'header:' needs a NAME (header:NAME)");
	expect_error("subject://", NULL,
	             "/tmp/cfg: [client acme]: key 'match': empty regex // at 'subject://'");
	expect_error(NULL, "from:/[a/",
	             "/tmp/cfg: [client acme]: key 'exclude': regex /[a/ does not compile: "
	             "missing terminating ] for character class at offset 2");

	/* A project names its own group. */
	g_autoptr(test_cfg) cfg = cfg_new();
	g_autoptr(GError) error = NULL;
	add_client(cfg, "acme", "acme.example", NULL, NULL, NULL);
	add_project(cfg, "acme", "website", "subject:/ok/", "body:/x/z");
	g_autoptr(rules) r = rules_compile(cfg, &error);
	g_assert_null(r);
	g_assert_error(error, MC_ERROR, MC_ERROR_USAGE);
	g_assert_cmpstr(error->message, ==,
	                "/tmp/cfg: [project acme/website]: key 'exclude': unknown flag 'z'");

	/* A config read from a file knows each key's line: the error names it,
	 * the exclude's line for an exclude. */
	g_autoptr(test_cfg) lined = cfg_new();
	g_autoptr(GError) lined_error = NULL;
	add_project(lined, "acme", "website", "subject:/ok/", "body:/x/z");
	struct mc_project_config *pc = g_ptr_array_index(lined->projects, 0);
	pc->match_line = 7;
	pc->exclude_line = 8;
	g_autoptr(rules) lined_r = rules_compile(lined, &lined_error);
	g_assert_null(lined_r);
	g_assert_cmpstr(lined_error->message, ==,
	                "/tmp/cfg:8: [project acme/website]: key 'exclude': unknown flag 'z'");
}

static void
test_pathological(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "slow", NULL, NULL, "body:/(a+)+$/; subject:/(x+x+)+y/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	g_autoptr(parsed_message) pm = msg_new("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	                                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!");
	gint64 start = g_get_monotonic_time();
	assert_files(r, pm, "");
	/* Unbounded, this is 2^40 steps; the limit makes it milliseconds.
	 * Generous for sanitizer builds. */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_unicode(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "jp", NULL, NULL, "subject:/見積/", NULL);
	add_client(cfg, "fr", NULL, NULL, "subject:/ÉTÉ/i", NULL);
	add_client(cfg, "word", NULL, NULL, "body:/\\bcafé\\b/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	g_autoptr(parsed_message) jp = msg_new("お見積りの件について", "");
	assert_files(r, jp, "jp|-|subject /見積/|見積\n");
	g_autoptr(parsed_message) fr = msg_new("Vacances d'été", "");
	assert_files(r, fr, "fr|-|subject /ÉTÉ/i|été\n");
	/* \b sees é as a word character (PCRE2_UCP): "cafés" is another word. */
	g_autoptr(parsed_message) w1 = msg_new("", "Le café.");
	assert_files(r, w1, "word|-|body /\\bcafé\\b/|café\n");
	g_autoptr(parsed_message) w2 = msg_new("", "Les cafés.");
	assert_files(r, w2, "");

	/* The matched text is cut to 200 bytes, not inside a character. */
	g_autoptr(test_cfg) cfg2 = cfg_new();
	add_client(cfg2, "long", NULL, NULL, "body:/見+/", NULL);
	g_autoptr(rules) r2 = compile_ok(cfg2);
	GString *body = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append(body, "見");
	g_autoptr(parsed_message) lp = msg_new("", body->str);
	g_string_free(body, TRUE);
	g_autoptr(GPtrArray) fs = rules_file(r2, lp);
	g_assert_cmpuint(fs->len, ==, 1);
	const struct filing *f = g_ptr_array_index(fs, 0);
	g_assert_cmpuint(strlen(f->matched), ==, 198);
	g_assert_true(g_utf8_validate(f->matched, -1, NULL));
}

static void
test_robust(void)
{
	g_autoptr(test_cfg) cfg = cfg_new();
	add_client(cfg, "acme", "acme.example", "bob@x.example",
	           "subject:/^$/; body:/needle$/; attachment:/x/; header:X:/y/; from:/z/", NULL);
	add_project(cfg, "acme", "p", "body:/needle/", NULL);
	g_autoptr(rules) r = compile_ok(cfg);

	/* Nothing at all: no addresses, no attachments, no headers. */
	g_autoptr(parsed_message) empty = msg_new("", "");
	assert_files(r, empty, "acme|-|subject /^$/|\n");

	/* An address without a domain or name. */
	g_autoptr(parsed_message) odd = msg_new("x", "");
	add_addr(odd, MC_ROLE_FROM, NULL, "undisclosed-recipients");
	add_addr(odd, MC_ROLE_TO, NULL, "");
	assert_files(r, odd, "");

	/* 1 MiB body, the match at its very end. */
	GString *body = g_string_new(NULL);
	while (body->len < 1024 * 1024)
		g_string_append(body, "lorem ipsum dolor sit amet, consectetur adipiscing\n");
	g_string_append(body, "needle");
	g_autoptr(parsed_message) big = msg_new("x", body->str);
	g_string_free(body, TRUE);
	assert_files(r, big,
	             "acme|-|body /needle$/|needle\n"
	             "acme|p|body /needle/|needle\n");

	/* Many addresses; the last one matches. */
	g_autoptr(parsed_message) many = msg_new("x", "");
	for (int i = 0; i < 5000; i++) {
		g_autofree char *a = g_strdup_printf("user%d@list%d.example", i, i);
		add_addr(many, i % 2 ? MC_ROLE_CC : MC_ROLE_TO, "Some One", a);
	}
	add_addr(many, MC_ROLE_CC, "Bob", "bob@x.example");
	assert_files(r, many, "acme|-|address bob@x.example|bob@x.example\n");

	/* No clients at all. */
	g_autoptr(test_cfg) none = cfg_new();
	g_autoptr(rules) r0 = compile_ok(none);
	assert_files(r0, many, "");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/rules/domains", test_domains);
	g_test_add_func("/rules/addresses", test_addresses);
	g_test_add_func("/rules/direction", test_direction);
	g_test_add_func("/rules/exclude", test_exclude);
	g_test_add_func("/rules/projects", test_projects);
	g_test_add_func("/rules/first-reason", test_first_reason);
	g_test_add_func("/rules/fields", test_fields);
	g_test_add_func("/rules/header", test_header);
	g_test_add_func("/rules/label", test_label);
	g_test_add_func("/rules/syntax", test_syntax);
	g_test_add_func("/rules/errors", test_errors);
	g_test_add_func("/rules/pathological", test_pathological);
	g_test_add_func("/rules/unicode", test_unicode);
	g_test_add_func("/rules/robust", test_robust);
	return g_test_run();
}
