/*
 * probe - what does each file-system call say about a path?  For the
 * bad-disk tests: the host corrupts an inode or a directory entry in a
 * disk image, boots with it, and checks that the calls answer -EIO (or
 * another clean error) while the kernel keeps running.
 *
 *     probe PATH...
 *
 * prints one line per path:
 *     probe PATH stat=R open=R read=R getdents=R create=R
 * where each R is a byte count, 0, or an error name such as EIO; "-"
 * when the call did not apply (read of a directory, getdents of a file).
 * create tries to make PATH/new (only for directories).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <syscall.h>

static char buf[65536];

static const char *res(long r, char *out, size_t n)
{
	if (r < 0 && r > -4096)
		snprintf(out, n, "%s", errname((int)-r));
	else
		snprintf(out, n, "%ld", r);
	return out;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		char a[32], b[32], c[32] = "-", d[32] = "-", e[32] = "-", path[512];
		struct stat st;
		long r = usys_stat(argv[i], &st), fd, total = 0, n;
		int isdir = r == 0 && S_ISDIR(st.st_mode);

		res(r, a, sizeof a);
		fd = usys_open(argv[i], O_RDONLY, 0);
		res(fd < 0 ? fd : 0, b, sizeof b);
		if (fd >= 0 && !isdir) {
			while ((n = usys_read((int)fd, buf, sizeof buf)) > 0)
				total += n;
			res(n < 0 ? n : total, c, sizeof c);
		}
		if (fd >= 0 && isdir) {
			long count = 0;
			while ((n = usys_getdents64((int)fd, buf, sizeof buf)) > 0)
				count++;
			res(n < 0 ? n : count, d, sizeof d);
			snprintf(path, sizeof path, "%s/new", argv[i]);
			n = usys_open(path, O_WRONLY | O_CREAT, 0644);
			res(n < 0 ? n : 0, e, sizeof e);
			if (n >= 0)
				close((int)n);
		}
		if (fd >= 0)
			close((int)fd);
		printf("probe %s stat=%s open=%s read=%s getdents=%s create=%s\n", argv[i], a, b, c, d, e);
	}
	return 0;
}
