/*
 * bigfile - a large file written and read back through the page cache.
 *
 *     bigfile SRC DST         copy SRC to DST (64 KiB writes), fsync, drop
 *                             the page cache, read DST back from the disk
 *                             and print "bigfile: sha256 HEX"; then a sparse
 *                             file DST.sparse with 8 KiB written 100 MiB in
 *
 * With /data/64m.bin as SRC the copy needs single and double indirect
 * blocks (and on a 1 KiB-block disk nearly all of them are behind the
 * double indirect block); the sparse file's data lies behind the triple
 * indirect block on a 1 KiB-block disk.  The host compares the printed
 * digest with tools/mkdata.py, reads DST with debugfs, and runs e2fsck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <sha256.h>
#include <zc.h>
#include <ztest.h>

#define CHUNK 65536
static char buf[CHUNK];

static void hex_of(struct sha256 *s, char hex[65])
{
	unsigned char d[32];

	sha256_final(s, d);
	sha256_hex(d, hex);
}

/* Copy src to dst; returns the bytes copied or -1. */
static long copy(const char *src, const char *dst)
{
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	long total = 0;
	ssize_t n;

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, CHUNK)) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			total = -1;
			break;
		}
		total += n;
	}
	check_eq("bigfile.fsync", fsync(out), 0);
	close(in);
	close(out);
	return n < 0 ? -1 : total;
}

static void sparse(const char *dst)
{
	char path[256], back[8192], hex[65];
	loff_t at = 100LL * 1024 * 1024 + 12345, res;
	struct stat64 st;
	struct sha256 s;
	int fd, i, zero = 1;

	snprintf(path, sizeof path, "%s.sparse", dst);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (i = 0; i < (int)sizeof back; i++)
		back[i] = (char)(i * 31 + 7);
	check_eq("sparse.seek", usys_llseek(fd, (unsigned long)(at >> 32), (unsigned long)at, &res, SEEK_SET), 0);
	check_eq("sparse.write", write(fd, back, sizeof back), sizeof back);
	fstat64(fd, &st);
	check_eq("sparse.size", st.st_size, at + (loff_t)sizeof back);
	/* 8 KiB of data and a few indirect blocks, not 100 MiB. */
	CHECK("sparse.few_blocks", st.st_blocks > 0 && st.st_blocks <= 64);
	fsync(fd);
	close(fd);
	usys_zc_drop_caches();

	fd = open(path, O_RDONLY);
	lseek(fd, 50 * 1024 * 1024, SEEK_SET);
	memset(buf, 1, 4096);
	read(fd, buf, 4096);
	for (i = 0; i < 4096; i++)
		if (buf[i])
			zero = 0;
	CHECK("sparse.hole_reads_zero", zero);
	usys_llseek(fd, (unsigned long)(at >> 32), (unsigned long)at, &res, SEEK_SET);
	memset(buf, 0, sizeof back);
	check_eq("sparse.read", read(fd, buf, sizeof back), sizeof back);
	CHECK("sparse.same_data", memcmp(buf, back, sizeof back) == 0);
	check_eq("sparse.eof", read(fd, buf, 10), 0);
	close(fd);
	sha256_init(&s);
	sha256_update(&s, back, sizeof back);
	hex_of(&s, hex);
	printf("bigfile: sparse tail sha256 %s\n", hex);
}

int main(int argc, char **argv)
{
	struct stat64 st, sst;
	struct sha256 s;
	char hex[65];
	long copied;
	int fd;
	ssize_t n;
	long long total = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: bigfile SRC DST\n");
		return 2;
	}
	stat64(argv[1], &sst);
	copied = copy(argv[1], argv[2]);
	check_eq("bigfile.copied", copied, sst.st_size);
	check_eq("bigfile.stat", stat64(argv[2], &st), 0);
	check_eq("bigfile.size", st.st_size, sst.st_size);
	/* Data blocks plus at least one indirect block. */
	CHECK("bigfile.blocks", st.st_blocks > (unsigned long long)st.st_size / 512);
	printf("bigfile: %lld bytes, %llu sectors allocated, block size %lu\n",
	       st.st_size, st.st_blocks, st.st_blksize);

	/* Read it back from the disk, not from the cache. */
	CHECK("bigfile.drop_caches", usys_zc_drop_caches() >= 0);
	fd = open(argv[2], O_RDONLY);
	sha256_init(&s);
	while ((n = read(fd, buf, CHUNK)) > 0) {
		sha256_update(&s, buf, (size_t)n);
		total += n;
	}
	close(fd);
	check_eq("bigfile.read_back", total, sst.st_size);
	hex_of(&s, hex);
	printf("bigfile: sha256 %s\n", hex);

	sparse(argv[2]);
	return ztest_summary();
}
