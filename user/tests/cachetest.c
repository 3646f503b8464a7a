/*
 * cachetest - the ledger shows how a file's bytes moved (DESIGN.md 5).
 *
 *     cachetest [FILE]     default /data/1m.bin
 *
 * Cold: after zc_drop_caches (1004) empties the page cache, reading FILE
 * makes the disk DMA at least its size into memory (ZC_DEV_DISK,
 * device -> memory), and read() copies exactly its size from the kernel
 * to us (one CPU copy per byte, "pagecache->user").
 * Warm: reading it again copies the same bytes to us, and the disk does
 * no DMA at all - the page cache answered.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <zc.h>
#include <ztest.h>

static char buf[65536];

struct delta {
	unsigned long long dma_in, dma_out, to_user, to_user_ops, syscalls;
};

/* Read the whole file; the counters' change while doing so. */
static long long read_measured(const char *path, struct delta *d)
{
	struct zc_stats sys0, sys1, me0, me1;
	long long total = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	sys_zc_stats(ZC_STATS_SYSTEM, &sys0);
	sys_zc_stats(ZC_STATS_SELF, &me0);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	sys_zc_stats(ZC_STATS_SELF, &me1);
	sys_zc_stats(ZC_STATS_SYSTEM, &sys1);
	close(fd);
	d->dma_in = sys1.dma_bytes[ZC_DEV_DISK][0] - sys0.dma_bytes[ZC_DEV_DISK][0];
	d->dma_out = sys1.dma_bytes[ZC_DEV_DISK][1] - sys0.dma_bytes[ZC_DEV_DISK][1];
	d->to_user = me1.bytes[ZC_CPU_KERNEL_TO_USER] - me0.bytes[ZC_CPU_KERNEL_TO_USER];
	d->to_user_ops = me1.ops[ZC_CPU_KERNEL_TO_USER] - me0.ops[ZC_CPU_KERNEL_TO_USER];
	d->syscalls = me1.syscalls - me0.syscalls;
	return total;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/data/1m.bin";
	struct zc_info info;
	struct delta cold, warm;
	struct stat st;
	long long size;
	long dropped;

	if (!CHECK("setup.stat", stat(path, &st) == 0))
		return ztest_summary();
	size = st.st_size;
	read_measured(path, &warm);                  /* warm the code paths and the cache */

	dropped = sys_zc_drop_caches();
	CHECK("drop_caches.freed", dropped >= size / 4096);
	sys_zc_info(&info);
	printf("# drop_caches freed %ld pages, %u left cached\n", dropped, info.cached_pages);

	check_eq("cold.read_all", read_measured(path, &cold), size);
	printf("# cold: disk DMA in %llu out %llu, kernel->user %llu bytes in %llu copies, %llu syscalls\n",
	       cold.dma_in, cold.dma_out, cold.to_user, cold.to_user_ops, cold.syscalls);
	CHECK("cold.disk_dma_at_least_size", cold.dma_in >= (unsigned long long)size);
	/* Only the file and a little metadata (inode, indirect blocks). */
	CHECK("cold.disk_dma_not_much_more", cold.dma_in <= (unsigned long long)size + 128 * 1024);
	check_eq("cold.copy_to_user_exact", cold.to_user, size);
	check_eq("cold.no_disk_writes", cold.dma_out, 0);
	sys_zc_info(&info);
	CHECK("cold.file_now_cached", info.cached_pages >= size / 4096);

	check_eq("warm.read_all", read_measured(path, &warm), size);
	printf("# warm: disk DMA in %llu out %llu, kernel->user %llu bytes in %llu copies, %llu syscalls\n",
	       warm.dma_in, warm.dma_out, warm.to_user, warm.to_user_ops, warm.syscalls);
	check_eq("warm.no_disk_dma", warm.dma_in, 0);
	check_eq("warm.copy_to_user_exact", warm.to_user, size);
	check_eq("warm.same_copies_as_cold", warm.to_user_ops, cold.to_user_ops);
	return ztest_summary();
}
