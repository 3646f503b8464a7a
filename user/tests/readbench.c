/*
 * readbench - how fast does read() move a file?  A benchmark for
 * `make bench` (tools/bench/bench.py): it prints numbers, asserts nothing.
 *
 *     readbench seq FILE [RUNS] [CHUNK]
 *         RUNS times: empty the page cache (zc_drop_caches), read FILE
 *         from start to end in CHUNK-byte read()s (default 128 KiB) timed
 *         with clock_gettime - the cold read, from the disk - then read it
 *         again from the page cache - the warm read.  One line per read:
 *             readbench: cold BYTES bytes NS ns DMA_BYTES dma
 *             readbench: warm BYTES bytes NS ns DMA_BYTES dma
 *
 *     readbench read4k FILE [PASSES]
 *         The cost of one 4 KiB read() of a cached file: read FILE once to
 *         cache it, then PASSES times read it through in 4 KiB read()s
 *         (bare int $0x80, like nullsys), timing each pass with rdtsc, and
 *         time the same loop without the trap to subtract its overhead.
 *         Under QEMU's -icount shift=0,sleep=off rdtsc counts guest
 *         instructions, so this is the exact instruction count of the
 *         system call: trap, dispatch, page-cache lookup, copy, return.
 *             readbench: read4k N reads, X cycles/read
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <syscall.h>
#include <zc.h>

static char buf[1 << 20] __attribute__((aligned(4096)));

static inline unsigned long long rdtsc(void)
{
	unsigned long long t;

	__asm__ __volatile__("rdtsc" : "=A"(t));
	return t;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned long long disk_dma_in(void)
{
	struct zc_stats s;

	return usys_zc_stats(ZC_STATS_SYSTEM, &s) == 0 ? s.dma_bytes[ZC_DEV_DISK][0] : 0;
}

/* Read the whole file; prints one result line. */
static int timed_read(const char *path, const char *label, size_t chunk)
{
	unsigned long long dma0 = disk_dma_in();
	long long total = 0, t0 = now_ns(), t1;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("readbench: cannot open %s\n", path);
		return 1;
	}
	while ((n = read(fd, buf, chunk)) > 0)
		total += n;
	t1 = now_ns();
	close(fd);
	printf("readbench: %s %lld bytes %lld ns %llu dma\n", label, total, t1 - t0, disk_dma_in() - dma0);
	return n < 0;
}

static int seq(const char *path, int runs, size_t chunk)
{
	int i, bad = 0;

	if (chunk == 0 || chunk > sizeof buf)
		chunk = 128 * 1024;
	memset(buf, 0, sizeof buf);                /* fault our buffer in first */
	for (i = 0; i < runs; i++) {
		usys_zc_drop_caches();
		bad |= timed_read(path, "cold", chunk);
		bad |= timed_read(path, "warm", chunk);
	}
	return bad;
}

/* One pass over the file in 4 KiB reads; returns the rdtsc cycles. */
static unsigned long long pass(int fd, unsigned long reads, int trap)
{
	unsigned long long t0, t1;
	unsigned long i;
	long r;

	usys_lseek(fd, 0, SEEK_SET);
	t0 = rdtsc();
	if (trap) {
		for (i = 0; i < reads; i++)
			__asm__ __volatile__("int $0x80" : "=a"(r)
					     : "a"(SYS_read), "b"(fd), "c"(buf), "d"(4096) : "memory");
	} else {
		for (i = 0; i < reads; i++)
			__asm__ __volatile__("" : "=a"(r)
					     : "a"(SYS_read), "b"(fd), "c"(buf), "d"(4096) : "memory");
	}
	t1 = rdtsc();
	return t1 - t0;
}

static int read4k(const char *path, int passes)
{
	unsigned long long raw = 0, empty = 0, size;
	unsigned long reads;
	long tenths;
	int fd = open(path, O_RDONLY), i;

	if (fd < 0) {
		printf("readbench: cannot open %s\n", path);
		return 1;
	}
	size = (unsigned long long)lseek(fd, 0, SEEK_END);
	reads = (unsigned long)(size / 4096);
	if (reads == 0 || reads * 4096 > sizeof buf * 64) {
		printf("readbench: %s: need a file of 4 KiB .. 64 MiB\n", path);
		return 1;
	}
	memset(buf, 0, 4096);
	pass(fd, reads, 1);                         /* cache the file, warm the code */
	pass(fd, reads, 1);
	for (i = 0; i < passes; i++) {
		raw += pass(fd, reads, 1);
		empty += pass(fd, reads, 0);
	}
	close(fd);
	reads *= (unsigned long)passes;
	tenths = (long)(((raw - empty) * 10 + reads / 2) / reads);
	printf("readbench: read4k %lu reads, %ld.%ld cycles/read\n", reads, tenths / 10, tenths % 10);
	printf("readbench: raw %llu cycles, empty loop %llu cycles\n", raw, empty);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "seq") == 0)
		return seq(argv[2], argc > 3 ? atoi(argv[3]) : 3, argc > 4 ? (size_t)atoi(argv[4]) : 0);
	if (argc >= 3 && strcmp(argv[1], "read4k") == 0)
		return read4k(argv[2], argc > 3 ? atoi(argv[3]) : 10);
	fprintf(stderr, "usage: readbench seq FILE [RUNS] [CHUNK] | readbench read4k FILE [PASSES]\n");
	return 2;
}
