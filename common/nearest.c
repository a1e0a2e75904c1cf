/* Edit distances between words and the nearest of a few candidates. */
#include "config.h"

#include "common/nearest.h"

/* Returns S case-folded as characters, their count in *LEN; the caller
 * frees it. */
static gunichar *
folded_chars(const char *s, glong *len)
{
	g_autofree char *folded = g_utf8_casefold(s, -1);
	return g_utf8_to_ucs4_fast(folded, -1, len);
}

guint
nearest_distance(const char *a, const char *b)
{
	glong n, m;
	g_autofree gunichar *x = folded_chars(a, &n);
	g_autofree gunichar *y = folded_chars(b, &m);
	/* Three rows of the table: i-2, i-1 and i. */
	g_autofree guint *rows = g_new(guint, 3 * (m + 1));
	guint *before = rows, *prev = rows + (m + 1), *cur = rows + 2 * (m + 1);

	for (glong j = 0; j <= m; j++)
		prev[j] = (guint)j;
	for (glong i = 1; i <= n; i++) {
		cur[0] = (guint)i;
		for (glong j = 1; j <= m; j++) {
			guint cost = x[i - 1] != y[j - 1];
			guint d = MIN(prev[j] + 1, cur[j - 1] + 1);
			d = MIN(d, prev[j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
				d = MIN(d, before[j - 2] + 1);
			cur[j] = d;
		}
		guint *t = before;
		before = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

const char *
nearest_word(const char *word, const char *const *candidates, guint n)
{
	glong len = g_utf8_strlen(word, -1);
	guint limit = len <= 5 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	guint best_d = G_MAXUINT;

	for (guint i = 0; i < n; i++) {
		glong clen = g_utf8_strlen(candidates[i], -1);
		/* The lengths alone may rule it out, without the table. */
		if ((guint)ABS(clen - len) > limit)
			continue;
		guint d = nearest_distance(word, candidates[i]);
		if (d <= limit && d < (guint)len && d < (guint)clen && d < best_d) {
			best = candidates[i];
			best_d = d;
		}
	}
	return best;
}

char *
did_you_mean(const char *near)
{
	return near ? g_strdup_printf(" \u2014 did you mean '%s'?", near) : g_strdup("");
}
