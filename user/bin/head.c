/*
 * head - the first lines of files.
 *     head [-n N] [FILE...]      N lines (default 10); "-" or none: standard input
 * Several files get "==> FILE <==" headers, as GNU head prints them.
 */
#include <stdio.h>
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
	return lines_main(argc, argv, "head", head);
}
