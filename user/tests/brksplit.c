/*
 * brksplit - brk on a heap that munmap and mprotect have cut up.
 *
 *     brksplit [ROUNDS]
 *
 * Run as init, on a machine with swap.  The fuzzer found this (fuzz -s 8
 * -p 48 -w 8 -n 4000 panicked in the pager; fuzz -s 7 lost 17 pages):
 * brk assumed the heap was one area ending at the break.  Once mprotect
 * or munmap had split it, a shrinking brk cut only the top piece (leaving
 * it with its end below its start), and a later brk set that piece's end
 * below pages still mapped.  Those pages then lay outside every area:
 * exit, which unmaps area by area, never freed them, and their reverse-map
 * entries kept pointing at the freed address space, where the pager's
 * next walk read freed memory (rmap_test_and_clear_young, and the
 * assertion in rmap_unmap_all).
 *
 * Linux's brk works on the range between the old and the new break,
 * whatever areas lie there, and so must zc32's.  Checks, each in a child:
 *   - after the split and a shrink, the heap above the new break is gone:
 *     a touch there is SIGSEGV (it used to succeed), in each of ROUNDS
 *     children (default 8);
 *   - the heap grows again after the shrink, and its new pages are zero;
 *   - after those children every frame comes back (free + kernel heap +
 *     page cache, caches dropped), and the swap slots too;
 *   - then a child fills twice the RAM, so that the pager walks every
 *     pageable frame (the walk that panicked on a leaked one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <mman.h>
#include <syscall.h>
#include <zc.h>
#include <ztest.h>

#define PG          4096u
#define HEAP_PAGES  64u
#define LEAK_SLACK  4      /* the parent's own stack or page tables may grow a little */

static char *page(char *base, unsigned int n) { return base + n * PG; }

/* Grow the heap by HEAP_PAGES and write every page; then split it into
 * two areas (mprotect of the upper half), shrink the break to 4 pages and
 * take the upper half away with munmap.  Returns the old break. */
static char *cut_heap(void)
{
	char *b = (char *)usys_brk(0);
	b = (char *)(((unsigned long)b + PG - 1) & ~(unsigned long)(PG - 1));
	if (usys_brk(page(b, HEAP_PAGES)) != (long)page(b, HEAP_PAGES))
		_exit(10);
	for (unsigned int i = 0; i < HEAP_PAGES; i++)
		*page(b, i) = (char)(i + 1);
	if (usys_mprotect(page(b, HEAP_PAGES / 2), HEAP_PAGES / 2 * PG, PROT_READ | PROT_WRITE) < 0)
		_exit(11);
	if (usys_brk(page(b, 4)) != (long)page(b, 4))
		_exit(12);
	if (usys_munmap(page(b, HEAP_PAGES / 2), HEAP_PAGES / 2 * PG) < 0)
		_exit(13);
	return b;
}

/* Child: the heap between the new break and the old split point must be
 * gone after the shrink: the first touch there is SIGSEGV.  (It used to
 * map the pages; the brk after it left them outside every area, and the
 * exit stranded them.) */
static void touch_above_break(void)
{
	char *b = cut_heap();
	for (unsigned int i = 4; i < HEAP_PAGES / 2; i++)
		*(volatile char *)page(b, i) = 1;
	usys_brk(page(b, 8));
	_exit(0);
}

/* Child: grow again past the old pieces, and see zeros there. */
static void grow_again(void)
{
	char *b = cut_heap();
	if (usys_brk(page(b, HEAP_PAGES)) != (long)page(b, HEAP_PAGES))
		_exit(20);
	for (unsigned int i = 4; i < HEAP_PAGES; i++) {
		if (*page(b, i) != 0)
			_exit(21);
		*page(b, i) = 1;
	}
	_exit(0);
}

/* Child: fill twice the RAM, writing every page once. */
static void fill(unsigned int pages)
{
	for (unsigned int i = 0; i < pages; i++) {
		char *p = malloc(PG);
		if (!p)
			_exit(30);
		*p = 1;
	}
	_exit(0);
}

static int run(void (*fn)(void))
{
	int st;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		fn();
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 8;
	struct zc_info info;
	run(grow_again);                         /* warm up: libc's and the kernel's first use */
	unsigned int before = zc_pages_accounted();
	zc_info(&info);
	unsigned int swap_before = info.swap_used;

	int st = 0, bad = 0;
	for (int i = 0; i < rounds; i++) {
		st = run(touch_above_break);
		bad += st == -1 || !WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV;
	}
	if (!bad)
		ztest_ok("brksplit.shrink_unmaps_every_piece");
	else
		ztest_fail("brksplit.shrink_unmaps_every_piece", "%d of %d children not SIGSEGV (last 0x%x)",
			   bad, rounds, st);
	check_eq("brksplit.grows_again_with_zeros", run(grow_again), 0);
	unsigned int after = zc_pages_accounted();
	zc_info(&info);
	printf("brksplit: %d rounds: pages free+heap+cache %u before, %u after; swap slots %u, %u\n",
	       rounds, before, after, swap_before, info.swap_used);
	if (after + LEAK_SLACK >= before)
		ztest_ok("brksplit.frames_back");
	else
		ztest_fail("brksplit.frames_back", "%u pages lost", before - after);
	check_eq("brksplit.slots_back", info.swap_used, swap_before);

	unsigned int fill_pages = info.total_pages * 2;
	pid_t pid = fork();
	if (pid == 0)
		fill(fill_pages);
	check_eq("brksplit.pager_walks_every_frame", pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1, 0);
	return ztest_summary();
}
