/* Progress lines for long runs on a terminal. */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "common/progress.h"

struct progress {
	gboolean tty;
	gint64 start_us;
	gint64 last_draw_us;
	gint64 redraw_us; /* the least time between two draws */
	gboolean drawn;
};

struct progress *
progress_new(void)
{
	struct progress *p = g_new0(struct progress, 1);
	p->tty = isatty(STDERR_FILENO);
	p->start_us = g_get_monotonic_time();
	p->redraw_us = 200000;
#ifdef MC_TEST_HOOKS
	/* Tests see every line: their small runs end within the first 0.2 s. */
	if (g_getenv("MAILCLERK_TEST_PROGRESS"))
		p->redraw_us = 0;
#endif
	/* The first draw waits a moment: a rate from one message is noise. */
	p->last_draw_us = p->start_us;
	return p;
}

void
progress_free(struct progress *p)
{
	if (!p)
		return;
	if (p->drawn)
		fputs("\r\033[K", stderr);
	g_free(p);
}

void
progress_update(struct progress *p, guint64 done, guint64 total)
{
	progress_update_what(p, NULL, "messages", done, total);
}

void
progress_update_what(struct progress *p, const char *what, const char *unit, guint64 done,
                     guint64 total)
{
	if (!p->tty)
		return;
	gint64 now = g_get_monotonic_time();
	if (now - p->last_draw_us < p->redraw_us)
		return;
	p->last_draw_us = now;
	done = MIN(done, total);
	double secs = (now - p->start_us) / 1e6;
	double rate = secs > 0 ? done / secs : 0;
	fprintf(stderr, "\r\033[K%s%s%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " %s, %.0f/s",
	        what ? what : "", what ? ": " : "", done, total, unit, rate);
	if (rate > 0 && total > done) {
		guint64 eta = (guint64)((total - done) / rate);
		fprintf(stderr, ", ETA %" G_GUINT64_FORMAT ":%02u", eta / 60, (unsigned)(eta % 60));
	}
	fflush(stderr);
	p->drawn = TRUE;
}
