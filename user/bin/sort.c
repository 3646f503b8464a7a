/*
 * sort - sort lines.
 *     sort [-n] [-r] [FILE...]        "-" or none: standard input
 * Lines compare byte by byte (as GNU sort does with LC_ALL=C); -n compares
 * the number at the start of each line (leading blanks skipped, a minus
 * sign, digits, a decimal point), lines with equal numbers byte by byte;
 * -r reverses the order.  A merge sort: stable, n log n, no recursion
 * depth beyond log n.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <lines.h>

static bool numeric, reverse;

static int compare_bytes(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	while (*x && *x == *y)
		x++, y++;
	return *x - *y;
}

/* A number as GNU sort -n reads it: sign, integer digits, fraction digits. */
struct number {
	bool negative;
	const char *integer;        /* without leading zeros */
	int integer_len;
	const char *fraction;       /* without trailing zeros */
	int fraction_len;
};

static struct number parse_number(const char *s)
{
	struct number n = { false, "", 0, "", 0 };
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-') {
		n.negative = true;
		s++;
	}
	while (*s == '0')
		s++;
	n.integer = s;
	while (isdigit((unsigned char)*s))
		s++;
	n.integer_len = (int)(s - n.integer);
	if (*s == '.') {
		n.fraction = ++s;
		while (isdigit((unsigned char)*s))
			s++;
		n.fraction_len = (int)(s - n.fraction);
		while (n.fraction_len > 0 && n.fraction[n.fraction_len - 1] == '0')
			n.fraction_len--;
	}
	if (n.integer_len == 0 && n.fraction_len == 0)
		n.negative = false;     /* -0 is 0 */
	return n;
}

static int compare_magnitude(const struct number *a, const struct number *b)
{
	if (a->integer_len != b->integer_len)
		return a->integer_len - b->integer_len;
	int c = memcmp(a->integer, b->integer, (size_t)a->integer_len);
	if (c)
		return c;
	for (int i = 0; i < a->fraction_len || i < b->fraction_len; i++) {
		char x = i < a->fraction_len ? a->fraction[i] : '0';
		char y = i < b->fraction_len ? b->fraction[i] : '0';
		if (x != y)
			return x - y;
	}
	return 0;
}

static int compare_numbers(const char *a, const char *b)
{
	struct number x = parse_number(a), y = parse_number(b);
	if (x.negative != y.negative)
		return x.negative ? -1 : 1;
	int c = compare_magnitude(&x, &y);
	return x.negative ? -c : c;
}

static int compare(const char *a, const char *b)
{
	int c = numeric ? compare_numbers(a, b) : 0;
	if (c == 0)
		c = compare_bytes(a, b);
	return reverse ? -c : c;
}

static void merge_sort(char **v, char **tmp, size_t n)
{
	if (n < 2)
		return;
	size_t half = n / 2;
	merge_sort(v, tmp, half);
	merge_sort(v + half, tmp, n - half);
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n)
		tmp[k++] = compare(v[j], v[i]) < 0 ? v[j++] : v[i++];
	while (i < half)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static char **all;
static size_t count, cap;

static int add_line(const char *line, ssize_t len)
{
	if (count == cap) {
		cap = cap ? cap * 2 : 256;
		char **p = realloc(all, cap * sizeof *p);
		if (!p)
			return -1;
		all = p;
	}
	char *copy = strndup(line, (size_t)len);
	if (!copy)
		return -1;
	if (len > 0 && copy[len - 1] == '\n')
		copy[len - 1] = '\0';
	all[count++] = copy;
	return 0;
}

static int read_file(const char *path)
{
	struct lines l;
	char *line;
	ssize_t len;

	if (lines_open(&l, "sort", path) < 0)
		return 2;
	while ((len = lines_next(&l, &line)) > 0)
		if (add_line(line, len) < 0) {
			fprintf(stderr, "sort: out of memory\n");
			return 2;
		}
	lines_close(&l);
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n') numeric = true;
			else if (*o == 'r') reverse = true;
			else {
				fprintf(stderr, "usage: sort [-nr] [FILE...]\n");
				return 2;
			}
		}
	if (i == argc)
		status = read_file("-");
	for (; i < argc; i++)
		status |= read_file(argv[i]);
	char **tmp = malloc((count ? count : 1) * sizeof *tmp);
	if (!tmp) {
		fprintf(stderr, "sort: out of memory\n");
		return 2;
	}
	merge_sort(all, tmp, count);
	for (size_t k = 0; k < count; k++)
		printf("%s\n", all[k]);
	return status;
}
