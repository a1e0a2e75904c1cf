/* Catching SIGINT and SIGTERM as a request to stop (the flag and its handler). */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "common/interrupt.h"

/* Written by the handler only; read by every thread. */
static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

static void
catch_one(int sig, int flags)
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART: no library call below sees EINTR it does not expect; poll()
	 * (IMAP) is never restarted, so a wait on a server still ends. */
	sa.sa_flags = SA_RESTART | flags;
	sigaction(sig, &sa, NULL);
}

void
interrupt_catch(void)
{
	/* A second ^C is a person insisting: it kills. A second SIGTERM is
	 * not: a service manager sends one to every process of the unit (the
	 * supervisor passes its own on too, index/supervise.c), and insists
	 * with SIGKILL. */
	catch_one(SIGINT, SA_RESETHAND);
	catch_one(SIGTERM, 0);
	/* A supervisor starts its child with them blocked (index/supervise.c):
	 * one sent while the child started is taken now, as a request to stop. */
	sigset_t stops;
	interrupt_signals(&stops);
	pthread_sigmask(SIG_UNBLOCK, &stops, NULL);
}

void
interrupt_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

int
interrupt_caught(void)
{
	return caught;
}

#ifdef MC_TEST_HOOKS
void
interrupt_test_pause(const char *variable)
{
	const char *path = g_getenv(variable);
	if (!path || !*path || !g_file_set_contents(path, "", 0, NULL))
		return;
	for (int i = 0; i < 6000 && !caught; i++)
		g_usleep(10000);
}
#endif
