/*
 * mv - rename a file or directory (rename(2): one directory entry moves,
 * no data is copied).
 *     mv OLD NEW             NEW may be an existing directory: OLD moves into it
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <stat.h>

int main(int argc, char **argv)
{
	char target[1024];
	const char *dst;
	struct stat st;

	if (argc != 3) {
		fprintf(stderr, "usage: mv OLD NEW\n");
		return 2;
	}
	dst = argv[2];
	if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
		const char *base = strrchr(argv[1], '/');
		snprintf(target, sizeof target, "%s/%s", dst, base ? base + 1 : argv[1]);
		dst = target;
	}
	if (rename(argv[1], dst) < 0) {
		fprintf(stderr, "mv: %s -> %s: %s\n", argv[1], dst, strerror(errno));
		return 1;
	}
	return 0;
}
