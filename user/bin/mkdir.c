/*
 * mkdir - make directories.
 *     mkdir [-p] DIR...      -p: make missing parents too, and do not
 *                            complain about directories that exist
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <stat.h>

static int make(const char *path, int parents)
{
	char buf[4096];
	size_t i;

	if (parents) {
		struct stat st;

		/* Each prefix ending before a '/' is a parent to make first. */
		strlcpy(buf, path, sizeof buf);
		for (i = 1; buf[i]; i++) {
			if (buf[i] != '/')
				continue;
			buf[i] = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
				fprintf(stderr, "mkdir: %s: %s\n", buf, strerror(errno));
				return 1;
			}
			buf[i] = '/';
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	}
	if (mkdir(path, 0755) < 0) {
		fprintf(stderr, "mkdir: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, parents = 0, status = 0;

	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		parents = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (; i < argc; i++)
		status |= make(argv[i], parents);
	return status;
}
