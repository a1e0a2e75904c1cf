/* mbox flags: the Status and X-Status headers of a message's header block
 * (ingest/mbox.c mbox_flag_headers(), mbox_flags_info()), their letters
 * (common/message.c), and the content hash that leaves them out so that a
 * flag change keeps a synthesized Message-ID. */
#include "config.h"

#include <string.h>

#include "common/message.h"
#include "ingest/parse.h"
#include "ingest/source.h"
#include "tests/unit/parse-helpers.h"

static void
assert_info(const char *raw, const char *want)
{
	g_autofree char *info = mbox_flags_info(raw, strlen(raw));
	g_assert_cmpstr(info, ==, want);
}

static void
test_letters(void)
{
	g_assert_cmpuint(mc_flags_from_status("RO", 2, FALSE), ==, MC_FLAG_SEEN);
	g_assert_cmpuint(mc_flags_from_status("O", 1, FALSE), ==, 0);
	/* X-Status letters mean nothing in Status, and the other way round. */
	g_assert_cmpuint(mc_flags_from_status("AFTD", 4, FALSE), ==, 0);
	g_assert_cmpuint(mc_flags_from_status("R", 1, TRUE), ==, 0);
	g_assert_cmpuint(mc_flags_from_status("AFTD", 4, TRUE), ==,
	                 MC_FLAG_REPLIED | MC_FLAG_FLAGGED | MC_FLAG_DRAFT | MC_FLAG_TRASHED);
	g_assert_cmpuint(mc_flags_from_status(" \xff?r a f R\x80", 11, FALSE), ==, MC_FLAG_SEEN);

	g_autofree char *none = mc_flags_info(0);
	g_assert_cmpstr(none, ==, "");
	g_autofree char *all = mc_flags_info((1u << MC_FLAG_COUNT) - 1);
	g_assert_cmpstr(all, ==, ":2,DFPRST");
	g_assert_cmpuint(mc_flags_parse(all), ==, (1u << MC_FLAG_COUNT) - 1);
	g_autofree char *two = mc_flags_info(MC_FLAG_SEEN | MC_FLAG_FLAGGED);
	g_assert_cmpstr(two, ==, ":2,FS");
}

static void
test_headers(void)
{
	assert_info("From: a@x.example\nStatus: RO\nX-Status: AF\n\nbody\n", ":2,FRS");
	assert_info("From: a@x.example\n\nbody\n", "");
	assert_info("From: a@x.example\nStatus: O\n\nbody\n", "");
	assert_info("status: R\r\nX-STATUS: D\r\n\r\nbody\r\n", ":2,ST");
	/* Only the header block counts. */
	assert_info("From: a@x.example\n\nStatus: RO\nX-Status: F\n", "");
	/* A header whose name merely starts so, or ends so, is another one. */
	assert_info("Statuses: R\nX-Statusy: F\nMy-Status: R\n\n", "");
	/* A folded value: its first line only. */
	assert_info("X-Status:\n\tF\nStatus: R\n\n", ":2,S");
	/* No blank line, no newline at the end. */
	assert_info("Status: R", ":2,S");
	assert_info("", "");

	const char *raw = "A: 1\nStatus: R\n  more\nB: 2\nX-Status: A\n\nStatus: R\n";
	struct mbox_flag_header h[MBOX_FLAG_HEADERS_MAX];
	g_assert_cmpuint(mbox_flag_headers(raw, strlen(raw), h), ==, 2);
	g_assert_cmpuint(h[0].start, ==, 5);
	g_assert_cmpuint(h[0].end, ==, 5 + strlen("Status: R\n  more\n"));
	g_assert_false(h[0].x_status);
	g_assert_true(h[1].x_status);
	g_assert_cmpuint(h[1].value_len, ==, strlen(" A\n"));

	/* Bounded: hundreds of them, only the first MBOX_FLAG_HEADERS_MAX read. */
	GString *many = g_string_new(NULL);
	for (int i = 0; i < 500; i++)
		g_string_append(many, "Status: O\n");
	g_string_append(many, "Status: R\n\n");
	g_assert_cmpuint(mbox_flag_headers(many->str, many->len, h), ==, MBOX_FLAG_HEADERS_MAX);
	g_autofree char *info = mbox_flags_info(many->str, many->len);
	g_assert_cmpstr(info, ==, "");
	g_string_free(many, TRUE);

	/* A megabyte of Status: its first 256 bytes are read. */
	GString *huge = g_string_new("Status: ");
	for (int i = 0; i < 1024 * 1024; i++)
		g_string_append_c(huge, i == 100 ? 'R' : 'Q');
	g_string_append(huge, "F\nX-Status: F\n\nbody\n");
	info = (g_free(info), mbox_flags_info(huge->str, huge->len));
	g_assert_cmpstr(info, ==, ":2,FS");
	huge->str[8 + 100] = 'Q';
	huge->str[8 + 1000] = 'R';
	info = (g_free(info), mbox_flags_info(huge->str, huge->len));
	g_assert_cmpstr(info, ==, ":2,F");
	g_string_free(huge, TRUE);
}

static char *
synthesized_id(const char *raw)
{
	g_autoptr(parsed_message) pm = parse_ok(raw, PARSE_DEFAULT);
	assert_sane(pm);
	g_assert_true(pm->message_id_synthesized);
	return g_strdup(pm->message_id);
}

static void
test_hash(void)
{
	/* Without flag headers the hash is the raw bytes' as it always was. */
	const char *plain = "From: a@x.example\nSubject: no id\n\nbody\n";
	g_autofree char *id = synthesized_id(plain);
	g_autofree char *want = sha256(plain, strlen(plain));
	g_assert_cmpstr(id + strlen("sha256:"), ==, want);

	/* A flag change (mutt rewriting the mbox) keeps it. */
	const char *flagged[] = {
		"From: a@x.example\nStatus: O\nSubject: no id\n\nbody\n",
		"From: a@x.example\nStatus: RO\nSubject: no id\nX-Status: AF\n\nbody\n",
		"Status: R\n\tfolded\nFrom: a@x.example\nSubject: no id\n\nbody\n",
	};
	for (guint i = 0; i < G_N_ELEMENTS(flagged); i++) {
		g_autofree char *other = synthesized_id(flagged[i]);
		g_assert_cmpstr(other, ==, id);
	}
	/* Any other change does not, nor does Status text in the body. */
	g_autofree char *subject = synthesized_id("From: a@x.example\nSubject: no id!\n\nbody\n");
	g_assert_cmpstr(subject, !=, id);
	g_autofree char *body =
	    synthesized_id("From: a@x.example\nSubject: no id\n\nbody\nStatus: R\n");
	g_assert_cmpstr(body, !=, id);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	parse_init();
	g_test_add_func("/parse-flags/letters", test_letters);
	g_test_add_func("/parse-flags/headers", test_headers);
	g_test_add_func("/parse-flags/hash", test_hash);
	return g_test_run();
}
