/*
 * rm - remove files, and with -r whole directory trees.
 *     rm [-r] [-f] PATH...   -r: directories and what they hold
 *                            -f: no message when PATH does not exist
 * unlink(2) removes a name; the file itself goes when its last name
 * and its last open descriptor are gone.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <dirent.h>

static int recursive, force;

static int remove_path(const char *path);

/* Remove everything in directory path, then the directory. */
static int remove_tree(const char *path)
{
	static char buf[4096];
	char child[1024];
	int fd = open(path, O_RDONLY | O_DIRECTORY), status = 0;

	if (fd < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		/* Read one buffer, then remove what it named: removing changes
		 * the directory, so start over from its beginning each time. */
		int n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf), off, removed = 0;

		if (n <= 0)
			break;
		for (off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof child, "%s/%s", path, d->d_name);
			if (remove_path(child) != 0)
				status = 1;
			else
				removed++;
		}
		if (!removed)
			break;
		lseek(fd, 0, SEEK_SET);
	}
	close(fd);
	if (rmdir(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return status;
}

static int remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (force && errno == ENOENT)
			return 0;
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!recursive) {
			fprintf(stderr, "rm: %s: is a directory (use -r)\n", path);
			return 1;
		}
		return remove_tree(path);
	}
	if (unlink(path) < 0) {
		fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o;

		for (o = argv[i] + 1; *o; o++) {
			if (*o == 'r' || *o == 'R')
				recursive = 1;
			else if (*o == 'f')
				force = 1;
			else {
				fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
				return 2;
			}
		}
	}
	if (i >= argc && !force) {
		fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
		return 2;
	}
	for (; i < argc; i++)
		status |= remove_path(argv[i]);
	return status;
}
