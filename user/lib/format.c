/*
 * format.c - the printf engine.
 *
 * vformat() turns a format string and its arguments into text and hands
 * it, a piece at a time, to an emit() function: stdio.c's puts it in a
 * FILE's buffer, snprintf's in a char array.
 *
 * Supported: %d %i %u %x %X %o %p %s %c %%; flags - 0 + space #;
 * width and precision (numbers or *); length hh h l ll z j t.
 * No floating point: zc32 programs do not use the FPU.
 * 64-bit numbers (%llu) divide with __udivdi3 from libgcc.
 */
#include <stdio.h>
#include <string.h>
#include <stdarg.h>

#define F_LEFT  0x01   /* '-': pad on the right */
#define F_ZERO  0x02   /* '0': pad with zeros */
#define F_PLUS  0x04   /* '+': always a sign */
#define F_SPACE 0x08   /* ' ': space where the '+' would be */
#define F_ALT   0x10   /* '#': 0x prefix for hex, leading 0 for octal */
#define F_PTR   0x20   /* %p: 0x prefix even for 0 */

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct out {
	void (*emit)(void *ctx, const char *s, size_t n);
	void *ctx;
	int count;          /* characters produced so far */
};

static void out(struct out *o, const char *s, size_t n)
{
	if (n) {
		o->emit(o->ctx, s, n);
		o->count += (int)n;
	}
}

static void pad(struct out *o, char c, int n)
{
	static const char spaces[] = "                ", zeros[] = "0000000000000000";

	while (n > 0) {
		int k = n < 16 ? n : 16;

		out(o, c == '0' ? zeros : spaces, (size_t)k);
		n -= k;
	}
}

/* Digits of v in base, written backwards ending at end; returns the first.
 * Values that fit 32 bits use 32-bit division (cheaper than libgcc's). */
static char *to_digits(unsigned long long v, unsigned base, int upper, char *end)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	if (v <= 0xffffffffULL) {
		unsigned long w = (unsigned long)v;
		do {
			*--p = digits[w % base];
			w /= base;
		} while (w);
	} else {
		do {
			*--p = digits[v % base];
			v /= base;
		} while (v);
	}
	return p;
}

/* One number: [spaces][sign or 0x][zeros]digits[spaces]. */
static void put_number(struct out *o, unsigned long long v, int neg, unsigned base,
		       int upper, int flags, int width, int prec)
{
	char buf[24], prefix[2];
	char *digits = to_digits(v, base, upper, buf + sizeof buf);
	int ndig = (int)(buf + sizeof buf - digits);
	int nprefix = 0, zeros, padding;

	if (neg)
		prefix[nprefix++] = '-';
	else if (flags & F_PLUS)
		prefix[nprefix++] = '+';
	else if (flags & F_SPACE)
		prefix[nprefix++] = ' ';
	if (base == 16 && ((flags & F_PTR) || ((flags & F_ALT) && v != 0))) {
		prefix[0] = '0';
		prefix[1] = upper ? 'X' : 'x';
		nprefix = 2;
	}
	if (base == 8 && (flags & F_ALT) && prec <= ndig)
		prec = ndig + 1;              /* "#o": a leading zero */
	if (prec == 0 && v == 0)
		ndig = 0;                     /* "%.0d" of 0 prints nothing */

	zeros = prec > ndig ? prec - ndig : 0;
	padding = width - (nprefix + zeros + ndig);
	if (padding < 0)
		padding = 0;
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0) {
		zeros += padding;             /* zero padding goes after the sign */
		padding = 0;
	}
	if (!(flags & F_LEFT))
		pad(o, ' ', padding);
	out(o, prefix, (size_t)nprefix);
	pad(o, '0', zeros);
	out(o, digits, (size_t)ndig);
	if (flags & F_LEFT)
		pad(o, ' ', padding);
}

static long long signed_arg(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_LONG:  return va_arg(*ap, long);
	case LEN_SIZE:  return va_arg(*ap, ssize_t);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_CHAR:  return (signed char)va_arg(*ap, int);
	default:        return va_arg(*ap, int);
	}
}

static unsigned long long unsigned_arg(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_LONG:  return va_arg(*ap, unsigned long);
	case LEN_SIZE:  return va_arg(*ap, size_t);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_CHAR:  return (unsigned char)va_arg(*ap, unsigned int);
	default:        return va_arg(*ap, unsigned int);
	}
}

int vformat(void (*emit)(void *ctx, const char *s, size_t n), void *ctx,
	    const char *fmt, va_list ap_in)
{
	struct out o = { emit, ctx, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		int flags = 0, width = 0, prec = -1;
		enum length len = LEN_INT;
		const char *start = fmt;

		if (*fmt != '%') {                /* plain text up to the next % */
			while (*fmt && *fmt != '%')
				fmt++;
			out(&o, start, (size_t)(fmt - start));
			continue;
		}
		fmt++;
		for (;; fmt++) {                  /* flags */
			if (*fmt == '-') flags |= F_LEFT;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {                /* width */
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {                /* precision */
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		switch (*fmt) {                   /* length */
		case 'h':
			len = LEN_SHORT;
			if (*++fmt == 'h') {
				len = LEN_CHAR;
				fmt++;
			}
			break;
		case 'l':
			len = LEN_LONG;
			if (*++fmt == 'l') {
				len = LEN_LLONG;
				fmt++;
			}
			break;
		case 'j': len = LEN_LLONG; fmt++; break;
		case 'z': case 't': len = LEN_SIZE; fmt++; break;
		}

		switch (*fmt) {                   /* conversion */
		case 'd':
		case 'i': {
			long long v = signed_arg(&ap, len);
			unsigned long long mag = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

			put_number(&o, mag, v < 0, 10, 0, flags, width, prec);
			break;
		}
		case 'u':
			put_number(&o, unsigned_arg(&ap, len), 0, 10, 0, flags, width, prec);
			break;
		case 'x':
		case 'X':
			put_number(&o, unsigned_arg(&ap, len), 0, 16, *fmt == 'X', flags, width, prec);
			break;
		case 'o':
			put_number(&o, unsigned_arg(&ap, len), 0, 8, 0, flags, width, prec);
			break;
		case 'p':                         /* 0x0804a000: always 8 digits */
			put_number(&o, (uintptr_t)va_arg(ap, void *), 0, 16, 0,
				   flags | F_PTR, width, 8);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				pad(&o, ' ', width - 1);
			out(&o, &c, 1);
			if (flags & F_LEFT)
				pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n;

			if (!s)
				s = "(null)";
			n = (int)(prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s));
			if (!(flags & F_LEFT))
				pad(&o, ' ', width - n);
			out(&o, s, (size_t)n);
			if (flags & F_LEFT)
				pad(&o, ' ', width - n);
			break;
		}
		case '%':
			out(&o, "%", 1);
			break;
		case '\0':                        /* format ends in the middle of a % */
			out(&o, start, (size_t)(fmt - start));
			va_end(ap);
			return o.count;
		default:                          /* unknown: print it as it was */
			out(&o, start, (size_t)(fmt - start + 1));
			break;
		}
		fmt++;
	}
	va_end(ap);
	return o.count;
}

/* ---- into a char array ---- */

struct strbuf {
	char *buf;
	size_t size;      /* room, including the final NUL */
	size_t len;       /* characters stored */
};

static void emit_str(void *ctx, const char *s, size_t n)
{
	struct strbuf *b = ctx;

	while (n-- > 0) {
		if (b->len + 1 < b->size)
			b->buf[b->len++] = *s;
		s++;
	}
}

/* Returns the length the whole output would have had, as C99 says, so a
 * result >= n means it was cut short. */
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct strbuf b = { buf, n, 0 };
	int count = vformat(emit_str, &b, fmt, ap);

	if (n)
		buf[b.len] = '\0';
	return count;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, 0x7fffffff, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}
