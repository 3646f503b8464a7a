/*
 * wc - count lines, words and bytes.
 *     wc [-l] [-w] [-c] [FILE...]     none of -lwc: all three; "-" or none: standard input
 * Columns as GNU wc lays them out: each count right-aligned to the width
 * of the largest possible count (the sum of the regular files' sizes; 7
 * when a pipe or terminal is read), no padding for one count of one file,
 * and a "total" line for several files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <ctype.h>
#include <stat.h>
#include <stdbool.h>

struct counts { unsigned long lines, words, bytes; };

static bool show_lines, show_words, show_bytes;
static int width = 1;

static int count(int fd, const char *name, struct counts *c)
{
	static char buf[8192];
	bool in_word = false;
	ssize_t n;

	memset(c, 0, sizeof *c);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		c->bytes += (unsigned long)n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				c->lines++;
			if (isspace((unsigned char)buf[i]))
				in_word = false;
			else if (!in_word) {
				in_word = true;
				c->words++;
			}
		}
	}
	if (n < 0) {
		fprintf(stderr, "wc: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

static void print(const struct counts *c, const char *name)
{
	const char *sep = "";
	if (show_lines) {
		printf("%*lu", width, c->lines);
		sep = " ";
	}
	if (show_words) {
		printf("%s%*lu", sep, width, c->words);
		sep = " ";
	}
	if (show_bytes)
		printf("%s%*lu", sep, width, c->bytes);
	printf(name ? " %s\n" : "\n", name);
}

/* GNU wc's column width: digits of the largest count possible. */
static void choose_width(char **files, int n)
{
	unsigned long total = 0;
	int minimum = 1;
	struct stat st;

	static char *standard_input[] = { "-" };
	if (n == 0) {
		files = standard_input;
		n = 1;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(files[i], "-") == 0 ? fstat(0, &st) : stat(files[i], &st))
			continue;
		if (S_ISREG(st.st_mode))
			total += st.st_size;
		else
			minimum = 7;
	}
	for (width = 1; total >= 10; total /= 10)
		width++;
	if (width < minimum)
		width = minimum;
	if (n == 1 && show_lines + show_words + show_bytes == 1)
		width = 1;
}

int main(int argc, char **argv)
{
	struct counts c, total = { 0, 0, 0 };
	int i, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l') show_lines = true;
			else if (*o == 'w') show_words = true;
			else if (*o == 'c') show_bytes = true;
			else {
				fprintf(stderr, "usage: wc [-lwc] [FILE...]\n");
				return 2;
			}
		}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = true;
	choose_width(argv + i, argc - i);
	if (i == argc) {
		status = count(0, "standard input", &c);
		print(&c, NULL);
		return status;
	}
	for (int f = i; f < argc; f++) {
		int fd = strcmp(argv[f], "-") == 0 ? 0 : open(argv[f], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "wc: %s: %s\n", argv[f], strerror(errno));
			status = 1;
			continue;
		}
		status |= count(fd, argv[f], &c);
		if (fd > 0)
			close(fd);
		print(&c, argv[f]);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (argc - i > 1)
		print(&total, "total");
	return status;
}
