/*
 * stdio.h - formatted and buffered output, simple input.
 *
 * stdout is line buffered: text collects in a buffer and goes to the
 * kernel in one write() when a call has written a '\n' (or the buffer
 * fills, or on fflush/exit).  stderr is written at the end of every call.
 * Fewer write() calls means fewer user->kernel crossings, which the
 * ledger counts.
 */
#ifndef ZC_STDIO_H
#define ZC_STDIO_H

#include <types.h>
#include <stdarg.h>

#define EOF (-1)
#define BUFSIZ 1024

typedef struct zc_file FILE;   /* defined in stdio.c */

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
int fprintf(FILE *f, const char *fmt, ...) PRINTF_LIKE(2, 3);
int dprintf(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
int sprintf(char *buf, const char *fmt, ...) PRINTF_LIKE(2, 3);
int snprintf(char *buf, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);                   /* adds '\n' */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);                       /* NULL: all streams */
int fileno(FILE *f);

int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *buf, int n, FILE *f);
int feof(FILE *f);
int ferror(FILE *f);

/* Read one line from fd, a byte at a time so nothing past the '\n' is
 * consumed (a child process may read the rest).  Keeps the '\n' and
 * NUL-terminates.  Returns the length, 0 at end of file, -1 on error. */
int readline(int fd, char *buf, int n);

void perror(const char *msg);

/* The engine under all the printf functions: calls emit(ctx, s, n) for
 * each piece of output; returns the number of characters produced. */
int vformat(void (*emit)(void *ctx, const char *s, size_t n), void *ctx,
	    const char *fmt, va_list ap);

#endif
