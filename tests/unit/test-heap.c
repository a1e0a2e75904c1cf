/* common/heap.c: the query program's heap on transparent huge pages. */
#include "config.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/heap.h"

/* heap_prefer_huge_pages() in main(), before GTest allocates, as mailclerk
 * calls it. */
static gboolean advised;

/* The line of /proc/self/smaps that starts with FIELD ("VmFlags:",
 * "Rss:") for the mapping that holds P, and the mapping's start in *START;
 * NULL when no mapping holds it. */
static char *
mapping_field(const void *p, const char *field, uintptr_t *start)
{
	g_autofree char *smaps = NULL;
	g_assert_true(g_file_get_contents("/proc/self/smaps", &smaps, NULL, NULL));
	g_auto(GStrv) lines = g_strsplit(smaps, "\n", -1);
	gboolean inside = FALSE;
	for (char **l = lines; *l; l++) {
		unsigned long lo, hi;
		if (sscanf(*l, "%lx-%lx ", &lo, &hi) == 2 && strchr(*l, '-') < strchr(*l, ' ')) {
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			if (inside)
				*start = lo;
		} else if (inside && g_str_has_prefix(*l, field)) {
			return g_strdup(*l);
		}
	}
	return NULL;
}

/* The Rss of the heap's mapping advised for huge pages ("hg"), in kB, read
 * from /proc/self/smaps without allocating; G_MAXUINT when there is none. */
static guint
advised_rss_kb(void)
{
	static char smaps[1 << 20];
	int fd = open("/proc/self/smaps", O_RDONLY);
	g_assert_cmpint(fd, >=, 0);
	gsize len = 0;
	ssize_t n;
	while (len < sizeof smaps - 1 && (n = read(fd, smaps + len, sizeof smaps - 1 - len)) > 0)
		len += (gsize)n;
	close(fd);
	smaps[len] = '\0';
	guint rss = G_MAXUINT;
	/* Each mapping: its line, then "Rss:", ..., "VmFlags:". */
	for (char *m = strstr(smaps, "[heap]"); m; m = strstr(m + 1, "[heap]")) {
		char *flags = strstr(m, "VmFlags:");
		char *r = strstr(m, "\nRss:");
		char *eol = flags ? strchr(flags, '\n') : NULL;
		if (flags && r && r < flags && eol && g_strstr_len(flags, eol - flags, " hg"))
			rss = (guint)strtoul(r + 5, NULL, 10);
	}
	return rss;
}

static char *
flags_of_mapping(const void *p, uintptr_t *start)
{
	return mapping_field(p, "VmFlags:", start);
}

/* Whether the heap can be on huge pages here; else the test is skipped. */
static gboolean
huge_pages_testable(void)
{
#ifdef __SANITIZE_ADDRESS__
	g_test_skip("a sanitizer's allocator has its own heap");
	return FALSE;
#endif
	if (!heap_huge_pages_offered()) {
		g_test_skip("no transparent huge pages here");
		return FALSE;
	}
	return TRUE;
}

/* BLOCK, of SIZE bytes, lies in the heap brk grows (not a mapping of its
 * own), in a part advised for huge pages ("hg") that starts at a 2 MiB
 * boundary. */
static void
assert_on_advised_heap(const char *block, gsize size)
{
	uintptr_t start = 0;
	g_autofree char *flags = flags_of_mapping(block, &start);
	g_assert_nonnull(flags);
	g_assert_nonnull(strstr(flags, " hg"));
	g_assert_cmpuint(start % (2 << 20), ==, 0);
	g_assert_cmpuint((uintptr_t)block + size, <=, (uintptr_t)sbrk(0));
}

/* Blocks small and large (up to the 32 MiB threshold) come from the heap,
 * above a 2 MiB boundary, in a mapping advised for huge pages ("hg"). */
static void
test_blocks_on_advised_heap(void)
{
	if (!huge_pages_testable())
		return;
	g_assert_true(advised);
	const gsize sizes[] = { 24, 4000, 200 * 1024, 8 << 20 };
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		char *block = malloc(sizes[i]);
		g_assert_nonnull(block);
		assert_on_advised_heap(block, sizes[i]);
		memset(block, 1, sizes[i]);
		free(block);
	}
}

static gpointer
allocate_in_thread(gpointer size)
{
	char *block = malloc(GPOINTER_TO_SIZE(size));
	memset(block, 1, GPOINTER_TO_SIZE(size));
	return block;
}

/* A thread's blocks come from the same advised heap (one arena), not from a
 * mapping of its own. */
static void
test_threads_share_heap(void)
{
	if (!huge_pages_testable())
		return;
	const gsize sizes[] = { 48, 64 * 1024 };
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		GThread *t = g_thread_new("alloc", allocate_in_thread, GSIZE_TO_POINTER(sizes[i]));
		char *block = g_thread_join(t);
		assert_on_advised_heap(block, sizes[i]);
		free(block);
	}
}

/* Where the heap's first block lies just below a 2 MiB boundary, what
 * moves the top there fits in the heap as it is and does not grow it: the
 * heap is grown all the same, and advised. In a process of its own, where
 * main() has not called heap_prefer_huge_pages(). */
static void
test_near_boundary(void)
{
	if (!huge_pages_testable())
		return;
	if (g_test_subprocess()) {
		g_assert_true(mallopt(M_MMAP_THRESHOLD, 32 << 20));
		char *first = malloc(1);
		uintptr_t next = (uintptr_t)first + 32;
		uintptr_t boundary = (next + (2 << 20) - 1) & ~(uintptr_t)((2 << 20) - 1);
		/* The next block 16 KiB below the boundary, the heap's top a
		 * little above it. */
		if (boundary - next > (16 << 10) + 64)
			g_assert_nonnull(malloc(boundary - next - (16 << 10) - 8));
		g_assert_cmpuint((uintptr_t)sbrk(0), <, boundary + (2 << 20));
		g_assert_true(heap_prefer_huge_pages());
		/* Nothing of the advised pages touched yet: a page touched before
		 * the advice keeps its 2 MiB on small pages. (Read without
		 * allocating, which would touch them.) */
		g_assert_cmpuint(advised_rss_kb(), ==, 0);
		/* Larger than any block GTest freed: from the top. */
		assert_on_advised_heap(malloc(256 << 10), 256 << 10);
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
}

/* A second call does nothing: the heap's top is not moved again. */
static void
test_once(void)
{
	void *brk_before = sbrk(0);
	g_assert_false(heap_prefer_huge_pages());
	g_assert_true(sbrk(0) == brk_before);
}

int
main(int argc, char **argv)
{
	/* Not in a subprocess of test_near_boundary(), which calls it itself. */
	gboolean subprocess = FALSE;
	for (int i = 1; i < argc; i++)
		subprocess |= g_str_equal(argv[i], "--GTestSubprocess");
	if (!subprocess)
		advised = heap_prefer_huge_pages();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/heap/blocks-on-advised-heap", test_blocks_on_advised_heap);
	g_test_add_func("/heap/threads-share-heap", test_threads_share_heap);
	g_test_add_func("/heap/near-boundary", test_near_boundary);
	g_test_add_func("/heap/once", test_once);
	return g_test_run();
}
