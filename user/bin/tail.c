/*
 * tail - the last lines of files.
 *     tail [-n N] [FILE...]      N lines (default 10); "-" or none: standard input
 * Keeps the last N lines in a ring as it reads; several files get
 * "==> FILE <==" headers, as GNU tail prints them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lines.h>

static int tail(const char *path, long n, bool header, bool first)
{
	struct lines l;
	char *line, **ring;
	ssize_t len;
	long seen = 0;

	if (n <= 0)
		n = 0;
	if (lines_open(&l, "tail", path) < 0)
		return 1;
	ring = calloc((size_t)n + 1, sizeof *ring);
	if (!ring) {
		fprintf(stderr, "tail: out of memory\n");
		return 1;
	}
	while ((len = lines_next(&l, &line)) > 0) {
		if (n == 0)
			continue;
		free(ring[seen % n]);
		ring[seen % n] = strdup(line);
		seen++;
	}
	if (header)
		printf("%s==> %s <==\n", first ? "" : "\n", l.name);
	for (long k = seen > n ? seen - n : 0; k < seen; k++) {
		fputs(ring[k % n], stdout);
		free(ring[k % n]);
	}
	free(ring);
	lines_close(&l);
	return 0;
}

int main(int argc, char **argv)
{
	return lines_main(argc, argv, "tail", tail);
}
