/*
 * ls - list directories.
 *     ls [-l] [-a] [PATH...]   -l: mode, links, size, inode; -a: also
 *                              names starting with '.'
 * Directories are read with getdents64 (Linux number 220), which fills a
 * buffer with variable-length records; each name is then stat()ed for -l.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <stat.h>
#include <dirent.h>

static int long_format, all;

static void mode_string(unsigned mode, char *s)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	s[0] = S_ISDIR(mode) ? 'd' : S_ISLNK(mode) ? 'l' : S_ISCHR(mode) ? 'c' :
	       S_ISFIFO(mode) ? 'p' : S_ISBLK(mode) ? 'b' : S_ISSOCK(mode) ? 's' : '-';
	for (i = 0; i < 9; i++)
		s[i + 1] = mode & (0400 >> i) ? rwx[i] : '-';
	s[10] = 0;
}

/* One line; path is what to stat, name what to show. */
static void show(const char *path, const char *name)
{
	struct stat64 st;
	char m[11];

	if (!long_format) {
		printf("%s\n", name);
		return;
	}
	if (stat64(path, &st) < 0) {
		printf("?????????? %s: %s\n", name, strerror(errno));
		return;
	}
	mode_string(st.st_mode, m);
	printf("%s %3u %10lld %7llu %s%s\n", m, st.st_nlink, st.st_size, st.st_ino, name,
	       S_ISDIR(st.st_mode) ? "/" : "");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Insertion sort: directories here are small. */
static void sort_names(char **v, int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && by_name(&v[j - 1], &v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static int list_dir(const char *path)
{
	static char buf[8192];
	char **names = NULL, child[1024];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n, count = 0, cap = 0, i;

	if (fd < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf)) > 0) {
		int off;
		for (off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (d->d_name[0] == '.' && !all)
				continue;
			if (count == cap) {
				cap = cap ? cap * 2 : 64;
				names = realloc(names, cap * sizeof *names);
				if (!names) {
					fprintf(stderr, "ls: out of memory\n");
					return 1;
				}
			}
			names[count++] = strdup(d->d_name);
		}
	}
	if (n < 0)
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
	close(fd);
	sort_names(names, count);
	for (i = 0; i < count; i++) {
		snprintf(child, sizeof child, "%s/%s", path, names[i]);
		show(child, names[i]);
		free(names[i]);
	}
	free(names);
	return n < 0;
}

int main(int argc, char **argv)
{
	int i, status = 0, first;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o;
		for (o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				long_format = 1;
			else if (*o == 'a')
				all = 1;
			else {
				fprintf(stderr, "usage: ls [-l] [-a] [PATH...]\n");
				return 2;
			}
		}
	}
	if (i == argc)
		return list_dir(".");
	first = i;
	for (; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			show(argv[i], argv[i]);
			continue;
		}
		if (argc - first > 1)
			printf("%s:\n", argv[i]);
		status |= list_dir(argv[i]);
	}
	return status;
}
