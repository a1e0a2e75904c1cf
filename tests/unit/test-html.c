/* html_to_text(): what a reader of an HTML-only mail sees as plain text. */
#include "config.h"

#include <string.h>

#include "ingest/html.h"

static void
check(const char *html, const char *expected)
{
	g_autofree char *text = html_to_text(html, -1);
	g_assert_true(g_utf8_validate(text, -1, NULL));
	g_assert_cmpstr(text, ==, expected);
}

static void
test_tags_dropped(void)
{
	check("<b>Hello</b> <i>world</i>", "Hello world");
	check("Hel<span class=\"x\">lo</span>", "Hello");
	check("<a href=\"https://acme.example/?a=1&b=2\" title='x > y'>the invoice</a>",
	      "the invoice");
	check("", "");
	check("plain text, no tags", "plain text, no tags");
}

static void
test_dropped_content(void)
{
	check("<html><head><title>Secret title</title><style>p { color: red; }</style>"
	      "<meta charset=utf-8></head><body><p>Visible</p></body></html>",
	      "Visible");
	check("before<script type=\"text/javascript\">if (a < b) { alert('</p>'); }</script>after",
	      "beforeafter");
	check("a<SCRIPT>x</SCRIPT >b<style media=\"all\">c</STYLE>d", "abd");
	check("x<script>never closed", "x");
	/* A <head> that is never closed ends at the first body element. */
	check("<head><title>t</title><p>Body text", "Body text");
	check("<!-- a comment with <b>tags</b> -->Text<!---->!<!-->?", "Text!?");
	check("<!DOCTYPE html><?xml version=\"1.0\"?>Doc", "Doc");
	check("<!--[if mso]><table><tr><td>Outlook</td></tr></table><![endif]-->Shown", "Shown");
	check("Text<!-- unclosed comment", "Text");
}

static void
test_entities(void)
{
	check("Fish &amp; chips &lt;3 &gt; &quot;q&quot; &apos;a&apos;",
	      "Fish & chips <3 > \"q\" 'a'");
	check("caf&eacute; &euro;5 &mdash; &hellip; &copy;", "café €5 — … ©");
	check("&#65;&#x42;&#X43;&#100", "ABCd");
	check("&#x1F600;", "\xF0\x9F\x98\x80");
	check("&#150; &#153;", "– ™"); /* windows-1252 meanings */
	check("bad: &#0; &#xD800; &#99999999999;", "bad: \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
	check("&unknown; &amp &ampx &copy=1 & alone", "&unknown; & &ampx &copy=1 & alone");
	check("&lt;b&gt;not a tag&lt;/b&gt;", "<b>not a tag</b>");
	check("a &nbsp; &nbsp; b", "a b");
	check("zero&#8203;width&shy;&zwnj;", "zerowidth");
}

static void
test_line_breaks(void)
{
	check("one<br>two<br/>three<BR />four", "one\ntwo\nthree\nfour");
	check("one<br><br>two", "one\n\ntwo");
	check("<p>First paragraph.</p><p>Second\nparagraph.</p>",
	      "First paragraph.\n\nSecond paragraph.");
	check("<div>a</div><div>b</div>c", "a\nb\nc");
	check("<ul><li>one</li><li>two</li></ul>after", "one\ntwo\n\nafter");
	check("<h1>Title</h1>text", "Title\n\ntext");
	check("<table><tr><td>Name</td><td>Bob</td></tr><tr><td>Total</td><td>$5</td></tr></table>",
	      "Name Bob\nTotal $5");
	/* Never more than one blank line in a row, none at the ends. */
	check("<p></p><p><br><br><br></p><div><div><p>x</p></div></div><br><br><br><p>y</p><br>",
	      "x\n\ny");
}

static void
test_whitespace(void)
{
	check("  lots \t of\n\n   space  ", "lots of space");
	check("<p>  padded  </p>", "padded");
	check("x<pre>  keep\n    this</pre>after", "x\n\n  keep\n    this\n\nafter");
	check("a\xC2\xA0\xC2\xA0 b", "a b"); /* no-break spaces fold too */
}

static void
test_hostile(void)
{
	/* Invalid UTF-8 and NUL bytes never come out. */
	static const char bad[] = "caf\xE9 \xFF\xFE<b>\x01x\x7F</b>";
	g_autofree char *t = html_to_text(bad, sizeof bad - 1);
	g_assert_true(g_utf8_validate(t, -1, NULL));
	g_assert_cmpstr(t, ==, "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBDx");

	static const char nul[] = "a\0b";
	g_autofree char *t2 = html_to_text(nul, sizeof nul - 1);
	g_assert_cmpstr(t2, ==, "ab");

	g_autofree char *t3 = html_to_text(NULL, 0);
	g_assert_cmpstr(t3, ==, "");

	/* LEN is honoured: the input need not be NUL-terminated. */
	g_autofree char *t4 = html_to_text("<b>abc</b>def", 9);
	g_assert_cmpstr(t4, ==, "abc");

	check("<a href=\"unclosed quote>text", "");
	check("<<<>>> a<b", "<<<>>> a");
	check("</ foo>x</>y", "xy");
}

/* Pathological inputs stay linear: a quadratic scan would take minutes. */
static void
test_linear(void)
{
	GString *s = g_string_new(NULL);
	g_string_append(s, "<script>");
	for (int i = 0; i < 200000; i++)
		g_string_append(s, "</scriptx <!-- &ampampampampampamp");
	g_string_append(s, "</script>after");
	gint64 start = g_get_monotonic_time();
	g_autofree char *t = html_to_text(s->str, s->len);
	g_assert_cmpstr(t, ==, "after");

	g_string_truncate(s, 0);
	for (int i = 0; i < 200000; i++)
		g_string_append(s, "<a b='c'><!x><</ &#x12345678");
	g_autofree char *t1 = html_to_text(s->str, s->len);
	g_assert_true(g_utf8_validate(t1, -1, NULL));

	g_string_truncate(s, 0);
	for (int i = 0; i < 500000; i++)
		g_string_append(s, "&amp;x<br>");
	g_autofree char *t2 = html_to_text(s->str, s->len);
	g_assert_cmpuint(strlen(t2), ==, 500000 * 3 - 1);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_string_free(s, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/html/tags-dropped", test_tags_dropped);
	g_test_add_func("/html/dropped-content", test_dropped_content);
	g_test_add_func("/html/entities", test_entities);
	g_test_add_func("/html/line-breaks", test_line_breaks);
	g_test_add_func("/html/whitespace", test_whitespace);
	g_test_add_func("/html/hostile", test_hostile);
	g_test_add_func("/html/linear", test_linear);
	return g_test_run();
}
