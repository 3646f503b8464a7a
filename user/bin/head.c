/*
 * head - the first lines of files.
 *     head [-n N] [FILE...]      N lines (default 10); "-" or none: standard input
 * Several files get "==> FILE <==" headers, as GNU head prints them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lines.h>

static int head(const char *path, long n, bool header, bool first)
{
	struct lines l;
	char *line;
	ssize_t len;

	if (lines_open(&l, "head", path) < 0)
		return 1;
	if (header)
		printf("%s==> %s <==\n", first ? "" : "\n", l.name);
	while (n-- > 0 && (len = lines_next(&l, &line)) > 0)
		fwrite(line, 1, (size_t)len, stdout);
	lines_close(&l);
	return 0;
}

int main(int argc, char **argv)
{
	long n = 10;
	int i = 1, status = 0;

	if (i < argc && strncmp(argv[i], "-n", 2) == 0) {
		const char *v = argv[i][2] ? argv[i] + 2 : argv[++i];
		if (!v) {
			fprintf(stderr, "usage: head [-n N] [FILE...]\n");
			return 2;
		}
		n = strtol(v, NULL, 10);
		i++;
	}
	if (i == argc)
		return head("-", n, false, true);
	for (int f = i; f < argc; f++)
		status |= head(argv[f], n, argc - i > 1, f == i);
	return status;
}
