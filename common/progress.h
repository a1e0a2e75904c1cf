/* Progress for long runs: a self-rewriting line on a terminal (stderr),
 * nothing otherwise. */
#ifndef MC_PROGRESS_H
#define MC_PROGRESS_H

#include <glib.h>

struct progress;

/* Returns a new progress reporter that draws only when stderr is a terminal;
 * the caller frees it with progress_free(), which clears the line. */
struct progress *progress_new(void);
void progress_free(struct progress *p);
typedef struct progress progress;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(progress, progress_free)

/* DONE of TOTAL messages handled so far (TOTAL may still grow while sources
 * are scanned). Redraws at most five times a second. */
void progress_update(struct progress *p, guint64 done, guint64 total);

/* The same for any work: "WHAT: DONE/TOTAL UNIT, RATE/s, ETA m:ss"
 * (WHAT may be NULL; DONE is shown as at most TOTAL). */
void progress_update_what(struct progress *p, const char *what, const char *unit, guint64 done,
                          guint64 total);

#endif
