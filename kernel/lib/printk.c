/*
 * printk.c - formatted printing for the kernel: a small vsnprintf
 * (%d %i %u %o %x %X %p %s %c %%, width, '0' and '-' flags, l and ll) and
 * printk(), which writes to the sink the console driver registers (lib/
 * knows no driver: the boot glue connects the two).
 */
#include "kernel.h"

static printk_sink_t console_write;

void printk_set_console(printk_sink_t write)
{
	console_write = write;
}

struct outbuf {
	char *buf;
	size_t size, len;
};

static void put(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct outbuf *o, uint64_t v, int base, bool upper,
		    bool neg, int width, char pad, bool left)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	do {
		/* 64-bit division by a small base without libgcc. */
		uint64_t q = 0, r = 0;
		for (int bit = 63; bit >= 0; bit--) {
			r = (r << 1) | ((v >> bit) & 1);
			if (r >= (uint64_t)base) {
				r -= base;
				q |= 1ull << bit;
			}
		}
		tmp[n++] = digits[r];
		v = q;
	} while (v);
	int len = n + (neg ? 1 : 0);
	if (neg && pad == '0')
		put(o, '-');
	if (!left)
		for (; width > len; width--)
			put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (; width > len; width--)
			put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, size, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		int width = 0, longs = 0;
		for (;; fmt++) {
			if (*fmt == '-') left = true;
			else if (*fmt == '0') pad = '0';
			else break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			if (*fmt == 'l')
				longs++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': case 'i': {
			int64_t v = longs >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int);
			put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, false, v < 0, width, pad, left);
			break;
		}
		case 'u': case 'o': case 'x': case 'X': {
			uint64_t v = longs >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			int base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			put_num(&o, v, base, *fmt == 'X', false, width, pad, left);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, false, false, 8, '0', false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = strlen(s);
			if (!left)
				for (; width > len; width--)
					put(&o, ' ');
			while (*s)
				put(&o, *s++);
			if (left)
				for (; width > len; width--)
					put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (console_write)
		console_write(buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
	return n;
}
