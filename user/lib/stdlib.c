/*
 * stdlib.c - exit(), number parsing, environment.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <signal.h>

/* ---- leaving ---- */

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

/* Functions registered with atexit run last-registered first; then the
 * stdio buffers go out; then the kernel ends the process (exit_group:
 * all its threads, of which zc32 has one). */
void exit(int code)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	fflush(NULL);
	_exit(code);
}

void abort(void)
{
	fflush(NULL);
	kill(getpid(), SIGABRT);
	_exit(127);
}

int abs(int x)   { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

/* ---- numbers ---- */

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (islower(c))
		return c - 'a' + 10;
	if (isupper(c))
		return c - 'A' + 10;
	return 99;
}

/*
 * The common part of the strto* family: skip blanks, read a sign, find the
 * base ("0x" = 16 and a leading "0" = 8 when base is 0), read digits.
 * Returns the magnitude; *neg says whether there was a '-', *over whether
 * the value did not fit 64 bits.
 */
static unsigned long long parse(const char *s, char **end, int base, int *neg, int *over)
{
	const char *start = s;
	unsigned long long v = 0;
	int any = 0;

	*neg = *over = 0;
	while (isspace(*s))
		s++;
	if (*s == '-' || *s == '+')
		*neg = (*s++ == '-');
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit(s[2])) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*s) < base; s++, any = 1) {
		unsigned d = (unsigned)digit_value(*s);

		if (v > (~0ULL - d) / (unsigned)base)
			*over = 1;
		v = v * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(any ? s : start);
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, &over);

	if (over) {
		errno = ERANGE;
		return ~0ULL;
	}
	return neg ? -v : v;
}

long long strtoll(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, &over);
	unsigned long long limit = neg ? (1ULL << 63) : (1ULL << 63) - 1;

	if (over || v > limit) {
		errno = ERANGE;
		v = limit;
	}
	return neg ? (long long)-v : (long long)v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, &over);

	if (over || v > 0xffffffffULL) {
		errno = ERANGE;
		return 0xffffffffUL;
	}
	return neg ? -(unsigned long)v : (unsigned long)v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long long v = parse(s, end, base, &neg, &over);
	unsigned long long limit = neg ? 0x80000000ULL : 0x7fffffffULL;

	if (over || v > limit) {
		errno = ERANGE;
		v = limit;
	}
	return neg ? (long)-v : (long)v;
}

int atoi(const char *s)  { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }

/* ---- environment ---- */

char *getenv(const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}
