/*
 * syscall.c - syscall(): make any system call by number.
 *
 * Unlike glibc's syscall(), this returns the kernel's raw result
 * (-errno on failure) and leaves errno alone: tests use it to check exact
 * error codes and to try numbers the kernel should reject (-ENOSYS).
 */
#include <syscall.h>
#include <stdarg.h>

long syscall(long n, ...)
{
	va_list ap;
	long a, b, c, d, e, f;

	/* Always pass six: the kernel ignores the registers a call does not
	 * use.  Arguments the caller did not pass read whatever lies above
	 * them on its stack, which is harmless on i386. */
	va_start(ap, n);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return __syscall6(n, a, b, c, d, e, f);
}
