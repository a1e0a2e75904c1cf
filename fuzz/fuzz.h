/* What the libFuzzer targets of fuzz/ share (see HACKING.md, "Fuzzing").
 *
 * A target aborts through fuzz_fail() when the code under test breaks a
 * promise its header makes (valid UTF-8, bytes read back as listed...):
 * libFuzzer then keeps the input as it keeps a crash's. */
#ifndef MC_FUZZ_H
#define MC_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Makes GLib criticals fatal (a failed g_return_if_fail() is a bug, not
 * input); every target's LLVMFuzzerInitialize() calls it first. */
void fuzz_init(void);

/* Prints "fuzz: " and the message, then aborts. */
void fuzz_fail(const char *format, ...) G_GNUC_NORETURN G_GNUC_PRINTF(1, 2);

/* Aborts unless S (WHAT names it) is NULL or valid UTF-8. */
void fuzz_check_utf8(const char *what, const char *s);

/* A file in memory (memfd) that code under test opens by name; PATH is
 * "/proc/self/fd/N", owned by the struct. */
struct fuzz_file {
	int fd;
	char path[64];
};

/* Creates the file or aborts. */
void fuzz_file_init(struct fuzz_file *f);

/* Makes DATA (SIZE bytes) the whole content of F, or aborts. */
void fuzz_file_set(struct fuzz_file *f, const uint8_t *data, size_t size);

#endif
