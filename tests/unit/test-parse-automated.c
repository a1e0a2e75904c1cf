/* Automated mail: the signal parse_message() finds (automated_why), each
 * sign and its near misses, and the mark the configuration's automated and
 * people lists make of it (common/automated.c). */
#include "config.h"

#include <string.h>

#include "common/automated.h"
#include "ingest/parse.h"
#include "tests/unit/parse-helpers.h"

/* A plain message from FROM with EXTRA header lines (each ending "\n") and
 * the body part BODY (its Content-Type line, a blank line and the text). */
static char *
mail(const char *from, const char *extra, const char *body)
{
	return g_strdup_printf(
	    "From: %s\n"
	    "To: sam@studio.example\n"
	    "Subject: Hello\n"
	    "Date: Mon, 03 Jun 2024 07:00:00 +0000\n"
	    "Message-ID: <m1@globex.example>\n"
	    "%s"
	    "MIME-Version: 1.0\n"
	    "%s",
	    from, extra, body ? body : "Content-Type: text/plain; charset=utf-8\n\nHi Sam.\n");
}

/* Returns the automated_why of mail from FROM with EXTRA headers and BODY. */
static char *
why_of(const char *from, const char *extra, const char *body)
{
	g_autofree char *raw = mail(from, extra, body);
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	assert_sane(pm);
	return g_strdup(pm->automated_why);
}

static void
assert_why(const char *extra, const char *want)
{
	g_autofree char *why = why_of("Dana <dana@globex.example>", extra, NULL);
	g_assert_cmpstr(why, ==, want);
}

static const char report_body[] =
    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n"
    "\n"
    "--b\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message could not be delivered.\n"
    "--b\n"
    "Content-Type: message/delivery-status\n"
    "\n"
    "Reporting-MTA: dns; mx.globex.example\n"
    "--b--\n";

static void
test_list_headers(void)
{
	assert_why("List-Id: Globex news <news.globex.example>\n",
	           "List-Id: Globex news <news.globex.example>");
	assert_why("List-Unsubscribe: <https://news.globex.example/u/8f3a>\n",
	           "List-Unsubscribe: <https://news.globex.example/u/8f3a>");
	assert_why("List-Post: <mailto:team@lists.globex.example>\n",
	           "List-Post: <mailto:team@lists.globex.example>");
	/* Header names in any case; the value unfolded as one line. */
	assert_why("list-id: <news.globex.example>\n", "List-Id: <news.globex.example>");
	assert_why("List-Unsubscribe: <mailto:u@globex.example>,\n\t<https://globex.example/u>\n",
	           "List-Unsubscribe: <mailto:u@globex.example>, <https://globex.example/u>");
	/* A header that says nothing is no sign. */
	assert_why("List-Id:   \n", "");
}

static void
test_precedence(void)
{
	assert_why("Precedence: bulk\n", "Precedence: bulk");
	assert_why("Precedence: LIST\n", "Precedence: list");
	assert_why("Precedence:   Junk  \n", "Precedence: junk");
	/* Near misses: another value, or a word that only starts like one. */
	assert_why("Precedence: first-class\n", "");
	assert_why("Precedence: bulky\n", "");
}

static void
test_auto_submitted(void)
{
	assert_why("Auto-Submitted: auto-replied\n", "Auto-Submitted: auto-replied");
	assert_why("Auto-Submitted: Auto-Generated; owner-email=\"it@globex.example\"\n",
	           "Auto-Submitted: auto-generated");
	assert_why("Auto-Submitted: auto-notified\n", "Auto-Submitted: auto-notified");
	/* "no" says a person sent it, in any case and with parameters. */
	assert_why("Auto-Submitted: no\n", "");
	assert_why("Auto-Submitted: NO ; reason=manual\n", "");
	assert_why("Auto-Submitted: \n", "");
}

static void
test_autoreply(void)
{
	assert_why("X-Autoreply: yes\n", "X-Autoreply: yes");
	assert_why("X-Autorespond: Out of office\n", "X-Autorespond: Out of office");
}

static void
test_report(void)
{
	g_autofree char *why =
	    why_of("Mail Delivery System <mailer@mx.globex.example>", "", report_body);
	g_assert_cmpstr(why, ==, "multipart/report (delivery-status)");

	g_autofree char *read = why_of("dana@globex.example", "",
	                               "Content-Type: multipart/report; "
	                               "report-type=disposition-notification; boundary=b\n\n"
	                               "--b\nContent-Type: text/plain\n\nRead.\n--b--\n");
	g_assert_cmpstr(read, ==, "multipart/report (disposition-notification)");

	g_autofree char *bare = why_of("dana@globex.example", "",
	                               "Content-Type: multipart/report; boundary=b\n\n"
	                               "--b\nContent-Type: text/plain\n\nReport.\n--b--\n");
	g_assert_cmpstr(bare, ==, "multipart/report");

	/* Near miss: a report inside a multipart/mixed is a forwarded one. */
	g_autofree char *mixed = why_of("dana@globex.example", "",
	                                "Content-Type: multipart/mixed; boundary=m\n\n"
	                                "--m\nContent-Type: text/plain\n\nSee below.\n"
	                                "--m\nContent-Type: multipart/report; "
	                                "report-type=delivery-status; boundary=b\n\n"
	                                "--b\nContent-Type: text/plain\n\nFailed.\n--b--\n"
	                                "--m--\n");
	g_assert_cmpstr(mixed, ==, "");
}

static void
test_return_path(void)
{
	assert_why("Return-Path: <>\n", "Return-Path: <>");
	assert_why("Return-Path: < >\n", "Return-Path: <>");
	assert_why("Return-Path:\t<\t>\t\n", "Return-Path: <>");
	/* Near miss: an address to return to. */
	assert_why("Return-Path: <bounce-4411@news.globex.example>\n", "");
}

static void
test_machine_sender(void)
{
	g_autofree char *noreply = why_of("Globex <NoReply@globex.example>", "", NULL);
	g_assert_cmpstr(noreply, ==, "machine sender noreply@globex.example");
	g_autofree char *daemon = why_of("MAILER-DAEMON@mx.globex.example", "", NULL);
	g_assert_cmpstr(daemon, ==, "machine sender mailer-daemon@mx.globex.example");
	/* Near miss: a person, even one whose name says "notifications". */
	g_autofree char *person = why_of("Notifications Team <dana@globex.example>", "", NULL);
	g_assert_cmpstr(person, ==, "");
	/* Only From counts, not Reply-To or Sender. */
	g_autofree char *reply = why_of("dana@globex.example",
	                                "Reply-To: noreply@globex.example\n"
	                                "Sender: bounces@globex.example\n",
	                                NULL);
	g_assert_cmpstr(reply, ==, "");
}

/* The first sign in the documented order wins, whatever the header order. */
static void
test_order(void)
{
	g_autofree char *why = why_of("noreply@globex.example",
	                              "Return-Path: <>\n"
	                              "X-Autoreply: yes\n"
	                              "Auto-Submitted: auto-replied\n"
	                              "Precedence: bulk\n"
	                              "List-Post: <mailto:l@globex.example>\n"
	                              "List-Unsubscribe: <mailto:u@globex.example>\n"
	                              "List-Id: <news.globex.example>\n",
	                              report_body);
	g_assert_cmpstr(why, ==, "List-Id: <news.globex.example>");
	g_autofree char *second = why_of("noreply@globex.example",
	                                 "Return-Path: <>\n"
	                                 "Auto-Submitted: auto-replied\n"
	                                 "Precedence: bulk\n",
	                                 NULL);
	g_assert_cmpstr(second, ==, "Precedence: bulk");
	g_autofree char *third = why_of("noreply@globex.example", "Return-Path: <>\n", report_body);
	g_assert_cmpstr(third, ==, "multipart/report (delivery-status)");
	g_autofree char *fourth = why_of("noreply@globex.example", "Return-Path: <>\n", NULL);
	g_assert_cmpstr(fourth, ==, "Return-Path: <>");
}

/* What the index gets: one clean line, the value cut at 100 bytes, never
 * inside a character. */
static void
test_clean_and_cut(void)
{
	GString *extra = g_string_new("List-Id: x");
	GString *want = g_string_new("List-Id: x");
	for (int i = 0; i < 60; i++) {
		g_string_append(extra, "é"); /* two bytes: the 50th would end at byte 101 */
		if (i < 49)
			g_string_append(want, "é");
	}
	g_string_append(extra, " <l.globex.example>\n");
	g_string_append(want, "…");
	g_autofree char *why = why_of("dana@globex.example", extra->str, NULL);
	g_assert_cmpstr(why, ==, want->str);
	g_string_free(extra, TRUE);
	g_string_free(want, TRUE);

	/* Control characters and raw 8-bit bytes never reach the index. */
	g_autofree char *ctl = why_of("dana@globex.example", "X-Autoreply: on\x01\x7f\xff\n", NULL);
	g_assert_true(g_utf8_validate(ctl, -1, NULL));
	g_assert_null(strchr(ctl, '\x01'));
	g_assert_true(g_str_has_prefix(ctl, "X-Autoreply: on"));
}

/* A plain message from a person carries no sign. */
static void
test_person(void)
{
	g_autofree char *why =
	    why_of("Dana Scully <dana@globex.example>",
	           "Return-Path: <dana@globex.example>\nX-Mailer: Thunderbird\n",
	           "Content-Type: multipart/mixed; boundary=m\n\n"
	           "--m\nContent-Type: text/plain\n\nThe contract.\n"
	           "--m\nContent-Type: application/pdf; name=c.pdf\n\n%PDF-1.4\n--m--\n");
	g_assert_cmpstr(why, ==, "");
}

/* The mark: the signal, corrected by the configuration. */

static struct mc_config *
config_with(const char *automated, const char *people)
{
	struct mc_config *cfg = config_new("/tmp/cfg");
	g_auto(GStrv) a = g_strsplit(automated, " ", -1);
	g_auto(GStrv) p = g_strsplit(people, " ", -1);
	for (char **s = a; *s; s++)
		if (**s)
			g_ptr_array_add(cfg->automated, g_strdup(*s));
	for (char **s = p; *s; s++)
		if (**s)
			g_ptr_array_add(cfg->people, g_strdup(*s));
	return cfg;
}

/* Asserts what the mark of mail FROM with SIGNAL is and why. */
static void
assert_mark(const struct mc_config *cfg, const char *from, const char *signal, gboolean automated,
            const char *reason)
{
	struct automated_mark mark;
	automated_mark(cfg, from, signal, &mark);
	g_autofree char *got = automated_reason(&mark, signal);
	g_assert_cmpstr(got, ==, reason);
	g_assert_cmpint(mark.automated, ==, automated);
}

static void
test_mark(void)
{
	g_autoptr(mc_config) none = config_with("", "");
	assert_mark(none, "news@globex.example", "List-Id: <news.globex.example>", TRUE,
	            "automated: List-Id: <news.globex.example>");
	assert_mark(none, "dana@globex.example", "", FALSE, "not automated");
	assert_mark(none, "", "Return-Path: <>", TRUE, "automated: Return-Path: <>");

	g_autoptr(mc_config) cfg =
	    config_with("@globex.example tickets@initech.example", "bob@globex.example");
	/* people beats the signal; automated needs none. */
	assert_mark(cfg, "bob@globex.example", "Precedence: bulk", FALSE,
	            "a person: config people = bob@globex.example (signal ignored: "
	            "Precedence: bulk)");
	assert_mark(cfg, "Bob@Globex.Example", "", FALSE,
	            "a person: config people = bob@globex.example");
	assert_mark(cfg, "dana@globex.example", "", TRUE,
	            "automated: config automated = @globex.example");
	assert_mark(cfg, "tickets@initech.example", "", TRUE,
	            "automated: config automated = tickets@initech.example");
	/* A domain takes its subdomains, not a name that only ends like it. */
	assert_mark(cfg, "news@mail.globex.example", "", TRUE,
	            "automated: config automated = @globex.example");
	assert_mark(cfg, "sam@notglobex.example", "", FALSE, "not automated");
	assert_mark(cfg, "sam@globex.example.org", "", FALSE, "not automated");
	assert_mark(cfg, "ann@initech.example", "", FALSE, "not automated");
	assert_mark(cfg, "", "", FALSE, "not automated");
}

/* When both lists name the sender, the more specific entry wins, and
 * people when they are as specific. */
static void
test_mark_specific(void)
{
	g_autoptr(mc_config) cfg = config_with("billing@globex.example @news.globex.example",
	                                       "@globex.example @news.globex.example");
	assert_mark(cfg, "billing@globex.example", "", TRUE,
	            "automated: config automated = billing@globex.example");
	assert_mark(cfg, "dana@globex.example", "Auto-Submitted: auto-replied", FALSE,
	            "a person: config people = @globex.example (signal ignored: "
	            "Auto-Submitted: auto-replied)");
	assert_mark(cfg, "editor@news.globex.example", "", FALSE,
	            "a person: config people = @news.globex.example");

	g_autoptr(mc_config) deeper = config_with("@news.globex.example", "@globex.example");
	assert_mark(deeper, "editor@news.globex.example", "", TRUE,
	            "automated: config automated = @news.globex.example");
	assert_mark(deeper, "editor@a.news.globex.example", "", TRUE,
	            "automated: config automated = @news.globex.example");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	parse_init();
	g_test_add_func("/parse-automated/list-headers", test_list_headers);
	g_test_add_func("/parse-automated/precedence", test_precedence);
	g_test_add_func("/parse-automated/auto-submitted", test_auto_submitted);
	g_test_add_func("/parse-automated/autoreply", test_autoreply);
	g_test_add_func("/parse-automated/report", test_report);
	g_test_add_func("/parse-automated/return-path", test_return_path);
	g_test_add_func("/parse-automated/machine-sender", test_machine_sender);
	g_test_add_func("/parse-automated/order", test_order);
	g_test_add_func("/parse-automated/clean-and-cut", test_clean_and_cut);
	g_test_add_func("/parse-automated/person", test_person);
	g_test_add_func("/parse-automated/mark", test_mark);
	g_test_add_func("/parse-automated/mark-specific", test_mark_specific);
	return g_test_run();
}
