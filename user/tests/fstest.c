/*
 * fstest - checks each file-system call on the ext2 root disk,
 * with good and bad arguments: open (O_CREAT, O_TRUNC, O_APPEND, O_EXCL,
 * O_DIRECTORY), close, read, write, lseek/_llseek, stat/fstat/lstat and
 * their 64-bit forms (Linux i386 layouts, checked byte by byte), getdents
 * and getdents64, mkdir, rmdir, unlink, rename, dup, dup2, pipe, chdir,
 * getcwd, fsync, sync, truncate and ftruncate.
 *
 *     fstest [DIR]        works in DIR (default /fstest), made fresh
 *
 * Output: `ok NAME` / `not ok NAME: detail` and a `summary:` line
 * (ztest.h).  The files it leaves under DIR/keep are read back on the host
 * with debugfs after power-off (tools/test/test_storage.py), and the whole
 * disk must then pass e2fsck.  Error cases use the raw usys_*() calls so
 * the exact -errno is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <stat.h>
#include <dirent.h>
#include <sha256.h>
#include <zc.h>
#include <ztest.h>

static void *volatile bad_ptr = (void *)0x1;   /* volatile: keep the compiler from judging it */
#define BAD_PTR    bad_ptr
static void *volatile kernel_ptr = (void *)0xC0000000;
#define KERNEL_PTR kernel_ptr

static char dir[256];
static char pbuf[4][512];
static int pcur;

/* DIR/name in one of a few rotating buffers. */
static const char *P(const char *name)
{
	char *b = pbuf[pcur++ % 4];
	snprintf(b, sizeof pbuf[0], "%s/%s", dir, name);
	return b;
}

static int write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, data, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

/* Whole file into buf (at most max bytes); returns the length or -1. */
static int read_file(const char *path, char *buf, int max)
{
	int fd = open(path, O_RDONLY), got = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (got < max && (n = read(fd, buf + got, (size_t)(max - got))) > 0)
		got += (int)n;
	close(fd);
	return got;
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (long)st.st_size;
}

static unsigned long ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

static unsigned nlink_of(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? 0 : st.st_nlink;
}

static int wait_child(pid_t pid)
{
	int st;
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* ---- open and close ------------------------------------------------ */

static void test_open(void)
{
	char buf[64];
	int fd, fd2;

	check_err("open.enoent", usys_open(P("nope"), O_RDONLY, 0), -ENOENT);
	check_err("open.efault", usys_open(BAD_PTR, O_RDONLY, 0), -EFAULT);
	check_err("open.efault_kernel", usys_open(KERNEL_PTR, O_RDONLY, 0), -EFAULT);
	check_err("open.empty_path", usys_open("", O_RDONLY, 0), -ENOENT);
	check_err("open.creat_no_parent", usys_open(P("nodir/x"), O_RDWR | O_CREAT, 0644), -ENOENT);

	fd = (int)usys_open(P("a"), O_RDWR | O_CREAT, 0640);
	CHECK("open.creat", fd >= 0);
	check_eq("open.creat_empty", file_size(P("a")), 0);
	{
		struct stat st;
		stat(P("a"), &st);
		check_eq("open.creat_mode", st.st_mode, S_IFREG | 0640);
		check_eq("open.creat_nlink", st.st_nlink, 1);
	}
	check_eq("write.basic", usys_write(fd, "hello world", 11), 11);
	close(fd);

	check_err("open.excl_exists", usys_open(P("a"), O_RDWR | O_CREAT | O_EXCL, 0644), -EEXIST);
	fd = (int)usys_open(P("b"), O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK("open.excl_new", fd >= 0);
	close(fd);
	/* O_CREAT on an existing file opens it and keeps its data. */
	fd = (int)usys_open(P("a"), O_RDWR | O_CREAT, 0644);
	check_eq("open.creat_existing_keeps", usys_read(fd, buf, sizeof buf), 11);
	close(fd);

	fd = (int)usys_open(P("a"), O_WRONLY | O_TRUNC, 0);
	CHECK("open.trunc", fd >= 0);
	check_eq("open.trunc_size", file_size(P("a")), 0);
	check_eq("write.after_trunc", usys_write(fd, "0123456789", 10), 10);
	close(fd);
	/* Linux truncates with O_TRUNC even when the file is opened read-only. */
	write_file(P("tr"), "0123456789", 10);
	fd = (int)usys_open(P("tr"), O_RDONLY | O_TRUNC, 0);
	CHECK("open.trunc_rdonly", fd >= 0);
	check_eq("open.trunc_rdonly_size", file_size(P("tr")), 0);
	close(fd);

	fd = (int)usys_open(P("a"), O_WRONLY | O_APPEND, 0);
	CHECK("open.append", fd >= 0);
	usys_lseek(fd, 0, SEEK_SET);                /* append ignores the offset */
	check_eq("write.append", usys_write(fd, "AB", 2), 2);
	check_eq("write.append_pos", usys_lseek(fd, 0, SEEK_CUR), 12);
	close(fd);
	memset(buf, 0, sizeof buf);
	check_eq("open.append_len", read_file(P("a"), buf, sizeof buf), 12);
	check_str("open.append_data", buf, "0123456789AB");

	/* Directories. */
	fd = (int)usys_open(dir, O_RDONLY | O_DIRECTORY, 0);
	CHECK("open.directory", fd >= 0);
	close(fd);
	check_err("open.directory_on_file", usys_open(P("a"), O_RDONLY | O_DIRECTORY, 0), -ENOTDIR);
	check_err("open.dir_for_write", usys_open(dir, O_WRONLY, 0), -EISDIR);
	check_err("open.dir_rdwr", usys_open(dir, O_RDWR, 0), -EISDIR);
	check_err("open.file_as_parent", usys_open(P("a/x"), O_RDONLY, 0), -ENOTDIR);
	check_err("open.file_as_parent_creat", usys_open(P("a/x"), O_RDWR | O_CREAT, 0644), -ENOTDIR);
	check_err("open.creat_dir_path", usys_open("/", O_RDWR | O_CREAT, 0644), -EISDIR);
	check_err("open.creat_existing_dir", usys_open(dir, O_RDONLY | O_CREAT, 0644), -EISDIR);
	{
		/* Long names: zc32's paths are at most PATH_MAX (256) bytes in all. */
		char name[256];
		struct stat st;
		memset(name, 0, sizeof name);
		snprintf(name, sizeof name, "%s/", dir);
		memset(name + strlen(name), 'L', 200);
		fd = (int)usys_open(name, O_RDWR | O_CREAT | O_EXCL, 0644);
		CHECK("open.long_name", fd >= 0);
		close(fd);
		check_eq("open.long_name_stat", usys_stat(name, &st), 0);
		check_eq("open.long_name_unlink", usys_unlink(name), 0);
	}
	{
		char name[300];
		memset(name, 'n', 299);
		name[299] = 0;
		check_err("open.name_too_long", usys_open(name, O_RDWR | O_CREAT, 0644), -ENAMETOOLONG);
	}

	/* Access modes. */
	fd = (int)usys_open(P("a"), O_RDONLY, 0);
	check_err("write.rdonly_fd", usys_write(fd, "x", 1), -EBADF);
	close(fd);
	fd = (int)usys_open(P("a"), O_WRONLY, 0);
	check_err("read.wronly_fd", usys_read(fd, buf, 1), -EBADF);
	close(fd);

	/* close */
	fd = (int)usys_open(P("a"), O_RDONLY, 0);
	check_eq("close.ok", usys_close(fd), 0);
	check_err("close.twice", usys_close(fd), -EBADF);
	check_err("close.negative", usys_close(-1), -EBADF);
	check_err("close.too_big", usys_close(100000), -EBADF);

	/* Lowest free descriptor is reused. */
	fd = (int)usys_open(P("a"), O_RDONLY, 0);
	fd2 = (int)usys_open(P("a"), O_RDONLY, 0);
	close(fd);
	check_eq("open.lowest_fd", usys_open(P("b"), O_RDONLY, 0), fd);
	close(fd);
	close(fd2);
}

/* ---- read, write, lseek ---------------------------------------------- */

static void test_rw_seek(void)
{
	static char big[20000], back[20000];
	char buf[32];
	loff_t res;
	int fd, i, same;

	fd = (int)usys_open(P("rw"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	check_err("read.empty_eof", usys_read(fd, buf, sizeof buf), 0);
	check_err("write.efault", usys_write(fd, BAD_PTR, 10), -EFAULT);
	check_err("write.efault_kernel", usys_write(fd, KERNEL_PTR, 10), -EFAULT);
	{
		struct stat st;                  /* the failed write kept no block */
		fstat(fd, &st);
		check_eq("write.efault_no_blocks", st.st_blocks, 0);
		check_eq("write.efault_no_size", st.st_size, 0);
	}
	check_eq("write.zero", usys_write(fd, big, 0), 0);
	check_err("write.bad_fd", usys_write(99, "x", 1), -EBADF);
	check_err("read.bad_fd", usys_read(-3, buf, 1), -EBADF);

	/* Unaligned pieces that cross page boundaries. */
	for (i = 0; i < (int)sizeof big; i++)
		big[i] = (char)(i * 7 + i / 4096);
	same = 1;
	for (i = 0; i < (int)sizeof big;) {
		int n = i + 1237 <= (int)sizeof big ? 1237 : (int)sizeof big - i;
		if (usys_write(fd, big + i, n) != n)
			same = 0;
		i += n;
	}
	CHECK("write.pieces", same);
	check_eq("lseek.cur_after_write", usys_lseek(fd, 0, SEEK_CUR), sizeof big);
	check_eq("lseek.end", usys_lseek(fd, 0, SEEK_END), sizeof big);
	check_eq("lseek.set", usys_lseek(fd, 0, SEEK_SET), 0);
	check_eq("read.all", usys_read(fd, back, sizeof back), sizeof back);
	CHECK("read.same_data", memcmp(big, back, sizeof big) == 0);
	check_eq("read.at_eof", usys_read(fd, buf, sizeof buf), 0);
	check_err("read.efault", (usys_lseek(fd, 0, SEEK_SET), usys_read(fd, BAD_PTR, 10)), -EFAULT);
	check_err("read.efault_kernel", usys_read(fd, KERNEL_PTR, 10), -EFAULT);

	/* Overwrite in the middle, across a page boundary. */
	check_eq("lseek.set_mid", usys_lseek(fd, 4090, SEEK_SET), 4090);
	check_eq("write.overwrite", usys_write(fd, "XXXXXXXXXXXX", 12), 12);
	check_eq("lseek.cur_back", usys_lseek(fd, -12, SEEK_CUR), 4090);
	memset(buf, 0, sizeof buf);
	check_eq("read.overwrite", usys_read(fd, buf, 12), 12);
	check_str("read.overwrite_data", buf, "XXXXXXXXXXXX");
	check_eq("read.short_at_end", (usys_lseek(fd, -5, SEEK_END), usys_read(fd, buf, sizeof buf)), 5);
	check_eq("file.size_unchanged", file_size(P("rw")), sizeof big);

	/* lseek errors. */
	check_err("lseek.negative", usys_lseek(fd, -1, SEEK_SET), -EINVAL);
	check_err("lseek.negative_cur", usys_lseek(fd, -100000, SEEK_CUR), -EINVAL);
	check_err("lseek.bad_whence", usys_lseek(fd, 0, 7), -EINVAL);
	check_err("lseek.bad_fd", usys_lseek(77, 0, SEEK_SET), -EBADF);

	/* A hole: seek past the end and write; the gap reads as zeros. */
	check_eq("lseek.past_end", usys_lseek(fd, 100000, SEEK_SET), 100000);
	check_eq("file.size_before_hole_write", file_size(P("rw")), sizeof big);
	check_eq("write.after_hole", usys_write(fd, "end", 3), 3);
	check_eq("file.size_with_hole", file_size(P("rw")), 100003);
	usys_lseek(fd, 50000, SEEK_SET);
	memset(buf, 1, sizeof buf);
	usys_read(fd, buf, sizeof buf);
	same = 1;
	for (i = 0; i < (int)sizeof buf; i++)
		if (buf[i])
			same = 0;
	CHECK("read.hole_is_zero", same);

	/* _llseek: 64-bit offsets through a result pointer. */
	res = -1;
	check_eq("llseek.set", usys_llseek(fd, 0, 1234, &res, SEEK_SET), 0);
	check_eq("llseek.result", res, 1234);
	check_eq("llseek.end", usys_llseek(fd, 0xffffffff, (unsigned long)-3, &res, SEEK_END), 0);
	check_eq("llseek.end_result", res, 100000);
	check_eq("llseek.moves_offset", usys_lseek(fd, 0, SEEK_CUR), 100000);
	check_err("llseek.negative", usys_llseek(fd, 0xffffffff, 0, &res, SEEK_SET), -EINVAL);
	check_err("llseek.efault", usys_llseek(fd, 0, 0, BAD_PTR, SEEK_SET), -EFAULT);
	check_err("llseek.bad_fd", usys_llseek(55, 0, 0, &res, SEEK_SET), -EBADF);
	/* Beyond 2 GiB lseek cannot say where it is. */
	check_eq("llseek.past_2g", usys_llseek(fd, 1, 0, &res, SEEK_SET), 0);
	check_eq("llseek.past_2g_result", res, 1LL << 32);
	check_err("lseek.eoverflow", usys_lseek(fd, 0, SEEK_CUR), -EOVERFLOW);
	check_err("write.efbig", usys_write(fd, "x", 1), -EFBIG);
	close(fd);
}

/* ---- stat family ------------------------------------------------------ */

static unsigned long u32_at(const unsigned char *b, int off)
{
	return b[off] | b[off + 1] << 8 | b[off + 2] << 16 | (unsigned long)b[off + 3] << 24;
}

static void test_stat(void)
{
	unsigned char raw[128];
	struct stat st, fst;
	struct stat64 st64;
	int fd;

	write_file(P("st"), "0123456789abcdefghij", 20);
	check_eq("stat.ok", usys_stat(P("st"), &st), 0);
	check_eq("stat.size", st.st_size, 20);
	CHECK("stat.is_reg", S_ISREG(st.st_mode));
	check_eq("stat.perm", st.st_mode & 07777, 0644);
	check_eq("stat.nlink", st.st_nlink, 1);
	CHECK("stat.ino", st.st_ino > 2);
	CHECK("stat.blksize", st.st_blksize == 1024 || st.st_blksize == 4096);
	CHECK("stat.blocks", st.st_blocks >= 2 && st.st_blocks <= 8);
	CHECK("stat.mtime_set", st.st_mtime > 1000000000);

	fd = (int)usys_open(P("st"), O_RDONLY, 0);
	check_eq("fstat.ok", usys_fstat(fd, &fst), 0);
	check_eq("fstat.same_ino", fst.st_ino, st.st_ino);
	check_eq("fstat.same_size", fst.st_size, 20);
	check_err("fstat.efault", usys_fstat(fd, BAD_PTR), -EFAULT);
	check_err("fstat.bad_fd", usys_fstat(93, &fst), -EBADF);
	check_eq("fstat64.ok", usys_fstat64(fd, &st64), 0);
	check_eq("fstat64.ino", st64.st_ino, st.st_ino);
	close(fd);

	check_err("stat.enoent", usys_stat(P("nope"), &st), -ENOENT);
	check_err("stat.efault_path", usys_stat(BAD_PTR, &st), -EFAULT);
	check_err("stat.efault_buf", usys_stat(P("st"), BAD_PTR), -EFAULT);
	check_err("stat.efault_kernel_buf", usys_stat(P("st"), KERNEL_PTR), -EFAULT);
	check_err("stat.enotdir", usys_stat(P("st/x"), &st), -ENOTDIR);
	check_eq("lstat.ok", usys_lstat(P("st"), &st), 0);
	check_eq("lstat.size", st.st_size, 20);
	check_eq("stat.dir", usys_stat(dir, &st), 0);
	CHECK("stat.dir_mode", S_ISDIR(st.st_mode));
	CHECK("stat.dir_size", st.st_size > 0 && st.st_size % 1024 == 0);

	/* Linux i386 struct stat: 64 bytes, st_size at 20, st_mode at 8. */
	memset(raw, 0xee, sizeof raw);
	usys_stat(P("st"), (struct stat *)raw);
	check_eq("stat.layout_size", u32_at(raw, 20), 20);
	check_eq("stat.layout_mode", raw[8] | raw[9] << 8, S_IFREG | 0644);
	check_eq("stat.layout_nlink", raw[10] | raw[11] << 8, 1);
	check_eq("stat.layout_ino", u32_at(raw, 4), ino_of(P("st")));
	check_eq("stat.layout_blksize", u32_at(raw, 24), st.st_blksize);
	check_eq("stat.layout_len", raw[64], 0xee);

	/* struct stat64: 96 bytes; mode at 16, size at 44, ino at 12 and 88. */
	memset(raw, 0xee, sizeof raw);
	check_eq("stat64.ok", usys_stat64(P("st"), (struct stat64 *)raw), 0);
	check_eq("stat64.layout_mode", u32_at(raw, 16), S_IFREG | 0644);
	check_eq("stat64.layout_nlink", u32_at(raw, 20), 1);
	check_eq("stat64.layout_size", u32_at(raw, 44) | (long long)u32_at(raw, 48) << 32, 20);
	check_eq("stat64.layout_ino32", u32_at(raw, 12), ino_of(P("st")));
	check_eq("stat64.layout_ino", u32_at(raw, 88), ino_of(P("st")));
	check_eq("stat64.layout_blksize", u32_at(raw, 52), st.st_blksize);
	check_eq("stat64.layout_len", raw[96], 0xee);
	check_eq("lstat64.ok", usys_lstat64(P("st"), &st64), 0);
	check_eq("lstat64.size", st64.st_size, 20);
	check_err("stat64.enoent", usys_stat64(P("nope"), &st64), -ENOENT);
	check_err("stat64.efault", usys_stat64(P("st"), BAD_PTR), -EFAULT);
}

/* ---- directories -------------------------------------------------------- */

/* Count the entries of a directory with getdents64 (v64) or getdents,
 * reading with a small buffer so several calls are needed; also checks
 * that each record is sane and that names "." and ".." appear. */
static int count_entries(const char *path, int v64, int bufsize, int *dots, int *bad)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n, count = 0;

	*dots = *bad = 0;
	if (fd < 0)
		return -1;
	while ((n = (int)(v64 ? usys_getdents64(fd, buf, bufsize) : usys_getdents(fd, buf, bufsize))) > 0) {
		int off = 0;
		while (off < n) {
			const char *name;
			int reclen, type;
			if (v64) {
				struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
				name = d->d_name;
				reclen = d->d_reclen;
				type = d->d_type;
			} else {
				struct linux_dirent *d = (struct linux_dirent *)(buf + off);
				name = d->d_name;
				reclen = d->d_reclen;
				type = buf[off + reclen - 1];
			}
			if (reclen <= 0 || off + reclen > n || strlen(name) == 0) {
				(*bad)++;
				break;
			}
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
				(*dots)++;
				if (type != DT_DIR)
					(*bad)++;
			} else if (strncmp(name, "f", 1) == 0 && type != DT_REG) {
				(*bad)++;
			} else if (strncmp(name, "d", 1) == 0 && type != DT_DIR) {
				(*bad)++;
			}
			count++;
			off += reclen;
		}
	}
	close(fd);
	return n < 0 ? n : count;
}

static void test_dirs(void)
{
	char name[600];
	char buf[512];
	int i, fd, dots, bad, made = 0;
	unsigned parent_links = nlink_of(dir);

	/* mkdir */
	check_eq("mkdir.ok", usys_mkdir(P("d1"), 0755), 0);
	check_eq("mkdir.nlink_new", nlink_of(P("d1")), 2);
	check_eq("mkdir.nlink_parent", nlink_of(dir), parent_links + 1);
	check_err("mkdir.eexist", usys_mkdir(P("d1"), 0755), -EEXIST);
	check_err("mkdir.eexist_file", usys_mkdir(P("a"), 0755), -EEXIST);
	check_err("mkdir.root", usys_mkdir("/", 0755), -EEXIST);
	check_err("mkdir.enoent", usys_mkdir(P("nodir/sub"), 0755), -ENOENT);
	check_err("mkdir.enotdir", usys_mkdir(P("a/sub"), 0755), -ENOTDIR);
	check_err("mkdir.efault", usys_mkdir(BAD_PTR, 0755), -EFAULT);
	check_eq("mkdir.nested", usys_mkdir(P("d1/d2"), 0700), 0);
	check_eq("mkdir.dotdot_ino", ino_of(P("d1/d2/..")), ino_of(P("d1")));
	check_eq("mkdir.dot_ino", ino_of(P("d1/d2/.")), ino_of(P("d1/d2")));

	/* A directory with many entries spans several blocks. */
	CHECK("getdents.setup", usys_mkdir(P("many"), 0755) == 0);
	for (i = 0; i < 150; i++) {
		snprintf(name, sizeof name, "%s/many/f%03d-with-a-longer-name-to-fill-blocks", dir, i);
		if (write_file(name, "x", 1) == 0)
			made++;
	}
	check_eq("getdents.made_files", made, 150);
	usys_mkdir(P("many/dsub"), 0755);
	CHECK("getdents.spans_blocks", file_size(P("many")) > 4096 || file_size(P("many")) > 1024 * 4);
	check_eq("getdents64.count", count_entries(P("many"), 1, 4096, &dots, &bad), 153);
	check_eq("getdents64.dots", dots, 2);
	check_eq("getdents64.records_sane", bad, 0);
	check_eq("getdents64.small_buf_count", count_entries(P("many"), 1, 100, &dots, &bad), 153);
	check_eq("getdents.count", count_entries(P("many"), 0, 4096, &dots, &bad), 153);
	check_eq("getdents.records_sane", bad, 0);
	check_eq("getdents.small_buf_count", count_entries(P("many"), 0, 90, &dots, &bad), 153);

	fd = open(P("many"), O_RDONLY | O_DIRECTORY);
	check_err("getdents64.buf_too_small", usys_getdents64(fd, buf, 10), -EINVAL);
	check_err("getdents64.efault", usys_getdents64(fd, BAD_PTR, 4096), -EFAULT);
	check_err("getdents64.efault_kernel", usys_getdents64(fd, KERNEL_PTR, 4096), -EFAULT);
	close(fd);
	fd = open(P("a"), O_RDONLY);
	check_err("getdents64.enotdir", usys_getdents64(fd, buf, sizeof buf), -ENOTDIR);
	check_err("getdents.enotdir", usys_getdents(fd, buf, sizeof buf), -ENOTDIR);
	close(fd);
	check_err("getdents64.bad_fd", usys_getdents64(66, buf, sizeof buf), -EBADF);
	/* lseek on a directory: to an entry's d_off (seekdir), into the middle
	 * of an entry (the next whole one follows), past the end (nothing). */
	fd = open(P("many"), O_RDONLY | O_DIRECTORY);
	{
		struct linux_dirent64 *d = (struct linux_dirent64 *)buf;
		long long second_off;
		char second[64];
		CHECK("getdents64.first", usys_getdents64(fd, buf, sizeof buf) > 0 && strcmp(d->d_name, ".") == 0);
		second_off = d->d_off;
		d = (struct linux_dirent64 *)(buf + d->d_reclen);
		strlcpy(second, d->d_name, sizeof second);
		usys_lseek(fd, (long)second_off, SEEK_SET);
		d = (struct linux_dirent64 *)buf;
		CHECK("getdents64.seek_d_off", usys_getdents64(fd, buf, sizeof buf) > 0 && strcmp(d->d_name, second) == 0);
		usys_lseek(fd, 5, SEEK_SET);
		check_eq("getdents64.seek_mid_entry", usys_getdents64(fd, buf, sizeof buf) > 0 &&
			 strcmp(d->d_name, second) == 0, 1);
		usys_lseek(fd, 1 << 20, SEEK_SET);
		check_eq("getdents64.seek_past_end", usys_getdents64(fd, buf, sizeof buf), 0);
	}
	close(fd);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check_err("read.on_dir", usys_read(fd, buf, sizeof buf), -EISDIR);
	check_err("write.on_dir", usys_write(fd, buf, 1), -EBADF);
	close(fd);

	/* rmdir */
	check_err("rmdir.not_empty", usys_rmdir(P("d1")), -ENOTEMPTY);
	check_err("rmdir.enotdir", usys_rmdir(P("a")), -ENOTDIR);
	check_err("rmdir.enoent", usys_rmdir(P("nodir")), -ENOENT);
	check_err("rmdir.dot", usys_rmdir(P("d1/.")), -EINVAL);
	check_err("rmdir.efault", usys_rmdir(BAD_PTR), -EFAULT);
	check_eq("rmdir.ok", usys_rmdir(P("d1/d2")), 0);
	check_err("rmdir.gone", usys_stat(P("d1/d2"), (struct stat *)buf), -ENOENT);
	check_eq("rmdir.nlink_parent", nlink_of(P("d1")), 2);
	check_eq("rmdir.ok2", usys_rmdir(P("d1")), 0);
	check_eq("rmdir.nlink_grandparent", nlink_of(dir), parent_links + 1);   /* "many" is left */

	/* unlink */
	write_file(P("u"), "data", 4);
	check_eq("unlink.ok", usys_unlink(P("u")), 0);
	check_err("unlink.gone", usys_open(P("u"), O_RDONLY, 0), -ENOENT);
	check_err("unlink.enoent", usys_unlink(P("u")), -ENOENT);
	check_err("unlink.dir", usys_unlink(P("many")), -EISDIR);
	check_err("unlink.efault", usys_unlink(BAD_PTR), -EFAULT);
	check_err("unlink.enotdir", usys_unlink(P("a/x")), -ENOTDIR);
	/* An open file outlives its name. */
	write_file(P("u2"), "still here", 10);
	fd = open(P("u2"), O_RDWR);
	check_eq("unlink.open_file", usys_unlink(P("u2")), 0);
	memset(buf, 0, sizeof buf);
	check_eq("unlink.read_after", usys_read(fd, buf, sizeof buf), 10);
	check_str("unlink.read_after_data", buf, "still here");
	check_eq("unlink.write_after", usys_write(fd, "!", 1), 1);
	close(fd);
	check_err("unlink.gone_after_close", usys_stat(P("u2"), (struct stat *)buf), -ENOENT);

	/* Remove the many files again (the host's e2fsck checks the bitmaps). */
	made = 0;
	for (i = 0; i < 150; i++) {
		snprintf(name, sizeof name, "%s/many/f%03d-with-a-longer-name-to-fill-blocks", dir, i);
		if (i % 3 && unlink(name) == 0)
			made++;
	}
	check_eq("unlink.many", made, 100);
	check_eq("getdents64.after_unlink", count_entries(P("many"), 1, 4096, &dots, &bad), 53);
}

/* ---- rename ---------------------------------------------------------------- */

static void test_rename(void)
{
	char buf[64];
	unsigned long ino;
	unsigned links;

	write_file(P("r1"), "one", 3);
	ino = ino_of(P("r1"));
	check_eq("rename.file", usys_rename(P("r1"), P("r2")), 0);
	check_err("rename.old_gone", usys_stat(P("r1"), (struct stat *)buf), -ENOENT);
	check_eq("rename.same_inode", ino_of(P("r2")), ino);
	check_eq("rename.nlink", nlink_of(P("r2")), 1);

	/* Over an existing file: the target's old inode goes away. */
	write_file(P("r3"), "three", 5);
	check_eq("rename.over_file", usys_rename(P("r2"), P("r3")), 0);
	memset(buf, 0, sizeof buf);
	read_file(P("r3"), buf, sizeof buf);
	check_str("rename.over_file_data", buf, "one");
	check_eq("rename.over_file_ino", ino_of(P("r3")), ino);
	check_eq("rename.to_itself", usys_rename(P("r3"), P("r3")), 0);

	/* Directories. */
	usys_mkdir(P("rd"), 0755);
	usys_mkdir(P("rd/sub"), 0755);
	write_file(P("rd/sub/file"), "deep", 4);
	usys_mkdir(P("rt"), 0755);
	links = nlink_of(dir);
	check_eq("rename.dir", usys_rename(P("rd"), P("rd2")), 0);
	check_eq("rename.dir_nlink_same_parent", nlink_of(dir), links);
	check_eq("rename.dir_contents", file_size(P("rd2/sub/file")), 4);
	check_eq("rename.dir_into_other", usys_rename(P("rd2/sub"), P("rt/sub")), 0);
	check_eq("rename.dotdot_updated", ino_of(P("rt/sub/..")), ino_of(P("rt")));
	check_eq("rename.nlink_old_parent", nlink_of(P("rd2")), 2);
	check_eq("rename.nlink_new_parent", nlink_of(P("rt")), 3);
	check_eq("rename.moved_file", file_size(P("rt/sub/file")), 4);

	check_err("rename.into_own_subdir", usys_rename(P("rt"), P("rt/sub/x")), -EINVAL);
	check_err("rename.into_itself", usys_rename(P("rt"), P("rt/x")), -EINVAL);
	check_err("rename.dir_over_nonempty", usys_rename(P("rd2"), P("rt")), -ENOTEMPTY);
	check_err("rename.file_over_dir", usys_rename(P("r3"), P("rd2")), -EISDIR);
	check_err("rename.dir_over_file", usys_rename(P("rd2"), P("r3")), -ENOTDIR);
	check_err("rename.enoent", usys_rename(P("nope"), P("nope2")), -ENOENT);
	check_err("rename.enoent_target_dir", usys_rename(P("r3"), P("nodir/x")), -ENOENT);
	check_err("rename.efault", usys_rename(BAD_PTR, P("x")), -EFAULT);
	check_err("rename.efault_new", usys_rename(P("r3"), BAD_PTR), -EFAULT);
	check_err("rename.dot", usys_rename(P("rt/."), P("x")), -EBUSY);

	/* A directory over an empty directory replaces it. */
	usys_mkdir(P("empty"), 0755);
	links = nlink_of(dir);
	check_eq("rename.dir_over_empty", usys_rename(P("rd2"), P("empty")), 0);
	check_eq("rename.dir_over_empty_nlink", nlink_of(dir), links - 1);
	check_err("rename.dir_over_empty_old", usys_stat(P("rd2"), (struct stat *)buf), -ENOENT);
	check_eq("rename.dir_over_empty_isdir", nlink_of(P("empty")), 2);
}

/* ---- descriptors: dup, dup2, pipe ------------------------------------------ */

static void test_fds(void)
{
	char buf[64];
	int fd, d, p[2], st;
	pid_t pid;

	write_file(P("dup"), "abcdef", 6);
	fd = open(P("dup"), O_RDONLY);
	d = (int)usys_dup(fd);
	CHECK("dup.ok", d >= 0 && d != fd);
	usys_read(fd, buf, 2);
	check_eq("dup.shares_offset", usys_lseek(d, 0, SEEK_CUR), 2);
	check_err("dup.bad_fd", usys_dup(99), -EBADF);
	check_eq("dup2.ok", usys_dup2(fd, 20), 20);
	check_eq("dup2.shares_offset", usys_lseek(20, 0, SEEK_CUR), 2);
	check_eq("dup2.same", usys_dup2(fd, fd), fd);
	check_err("dup2.bad_old", usys_dup2(98, 21), -EBADF);
	check_err("dup2.bad_new", usys_dup2(fd, -1), -EBADF);
	check_err("dup2.bad_new_big", usys_dup2(fd, 100000), -EBADF);
	/* dup2 over an open descriptor closes it first. */
	{
		int other = open(P("a"), O_RDONLY);
		check_eq("dup2.replace", usys_dup2(fd, other), other);
		check_eq("dup2.replace_offset", usys_lseek(other, 0, SEEK_CUR), 2);
		close(other);
	}
	close(20);
	close(d);
	check_eq("dup.survives_close", usys_read(fd, buf, 4), 4);
	close(fd);

	/* pipe */
	check_eq("pipe.ok", usys_pipe(p), 0);
	check_eq("pipe.write", usys_write(p[1], "through", 7), 7);
	memset(buf, 0, sizeof buf);
	check_eq("pipe.read", usys_read(p[0], buf, sizeof buf), 7);
	check_str("pipe.data", buf, "through");
	check_err("pipe.lseek", usys_lseek(p[0], 0, SEEK_SET), -ESPIPE);
	check_err("pipe.read_end_write", usys_write(p[0], "x", 1), -EBADF);
	check_err("pipe.fsync", usys_fsync(p[1]), -EINVAL);
	check_err("pipe.efault", usys_pipe(BAD_PTR), -EFAULT);
	{
		struct stat sst;
		check_eq("pipe.fstat", usys_fstat(p[0], &sst), 0);
		CHECK("pipe.fstat_fifo", S_ISFIFO(sst.st_mode));
	}
	/* A file through a pipe between two processes, like `cat f | cmd`. */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fd = open(P("dup"), O_RDONLY);
		dup2(p[1], 1);
		close(p[1]);
		while ((st = (int)read(fd, buf, 3)) > 0)
			write(1, buf, st);
		_exit(0);
	}
	close(p[1]);
	memset(buf, 0, sizeof buf);
	{
		int got = 0, n;
		while ((n = (int)read(p[0], buf + got, sizeof buf - 1 - got)) > 0)
			got += n;
		check_eq("pipe.file_through_child", got, 6);
	}
	check_str("pipe.file_through_child_data", buf, "abcdef");
	check_eq("pipe.eof", usys_read(p[0], buf, sizeof buf), 0);
	close(p[0]);
	st = wait_child(pid);
	CHECK("pipe.child_exit", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* ---- chdir, getcwd --------------------------------------------------------- */

static void test_cwd(void)
{
	char buf[512], cwd[512];

	check_eq("chdir.ok", usys_chdir(dir), 0);
	check_eq("getcwd.len", usys_getcwd(cwd, sizeof cwd), (long)strlen(dir) + 1);
	check_str("getcwd.value", cwd, dir);
	check_err("getcwd.erange", usys_getcwd(cwd, 2), -ERANGE);
	check_err("getcwd.efault", usys_getcwd(BAD_PTR, sizeof cwd), -EFAULT);
	check_eq("cwd.relative_open", file_size("a"), 12);
	check_eq("cwd.relative_mkdir", usys_mkdir("cwdsub", 0755), 0);
	check_eq("chdir.relative", usys_chdir("cwdsub"), 0);
	getcwd(cwd, sizeof cwd);
	snprintf(buf, sizeof buf, "%s/cwdsub", dir);
	check_str("getcwd.after_relative", cwd, buf);
	check_eq("chdir.dotdot", usys_chdir(".."), 0);
	getcwd(cwd, sizeof cwd);
	check_str("getcwd.after_dotdot", cwd, dir);
	check_eq("cwd.relative_rmdir", usys_rmdir("./cwdsub"), 0);
	check_err("chdir.enotdir", usys_chdir("a"), -ENOTDIR);
	check_err("chdir.enoent", usys_chdir("nope"), -ENOENT);
	check_err("chdir.efault", usys_chdir(BAD_PTR), -EFAULT);
	getcwd(cwd, sizeof cwd);
	check_str("getcwd.unchanged_after_errors", cwd, dir);
	check_eq("chdir.root", usys_chdir("/"), 0);
	getcwd(cwd, sizeof cwd);
	check_str("getcwd.root", cwd, "/");
	check_eq("chdir.root_dotdot", usys_chdir("/.."), 0);
	getcwd(cwd, sizeof cwd);
	check_str("getcwd.root_dotdot", cwd, "/");
}

/* ---- truncate, fsync, sync ------------------------------------------------- */

static void test_truncate_sync(void)
{
	static char buf[9000];
	int fd, i, zero;
	struct stat st;

	memset(buf, 'q', sizeof buf);
	write_file(P("t"), buf, sizeof buf);
	fd = open(P("t"), O_RDWR);
	check_eq("ftruncate.shrink", usys_ftruncate(fd, 5000), 0);
	check_eq("ftruncate.size", file_size(P("t")), 5000);
	fstat(fd, &st);
	CHECK("ftruncate.blocks_freed", st.st_blocks <= 16);
	check_eq("ftruncate.grow", usys_ftruncate(fd, 8192), 0);
	check_eq("ftruncate.grow_size", file_size(P("t")), 8192);
	/* The part past the old end reads as zeros, not the old 'q's. */
	memset(buf, 1, sizeof buf);
	usys_lseek(fd, 0, SEEK_SET);
	check_eq("ftruncate.read", usys_read(fd, buf, sizeof buf), 8192);
	zero = 1;
	for (i = 5000; i < 8192; i++)
		if (buf[i])
			zero = 0;
	CHECK("ftruncate.grow_zeros", zero && buf[4999] == 'q');
	check_eq("ftruncate.zero", usys_ftruncate(fd, 0), 0);
	check_eq("ftruncate.zero_size", file_size(P("t")), 0);
	fstat(fd, &st);
	check_eq("ftruncate.zero_blocks", st.st_blocks, 0);
	check_err("ftruncate.negative", usys_ftruncate(fd, -1), -EINVAL);
	check_eq("fsync.ok", usys_fsync(fd), 0);
	close(fd);
	fd = open(P("t"), O_RDONLY);
	check_err("ftruncate.rdonly", usys_ftruncate(fd, 0), -EINVAL);
	close(fd);
	check_err("ftruncate.bad_fd", usys_ftruncate(88, 0), -EBADF);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check_err("ftruncate.dir", usys_ftruncate(fd, 0), -EINVAL);
	close(fd);

	write_file(P("t2"), "0123456789", 10);
	check_eq("truncate.ok", usys_truncate(P("t2"), 4), 0);
	check_eq("truncate.size", file_size(P("t2")), 4);
	check_err("truncate.enoent", usys_truncate(P("nope"), 0), -ENOENT);
	check_err("truncate.dir", usys_truncate(dir, 0), -EISDIR);
	check_err("truncate.negative", usys_truncate(P("t2"), -5), -EINVAL);
	check_err("truncate.efault", usys_truncate(BAD_PTR, 0), -EFAULT);

	check_err("fsync.bad_fd", usys_fsync(77), -EBADF);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("fsync.dir", usys_fsync(fd), 0);
	close(fd);
	check_eq("sync.ok", usys_sync(), 0);
}

/* ---- truncate across the indirect-block boundaries ------------------------ */

/* Sectors a file of size bytes should have: its data blocks plus the
 * indirect blocks that map them (single, then double indirect). */
static unsigned long long expect_sectors(long long size, long bs)
{
	long long ppb = bs / 4, n = (size + bs - 1) / bs, blocks = n;

	if (n > 12)
		blocks += 1;                                     /* single indirect */
	if (n > 12 + ppb)
		blocks += 1 + (n - 12 - ppb + ppb - 1) / ppb;    /* double + its singles */
	return (unsigned long long)(blocks * (bs / 512));
}

static void test_truncate_boundaries(void)
{
	static char chunk[65536];
	struct stat64 st;
	long bs, ppb, i;
	long long size, steps[8];
	int fd, s, bad = 0;
	char name[64], c;

	stat64(dir, &st);
	bs = (long)st.st_blksize;
	ppb = bs / 4;
	steps[0] = (12 + ppb + 2 * ppb) * (long long)bs + 100;   /* into the double indirect */
	steps[1] = (12 + ppb + ppb) * (long long)bs;
	steps[2] = (12 + ppb) * (long long)bs + 1;
	steps[3] = (12 + ppb) * (long long)bs;
	steps[4] = 12 * (long long)bs + 5;
	steps[5] = 12 * (long long)bs;
	steps[6] = 3;
	steps[7] = 0;
	fd = open(P("tb"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (size = 0; size < steps[0];) {
		long n = steps[0] - size < (long long)sizeof chunk ? (long)(steps[0] - size) : (long)sizeof chunk;
		for (i = 0; i < n; i++)
			chunk[i] = (char)((size + i) / bs);
		if (write(fd, chunk, (size_t)n) != n)
			break;
		size += n;
	}
	for (s = 0; s < 8; s++) {
		if (s > 0 && usys_ftruncate(fd, (long)steps[s]) != 0)
			bad++;
		fstat64(fd, &st);
		snprintf(name, sizeof name, "truncate.boundary%d_blocks", s);
		check_eq(name, st.st_blocks, expect_sectors(steps[s], bs));
		/* The last byte kept is still the right one. */
		if (steps[s] > 0) {
			lseek(fd, (off_t)(steps[s] - 1), SEEK_SET);
			if (read(fd, &c, 1) != 1 || c != (char)((steps[s] - 1) / bs))
				bad++;
		}
	}
	check_eq("truncate.boundaries_data", bad, 0);
	close(fd);
}

/* ---- writes into holes ------------------------------------------------------ */

/* A block allocated to fill a hole must not show what the disk held
 * before: write a few bytes into a hole of a file whose new block is
 * likely one just freed by another file full of 'Z', and read the rest
 * of that page back as zeros. */
static void test_hole_write(void)
{
	static char zs[65536], page[4096];
	int fd, i, bad = 0;
	long off = 8192 + 5;

	memset(zs, 'Z', sizeof zs);
	write_file(P("stale"), zs, sizeof zs);
	usys_sync();
	unlink(P("stale"));
	fd = open(P("holey"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	lseek(fd, 1 << 20, SEEK_SET);
	write(fd, "e", 1);
	fsync(fd);
	usys_zc_drop_caches();
	lseek(fd, off, SEEK_SET);
	check_eq("hole.partial_write", usys_write(fd, "x", 1), 1);
	lseek(fd, 8192, SEEK_SET);
	check_eq("hole.read_page", usys_read(fd, page, sizeof page), sizeof page);
	for (i = 0; i < (int)sizeof page; i++)
		if (page[i] != (i == 5 ? 'x' : 0))
			bad++;
	check_eq("hole.rest_of_page_zero", bad, 0);
	/* The same after the page has been to the disk and back. */
	fsync(fd);
	usys_zc_drop_caches();
	lseek(fd, 8192, SEEK_SET);
	usys_read(fd, page, sizeof page);
	for (i = bad = 0; i < (int)sizeof page; i++)
		if (page[i] != (i == 5 ? 'x' : 0))
			bad++;
	check_eq("hole.rest_of_page_zero_on_disk", bad, 0);
	close(fd);
}

/* ---- files left for the host to check -------------------------------------- */

/* Files under DIR/keep that test_storage.py reads back with debugfs; their
 * sha256 is printed as "keep: NAME HEX" so the host can compare. */
static void keep_file(const char *name, size_t size, unsigned seed)
{
	static char buf[8192];
	struct sha256 s;
	unsigned char dg[32];
	char hex[65], path[512];
	unsigned x = seed;
	size_t done = 0;
	int fd;

	snprintf(path, sizeof path, "%s/keep/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	sha256_init(&s);
	while (done < size) {
		size_t n = size - done < sizeof buf ? size - done : sizeof buf, i;
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[i] = (char)x;
		}
		/* Odd write sizes, so writes start and end inside pages. */
		if (write(fd, buf, n / 3) != (ssize_t)(n / 3) ||
		    write(fd, buf + n / 3, n - n / 3) != (ssize_t)(n - n / 3))
			break;
		sha256_update(&s, buf, n);
		done += n;
	}
	close(fd);
	sha256_final(&s, dg);
	sha256_hex(dg, hex);
	printf("keep: %s %s\n", name, hex);
	check_eq(name, file_size(path), (long)size);
}

static void test_keep(void)
{
	char path[512];

	snprintf(path, sizeof path, "%s/keep", dir);
	mkdir(path, 0755);
	keep_file("small.bin", 1000, 1);
	keep_file("pages.bin", 3 * 4096 + 17, 2);
	keep_file("indirect.bin", 300 * 1024 + 5, 3);      /* past the 12 direct blocks */
	keep_file("renamed-from.bin", 5000, 4);
	snprintf(path, sizeof path, "%s/keep/renamed-from.bin", dir);
	check_eq("keep.rename", rename(path, P("keep/renamed.bin")), 0);
	keep_file("trunc.bin", 20000, 5);
	check_eq("keep.truncate", truncate(P("keep/trunc.bin"), 7777), 0);
	keep_file("deleted.bin", 50000, 6);
	check_eq("keep.unlink", unlink(P("keep/deleted.bin")), 0);
}

/* A process still holding an unlinked file open when the system powers
 * off: the file must not be left half-deleted on the disk (e2fsck). */
static void orphan(void)
{
	int p[2];
	char c;

	pipe(p);
	if (fork() == 0) {
		int fd = open(P("orphan"), O_RDWR | O_CREAT | O_TRUNC, 0644);
		write(fd, "orphaned data", 13);
		unlink(P("orphan"));
		write(p[1], "r", 1);
		for (;;)
			sleep(1000);
	}
	close(p[1]);
	CHECK("orphan.child_ready", read(p[0], &c, 1) == 1);
	close(p[0]);
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	strlcpy(dir, argc > 1 ? argv[1] : "/fstest", sizeof dir);
	/* Start from an empty directory (rm -r from an earlier run). */
	pid = fork();
	if (pid == 0) {
		char *av[] = { "rm", "-rf", dir, NULL };
		execv("/bin/rm", av);
		_exit(127);
	}
	status = wait_child(pid);
	if (!CHECK("setup.rm", WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
	    !CHECK("setup.mkdir", mkdir(dir, 0755) == 0))
		return ztest_summary();

	test_open();
	test_rw_seek();
	test_stat();
	test_dirs();
	test_rename();
	test_fds();
	test_cwd();
	test_truncate_sync();
	test_hole_write();
	test_truncate_boundaries();
	test_keep();
	check_eq("sync.final", usys_sync(), 0);
	orphan();
	return ztest_summary();
}
