/* Unit tests of the FTS5 tokenizer: tokens, offsets, CJK, queries. */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#include "index/tokenizer.h"

/* The sample rows; rowid = index + 1. */
static const char *const rows[] = {
	/* 1 */ "我们明天在北京开会，请准时参加。",
	/* 2 */ "北京、上海和广州都有分公司。",
	/* 3 */ "来週の打ち合わせは東京都庁で行います。資料を送付します。",
	/* 4 */ "다음 주 회의는 서울에서 열립니다.",
	/* 5 */ "Invoice 請求書の送付について ACME-12",
	/* 6 */ "Le café est fermé à Noël, déjà vu.",
	/* 7 */ "INVOICE overdue for Project Phoenix",
	/* 8 */ "カタカナのテスト・データです",
	/* 9 */ "ははは",
	/* 10 */ "Meeting at 3時 in ｶﾀｶﾅ town",
};

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		g_error("%s: %s", sql, msg);
}

static sqlite3 *
open_db(void)
{
	g_autoptr(GError) error = NULL;
	sqlite3 *db;

	g_assert_cmpint(sqlite3_open(":memory:", &db), ==, SQLITE_OK);
	g_assert_true(tokenizer_register(db, &error));
	g_assert_no_error(error);
	exec_ok(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='mailclerk')");
	return db;
}

static void
insert(sqlite3 *db, gint64 rowid, const char *text, int len)
{
	sqlite3_stmt *stmt;

	g_assert_cmpint(
	    sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?1, ?2)", -1, &stmt, NULL),
	    ==, SQLITE_OK);
	sqlite3_bind_int64(stmt, 1, rowid);
	sqlite3_bind_text(stmt, 2, text, len, SQLITE_STATIC);
	g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
	sqlite3_finalize(stmt);
}

static sqlite3 *
sample_db(void)
{
	sqlite3 *db = open_db();

	for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
		insert(db, i + 1, rows[i], -1);
	return db;
}

/* Runs SQL with QUERY bound to ?1; returns the first column of every row,
 * joined by ",". */
static char *
column(sqlite3 *db, const char *sql, const char *query)
{
	g_autoptr(GString) out = g_string_new(NULL);
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		g_error("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_bind_text(stmt, 1, query, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (out->len > 0)
			g_string_append_c(out, ',');
		g_string_append(out, (const char *)sqlite3_column_text(stmt, 0));
	}
	if (rc != SQLITE_DONE)
		g_error("%s [%s]: %s", sql, query, sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static char *
match(sqlite3 *db, const char *query)
{
	return column(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid", query);
}

#define assert_match(db, query, expected)                                                          \
	do {                                                                                       \
		g_autofree char *got_ = match((db), (query));                                      \
		g_assert_cmpstr(got_, ==, (expected));                                             \
	} while (0)

/* Direct calls to the tokenizer, to see tokens, offsets and flags. */

static fts5_api *
fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;

	g_assert_cmpint(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL), ==, SQLITE_OK);
	sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	g_assert_nonnull(api);
	return api;
}

struct collect {
	GString *out;
	const char *text;
	int len;
};

/* Appends "token:start-end", with "+" before a colocated token. */
static int
collect_token(void *ctx, int tflags, const char *token, int ntoken, int start, int end)
{
	struct collect *c = ctx;

	g_assert_cmpint(start, >=, 0);
	g_assert_cmpint(start, <=, end);
	g_assert_cmpint(end, <=, c->len);
	g_assert_true(g_utf8_validate(token, ntoken, NULL));
	if (c->out->len > 0)
		g_string_append_c(c->out, ' ');
	if (tflags & FTS5_TOKEN_COLOCATED)
		g_string_append_c(c->out, '+');
	g_string_append_len(c->out, token, ntoken);
	g_string_append_printf(c->out, ":%d-%d", start, end);
	return SQLITE_OK;
}

/* Tokenizes LEN bytes of TEXT (-1: up to the NUL) with FLAGS. The bytes are
 * copied to a buffer of exactly that size, so that AddressSanitizer catches
 * any read past the end. */
static char *
tokens(int flags, const char *text, int len)
{
	sqlite3 *db;
	fts5_api *api;
	fts5_tokenizer mod;
	void *data;
	Fts5Tokenizer *tok;
	struct collect c;
	char *copy;

	if (len < 0)
		len = (int)strlen(text);
	g_assert_cmpint(sqlite3_open(":memory:", &db), ==, SQLITE_OK);
	g_assert_true(tokenizer_register(db, NULL));
	api = fts5_api_of(db);
	g_assert_cmpint(api->xFindTokenizer(api, "mailclerk", &data, &mod), ==, SQLITE_OK);
	g_assert_cmpint(mod.xCreate(data, NULL, 0, &tok), ==, SQLITE_OK);

	copy = g_memdup2(text, len);
	c.out = g_string_new(NULL);
	c.text = copy;
	c.len = len;
	g_assert_cmpint(mod.xTokenize(tok, &c, flags, copy, len, collect_token), ==, SQLITE_OK);
	g_free(copy);
	mod.xDelete(tok);
	sqlite3_close(db);
	return g_string_free(c.out, FALSE);
}

#define DOC   FTS5_TOKENIZE_DOCUMENT
#define QUERY FTS5_TOKENIZE_QUERY

#define assert_tokens(flags, text, len, expected)                                                  \
	do {                                                                                       \
		g_autofree char *got_ = tokens((flags), (text), (len));                            \
		g_assert_cmpstr(got_, ==, (expected));                                             \
	} while (0)

static void
test_register(void)
{
	g_autoptr(GError) error = NULL;
	sqlite3 *db;

	g_assert_cmpint(sqlite3_open(":memory:", &db), ==, SQLITE_OK);
	/* Without the tokenizer the schema cannot be created. */
	g_assert_cmpint(sqlite3_exec(db,
	                             "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='mailclerk')",
	                             NULL, NULL, NULL),
	                ==, SQLITE_ERROR);
	g_assert_true(tokenizer_register(db, &error));
	g_assert_no_error(error);
	/* Registering twice on one connection is harmless. */
	g_assert_true(tokenizer_register(db, &error));
	g_assert_no_error(error);
	exec_ok(db, "CREATE VIRTUAL TABLE t USING fts5(b, tokenize='mailclerk')");
	/* Arguments pass through to unicode61: keep diacritics. */
	exec_ok(db,
	        "CREATE VIRTUAL TABLE u USING fts5(b, tokenize='mailclerk remove_diacritics 0')");
	exec_ok(db, "INSERT INTO u VALUES ('café')");
	g_autofree char *strict = column(db, "SELECT count(*) FROM u WHERE u MATCH ?1", "cafe");
	g_autofree char *exact = column(db, "SELECT count(*) FROM u WHERE u MATCH ?1", "café");
	g_assert_cmpstr(strict, ==, "0");
	g_assert_cmpstr(exact, ==, "1");
	/* A bad argument is an error, as it is for unicode61. */
	g_assert_cmpint(sqlite3_exec(db,
	                             "CREATE VIRTUAL TABLE v USING fts5(b, tokenize='mailclerk x')",
	                             NULL, NULL, NULL),
	                ==, SQLITE_ERROR);
	sqlite3_close(db);
}

static void
test_tokens_latin(void)
{
	assert_tokens(DOC, "", 0, "");
	assert_tokens(QUERY, "", 0, "");
	assert_tokens(DOC, "   ...  ", -1, "");
	assert_tokens(DOC, "Hello, Café—Noël!", -1, "hello:0-5 cafe:7-12 noel:15-20");
	/* Full-width Latin is not CJK: NFKC makes it ASCII. */
	assert_tokens(DOC, "ＡＢＣ１２", -1, "abc12:0-15");
}

static void
test_tokens_cjk(void)
{
	assert_tokens(DOC, "東京都", -1, "東:0-3 +東京:0-6 京:3-6 +京都:3-9 都:6-9");
	assert_tokens(QUERY, "東京都", -1, "東京:0-6 京都:3-9 都:6-9");
	assert_tokens(DOC, "東", -1, "東:0-3");
	assert_tokens(QUERY, "東", -1, "東:0-3");
	assert_tokens(QUERY, "東京", -1, "東京:0-6 京:3-6");
	/* Runs end at Latin text, spaces and CJK punctuation. */
	assert_tokens(DOC, "ab東京Cd", -1, "ab:0-2 東:2-5 +東京:2-8 京:5-8 cd:8-10");
	assert_tokens(QUERY, "ab東京Cd", -1, "ab:0-2 東京:2-8 京:5-8 cd:8-10");
	assert_tokens(DOC, "北京、上海", -1, "北:0-3 +北京:0-6 京:3-6 上:9-12 +上海:9-15 海:12-15");
	assert_tokens(DOC, "「東」。", -1, "東:3-6");
	assert_tokens(DOC, "テスト・デ", -1, "テ:0-3 +テス:0-6 ス:3-6 +スト:3-9 ト:6-9 デ:12-15");
	/* Kana and kanji form one run; so do iteration marks and the long vowel mark. */
	assert_tokens(QUERY, "人々のデータ", -1,
	              "人々:0-6 々の:3-9 のデ:6-12 デー:9-15 ータ:12-18 タ:15-18");
	/* Hangul, half-width katakana, extension B and compatibility ideographs. */
	assert_tokens(QUERY, "서울에서", -1, "서울:0-6 울에:3-9 에서:6-12 서:9-12");
	/* NFKC, character by character: half-width katakana is katakana. */
	assert_tokens(QUERY, "ｶﾀｶﾅ", -1, "カタ:0-6 タカ:3-9 カナ:6-12 ナ:9-12");
	assert_tokens(QUERY, "𠮷野家", -1, "𠮷野:0-7 野家:4-10 家:7-10");
	assert_tokens(QUERY, "豈更", -1, "豈更:0-6 更:3-6");
	assert_tokens(QUERY, "\xef\xa4\x80", -1, "豈:0-3"); /* U+F900, its compatibility form */
	/* Aux mode (highlight, snippet) sees what documents see. */
	assert_tokens(FTS5_TOKENIZE_AUX, "a東京", -1, "a:0-1 東:1-4 +東京:1-7 京:4-7");
}

/* Case and diacritics fold in every script; NFKC on both sides. */
static void
test_tokens_fold(void)
{
	/* Greek tonos and dialytika, final sigma. */
	assert_tokens(DOC, "Ελληνικά ΕΛΛΗΝΙΚΑ", -1, "ελληνικα:0-16 ελληνικα:17-33");
	assert_tokens(QUERY, "Προϊόν ΐ Σοφός", -1, "προιον:0-12 ι:13-15 σοφοσ:16-26");
	/* ß is ss; full case folding. */
	assert_tokens(DOC, "Größe GROSSE straße", -1, "grosse:0-7 grosse:8-14 strasse:15-22");
	/* NFKC: full-width Latin, ligatures, superscripts. */
	assert_tokens(DOC, "ＡＣＭＥ ﬁle x²", -1, "acme:0-12 file:13-18 x2:19-22");
	/* Letters with a stroke and ligatures, which have no decomposition:
	 * Øresund, Łódź, đồng, Turkish dotless ı (and İ, whose dot is a mark),
	 * œuvre, Æsir. */
	assert_tokens(DOC, "Øresund Łódź đồng IŞIK İstanbul œuvre Æsir", -1,
	              "oresund:0-8 lodz:9-16 dong:17-24 isik:25-30 istanbul:31-40 oeuvre:41-47 "
	              "aesir:48-53");
	/* Cyrillic: case, and the breve and diaeresis are diacritics too. */
	assert_tokens(DOC, "ПРИВЕТ Ёлка йод", -1, "привет:0-12 елка:13-21 иод:22-28");
	/* Decomposed text folds as composed text does. */
	assert_tokens(DOC, "E\xcc\x81lla\xcc\x81s \xce\xb1\xcc\x81\xce\xb2", -1,
	              "ellas:0-9 αβ:10-16");
	assert_tokens(QUERY, "İstanbul", -1, "istanbul:0-9");
	/* Vowel signs are letters of the word: one token, kept. */
	assert_tokens(DOC, "हिन्दी", -1, "हिन्दी:0-18");
	/* (NFKC writes Thai SARA AM as NIKHAHIT and SARA AA.) */
	assert_tokens(DOC, "น้ำ", -1, "\xe0\xb8\x99\xe0\xb9\x89\xe0\xb9\x8d\xe0\xb8\xb2:0-9");
	/* Arabic harakat and Hebrew points are dropped. */
	assert_tokens(DOC, "مُحَمَّد", -1, "محمد:0-16");
	assert_tokens(DOC, "שָׁלוֹם", -1, "שלום:0-14");
	/* Kana keep their voicing marks; a decomposed or half-width one composes. */
	assert_tokens(DOC, "が か", -1, "が:0-3 か:4-7");
	assert_tokens(DOC, "か\xe3\x82\x99", -1, "が:0-6");
	assert_tokens(QUERY, "ｶﾞｲﾄﾞ", -1, "ガイ:0-9 イド:6-15 ド:9-15");
	assert_tokens(DOC, "パ", -1, "パ:0-3");
	/* A lone voicing mark is a character of its own, as before. */
	assert_tokens(DOC, "\xe3\x82\x99", -1, "\xe3\x82\x99:0-3");
}

static void
test_tokens_invalid(void)
{
	/* Bad bytes separate; nothing is read past the end. */
	assert_tokens(DOC,
	              "a\xff"
	              "b",
	              -1, "a:0-1 b:2-3");
	assert_tokens(DOC, "東\x80京", -1, "東:0-3 京:4-7");
	assert_tokens(DOC, "caf\xc3", -1, "caf:0-3");
	assert_tokens(DOC, "東\xe6\x9d", -1, "東:0-3");
	assert_tokens(DOC,
	              "東\xe6\x9d"
	              "x",
	              -1, "東:0-3 x:5-6");
	assert_tokens(DOC, "x\xf0\xa0\xae", -1, "x:0-1");
	/* Overlong forms, surrogates and code points past U+10FFFF are not characters. */
	assert_tokens(DOC,
	              "a\xc0\xaf"
	              "b\xe0\x80\x80"
	              "c\xed\xa0\x80"
	              "d\xf4\x90\x80\x80"
	              "e",
	              -1, "a:0-1 b:3-4 c:7-8 d:11-12 e:16-17");
	/* A NUL is just a byte of the text. */
	assert_tokens(DOC, "東\0京", 7, "東:0-3 京:4-7");
}

/* Random bytes, and random CJK broken at random places: every token must be
 * valid UTF-8 within the text (checked by collect_token). */
static void
test_tokens_random(void)
{
	static const char *const pieces[] = {
		"東", "京", "の", "ア",       "한",           "a", "é", " ", "、", "𠮷", "ß", "ά",
		"ﬁ",  "ﾞ",  "ｶ",  "\xcc\x81", "\xe3\x82\x99", "ि", "ﷺ"
	};
	g_autoptr(GRand) rand = g_rand_new_with_seed(42);

	for (int round = 0; round < 200; round++) {
		char buf[257];
		int len = g_rand_int_range(rand, 0, 256);
		g_autofree char *out = NULL;

		if (round % 2 == 0) {
			for (int i = 0; i < len; i++)
				buf[i] = (char)g_rand_int_range(rand, 0, 256);
		} else {
			int n = 0;

			while (n < len) {
				const char *p =
				    pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))];
				int plen = (int)strlen(p);

				/* Sometimes only part of a character. */
				if (g_rand_int_range(rand, 0, 8) == 0)
					plen = g_rand_int_range(rand, 1, plen + 1);
				plen = MIN(plen, len - n);
				memcpy(buf + n, p, plen);
				n += plen;
			}
		}
		out = tokens(round % 4 < 2 ? DOC : QUERY, buf, len);
		g_assert_nonnull(out);
	}
}

static void
test_chinese(void)
{
	sqlite3 *db = sample_db();

	assert_match(db, "北京", "1,2");
	assert_match(db, "开会", "1");
	assert_match(db, "参加", "1"); /* last word before the full stop */
	assert_match(db, "北京开会", "1");
	assert_match(db, "京", "1,2,3"); /* also in 東京 */
	assert_match(db, "会", "1");
	assert_match(db, "司", "2");
	/* Punctuation ends a run: no bigram spans it. */
	assert_match(db, "京上", "");
	assert_match(db, "北京上海", "");
	assert_match(db, "上海", "2");
	/* A phrase across the punctuation keeps its positions, as in Latin text. */
	assert_match(db, "\"北京 上海\"", "2");
	assert_match(db, "北京、上海", "2");
	assert_match(db, "北京 NOT 开会", "2");
	assert_match(db, "大阪", "");
	assert_match(db, "北上", "");
	/* FTS5 tokenizes every row again and compares with the index. */
	exec_ok(db, "INSERT INTO t(t) VALUES ('integrity-check')");
	sqlite3_close(db);
}

static void
test_japanese(void)
{
	sqlite3 *db = sample_db();

	assert_match(db, "東京都", "3");
	assert_match(db, "東京都庁で", "3");
	assert_match(db, "東都", "");
	assert_match(db, "打ち合わせ", "3");
	assert_match(db, "資料", "3");
	assert_match(db, "送付", "3,5");
	assert_match(db, "庁", "3");
	assert_match(db, "テスト", "8");
	assert_match(db, "データ", "8");
	assert_match(db, "トデ", "");     /* across the middle dot */
	assert_match(db, "ｶﾀｶﾅ", "8,10"); /* NFKC: half-width katakana is katakana */
	assert_match(db, "カタカナ", "8,10");
	assert_match(db, "時", "10"); /* a run of one character */
	assert_match(db, "3時", "10");
	assert_match(db, "東*", "3");
	assert_match(db, "東京*", "3");
	assert_match(db, "京都", "3"); /* the price of bigrams: 東京都 holds 京都 */
	assert_match(db, "大阪", "");
	sqlite3_close(db);
}

static void
test_korean(void)
{
	sqlite3 *db = sample_db();

	assert_match(db, "회의", "4");
	assert_match(db, "서울", "4");
	assert_match(db, "서울에서", "4");
	assert_match(db, "\"회의는 서울에서\"", "4");
	assert_match(db, "부산", "");
	sqlite3_close(db);
}

static void
test_mixed(void)
{
	sqlite3 *db = sample_db();

	assert_match(db, "invoice", "5,7");
	assert_match(db, "INVOICE", "5,7");
	assert_match(db, "inv*", "5,7");
	assert_match(db, "請求書", "5");
	assert_match(db, "請*", "5");
	assert_match(db, "\"Invoice 請求書\"", "5");
	assert_match(db, "Invoice請求書", "5");
	assert_match(db, "\"について ACME\"", "5");
	assert_match(db, "\"ACME-12\"", "5");
	assert_match(db, "acme 請求書", "5");
	assert_match(db, "acme 大阪", "");
	assert_match(db, "phoenix", "7");
	assert_match(db, "town", "10");
	sqlite3_close(db);
}

static void
test_latin(void)
{
	sqlite3 *db = sample_db();

	assert_match(db, "cafe", "6");
	assert_match(db, "CAFÉ", "6");
	assert_match(db, "café", "6");
	assert_match(db, "noel", "6");
	assert_match(db, "ferme", "6");
	assert_match(db, "\"deja vu\"", "6");
	assert_match(db, "caf", "");
	assert_match(db, "caf*", "6");
	sqlite3_close(db);
}

static char *
highlight(sqlite3 *db, const char *query)
{
	char *out = column(
	    db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 ORDER BY rowid", query);

	g_assert_true(g_utf8_validate(out, -1, NULL));
	return out;
}

#define assert_highlight(db, query, expected)                                                      \
	do {                                                                                       \
		g_autofree char *got_ = highlight((db), (query));                                  \
		g_assert_cmpstr(got_, ==, (expected));                                             \
	} while (0)

static void
test_highlight(void)
{
	sqlite3 *db = sample_db();
	g_autofree char *snip = NULL;

	assert_highlight(db, "東京都",
	                 "来週の打ち合わせは[東京都]庁で行います。資料を送付します。");
	assert_highlight(db, "開会 OR 开会", "我们明天在北京[开会]，请准时参加。");
	assert_highlight(db, "司", "北京、上海和广州都有分公[司]。");
	assert_highlight(db, "北京 OR 上海",
	                 "我们明天在[北京]开会，请准时参加。,"
	                 "[北京]、[上海]和广州都有分公司。");
	assert_highlight(db, "invoice 送付", "[Invoice] 請求書の[送付]について ACME-12");
	assert_highlight(db, "cafe", "Le [café] est fermé à Noël, déjà vu.");
	/* Neighbouring and overlapping matches. */
	assert_highlight(db, "は",
	                 "来週の打ち合わせ[は]東京都庁で行います。資料を送付します。,[は][は][は]");
	assert_highlight(db, "はは", "[ははは]");
	/* Normalised text is highlighted as it was written. */
	assert_highlight(db, "ｶﾀ", "[カタ]カナのテスト・データです,Meeting at 3時 in [ｶﾀ]ｶﾅ town");

	/* snippet(): a window of 4 tokens (characters) around the match. */
	snip = column(db, "SELECT snippet(t, 0, '[', ']', '…', 4) FROM t WHERE t MATCH ?1", "資料");
	g_assert_true(g_utf8_validate(snip, -1, NULL));
	g_assert_cmpstr(snip, ==, "…す。[資料]を…");
	sqlite3_close(db);
}

/* Searching with the folding: both sides fold alike. */
static void
test_fold_match(void)
{
	static const char *const fold_rows[] = {
		/* 1 */ "Ελληνικά κείμενα",
		/* 2 */ "Die Größe stimmt",
		/* 3 */ "ACME file report",
		/* 4 */ "ガス料金",
		/* 5 */ "カス",
		/* 6 */ "Москва ЗИМОЙ",
	};
	sqlite3 *db = open_db();

	for (guint i = 0; i < G_N_ELEMENTS(fold_rows); i++)
		insert(db, i + 1, fold_rows[i], -1);
	assert_match(db, "ελληνικα", "1");
	assert_match(db, "ΕΛΛΗΝΙΚΑ", "1");
	assert_match(db, "Ελλην*", "1");
	assert_match(db, "grosse", "2");
	assert_match(db, "GROSSE", "2");
	assert_match(db, "größe", "2");
	assert_match(db, "gröss*", "2");
	assert_match(db, "ＡＣＭＥ", "3");
	assert_match(db, "ﬁle", "3");
	assert_match(db, "\"acme ﬁle\"", "3");
	/* が is not か: neither finds the other. */
	assert_match(db, "ガス", "4");
	assert_match(db, "カス", "5");
	assert_match(db, "ｶﾞｽ", "4");
	assert_match(db, "москва", "6");
	assert_match(db, "зимой", "6");
	assert_highlight(db, "grosse", "Die [Größe] stimmt");
	assert_highlight(db, "ｶﾞｽ", "[ガス]料金");
	exec_ok(db, "INSERT INTO t(t) VALUES ('integrity-check')");
	sqlite3_close(db);
}

/* A megabyte without a single space, three ways. */
static void
test_long(void)
{
	sqlite3 *db = open_db();
	const gsize size = 1 << 20;
	g_autofree char *ascii = g_malloc(size);
	g_autoptr(GString) cjk = g_string_sized_new(size + 16);
	g_autofree char *junk = g_malloc(size);
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);
	g_autofree char *count = NULL;

	memset(ascii, 'a', size);
	insert(db, 1, ascii, (int)size);
	while (cjk->len < size)
		g_string_append(cjk, "東京都庁");
	g_string_append(cjk, "大阪");
	insert(db, 2, cjk->str, (int)cjk->len);
	/* Bytes that never start a character: stray continuations, C0, C1, F5-FF. */
	for (gsize i = 0; i < size; i++) {
		int b = g_rand_int_range(rand, 0x80, 0xC2 + 11);

		junk[i] = (char)(b < 0xC2 ? b : b - 0xC2 + 0xF5);
	}
	insert(db, 3, junk, (int)size);

	assert_match(db, "都庁", "2");
	assert_match(db, "庁東", "2");
	assert_match(db, "大阪", "2");
	assert_match(db, "阪", "2");
	assert_match(db, "aaaa*", "1");
	count = column(db, "SELECT count(*) FROM t WHERE t MATCH ?1", "東京都庁 AND 大阪");
	g_assert_cmpstr(count, ==, "1");
	/* The junk row has no tokens at all. */
	exec_ok(db, "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')");
	g_free(count);
	count = column(db, "SELECT count(*) FROM v WHERE doc = CAST(?1 AS INTEGER)", "3");
	g_assert_cmpstr(count, ==, "0");
	g_free(count);
	count = column(db, "SELECT count(*) FROM v WHERE doc = CAST(?1 AS INTEGER)", "1");
	g_assert_cmpstr(count, ==, "1");
	exec_ok(db, "INSERT INTO t(t) VALUES ('integrity-check')");
	/* Deleting tokenizes again and must find the same tokens. */
	exec_ok(db, "DELETE FROM t WHERE rowid IN (2, 3)");
	assert_match(db, "都庁", "");
	exec_ok(db, "INSERT INTO t(t) VALUES ('integrity-check')");
	sqlite3_close(db);
}

static void
test_empty(void)
{
	sqlite3 *db = open_db();

	insert(db, 1, "", 0);
	insert(db, 2, "、。「」", -1);
	insert(db, 3, "x", -1);
	assert_match(db, "x", "3");
	exec_ok(db, "INSERT INTO t(t) VALUES ('integrity-check')");
	sqlite3_close(db);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tokenizer/register", test_register);
	g_test_add_func("/tokenizer/tokens/latin", test_tokens_latin);
	g_test_add_func("/tokenizer/tokens/cjk", test_tokens_cjk);
	g_test_add_func("/tokenizer/tokens/fold", test_tokens_fold);
	g_test_add_func("/tokenizer/tokens/invalid-utf8", test_tokens_invalid);
	g_test_add_func("/tokenizer/tokens/random", test_tokens_random);
	g_test_add_func("/tokenizer/match/chinese", test_chinese);
	g_test_add_func("/tokenizer/match/japanese", test_japanese);
	g_test_add_func("/tokenizer/match/korean", test_korean);
	g_test_add_func("/tokenizer/match/mixed", test_mixed);
	g_test_add_func("/tokenizer/match/latin", test_latin);
	g_test_add_func("/tokenizer/highlight", test_highlight);
	g_test_add_func("/tokenizer/match/fold", test_fold_match);
	g_test_add_func("/tokenizer/long", test_long);
	g_test_add_func("/tokenizer/empty", test_empty);
	return g_test_run();
}
