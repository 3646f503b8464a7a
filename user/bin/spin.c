/*
 * spin - burn CPU, to watch the scheduler share it.
 *     spin [NAME [TIMES [MILLIONS]]]
 * Counts to MILLIONS million (default 20) without a system call, prints
 * "NAME i", and repeats TIMES times (default 10).  Run two at once
 * (`spin a | spin b`) and their lines interleave: the timer interrupt
 * preempts each one, since neither ever gives up the CPU by itself.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "spin";
	long times = argc > 2 ? atol(argv[2]) : 10;
	unsigned long n = (argc > 3 ? strtoul(argv[3], NULL, 10) : 20) * 1000000UL;
	long t;

	for (t = 1; t <= times; t++) {
		unsigned long i;

		/* The empty asm tells the compiler the loop has an effect,
		 * so it cannot delete it; it adds no instructions. */
		for (i = 0; i < n; i++)
			__asm__ __volatile__("" : : "r"(i));
		fprintf(stderr, "%s %ld\n", name, t);
	}
	return 0;
}
