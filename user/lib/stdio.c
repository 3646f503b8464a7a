/*
 * stdio.c - buffered streams on file descriptors 0, 1 and 2.
 *
 * A FILE is a descriptor plus a buffer.  Output collects in the buffer
 * and goes to the kernel with one write():
 *   stdout (line buffered)  at the end of any call that wrote a '\n',
 *   stderr (unbuffered)     at the end of every call,
 *   either                  when the buffer is full, on fflush(), on exit().
 * So printf("a\nb\nc\n") is one system call, and a line from one process
 * is not cut in half by another process's output.
 * Input (stdin) is read a buffer at a time; stdout is flushed first so a
 * prompt shows before the program waits.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { MODE_NBF, MODE_LBF };
#define FLAG_EOF 1
#define FLAG_ERR 2

struct zc_file {
	int fd;
	int mode;
	int flags;
	int newline;        /* output: a '\n' was written in this call */
	char *buf;
	int size;
	int len;            /* output: bytes waiting; input: bytes in buf */
	int pos;            /* input: next byte to hand out */
};

static char inbuf[BUFSIZ], outbuf[BUFSIZ], errbuf[BUFSIZ];
static FILE files[3] = {
	{ .fd = 0, .mode = MODE_LBF, .buf = inbuf, .size = BUFSIZ },
	{ .fd = 1, .mode = MODE_LBF, .buf = outbuf, .size = BUFSIZ },
	{ .fd = 2, .mode = MODE_NBF, .buf = errbuf, .size = BUFSIZ },
};
FILE *stdin = &files[0];
FILE *stdout = &files[1];
FILE *stderr = &files[2];

/* ---- output ---- */

/* Write out everything waiting in f's buffer. */
static int flush_out(FILE *f)
{
	int done = 0;

	while (done < f->len) {
		ssize_t n = write(f->fd, f->buf + done, (size_t)(f->len - done));

		if (n <= 0) {
			f->flags |= FLAG_ERR;
			f->len = 0;
			return EOF;
		}
		done += (int)n;
	}
	f->len = 0;
	return 0;
}

static void put_bytes(FILE *f, const char *s, size_t n)
{
	if (f->mode == MODE_LBF && memchr(s, '\n', n))
		f->newline = 1;
	while (n > 0) {
		size_t room = (size_t)(f->size - f->len);
		size_t k = n < room ? n : room;

		memcpy(f->buf + f->len, s, k);
		f->len += (int)k;
		s += k;
		n -= k;
		if (f->len == f->size)
			flush_out(f);
	}
}

/* Called at the end of every output function: apply the buffering rule. */
static int end_call(FILE *f)
{
	int r = 0;

	if (f->mode == MODE_NBF || f->newline)
		r = flush_out(f);
	f->newline = 0;
	return r;
}

static void emit_file(void *ctx, const char *s, size_t n)
{
	put_bytes(ctx, s, n);
}

int fflush(FILE *f)
{
	if (!f) {
		int r = fflush(stdout);
		return fflush(stderr) | r;
	}
	return f == stdin ? 0 : flush_out(f);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	int n = vformat(emit_file, f, fmt, ap);

	return end_call(f) < 0 ? EOF : n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* printf straight to a descriptor, through a buffer on the stack: one
 * write() per call for output up to 512 bytes. */
struct fdbuf {
	int fd;
	int len;
	char buf[512];
};

static void emit_fd(void *ctx, const char *s, size_t n)
{
	struct fdbuf *b = ctx;

	while (n > 0) {
		size_t k = sizeof b->buf - (size_t)b->len;

		if (k > n)
			k = n;
		memcpy(b->buf + b->len, s, k);
		b->len += (int)k;
		s += k;
		n -= k;
		if (b->len == (int)sizeof b->buf) {
			write(b->fd, b->buf, (size_t)b->len);
			b->len = 0;
		}
	}
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct fdbuf b;
	int n;

	b.fd = fd;
	b.len = 0;
	n = vformat(emit_fd, &b, fmt, ap);
	if (b.len)
		write(fd, b.buf, (size_t)b.len);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vdprintf(fd, fmt, ap);
	va_end(ap);
	return r;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	put_bytes(f, p, size * n);
	return end_call(f) < 0 ? 0 : n;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	put_bytes(f, &ch, 1);
	return end_call(f) < 0 ? EOF : (unsigned char)c;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c)       { return fputc(c, stdout); }

int fputs(const char *s, FILE *f)
{
	put_bytes(f, s, strlen(s));
	return end_call(f);
}

int puts(const char *s)
{
	put_bytes(stdout, s, strlen(s));
	put_bytes(stdout, "\n", 1);
	return end_call(stdout);
}

int fileno(FILE *f) { return f->fd; }
int feof(FILE *f)   { return (f->flags & FLAG_EOF) != 0; }
int ferror(FILE *f) { return (f->flags & FLAG_ERR) != 0; }

/* ---- input ---- */

int fgetc(FILE *f)
{
	if (f->pos == f->len) {
		ssize_t n;

		fflush(stdout);               /* show the prompt before we wait */
		n = read(f->fd, f->buf, (size_t)f->size);
		if (n <= 0) {
			f->flags |= n == 0 ? FLAG_EOF : FLAG_ERR;
			return EOF;
		}
		f->len = (int)n;
		f->pos = 0;
	}
	return (unsigned char)f->buf[f->pos++];
}

int getc(FILE *f)  { return fgetc(f); }
int getchar(void)  { return fgetc(stdin); }

char *fgets(char *buf, int n, FILE *f)
{
	int i = 0, c = 0;

	if (n <= 0)
		return NULL;
	while (i < n - 1 && c != '\n') {
		c = fgetc(f);
		if (c == EOF)
			break;
		buf[i++] = (char)c;
	}
	buf[i] = '\0';
	return i ? buf : NULL;
}

int readline(int fd, char *buf, int n)
{
	int i = 0;

	if (n <= 0)
		return -1;
	if (fd == 0)
		fflush(stdout);
	while (i < n - 1) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0)
			return i ? i : -1;
		if (r == 0)
			break;
		buf[i++] = c;
		if (c == '\n')
			break;
	}
	buf[i] = '\0';
	return i;
}
