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
 * one only in a thread of nothing else, which then lists nowhere. */
#define LAST_OF_THREAD(thread_id)                                                                  \
	"(SELECT x.id FROM messages x WHERE x.thread_id = " thread_id " ORDER BY x.automated, "    \
	"x.date DESC, x.id DESC LIMIT 1)"

/* Whether message m is answered: a copy with the R flag (a Maildir name's,
 * an mbox X-Status A). */
#define ANSWERED QUERY_MAILDIR_FLAG("R")

/* Message m's first To address, "" when none. */
#define FIRST_TO                                                                                   \
	"coalesce((SELECT a.address FROM addresses a WHERE a.message = m.id AND a.role = 1 "       \
	"ORDER BY a.rowid LIMIT 1), '')"

/* The threads with mail filed under the client ?1 (NULL: any) or its project
 * ?2 ('' for the client), then each one's last message and what it says, as
 * of now ?3; chase before ?4, nothing before ?5 or after ?6. CROSS JOIN keeps that
 * order: a planner that starts from messages would scan the threads for
 * each. A last message dated after now (--now in the past) is left out
 * rather than shown with a negative age. */
/* clang-format off */
static const char COLLECT_SQL[] =
	"WITH t AS (SELECT DISTINCT f.client, m.thread_id FROM filings f "
	"JOIN messages m ON m.id = f.message "
	"WHERE f.project = ?2 AND (?1 IS NULL OR f.client = ?1)), "
	"l AS (SELECT t.client, t.thread_id, " LAST_OF_THREAD("t.thread_id") " AS id FROM t) "
	"SELECT l.client, l.thread_id, m.id, m.date, m.direction, m.subject, m.from_name, "
	"m.from_addr, " FIRST_TO ", "
	"(SELECT group_concat(g.project, '/') FROM filings g "
	"WHERE g.message = m.id AND g.client = l.client AND g.project != '') "
	"FROM l CROSS JOIN messages m ON m.id = l.id "
	"WHERE m.automated = 0 AND m.date >= ?5 AND m.date <= ?6 "
	"AND EXISTS (SELECT 1 FROM filings g "
	"WHERE g.message = m.id AND g.client = l.client AND g.project = ?2) "
	"AND NOT EXISTS (SELECT 1 FROM followup_state s "
	"WHERE s.message = m.id AND (s.state = 'done' OR s.until > ?3)) "
	"AND CASE m.direction WHEN 1 THEN m.date < ?4 "
	"ELSE EXISTS (SELECT 1 FROM addresses a "
	"WHERE a.message = m.id AND a.role IN (1, 2) AND mc_is_me(a.address)) "
	"AND NOT " ANSWERED " END "
	"ORDER BY m.date, m.id, l.client";
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
	g_autoptr(sqlite3_stmt) s = db_prepare(db, COLLECT_SQL, error);
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
 * project, from the rows of followups_quiet()'s query. */
struct last_exchange {
	gint64 id, date;
};

static gint
compare_quiet(gconstpointer a, gconstpointer b)
{
	const struct followup_quiet *x = a, *y = b;
	return x->last < y->last ? -1 : x->last > y->last;
}

/* Adds KEY's entry to OUT when its LAST (NULL: no mail) is older than DAYS
 * before NOW; returns whether it did. */
static gboolean
add_quiet(GArray *out, GHashTable *lasts, const char *client, const char *project, const char *name,
          gint64 days, gint64 now)
{
	g_autofree char *key = g_strdup_printf("%s/%s", client, project ? project : "");
	const struct last_exchange *last = g_hash_table_lookup(lasts, key);
	if (last && last->date >= now - days * 86400)
		return FALSE;
	struct followup_quiet q = {
		.client = client,
		.project = project,
		.name = name,
		.last = last ? last->date : 0,
		.last_id = last ? last->id : 0,
	};
	g_array_append_val(out, q);
	return TRUE;
}

GArray *
followups_quiet(struct mc_db *db, const struct mc_config *cfg, const char *client,
                const char *project, const struct followup_options *o, GError **error)
{
	/* Each client's and project's last message that is not automated (and
	 * not dated after now), in one pass over the filings in the order of
	 * filings_client: with max(), SQLite takes the bare m.id from the row
	 * of the latest date (the first such row when several share it). A
	 * window function ordering by date and id cost four times as much. */
	g_autoptr(sqlite3_stmt) s = db_prepare(
	    db,
	    "SELECT f.client, f.project, m.id, max(m.date) FROM filings f JOIN messages m "
	    "ON m.id = f.message WHERE m.automated = 0 AND m.date <= ?2 "
	    "AND (?1 IS NULL OR f.client = ?1) GROUP BY f.client, f.project",
	    error);
	if (!s)
		return NULL;
	db_bind_text(s, 1, client);
	sqlite3_bind_int64(s, 2, o->now);
	g_autoptr(GHashTable) lasts =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct last_exchange *l = g_new(struct last_exchange, 1);
		l->id = sqlite3_column_int64(s, 2);
		l->date = sqlite3_column_int64(s, 3);
		g_hash_table_insert(
		    lasts, g_strdup_printf("%s/%s", db_column_text(s, 0), db_column_text(s, 1)), l);
	}
	if (rc != SQLITE_DONE) {
		db_set_error(error, db, "finding the last exchange with each client");
		return NULL;
	}
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct followup_quiet));
	for (guint i = 0; i < cfg->clients->len; i++) {
		const struct mc_client_config *c = g_ptr_array_index(cfg->clients, i);
		if (c->inactive || (client && !g_str_equal(client, c->key)))
			continue;
		gint64 days = o->quiet           ? o->quiet
		              : c->followup_days ? c->followup_days
		                                 : FOLLOWUP_QUIET_DAYS;
		/* A client gone quiet stands for its projects, quieter still. */
		if (!project && add_quiet(out, lasts, c->key, NULL, c->name, days, o->now))
			continue;
		for (guint k = 0; k < cfg->projects->len; k++) {
			const struct mc_project_config *p = g_ptr_array_index(cfg->projects, k);
			if (g_str_equal(p->client, c->key) &&
			    (!project || g_str_equal(project, p->key)))
				add_quiet(out, lasts, c->key, p->key, p->name, days, o->now);
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
