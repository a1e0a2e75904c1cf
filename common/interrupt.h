/* SIGINT and SIGTERM as a request to stop: long runs (ingest) check for it at
 * safe points and say how far they got, instead of dying mid-sentence. */
#ifndef MC_INTERRUPT_H
#define MC_INTERRUPT_H

#include <glib.h>
#include <signal.h>

/* Installs handlers for SIGINT and SIGTERM that only note the signal. SIGINT's
 * is reset to the default by its first delivery, so a second ^C stops at once
 * (which loses nothing either: the index is kill -9 safe); SIGTERM only ever
 * asks, since a service manager sends it to every process of a unit and
 * insists with SIGKILL. A signal ignored when the process started (a
 * background job of a script) stays ignored. */
void interrupt_catch(void);

/* Sets SET to the signals interrupt_catch() takes as a request to stop:
 * SIGINT and SIGTERM. */
void interrupt_signals(sigset_t *set);

/* Returns the signal caught since interrupt_catch() (SIGINT or SIGTERM), or 0.
 * Safe from any thread. */
int interrupt_caught(void);

#ifdef MC_TEST_HOOKS
/* Test builds only: when the environment VARIABLE (MAILCLERK_TEST_PAUSE, or
 * one for a point of its own) names a file, creates it and waits (60 s at
 * most) until a signal is caught, so that a test can send one at a known
 * point. */
void interrupt_test_pause(const char *variable);
#endif

#endif
