/* mailclerk's own GError domain, and its exit codes (0, 1, 2, 130: mailclerk(1)). */
#ifndef MC_ERROR_H
#define MC_ERROR_H

#include <glib.h>

#define MC_ERROR (mc_error_quark())
GQuark mc_error_quark(void);

enum mc_error_code {
	MC_ERROR_FAILED,      /* a runtime failure: exit 1 */
	MC_ERROR_USAGE,       /* bad options, config or query: exit 2 */
	MC_ERROR_BUSY,        /* another writer holds the database: exit 1 */
	MC_ERROR_INTERRUPTED, /* SIGINT or SIGTERM (common/interrupt.h): exit 130 */
	MC_ERROR_NOT_FOUND,   /* no such message or thread: exit 1, but 2 where the
	                       * reference is what a command is told to change */
	MC_ERROR_REFUSED,     /* a server refused us for good (login refused): exit 1;
	                       * trying again without a change would not help */
};

enum mc_exit {
	MC_EXIT_OK = 0,
	MC_EXIT_FAILURE = 1,
	MC_EXIT_USAGE = 2,
	MC_EXIT_INTERRUPTED = 130, /* as a shell reports a ^C; also for SIGTERM */
};

#endif
