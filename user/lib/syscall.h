/*
 * syscall.h - how a user program enters the kernel.
 *
 * zc32 speaks Linux's i386 system-call ABI: put the call number in eax
 * and up to six arguments in ebx, ecx, edx, esi, edi, ebp, then execute
 * `int $0x80`.  The CPU switches to ring 0 through the IDT gate for vector
 * 0x80; the kernel's answer comes back in eax.  A value from -4095 to -1
 * is an error, -errno; anything else is the result.
 *
 * This file has three layers:
 *   1. SYS_* numbers: Linux's i386 numbers (zc32's own, 1000+, come from
 *      <uapi/zc32.h>).
 *   2. __syscall0 .. __syscall6: the int $0x80 instruction itself.
 *   3. sys_read(), sys_fork(), ...: one raw call per system call.  These
 *      return exactly what the kernel returned (-EFAULT, not -1), which is
 *      what tests want.  The libc-style wrappers (read(), fork(), ... in
 *      unistd.h) call these and set errno.
 */
#ifndef ZC_SYSCALL_H
#define ZC_SYSCALL_H

#include <types.h>
#include <errno.h>
#include <uapi/zc32.h>
#include <uapi/statfs.h>

/* ---- 1. System-call numbers (Linux i386, arch/x86/entry/syscalls/syscall_32.tbl) ---- */
#define SYS_exit             1
#define SYS_fork             2
#define SYS_read             3
#define SYS_write            4
#define SYS_open             5
#define SYS_close            6
#define SYS_waitpid          7
#define SYS_creat            8
#define SYS_link             9
#define SYS_unlink          10
#define SYS_execve          11
#define SYS_chdir           12
#define SYS_time            13
#define SYS_mknod           14
#define SYS_chmod           15
#define SYS_lseek           19
#define SYS_getpid          20
#define SYS_mount           21
#define SYS_umount          22
#define SYS_setuid          23
#define SYS_getuid          24
#define SYS_alarm           27
#define SYS_pause           29
#define SYS_access          33
#define SYS_sync            36
#define SYS_statfs          99
#define SYS_kill            37
#define SYS_rename          38
#define SYS_mkdir           39
#define SYS_rmdir           40
#define SYS_dup             41
#define SYS_pipe            42
#define SYS_times           43
#define SYS_brk             45
#define SYS_setgid          46
#define SYS_getgid          47
#define SYS_geteuid         49
#define SYS_getegid         50
#define SYS_ioctl           54
#define SYS_fcntl           55
#define SYS_setpgid         57
#define SYS_umask           60
#define SYS_dup2            63
#define SYS_getppid         64
#define SYS_getpgrp         65
#define SYS_setsid          66
#define SYS_gettimeofday    78
#define SYS_symlink         83
#define SYS_readlink        85
#define SYS_reboot          88
#define SYS_munmap          91
#define SYS_truncate        92
#define SYS_ftruncate       93
#define SYS_socketcall     102
#define SYS_stat           106
#define SYS_lstat          107
#define SYS_fstat          108
#define SYS_wait4          114
#define SYS_sysinfo        116
#define SYS_fsync          118
#define SYS_uname          122
#define SYS_mprotect       125
#define SYS_getpgid        132
#define SYS_fchdir         133
#define SYS__llseek        140
#define SYS_getdents       141
#define SYS_msync          144
#define SYS_readv          145
#define SYS_writev         146
#define SYS_fdatasync      148
#define SYS_sched_yield    158
#define SYS_nanosleep      162
#define SYS_mremap         163
#define SYS_poll           168
#define SYS_rt_sigaction   174
#define SYS_rt_sigprocmask 175
#define SYS_pread64        180
#define SYS_pwrite64       181
#define SYS_getcwd         183
#define SYS_sendfile       187
#define SYS_vfork          190
#define SYS_mmap2          192
#define SYS_ftruncate64    194
#define SYS_stat64         195
#define SYS_lstat64        196
#define SYS_fstat64        197
#define SYS_madvise        219
#define SYS_getdents64     220
#define SYS_fcntl64        221
#define SYS_gettid         224
#define SYS_sendfile64     239
#define SYS_exit_group     252
#define SYS_clock_gettime  265
#define SYS_clock_getres   266
#define SYS_openat         295
#define SYS_dup3           330
#define SYS_pipe2          331
#define SYS_getrandom      355
#define SYS_socket         359
#define SYS_socketpair     360
#define SYS_bind           361
#define SYS_connect        362
#define SYS_listen         363
#define SYS_accept4        364
#define SYS_getsockopt     365
#define SYS_setsockopt     366
#define SYS_getsockname    367
#define SYS_getpeername    368
#define SYS_sendto         369
#define SYS_sendmsg        370
#define SYS_recvfrom       371
#define SYS_recvmsg        372
#define SYS_shutdown       373
/* zc32's own calls: SYS_zc_stats 1000 ... SYS_zc_sendfile_mode 1006, in <uapi/zc32.h>. */

/* ---- 2. The trap instruction ---- */

/* The "memory" clobber tells the compiler the kernel may read or write
 * any memory we passed a pointer to, so it must not cache values in
 * registers across the call. */
static inline long __syscall0(long n)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(n) : "memory");
	return r;
}

static inline long __syscall1(long n, long a)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(n), "b"(a) : "memory");
	return r;
}

static inline long __syscall2(long n, long a, long b)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b) : "memory");
	return r;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r)
			     : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r)
			     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return r;
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r)
			     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e) : "memory");
	return r;
}

/*
 * The sixth argument goes in ebp, but ebp is our frame pointer, so the
 * compiler cannot load it for us.  Push the argument (operand %7 is in
 * memory or an immediate: every other register is taken), save ebp,
 * load ebp from the stack, trap, then undo both pushes.
 */
static inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long r;
	__asm__ __volatile__("pushl %7\n\t"
			     "pushl %%ebp\n\t"
			     "movl 4(%%esp), %%ebp\n\t"
			     "int $0x80\n\t"
			     "popl %%ebp\n\t"
			     "addl $4, %%esp"
			     : "=a"(r)
			     : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "g"(f)
			     : "memory");
	return r;
}

/* Any call by number, six arguments at most; returns the raw result
 * (-errno on error, errno untouched).  For tests and new calls. */
long syscall(long n, ...);

/* libc convention: a raw result in [-4095, -1] becomes errno and -1. */
static inline long __sysret(long r)
{
	if ((unsigned long)r > -4096UL) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* ---- 3. Raw calls: return the kernel's result unchanged ---- */
struct timespec;
struct timeval;
struct utsname;
struct iovec;
struct stat;
struct stat64;
struct sockaddr;
struct pollfd;

#define L(x) ((long)(x))

/* processes */
static inline long sys_exit(int code) { return __syscall1(SYS_exit, code); }
static inline long sys_exit_group(int code) { return __syscall1(SYS_exit_group, code); }
static inline long sys_fork(void) { return __syscall0(SYS_fork); }
static inline long sys_execve(const char *path, char *const argv[], char *const envp[])
	{ return __syscall3(SYS_execve, L(path), L(argv), L(envp)); }
static inline long sys_waitpid(int pid, int *status, int options)
	{ return __syscall3(SYS_waitpid, pid, L(status), options); }
static inline long sys_wait4(int pid, int *status, int options, void *rusage)
	{ return __syscall4(SYS_wait4, pid, L(status), options, L(rusage)); }
static inline long sys_getpid(void) { return __syscall0(SYS_getpid); }
static inline long sys_getppid(void) { return __syscall0(SYS_getppid); }
static inline long sys_gettid(void) { return __syscall0(SYS_gettid); }
static inline long sys_kill(int pid, int sig) { return __syscall2(SYS_kill, pid, sig); }
static inline long sys_sched_yield(void) { return __syscall0(SYS_sched_yield); }
static inline long sys_uname(struct utsname *u) { return __syscall1(SYS_uname, L(u)); }
static inline long sys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, void *arg)
	{ return __syscall4(SYS_reboot, L(magic1), L(magic2), L(cmd), L(arg)); }
static inline long sys_getuid(void) { return __syscall0(SYS_getuid); }
static inline long sys_getgid(void) { return __syscall0(SYS_getgid); }
static inline long sys_geteuid(void) { return __syscall0(SYS_geteuid); }
static inline long sys_getegid(void) { return __syscall0(SYS_getegid); }

/* files and descriptors */
static inline long sys_read(int fd, void *buf, size_t n) { return __syscall3(SYS_read, fd, L(buf), L(n)); }
static inline long sys_write(int fd, const void *buf, size_t n) { return __syscall3(SYS_write, fd, L(buf), L(n)); }
static inline long sys_readv(int fd, const struct iovec *iov, int cnt) { return __syscall3(SYS_readv, fd, L(iov), cnt); }
static inline long sys_writev(int fd, const struct iovec *iov, int cnt) { return __syscall3(SYS_writev, fd, L(iov), cnt); }
static inline long sys_pread64(int fd, void *buf, size_t n, loff_t off)
	{ return __syscall5(SYS_pread64, fd, L(buf), L(n), (long)(off & 0xffffffff), (long)(off >> 32)); }
static inline long sys_pwrite64(int fd, const void *buf, size_t n, loff_t off)
	{ return __syscall5(SYS_pwrite64, fd, L(buf), L(n), (long)(off & 0xffffffff), (long)(off >> 32)); }
static inline long sys_open(const char *path, int flags, int mode) { return __syscall3(SYS_open, L(path), flags, mode); }
static inline long sys_creat(const char *path, int mode) { return __syscall2(SYS_creat, L(path), mode); }
static inline long sys_close(int fd) { return __syscall1(SYS_close, fd); }
static inline long sys_lseek(int fd, long off, int whence) { return __syscall3(SYS_lseek, fd, off, whence); }
static inline long sys_llseek(int fd, unsigned long hi, unsigned long lo, loff_t *result, int whence)
	{ return __syscall5(SYS__llseek, fd, L(hi), L(lo), L(result), whence); }
static inline long sys_dup(int fd) { return __syscall1(SYS_dup, fd); }
static inline long sys_dup2(int fd, int to) { return __syscall2(SYS_dup2, fd, to); }
static inline long sys_pipe(int fds[2]) { return __syscall1(SYS_pipe, L(fds)); }
static inline long sys_pipe2(int fds[2], int flags) { return __syscall2(SYS_pipe2, L(fds), flags); }
static inline long sys_ioctl(int fd, unsigned long req, void *arg) { return __syscall3(SYS_ioctl, fd, L(req), L(arg)); }
static inline long sys_fcntl(int fd, int cmd, long arg) { return __syscall3(SYS_fcntl, fd, cmd, arg); }
static inline long sys_poll(struct pollfd *fds, unsigned n, int timeout_ms) { return __syscall3(SYS_poll, L(fds), L(n), timeout_ms); }
static inline long sys_stat(const char *path, struct stat *st) { return __syscall2(SYS_stat, L(path), L(st)); }
static inline long sys_lstat(const char *path, struct stat *st) { return __syscall2(SYS_lstat, L(path), L(st)); }
static inline long sys_readlink(const char *path, char *buf, int n) { return __syscall3(SYS_readlink, L(path), L(buf), n); }
static inline long sys_fstat(int fd, struct stat *st) { return __syscall2(SYS_fstat, fd, L(st)); }
static inline long sys_stat64(const char *path, struct stat64 *st) { return __syscall2(SYS_stat64, L(path), L(st)); }
static inline long sys_fstat64(int fd, struct stat64 *st) { return __syscall2(SYS_fstat64, fd, L(st)); }
static inline long sys_lstat64(const char *path, struct stat64 *st) { return __syscall2(SYS_lstat64, L(path), L(st)); }
static inline long sys_getdents(int fd, void *buf, unsigned n) { return __syscall3(SYS_getdents, fd, L(buf), L(n)); }
static inline long sys_getdents64(int fd, void *buf, unsigned n) { return __syscall3(SYS_getdents64, fd, L(buf), L(n)); }
static inline long sys_mkdir(const char *path, int mode) { return __syscall2(SYS_mkdir, L(path), mode); }
static inline long sys_rmdir(const char *path) { return __syscall1(SYS_rmdir, L(path)); }
static inline long sys_unlink(const char *path) { return __syscall1(SYS_unlink, L(path)); }
static inline long sys_rename(const char *from, const char *to) { return __syscall2(SYS_rename, L(from), L(to)); }
static inline long sys_access(const char *path, int mode) { return __syscall2(SYS_access, L(path), mode); }
static inline long sys_fsync(int fd) { return __syscall1(SYS_fsync, fd); }
static inline long sys_sync(void) { return __syscall0(SYS_sync); }
static inline long sys_statfs(const char *path, struct statfs *st) { return __syscall2(SYS_statfs, L(path), L(st)); }
static inline long sys_ftruncate(int fd, long len) { return __syscall2(SYS_ftruncate, fd, len); }
static inline long sys_truncate(const char *path, long len) { return __syscall2(SYS_truncate, L(path), len); }
static inline long sys_chdir(const char *path) { return __syscall1(SYS_chdir, L(path)); }
static inline long sys_getcwd(char *buf, size_t n) { return __syscall2(SYS_getcwd, L(buf), L(n)); }
static inline long sys_sendfile(int out, int in, long *off, size_t n)
	{ return __syscall4(SYS_sendfile, out, in, L(off), L(n)); }
static inline long sys_sendfile64(int out, int in, loff_t *off, size_t n)
	{ return __syscall4(SYS_sendfile64, out, in, L(off), L(n)); }

/* memory */
static inline long sys_brk(void *addr) { return __syscall1(SYS_brk, L(addr)); }
static inline long sys_mmap2(void *addr, size_t len, int prot, int flags, int fd, unsigned long pgoff)
	{ return __syscall6(SYS_mmap2, L(addr), L(len), prot, flags, fd, L(pgoff)); }
static inline long sys_munmap(void *addr, size_t len) { return __syscall2(SYS_munmap, L(addr), L(len)); }
static inline long sys_mprotect(void *addr, size_t len, int prot) { return __syscall3(SYS_mprotect, L(addr), L(len), prot); }
static inline long sys_madvise(void *addr, size_t len, int advice) { return __syscall3(SYS_madvise, L(addr), L(len), advice); }

/* time */
static inline long sys_time(time_t *t) { return __syscall1(SYS_time, L(t)); }
static inline long sys_gettimeofday(struct timeval *tv, void *tz) { return __syscall2(SYS_gettimeofday, L(tv), L(tz)); }
static inline long sys_clock_gettime(int clk, struct timespec *ts) { return __syscall2(SYS_clock_gettime, clk, L(ts)); }
static inline long sys_nanosleep(const struct timespec *req, struct timespec *rem)
	{ return __syscall2(SYS_nanosleep, L(req), L(rem)); }

/* sockets: the direct calls (359 and up), not the old socketcall(102) multiplexer */
static inline long sys_socket(int domain, int type, int proto) { return __syscall3(SYS_socket, domain, type, proto); }
static inline long sys_bind(int fd, const struct sockaddr *a, unsigned len) { return __syscall3(SYS_bind, fd, L(a), L(len)); }
static inline long sys_connect(int fd, const struct sockaddr *a, unsigned len) { return __syscall3(SYS_connect, fd, L(a), L(len)); }
static inline long sys_listen(int fd, int backlog) { return __syscall2(SYS_listen, fd, backlog); }
static inline long sys_accept4(int fd, struct sockaddr *a, unsigned *len, int flags)
	{ return __syscall4(SYS_accept4, fd, L(a), L(len), flags); }
static inline long sys_getsockopt(int fd, int level, int name, void *val, unsigned *len)
	{ return __syscall5(SYS_getsockopt, fd, level, name, L(val), L(len)); }
static inline long sys_setsockopt(int fd, int level, int name, const void *val, unsigned len)
	{ return __syscall5(SYS_setsockopt, fd, level, name, L(val), L(len)); }
static inline long sys_getsockname(int fd, struct sockaddr *a, unsigned *len) { return __syscall3(SYS_getsockname, fd, L(a), L(len)); }
static inline long sys_getpeername(int fd, struct sockaddr *a, unsigned *len) { return __syscall3(SYS_getpeername, fd, L(a), L(len)); }
static inline long sys_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *a, unsigned len)
	{ return __syscall6(SYS_sendto, fd, L(buf), L(n), flags, L(a), L(len)); }
static inline long sys_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *a, unsigned *len)
	{ return __syscall6(SYS_recvfrom, fd, L(buf), L(n), flags, L(a), L(len)); }
static inline long sys_shutdown(int fd, int how) { return __syscall2(SYS_shutdown, fd, how); }

/* zc32's own (see <uapi/zc32.h>) */
static inline long sys_zc_stats(int pid, struct zc_stats *out) { return __syscall2(SYS_zc_stats, pid, L(out)); }
static inline long sys_zc_stats_reset(void) { return __syscall0(SYS_zc_stats_reset); }
static inline long sys_zc_trace(int cmd, struct zc_trace_event *buf, int max) { return __syscall3(SYS_zc_trace, cmd, L(buf), max); }
static inline long sys_zc_info(struct zc_info *out) { return __syscall1(SYS_zc_info, L(out)); }
static inline long sys_zc_drop_caches(void) { return __syscall0(SYS_zc_drop_caches); }
static inline long sys_zc_diskstat(struct zc_diskstat *out, int max) { return __syscall2(SYS_zc_diskstat, L(out), max); }
static inline long sys_zc_sendfile_mode(int mode) { return __syscall1(SYS_zc_sendfile_mode, mode); }
static inline long sys_zc_procs(struct zc_procinfo *out, int max) { return __syscall2(SYS_zc_procs, L(out), max); }

#undef L

#endif
