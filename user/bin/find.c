/*
 * find - walk directory trees and print the paths that match.
 *     find [PATH...] [-name PATTERN] [-type f|d]
 * PATH defaults to ".".  PATTERN is a shell pattern (* ? [abc] [a-z])
 * matched against the last component of each path.  Each directory is
 * printed before what it holds, in the order getdents64 returns them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stat.h>
#include <dirent.h>
#include <stdbool.h>

static const char *name_pattern;
static char type_wanted;               /* 'f', 'd' or 0 for any */
static int status;

/* Does [set] at p match c?  *end is set past the closing bracket. */
static bool match_set(const char *p, char c, const char **end)
{
	bool negate = *p == '!' || *p == '^', found = false;
	if (negate)
		p++;
	for (bool first = true; *p && (first || *p != ']'); first = false, p++) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			found |= *p <= c && c <= p[2];
			p += 2;
		} else
			found |= *p == c;
	}
	*end = *p ? p + 1 : p;
	return found != negate;
}

static bool glob_match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			for (const char *t = s;; t++) {
				if (glob_match(p + 1, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '[') {
			const char *end;
			if (!match_set(p + 1, *s, &end))
				return false;
			p = end - 1;
		} else if (*p != '?' && *p != *s)
			return false;
	}
	return *s == '\0';
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

static void visit(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "find: %s: %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	bool is_dir = S_ISDIR(st.st_mode);
	bool type_ok = !type_wanted || (type_wanted == 'd') == is_dir;
	if (type_wanted == 'f' && !S_ISREG(st.st_mode))
		type_ok = false;
	if (type_ok && (!name_pattern || glob_match(name_pattern, last_component(path))))
		printf("%s\n", path);
	if (!is_dir)
		return;

	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		fprintf(stderr, "find: %s: %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	static char buf[4096];
	int n;
	while ((n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf)) > 0) {
		/* Copy the names out: the recursion reuses buf. */
		char *names = malloc((size_t)n), *end = names;
		for (int off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			off += d->d_reclen;
			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
				strcpy(end, d->d_name);
				end += strlen(d->d_name) + 1;
			}
		}
		for (char *name = names; name < end; name += strlen(name) + 1) {
			char *child = malloc(strlen(path) + strlen(name) + 2);
			sprintf(child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
			visit(child);
			free(child);
		}
		free(names);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	int i = 1, first_path = 1;

	while (i < argc && argv[i][0] != '-')
		i++;
	int npaths = i - first_path;
	for (; i < argc; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		if (strcmp(argv[i], "-name") == 0)
			name_pattern = argv[i + 1];
		else if (strcmp(argv[i], "-type") == 0 && strchr("fd", argv[i + 1][0]))
			type_wanted = argv[i + 1][0];
		else
			goto usage;
	}
	if (npaths == 0)
		visit(".");
	for (int k = 0; k < npaths; k++)
		visit(argv[first_path + k]);
	return status;
usage:
	fprintf(stderr, "usage: find [PATH...] [-name PATTERN] [-type f|d]\n");
	return 1;
}
