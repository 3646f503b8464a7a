/*
 * nullsys - what does the cheapest system call cost?
 *
 *     nullsys [N]        N calls (default 100000)
 *
 * Times N getpid() calls, each a bare `int $0x80` (no library wrapper),
 * with rdtsc, and an identical loop without the `int $0x80` to subtract
 * the loop's own cost.  The difference is one round trip user -> kernel
 * -> user: the trap through the IDT, saving and restoring registers,
 * the dispatch, and iret.  Under QEMU with -icount shift=0 the TSC counts
 * guest instructions, so the figure is exactly reproducible.
 * This is a benchmark: it reports numbers and asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <syscall.h>
#include <zc.h>

static inline unsigned long long rdtsc(void)
{
	unsigned long long t;

	__asm__ __volatile__("rdtsc" : "=A"(t));
	return t;
}

static unsigned long long time_syscalls(unsigned long n)
{
	unsigned long long t0 = rdtsc();
	unsigned long i;
	long r;

	for (i = 0; i < n; i++)
		__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(SYS_getpid) : "memory");
	return rdtsc() - t0;
}

/* The same loop, same registers, no trap. */
static unsigned long long time_empty(unsigned long n)
{
	unsigned long long t0 = rdtsc();
	unsigned long i;
	long r;

	for (i = 0; i < n; i++)
		__asm__ __volatile__("" : "=a"(r) : "a"(SYS_getpid) : "memory");
	return rdtsc() - t0;
}

/* x / n with one decimal, as "123.4" (no floating point in zc32 programs). */
static void per_call(char *buf, size_t size, long long x, unsigned long n)
{
	long long tenths = (x * 10 + (x >= 0 ? 1 : -1) * (long long)(n / 2)) / (long long)n;
	long long mag = tenths < 0 ? -tenths : tenths;

	snprintf(buf, size, "%s%lld.%lld", tenths < 0 ? "-" : "", mag / 10, mag % 10);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	unsigned long long raw, empty;
	struct zc_stats a, b;
	char raw_s[32], empty_s[32], net_s[32];
	int have_stats;

	if (n == 0)
		n = 1;
	time_syscalls(n / 10 + 1);                 /* warm up: page in code and stack */
	have_stats = usys_zc_stats(ZC_STATS_SELF, &a) == 0;
	raw = time_syscalls(n);
	if (have_stats)
		have_stats = usys_zc_stats(ZC_STATS_SELF, &b) == 0;
	empty = time_empty(n);

	per_call(net_s, sizeof net_s, (long long)(raw - empty), n);
	per_call(raw_s, sizeof raw_s, (long long)raw, n);
	per_call(empty_s, sizeof empty_s, (long long)empty, n);
	printf("nullsys: %lu calls, %s cycles/call\n", n, net_s);
	printf("nullsys: raw %s cycles/call, empty loop %s cycles/iteration\n", raw_s, empty_s);
	if (have_stats)
		printf("nullsys: ledger counted %llu syscalls, %llu in kernel cycles\n",
		       b.syscalls - a.syscalls, b.cycles_kernel - a.cycles_kernel);
	return 0;
}
