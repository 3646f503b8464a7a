/*
 * hexdump - show bytes in hexadecimal and as text.
 *     hexdump [-C] [FILE...]     "-" or none: standard input
 * The canonical (-C) layout is the only one: the offset, 16 bytes in hex
 * in two groups of 8, the same bytes as text between bars ('.' for what
 * is not printable ASCII).  A line equal to the one before becomes a
 * single "*", as in BSD and util-linux hexdump.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>
#include <stdbool.h>

#define PER_LINE 16

static unsigned char line[PER_LINE], previous[PER_LINE];
static int filled;
static unsigned long offset;
static bool have_previous, squeezing;

static void print_line(int n)
{
	if (n == PER_LINE && have_previous && memcmp(line, previous, PER_LINE) == 0) {
		if (!squeezing)
			printf("*\n");
		squeezing = true;
	} else {
		squeezing = false;
		printf("%08lx ", offset);
		for (int i = 0; i < PER_LINE; i++) {
			if (i == 8)
				putchar(' ');
			if (i < n)
				printf(" %02x", line[i]);
			else
				printf("   ");
		}
		printf("  |");
		for (int i = 0; i < n; i++)
			putchar(line[i] >= 0x20 && line[i] < 0x7f ? line[i] : '.');
		printf("|\n");
	}
	memcpy(previous, line, PER_LINE);
	have_previous = true;
	offset += (unsigned long)n;
}

static int dump(int fd, const char *name)
{
	static unsigned char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++) {
			line[filled++] = buf[i];
			if (filled == PER_LINE) {
				print_line(PER_LINE);
				filled = 0;
			}
		}
	if (n < 0) {
		fprintf(stderr, "hexdump: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	if (i < argc && strcmp(argv[i], "-C") == 0)
		i++;
	if (i == argc)
		status = dump(0, "standard input");
	for (; i < argc; i++) {
		int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "hexdump: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= dump(fd, argv[i]);
		if (fd > 0)
			close(fd);
	}
	if (filled)
		print_line(filled);
	if (offset)
		printf("%08lx\n", offset);
	return status;
}
