/*
 * wsloop - a looping working set a little larger than RAM: the case that
 * separates page-replacement policies (vm.policy=clock|fifo).
 *
 *     wsloop [PERCENT] [PASSES] [HOT]   PERCENT of free memory (default 120),
 *                                       PASSES passes (default 4), HOT% of the
 *                                       array a hot set (default 0)
 *
 * Writes every page of an anonymous array of PERCENT% of the free pages
 * once, then reads it PASSES times in order, checking each page.  Prints
 * one line per read pass and a total:
 *     wsloop: pass K major_faults M swap_ins I swap_outs O
 *     wsloop: policy P pages N passes K major_faults M swap_ins I swap_outs O bad B
 * where the counts are for the read passes only (the program's own ledger).
 * The first read pass pushes out the pages written before it (dirty); a
 * page it swaps back in is only read, so later passes can evict it again
 * without writing it (swap_outs near 0 from the second pass on).
 *
 * With HOT, the first HOT% of the array's pages are a hot set inside a
 * cold one: a read pass walks the cold pages in order, and each step also
 * reads hot page p % nhot, so the hot pages are used again and again.  A
 * plain loop defeats both policies (each page is evicted just before it
 * is needed again); with a hot set, clock keeps the hot pages (their
 * accessed bits are set again before the hand comes back) and FIFO
 * evicts them like any other.  The summary line then ends "hot_pages H".
 * A benchmark: it asserts nothing but the data (bad must be 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mman.h>
#include <zc.h>

int main(int argc, char **argv)
{
	int percent = argc > 1 ? atoi(argv[1]) : 120, passes = argc > 2 ? atoi(argv[2]) : 4;
	int hot = argc > 3 ? atoi(argv[3]) : 0;
	struct zc_info info;
	struct zc_stats a, b;
	unsigned long bad = 0;

	zc_info(&info);
	unsigned int n = (unsigned int)((unsigned long long)info.free_pages * percent / 100);
	unsigned int *mem = mmap(NULL, (size_t)n * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		printf("wsloop: mmap failed\n");
		return 1;
	}
	for (unsigned int p = 0; p < n; p++)
		mem[p * (PAGE_SIZE / 4)] = p * 2654435761u;
	zc_stats(ZC_STATS_SELF, &a);
	struct zc_stats before = a, after;
	unsigned int nhot = (unsigned int)((unsigned long long)n * hot / 100);
	for (int k = 0; k < passes; k++) {
		for (unsigned int p = nhot; p < n; p++) {
			bad += mem[p * (PAGE_SIZE / 4)] != p * 2654435761u;
			if (nhot) {
				unsigned int h = p % nhot;
				bad += mem[h * (PAGE_SIZE / 4)] != h * 2654435761u;
			}
		}
		zc_stats(ZC_STATS_SELF, &after);
		printf("wsloop: pass %d major_faults %llu swap_ins %llu swap_outs %llu\n", k + 1,
		       after.faults_major - before.faults_major, after.swap_ins - before.swap_ins,
		       after.swap_outs - before.swap_outs);
		before = after;
	}
	zc_stats(ZC_STATS_SELF, &b);
	printf("wsloop: policy %s pages %u free %u passes %d major_faults %llu swap_ins %llu "
	       "swap_outs %llu bad %lu", info.vm_policy ? "fifo" : "clock", n, info.free_pages,
	       passes, b.faults_major - a.faults_major, b.swap_ins - a.swap_ins,
	       b.swap_outs - a.swap_outs, bad);
	if (nhot)
		printf(" hot_pages %u", nhot);
	printf("\n");
	return bad != 0;
}
