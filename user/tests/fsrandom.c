/*
 * fsrandom - many random file operations against a model kept in memory.
 *
 *     fsrandom [OPS] [SEED]      default 1500 operations, seed 1
 *     fsrandom dir [SEED] [N]    N creates, renames and unlinks in one
 *                                directory; getdents must list the model
 *
 * Over a small set of names in three directories under /rnd it creates,
 * rewrites, appends to, overwrites in the middle of, truncates, renames
 * and unlinks files, now and then empties the page cache, and keeps the
 * bytes every file should hold in memory.  At the end each file is read
 * back and compared with the model, and every name the model says is
 * absent must be absent.  The host then runs e2fsck on the image, which
 * checks the bitmaps, link counts and block maps all these operations
 * left behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <dirent.h>
#include <zc.h>
#include <ztest.h>

#define NDIRS   3
#define PERDIR  6
#define NFILES  (NDIRS * PERDIR)
#define MAXSIZE (160 * 1024)

struct model {
	int exists;
	long size;
	unsigned char *data;          /* MAXSIZE bytes */
};

static struct model files[NFILES];
static unsigned char buf[MAXSIZE];
static unsigned rng;
static int op_errors;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static const char *name(int i)
{
	static char b[4][64];
	static int k;
	char *p = b[k++ % 4];
	snprintf(p, 64, "/rnd/d%c/f%d", 'A' + i / PERDIR, i % PERDIR);
	return p;
}

static void fail_op(const char *what, int i, long r)
{
	if (op_errors++ < 10)
		printf("# %s %s: %ld\n", what, name(i), r);
}

static void fill(unsigned char *p, long n)
{
	unsigned seed = rnd(1u << 30);
	for (long k = 0; k < n; k++)
		p[k] = (unsigned char)(seed + k * 7 + (k >> 9));
}

static void op_write(int i)
{
	long n = rnd(MAXSIZE);
	int fd = open(name(i), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fill(buf, n);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		fail_op("write", i, fd);
	close(fd);
	files[i].exists = 1;
	files[i].size = n;
	memcpy(files[i].data, buf, (size_t)n);
}

static void op_append(int i)
{
	long n = rnd(9000);
	int fd;
	if (!files[i].exists)
		return;
	if (files[i].size + n > MAXSIZE)
		n = MAXSIZE - files[i].size;
	fd = open(name(i), O_WRONLY | O_APPEND);
	fill(buf, n);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		fail_op("append", i, fd);
	close(fd);
	memcpy(files[i].data + files[i].size, buf, (size_t)n);
	files[i].size += n;
}

/* Overwrite a stretch anywhere, possibly past the end (leaving a hole). */
static void op_pwrite(int i)
{
	long off = rnd(MAXSIZE - 10000), n = 1 + rnd(9000);
	int fd;
	if (!files[i].exists)
		return;
	fd = open(name(i), O_WRONLY);
	fill(buf, n);
	if (fd < 0 || lseek(fd, off, SEEK_SET) != off || write(fd, buf, (size_t)n) != n)
		fail_op("pwrite", i, fd);
	close(fd);
	if (off > files[i].size)
		memset(files[i].data + files[i].size, 0, (size_t)(off - files[i].size));
	memcpy(files[i].data + off, buf, (size_t)n);
	if (off + n > files[i].size)
		files[i].size = off + n;
}

static void op_truncate(int i)
{
	long n = rnd(MAXSIZE);
	long r;
	if (!files[i].exists)
		return;
	if ((r = truncate(name(i), n)) != 0)
		fail_op("truncate", i, r);
	if (n > files[i].size)
		memset(files[i].data + files[i].size, 0, (size_t)(n - files[i].size));
	files[i].size = n;
}

static void op_rename(int i)
{
	int j = (int)rnd(NFILES);
	long r;
	if (!files[i].exists || i == j)
		return;
	if ((r = rename(name(i), name(j))) != 0)
		fail_op("rename", i, r);
	unsigned char *t = files[j].data;
	files[j] = files[i];
	files[i].data = t;
	files[i].exists = 0;
	files[i].size = 0;
}

static void op_unlink(int i)
{
	long r;
	if (!files[i].exists)
		return;
	if ((r = unlink(name(i))) != 0)
		fail_op("unlink", i, r);
	files[i].exists = 0;
	files[i].size = 0;
}

/* ---- one big directory ------------------------------------------------ */

#define DIRN 1500
static char *dnames[DIRN];           /* NULL: that slot's name is absent */

static char *random_name(int slot)
{
	int len = 8 + (int)rnd(200);     /* paths stay below zc32's PATH_MAX */
	char *n = malloc((size_t)len + 1);
	int k = snprintf(n, (size_t)len + 1, "%d-", slot);
	for (; k < len; k++)
		n[k] = (char)('a' + rnd(26));
	n[len] = 0;
	return n;
}

/* Names come and go (entries split, merged, reused, blocks appended);
 * getdents64 must then list exactly the model's names. */
static int big_dir(int rounds)
{
	static char dbuf[4096];
	char path[300], path2[300];
	int i, r, fd, n, seen = 0, want = 0, unknown = 0, errors = 0;

	CHECK("dir.mkdir", mkdir("/rnd", 0755) == 0 && mkdir("/rnd/big", 0755) == 0);
	for (r = 0; r < rounds; r++) {
		i = (int)rnd(DIRN);
		if (!dnames[i]) {
			dnames[i] = random_name(i);
			snprintf(path, sizeof path, "/rnd/big/%s", dnames[i]);
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
			errors += fd < 0;
			close(fd);
		} else if (rnd(3) == 0) {
			char *nn = random_name(i);
			snprintf(path, sizeof path, "/rnd/big/%s", dnames[i]);
			snprintf(path2, sizeof path2, "/rnd/big/%s", nn);
			errors += rename(path, path2) != 0;
			free(dnames[i]);
			dnames[i] = nn;
		} else {
			snprintf(path, sizeof path, "/rnd/big/%s", dnames[i]);
			errors += unlink(path) != 0;
			free(dnames[i]);
			dnames[i] = NULL;
		}
		if (r % 500 == 0)
			usys_zc_drop_caches();
	}
	check_eq("dir.no_errors", errors, 0);
	for (i = 0; i < DIRN; i++)
		want += dnames[i] != NULL;
	fd = open("/rnd/big", O_RDONLY | O_DIRECTORY);
	while ((n = getdents64(fd, (struct linux_dirent64 *)dbuf, sizeof dbuf)) > 0) {
		for (int off = 0; off < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(dbuf + off);
			off += e->d_reclen;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			int slot = atoi(e->d_name);
			if (slot >= 0 && slot < DIRN && dnames[slot] && strcmp(dnames[slot], e->d_name) == 0)
				seen++;
			else
				unknown++;
		}
	}
	close(fd);
	printf("# big directory: %d names\n", want);
	check_eq("dir.listed_all", seen, want);
	check_eq("dir.no_unknown", unknown, 0);
	sync();
	return ztest_summary();
}

int main(int argc, char **argv)
{
	int ops = argc > 1 ? atoi(argv[1]) : 1500, i, bad = 0, missing = 0, extra = 0;
	char d[32];

	if (argc > 1 && strcmp(argv[1], "dir") == 0) {
		rng = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
		return big_dir(argc > 3 ? atoi(argv[3]) : 6000);
	}

	rng = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
	if (rng == 0)
		rng = 1;
	CHECK("setup.mkdir", mkdir("/rnd", 0755) == 0);
	for (i = 0; i < NDIRS; i++) {
		snprintf(d, sizeof d, "/rnd/d%c", 'A' + i);
		mkdir(d, 0755);
	}
	for (i = 0; i < NFILES; i++)
		files[i].data = malloc(MAXSIZE);
	for (int k = 0; k < ops; k++) {
		int f = (int)rnd(NFILES);
		switch (rnd(16)) {
		case 0: case 1: case 2: case 3: op_write(f); break;
		case 4: case 5: op_append(f); break;
		case 6: case 7: op_pwrite(f); break;
		case 8: case 9: op_truncate(f); break;
		case 10: case 11: op_rename(f); break;
		case 12: case 13: op_unlink(f); break;
		case 14: usys_zc_drop_caches(); break;
		default: if (rnd(4) == 0) sync(); break;
		}
	}
	check_eq("ops.no_errors", op_errors, 0);
	/* Check twice: from the page cache, then from the disk. */
	for (int pass = 0; pass < 2; pass++) {
		bad = missing = extra = 0;
		if (pass == 1)
			usys_zc_drop_caches();
		for (i = 0; i < NFILES; i++) {
			struct stat st;
			int exists = stat(name(i), &st) == 0;
			if (exists != files[i].exists) {
				if (exists)
					extra++;
				else
					missing++;
				continue;
			}
			if (!exists)
				continue;
			int fd = open(name(i), O_RDONLY);
			long got = 0, n;
			while ((n = read(fd, buf + got, (size_t)(MAXSIZE - got))) > 0)
				got += n;
			close(fd);
			if (got != files[i].size || (long)st.st_size != files[i].size ||
			    memcmp(buf, files[i].data, (size_t)got) != 0) {
				if (bad++ < 5)
					printf("# %s: size %ld (stat %ld) want %ld\n", name(i), got,
					       (long)st.st_size, files[i].size);
			}
		}
		check_eq(pass ? "disk.contents" : "cache.contents", bad, 0);
		check_eq(pass ? "disk.no_missing" : "cache.no_missing", missing, 0);
		check_eq(pass ? "disk.no_extra" : "cache.no_extra", extra, 0);
	}
	sync();
	return ztest_summary();
}
