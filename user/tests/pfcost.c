/*
 * pfcost - what does one demand-zero page fault cost?
 *
 *     pfcost [PAGES]        PAGES fresh pages (default 2048)
 *
 * Maps PAGES of anonymous memory and writes one word to each page: every
 * write is the first touch of a fresh page, so each one faults and the
 * kernel finds a frame, zeroes it and maps it (mm/fault.c do_anon_fault).
 * The same loop over the now-present pages gives the loop's own cost,
 * which is subtracted.  Under QEMU with -icount shift=0,sleep=off rdtsc
 * counts guest instructions, so the figure is exact and reproducible.
 * Prints "pfcost: N faults, X cycles/fault".  A benchmark: asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <mman.h>
#include <zc.h>

static inline unsigned long long rdtsc(void)
{
	unsigned long long t;
	__asm__ __volatile__("rdtsc" : "=A"(t));
	return t;
}

static unsigned long long touch(volatile char *p, unsigned long n)
{
	unsigned long long t0 = rdtsc();
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE_SIZE] = 1;
	return rdtsc() - t0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2048;
	struct zc_stats a, b;
	char *p = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("pfcost: mmap failed\n");
		return 1;
	}
	touch(p, 1);                        /* the page table for the area, made once */
	zc_stats(ZC_STATS_SELF, &a);
	unsigned long long faulting = touch(p + PAGE_SIZE, n - 1);
	zc_stats(ZC_STATS_SELF, &b);
	unsigned long long present = touch(p + PAGE_SIZE, n - 1);
	unsigned long long net = faulting - present;
	unsigned long long tenths = (net * 10 + (n - 1) / 2) / (n - 1);
	printf("pfcost: %lu faults, %llu.%llu cycles/fault\n", n - 1, tenths / 10, tenths % 10);
	printf("pfcost: raw %llu cycles, loop over present pages %llu cycles; ledger: %llu minor, "
	       "%llu major faults\n", faulting, present, b.faults_minor - a.faults_minor,
	       b.faults_major - a.faults_major);
	return 0;
}
