/*
 * cp - copy a file.
 *     cp SRC DST             DST may be an existing directory: the copy
 *                            is then DST/basename(SRC)
 *     cp SRC... DIR          several files into a directory
 * Every byte makes two CPU copies (page cache -> our buffer -> page
 * cache); the disk sees it again only when the copy is written back.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>

static char buf[65536];

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int copy(const char *src, const char *dst)
{
	char target[1024];
	int in, out, status = 0;
	ssize_t n;

	if (is_dir(dst)) {
		const char *base = strrchr(src, '/');
		snprintf(target, sizeof target, "%s/%s", dst, base ? base + 1 : src);
		dst = target;
	}
	if ((in = open(src, O_RDONLY)) < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return 1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0) {
		ssize_t done = 0;
		while (done < n) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w <= 0) {
				fprintf(stderr, "cp: %s: %s\n", dst, w < 0 ? strerror(errno) : "short write");
				status = 1;
				goto out;
			}
			done += w;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		status = 1;
	}
out:
	close(in);
	if (close(out) < 0)
		status = 1;
	return status;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: cp SRC DST | cp SRC... DIR\n");
		return 2;
	}
	if (argc > 3 && !is_dir(argv[argc - 1])) {
		fprintf(stderr, "cp: %s: not a directory\n", argv[argc - 1]);
		return 1;
	}
	for (i = 1; i < argc - 1; i++)
		status |= copy(argv[i], argv[argc - 1]);
	return status;
}
