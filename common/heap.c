/* The query program's heap on transparent huge pages (see heap.h). */
#include "config.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/heap.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
/* Blocks below this come from the heap, not from mmap (glibc's default
 * starts at 128 KiB): a search's arrays of hits then lie on the huge pages
 * too. 32 MiB is the most glibc takes. */
#define HEAP_MMAP_THRESHOLD (32 << 20)
/* The heap grows by this much beyond what is asked, all of it advised:
 * address space only until touched. */
#define HEAP_TOP_PAD (64 << 20)

gboolean
heap_huge_pages_offered(void)
{
	/* Read into the stack, not the heap: nothing is allocated before the
	 * heap is placed. */
	char mode[128];
	int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	ssize_t n = read(fd, mode, sizeof mode - 1);
	close(fd);
	if (n <= 0)
		return FALSE;
	mode[n] = '\0';
	return strstr(mode, "[always]") || strstr(mode, "[madvise]");
}

/* The block that moves the heap's top to a huge page's boundary; never
 * freed (held here, so that leak checkers see it reachable). */
static void *below_huge_pages;

gboolean
heap_prefer_huge_pages(void)
{
#if defined(MADV_HUGEPAGE) && defined(M_TOP_PAD) && !defined(__SANITIZE_ADDRESS__)
	if (below_huge_pages || !heap_huge_pages_offered())
		return FALSE;
	if (!mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD) || !mallopt(M_TOP_PAD, HEAP_TOP_PAD))
		return FALSE;
	/* The next block malloc hands out begins where this one ends (its
	 * chunk is the smallest, 32 bytes, 16 of them header). */
	char *probe = malloc(1);
	uintptr_t brk_end = (uintptr_t)sbrk(0);
	if (!probe || (uintptr_t)probe >= brk_end || brk_end - (uintptr_t)probe > HEAP_TOP_PAD) {
		free(probe); /* another allocator's: its heap is not brk's */
		return FALSE;
	}
	uintptr_t next = (uintptr_t)probe + 32;
	uintptr_t boundary = (next + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	/* The block below must not fit in what the heap has: grown for it,
	 * the heap writes its new top's header at BOUNDARY - 8, below the
	 * advised pages; grown later, it would write one above, and a page
	 * touched before the advice keeps its 2 MiB from being a huge page. */
	if (boundary < brk_end + 64)
		boundary += HUGE_PAGE;
	/* Its chunk, 8 bytes more than asked rounded up to 16, ends where the
	 * block after it starts its header, 16 bytes before BOUNDARY. */
	below_huge_pages = malloc(boundary - next - 8);
	free(probe);
	uintptr_t end = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
	if (!below_huge_pages || end <= boundary ||
	    madvise((void *)boundary, end - boundary, MADV_HUGEPAGE) != 0)
		return FALSE;
	/* Threads allocate from this heap too, not each from an arena of its
	 * own on small pages: the ranking threads' page caches were most of a
	 * ranked search's faults. */
	mallopt(M_ARENA_MAX, 1);
	return TRUE;
#else
	return FALSE;
#endif
}
