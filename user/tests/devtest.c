/*
 * devtest - /dev/null and /dev/zero (kernel/fs/devfs.c): what they read
 * and write, stat, readdir, and bad input.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <stat.h>
#include <ztest.h>

int main(void)
{
	static char buf[10000];
	struct stat st;
	int fd = usys_open("/dev/null", O_RDWR, 0);
	CHECK("null.open", fd >= 0);
	check_eq("null.read_eof", usys_read(fd, buf, sizeof buf), 0);
	check_eq("null.write", usys_write(fd, "gone", 4), 4);
	check_err("null.write_kernel_pointer", usys_write(fd, (void *)0xC0000000, 100), -EFAULT);  /* access_ok, as Linux */
	CHECK("null.stat", usys_fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR);
	usys_close(fd);

	fd = usys_open("/dev/zero", O_RDONLY, 0);
	memset(buf, 'x', sizeof buf);
	check_eq("zero.read", usys_read(fd, buf, sizeof buf), sizeof buf);
	int zeros = 1;
	for (size_t i = 0; i < sizeof buf; i++)
		zeros &= buf[i] == 0;
	CHECK("zero.zeros", zeros);
	check_err("zero.efault", usys_read(fd, (void *)0xC0000000, 16), -EFAULT);
	usys_close(fd);

	fd = usys_open("/dev", O_RDONLY | O_DIRECTORY, 0);
	long n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf);
	int found = 0;
	for (long off = 0; off < n; off += ((struct linux_dirent64 *)(buf + off))->d_reclen) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
		found += (strcmp(d->d_name, "null") == 0 || strcmp(d->d_name, "zero") == 0) && d->d_type == DT_CHR;
	}
	usys_close(fd);
	check_eq("readdir", found, 2);
	check_err("missing", usys_open("/dev/nothing", O_RDONLY, 0), -ENOENT);
	check_err("create", usys_open("/dev/new", O_CREAT | O_WRONLY, 0644), -EROFS);
	check_err("unlink", unlink("/dev/null"), -1);
	CHECK("still_there", usys_stat("/dev/null", &st) == 0);
	check_err("rename", rename("/dev/zero", "/tmp/zero"), -1);
	check_eq("rename.errno", errno, EXDEV);
	CHECK("proc_too", usys_stat("/proc/self/stat", &st) == 0);
	return ztest_summary();
}
