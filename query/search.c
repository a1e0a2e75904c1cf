/* Running a compiled query: ids in order, counts, snippets, previews. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "query/search.h"
#include "common/error.h"
#include "common/message.h"
#include "index/dates.h"
#include "index/rank.h"
#include "index/tokenizer.h"

gboolean
search_parse_sort(const char *name, enum search_sort *sort, GError **error)
{
	if (g_str_equal(name, "newest"))
		*sort = SORT_NEWEST;
	else if (g_str_equal(name, "oldest"))
		*sort = SORT_OLDEST;
	else if (g_str_equal(name, "relevance"))
		*sort = SORT_RELEVANCE;
	else {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "unknown sort order '%s' (newest, oldest or relevance)", name);
		return FALSE;
	}
	return TRUE;
}

/* A hit and its date, for sorting. */
struct dated {
	gint64 date;
	gint64 id;
};

/* Returns <0 when A sorts before B newest first (later date, then higher id). */
static int
dated_newer_first(const struct dated *a, const struct dated *b)
{
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	return a->id > b->id ? -1 : a->id < b->id;
}

static gint
dated_cmp_newest(gconstpointer a, gconstpointer b)
{
	return dated_newer_first(a, b);
}

static gint
dated_cmp_oldest(gconstpointer a, gconstpointer b)
{
	return dated_newer_first(b, a);
}

/* The ids statement S returns (one column, in the order it returns them);
 * NULL and ERROR ("WHAT: ...") on a database error. */
static GArray *
collect_ids(struct mc_db *db, sqlite3_stmt *s, const char *what, GError **error)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		gint64 id = sqlite3_column_int64(s, 0);
		g_array_append_val(ids, id);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, what);
		return NULL;
	}
	return g_steal_pointer(&ids);
}

/* The best KEEP hits by date (CMP), in a heap whose root is the worst of
 * them. */
struct best_dated {
	GArray *best; /* struct dated */
	gint64 keep;
	GCompareFunc cmp;
};

static struct best_dated
best_dated_init(gboolean oldest, gint64 limit, gint64 offset)
{
	return (struct best_dated){
		.best = g_array_new(FALSE, FALSE, sizeof(struct dated)),
		.keep = limit < 0 || limit > G_MAXINT64 - offset ? G_MAXINT64 : limit + offset,
		.cmp = oldest ? dated_cmp_oldest : dated_cmp_newest,
	};
}

static void
best_dated_add(struct best_dated *b, gint64 id, gint64 date)
{
	struct dated h = { .id = id, .date = date };
	GCompareFunc cmp = b->cmp;
	if ((gint64)b->best->len < b->keep) {
		/* Sift up: the root stays the worst kept. */
		g_array_append_val(b->best, h);
		struct dated *v = (struct dated *)b->best->data;
		for (guint i = b->best->len - 1; i > 0;) {
			guint parent = (i - 1) / 2;
			if (cmp(&v[parent], &v[i]) >= 0)
				break;
			struct dated t = v[parent];
			v[parent] = v[i];
			v[i] = t;
			i = parent;
		}
	} else if (b->keep > 0 && cmp(&h, &g_array_index(b->best, struct dated, 0)) < 0) {
		/* Better than the worst kept: replace the root, sift down. */
		struct dated *v = (struct dated *)b->best->data;
		v[0] = h;
		for (guint i = 0;;) {
			guint l = 2 * i + 1, r = l + 1, worst = i;
			if (l < b->best->len && cmp(&v[l], &v[worst]) > 0)
				worst = l;
			if (r < b->best->len && cmp(&v[r], &v[worst]) > 0)
				worst = r;
			if (worst == i)
				break;
			struct dated t = v[worst];
			v[worst] = v[i];
			v[i] = t;
			i = worst;
		}
	}
}

/* Dates the N ids of HITS (as dates_get_sorted() takes them) in MAP and
 * adds them to B. */
static gboolean
best_dated_add_hits(struct best_dated *b, struct dates *map, const gint64 *hits, gsize n,
                    GError **error)
{
	g_autofree gint64 *hit_dates = g_new(gint64, MAX(n, 1));
	if (!dates_get_sorted(map, hits, hit_dates, n, error))
		return FALSE;
	for (gsize k = 0; k < n; k++)
		best_dated_add(b, hits[k], hit_dates[k]);
	return TRUE;
}

/* The ids B keeps, best first, past the first OFFSET; frees B's heap. */
static GArray *
best_dated_page(struct best_dated *b, gint64 offset)
{
	g_autoptr(GArray) best = g_steal_pointer(&b->best);
	g_array_sort(best, b->cmp);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = (guint)MIN(offset, (gint64)best->len); i < best->len; i++)
		g_array_append_val(ids, g_array_index(best, struct dated, i).id);
	return ids;
}

/* HITS (ids in ascending order), newest (or oldest) first, their dates
 * looked up in the date map (index/dates.h). With a LIMIT only the best
 * LIMIT+OFFSET are kept. */
static GArray *
page_by_date(struct mc_db *db, GArray *hits, gboolean oldest, gint64 limit, gint64 offset,
             GError **error)
{
	struct best_dated b = best_dated_init(oldest, limit, offset);
	g_autoptr(dates) map = dates_new(db);
	if (!best_dated_add_hits(&b, map, (const gint64 *)hits->data, hits->len, error)) {
		g_array_unref(b.best);
		return NULL;
	}
	return best_dated_page(&b, offset);
}

/* The highest message id in the index (0 when it has none) into *ID; FALSE
 * and ERROR when it cannot be read. The walk's sample, ranking's split and
 * fts_page_newest()'s date map are sized by it. */
static gboolean
newest_id(struct mc_db *db, gint64 *id, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "SELECT max(id) FROM messages", error);
	if (!s)
		return FALSE;
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		return db_set_error(error, db, "reading the newest message id");
	*id = sqlite3_column_int64(s, 0);
	return TRUE;
}

/* The hits of the MATCH expression FTS that TEST passes (a statement
 * whose ?1 is a message id and that returns a row for a match; every hit
 * when NULL), newest first, read from the highest id down a chunk of the
 * date map at a time, until no lower chunk holds a message newer than the
 * worst kept (dates_newest_upto()): where mail was added roughly in date
 * order, as an archive grows, the page is in the last chunks ("final
 * invoice" at a million messages, 1,224 hits: 40 ms to read them all,
 * their words' positions through ten years of mail). Where it was not,
 * every hit is read, as collecting them does. */
static GArray *
fts_page_newest(struct mc_db *db, const char *fts, sqlite3_stmt *test, gint64 limit, gint64 offset,
                gint64 budget_us, gboolean *gave_up, GError **error)
{
	*gave_up = FALSE;
	gint64 deadline = budget_us > 0 ? g_get_monotonic_time() + budget_us : G_MAXINT64;
	gint64 last_id;
	if (!newest_id(db, &last_id, error))
		return NULL;
	gsize chunks;
	g_autofree gint64 *upto = dates_newest_upto(db, last_id, &chunks, error);
	if (!upto)
		return NULL;
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC", error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, fts);
	g_autoptr(dates) map = dates_new(db);
	struct best_dated b = best_dated_init(FALSE, limit, offset);
	g_autoptr(GArray) chunk_hits = g_array_new(FALSE, FALSE, sizeof(gint64));
	gboolean failed = FALSE;
	int rc;
	do {
		rc = sqlite3_step(s);
		gint64 id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : G_MININT64;
		gint64 chunk = rc == SQLITE_ROW ? id / DATES_CHUNK : -1;
		if (chunk_hits->len > 0 &&
		    chunk != g_array_index(chunk_hits, gint64, 0) / DATES_CHUNK) {
			/* One chunk's hits, which the date map takes in any order. */
			gint64 *v = (gint64 *)chunk_hits->data;
			guint n = chunk_hits->len;
			if (test) {
				n = 0;
				for (guint k = 0; k < chunk_hits->len && !failed; k++) {
					sqlite3_bind_int64(test, 1, v[k]);
					int t = sqlite3_step(test);
					if (t == SQLITE_ROW)
						v[n++] = v[k];
					else if (t != SQLITE_DONE)
						failed = !db_set_error(error, db, "searching");
					sqlite3_reset(test);
					if (!failed && deadline < G_MAXINT64 && k % 16 == 15 &&
					    g_get_monotonic_time() > deadline)
						*gave_up = failed = TRUE;
				}
			}
			failed = failed || !best_dated_add_hits(&b, map, v, n, error);
			g_array_set_size(chunk_hits, 0);
			/* The rest are in lower chunks; those dated as late as the
			 * worst kept sort after it, having lower ids. */
			if (!failed && (gint64)b.best->len == b.keep && chunk >= 0 &&
			    (gsize)chunk < chunks &&
			    g_array_index(b.best, struct dated, 0).date >= upto[chunk])
				break;
		}
		if (rc == SQLITE_ROW)
			g_array_append_val(chunk_hits, id);
		/* Out of its budget: the caller takes another way. (The clock
		 * is read every 64 hits: on a VM a read may cost a microsecond.) */
		if (!failed && rc == SQLITE_ROW && deadline < G_MAXINT64 &&
		    chunk_hits->len % 64 == 0 && g_get_monotonic_time() > deadline) {
			*gave_up = failed = TRUE;
			break;
		}
	} while (rc == SQLITE_ROW && !failed);
	if (!failed && rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_set_error(error, db, "searching");
		failed = TRUE;
	}
	if (failed) {
		g_array_unref(b.best);
		return NULL;
	}
	return best_dated_page(&b, offset);
}

/* The hits of the MATCH expression FTS, newest (or oldest) first. */
static GArray *
search_ids_fts(struct mc_db *db, const char *fts, gboolean oldest, gint64 limit, gint64 offset,
               GError **error)
{
	gboolean gave_up;
	if (!oldest && limit > 0)
		return fts_page_newest(db, fts, NULL, limit, offset, 0, &gave_up, error);
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid", error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, fts);
	g_autoptr(GArray) hits = collect_ids(db, s, "searching", error);
	return hits ? page_by_date(db, hits, oldest, limit, offset, error) : NULL;
}

/* What collecting every hit costs, per hit, as the probing walk below
 * weighs itself against it (measured on the bench corpus at 20,000 and
 * 250,000 messages): the full-text path reads about two million of a common
 * word's hits a second, with their dates; SQL's IN and sort take about
 * 2 us a hit. */
#define SET_COST_PER_FTS_HIT_US 0.6
#define SET_COST_PER_SQL_HIT_US 2.0
/* Words alone, no phrase and no column (query_fts_plain()), cost less: at
 * a million messages 0.12-0.3 us a hit with their dates (2019, 5.5 % of
 * them: 7 ms; thanks, 56 %: 70 ms), where a phrase's set reads its words'
 * positions for every row (from:globex.example, 6 %: 1 us a hit). At 0.6
 * a word in 5 % of the mail was walked, and where it is old mail the walk
 * found nothing until it gave up (2019: 10 -> 30 ms). */
#define SET_COST_PER_WORD_HIT_US 0.2
/* A full-text test of one message costs about this much (FTS5 looks the
 * word up in each of its segments), before the walk has measured its own:
 * 5-15 us at 20,000 messages, 12-37 us at a million (a word, a phrase,
 * a column), a few segments each. 150 us, from before the segments were
 * merged after each ingest, had a million messages collect 150,000 hits
 * (76 ms) where 20 were found in 10 ms. */
#define FTS_TEST_US 40.0
/* The ids whose hits are counted to guess how common a word is, in
 * SAMPLE_RANGES ranges spread over all ids. */
#define SAMPLE_IDS    2048
#define SAMPLE_RANGES 16
/* Messages tested, spread over all ids, to guess how many a query with
 * other terms matches: the newest alone would say nothing of a client
 * whose mail stopped a year ago. */
#define SAMPLE_TESTS 64
/* A set of fewer ids than this is collected, never walked: at 2 us a hit
 * that is 4 ms at most, where a walk for a page of 20 of them in a million
 * messages would test 10,000. */
#define SMALL_SET 2048
/* A walk of all the mail expected to cost more than SET_WALK_FROM_US
 * (tests of SQL_TEST_US, or FTS_TEST_US with words) first tries the ids of
 * a set of no more than SET_WALK_MAX in date order (search_ids_set_walk()):
 * collected and dated, about 2 us an id at a million messages on a machine
 * whose page faults cost 10 us (1 us where they cost less; taken when that,
 * the count of a set whose size is not kept, SET_COUNT_ID_US an id, and the
 * tests it expects cost less than the walk), then tested
 * until the page is full, for SET_WALK_BUDGET_US at most, and given up when
 * the first SET_WALK_EMPTY tested have no hit. */
#define SQL_TEST_US        5.0
#define SET_WALK_FROM_US   10000.0
#define SET_WALK_MAX       32768
#define SET_WALK_BUDGET_US 20000
#define SET_WALK_EMPTY     256
#define SET_WALK_ID_US     2.0
/* ...and this much more an id when the set has fewer than DATES_SPARSE ids
 * a chunk of DATES_CHUNK on average, each dated by a lookup of its own
 * (cc:@globex.example at a million messages, 3,744 ids: 20 us an id, the
 * set walk 101 ms where the walk of all the mail took 44). */
#define SET_WALK_SPARSE_ID_US 15.0
#define SET_WALK_PROJECTED    4.0
#define SET_COUNT_ID_US       0.3
/* What those tests (or the counts of words alone) may take, all together,
 * before the walk is given up unwalked: they take 1-8 ms at a million
 * messages, with the index's pages still to be read. A phrase tested at
 * one message costs FTS5 a scan from there to the next message that holds
 * it (its xFilter() skips on through rows with the words but not the
 * phrase, past the rowid asked for), so a phrase of common words that is
 * rare takes milliseconds a test; the sample of a million messages for
 * one found nowhere took a second, where collecting its set took 50 ms. */
#define SAMPLE_BUDGET_US 20000
/* The counts of words alone in their SAMPLE_RANGES ranges take 0.3-1 ms
 * at a million messages, but a column's or a phrase's that is rare scans
 * each on to the next row that holds it (cc:user, no hit: the whole list
 * of "user" for each range, 20 ms); past this the set is collected. */
#define SPREAD_BUDGET_US 4000
/* When counting a word's set runs out of that budget, the join costed
 * for the other sets past which the page is looked for among the word's
 * hits instead (each tested with the probe form, 100 us a test for a
 * phrase). */
#define SLOW_SET_OTHERS_US 100000.0
/* A phrase's set is read newest first, each hit tested, for this long
 * before it is counted instead (small_set()): a phrase of common words
 * with a sender or a client finds its page in a few milliseconds at a
 * million messages where counting the phrase's hits took 20 (and ran out
 * of its budget); with a sender that stopped writing years ago it finds
 * nothing in it. */
#define WORDS_PAGE_BUDGET_US 10000
/* An OR at the top is walked whole this long at most, its sample included;
 * then each branch finds its own page (search_ids_or()): a walk of the
 * whole is quicker where its hits are common enough, and tests its way
 * through every message where one branch's hits are far apart
 * (`date:2016 OR date:2022 quasarwing` at a million: 297 ms). */
#define OR_WALK_BUDGET_US 6000
/* What the join a walk falls back on costs (the SQL of search_ids()'s
 * end): SQLite reads each set every match is in whole, whatever the
 * matches, a word's hits at JOIN_WORD_HIT_US, another set's ids at
 * JOIN_SET_ID_US; with no such set it tests every message, at
 * JOIN_SCAN_ID_US. At a million messages: from:@acme.example invoice,
 * 26,990 and 382,187 ids for 10,350 matches, 280 ms; address:@globex.example,
 * 38,430, 133 ms; NOT meeting NOT website, 260 ms. Counting a set costs a
 * seventh of that, a word's guessed from a few ranges a millisecond: the
 * join is costed (join_cost()) only when the walk is about to give up, the
 * counts within JOIN_COUNT_SHARE of what they may save. Then the
 * walk goes on for WALK_TRY_SHARE of the join's cost before it judges
 * again: its guess of how far the hits are is from 64 tests spread over all
 * the mail and its own first few, where the newest mail may have more
 * (address:@globex.example at a million: none in the 64, 3.8 % of all the
 * mail, 20 hits in the newest 872), so a walk that was wrong costs the
 * join and a quarter as much again, or little more, at worst. */
#define JOIN_WORD_HIT_US 0.6
#define JOIN_SET_ID_US   2.0
#define JOIN_SCAN_ID_US  0.25
#define JOIN_COUNT_SHARE 0.25
#define WALK_TRY_SHARE   0.25
/* The join is costed as far as JOIN_REACH times what the rest of the walk
 * looked like costing, a count to learn it is dearer than that, and no
 * further than JOIN_COSTED_MAX_US. */
#define JOIN_REACH         2.0
#define JOIN_COSTED_MAX_US 2e6

/* Which way search_ids() takes, when the test hook MAILCLERK_TEST_SEARCH
 * says ("walk": walks to the end, never giving up; "set": never walks;
 * "sample-spent": the sample of a walk's density runs out of time at its
 * first check; "set-walk": a client's or project's set is walked in date
 * order whatever it costs; "set-walk-empty": so, but given up as soon as
 * its first test finds nothing; "walk-legs": walks to the end, stopped
 * after every third message tested and taken up again where it stopped;
 * "words-spent": the count of a word's set runs out of time at once, and
 * its hits are looked in whatever the other sets cost; "words-page-spent":
 * the read of a word's hits newest first runs out of time at once, and
 * they are counted; "or-split": an OR at the top is split into its
 * branches at once, "or-walk-spent": so, once its walk whole has run out of
 * time at its first check; left alone, an OR is split after that walk),
 * so that the tests see each gives the same
 * pages on mail small enough that it would always collect the set. */
enum search_path {
	PATH_CHOOSE,
	PATH_WALK,
	PATH_SET,
	PATH_SAMPLE_SPENT,
	PATH_SET_WALK,
	PATH_SET_WALK_EMPTY,
	PATH_WALK_LEGS,
	PATH_WORDS_SPENT,
	PATH_WORDS_PAGE_SPENT,
	PATH_OR_SPLIT,
	PATH_OR_WALK_SPENT
};

static enum search_path
search_path_forced(void)
{
#ifdef MC_TEST_HOOKS
	static const struct {
		const char *name;
		enum search_path path;
	} forced[] = {
		{ "walk", PATH_WALK },
		{ "set", PATH_SET },
		{ "sample-spent", PATH_SAMPLE_SPENT },
		{ "set-walk", PATH_SET_WALK },
		{ "set-walk-empty", PATH_SET_WALK_EMPTY },
		{ "walk-legs", PATH_WALK_LEGS },
		{ "words-spent", PATH_WORDS_SPENT },
		{ "words-page-spent", PATH_WORDS_PAGE_SPENT },
		{ "or-split", PATH_OR_SPLIT },
		{ "or-walk-spent", PATH_OR_WALK_SPENT },
	};
	const char *name = g_getenv("MAILCLERK_TEST_SEARCH");
	if (name == NULL || *name == '\0')
		return PATH_CHOOSE;
	for (gsize i = 0; i < G_N_ELEMENTS(forced); i++)
		if (strcmp(name, forced[i].name) == 0)
			return forced[i].path;
	/* A misspelt path would test the default one and pass: stop instead. */
	g_error("MAILCLERK_TEST_SEARCH=%s names no search path", name);
#endif
	return PATH_CHOOSE;
}

/* Whether the test hook MAILCLERK_TEST_PREFIX=keep says to search for
 * prefixes as they are, not written out as their words, so that the tests
 * see both give the same pages. */
static gboolean
prefixes_kept(void)
{
#ifdef MC_TEST_HOOKS
	return g_strcmp0(g_getenv("MAILCLERK_TEST_PREFIX"), "keep") == 0;
#else
	return FALSE;
#endif
}

/* Points *Q at *WRITTEN_OUT, *Q with its prefixes written out as the
 * index's words (query_expand_prefixes()), when it has any that could be;
 * else leaves it. FALSE and ERROR when the index could not be read. */
static gboolean
prefixes_written_out(struct mc_db *db, const struct query **q, struct query **written_out,
                     GError **error)
{
	if (!query_has_prefix(*q) || prefixes_kept())
		return TRUE;
	if (!query_expand_prefixes(*q, db, written_out, error))
		return FALSE;
	if (*written_out)
		*q = *written_out;
	return TRUE;
}

/* The state of a probing walk, for its progress handler and mc_probe_tick(). */
struct probe_walk {
	gint64 started;      /* g_get_monotonic_time(), of the sample or the walk */
	gint64 leg_started;  /* g_get_monotonic_time(), of this leg of the walk */
	gint64 walked_us;    /* the time of the legs before it */
	gint64 candidates;   /* messages tested so far */
	gint64 hits;         /* of them matching */
	gint64 need;         /* LIMIT + OFFSET */
	gint64 offset;       /* OFFSET */
	gint64 messages;     /* how many there are (the largest id) */
	double set_cost;     /* SET_COST_PER_*_HIT_US of the path it would give up for */
	double set_density;  /* sampled: of all messages, how many the set has */
	gboolean forced;     /* MAILCLERK_TEST_SEARCH=walk or walk-legs */
	gboolean legs;       /* MAILCLERK_TEST_SEARCH=walk-legs */
	gint64 leg_from;     /* CANDIDATES when this leg of the walk began */
	gboolean oldest;     /* the walk's order: oldest first */
	gint64 at_date;      /* the message tested last, where the walk takes up */
	gint64 at_id;        /*   again after it stopped */
	double rest_us;      /* what the walk expected the rest to cost, at its last check */
	double join_us;      /* what the join costs at least (join_cost()), once counted */
	double sample_hits;  /* the sample of the density: its hits + 0.5 */
	double sample_tests; /*   and its tests + 1 */
	gint64
	    sample_us; /* SPREAD_ or SAMPLE_BUDGET_US; 0 with MAILCLERK_TEST_SEARCH=sample-spent */
	gint64 deadline; /* monotonic time the walk gives up at, sample included; 0: none */
};

/* mc_probe_tick(WALK, DATE, ID): counts the message tested and keeps its
 * place (only forward in the walk's order: a message SQLite looks at
 * before it applies the bound of the place a leg starts from is not one
 * the walk tests). */
static void
probe_tick(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct probe_walk *w = sqlite3_value_pointer(argv[0], "mc_probe_walk");
	if (w) {
		gint64 date = sqlite3_value_int64(argv[1]), id = sqlite3_value_int64(argv[2]);
		gboolean before = date < w->at_date || (date == w->at_date && id < w->at_id);
		gboolean after = date > w->at_date || (date == w->at_date && id > w->at_id);
		if (w->oldest ? after : before) {
			w->at_date = date;
			w->at_id = id;
		}
		w->candidates++;
	}
	sqlite3_result_int(ctx, 1);
}

/* Stops the walk (non-zero) once testing on is expected to cost more than
 * collecting the whole set, or has cost as much (so that a walk that was
 * wrong costs twice the set at worst). The density ahead is what the walk
 * has seen, with the sampled density counted as NEED hits in as many tests
 * as it takes to find them: a client whose newest mail is a month older than
 * the rest is walked past, one whose mail stopped years ago is not. */
static int
probe_give_up(void *data)
{
	struct probe_walk *w = data;
	if (w->legs)
		return w->candidates - w->leg_from >= 3;
	if (w->forced)
		return 0;
	if (w->deadline && g_get_monotonic_time() >= w->deadline)
		return 1;
	double spent = (double)(w->walked_us + g_get_monotonic_time() - w->leg_started);
	/* The first tests read the index cold: judge on a millisecond at least. */
	if (w->candidates < 16 || spent < 1000 || spent < w->join_us * WALK_TRY_SHARE)
		return 0;
	double whole_set = MAX(w->set_cost * w->set_density * (double)w->messages, w->join_us);
	double per_test = spent / (double)w->candidates;
	/* Once the join is costed and the walk has had its try, the sample
	 * counts for what it was, a few dozen tests, and the walk's own for
	 * the rest: a query with one match in a million (NOT website
	 * (from:@vendor4579.example OR website)) stops after 5,000 tests of
	 * none rather than 7,700. */
	double prior_hits = w->join_us > 0 ? w->sample_hits : (double)w->need;
	double prior_tests =
	    w->join_us > 0 ? w->sample_tests : (double)w->need / MAX(w->set_density, 1e-9);
	double density = ((double)w->hits + prior_hits) / ((double)w->candidates + prior_tests);
	double walk_rest = per_test * (double)(w->need - w->hits) / density;
	w->rest_us = walk_rest;
	return walk_rest > whole_set || spent > whole_set;
}

/* Stops the sample of a walk's density (non-zero) once it has taken its
 * time (W->sample_us); the search then collects the set. */
static int
sample_give_up(void *data)
{
	const struct probe_walk *w = data;
	return !w->forced && g_get_monotonic_time() - w->started >= w->sample_us;
}

/* Steps S, a statement of the density sample, within W's budget (counted
 * from W->started): SQLITE_INTERRUPT when it ran out. */
static int
sample_step(struct mc_db *db, sqlite3_stmt *s, struct probe_walk *w)
{
	sqlite3_progress_handler(db->sql, 16, sample_give_up, w);
	int rc = sqlite3_step(s);
	sqlite3_progress_handler(db->sql, 0, NULL, NULL);
	return rc;
}

/* Whether the sample's step ended in RC without its row: *GAVE_UP when it
 * ran out of time, else ERROR. */
static gboolean
sample_failed(struct mc_db *db, int rc, gboolean *gave_up, GError **error)
{
	if (rc == SQLITE_INTERRUPT)
		*gave_up = TRUE;
	else if (rc != SQLITE_ROW)
		db_set_error(error, db, "searching");
	return rc != SQLITE_ROW;
}

/* Sets *COUNTED to the hits in SAMPLE_RANGES ranges of ids spread over
 * W's messages, the last ending at the newest, and *SAMPLED to the ids
 * they span (all of them when there are no more than SAMPLE_IDS), with C:
 * the words' count of hits between placeholders AT and AT + 1. Returns the
 * last step's result: SQLITE_ROW when every range was counted. */
static int
count_spread_hits(struct mc_db *db, sqlite3_stmt *c, int at, struct probe_walk *w, gint64 *counted,
                  gint64 *sampled)
{
	gint64 ranges = w->messages <= SAMPLE_IDS ? 1 : SAMPLE_RANGES;
	gint64 span = ranges == 1 ? w->messages : SAMPLE_IDS / SAMPLE_RANGES;
	int rc = SQLITE_ROW;
	for (gint64 i = 0; i < ranges && rc == SQLITE_ROW; i++) {
		gint64 last =
		    w->messages - (w->messages - span) * (ranges - 1 - i) / MAX(ranges - 1, 1);
		sqlite3_reset(c);
		sqlite3_bind_int64(c, at, last - span + 1);
		sqlite3_bind_int64(c, at + 1, last);
		rc = sample_step(db, c, w);
		if (rc == SQLITE_ROW) {
			*counted += sqlite3_column_int64(c, 0);
			*sampled += span;
		}
	}
	return rc;
}

/* Returns the statement that counts Q's set I (query_and_sets()) up to MOST
 * ids, its values bound; NULL and ERROR when it does not prepare. */
static sqlite3_stmt *
count_and_set_stmt(struct mc_db *db, const struct query *q, guint i, gint64 most, GError **error)
{
	g_autofree char *sql =
	    g_strdup_printf("SELECT count(*) FROM (%s LIMIT ?)", query_and_set_sql(q, i));
	sqlite3_stmt *s = db_prepare(db, sql, error);
	if (s)
		sqlite3_bind_int64(s, query_bind_and_set(q, i, s, 1), most);
	return s;
}

/* The page newest first of Q's matches among the hits of FTS, which every
 * match of Q is in, each tested with the probe form of Q (fts_page_newest():
 * within BUDGET_US when above 0, else *GAVE_UP). */
static GArray *
words_page_newest(struct mc_db *db, const struct query *q, const char *fts, gint64 limit,
                  gint64 offset, gint64 budget_us, gboolean *gave_up, GError **error)
{
	*gave_up = FALSE;
	g_autofree char *sql = g_strdup_printf("SELECT 1 FROM messages m WHERE m.id = ?1 AND (%s)",
	                                       query_probe_sql(q));
	g_autoptr(sqlite3_stmt) test = db_prepare(db, sql, error);
	if (!test)
		return NULL;
	query_bind(q, test, 2);
	return fts_page_newest(db, fts, test, limit, offset, budget_us, gave_up, error);
}

/* Sets *SMALL to 1 + the index of a set every match of Q is in
 * (query_and_sets()) that holds fewer than SMALL_SET ids, counting each
 * only that far, within W's sample budget; 0 when none does. The sets read
 * from an index of their own are counted first, then the words': a phrase
 * of common words that is rare is counted by reading its words' rows up to
 * each hit ("final invoice" at a million messages: 90 ms, where the three
 * messages of a domain took a millisecond). FALSE with *GAVE_UP when that
 * ran out, *SLOW then 1 + the index of the set of words it was counting (0
 * for another), or with ERROR. For a page newest first (of a LIMIT above
 * 0), a set of words alone with a phrase or a column, dear to count, is
 * first read from the newest ids down (words_page_newest()), for
 * WORDS_PAGE_BUDGET_US at most: *PAGE the page when that found it. Words
 * without are counted (a common word's count stops at SMALL_SET at once). */
static gboolean
small_set(struct mc_db *db, const struct query *q, struct probe_walk *w, guint *small, guint *slow,
          GArray **page, gboolean *gave_up, GError **error)
{
	*small = *slow = 0;
	*page = NULL;
	for (int words = 0; words < 2; words++)
		for (guint i = 0; i < query_and_sets(q) && !*small; i++) {
			if (query_and_set_words(q, i) != words)
				continue;
			gboolean phrasal;
			const char *fts = query_and_set_fts(q, i, &phrasal);
			if (words && fts && phrasal && !w->oldest && w->need > w->offset &&
			    search_path_forced() != PATH_WORDS_SPENT) {
				gboolean spent;
				gint64 budget = search_path_forced() == PATH_WORDS_PAGE_SPENT
				                    ? 1
				                    : WORDS_PAGE_BUDGET_US;
				*page = words_page_newest(db, q, fts, w->need - w->offset,
				                          w->offset, budget, &spent, error);
				if (*page || !spent)
					return *page != NULL;
			}
			g_autoptr(sqlite3_stmt) s = count_and_set_stmt(db, q, i, SMALL_SET, error);
			if (!s)
				return FALSE;
			gint64 budget = w->sample_us;
			if (words && search_path_forced() == PATH_WORDS_SPENT)
				w->sample_us = 0;
			int rc = sample_step(db, s, w);
			w->sample_us = budget;
			if (sample_failed(db, rc, gave_up, error)) {
				if (*gave_up && words)
					*slow = i + 1;
				return FALSE;
			}
			if (sqlite3_column_int64(s, 0) < SMALL_SET)
				*small = i + 1;
		}
	return TRUE;
}

/* The page of Q's matches, newest (or oldest) first, found among the ids of
 * its set I (query_and_sets()), each tested with the probe form of Q. */
static GArray *
search_ids_in_set(struct mc_db *db, const struct query *q, guint i, gboolean oldest, gint64 limit,
                  gint64 offset, GError **error)
{
	/* The hits of its words alone, newest first: read from the newest ids
	 * down, each tested, until no older id can hold a better one ("final
	 * invoice" from:@acme.example at a million messages read the phrase's
	 * hits twice, to count them and to join them: 60-80 ms). */
	gboolean phrasal, gave_up;
	const char *fts = query_and_set_fts(q, i, &phrasal);
	if (fts && !oldest && limit > 0)
		return words_page_newest(db, q, fts, limit, offset, 0, &gave_up, error);
	const char *dir = oldest ? "ASC" : "DESC";
	g_autofree char *sql = g_strdup_printf(
	    "SELECT m.id FROM messages m WHERE m.id IN (%s) AND (%s) ORDER BY m.date %s, m.id %s "
	    "LIMIT ? OFFSET ?",
	    query_and_set_sql(q, i), query_probe_sql(q), dir, dir);
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return NULL;
	int next = query_bind(q, s, query_bind_and_set(q, i, s, 1));
	sqlite3_bind_int64(s, next++, limit);
	sqlite3_bind_int64(s, next, offset);
	return collect_ids(db, s, "searching", error);
}

/* Returns how many ids Q's set I (query_and_sets()) holds, counted up to
 * MOST at most; -1 and ERROR on a database error. */
static gint64
count_and_set(struct mc_db *db, const struct query *q, guint i, gint64 most, GError **error)
{
	g_autoptr(sqlite3_stmt) s = count_and_set_stmt(db, q, i, most, error);
	if (!s)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		db_set_error(error, db, "searching");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

static gint id_cmp(gconstpointer a, gconstpointer b);
static gint64 filing_key_count(struct mc_db *db, const char *client, const char *project,
                               GError **error);

/* Sets *PAGE_OUT to the page of Q's matches, newest (or oldest) first,
 * found by testing the ids of the first of its sets (query_and_sets())
 * that is a client's or a project's with no more than SET_WALK_MAX
 * messages, in date order, until the page is full: a project with a common
 * word (17,297 messages, 10 % of them with it), where a walk of all the
 * mail tests a thousand for each hit. *PAGE_OUT is NULL when no set is
 * small enough to beat the walk (W, expected to take WALK_US with tests of
 * TEST_US), or the tests took SET_WALK_BUDGET_US or found nothing at first
 * (the walk goes on then). FALSE and ERROR on a database error. */
static gboolean
search_ids_set_walk(struct mc_db *db, const struct query *q, gboolean oldest, gint64 limit,
                    gint64 offset, const struct probe_walk *w, double walk_us, double test_us,
                    GArray **page_out, GError **error)
{
	*page_out = NULL;
	enum search_path path = search_path_forced();
	gboolean forced = path == PATH_SET_WALK || path == PATH_SET_WALK_EMPTY;
	g_autoptr(GArray) ids = NULL;
	/* The largest set whose walk could beat the walk of all the mail (the
	 * test below): N ids collected and the tests for the page, where the
	 * matches' density in the set is the sampled one over the share of the
	 * mail the set is (at most 1: a set no bigger than the matches). */
	double matches = w->set_density * (double)w->messages;
	const double id_us = SET_WALK_ID_US + SET_COUNT_ID_US;
	double most_us = MAX(walk_us / (id_us + test_us * (double)w->need / matches),
	                     MIN(matches, (walk_us - test_us * (double)w->need) / id_us));
	gint64 most = forced ? SET_WALK_MAX : (gint64)CLAMP(most_us, 0.0, (double)SET_WALK_MAX);
	/* What the tests of the set taken are expected to cost. */
	double tests_us = 0.0;
	for (guint i = 0; i < query_and_sets(q) && !ids; i++) {
		/* A client's or a project's set has the size the writer keeps;
		 * another read by seeking an index (a sender, a domain, a union
		 * of such) is counted, only as far as MOST: counting is a fifth
		 * of collecting, and a set too big to walk is not collected to
		 * learn so (a big client with a word at a million: 7 ms more,
		 * when it was). Not a word's hits: FTS5 counts them at the cost
		 * of reading their rows, a waste when they are many (client:acme
		 * invoice at a million: 43 -> 52 ms). */
		const char *client, *project;
		gint64 n;
		if (query_and_set_key(q, i, &client, &project))
			n = filing_key_count(db, client, project ? project : "", error);
		else if (most < SMALL_SET || query_and_set_words(q, i))
			continue;
		else
			n = count_and_set(db, q, i, most + 1, error);
		if (n < 0)
			return FALSE;
		double in_set = MIN(1.0, matches / (double)MAX(n, 1));
		double per_id = client ? SET_WALK_ID_US : id_us;
		if ((double)n * DATES_CHUNK < (double)DATES_SPARSE * (double)w->messages)
			per_id += SET_WALK_SPARSE_ID_US;
		tests_us = test_us * (double)w->need / in_set;
		if (n > SET_WALK_MAX || (!forced && per_id * (double)n + tests_us > walk_us))
			continue;
		g_autofree char *sql =
		    g_strdup_printf("SELECT DISTINCT * FROM (%s)", query_and_set_sql(q, i));
		g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
		if (!s)
			return FALSE;
		query_bind_and_set(q, i, s, 1);
		ids = collect_ids(db, s, "searching", error);
		if (!ids)
			return FALSE;
	}
	if (!ids)
		return TRUE;
	g_array_sort(ids, id_cmp);
	/* All of them in date order: the page is the first LIMIT + OFFSET that
	 * match. */
	g_autoptr(GArray) in_order = page_by_date(db, ids, oldest, -1, 0, error);
	if (!in_order)
		return FALSE;
	g_autofree char *sql =
	    g_strdup_printf("SELECT 1 FROM messages m WHERE m.id = ? AND (%s)", query_probe_sql(q));
	g_autoptr(sqlite3_stmt) test = db_prepare(db, sql, error);
	if (!test)
		return FALSE;
	query_bind(q, test, 2);
	g_autoptr(GArray) page = g_array_new(FALSE, FALSE, sizeof(gint64));
	guint empty = path == PATH_SET_WALK_EMPTY ? 1 : SET_WALK_EMPTY;
	/* Given up past its budget (or twice the tests it was taken for) when
	 * the page at the rate of its hits so far would take SET_WALK_PROJECTED
	 * times that: to:@initech.example weber at a million messages found 16
	 * of 20 in 767 tests, 21 ms, and was given up for a walk and a join
	 * (230 ms). */
	double budget = MAX((double)SET_WALK_BUDGET_US, 2.0 * tests_us);
	gint64 started = g_get_monotonic_time(), hits = 0;
	for (guint k = 0; k < in_order->len && hits < limit + offset; k++) {
		gint64 id = g_array_index(in_order, gint64, k);
		sqlite3_reset(test);
		sqlite3_bind_int64(test, 1, id);
		int rc = sqlite3_step(test);
		if (rc == SQLITE_ROW) {
			if (hits++ >= offset)
				g_array_append_val(page, id);
		} else if (rc != SQLITE_DONE) {
			return db_set_error(error, db, "searching");
		}
		/* Nothing in the newest (or oldest) of the set (a date range of
		 * years ago), or the time spent: collect instead. */
		if (k + 1 == empty && hits == 0)
			return TRUE;
		if ((k & 63) == 63) {
			double spent = (double)(g_get_monotonic_time() - started);
			if (spent > budget &&
			    spent * (double)(limit + offset) / ((double)hits + 0.5) >
			        SET_WALK_PROJECTED * budget)
				return TRUE;
		}
	}
	*page_out = g_steal_pointer(&page);
	return TRUE;
}

/* Sets *COST to what the join search_ids() falls back on from a walk of
 * Q's MESSAGES costs at least, when that is less than REACH (us): each of
 * the sets every match is in read whole (query_and_sets()), or with none
 * every message tested; REACH or more when it is not less. A word's hits
 * are guessed from their count in ranges of ids spread over all of them
 * (as a search of words alone guesses), another set counted, no further
 * than REACH's worth; not set SKIP - 1 (none when SKIP is 0). The counts
 * take JOIN_COUNT_SHARE of REACH at most: a set slower to count than that
 * is dearer to read too. FALSE and ERROR on a database error. */
static gboolean
join_cost(struct mc_db *db, const struct query *q, gint64 messages, double reach, guint skip,
          double *cost, GError **error)
{
	guint sets = query_and_sets(q);
	*cost = sets ? 0.0 : JOIN_SCAN_ID_US * (double)messages;
	struct probe_walk budget = { .started = g_get_monotonic_time(),
		                     .messages = messages,
		                     .sample_us = (gint64)(reach * JOIN_COUNT_SHARE) };
	/* The words' first: their guess costs a millisecond whatever their
	 * number of hits. */
	for (int words = 1; words >= 0; words--)
		for (guint i = 0; i < sets && *cost < reach; i++) {
			if (query_and_set_words(q, i) != words || i + 1 == skip)
				continue;
			double per_id = words ? JOIN_WORD_HIT_US : JOIN_SET_ID_US;
			const char *client, *project;
			gint64 n, counted = 0, sampled = 0;
			int rc = SQLITE_ROW;
			if (query_and_set_key(q, i, &client, &project)) {
				n = filing_key_count(db, client, project ? project : "", error);
				if (n < 0)
					return FALSE;
			} else if (words) {
				g_autofree char *sql =
				    g_strdup_printf("WITH s(id) AS (%s) SELECT count(*) FROM s "
				                    "WHERE id BETWEEN ? AND ?",
				                    query_and_set_sql(q, i));
				g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
				if (!s)
					return FALSE;
				int at = query_bind_and_set(q, i, s, 1);
				rc = count_spread_hits(db, s, at, &budget, &counted, &sampled);
				n = (gint64)((double)counted * (double)messages /
				             (double)MAX(sampled, 1));
			} else {
				gint64 most =
				    (gint64)MIN((reach - *cost) / per_id + 1.0, (double)G_MAXINT32);
				g_autoptr(sqlite3_stmt) s =
				    count_and_set_stmt(db, q, i, most, error);
				if (!s)
					return FALSE;
				rc = sample_step(db, s, &budget);
				n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
			}
			gboolean spent = FALSE;
			if (sample_failed(db, rc, &spent, error)) {
				if (!spent)
					return FALSE;
				*cost = MAX(*cost, reach);
				return TRUE;
			}
			*cost += per_id * (double)n;
		}
	return TRUE;
}

/* Newest (or oldest) first, LIMIT + OFFSET hits: walks the messages in date
 * order and tests each with the probe form of Q (query_probe_sql()),
 * stopping at the last hit it needs. A word in half the messages takes
 * about forty tests for a page of twenty, where collecting its hits would
 * read half the index; a rare word would take a test of every message, so
 * the walk gives up as soon as it looks dearer than the set. Returns the ids,
 * or NULL with *GAVE_UP (no error) when it gave up, or NULL and ERROR. */
static GArray *
search_ids_walk(struct mc_db *db, const struct query *q, gboolean oldest, gint64 limit,
                gint64 offset, gint64 budget_us, gboolean *gave_up, GError **error)
{
	*gave_up = FALSE;
	if (sqlite3_create_function(db->sql, "mc_probe_tick", 3, SQLITE_UTF8, NULL, probe_tick,
	                            NULL, NULL) != SQLITE_OK) {
		db_set_error(error, db, "searching");
		return NULL;
	}
	gint64 messages;
	if (!newest_id(db, &messages, error))
		return NULL;
	enum search_path path = search_path_forced();
	struct probe_walk w = {
		.need = limit + offset,
		.offset = offset,
		.messages = messages,
		.set_cost = !query_fts_only(q)   ? SET_COST_PER_SQL_HIT_US
		            : query_fts_plain(q) ? SET_COST_PER_WORD_HIT_US
		                                 : SET_COST_PER_FTS_HIT_US,
		.forced = path == PATH_WALK || path == PATH_WALK_LEGS,
		.legs = path == PATH_WALK_LEGS,
		.oldest = oldest,
		.sample_us = path == PATH_SAMPLE_SPENT ? 0
		             : query_fts_only(q)       ? SPREAD_BUDGET_US
		                                       : SAMPLE_BUDGET_US,
	};
	double density;
	w.started = g_get_monotonic_time(); /* the sample's budget runs from here */
	if (budget_us > 0) {
		w.deadline = w.started + budget_us;
		w.sample_us = MIN(w.sample_us, budget_us);
	}
	if (query_fts_only(q)) {
		/* Words alone: their hits in a few ranges of ids spread over all
		 * of them are cheap to count (FTS5 seeks a rowid range) and say
		 * how many there are in all, and so whether a walk of tests can
		 * beat collecting them. Not the newest ids alone: they are the
		 * folder read last, and a client's mail that is 3 % of a million
		 * messages counted none there. */
		g_autoptr(sqlite3_stmt) c = db_prepare(
		    db, "SELECT count(*) FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?",
		    error);
		if (!c)
			return NULL;
		db_bind_text(c, 1, query_fts_only(q));
		gint64 counted = 0, sampled = 0;
		if (sample_failed(db, count_spread_hits(db, c, 2, &w, &counted, &sampled), gave_up,
		                  error))
			return NULL;
		density = ((double)counted + 0.5) / (double)(sampled + 1);
		if (!w.forced && (sampled >= w.messages || FTS_TEST_US * (double)w.need / density >
		                                               w.set_cost * density * w.messages)) {
			*gave_up = TRUE;
			return NULL;
		}
	} else {
		/* A set every match is in with few ids (from: a rare sender) is
		 * where they are looked for, each tested, not walked: the sample
		 * below would find none of it and guess it as common as one in
		 * 130 (at a million messages, a walk of 15 ms before giving up
		 * for a set of 202), and the set of the rest may be large (with a
		 * word in half of the mail: 190 ms). */
		gboolean set_walk = path == PATH_SET_WALK || path == PATH_SET_WALK_EMPTY;
		guint small = 0, slow = 0;
		g_autoptr(GArray) page = NULL;
		if (!w.forced && !set_walk &&
		    !small_set(db, q, &w, &small, &slow, &page, gave_up, error)) {
			/* A word's set slow to count (a phrase of common words that
			 * is rare: FTS5 reads its words' rows to find each hit),
			 * the other sets too big to look in: the join reads them
			 * all whole, which is dear when they are very big
			 * (address:@example "final invoice" at a million messages:
			 * 2,100,000 addresses, 934 ms), and the phrase's hits are
			 * looked in instead, each tested (230 ms; to:@glob* "final
			 * invoice", 11,884 messages of the domains, is joined in 72
			 * ms, where that takes 227). MAILCLERK_TEST_SEARCH=words-spent
			 * looks in them whatever the others cost. */
			if (!slow)
				return NULL;
			double others = SLOW_SET_OTHERS_US;
			if (path != PATH_WORDS_SPENT &&
			    !join_cost(db, q, w.messages, SLOW_SET_OTHERS_US, slow, &others,
			               error)) {
				*gave_up = FALSE;
				return NULL;
			}
			if (others < SLOW_SET_OTHERS_US)
				return NULL;
			*gave_up = FALSE;
			small = slow;
		}
		if (page)
			return g_steal_pointer(&page);
		if (small)
			return search_ids_in_set(db, q, small - 1, oldest, limit, offset, error);
		/* Other terms: SAMPLE_TESTS messages spread over the ids, in one
		 * statement. */
		GString *sample = g_string_new(NULL);
		g_string_append_printf(sample,
		                       "SELECT count(*), total(CASE WHEN (%s) THEN 1 ELSE 0 END) "
		                       "FROM messages m WHERE m.id IN (",
		                       query_probe_sql(q));
		for (int i = 0; i < SAMPLE_TESTS; i++)
			g_string_append_printf(sample, "%s%" G_GINT64_FORMAT, i ? "," : "",
			                       1 + (w.messages * (2 * i + 1)) / (2 * SAMPLE_TESTS));
		g_string_append_c(sample, ')');
		g_autofree char *sample_sql = g_string_free(sample, FALSE);
		g_autoptr(sqlite3_stmt) t = db_prepare(db, sample_sql, error);
		if (!t)
			return NULL;
		query_bind(q, t, 1);
		if (sample_failed(db, sample_step(db, t, &w), gave_up, error))
			return NULL;
		gint64 tested = sqlite3_column_int64(t, 0);
		double matched = sqlite3_column_double(t, 1);
		density = (matched + 0.5) / (double)(tested + 1);
		w.sample_hits = matched + 0.5;
		w.sample_tests = (double)(tested + 1);
		/* A walk of all the mail that looks long: first the ids of a set
		 * of its matches that is not too big, in date order. */
		double test_us = query_fts_and(q) ? FTS_TEST_US : SQL_TEST_US;
		double walk_us = test_us * (double)w.need / density;
		w.set_density = density;
		if (!w.forced && (walk_us > SET_WALK_FROM_US || set_walk)) {
			GArray *ids = NULL;
			if (!search_ids_set_walk(db, q, oldest, limit, offset, &w, walk_us, test_us,
			                         &ids, error))
				return NULL;
			if (ids)
				return ids;
		}
	}
	w.set_density = density;
	/* In legs, each from the place the last stopped: where the walk is
	 * about to give up on its guess of the join's cost, the join is
	 * costed (join_cost()) and the walk taken up again when that is
	 * dearer than the rest of the walk looks, or than it has been
	 * (address:@globex.example at a million messages: 133 -> 50 ms). */
	/* A date: term bounds the walk: it starts at one end of its range
	 * and stops at the other, where every message before and after
	 * fails it (date:2016 invoice at a million messages walked down
	 * from 2024 through 800,000 messages: 85 ms). */
	const char *dir = oldest ? "ASC" : "DESC";
	gint64 date_from, date_until;
	query_date_bounds(q, &date_from, &date_until);
	g_autofree char *sql = g_strdup_printf(
	    "SELECT m.id FROM messages m WHERE (m.date, m.id) %s (?, ?) AND m.date %s ? AND "
	    "mc_probe_tick(?, m.date, m.id) AND (%s) ORDER BY m.date %s, m.id %s LIMIT ?",
	    oldest ? ">=" : "<=", oldest ? "<" : ">=", query_probe_sql(q), dir, dir);
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return NULL;
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	w.at_date = w.at_id = oldest ? G_MININT64 : G_MAXINT64;
	if (oldest)
		w.at_date = date_from;
	else if (date_until < G_MAXINT64)
		w.at_date = date_until - 1;
	gint64 last_hit = 0;
	gboolean costed = FALSE;
	for (;;) {
		/* The place is taken up inclusive (its message may not have been
		 * tested to the end), so its message may come again: a hit
		 * already kept is not kept twice. */
		gint64 again = w.hits ? last_hit : 0;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, w.at_date);
		sqlite3_bind_int64(s, 2, w.at_id);
		sqlite3_bind_int64(s, 3, oldest ? date_until : date_from);
		sqlite3_bind_pointer(s, 4, &w, "mc_probe_walk", NULL);
		int next = query_bind(q, s, 5);
		sqlite3_bind_int64(s, next, w.need - w.hits + (again ? 1 : 0));
		w.leg_from = w.candidates;
		w.leg_started = g_get_monotonic_time();
		/* Every 64 virtual machine steps: a test takes a few dozen. */
		sqlite3_progress_handler(db->sql, 64, probe_give_up, &w);
		int rc = SQLITE_DONE;
		gboolean first = TRUE;
		while (w.hits < w.need && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			gint64 id = sqlite3_column_int64(s, 0);
			if (first && again && id == again) {
				first = FALSE;
				continue;
			}
			first = FALSE;
			if (w.hits++ >= offset)
				g_array_append_val(ids, id);
			last_hit = id;
		}
		sqlite3_progress_handler(db->sql, 0, NULL, NULL);
		w.walked_us += g_get_monotonic_time() - w.leg_started;
		if (w.hits >= w.need)
			break;
		if (rc == SQLITE_DONE)
			break;
		if (rc != SQLITE_INTERRUPT) {
			db_set_error(error, db, "searching");
			return NULL;
		}
		if (w.deadline && g_get_monotonic_time() >= w.deadline) {
			*gave_up = TRUE;
			return NULL;
		}
		/* Words alone fall back on their hits, whose cost is known.
		 * (MAILCLERK_TEST_SEARCH=walk-legs: always taken up again, the
		 * join costed at the first stop.) */
		if (w.legs && costed)
			continue;
		if (!w.legs && (costed || query_fts_only(q))) {
			*gave_up = TRUE;
			return NULL;
		}
		costed = TRUE;
		double join_us;
		double reach =
		    w.legs ? JOIN_COSTED_MAX_US : MIN(JOIN_REACH * w.rest_us, JOIN_COSTED_MAX_US);
		if (!join_cost(db, q, w.messages, reach, 0, &join_us, error))
			return NULL;
		if (w.legs)
			continue;
		if (join_us <= w.rest_us && join_us * WALK_TRY_SHARE <= (double)w.walked_us) {
			*gave_up = TRUE;
			return NULL;
		}
		w.join_us = join_us;
	}
	return g_steal_pointer(&ids);
}

/* A ranked hit with its date, to break ties. */
struct ranked {
	double rank; /* bm25(): lower is better */
	gint64 date;
	gint64 id;
};

static gint
ranked_cmp(gconstpointer a, gconstpointer b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->date != y->date)
		return x->date > y->date ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* The rank of the NEED-th best (lowest) of the N RANKS: one pass keeping
 * the NEED best in a max-heap, which a page's worth mostly tests once. It
 * replaced sorting every hit of a common word (a sixth of such a search),
 * then a quickselect (its unpredictable swaps, a twentieth). */
static double
nth_best_rank(const double *ranks, gsize n, gsize need)
{
	g_autofree double *heap = g_new(double, need);
	gsize size = 0;
	for (gsize i = 0; i < n; i++) {
		double r = ranks[i];
		gsize at;
		if (size < need) {
			/* Up from the new leaf. */
			for (at = size++; at > 0 && heap[(at - 1) / 2] < r; at = (at - 1) / 2)
				heap[at] = heap[(at - 1) / 2];
		} else if (r < heap[0]) {
			/* Down from the root, which R replaces. */
			at = 0;
			for (gsize child; (child = 2 * at + 1) < size; at = child) {
				if (child + 1 < size && heap[child + 1] > heap[child])
					child++;
				if (heap[child] <= r)
					break;
				heap[at] = heap[child];
			}
		} else {
			continue;
		}
		heap[at] = r;
	}
	return heap[0];
}

/* The hits of FTS, words alone, in id order in OLDER then NEWER, with their
 * deferred shares, and the counts of their IDF; or, the words walked, all
 * in OLDER with their ranks (OLDER->ranks) and NEWER untouched. PHRASES as
 * query_fts_phrases(). FALSE and ERROR on a database error. */
static gboolean
ranked_hits(struct mc_db *db, const char *fts, const GPtrArray *phrases, struct rank_hits *older,
            struct rank_hits *newer, struct rank_counts *counts, GError **error)
{
	/* A phrase, or phrases joined by AND: each walked once, its count and
	 * instances together, the phrases shared by the two cores, and met. */
	if (phrases && phrases->len > 0) {
		enum rank_walk_result walked =
		    rank_walk_phrases(db, phrases, fts, RANK_ALL, NULL, older, counts, error);
		if (walked == RANK_WALK_FAILED)
			return FALSE;
		if (walked == RANK_WALK_DONE)
			return TRUE; /* all in OLDER, its ranks made */
	}
	/* Otherwise (a NOT) the newest hits, and the counts of the IDF, on
	 * the other core. The counting costs about as much as reading a sixth
	 * of the hits. */
	gint64 split;
	if (!newest_id(db, &split, error))
		return FALSE;
	split = split / 5 * 3;
	struct rank_job *job = rank_job_start(db->path, fts, split + 1, G_MAXINT64);
	GError *job_error = NULL;
	gboolean ok = rank_collect(db, fts, G_MININT64, split, older, error);
	gboolean job_ok = rank_job_finish(job, db, newer, counts, &job_error);
	/* Where the other thread failed (it could not start, or open the
	 * index, or it read another full text than this connection: a commit
	 * came between), its half is read here, and the counts found here. */
	if (ok && !job_ok) {
		g_clear_error(&job_error);
		ok = rank_collect(db, fts, split + 1, G_MAXINT64, newer, error);
	}
	g_clear_error(&job_error);
	int phrases_seen = MAX(older->defer.phrases, newer->defer.phrases);
	gint64 found = ok ? (gint64)(older->ids->len + newer->ids->len) : 0;
	const struct rank_deferred *seen =
	    older->ids && older->ids->len ? &older->defer : &newer->defer;
	if (ok && found && phrases_seen == 1) {
		rank_counts_clear(counts);
		*counts = (struct rank_counts){ .rows = seen->rows,
			                        .tokens = seen->tokens,
			                        .phrases = 1 };
		counts->hits = g_new(gint64, 1);
		counts->hits[0] = found;
	} else if (ok && found &&
	           (!job_ok || counts->rows != seen->rows || counts->tokens != seen->tokens ||
	            counts->phrases != phrases_seen)) {
		rank_counts_clear(counts);
		ok = rank_count(db, fts, counts, error);
	}
	return ok;
}

static GArray *ranked_page(struct mc_db *db, const gint64 *in_id_order, const double *ranks,
                           gsize n, gint64 limit, gint64 offset, GError **error);

/* Words alone by relevance: mc_bm25() (bm25()'s score) of each hit in one
 * pass over them; then only the hits that can reach the page, those ranked
 * at least as well as the LIMIT + OFFSET-th, are dated (equal ranks newest
 * first) and sorted. */
static GArray *
search_ids_ranked(struct mc_db *db, const char *fts, const GPtrArray *fts_phrases, gint64 limit,
                  gint64 offset, GError **error)
{
	struct rank_hits older = { 0 }, newer = { 0 };
	struct rank_counts counts = { 0 };
	gboolean ok = ranked_hits(db, fts, fts_phrases, &older, &newer, &counts, error);
	if (ok && older.ranks) {
		GArray *page = ranked_page(db, (const gint64 *)(void *)older.ids->data,
		                           (const double *)(void *)older.ranks->data,
		                           older.ids->len, limit, offset, error);
		rank_hits_clear(&older);
		rank_counts_clear(&counts);
		return page;
	}
	int phrases = MAX(older.defer.phrases, newer.defer.phrases);
	gint64 found = ok ? (gint64)(older.ids->len + newer.ids->len) : 0;
	if (ok && found && counts.phrases != phrases) {
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "ranking: the words were counted wrong");
		ok = FALSE;
	}
	gsize n = ok ? (gsize)found : 0;
	g_autofree double *ranks = g_new(double, MAX(n, 1));
	g_autofree gint64 *in_id_order = g_new(gint64, MAX(n, 1));
	if (n) {
		g_autofree double *idf = rank_idf(&counts);
		const struct rank_hits *parts[] = { &older, &newer };
		gsize at = 0;
		for (int p = 0; p < 2; p++)
			for (guint i = 0; i < parts[p]->ids->len; i++, at++) {
				in_id_order[at] = g_array_index(parts[p]->ids, gint64, i);
				ranks[at] = rank_finish(
				    idf, phrases,
				    &g_array_index(parts[p]->shares, double, i *(guint)phrases));
			}
	}
	rank_hits_clear(&older);
	rank_hits_clear(&newer);
	rank_counts_clear(&counts);
	if (!ok)
		return NULL;
	return ranked_page(db, in_id_order, ranks, n, limit, offset, error);
}

/* The page from OFFSET (LIMIT ids, all when negative) of the N hits
 * IN_ID_ORDER ranked RANKS: only the hits that can reach it, those ranked
 * at least as well as the LIMIT + OFFSET-th, are dated (equal ranks newest
 * first) and sorted. */
static GArray *
ranked_page(struct mc_db *db, const gint64 *in_id_order, const double *ranks, gsize n, gint64 limit,
            gint64 offset, GError **error)
{
	offset = MAX(offset, 0);
	gsize need =
	    limit < 0 || limit > G_MAXINT64 - offset ? n : (gsize)MIN(limit + offset, (gint64)n);
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	if (need == 0)
		return g_steal_pointer(&ids);
	/* The hits ranked no worse than the NEED-th, ties included, in id
	 * order still for the date map. */
	double worst = nth_best_rank(ranks, n, need);
	gsize kept = 0;
	for (gsize i = 0; i < n; i++)
		kept += ranks[i] <= worst;
	g_autofree struct ranked *best = g_new(struct ranked, kept);
	g_autofree gint64 *kept_ids = g_new(gint64, kept);
	g_autofree gint64 *kept_dates = g_new(gint64, kept);
	for (gsize i = 0, k = 0; i < n; i++)
		if (ranks[i] <= worst) {
			best[k] = (struct ranked){ .rank = ranks[i], .id = in_id_order[i] };
			kept_ids[k++] = in_id_order[i];
		}
	g_autoptr(dates) map = dates_new(db);
	if (!dates_get_sorted(map, kept_ids, kept_dates, kept, error))
		return NULL;
	for (gsize i = 0; i < kept; i++)
		best[i].date = kept_dates[i];
	qsort(best, kept, sizeof *best, ranked_cmp);
	for (gsize i = (gsize)MIN(offset, (gint64)kept); i < kept && ids->len < need - offset; i++)
		g_array_append_val(ids, best[i].id);
	return g_steal_pointer(&ids);
}

/* The most words a walk of any query ranks (above, the join). */
#define RANK_ANY_PHRASES_MAX 8

/* Whether relevance of a query that is not words alone joined by AND
 * walks its words (the test hook MAILCLERK_TEST_RANK=join has the SQL
 * join rank it, which the tests compare with). */
static gboolean
rank_walks_any(void)
{
#ifdef MC_TEST_HOOKS
	return g_strcmp0(g_getenv("MAILCLERK_TEST_RANK"), "join") != 0;
#else
	return TRUE;
#endif
}

static gint
id_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
	return x < y ? -1 : x > y;
}

/* Sorts IDS (distinct) in place: marked in a bitmap of the ids up to the
 * largest and read back, where that is a few bits an id, as message ids
 * are (SQLite's ORDER BY took 90 ms for 200,000 of a million messages: a
 * B-tree of them); else by qsort(). */
static void
sort_ids(GArray *ids)
{
	gint64 *v = (gint64 *)(void *)ids->data;
	gint64 most = 0;
	gboolean small = TRUE;
	for (guint i = 0; i < ids->len; i++) {
		small &= v[i] >= 0;
		most = MAX(most, v[i]);
	}
	if (!small || most / 64 > (gint64)ids->len + 65536) {
		g_array_sort(ids, id_cmp);
		return;
	}
	gsize words = (gsize)(most / 64) + 1;
	g_autofree guint64 *bits = g_new0(guint64, words);
	for (guint i = 0; i < ids->len; i++)
		bits[v[i] / 64] |= G_GUINT64_CONSTANT(1) << (v[i] % 64);
	guint len = 0;
	for (gsize w = 0; w < words; w++)
		for (guint64 b = bits[w]; b; b &= b - 1)
			v[len++] = (gint64)(w * 64 + (gsize)__builtin_ctzll(b));
	g_array_set_size(ids, len);
}

/* The ids of Q's hits in id order, or with REST those of its terms other
 * than its words (query_rest_sql()), on DB's connection. */
static GArray *
hits_in_id_order(struct mc_db *db, const struct query *q, gboolean rest, GError **error)
{
	g_autofree char *sql = NULL;
	if (rest && query_rest_set(q))
		sql = g_strdup(query_rest_set(q));
	else if (rest)
		sql = g_strdup_printf("SELECT m.id FROM messages m WHERE %s", query_rest_sql(q));
	else if (query_fts_only(q))
		sql = g_strdup("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid");
	else
		sql = g_strdup_printf("SELECT m.id FROM messages m WHERE %s", query_sql(q));
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return NULL;
	if (rest)
		query_bind_rest(q, s, 1);
	else if (query_fts_only(q))
		db_bind_text(s, 1, query_fts_only(q));
	else
		query_bind(q, s, 1);
	GArray *ids = collect_ids(db, s, "searching", error);
	if (ids && !query_fts_only(q))
		sort_ids(ids);
	return ids;
}

/* Relevance of any other query with words (an OR, a NOT, terms that are
 * not words): ranked as the join in search_ids() ranks it, by bm25() of
 * the words that are not negated (query_fts_highlight()), 0 for a hit with
 * none of them; each of those words' rows walked once, as words alone
 * are. The hits are those words' rows when the query is nothing but them
 * ORed; those among the other terms' hits when it is them ORed AND other
 * terms (the set of terms such as a date or a folder costs a fraction of
 * meeting each of the words' rows with it in SQL); else the query's own,
 * found first. All in one read transaction. */
static GArray *
search_ids_ranked_any(struct mc_db *db, const struct query *q, gint64 limit, gint64 offset,
                      GError **error)
{
	const char *match = query_fts_highlight(q);
	const GPtrArray *phrases = query_fts_rank_phrases(q);
	gboolean own_read = sqlite3_get_autocommit(db->sql);
	if (own_read && !db_exec(db, "BEGIN", error))
		return NULL;
	g_autoptr(GArray) hits = NULL;
	gboolean just_words = query_fts_only(q) && g_str_equal(query_fts_only(q), match);
	/* The words that rank ORed, or joined by AND, AND other terms. */
	gboolean words_and = query_fts_and(q) && g_str_equal(query_fts_and(q), match);
	gboolean all_words_and = !words_and && query_fts_and_joins_all(q);
	enum rank_join join = all_words_and ? RANK_ALL : RANK_ANY;
	words_and |= all_words_and;
	if (!just_words)
		hits = hits_in_id_order(db, q, words_and, error);
	struct rank_hits h = { 0 };
	struct rank_counts c = { 0 };
	enum rank_walk_result walked =
	    just_words || (hits && hits->len)
	        ? rank_walk_phrases(db, phrases, match, join, hits, &h, &c, error)
	        : RANK_WALK_FAILED;
	if (own_read)
		db_exec(db, "COMMIT", NULL);
	GArray *page = NULL;
	if (walked == RANK_WALK_DONE && (!hits || words_and)) {
		page = ranked_page(db, (const gint64 *)(void *)h.ids->data,
		                   (const double *)(void *)h.ranks->data, h.ids->len, limit, offset,
		                   error);
	} else if (walked == RANK_WALK_DONE) {
		/* Each hit's rank, 0 for one without a word that ranks. */
		gsize n = hits->len;
		g_autofree double *ranks = g_new(double, MAX(n, 1));
		const gint64 *ids = (const gint64 *)(void *)hits->data;
		for (gsize i = 0, k = 0; i < n; i++) {
			ranks[i] = 0.0;
			if (k < h.ids->len && g_array_index(h.ids, gint64, k) == ids[i])
				ranks[i] = g_array_index(h.ranks, double, k++);
		}
		page = ranked_page(db, ids, ranks, n, limit, offset, error);
	} else if (hits && hits->len == 0) {
		page = g_array_new(FALSE, FALSE, sizeof(gint64));
	} else if (walked == RANK_WALK_AGAIN) {
		/* Not from one connection's walks, read in one transaction. */
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED,
		            "ranking: the words' rows were read from two states of the index");
	}
	rank_hits_clear(&h);
	rank_counts_clear(&c);
	return page;
}

/* A page in date order of Q, an OR at its top (query_or_branch_count()):
 * each branch's first LIMIT+OFFSET, merged. A message among the best of the
 * union is among the best of its own branch, so the union's page is among
 * theirs. Each branch takes the way that suits it, where one walk of the
 * whole tests messages for all of them at once: `date:2016 OR date:2022
 * quasarwing` (101,338 hits at a million) was walked from 2022 through the
 * five years between, which hold none of its hits. */
static GArray *
search_ids_or(struct mc_db *db, const struct query *q, gboolean oldest, gint64 limit, gint64 offset,
              GError **error)
{
	g_autoptr(GArray) hits = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = 0; i < query_or_branch_count(q); i++) {
		g_autoptr(query) branch = query_or_branch(q, i, error);
		if (!branch)
			return NULL;
		g_autoptr(GArray) page = search_ids(db, branch, oldest ? SORT_OLDEST : SORT_NEWEST,
		                                    limit + offset, 0, error);
		if (!page)
			return NULL;
		g_array_append_vals(hits, page->data, page->len);
	}
	/* In id order, each once (a message may match two branches). */
	sort_ids(hits);
	gint64 *v = (gint64 *)(void *)hits->data;
	guint n = 0;
	for (guint i = 0; i < hits->len; i++)
		if (n == 0 || v[i] != v[n - 1])
			v[n++] = v[i];
	g_array_set_size(hits, n);
	return page_by_date(db, hits, oldest, limit, offset, error);
}

GArray *
search_ids(struct mc_db *db, const struct query *q, enum search_sort sort, gint64 limit,
           gint64 offset, GError **error)
{
	/* An OR at the top, in date order: walked whole for OR_WALK_BUDGET_US
	 * at most, then its branches' pages merged. Not an OR of words alone,
	 * which FTS5 reads in one pass; nor where the test hook forces a way
	 * for the whole query ("or-split" splits it at once). */
	enum search_path path = search_path_forced();
	gboolean or_split =
	    sort != SORT_RELEVANCE && query_or_branch_count(q) > 1 && !query_fts_only(q) &&
	    (path == PATH_CHOOSE || path == PATH_OR_SPLIT || path == PATH_OR_WALK_SPENT) &&
	    limit >= 0 && offset >= 0 && limit <= G_MAXINT64 - offset;
	gint64 or_walk_us = path == PATH_OR_WALK_SPENT ? 1 : OR_WALK_BUDGET_US;
	if (or_split && path == PATH_OR_SPLIT)
		return search_ids_or(db, q, sort == SORT_OLDEST, limit, offset, error);
	/* A prefix written out as its words, for a page in date order: FTS5
	 * tests a message for a word with a seek, for a prefix at the cost of
	 * all its hits (invoic* at a million messages: 94 -> 11 ms). */
	g_autoptr(query) written_out = NULL;
	if (sort != SORT_RELEVANCE && !prefixes_written_out(db, &q, &written_out, error))
		return NULL;
	const char *rank = query_fts_highlight(q);
	/* A page in date order of a query with subqueries: test messages in
	 * date order while that is cheap (common words, big clients). Not when
	 * the probe form keeps a set (a prefix: a test of one message costs
	 * FTS5 what finding them all does). */
	if (sort != SORT_RELEVANCE && limit >= 0 && offset >= 0 && limit <= G_MAXINT64 - offset &&
	    strcmp(query_probe_sql(q), query_sql(q)) != 0 && !query_probe_keeps_set(q)) {
		gboolean gave_up = TRUE;
		GArray *ids = search_path_forced() == PATH_SET
		                  ? NULL
		                  : search_ids_walk(db, q, sort == SORT_OLDEST, limit, offset,
		                                    or_split ? or_walk_us : 0, &gave_up, error);
		if (ids || !gave_up)
			return ids;
	}
	if (or_split)
		return search_ids_or(db, q, sort == SORT_OLDEST, limit, offset, error);
	/* Words alone by relevance: one pass over the hits, not the join
	 * below (which reads them twice). Not with an OR: FTS5's rank of the
	 * expression scores the branches a message matches, the join every
	 * word (quasarwing OR invoice logo ranked otherwise). */
	if (sort == SORT_RELEVANCE && query_fts_only(q) && !query_fts_has_or(q))
		return search_ids_ranked(db, query_fts_only(q), query_fts_phrases(q), limit, offset,
		                         error);
	/* Any other with words: the same walks, of a few words. Each walk
	 * keeps all its rows and each hit a share of each word (at a million
	 * messages, 4 words in nearly all took 140 MB where the join takes
	 * 80, and 0.27 s against 2.4). */
	if (sort == SORT_RELEVANCE && rank && query_fts_rank_phrases(q) &&
	    query_fts_rank_phrases(q)->len <= RANK_ANY_PHRASES_MAX && rank_walks_any())
		return search_ids_ranked_any(db, q, limit, offset, error);
	/* Words alone (the common case): walk the hits, sort them by date. */
	if (query_fts_only(q) && sort != SORT_RELEVANCE)
		return search_ids_fts(db, query_fts_only(q), sort == SORT_OLDEST, limit, offset,
		                      error);
	g_autofree char *sql = NULL;
	if (sort == SORT_RELEVANCE && rank && !rank_register(db, error))
		return NULL;
	if (sort == SORT_RELEVANCE && rank)
		/* A LEFT JOIN: the text terms rank, they do not filter (a message
		 * may match through a non-text term of an OR). */
		sql = g_strdup_printf(
		    "SELECT m.id FROM messages m LEFT JOIN (SELECT rowid, mc_bm25(fts) AS rank "
		    "FROM fts WHERE fts MATCH ?) r ON r.rowid = m.id WHERE %s "
		    "ORDER BY coalesce(r.rank, 0), m.date DESC, m.id DESC LIMIT ? OFFSET ?",
		    query_sql(q));
	else
		sql = g_strdup_printf("SELECT m.id FROM messages m WHERE %s ORDER BY m.date %s, "
		                      "m.id %s LIMIT ? OFFSET ?",
		                      query_sql(q), sort == SORT_OLDEST ? "ASC" : "DESC",
		                      sort == SORT_OLDEST ? "ASC" : "DESC");
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return NULL;
	int next = 1;
	if (sort == SORT_RELEVANCE && rank)
		db_bind_text(s, next++, rank);
	next = query_bind(q, s, next);
	sqlite3_bind_int64(s, next++, limit);
	sqlite3_bind_int64(s, next++, offset);
	return collect_ids(db, s, "searching", error);
}

GArray *
search_thread(struct mc_db *db, gint64 thread, GError **error)
{
	g_autoptr(sqlite3_stmt) s =
	    db_prepare(db, "SELECT id FROM messages WHERE thread_id = ? ORDER BY date, id", error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, thread);
	return collect_ids(db, s, "reading a thread", error);
}

/* The messages filed under CLIENT and PROJECT ('' for the client's own). */
static gint64
filing_key_count(struct mc_db *db, const char *client, const char *project, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db, "SELECT inbound + outbound FROM filing_stats WHERE client = ? AND project = ?",
	    error);
	if (!s)
		return -1;
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		db_set_error(error, db, "counting");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

gint64
search_count(struct mc_db *db, const struct query *q, GError **error)
{
	/* Prefixes as their words: FTS5 counts an OR of two words faster than
	 * the prefix of both (their rows merged first). */
	g_autoptr(query) written_out = NULL;
	if (!prefixes_written_out(db, &q, &written_out, error))
		return -1;
	/* One client or project: the number the writer keeps (filing_stats,
	 * exact in every committed state; a client's own key, project '', is
	 * on all of its mail), not its filings' messages gathered (418,570 of
	 * a million: 190 ms). */
	const char *client, *project;
	if (query_filing_key(q, &client, &project))
		return filing_key_count(db, client, project ? project : "", error);
	/* Words alone are counted by FTS5, a row a message (its rowid is the
	 * message's id; the writer and the delete trigger keep them one to
	 * one), not by a lookup of each hit among the messages: a word in half
	 * of a million messages, 250 -> 20 ms. */
	const char *words = query_fts_only(q);
	g_autofree char *sql =
	    words ? g_strdup("SELECT count(*) FROM fts WHERE fts MATCH ?")
	          : g_strdup_printf("SELECT count(*) FROM messages m WHERE %s", query_sql(q));
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return -1;
	if (words)
		db_bind_text(s, 1, words);
	else
		query_bind(q, s, 1);
	if (sqlite3_step(s) != SQLITE_ROW) {
		db_set_error(error, db, "counting");
		return -1;
	}
	return sqlite3_column_int64(s, 0);
}

char *
search_preview(struct mc_db *db, gint64 id)
{
	sqlite3_stmt *s =
	    db_cached(db, "SELECT substr(body, 1, 160) FROM fts_source WHERE id = ?", NULL);
	if (!s)
		return g_strdup("");
	sqlite3_bind_int64(s, 1, id);
	char *preview = g_strdup(sqlite3_step(s) == SQLITE_ROW ? db_column_text(s, 0) : "");
	sqlite3_reset(s);
	return preview;
}

/* FTS5's snippet() scores each instance of the words in a column against
 * every other: its time grows with their square, and one message of
 * "on on on ..." (20,000 words) held a search for "on" 3 s, a megabyte of
 * it for minutes. So a row with more instances than SNIPPET_INSTANCES_MAX
 * gets no snippet (its preview is shown; mail's own text has a few dozen),
 * and no column over SNIPPET_COLUMN_MAX bytes is shown (snippet()
 * tokenizes the column it shows whole, twice: a page of hostile megabytes
 * would take seconds). */
#define SNIPPET_COLUMN_MAX    262144
#define SNIPPET_INSTANCES_MAX 500
/* The tokens a snippet shows, as snippet()'s last argument. */
#define SNIPPET_TOKENS 16
/* snippet() keeps the text between its window's tokens, and all of the
 * column before or after them where the window reaches its start or end: a
 * run of blanks, rules or emoji beside the words made snippets of 100-240
 * KB. A longer snippet than this shows the preview instead (16 long words
 * with their highlighting take a few hundred bytes). */
#define SNIPPET_BYTES_MAX 2048
/* The full-text table's columns (index/schema.sql) by the snippet a
 * column makes, of windows holding as many of the query's phrases: the
 * body's words first; the subject's last, the listing shows it anyway.
 * Words only in an HTML alternative (the sixth) are found, never shown. */
static const int snippet_column_rank[] = {
	0, /* subject */
	1, /* sender */
	2, /* recipients */
	4, /* body */
	3, /* attachment names */
};

/* mc_snippet_column(fts): the column snippet() is to show, NULL for none.
 * snippet() over every column tokenizes each of them, the HTML
 * alternative's too (as long as the body in most mail); given one column it
 * tokenizes that one. The column is the one whose best window of
 * SNIPPET_TOKENS tokens holds the most of the query's phrases, then the
 * first by snippet_column_rank, then the one whose window holds the most
 * instances. (snippet() over every column showed the subject where the
 * body's words were far from a sentence start.) Not a column over
 * SNIPPET_COLUMN_MAX bytes, nor in a row of more than SNIPPET_INSTANCES_MAX
 * instances. */
static void
mc_snippet_column(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int argc,
                  sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	int n = 0, rc = api->xInstCount(fts, &n);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	if (n == 0 || n > SNIPPET_INSTANCES_MAX)
		return;
	/* Instances come in order of column, then offset. */
	int *phrase = g_new(int, n), *column = g_new(int, n), *offset = g_new(int, n);
	for (int i = 0; i < n && rc == SQLITE_OK; i++)
		rc = api->xInst(fts, i, &phrase[i], &column[i], &offset[i]);
	int phrases = api->xPhraseCount(fts);
	int *in_window = g_new0(int, MAX(phrases, 1));
	int best_column = -1;
	gint64 best_score = -1;
	for (int first = 0; rc == SQLITE_OK && first < n;) {
		int col = column[first], end = first;
		while (end < n && column[end] == col)
			end++;
		const char *text;
		int len = 0;
		if (col < (int)G_N_ELEMENTS(snippet_column_rank) &&
		    (rc = api->xColumnText(fts, col, &text, &len)) == SQLITE_OK &&
		    len <= SNIPPET_COLUMN_MAX) {
			/* A window from each instance on: the phrases and instances
			 * it holds, counted as it slides. */
			int distinct = 0;
			for (int i = first, j = first; i < end; i++) {
				while (j < end && offset[j] < offset[i] + SNIPPET_TOKENS)
					if (in_window[phrase[j++]]++ == 0)
						distinct++;
				/* Phrases, then the column, then instances (at most
				 * SNIPPET_INSTANCES_MAX). */
				gint64 score =
				    ((gint64)distinct * 16 + snippet_column_rank[col]) * 1000 +
				    (j - i);
				if (score > best_score) {
					best_score = score;
					best_column = col;
				}
				if (--in_window[phrase[i]] == 0)
					distinct--;
			}
		}
		first = end;
	}
	g_free(phrase);
	g_free(column);
	g_free(offset);
	g_free(in_window);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else if (best_column >= 0)
		sqlite3_result_int(ctx, best_column);
}

GHashTable *
search_snippets(struct mc_db *db, const gint64 *ids, guint n, const char *highlight,
                const char *open, const char *close, GError **error)
{
	GHashTable *snippets = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	if (!highlight || n == 0)
		return snippets;
	/* Each message of the page in the index itself: FTS5 seeks its row in
	 * each phrase's list (rowid = ?), and snippet() shows the column
	 * mc_snippet_column() picks. A small full-text table of the page's
	 * messages made for each search took 1.2-2.2 ms of a 9 ms search at
	 * 20,000 messages, tokenizing every message whole to fill it. */
	fts5_api *api = tokenizer_fts5_api(db->sql);
	if (!api || api->xCreateFunction(api, "mc_snippet_column", NULL, mc_snippet_column, NULL) !=
	                SQLITE_OK) {
		g_hash_table_unref(snippets);
		db_set_error(error, db, "making snippets");
		return NULL;
	}
	sqlite3_stmt *s = db_cached(db,
	                            "SELECT CASE WHEN mc_snippet_column(fts) IS NOT NULL THEN "
	                            "snippet(fts, mc_snippet_column(fts), ?, ?, '…', " G_STRINGIFY(
	                                SNIPPET_TOKENS) ") END "
	                                                "FROM fts WHERE fts MATCH ? AND rowid = ?",
	                            error);
	if (!s) {
		g_hash_table_unref(snippets);
		return NULL;
	}
	db_bind_text(s, 1, open);
	db_bind_text(s, 2, close);
	db_bind_text(s, 3, highlight);
	int rc = SQLITE_DONE;
	for (guint i = 0; i < n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(s, 4, ids[i]);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			if (sqlite3_column_type(s, 0) != SQLITE_NULL &&
			    sqlite3_column_bytes(s, 0) <= SNIPPET_BYTES_MAX)
				g_hash_table_insert(snippets, g_memdup2(&ids[i], sizeof ids[i]),
				                    g_strdup(db_column_text(s, 0)));
		sqlite3_reset(s);
	}
	if (rc != SQLITE_DONE) {
		g_hash_table_unref(snippets);
		db_set_error(error, db, "making snippets");
		return NULL;
	}
	return snippets;
}

gint64
search_resolve_id(struct mc_db *db, const char *ref, GError **error)
{
	if (g_str_has_prefix(ref, "id:")) {
		g_autofree char *mid = g_strdup(ref + 3);
		g_strstrip(mid);
		if (mid[0] == '<' && g_str_has_suffix(mid, ">")) {
			mid[strlen(mid) - 1] = '\0';
			memmove(mid, mid + 1, strlen(mid));
		}
		g_autoptr(sqlite3_stmt) s =
		    db_prepare(db, "SELECT id FROM messages WHERE message_id = ?", error);
		if (!s)
			return 0;
		g_autofree char *bounded = mc_message_id_bound(mid);
		db_bind_text(s, 1, bounded);
		if (sqlite3_step(s) != SQLITE_ROW) {
			g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND,
			            "no message with Message-ID <%s>", mid);
			return 0;
		}
		return sqlite3_column_int64(s, 0);
	}
	char *end;
	gint64 id = g_ascii_strtoll(ref, &end, 10);
	if (!*ref || *end || id <= 0) {
		g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
		            "'%s' is not a message id: give a number or id:<Message-ID>", ref);
		return 0;
	}
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "SELECT 1 FROM messages WHERE id = ?", error);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND,
		            "no message with id %" G_GINT64_FORMAT, id);
		return 0;
	}
	return id;
}

gint64
search_resolve_thread(struct mc_db *db, const char *ref, GError **error)
{
	const char *sql = "SELECT thread_id FROM messages WHERE id = ?";
	gint64 key;
	if (g_str_has_prefix(ref, "thread:")) {
		char *end;
		key = g_ascii_strtoll(ref + 7, &end, 10);
		if (!ref[7] || *end || key <= 0 || !g_ascii_isdigit(ref[7])) {
			g_set_error(error, MC_ERROR, MC_ERROR_USAGE,
			            "'%s' is not a thread: give thread:N", ref);
			return 0;
		}
		sql = "SELECT thread_id FROM messages WHERE thread_id = ? LIMIT 1";
	} else if (!(key = search_resolve_id(db, ref, error))) {
		return 0;
	}
	g_autoptr(sqlite3_stmt) s = db_prepare(db, sql, error);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return sqlite3_column_int64(s, 0);
	if (rc == SQLITE_DONE)
		g_set_error(error, MC_ERROR, MC_ERROR_NOT_FOUND, "no thread %s", ref);
	else
		db_set_error(error, db, "reading a thread");
	return 0;
}
