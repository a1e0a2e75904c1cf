/* Follow-ups: threads owed a reply or to chase, clients and projects gone
 * quiet, and threads marked done or snoozed. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "query/followups.h"
#include "query/query.h"
#include "common/date.h"
#include "common/error.h"

void
followup_options_init(struct followup_options *o, const struct mc_config *cfg, gint64 now)
{
	*o = (struct followup_options){
		.now = now,
		.days = FOLLOWUP_DAYS,
		.max_age = cfg->followup_max_age,
		.latest = date_now_is_set() ? now : G_MAXINT64,
	};
}

void
followup_free(struct followup *f)
{
	if (!f)
		return;
	g_free(f->client);
	g_strfreev(f->projects);
	g_free(f->subject);
	g_free(f->from_name);
	g_free(f->from_addr);
	g_free(f->to_addr);
	g_free(f);
}

void
followup_mark_free(struct followup_mark *m)
{
	if (!m)
		return;
	g_free(m->subject);
	g_free(m->from_name);
	g_free(m->from_addr);
	g_free(m->to_addr);
	g_free(m->note);
	g_free(m);
}

/* mc_is_me(ADDRESS): whether ADDRESS is one of the `me` addresses (the
 * user data, a GPtrArray of them), compared as config_is_me() does. */
static void
is_me(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const GPtrArray *me = sqlite3_user_data(ctx);
	const char *address = (const char *)sqlite3_value_text(argv[0]);
	gboolean yes = FALSE;
	for (guint i = 0; address && i < me->len && !yes; i++)
		yes = config_same_address(g_ptr_array_index(me, i), address);
	sqlite3_result_int(ctx, yes);
}

/* Registers mc_is_me() on DB for CFG's addresses. */
static gboolean
register_is_me(struct mc_db *db, const struct mc_config *cfg, GError **error)
{
	if (sqlite3_create_function_v2(db->sql, "mc_is_me", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	                               g_ptr_array_ref(cfg->me), is_me, NULL, NULL,
	                               (void (*)(void *))g_ptr_array_unref) != SQLITE_OK)
		return db_set_error(error, db, "registering mc_is_me");
	return TRUE;
}

/* The SQL of a thread's last message, for the thread `thread_id` of the
 * enclosing query (messages_thread, on (thread_id, date), finds them): the
 * last one a person wrote, since automated mail is no answer (an
 * out-of-office reply to your mail leaves it yours to chase, a ticket
 * notice after a question leaves the question owed); the last automated
 * one only in a thread of nothing else, which then lists nowhere. The
 * writer keeps each thread's in thread_last (index/aggregates.c) by the
 * same order. */
#define LAST_OF_THREAD_WHERE(thread_id, and_more)                                                  \
	"(SELECT x.id FROM messages x WHERE x.thread_id = " thread_id and_more " ORDER BY "        \
	"x.automated, x.date DESC, x.id DESC LIMIT 1)"
#define LAST_OF_THREAD(thread_id) LAST_OF_THREAD_WHERE(thread_id, "")

/* Whether message m is answered: a copy with the R flag (a Maildir name's,
 * an mbox X-Status A). */
#define ANSWERED QUERY_MAILDIR_FLAG("R")

/* Message m's first To address, "" when none. */
#define FIRST_TO                                                                                   \
	"coalesce((SELECT a.address FROM addresses a WHERE a.message = m.id AND a.role = 1 "       \
	"ORDER BY a.rowid LIMIT 1), '')"

/* The last messages of threads, dated from ?5 to ?6 (thread_last_date
 * finds them: the threads last written to in the window of
 * followup_max_age, not the whole archive), filed under the client ?1
 * (NULL: any) or its project ?2 ('' for the client), and what each says as
 * of now ?3; chase before ?4. thread_last (migrate-16.sql) holds each
 * thread's LAST_OF_THREAD(); one that is automated lists nowhere. A thread
 * is the client's when its last message is filed under it, so starting
 * from those messages finds every thread the client's filings would. CROSS
 * JOIN keeps that order. */
#define LAST_NOW                                                                                   \
	"WITH l AS (SELECT t.message AS id FROM thread_last t WHERE t.automated = 0 "              \
	"AND t.date >= ?5 AND t.date <= ?6) "

/* The same as it stood at ?6 (--now in the past). thread_last is the
 * present's: a thread whose last message there is dated up to ?6 had it
 * then too (nothing of the thread came later but automated mail, which is
 * no last message while a person wrote in it); a thread written to in the
 * window that has a later last message has its last message up to ?6
 * found again (LAST_OF_THREAD() of what was there). Mail dated later is
 * left out, not its thread. Only the threads that go on past ?6 are read
 * again (287 of 9,370 for a 90-day window at a million messages: followups
 * 229 ms before, 161 ms now, where the present takes 70). */
#define LAST_AS_OF                                                                                 \
	"WITH w AS (SELECT DISTINCT m.thread_id FROM messages m CROSS JOIN thread_last t "         \
	"ON t.thread_id = m.thread_id WHERE m.date >= ?5 AND m.date <= ?6 AND t.date > ?6), "      \
	"l AS (SELECT t.message AS id FROM thread_last t WHERE t.automated = 0 "                   \
	"AND t.date >= ?5 AND t.date <= ?6 UNION ALL "                                             \
	"SELECT lm.id AS id FROM w CROSS JOIN messages lm ON lm.id = " LAST_OF_THREAD_WHERE(       \
	    "w.thread_id", " AND x.date <= ?6") " WHERE lm.automated = 0 AND lm.date >= ?5) "

/* clang-format off */
#define COLLECT_FROM_LAST \
	"SELECT f.client, m.thread_id, m.id, m.date, m.direction, m.subject, m.from_name, " \
	"m.from_addr, " FIRST_TO ", " \
	"(SELECT group_concat(g.project, '/') FROM filings g " \
	"WHERE g.message = m.id AND g.client = f.client AND g.project != '') " \
	"FROM l CROSS JOIN messages m ON m.id = l.id " \
	"CROSS JOIN filings f ON f.message = m.id AND f.project = ?2 " \
	"AND (?1 IS NULL OR f.client = ?1) " \
	"WHERE NOT EXISTS (SELECT 1 FROM followup_state s " \
	"WHERE s.message = m.id AND (s.state = 'done' OR s.until > ?3)) " \
	"AND CASE m.direction WHEN 1 THEN m.date < ?4 " \
	"ELSE EXISTS (SELECT 1 FROM addresses a " \
	"WHERE a.message = m.id AND a.role IN (1, 2) AND mc_is_me(a.address)) " \
	"AND NOT " ANSWERED " END " \
	"ORDER BY m.date, m.id, f.client"
/* clang-format on */

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *
followups_collect(struct mc_db *db, const struct mc_config *cfg, const char *client,
                  const char *project, const struct followup_options *o, GError **error)
{
	if (!register_is_me(db, cfg, error))
		return NULL;
	/* thread_last is right as of a now no message is dated after: most
	 * --now and MAILCLERK_NOW, and the clock. */
	gboolean later_mail = FALSE;
	if (o->latest != G_MAXINT64) {
		g_autoptr(sqlite3_stmt) later =
		    db_prepare(db, "SELECT 1 FROM messages WHERE date > ? LIMIT 1", error);
		if (!later)
			return NULL;
		sqlite3_bind_int64(later, 1, o->latest);
		int rc = sqlite3_step(later);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			db_set_error(error, db, "finding follow-ups");
			return NULL;
		}
		later_mail = rc == SQLITE_ROW;
	}
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db, later_mail ? LAST_AS_OF COLLECT_FROM_LAST : LAST_NOW COLLECT_FROM_LAST, error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project ? project : "");
	sqlite3_bind_int64(s, 3, o->now);
	sqlite3_bind_int64(s, 4, o->now - o->days * 86400);
	sqlite3_bind_int64(s, 5, o->all ? G_MININT64 : o->now - o->max_age * 86400);
	sqlite3_bind_int64(s, 6, o->latest);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)followup_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct followup *f = g_new0(struct followup, 1);
		f->client = g_strdup(db_column_text(s, 0));
		f->thread = sqlite3_column_int64(s, 1);
		f->id = sqlite3_column_int64(s, 2);
		f->date = sqlite3_column_int64(s, 3);
		f->outbound = sqlite3_column_int(s, 4) == 1;
		f->subject = g_strdup(db_column_text(s, 5));
		f->from_name = g_strdup(db_column_text(s, 6));
		f->from_addr = g_strdup(db_column_text(s, 7));
		f->to_addr = g_strdup(f->outbound ? db_column_text(s, 8) : "");
		/* Keys hold no '/' (config_key_is_valid). */
		const char *projects = db_column_text(s, 9);
		f->projects = *projects ? g_strsplit(projects, "/", -1) : g_new0(char *, 1);
		qsort(f->projects, g_strv_length(f->projects), sizeof(char *), compare_strings);
		g_ptr_array_add(out, f);
	}
	if (rc != SQLITE_DONE) {
		g_ptr_array_unref(out);
		db_set_error(error, db, "finding follow-ups");
		return NULL;
	}
	return out;
}

/* The last message that is not automated of a client (PROJECT "") or
 * project: the latest date, the lowest id of that date. */
struct last_exchange {
	gint64 id, date;
};

/* What finds a last exchange, per client or project: filing_stats
 * (migrate-14.sql) says how much mail it has and its latest date. */
struct quiet_finder {
	struct mc_db *db;
	gint64 now;
	sqlite3_stmt *stats, *by_filings, *by_date, *lowest_id;
};

/* A client or project with at most this many messages is read through its
 * filings; one with more from its latest date back, newest first, where a
 * message that is not automated comes soon. */
#define QUIET_BY_FILINGS_MAX 2000

static gint
compare_quiet(gconstpointer a, gconstpointer b)
{
	const struct followup_quiet *x = a, *y = b;
	return x->last < y->last ? -1 : x->last > y->last;
}

/* Sets LAST to the last exchange of CLIENT and PROJECT ('' for the client)
 * dated up to now; id 0 when none. FALSE and ERROR on a database error. */
static gboolean
find_last_exchange(struct quiet_finder *q, const char *client, const char *project,
                   struct last_exchange *last, GError **error)
{
	*last = (struct last_exchange){ 0 };
	sqlite3_reset(q->stats);
	db_bind_text(q->stats, 1, client);
	db_bind_text(q->stats, 2, project);
	int rc = sqlite3_step(q->stats);
	if (rc == SQLITE_DONE)
		return TRUE;
	if (rc != SQLITE_ROW)
		return db_set_error(error, q->db, "finding the last exchange with a client");
	gint64 messages = sqlite3_column_int64(q->stats, 0);
	/* NULL when a removal left it unknown: from now back. */
	gint64 newest = sqlite3_column_type(q->stats, 1) == SQLITE_NULL
	                    ? q->now
	                    : MIN(q->now, sqlite3_column_int64(q->stats, 1));
	if (messages == 0)
		return TRUE;
	sqlite3_stmt *s = messages <= QUIET_BY_FILINGS_MAX ? q->by_filings : q->by_date;
	sqlite3_reset(s);
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project);
	sqlite3_bind_int64(s, 3, newest);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		last->date = sqlite3_column_int64(s, 0);
		sqlite3_reset(q->lowest_id);
		db_bind_text(q->lowest_id, 1, client);
		db_bind_text(q->lowest_id, 2, project);
		sqlite3_bind_int64(q->lowest_id, 3, last->date);
		rc = sqlite3_step(q->lowest_id);
		if (rc == SQLITE_ROW)
			last->id = sqlite3_column_int64(q->lowest_id, 0);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_set_error(error, q->db, "finding the last exchange with a client");
	return TRUE;
}

/* Adds the entry of CLIENT (PROJECT NULL) or its PROJECT to OUT when its
 * last exchange is older than DAYS before NOW; returns whether it did.
 * FALSE and ERROR on a database error. */
static gboolean
add_quiet(GArray *out, struct quiet_finder *q, const char *client, const char *project,
          const char *name, gint64 days, gint64 now, GError **error)
{
	struct last_exchange last;
	if (!find_last_exchange(q, client, project ? project : "", &last, error))
		return FALSE;
	if (last.id && last.date >= now - days * 86400)
		return FALSE;
	struct followup_quiet entry = {
		.client = client,
		.project = project,
		.name = name,
		.last = last.id ? last.date : 0,
		.last_id = last.id,
	};
	g_array_append_val(out, entry);
	return TRUE;
}

GArray *
followups_quiet(struct mc_db *db, const struct mc_config *cfg, const char *client,
                const char *project, const struct followup_options *o, GError **error)
{
	struct quiet_finder q = {
		.db = db,
		.now = o->now,
		.stats = db_cached(db,
		                   "SELECT inbound + outbound, last FROM filing_stats WHERE "
		                   "client = ?1 AND project = ?2",
		                   error),
		.by_filings = db_cached(db,
		                        "SELECT max(m.date) FROM filings f JOIN messages m ON "
		                        "m.id = f.message WHERE f.client = ?1 AND f.project = ?2 "
		                        "AND m.automated = 0 AND m.date <= ?3",
		                        error),
		.by_date = db_cached(db,
		                     "SELECT m.date FROM messages m WHERE m.date <= ?3 AND "
		                     "m.automated = 0 AND EXISTS (SELECT 1 FROM filings f WHERE "
		                     "f.message = m.id AND f.client = ?1 AND f.project = ?2) "
		                     "ORDER BY m.date DESC LIMIT 1",
		                     error),
		.lowest_id = db_cached(db,
		                       "SELECT min(m.id) FROM messages m WHERE m.date = ?3 AND "
		                       "m.automated = 0 AND EXISTS (SELECT 1 FROM filings f WHERE "
		                       "f.message = m.id AND f.client = ?1 AND f.project = ?2)",
		                       error),
	};
	if (!q.stats || !q.by_filings || !q.by_date || !q.lowest_id)
		return NULL;
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct followup_quiet));
	for (guint i = 0; i < cfg->clients->len; i++) {
		const struct mc_client_config *c = g_ptr_array_index(cfg->clients, i);
		if (c->inactive || (client && !g_str_equal(client, c->key)))
			continue;
		gint64 days = o->quiet           ? o->quiet
		              : c->followup_days ? c->followup_days
		                                 : FOLLOWUP_QUIET_DAYS;
		/* A client gone quiet stands for its projects, quieter still. */
		GError *err = NULL;
		gboolean gone =
		    !project && add_quiet(out, &q, c->key, NULL, c->name, days, o->now, &err);
		for (guint k = 0; k < cfg->projects->len && !gone && !err; k++) {
			const struct mc_project_config *p = g_ptr_array_index(cfg->projects, k);
			if (g_str_equal(p->client, c->key) &&
			    (!project || g_str_equal(project, p->key)))
				add_quiet(out, &q, c->key, p->key, p->name, days, o->now, &err);
		}
		if (err) {
			g_propagate_error(error, err);
			g_array_unref(out);
			return NULL;
		}
	}
	/* Stable: equal dates keep the configuration's order. */
	g_array_sort(out, compare_quiet);
	return out;
}

/* The columns of a marked message, as read_mark() reads them. */
#define MARK_COLUMNS                                                                               \
	"m.thread_id, m.id, m.date, m.direction, m.subject, m.from_name, m.from_addr, s.state, "   \
	"coalesce(s.until, 0), coalesce(s.note, ''), coalesce(s.marked, 0), " FIRST_TO

static struct followup_mark *
read_mark(sqlite3_stmt *s)
{
	struct followup_mark *m = g_new0(struct followup_mark, 1);
	m->thread = sqlite3_column_int64(s, 0);
	m->id = sqlite3_column_int64(s, 1);
	m->date = sqlite3_column_int64(s, 2);
	m->outbound = sqlite3_column_int(s, 3) == 1;
	m->subject = g_strdup(db_column_text(s, 4));
	m->from_name = g_strdup(db_column_text(s, 5));
	m->from_addr = g_strdup(db_column_text(s, 6));
	const char *state = db_column_text(s, 7);
	m->state = g_str_equal(state, "done")      ? FOLLOWUP_DONE
	           : g_str_equal(state, "snoozed") ? FOLLOWUP_SNOOZED
	                                           : FOLLOWUP_OPEN;
	m->until = sqlite3_column_int64(s, 8);
	m->note = g_strdup(db_column_text(s, 9));
	m->marked = sqlite3_column_int64(s, 10);
	m->to_addr = g_strdup(db_column_text(s, 11));
	return m;
}

/* The marks of threads whose marked message is still their last, done or
 * snoozed past now ?3, of the client ?1 (NULL: any) or its project ?2; from
 * the marks, which are few (CROSS JOIN keeps that order). */
/* clang-format off */
static const char MARKED_SQL[] =
	"SELECT " MARK_COLUMNS " FROM followup_state s CROSS JOIN messages m ON m.id = s.message "
	"WHERE (s.state = 'done' OR s.until > ?3) "
	"AND s.message = " LAST_OF_THREAD("m.thread_id") " "
	"AND (?1 IS NULL OR EXISTS (SELECT 1 FROM filings g "
	"WHERE g.message = m.id AND g.client = ?1 AND g.project = ?2)) "
	"ORDER BY s.marked, s.message";

/* Thread ?1's last message and its mark, if any. */
static const char THREAD_SQL[] =
	"SELECT " MARK_COLUMNS " FROM messages m LEFT JOIN followup_state s ON s.message = m.id "
	"WHERE m.id = " LAST_OF_THREAD("?1");
/* clang-format on */

GPtrArray *
followups_marked(struct mc_db *db, const char *client, const char *project, gint64 now,
                 GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, MARKED_SQL, error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	db_bind_text(s, 2, project ? project : "");
	sqlite3_bind_int64(s, 3, now);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)followup_mark_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		g_ptr_array_add(out, read_mark(s));
	if (rc != SQLITE_DONE) {
		g_ptr_array_unref(out);
		db_set_error(error, db, "reading the follow-up marks");
		return NULL;
	}
	return out;
}

struct followup_mark *
followups_thread(struct mc_db *db, gint64 thread, GError **error)
{
	g_autoptr(sqlite3_stmt) s = db_prepare(db, THREAD_SQL, error);
	if (!s)
		return NULL;
	sqlite3_bind_int64(s, 1, thread);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return read_mark(s);
	if (rc == SQLITE_DONE)
		g_set_error(error, MC_ERROR, MC_ERROR_FAILED, "no thread %" G_GINT64_FORMAT,
		            thread);
	else
		db_set_error(error, db, "reading a thread");
	return NULL;
}
