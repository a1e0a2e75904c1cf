/* mailclerk check: verify the index (SQLite's and FTS5's own checks). */
#include "config.h"

#include <stdio.h>

#include "commands.h"
#include "common/error.h"
#include "index/db.h"

int
cmd_check(struct command_env *env, int argc, char **argv)
{
	const GOptionEntry entries[] = { { NULL } };
	if (!command_parse_options("check", "",
	                           "Verifies the index: SQLite's integrity_check and the "
	                           "full-text index's integrity-check. Prints ok, or the problems.",
	                           entries, &argc, &argv))
		return MC_EXIT_USAGE;
	g_autoptr(GError) error = NULL;
	g_autoptr(mc_db) db = db_open(env->db_path, DB_READ, &error);
	if (!db)
		return command_fail(error);
	g_autoptr(sqlite3_stmt) s = db_prepare(db, "PRAGMA integrity_check", &error);
	if (!s)
		return command_fail(error);
	gboolean ok = TRUE;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *line = db_column_text(s, 0);
		if (!g_str_equal(line, "ok")) {
			printf("%s\n", line);
			ok = FALSE;
		}
	}
	if (!db_exec(db, "INSERT INTO fts(fts) VALUES('integrity-check')", &error)) {
		printf("full-text index: %s\n", sqlite3_errmsg(db->sql));
		ok = FALSE;
	}
	if (ok)
		printf("ok\n");
	return ok ? MC_EXIT_OK : MC_EXIT_FAILURE;
}
