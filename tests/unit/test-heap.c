/* common/heap.c: the query program's heap on transparent huge pages. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/heap.h"

/* heap_prefer_huge_pages() in main(), before GTest allocates, as mailclerk
 * calls it. */
static gboolean advised;

/* Whether this kernel gives a process huge pages when asked: "always" or
 * "madvise" in sysfs, as brackets mark the one chosen. */
static gboolean
kernel_offers_huge_pages(void)
{
	g_autofree char *mode = NULL;
	if (!g_file_get_contents("/sys/kernel/mm/transparent_hugepage/enabled", &mode, NULL, NULL))
		return FALSE;
	return strstr(mode, "[always]") || strstr(mode, "[madvise]");
}

/* The VmFlags line of the mapping of /proc/self/smaps that holds P, and the
 * mapping's start in *START; NULL when no mapping holds it. */
static char *
flags_of_mapping(const void *p, uintptr_t *start)
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
		} else if (inside && g_str_has_prefix(*l, "VmFlags:")) {
			return g_strdup(*l);
		}
	}
	return NULL;
}

/* Blocks small and large (up to the 32 MiB threshold) come from the heap,
 * above a 2 MiB boundary, in a mapping advised for huge pages ("hg"). */
static void
test_blocks_on_advised_heap(void)
{
#ifdef __SANITIZE_ADDRESS__
	g_test_skip("a sanitizer's allocator has its own heap");
	return;
#endif
	if (!kernel_offers_huge_pages()) {
		g_test_skip("no transparent huge pages here");
		return;
	}
	g_assert_true(advised);
	const gsize sizes[] = { 24, 4000, 200 * 1024, 8 << 20 };
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		char *block = malloc(sizes[i]);
		g_assert_nonnull(block);
		uintptr_t start = 0;
		g_autofree char *flags = flags_of_mapping(block, &start);
		g_assert_nonnull(flags);
		g_assert_nonnull(strstr(flags, " hg"));
		g_assert_cmpuint(start % (2 << 20), ==, 0);
		/* From the heap brk grows, not a mapping of its own. */
		g_assert_cmpuint((uintptr_t)block + sizes[i], <=, (uintptr_t)sbrk(0));
		memset(block, 1, sizes[i]);
		free(block);
	}
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
	advised = heap_prefer_huge_pages();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/heap/blocks-on-advised-heap", test_blocks_on_advised_heap);
	g_test_add_func("/heap/once", test_once);
	return g_test_run();
}
