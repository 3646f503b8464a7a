/*
 * grep - print the lines that contain a string.
 *     grep [-i] [-v] [-c] [-n] STRING [FILE...]
 * STRING is a fixed string, not a regular expression (as grep -F).
 * -i ignores ASCII case, -v selects the lines without it, -c prints only
 * how many lines were selected, -n puts each line's number in front.
 * Several files put "FILE:" in front.  Exit status: 0 if a line was
 * selected, 1 if none, 2 on an error.
 */
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <lines.h>

static bool ignore_case, invert, count_only, numbers;

static bool contains(const char *line, const char *s)
{
	if (!ignore_case)
		return strstr(line, s) != NULL;
	size_t n = strlen(s);
	for (; *line; line++) {
		size_t k = 0;
		while (k < n && line[k] && tolower((unsigned char)line[k]) == tolower((unsigned char)s[k]))
			k++;
		if (k == n)
			return true;
	}
	return n == 0;
}

/* Lines selected in path, or -1 if it cannot be read. */
static long grep(const char *s, const char *path, bool prefix)
{
	struct lines l;
	char *line;
	ssize_t len;
	long selected = 0, number = 0;

	if (lines_open(&l, "grep", path) < 0)
		return -1;
	while ((len = lines_next(&l, &line)) > 0) {
		number++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (contains(line, s) == invert)
			continue;
		selected++;
		if (count_only)
			continue;
		if (prefix)
			printf("%s:", l.name);
		if (numbers)
			printf("%ld:", number);
		printf("%s\n", line);
	}
	if (count_only) {
		if (prefix)
			printf("%s:", l.name);
		printf("%ld\n", selected);
	}
	lines_close(&l);
	return selected;
}

int main(int argc, char **argv)
{
	int i, status = 1;
	bool error = false;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'i') ignore_case = true;
			else if (*o == 'v') invert = true;
			else if (*o == 'c') count_only = true;
			else if (*o == 'n') numbers = true;
			else if (*o == 'F') continue;
			else {
				fprintf(stderr, "usage: grep [-ivcn] STRING [FILE...]\n");
				return 2;
			}
		}
	if (i == argc) {
		fprintf(stderr, "usage: grep [-ivcn] STRING [FILE...]\n");
		return 2;
	}
	const char *s = argv[i++];
	if (i == argc)
		return grep(s, "-", false) > 0 ? 0 : 1;
	for (int f = i; f < argc; f++) {
		long n = grep(s, argv[f], argc - i > 1);
		if (n < 0)
			error = true;
		else if (n > 0)
			status = 0;
	}
	return error ? 2 : status;
}
