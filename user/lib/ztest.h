/*
 * ztest.h - a tiny test helper for in-guest test programs.
 *
 * Every check prints one line, which the host harness reads from the
 * serial console:
 *     ok NAME
 *     not ok NAME: detail
 * and the program ends with
 *     summary: P passed, F failed
 * returning exit status 0 only if nothing failed:
 *
 *     int main(void) {
 *         CHECK("getpid.positive", getpid() > 0);
 *         check_eq("brk.zero", usys_brk(0) != 0, 1);
 *         check_err("write.bad_fd", usys_write(99, "x", 1), -EBADF);
 *         return ztest_summary();
 *     }
 *
 * Names have no spaces (dots separate the parts).  Only the parent
 * process should report: a forked child reports through its exit status.
 * Header-only: each test program is one .c file.
 */
#ifndef ZC_ZTEST_H
#define ZC_ZTEST_H

#include <stdio.h>
#include <string.h>
#include <errno.h>

static int ztest_passed, ztest_failed;

static inline void ztest_ok(const char *name)
{
	ztest_passed++;
	printf("ok %s\n", name);
}

/* A failure with a printf-style detail. */
static inline void ztest_fail(const char *name, const char *fmt, ...) PRINTF_LIKE(2, 3);
static inline void ztest_fail(const char *name, const char *fmt, ...)
{
	char detail[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	ztest_failed++;
	printf("not ok %s: %s\n", name, detail);
}

static inline int ztest_check(const char *name, int cond, const char *expr)
{
	if (cond)
		ztest_ok(name);
	else
		ztest_fail(name, "%s is false", expr);
	return cond;
}

static inline int ztest_check_eq(const char *name, long long got, long long want)
{
	if (got == want)
		ztest_ok(name);
	else
		ztest_fail(name, "got %lld want %lld", got, want);
	return got == want;
}

/* Like check_eq, for raw system-call results: names the error codes. */
static inline int ztest_check_err(const char *name, long got, long want)
{
	if (got == want)
		ztest_ok(name);
	else
		ztest_fail(name, "got %ld (%s) want %ld (%s)", got,
			   got < 0 && got > -4096 ? errname((int)-got) : "not an error",
			   want, want < 0 ? errname((int)-want) : "not an error");
	return got == want;
}

static inline int ztest_check_str(const char *name, const char *got, const char *want)
{
	int same = got && strcmp(got, want) == 0;

	if (same)
		ztest_ok(name);
	else
		ztest_fail(name, "got \"%s\" want \"%s\"", got ? got : "(null)", want);
	return same;
}

#define CHECK(name, cond)           ztest_check((name), (cond) != 0, #cond)
#define check_eq(name, got, want)   ztest_check_eq((name), (long long)(got), (long long)(want))
#define check_err(name, got, want)  ztest_check_err((name), (long)(got), (long)(want))
#define check_str(name, got, want)  ztest_check_str((name), (got), (want))

/* Print the summary line; the result is the exit status for main. */
static inline int ztest_summary(void)
{
	printf("summary: %d passed, %d failed\n", ztest_passed, ztest_failed);
	return ztest_failed ? 1 : 0;
}

#endif
