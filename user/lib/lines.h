/*
 * lines.h - reading a file one line at a time, for the text tools (head,
 * tail, wc, grep, sort).  A struct lines wraps a file descriptor with a
 * read buffer and hands out whole lines of any length.
 */
#ifndef ZC_LINES_H
#define ZC_LINES_H
#include <types.h>
#include <stdbool.h>

struct lines {
	int fd;
	const char *name;       /* for error messages: the path, or "standard input" */
	char buf[4096];
	int len, pos;           /* buf[pos..len) not handed out yet */
	char *line;             /* the current line (malloc'd, grown as needed) */
	size_t cap;
};

/* Open path ("-" is standard input).  0, or -1 after printing
 * "PROG: PATH: error" on standard error. */
int lines_open(struct lines *l, const char *prog, const char *path);
/* The next line in *line, '\n' included if the file has one there, NUL
 * terminated; returns its length, 0 at the end, -1 on a read error. */
ssize_t lines_next(struct lines *l, char **line);
void lines_close(struct lines *l);

/* The main of head and tail: "PROG [-n N] [FILE...]" (N 10 by default),
 * each(path, n, header, first) for every FILE, or for "-" when there is
 * none; header is true when there are several, first for the first.
 * Returns the files' statuses or'ed, 2 on a usage error. */
typedef int (*lines_each_fn)(const char *path, long n, bool header, bool first);
int lines_main(int argc, char **argv, const char *prog, lines_each_fn each);

#endif
