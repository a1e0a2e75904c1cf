/* The query program's heap on transparent huge pages.
 *
 * On a virtual machine every page a process touches first costs a fault of
 * 10-14 us, and a search touched about 150 pages of new heap (SQLite's
 * page cache and schema, the hits): more time than the query itself. Laid
 * on one 2 MiB huge page, the same heap costs one fault. See HACKING.md,
 * "The heap on huge pages". */
#ifndef MC_COMMON_HEAP_H
#define MC_COMMON_HEAP_H

#include <glib.h>

/* Asks glibc's malloc to take blocks up to 32 MiB from the heap and to grow
 * it 64 MiB at a time, moves the heap's top to a 2 MiB boundary, advises
 * the kernel to back what lies above it with huge pages, and has threads
 * allocate from that heap too (one arena). Call it first in
 * main(), before anything allocates much. Returns FALSE where that cannot
 * be: no transparent huge pages (built without, or "never": then nothing is
 * changed), or another allocator than glibc's (a sanitizer's, valgrind's,
 * jemalloc), whose heap is not the one brk grows: malloc's settings may then
 * have changed, which changes where blocks lie and nothing else. Touches no
 * advised memory. */
gboolean heap_prefer_huge_pages(void);

/* Whether the kernel gives a process transparent huge pages when asked
 * ("always" or "madvise" in /sys/kernel/mm/transparent_hugepage/enabled).
 * heap_prefer_huge_pages() changes nothing where it does not. */
gboolean heap_huge_pages_offered(void);

#endif
