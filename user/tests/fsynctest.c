/*
 * fsynctest - fsync makes data durable: it writes the file's pages and
 * the file system's metadata, then sends the disk a flush request.
 *
 *     fsynctest DIR SIZE SEED [eio]
 *
 * Writes DIR/synced (SIZE bytes of xorshift32 from SEED, the bytes
 * test_storage.py's xorshift_bytes makes) and checks, with the disk's
 * own counters (zc_diskstat), that fsync() returned 0, wrote at least
 * SIZE bytes and issued at least one flush; then fsync on the directory,
 * which must flush too.  After the summary it prints
 *
 *     fsynctest: synced, waiting to be killed
 *
 * writes DIR/unsynced without syncing it, and waits.  The host kills QEMU
 * on that line - no sync at power-off - and reads DIR/synced back from
 * the image with debugfs: every byte must be there.
 *
 * With "eio" the disk fails every flush (QEMU's blkdebug): fsync of the
 * file and of the directory must say EIO - the data is not known to be
 * durable - and the program exits (the kernel reports the failed sync at
 * power-off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <time.h>
#include <errno.h>
#include <zc.h>
#include <ztest.h>

#define MAX_DISKS 8

static char buf[65536];

/* The root disk's counters: the first ZC_DEV_DISK disk (the one the
 * kernel mounted is the first with an ext2 superblock; the tests give it
 * first). */
static int root_disk(struct zc_diskstat *out)
{
	struct zc_diskstat d[MAX_DISKS];
	int n = zc_diskstat(d, MAX_DISKS);
	for (int i = 0; i < n; i++)
		if (d[i].dev == ZC_DEV_DISK) {
			*out = d[i];
			return 0;
		}
	return -1;
}

static int write_pattern(int fd, long size, unsigned seed)
{
	unsigned x = seed;
	long done = 0;
	while (done < size) {
		long n = size - done < (long)sizeof buf ? size - done : (long)sizeof buf;
		for (long i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (char)x;
		}
		if (write(fd, buf, n) != n)
			return -1;
		done += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/durable";
	long size = argc > 2 ? atol(argv[2]) : 300000;
	unsigned seed = argc > 3 ? (unsigned)atol(argv[3]) : 7;
	int want_eio = argc > 4 && strcmp(argv[4], "eio") == 0;
	struct zc_diskstat a, b, c;
	char path[256];
	int fd, dfd;

	CHECK("setup.mkdir", mkdir(dir, 0755) == 0);
	snprintf(path, sizeof path, "%s/synced", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!CHECK("setup.open", fd >= 0) || !CHECK("setup.diskstat", root_disk(&a) == 0))
		return ztest_summary();
	CHECK("write.all", write_pattern(fd, size, seed) == 0);
	if (want_eio) {
		int r = fsync(fd);
		CHECK("fsync.eio", r == -1 && errno == EIO);
		close(fd);
		dfd = open(dir, O_RDONLY);
		r = fsync(dfd);
		CHECK("fsync_dir.eio", r == -1 && errno == EIO);
		close(dfd);
		return ztest_summary();
	}

	check_eq("fsync.result", fsync(fd), 0);
	root_disk(&b);
	printf("# fsync: %llu writes (%llu bytes), %llu flushes, %llu errors\n",
	       b.writes - a.writes, b.write_bytes - a.write_bytes, b.flushes - a.flushes,
	       b.errors - a.errors);
	CHECK("fsync.wrote_the_data", b.write_bytes - a.write_bytes >= (unsigned long long)size);
	CHECK("fsync.flushed", b.flushes - a.flushes >= 1);
	check_eq("fsync.no_errors", b.errors - a.errors, 0);
	close(fd);

	/* A directory's fsync makes its entries durable: a flush too. */
	dfd = open(dir, O_RDONLY);
	check_eq("fsync_dir.result", fsync(dfd), 0);
	root_disk(&c);
	CHECK("fsync_dir.flushed", c.flushes - b.flushes >= 1);
	close(dfd);

	ztest_summary();
	printf("fsynctest: synced, waiting to be killed\n");

	/* Dirty data the host's kill will lose: the synced file must not care. */
	snprintf(path, sizeof path, "%s/unsynced", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write_pattern(fd, 100000, seed + 1);
	for (;;) {
		struct timespec ts = { 1, 0 };
		nanosleep(&ts, NULL);
	}
}
