/*
 * uapi/errno.h - Linux's error numbers (asm-generic/errno-base.h and
 * errno.h), shared by the kernel and user/lib.  A system call fails by
 * returning one of them negated; libc's wrappers move it to errno.
 */
#ifndef ZC32_UAPI_ERRNO_H
#define ZC32_UAPI_ERRNO_H

#define EPERM            1   /* operation not permitted */
#define ENOENT           2   /* no such file or directory */
#define ESRCH            3   /* no such process */
#define EINTR            4   /* interrupted system call */
#define EIO              5   /* I/O error */
#define ENXIO            6   /* no such device or address */
#define E2BIG            7   /* argument list too long */
#define ENOEXEC          8   /* exec format error */
#define EBADF            9   /* bad file descriptor */
#define ECHILD          10   /* no child processes */
#define EAGAIN          11   /* try again */
#define EWOULDBLOCK     EAGAIN
#define ENOMEM          12   /* out of memory */
#define EACCES          13   /* permission denied */
#define EFAULT          14   /* bad address */
#define ENOTBLK         15
#define EBUSY           16   /* device or resource busy */
#define EEXIST          17   /* file exists */
#define EXDEV           18   /* cross-device link */
#define ENODEV          19   /* no such device */
#define ENOTDIR         20   /* not a directory */
#define EISDIR          21   /* is a directory */
#define EINVAL          22   /* invalid argument */
#define ENFILE          23   /* file table overflow */
#define EMFILE          24   /* too many open files */
#define ENOTTY          25   /* not a typewriter */
#define ETXTBSY         26
#define EFBIG           27   /* file too large */
#define ENOSPC          28   /* no space left on device */
#define ESPIPE          29   /* illegal seek */
#define EROFS           30   /* read-only file system */
#define EMLINK          31   /* too many links */
#define EPIPE           32   /* broken pipe */
#define EDOM            33
#define ERANGE          34   /* result out of range */
#define EDEADLK         35
#define ENAMETOOLONG    36   /* file name too long */
#define ENOLCK          37
#define ENOSYS          38   /* function not implemented */
#define ENOTEMPTY       39   /* directory not empty */
#define ELOOP           40   /* too many symbolic links */
#define ENODATA         61   /* no data available */
#define EOVERFLOW       75   /* value too large for defined data type */
#define ENOTSOCK        88   /* socket operation on non-socket */
#define EDESTADDRREQ    89
#define EMSGSIZE        90   /* message too long */
#define EPROTOTYPE      91
#define ENOPROTOOPT     92
#define EPROTONOSUPPORT 93
#define ESOCKTNOSUPPORT 94
#define EOPNOTSUPP      95   /* operation not supported */
#define EAFNOSUPPORT    97   /* address family not supported */
#define EADDRINUSE      98   /* address already in use */
#define EADDRNOTAVAIL   99
#define ENETDOWN       100
#define ENETUNREACH    101   /* network is unreachable */
#define ECONNABORTED   103
#define ECONNRESET     104   /* connection reset by peer */
#define ENOBUFS        105   /* no buffer space available */
#define EISCONN        106
#define ENOTCONN       107   /* transport endpoint is not connected */
#define ETIMEDOUT      110   /* connection timed out */
#define ECONNREFUSED   111   /* connection refused */
#define EHOSTUNREACH   113
#define EALREADY       114
#define EINPROGRESS    115

/* Never seen by a program: a blocking call interrupted by a signal
 * returns one of these, and signal delivery (kernel/proc/signal_frame.c)
 * turns it into EINTR or restarts the call (Linux include/linux/errno.h). */
#define ERESTARTSYS    512   /* EINTR after a handler, unless SA_RESTART */
#define ERESTARTNOINTR 513   /* always restarted */
#define ERESTARTNOHAND 514   /* EINTR after a handler, restarted otherwise */
#define ERESTART_RESTARTBLOCK 516   /* as ERESTARTNOHAND (nanosleep) */

#endif
