/* HTML to plain text: a small forward-only scanner, not a DOM.
 *
 * Every scan moves forward through the input and never backtracks, so the
 * cost is linear in the input whatever it holds (unclosed comments, tags or
 * quotes simply run to the end, as they do in a browser). */
#include "config.h"

#include "ingest/html.h"
#include "common/utf8.h"

#include <string.h>

/* How many newlines each element asks for around itself. */
enum brk {
	BRK_NONE = 0,
	BRK_LINE = 1, /* a line break */
	BRK_PARA = 2, /* a blank line */
};

struct element {
	const char *name;
	enum brk brk;
};

static const struct element block_elements[] = {
	{ "address", BRK_LINE },    { "article", BRK_LINE }, { "aside", BRK_LINE },
	{ "blockquote", BRK_PARA }, { "body", BRK_LINE },    { "caption", BRK_LINE },
	{ "center", BRK_LINE },     { "dd", BRK_LINE },      { "details", BRK_LINE },
	{ "dialog", BRK_LINE },     { "dir", BRK_PARA },     { "div", BRK_LINE },
	{ "dl", BRK_PARA },         { "dt", BRK_LINE },      { "fieldset", BRK_PARA },
	{ "figcaption", BRK_LINE }, { "figure", BRK_PARA },  { "footer", BRK_LINE },
	{ "form", BRK_PARA },       { "h1", BRK_PARA },      { "h2", BRK_PARA },
	{ "h3", BRK_PARA },         { "h4", BRK_PARA },      { "h5", BRK_PARA },
	{ "h6", BRK_PARA },         { "header", BRK_LINE },  { "hr", BRK_PARA },
	{ "html", BRK_LINE },       { "legend", BRK_LINE },  { "li", BRK_LINE },
	{ "main", BRK_LINE },       { "menu", BRK_PARA },    { "nav", BRK_LINE },
	{ "ol", BRK_PARA },         { "option", BRK_LINE },  { "p", BRK_PARA },
	{ "pre", BRK_PARA },        { "section", BRK_LINE }, { "summary", BRK_LINE },
	{ "table", BRK_PARA },      { "tbody", BRK_LINE },   { "tfoot", BRK_LINE },
	{ "thead", BRK_LINE },      { "tr", BRK_LINE },      { "ul", BRK_PARA },
};

/* Elements whose whole content is dropped: the scanner jumps to their end tag. */
static const char *const dropped_elements[] = {
	"script", "style", "title", "template", "noembed", "noframes", "xml",
};

/* Elements that may sit in <head>; any other start tag ends it, as in a
 * browser, so HTML that never closes <head> still shows its body. */
static const char *const head_elements[] = {
	"head",   "base",  "basefont", "bgsound", "link",     "meta",  "noscript",
	"object", "param", "script",   "style",   "template", "title",
};

struct entity {
	const char *name;
	gunichar c;
};

/* The HTML 4 entities (Latin-1 ones are computed from their position). */
static const char *const latin1_entities[] = {
	"nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
	"copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
	"sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
	"raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
	"Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
	"Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
	"Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
	"szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
	"egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
	"ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
	"uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

G_STATIC_ASSERT(G_N_ELEMENTS(latin1_entities) == 96);

static const struct entity other_entities[] = {
	{ "quot", 34 },     { "amp", 38 },       { "apos", 39 },      { "lt", 60 },
	{ "gt", 62 },       { "OElig", 338 },    { "oelig", 339 },    { "Scaron", 352 },
	{ "scaron", 353 },  { "Yuml", 376 },     { "fnof", 402 },     { "circ", 710 },
	{ "tilde", 732 },   { "Alpha", 913 },    { "Beta", 914 },     { "Gamma", 915 },
	{ "Delta", 916 },   { "Epsilon", 917 },  { "Zeta", 918 },     { "Eta", 919 },
	{ "Theta", 920 },   { "Iota", 921 },     { "Kappa", 922 },    { "Lambda", 923 },
	{ "Mu", 924 },      { "Nu", 925 },       { "Xi", 926 },       { "Omicron", 927 },
	{ "Pi", 928 },      { "Rho", 929 },      { "Sigma", 931 },    { "Tau", 932 },
	{ "Upsilon", 933 }, { "Phi", 934 },      { "Chi", 935 },      { "Psi", 936 },
	{ "Omega", 937 },   { "alpha", 945 },    { "beta", 946 },     { "gamma", 947 },
	{ "delta", 948 },   { "epsilon", 949 },  { "zeta", 950 },     { "eta", 951 },
	{ "theta", 952 },   { "iota", 953 },     { "kappa", 954 },    { "lambda", 955 },
	{ "mu", 956 },      { "nu", 957 },       { "xi", 958 },       { "omicron", 959 },
	{ "pi", 960 },      { "rho", 961 },      { "sigmaf", 962 },   { "sigma", 963 },
	{ "tau", 964 },     { "upsilon", 965 },  { "phi", 966 },      { "chi", 967 },
	{ "psi", 968 },     { "omega", 969 },    { "thetasym", 977 }, { "upsih", 978 },
	{ "piv", 982 },     { "ensp", 8194 },    { "emsp", 8195 },    { "thinsp", 8201 },
	{ "hairsp", 8202 }, { "zwnj", 8204 },    { "zwj", 8205 },     { "lrm", 8206 },
	{ "rlm", 8207 },    { "ndash", 8211 },   { "mdash", 8212 },   { "lsquo", 8216 },
	{ "rsquo", 8217 },  { "sbquo", 8218 },   { "ldquo", 8220 },   { "rdquo", 8221 },
	{ "bdquo", 8222 },  { "dagger", 8224 },  { "Dagger", 8225 },  { "bull", 8226 },
	{ "hellip", 8230 }, { "permil", 8240 },  { "prime", 8242 },   { "Prime", 8243 },
	{ "lsaquo", 8249 }, { "rsaquo", 8250 },  { "oline", 8254 },   { "frasl", 8260 },
	{ "euro", 8364 },   { "image", 8465 },   { "weierp", 8472 },  { "real", 8476 },
	{ "trade", 8482 },  { "alefsym", 8501 }, { "larr", 8592 },    { "uarr", 8593 },
	{ "rarr", 8594 },   { "darr", 8595 },    { "harr", 8596 },    { "crarr", 8629 },
	{ "lArr", 8656 },   { "uArr", 8657 },    { "rArr", 8658 },    { "dArr", 8659 },
	{ "hArr", 8660 },   { "forall", 8704 },  { "part", 8706 },    { "exist", 8707 },
	{ "empty", 8709 },  { "nabla", 8711 },   { "isin", 8712 },    { "notin", 8713 },
	{ "ni", 8715 },     { "prod", 8719 },    { "sum", 8721 },     { "minus", 8722 },
	{ "lowast", 8727 }, { "radic", 8730 },   { "prop", 8733 },    { "infin", 8734 },
	{ "ang", 8736 },    { "and", 8743 },     { "or", 8744 },      { "cap", 8745 },
	{ "cup", 8746 },    { "int", 8747 },     { "there4", 8756 },  { "sim", 8764 },
	{ "cong", 8773 },   { "asymp", 8776 },   { "ne", 8800 },      { "equiv", 8801 },
	{ "le", 8804 },     { "ge", 8805 },      { "sub", 8834 },     { "sup", 8835 },
	{ "nsub", 8836 },   { "sube", 8838 },    { "supe", 8839 },    { "oplus", 8853 },
	{ "otimes", 8855 }, { "perp", 8869 },    { "sdot", 8901 },    { "lceil", 8968 },
	{ "rceil", 8969 },  { "lfloor", 8970 },  { "rfloor", 8971 },  { "lang", 9001 },
	{ "rang", 9002 },   { "loz", 9674 },     { "spades", 9824 },  { "clubs", 9827 },
	{ "hearts", 9829 }, { "diams", 9830 },
};

/* Entities browsers still decode without the ';' (the common legacy ones). */
static const char *const legacy_entities[] = { "amp", "lt", "gt", "quot", "nbsp", "copy", "reg" };

/* What &#128; .. &#159; mean: HTML maps them through windows-1252. */
static const gunichar cp1252_c1[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Longest entity name we look up; longer runs are never entities. */
#define ENTITY_NAME_MAX 16

static GHashTable *
entity_table(void)
{
	static gsize once = 0;
	static GHashTable *table;

	/* Built once and kept for the life of the process; read-only afterwards,
	 * so threads may share it. */
	if (g_once_init_enter(&once)) {
		GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; i < G_N_ELEMENTS(latin1_entities); i++)
			g_hash_table_insert(t, (gpointer)latin1_entities[i],
			                    GUINT_TO_POINTER(160 + i));
		for (guint i = 0; i < G_N_ELEMENTS(other_entities); i++)
			g_hash_table_insert(t, (gpointer)other_entities[i].name,
			                    GUINT_TO_POINTER(other_entities[i].c));
		table = t;
		g_once_init_leave(&once, 1);
	}
	return table;
}

struct out {
	GString *s;
	int pending_nl;         /* newlines owed before the next visible text */
	gboolean pending_space; /* a space owed before the next visible text */
	int newlines;           /* newlines at the end of s, to cap blank lines at one */
	int pre;                /* depth of <pre>: whitespace kept as is */
	gboolean in_head;
};

static gboolean
is_fold_space(gunichar c)
{
	if (c < 0x80)
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
	return g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Invisible characters mail uses as padding (preheaders, tracking): dropped. */
static gboolean
is_invisible(gunichar c)
{
	return c == 0x00AD || c == 0x034F || c == 0x200B || c == 0x200C || c == 0x2060 ||
	       c == 0xFEFF;
}

static void
out_newline(struct out *o)
{
	if (o->newlines >= 2)
		return;
	g_string_append_c(o->s, '\n');
	o->newlines++;
}

/* Pays the breaks and space owed, then appends C. */
static void
out_visible(struct out *o, gunichar c)
{
	if (o->s->len > 0) {
		if (o->pending_nl > 0) {
			for (int i = 0; i < o->pending_nl; i++)
				out_newline(o);
		} else if (o->pending_space && o->newlines == 0) {
			g_string_append_c(o->s, ' ');
		}
	}
	o->pending_nl = 0;
	o->pending_space = FALSE;
	if (c < 0x80)
		g_string_append_c(o->s, c);
	else
		g_string_append_unichar(o->s, c);
	o->newlines = 0;
}

static void
out_char(struct out *o, gunichar c)
{
	if (o->in_head) {
		if (is_fold_space(c))
			return;
		/* Text in <head> means the HTML forgot to close it. */
		o->in_head = FALSE;
	}
	if (o->pre > 0) {
		if (c == '\r' || is_invisible(c))
			return;
		if (c == '\n') {
			/* Owed breaks first, then the line break itself. */
			if (o->s->len > 0)
				for (int i = 0; i < o->pending_nl; i++)
					out_newline(o);
			o->pending_nl = 0;
			o->pending_space = FALSE;
			if (o->s->len > 0)
				out_newline(o);
			return;
		}
		if (is_fold_space(c)) {
			out_visible(o, ' ');
			return;
		}
	} else if (is_fold_space(c)) {
		o->pending_space = TRUE;
		return;
	}
	if (c < 0x80 ? c < 0x20 || c == 0x7F
	             : is_invisible(c) || g_unichar_iscntrl(c) || !g_unichar_validate(c))
		return;
	out_visible(o, c);
}

static void
out_break(struct out *o, int n)
{
	o->pending_nl = MAX(o->pending_nl, n);
}

/* Decodes the entity at P (just after '&'), stores the character in *C and
 * returns how many bytes after '&' it used; 0 when it is not an entity. */
static gsize
decode_entity(const char *p, const char *end, gunichar *c)
{
	const char *q = p;

	if (q < end && *q == '#') {
		gboolean hex = FALSE;
		guint32 v = 0;
		gboolean any = FALSE, overflow = FALSE;

		q++;
		if (q < end && (*q == 'x' || *q == 'X')) {
			hex = TRUE;
			q++;
		}
		while (q < end && (hex ? g_ascii_isxdigit(*q) : g_ascii_isdigit(*q))) {
			v = v * (hex ? 16 : 10) +
			    (hex ? (guint32)g_ascii_xdigit_value(*q) : (guint32)(*q - '0'));
			if (v > 0x10FFFF) {
				overflow = TRUE;
				v = 0x10FFFF; /* keeps the arithmetic bounded */
			}
			any = TRUE;
			q++;
		}
		if (!any)
			return 0;
		if (q < end && *q == ';')
			q++;
		if (overflow || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
			*c = 0xFFFD;
		else if (v >= 0x80 && v <= 0x9F)
			*c = cp1252_c1[v - 0x80] ? cp1252_c1[v - 0x80] : 0xFFFD;
		else
			*c = v;
		return q - p;
	}

	char name[ENTITY_NAME_MAX + 1];
	gsize n = 0;
	while (q < end && g_ascii_isalnum(*q) && n < ENTITY_NAME_MAX)
		name[n++] = *q++;
	if (n == 0 || (q < end && g_ascii_isalnum(*q)))
		return 0;
	name[n] = '\0';

	if (q < end && *q == ';') {
		gpointer v = g_hash_table_lookup(entity_table(), name);
		if (!v)
			return 0;
		*c = GPOINTER_TO_UINT(v);
		return n + 1;
	}
	if (q < end && *q == '=')
		return 0; /* "&copy=" in a URL is text, not an entity */
	for (guint i = 0; i < G_N_ELEMENTS(legacy_entities); i++) {
		if (strcmp(name, legacy_entities[i]) == 0) {
			*c = GPOINTER_TO_UINT(g_hash_table_lookup(entity_table(), name));
			return n;
		}
	}
	return 0;
}

/* Appends the text P..END with entities decoded. P is valid UTF-8. */
static void
out_text(struct out *o, const char *p, const char *end)
{
	while (p < end) {
		if (*p == '&') {
			gunichar c;
			gsize used = decode_entity(p + 1, end, &c);
			if (used > 0) {
				out_char(o, c);
				p += 1 + used;
				continue;
			}
		}
		if ((guchar)*p < 0x80) {
			out_char(o, *p++);
			continue;
		}
		out_char(o, g_utf8_get_char(p));
		p = g_utf8_next_char(p);
	}
}

/* Returns the first place at or after P where NEEDLE (ASCII, lower case)
 * starts, ignoring ASCII case; NULL when there is none. */
static const char *
find_ci(const char *p, const char *end, const char *needle)
{
	gsize n = strlen(needle);
	for (; p + n <= end; p++) {
		if (g_ascii_tolower(*p) == needle[0] && g_ascii_strncasecmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

static const char *
find_char(const char *p, const char *end, char c)
{
	const char *r = memchr(p, c, end - p);
	return r ? r : end;
}

/* Skips the attributes of a tag from P; returns the position after its '>'.
 * A quoted value may hold '>'. */
static const char *
skip_attributes(const char *p, const char *end)
{
	while (p < end) {
		char c = *p;
		if (c == '>') {
			return p + 1;
		} else if (c == '=') {
			p++;
			while (p < end && g_ascii_isspace(*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				const char *close = memchr(p + 1, *p, end - p - 1);
				if (!close)
					return end; /* an unclosed quote runs to the end */
				p = close + 1;
			}
		} else {
			p++;
		}
	}
	return end;
}

enum tag_flags {
	TAG_LINE = 1 << 0,    /* a line break around it */
	TAG_PARA = 1 << 1,    /* a blank line around it */
	TAG_DROP = 1 << 2,    /* content dropped */
	TAG_IN_HEAD = 1 << 3, /* may sit in <head> */
	TAG_BR = 1 << 4,      /* <br> */
	TAG_CELL = 1 << 5,    /* a table cell: a space between cells */
	TAG_PRE = 1 << 6,     /* white space kept inside */
	TAG_HEAD = 1 << 7,    /* <head> itself */
};

static void
tag_add(GHashTable *t, const char *name, guint flag)
{
	guint old = GPOINTER_TO_UINT(g_hash_table_lookup(t, name));
	g_hash_table_insert(t, (gpointer)name, GUINT_TO_POINTER(old | flag));
}

/* Returns the flags of the (lower-case) tag NAME. One hash lookup per tag:
 * comparing names against each list was most of the time spent. */
static guint
tag_flags(const char *name)
{
	static gsize once = 0;
	static GHashTable *table;

	if (g_once_init_enter(&once)) {
		GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
		for (guint i = 0; i < G_N_ELEMENTS(block_elements); i++)
			tag_add(t, block_elements[i].name,
			        block_elements[i].brk == BRK_PARA ? TAG_PARA : TAG_LINE);
		for (guint i = 0; i < G_N_ELEMENTS(dropped_elements); i++)
			tag_add(t, dropped_elements[i], TAG_DROP);
		for (guint i = 0; i < G_N_ELEMENTS(head_elements); i++)
			tag_add(t, head_elements[i], TAG_IN_HEAD);
		tag_add(t, "br", TAG_BR);
		tag_add(t, "td", TAG_CELL);
		tag_add(t, "th", TAG_CELL);
		tag_add(t, "pre", TAG_PRE);
		tag_add(t, "listing", TAG_PRE);
		tag_add(t, "textarea", TAG_PRE);
		tag_add(t, "head", TAG_HEAD);
		table = t;
		g_once_init_leave(&once, 1);
	}
	return GPOINTER_TO_UINT(g_hash_table_lookup(table, name));
}

/* Applies the tag NAME to the output; returns its flags. */
static guint
handle_tag(struct out *o, const char *name, gboolean end_tag)
{
	guint flags = tag_flags(name);

	if (flags & TAG_HEAD) {
		o->in_head = !end_tag;
		return flags;
	}
	if (o->in_head && !end_tag && !(flags & TAG_IN_HEAD))
		o->in_head = FALSE;

	if (flags & TAG_BR) {
		/* Each <br> is one more line break, so <br><br> makes a blank line. */
		o->pending_nl = MIN(o->pending_nl + 1, 2);
	} else if (flags & TAG_CELL) {
		o->pending_space = TRUE;
	}
	if (flags & TAG_PRE) {
		if (end_tag)
			o->pre = MAX(o->pre - 1, 0);
		else
			o->pre = MIN(o->pre + 1, 1000);
	}
	if (flags & TAG_PARA)
		out_break(o, BRK_PARA);
	else if (flags & TAG_LINE)
		out_break(o, BRK_LINE);
	return flags;
}

char *
html_to_text(const char *html, gssize len)
{
	if (!html)
		return g_strdup("");
	if (len < 0)
		len = strlen(html);

	g_autofree char *valid = utf8_dup_valid(html, len);
	const char *p = valid;
	const char *end = valid + strlen(valid);
	struct out o = { .s = g_string_sized_new(len / 2 + 16) };

	while (p < end) {
		const char *lt = find_char(p, end, '<');
		out_text(&o, p, lt);
		p = lt;
		if (p >= end)
			break;

		const char *q = p + 1;
		if (q < end && *q == '!') {
			if (end - q >= 3 && q[1] == '-' && q[2] == '-') {
				/* A comment, up to "-->"; an unclosed one hides the rest.
				 * "<!-->" and "<!--->" are empty comments. */
				const char *c = q + 3;
				if (c < end && *c == '>') {
					p = c + 1;
				} else if (end - c >= 2 && c[0] == '-' && c[1] == '>') {
					p = c + 2;
				} else {
					const char *close = find_ci(c, end, "-->");
					p = close ? close + 3 : end;
				}
			} else {
				/* <!DOCTYPE>, <![CDATA[ ]]>, <![if mso]>: bogus comments. */
				p = find_char(q, end, '>');
				p = p < end ? p + 1 : end;
			}
			continue;
		}
		if (q < end && *q == '?') {
			p = find_char(q, end, '>');
			p = p < end ? p + 1 : end;
			continue;
		}

		gboolean end_tag = FALSE;
		if (q < end && *q == '/') {
			end_tag = TRUE;
			q++;
		}
		if (q >= end || !g_ascii_isalpha(*q)) {
			if (end_tag) {
				/* "</>" and "</ junk>" are dropped, like a browser does. */
				p = find_char(q, end, '>');
				p = p < end ? p + 1 : end;
			} else {
				out_char(&o, '<'); /* "a < b" is text */
				p++;
			}
			continue;
		}

		char name[16];
		gsize n = 0;
		while (q < end && !g_ascii_isspace(*q) && *q != '/' && *q != '>') {
			if (n < sizeof name - 1)
				name[n++] = g_ascii_tolower(*q);
			q++;
		}
		name[n] = '\0';

		p = skip_attributes(q, end);
		guint flags = handle_tag(&o, name, end_tag);

		if (!end_tag && (flags & TAG_DROP)) {
			/* Raw text: everything up to the matching end tag is dropped. */
			char close[20];
			g_snprintf(close, sizeof close, "</%s", name);
			const char *c = p;
			for (;;) {
				c = find_ci(c, end, close);
				if (!c) {
					p = end;
					break;
				}
				const char *after = c + strlen(close);
				if (after >= end || g_ascii_isspace(*after) || *after == '>' ||
				    *after == '/') {
					p = find_char(after, end, '>');
					p = p < end ? p + 1 : end;
					break;
				}
				c = after;
			}
		}
	}

	return g_string_free(o.s, FALSE);
}
