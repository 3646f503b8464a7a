/*
 * cachepress - the page cache under memory pressure: page
 * replacement takes back clean and dirty page-cache pages, not only
 * anonymous ones.
 *
 *     cachepress SRC DST [PERCENT]
 *
 * A filler child writes PERCENT% (default 100) of RAM of anonymous
 * memory and reads it back, twice, while this process copies SRC (larger
 * than RAM, e.g. /data/64m.bin) to DST without fsync and then reads DST
 * back.  Neither file fits in memory beside the filler, so the pager must
 * drop SRC's clean pages as the copy goes on and write DST's dirty pages
 * back before dropping them.  Prints
 *     cachepress: sha256 HEX                      (of DST as read back)
 *     cachepress: evictions E evictions_cache C evictions_cache_dirty D swap_outs S
 * (the whole system's ledger over the run) and the ztest protocol; the
 * host compares HEX with SRC's known digest and checks the counters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <mman.h>
#include <sha256.h>
#include <zc.h>
#include <ztest.h>

#define CHUNK 65536
static char buf[CHUNK];

static int filler(unsigned int npages)
{
	unsigned int *mem = mmap(NULL, (size_t)npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned int bad = 0;
	if (mem == MAP_FAILED)
		return 2;
	for (int round = 0; round < 2; round++) {
		for (unsigned int p = 0; p < npages; p++)
			mem[p * (PAGE_SIZE / 4)] = p * 2654435761u + round;
		for (unsigned int p = 0; p < npages; p++)
			bad += mem[p * (PAGE_SIZE / 4)] != p * 2654435761u + round;
	}
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("usage: cachepress SRC DST [PERCENT_OF_RAM]\n");
		return 2;
	}
	int percent = argc > 3 ? atoi(argv[3]) : 100;
	struct zc_info info;
	struct zc_stats a, b;
	zc_info(&info);
	usys_zc_drop_caches();
	zc_stats(ZC_STATS_SYSTEM, &a);
	pid_t pid = fork();
	if (pid == 0)
		_exit(filler((unsigned int)((unsigned long long)info.total_pages * percent / 100)));

	int in = open(argv[1], O_RDONLY), out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long long copied = 0;
	ssize_t n = -1;
	if (in >= 0 && out >= 0)
		while ((n = read(in, buf, CHUNK)) > 0 && write(out, buf, (size_t)n) == n)
			copied += n;
	CHECK("cachepress.copied", n == 0 && copied > 0);
	close(in);
	close(out);

	struct sha256 s;
	unsigned char d[32];
	char hex[65];
	sha256_init(&s);
	in = open(argv[2], O_RDONLY);
	long long back = 0;
	while (in >= 0 && (n = read(in, buf, CHUNK)) > 0) {
		sha256_update(&s, buf, (size_t)n);
		back += n;
	}
	close(in);
	check_eq("cachepress.read_back", back, copied);
	sha256_final(&s, d);
	sha256_hex(d, hex);
	printf("cachepress: sha256 %s\n", hex);

	int st = -1;
	waitpid(pid, &st, 0);
	check_eq("cachepress.filler_data_intact", st, 0);
	zc_stats(ZC_STATS_SYSTEM, &b);
	printf("cachepress: %lld bytes, %u pages of RAM; evictions %llu evictions_cache %llu "
	       "evictions_cache_dirty %llu swap_outs %llu\n", copied, info.total_pages,
	       b.evictions - a.evictions, b.evictions_cache - a.evictions_cache,
	       b.evictions_cache_dirty - a.evictions_cache_dirty, b.swap_outs - a.swap_outs);
	return ztest_summary();
}
