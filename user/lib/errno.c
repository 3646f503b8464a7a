/*
 * errno.c - errno itself, and turning error numbers into words.
 */
#include <errno.h>
#include <string.h>
#include <stdio.h>

int errno;

struct errinfo {
	int num;
	const char *name;
	const char *text;
};

static const struct errinfo errors[] = {
	{ EPERM, "EPERM", "Operation not permitted" },
	{ ENOENT, "ENOENT", "No such file or directory" },
	{ ESRCH, "ESRCH", "No such process" },
	{ EINTR, "EINTR", "Interrupted system call" },
	{ EIO, "EIO", "I/O error" },
	{ ENXIO, "ENXIO", "No such device or address" },
	{ E2BIG, "E2BIG", "Argument list too long" },
	{ ENOEXEC, "ENOEXEC", "Exec format error" },
	{ EBADF, "EBADF", "Bad file descriptor" },
	{ ECHILD, "ECHILD", "No child processes" },
	{ EAGAIN, "EAGAIN", "Resource temporarily unavailable" },
	{ ENOMEM, "ENOMEM", "Out of memory" },
	{ EACCES, "EACCES", "Permission denied" },
	{ EFAULT, "EFAULT", "Bad address" },
	{ EBUSY, "EBUSY", "Device or resource busy" },
	{ EEXIST, "EEXIST", "File exists" },
	{ EXDEV, "EXDEV", "Cross-device link" },
	{ ENODEV, "ENODEV", "No such device" },
	{ ENOTDIR, "ENOTDIR", "Not a directory" },
	{ EISDIR, "EISDIR", "Is a directory" },
	{ EINVAL, "EINVAL", "Invalid argument" },
	{ ENFILE, "ENFILE", "Too many open files in system" },
	{ EMFILE, "EMFILE", "Too many open files" },
	{ ENOTTY, "ENOTTY", "Not a terminal" },
	{ EFBIG, "EFBIG", "File too large" },
	{ ENOSPC, "ENOSPC", "No space left on device" },
	{ ESPIPE, "ESPIPE", "Illegal seek" },
	{ EROFS, "EROFS", "Read-only file system" },
	{ EMLINK, "EMLINK", "Too many links" },
	{ EPIPE, "EPIPE", "Broken pipe" },
	{ ERANGE, "ERANGE", "Result out of range" },
	{ ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
	{ ENOSYS, "ENOSYS", "Function not implemented" },
	{ ENOTEMPTY, "ENOTEMPTY", "Directory not empty" },
	{ ELOOP, "ELOOP", "Too many levels of symbolic links" },
	{ EOVERFLOW, "EOVERFLOW", "Value too large" },
	{ ENOTSOCK, "ENOTSOCK", "Not a socket" },
	{ EMSGSIZE, "EMSGSIZE", "Message too long" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT", "Protocol not supported" },
	{ EOPNOTSUPP, "EOPNOTSUPP", "Operation not supported" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT", "Address family not supported" },
	{ EADDRINUSE, "EADDRINUSE", "Address already in use" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL", "Address not available" },
	{ ENETUNREACH, "ENETUNREACH", "Network unreachable" },
	{ ECONNRESET, "ECONNRESET", "Connection reset by peer" },
	{ ENOBUFS, "ENOBUFS", "No buffer space available" },
	{ EISCONN, "EISCONN", "Already connected" },
	{ ENOTCONN, "ENOTCONN", "Not connected" },
	{ ETIMEDOUT, "ETIMEDOUT", "Connection timed out" },
	{ ECONNREFUSED, "ECONNREFUSED", "Connection refused" },
	{ EHOSTUNREACH, "EHOSTUNREACH", "Host unreachable" },
	{ EALREADY, "EALREADY", "Operation already in progress" },
	{ EINPROGRESS, "EINPROGRESS", "Operation in progress" },
};

static const struct errinfo *lookup(int err)
{
	size_t i;

	for (i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].num == err)
			return &errors[i];
	return NULL;
}

char *strerror(int err)
{
	static char unknown[32];
	const struct errinfo *e = lookup(err);

	if (e)
		return (char *)e->text;
	snprintf(unknown, sizeof unknown, "Unknown error %d", err);
	return unknown;
}

/* "EFAULT" for 14; "E?" for numbers we have no name for. */
const char *errname(int err)
{
	const struct errinfo *e = lookup(err < 0 ? -err : err);

	return e ? e->name : "E?";
}

void perror(const char *msg)
{
	if (msg && *msg)
		fprintf(stderr, "%s: %s\n", msg, strerror(errno));
	else
		fprintf(stderr, "%s\n", strerror(errno));
}
