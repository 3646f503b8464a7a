/*
 * strace.c - the strace switch: with `strace=1` on the kernel command
 * line every process's system calls are logged, with `strace=NAME` only
 * those of processes called NAME (the file name exec gave them), as
 *
 *   [5 cat] openat(AT_FDCWD, "/etc/motd", 0x8000, 0) = 3
 *   [5 cat] syscall_999(0x1, 0x0, 0x0) = -ENOSYS (not implemented)
 *
 * The call's name comes from the dispatch table (syscall.c) so it cannot
 * drift; how to show each argument comes from arg_formats below, keyed by
 * that name.  A call not listed there shows three arguments in hex.
 */
#include "kernel.h"
#include "cmdline.h"
#include "trap/strace.h"
#include "proc/proc.h"
#include "mm/uaccess.h"
#include "uapi/fcntl.h"

/* One letter per argument: s a path or string, d a signed number, x hex,
 * o an octal mode, f a directory fd (AT_FDCWD by name). */
static const struct { const char *name, *fmt; } arg_formats[] = {
	{ "exit", "d" }, { "exit_group", "d" }, { "read", "dxd" }, { "write", "dxd" },
	{ "open", "sxo" }, { "close", "d" }, { "creat", "so" }, { "unlink", "s" },
	{ "execve", "sxx" }, { "chdir", "s" }, { "access", "so" }, { "rename", "ss" },
	{ "mkdir", "so" }, { "rmdir", "s" }, { "dup", "d" }, { "dup2", "dd" },
	{ "dup3", "ddx" }, { "pipe", "x" }, { "pipe2", "xx" }, { "brk", "x" },
	{ "ioctl", "dxx" }, { "fcntl", "dxx" }, { "stat", "sx" }, { "stat64", "sx" },
	{ "fstat", "dx" }, { "fstat64", "dx" }, { "lseek", "ddd" }, { "llseek", "dxxxd" },
	{ "getdents", "dxd" }, { "getdents64", "dxd" }, { "fork", "" }, { "vfork", "" },
	{ "clone", "xxxxx" }, { "wait4", "dxxx" }, { "waitpid", "dxx" }, { "getpid", "" },
	{ "openat", "fsxo" }, { "mkdirat", "fso" }, { "unlinkat", "fsx" },
	{ "renameat", "fsfs" }, { "fstatat64", "fsxx" }, { "faccessat", "fsox" },
	{ "readlink", "sxd" }, { "readlinkat", "fsxd" }, { "statx", "fsxxx" },
	{ "fchdir", "d" }, { "chmod", "so" }, { "fchmod", "do" }, { "fchmodat", "fso" },
	{ "utimensat", "fsxx" }, { "truncate", "sd" }, { "ftruncate", "dd" },
	{ "mmap2", "xxxxdx" }, { "munmap", "xx" }, { "mprotect", "xxx" },
	{ "clock_gettime", "dx" }, { "clock_gettime64", "dx" }, { "nanosleep", "xx" },
	{ "clock_nanosleep", "dxxx" }, { "sendfile64", "ddxd" }, { "sendfile", "ddxd" },
	{ "socketcall", "dx" }, { "prctl", "dxxxx" }, { "getrandom", "xdx" },
	{ "set_thread_area", "x" }, { "set_tid_address", "x" }, { "uname", "x" },
	{ "getuid", "" }, { "getppid", "" }, { "sched_yield", "" }, { "sync", "" },
	{ "chown32", "sdd" }, { "lchown32", "sdd" }, { "fchown32", "ddd" }, { "fchownat", "fsddx" },
	{ "ugetrlimit", "dx" }, { "getrlimit", "dx" }, { "prlimit64", "ddxx" }, { "times", "x" },
	{ "sysinfo", "x" }, { "getrusage", "dx" }, { "kill", "dd" }, { "getcwd", "xd" },
};

static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
	[EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
	[EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
	[EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
	[EPIPE] = "EPIPE", [ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP",
	[EOVERFLOW] = "EOVERFLOW", [ENOTSOCK] = "ENOTSOCK", [ECONNREFUSED] = "ECONNREFUSED",
	[ECONNRESET] = "ECONNRESET", [ENOTCONN] = "ENOTCONN", [ETIMEDOUT] = "ETIMEDOUT",
};

enum { TRACE_UNREAD, TRACE_OFF, TRACE_ALL, TRACE_NAMED };
static int trace_mode = TRACE_UNREAD;
static const char *trace_name;

bool strace_wanted(void)
{
	if (trace_mode == TRACE_UNREAD) {       /* read the option at the first call */
		trace_name = cmdline_get("strace", "0");
		trace_mode = strcmp(trace_name, "0") == 0 ? TRACE_OFF :
			     strcmp(trace_name, "1") == 0 ? TRACE_ALL : TRACE_NAMED;
	}
	if (trace_mode == TRACE_OFF || !current)
		return false;
	return trace_mode == TRACE_ALL || strcmp(current->name, trace_name) == 0;
}

static const char *format_of(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(arg_formats); i++)
		if (strcmp(arg_formats[i].name, name) == 0)
			return arg_formats[i].fmt;
	return "xxx";
}

/* A user string, quoted and cut to 40 characters; a bad pointer as hex. */
static int format_string(char *out, size_t size, uint32_t uaddr)
{
	char s[48];
	int n = strncpy_from_user(s, (const char *)uaddr, sizeof s);
	if (n == -EFAULT || uaddr == 0)
		return snprintf(out, size, "0x%x", uaddr);
	s[40] = 0;
	return snprintf(out, size, "\"%s\"%s", s, n == -ENAMETOOLONG || n > 40 ? "..." : "");
}

static int format_arg(char *out, size_t size, char kind, uint32_t v)
{
	switch (kind) {
	case 's': return format_string(out, size, v);
	case 'd': return snprintf(out, size, "%d", (int)v);
	case 'o': return snprintf(out, size, v ? "0%o" : "0", v);
	case 'f': return (int)v == AT_FDCWD ? snprintf(out, size, "AT_FDCWD") : snprintf(out, size, "%d", (int)v);
	default:  return snprintf(out, size, "0x%x", v);
	}
}

void strace_enter(struct strace_call *c, uint32_t num, const char *name,
		  const struct trapframe *tf)
{
	const uint32_t regs[6] = { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp };
	const char *fmt = format_of(name);
	c->pid = current->pid;
	strlcpy(c->comm, current->name, sizeof c->comm);
	c->name = name;
	c->num = num;
	size_t len = 0;
	c->args[0] = 0;
	for (int i = 0; fmt[i] && i < 6 && len < sizeof c->args; i++) {
		if (i)
			len += snprintf(c->args + len, sizeof c->args - len, ", ");
		if (len < sizeof c->args)
			len += format_arg(c->args + len, sizeof c->args - len, fmt[i], regs[i]);
	}
	/* These do not come back: print now. */
	if (name && (strcmp(name, "exit") == 0 || strcmp(name, "exit_group") == 0))
		printk("[%d %s] %s(%s) = ?\n", c->pid, c->comm, name, c->args);
}

void strace_exit(const struct strace_call *c, long result)
{
	char res[32];
	int err = -result;
	if (result < 0 && result > -4096)
		if ((size_t)err < ARRAY_SIZE(errno_names) && errno_names[err])
			snprintf(res, sizeof res, "-%s", errno_names[err]);
		else
			snprintf(res, sizeof res, "-%d", err);
	else if (result < 0 || result > 0xffff)
		snprintf(res, sizeof res, "0x%x", (uint32_t)result);
	else
		snprintf(res, sizeof res, "%ld", result);
	if (c->name)
		printk("[%d %s] %s(%s) = %s\n", c->pid, c->comm, c->name, c->args, res);
	else
		printk("[%d %s] syscall_%u(%s) = %s (not implemented)\n", c->pid, c->comm,
		       c->num, c->args, res);
}
