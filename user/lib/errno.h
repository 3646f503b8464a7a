/*
 * errno.h - error numbers.
 *
 * The kernel reports an error by returning -ERRNO from a system call,
 * with Linux's numbers.  The C wrappers (read, open, ...) turn that into
 * the libc convention: return -1 and leave the number in `errno`.
 */
#ifndef ZC_ERRNO_H
#define ZC_ERRNO_H

extern int errno;

#include <uapi/errno.h>     /* the numbers, shared with the kernel */

/* Text for an error number ("Bad address"), and its name ("EFAULT"). */
char *strerror(int err);
const char *errname(int err);

#endif
