/*
 * lines.c - line-at-a-time input for the text tools (see lines.h).
 */
#include <lines.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <errno.h>

int lines_open(struct lines *l, const char *prog, const char *path)
{
	memset(l, 0, sizeof *l);
	if (strcmp(path, "-") == 0) {
		l->fd = 0;
		l->name = "standard input";
		return 0;
	}
	l->name = path;
	l->fd = open(path, O_RDONLY);
	if (l->fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Make room for n more bytes of the current line. */
static int grow(struct lines *l, size_t used, size_t n)
{
	if (used + n + 1 <= l->cap)
		return 0;
	size_t cap = l->cap ? l->cap : 128;
	while (cap < used + n + 1)
		cap *= 2;
	char *p = realloc(l->line, cap);
	if (!p)
		return -1;
	l->line = p;
	l->cap = cap;
	return 0;
}

ssize_t lines_next(struct lines *l, char **line)
{
	size_t used = 0;

	for (;;) {
		if (l->pos == l->len) {
			ssize_t n = read(l->fd, l->buf, sizeof l->buf);
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			l->len = (int)n;
			l->pos = 0;
		}
		char *start = l->buf + l->pos;
		char *nl = memchr(start, '\n', (size_t)(l->len - l->pos));
		size_t take = nl ? (size_t)(nl - start) + 1 : (size_t)(l->len - l->pos);
		if (grow(l, used, take) < 0)
			return -1;
		memcpy(l->line + used, start, take);
		used += take;
		l->pos += (int)take;
		if (nl)
			break;
	}
	if (used == 0)
		return 0;
	l->line[used] = '\0';
	*line = l->line;
	return (ssize_t)used;
}

void lines_close(struct lines *l)
{
	if (l->fd > 0)
		close(l->fd);
	free(l->line);
	l->line = NULL;
}

int lines_main(int argc, char **argv, const char *prog, lines_each_fn each)
{
	long n = 10;
	int i = 1, status = 0;

	if (i < argc && strncmp(argv[i], "-n", 2) == 0) {
		const char *v = argv[i][2] ? argv[i] + 2 : argv[++i];
		if (!v) {
			fprintf(stderr, "usage: %s [-n N] [FILE...]\n", prog);
			return 2;
		}
		n = strtol(v, NULL, 10);
		i++;
	}
	if (i == argc)
		return each("-", n, false, true);
	for (int f = i; f < argc; f++)
		status |= each(argv[f], n, argc - i > 1, f == i);
	return status;
}
