/*
 * fswalk - use every part of the root filesystem once: the guest half of
 * the ext2 mutation fuzzer (tools/mutate.py corrupts the image).
 *
 *     fswalk
 *
 * Run as init.  Whatever the root is (a damaged ext2 disk that mounted, or
 * the initial ramdisk when the mount was refused), walk every directory,
 * stat and read every file, then create, write, rename and delete a file
 * and a directory and sync.  Any call may fail (EIO, EUCLEAN, ENOSPC...):
 * the kernel must answer each with an error, never a panic or a hang, and
 * never write outside the filesystem (the host checks both).  One line:
 *     fswalk: root ext2|other: D dirs, F files, B bytes read, E errors
 *             (first: CALL PATH errno N); writes ok|failed (errno N)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <dirent.h>
#include <stat.h>
#include <ztest.h>

#define MAX_DEPTH 8
#define EXT2_MAGIC 0xEF53

static int dirs, files, errors;
static unsigned long long bytes;
static char first_error[160];

static void error(const char *call, const char *path)
{
	if (!errors++)
		snprintf(first_error, sizeof first_error, "%s %s errno %d", call, path, errno);
}

static void read_file(const char *path)
{
	static char buf[16384];
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		error("open", path);
		return;
	}
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		bytes += (unsigned long long)n;
	if (n < 0)
		error("read", path);
	files++;
	close(fd);
}

static void walk(const char *dir, int depth)
{
	static char buf[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY), n;
	if (fd < 0) {
		error("opendir", dir);
		return;
	}
	dirs++;
	while ((n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf)) > 0) {
		/* The records are copied out first: walk() reuses buf. */
		char names[64][64];
		int count = 0;
		for (int off = 0; off < n && count < 64;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			if (e->d_reclen == 0)
				break;
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				strlcpy(names[count++], e->d_name, sizeof names[0]);
			off += e->d_reclen;
		}
		for (int i = 0; i < count; i++) {
			char path[512];
			struct stat st;
			snprintf(path, sizeof path, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
			if (lstat(path, &st) < 0) {
				error("lstat", path);
				continue;
			}
			if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
				walk(path, depth + 1);
			else if (S_ISREG(st.st_mode))
				read_file(path);
		}
	}
	if (n < 0)
		error("getdents64", dir);
	close(fd);
}

/* Create, write, rename and remove; 0 or the first errno. */
static int writes(void)
{
	static char data[40000];
	memset(data, 'w', sizeof data);
	int fd = open("/fswalk.new", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return errno;
	if (write(fd, data, sizeof data) != (ssize_t)sizeof data || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink("/fswalk.new");
		return e ? e : EIO;
	}
	close(fd);
	if (mkdir("/fswalk.d", 0755) < 0 || rename("/fswalk.new", "/fswalk.d/moved") < 0 ||
	    unlink("/fswalk.d/moved") < 0 || rmdir("/fswalk.d") < 0)
		return errno;
	sync();
	return 0;
}

int main(void)
{
	struct statfs sf;
	int ext2 = statfs("/", &sf) == 0 && sf.f_type == EXT2_MAGIC;
	walk("/", 0);
	int w = ext2 ? writes() : 0;
	printf("fswalk: root %s: %d dirs, %d files, %llu bytes read, %d errors%s%s%s; writes ",
	       ext2 ? "ext2" : "other", dirs, files, bytes, errors, errors ? " (first: " : "",
	       errors ? first_error : "", errors ? ")" : "");
	if (!ext2)
		printf("not tried\n");
	else if (w)
		printf("failed (errno %d)\n", w);
	else
		printf("ok\n");
	CHECK("fswalk.walked", dirs > 0);
	return ztest_summary();
}
