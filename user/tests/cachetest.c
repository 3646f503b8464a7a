/*
 * cachetest - the ledger shows how a file's bytes moved (docs/design.md section 5).
 *
 *     cachetest [FILE [disk]]     default /data/1m.bin
 *
 * Cold: after zc_drop_caches (1004) empties the page cache, reading FILE
 * makes the disk DMA at least its size into memory (ZC_DEV_DISK,
 * device -> memory), and read() copies exactly its size from the kernel
 * to us (one CPU copy per byte, "pagecache->user").
 * Warm: reading it again copies the same bytes to us, and the disk does
 * no DMA at all - the page cache answered.
 *
 * With "disk", the disk's own counters (zc_diskstat, 1005) must show how
 * the cold read reached the device: several requests in flight at once
 * (the first miss asks for the next window too, before sleeping) and
 * requests that gather several scattered page-cache frames
 * (scatter-gather DMA), more than a page each.  Overlap needs a disk
 * slower than the CPU (a real one, or QEMU throttled: the test does
 * that); a fast emulated disk may finish each request before the next.
 * Booted with virtio_blk.max_inflight=1 or virtio_blk.max_segs=1 these
 * checks must fail (tools/test/test_storage.py makes sure they do).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <zc.h>
#include <ztest.h>

static char buf[65536];

#define MAX_DISKS 8

/* The disk that read the most since *before was taken: the one the file
 * is on.  NULL if none read anything. */
static const struct zc_diskstat *busiest(const struct zc_diskstat *before,
					 const struct zc_diskstat *after, int n)
{
	const struct zc_diskstat *best = NULL;
	unsigned long long most = 0;
	for (int i = 0; i < n; i++) {
		unsigned long long r = after[i].read_bytes - before[i].read_bytes;
		if (after[i].dev == ZC_DEV_DISK && r > most) {
			most = r;
			best = &after[i];
		}
	}
	return best;
}

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
	usys_zc_stats(ZC_STATS_SYSTEM, &sys0);
	usys_zc_stats(ZC_STATS_SELF, &me0);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		total += n;
	usys_zc_stats(ZC_STATS_SELF, &me1);
	usys_zc_stats(ZC_STATS_SYSTEM, &sys1);
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
	int disk_checks = argc > 2 && strcmp(argv[2], "disk") == 0;
	struct zc_info info;
	struct delta cold, warm;
	struct stat st;
	long long size;
	long dropped;

	if (!CHECK("setup.stat", stat(path, &st) == 0))
		return ztest_summary();
	size = st.st_size;
	read_measured(path, &warm);                  /* warm the code paths and the cache */

	dropped = usys_zc_drop_caches();
	CHECK("drop_caches.freed", dropped >= size / 4096);
	usys_zc_info(&info);
	printf("# drop_caches freed %ld pages, %u left cached\n", dropped, info.cached_pages);

	/* Zero the disks' peaks (and the ledger: read_measured subtracts
	 * anyway), so they show what the cold read alone did. */
	struct zc_diskstat d0[MAX_DISKS], d1[MAX_DISKS];
	zc_stats_reset();
	int nd = zc_diskstat(d0, MAX_DISKS);
	check_eq("cold.read_all", read_measured(path, &cold), size);
	const struct zc_diskstat *disk = NULL;
	if (CHECK("cold.diskstat", nd > 0 && zc_diskstat(d1, MAX_DISKS) == nd) &&
	    CHECK("cold.disk_found", (disk = busiest(d0, d1, nd)) != NULL)) {
		int k = (int)(disk - d1);
		printf("# cold: %s: %llu reads (%llu bytes), up to %u of %u in flight, "
		       "up to %u of %u segments and %u bytes per request, %llu with several segments\n",
		       disk->name, disk->reads - d0[k].reads, disk->read_bytes - d0[k].read_bytes,
		       disk->peak_inflight, disk->max_inflight, disk->peak_segs, disk->max_segs,
		       disk->peak_bytes, disk->multi_seg - d0[k].multi_seg);
		/* The driver keeps to its limits... */
		CHECK("cold.disk_within_limits", disk->peak_inflight <= disk->max_inflight &&
		      disk->peak_segs <= disk->max_segs);
		/* ...and the disk path uses what the device offers. */
		if (disk_checks) {
			CHECK("cold.disk_requests_overlap", disk->peak_inflight > 1);
			CHECK("cold.disk_scatter_gather", disk->peak_segs > 1);
			CHECK("cold.disk_request_over_a_page", disk->peak_bytes > 4096);
		}
	}
	printf("# cold: disk DMA in %llu out %llu, kernel->user %llu bytes in %llu copies, %llu syscalls\n",
	       cold.dma_in, cold.dma_out, cold.to_user, cold.to_user_ops, cold.syscalls);
	CHECK("cold.disk_dma_at_least_size", cold.dma_in >= (unsigned long long)size);
	/* Only the file and a little metadata (inode, indirect blocks). */
	CHECK("cold.disk_dma_not_much_more", cold.dma_in <= (unsigned long long)size + 128 * 1024);
	check_eq("cold.copy_to_user_exact", cold.to_user, size);
	check_eq("cold.no_disk_writes", cold.dma_out, 0);
	usys_zc_info(&info);
	CHECK("cold.file_now_cached", info.cached_pages >= size / 4096);

	check_eq("warm.read_all", read_measured(path, &warm), size);
	printf("# warm: disk DMA in %llu out %llu, kernel->user %llu bytes in %llu copies, %llu syscalls\n",
	       warm.dma_in, warm.dma_out, warm.to_user, warm.to_user_ops, warm.syscalls);
	check_eq("warm.no_disk_dma", warm.dma_in, 0);
	check_eq("warm.copy_to_user_exact", warm.to_user, size);
	check_eq("warm.same_copies_as_cold", warm.to_user_ops, cold.to_user_ops);
	return ztest_summary();
}
