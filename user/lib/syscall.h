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
 *   3. usys_read(), usys_fork(), ...: one raw call per system call.  These
 *      return exactly what the kernel returned (-EFAULT, not -1), which is
 *      what tests want.  The libc-style wrappers (read(), fork(), ... in
 *      unistd.h) call these and set errno.
 *
 * The prefix is usys_ ("user side of the system call"), never sys_: the
 * kernel's handlers are sys_read(), sys_fork(), ... and a GDB user who
 * types `break sys_read` with a program's symbols loaded must stop in
 * the kernel only, not in every inlined copy of the user stub too.
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
#define SYS_setitimer      104
#define SYS_getitimer      105
#define SYS_pause           29
#define SYS_access          33
#define SYS_sync            36
#define SYS_statfs          99
#define SYS_kill            37
#define SYS_sigaction       67
#define SYS_sigpending      73
#define SYS_sigreturn      119
#define SYS_sigprocmask    126
#define SYS_getsid         147
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
#define SYS__newselect     142
#define SYS_epoll_create   254
#define SYS_epoll_ctl      255
#define SYS_epoll_wait     256
#define SYS_pselect6       308
#define SYS_epoll_pwait    319
#define SYS_epoll_create1  329
#define SYS_rt_sigreturn   173
#define SYS_rt_sigaction   174
#define SYS_rt_sigprocmask 175
#define SYS_rt_sigpending  176
#define SYS_rt_sigsuspend  179
#define SYS_tkill          238
#define SYS_tgkill         270
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
/* the *at() family, attributes, clone, clocks, limits (docs/linux-abi.md) */
#define SYS_getrlimit       76
#define SYS_mmap            90
#define SYS_rt_sigreturn   173
#define SYS_getuid32       199
#define SYS_getgid32       200
#define SYS_geteuid32      201
#define SYS_getegid32      202
#define SYS_set_thread_area 243
#define SYS_set_tid_address 258
#define SYS_getrusage       77
#define SYS_fchmod          94
#define SYS_clone          120
#define SYS_prctl          172
#define SYS_ugetrlimit     191
#define SYS_lchown32       198
#define SYS_fchown32       207
#define SYS_chown32        212
#define SYS_clock_nanosleep 267
#define SYS_mkdirat        296
#define SYS_fchownat       298
#define SYS_fstatat64      300
#define SYS_unlinkat       301
#define SYS_renameat       302
#define SYS_symlinkat      304
#define SYS_readlinkat     305
#define SYS_fchmodat       306
#define SYS_faccessat      307
#define SYS_utimensat      320
#define SYS_prlimit64      340
#define SYS_statx          383
#define SYS_clock_gettime64 403
#define SYS_clock_getres_time64 406
#define SYS_clock_nanosleep_time64 407
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
struct epoll_event;

#define L(x) ((long)(x))

/* processes */
static inline long usys_exit(int code) { return __syscall1(SYS_exit, code); }
static inline long usys_exit_group(int code) { return __syscall1(SYS_exit_group, code); }
static inline long usys_fork(void) { return __syscall0(SYS_fork); }
static inline long usys_execve(const char *path, char *const argv[], char *const envp[])
	{ return __syscall3(SYS_execve, L(path), L(argv), L(envp)); }
static inline long usys_waitpid(int pid, int *status, int options)
	{ return __syscall3(SYS_waitpid, pid, L(status), options); }
static inline long usys_wait4(int pid, int *status, int options, void *rusage)
	{ return __syscall4(SYS_wait4, pid, L(status), options, L(rusage)); }
static inline long usys_getpid(void) { return __syscall0(SYS_getpid); }
static inline long usys_getppid(void) { return __syscall0(SYS_getppid); }
static inline long usys_gettid(void) { return __syscall0(SYS_gettid); }
static inline long usys_kill(int pid, int sig) { return __syscall2(SYS_kill, pid, sig); }
static inline long usys_tkill(int tid, int sig) { return __syscall2(SYS_tkill, tid, sig); }
static inline long usys_tgkill(int tgid, int tid, int sig) { return __syscall3(SYS_tgkill, tgid, tid, sig); }
static inline long usys_alarm(unsigned secs) { return __syscall1(SYS_alarm, L(secs)); }
static inline long usys_setitimer(int which, const void *nv, void *ov) { return __syscall3(SYS_setitimer, which, L(nv), L(ov)); }
static inline long usys_getitimer(int which, void *v) { return __syscall2(SYS_getitimer, which, L(v)); }
static inline long usys_pause(void) { return __syscall0(SYS_pause); }
/* signals: sets are 64 bits (8 bytes) as the rt_ calls take them */
static inline long usys_rt_sigaction(int sig, const void *act, void *old, size_t setsize)
	{ return __syscall4(SYS_rt_sigaction, sig, L(act), L(old), L(setsize)); }
static inline long usys_sigaction(int sig, const void *act, void *old)
	{ return __syscall3(SYS_sigaction, sig, L(act), L(old)); }
static inline long usys_rt_sigprocmask(int how, const void *set, void *old, size_t setsize)
	{ return __syscall4(SYS_rt_sigprocmask, how, L(set), L(old), L(setsize)); }
static inline long usys_sigprocmask(int how, const void *set, void *old)
	{ return __syscall3(SYS_sigprocmask, how, L(set), L(old)); }
static inline long usys_rt_sigpending(void *set, size_t setsize) { return __syscall2(SYS_rt_sigpending, L(set), L(setsize)); }
static inline long usys_sigpending(void *set) { return __syscall1(SYS_sigpending, L(set)); }
static inline long usys_rt_sigsuspend(const void *set, size_t setsize) { return __syscall2(SYS_rt_sigsuspend, L(set), L(setsize)); }
/* process groups and sessions */
static inline long usys_setpgid(int pid, int pgid) { return __syscall2(SYS_setpgid, pid, pgid); }
static inline long usys_getpgid(int pid) { return __syscall1(SYS_getpgid, pid); }
static inline long usys_getpgrp(void) { return __syscall0(SYS_getpgrp); }
static inline long usys_setsid(void) { return __syscall0(SYS_setsid); }
static inline long usys_getsid(int pid) { return __syscall1(SYS_getsid, pid); }
static inline long usys_sched_yield(void) { return __syscall0(SYS_sched_yield); }
static inline long usys_uname(struct utsname *u) { return __syscall1(SYS_uname, L(u)); }
static inline long usys_reboot(unsigned magic1, unsigned magic2, unsigned cmd, void *arg)
	{ return __syscall4(SYS_reboot, L(magic1), L(magic2), L(cmd), L(arg)); }
static inline long usys_getuid(void) { return __syscall0(SYS_getuid); }
static inline long usys_getgid(void) { return __syscall0(SYS_getgid); }
static inline long usys_geteuid(void) { return __syscall0(SYS_geteuid); }
static inline long usys_getegid(void) { return __syscall0(SYS_getegid); }

/* files and descriptors */
static inline long usys_read(int fd, void *buf, size_t n) { return __syscall3(SYS_read, fd, L(buf), L(n)); }
static inline long usys_write(int fd, const void *buf, size_t n) { return __syscall3(SYS_write, fd, L(buf), L(n)); }
static inline long usys_readv(int fd, const struct iovec *iov, int cnt) { return __syscall3(SYS_readv, fd, L(iov), cnt); }
static inline long usys_writev(int fd, const struct iovec *iov, int cnt) { return __syscall3(SYS_writev, fd, L(iov), cnt); }
static inline long usys_pread64(int fd, void *buf, size_t n, loff_t off)
	{ return __syscall5(SYS_pread64, fd, L(buf), L(n), (long)(off & 0xffffffff), (long)(off >> 32)); }
static inline long usys_pwrite64(int fd, const void *buf, size_t n, loff_t off)
	{ return __syscall5(SYS_pwrite64, fd, L(buf), L(n), (long)(off & 0xffffffff), (long)(off >> 32)); }
static inline long usys_open(const char *path, int flags, int mode) { return __syscall3(SYS_open, L(path), flags, mode); }
static inline long usys_creat(const char *path, int mode) { return __syscall2(SYS_creat, L(path), mode); }
static inline long usys_close(int fd) { return __syscall1(SYS_close, fd); }
static inline long usys_lseek(int fd, long off, int whence) { return __syscall3(SYS_lseek, fd, off, whence); }
static inline long usys_llseek(int fd, unsigned long hi, unsigned long lo, loff_t *result, int whence)
	{ return __syscall5(SYS__llseek, fd, L(hi), L(lo), L(result), whence); }
static inline long usys_dup(int fd) { return __syscall1(SYS_dup, fd); }
static inline long usys_dup2(int fd, int to) { return __syscall2(SYS_dup2, fd, to); }
static inline long usys_pipe(int fds[2]) { return __syscall1(SYS_pipe, L(fds)); }
static inline long usys_pipe2(int fds[2], int flags) { return __syscall2(SYS_pipe2, L(fds), flags); }
static inline long usys_ioctl(int fd, unsigned long req, void *arg) { return __syscall3(SYS_ioctl, fd, L(req), L(arg)); }
static inline long usys_fcntl(int fd, int cmd, long arg) { return __syscall3(SYS_fcntl, fd, cmd, arg); }
static inline long usys_poll(struct pollfd *fds, unsigned n, int timeout_ms) { return __syscall3(SYS_poll, L(fds), L(n), timeout_ms); }
static inline long usys_select(int n, void *in, void *out, void *ex, struct timeval *tv)
	{ return __syscall5(SYS__newselect, n, L(in), L(out), L(ex), L(tv)); }
static inline long usys_pselect6(int n, void *in, void *out, void *ex, struct timespec *ts, void *sig)
	{ return __syscall6(SYS_pselect6, n, L(in), L(out), L(ex), L(ts), L(sig)); }
static inline long usys_epoll_create(int size) { return __syscall1(SYS_epoll_create, size); }
static inline long usys_epoll_create1(int flags) { return __syscall1(SYS_epoll_create1, flags); }
static inline long usys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
	{ return __syscall4(SYS_epoll_ctl, epfd, op, fd, L(ev)); }
static inline long usys_epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout_ms)
	{ return __syscall4(SYS_epoll_wait, epfd, L(ev), max, timeout_ms); }
static inline long usys_epoll_pwait(int epfd, struct epoll_event *ev, int max, int timeout_ms,
				   const void *sigmask, unsigned sigsetsize)
	{ return __syscall6(SYS_epoll_pwait, epfd, L(ev), max, timeout_ms, L(sigmask), L(sigsetsize)); }
static inline long usys_stat(const char *path, struct stat *st) { return __syscall2(SYS_stat, L(path), L(st)); }
static inline long usys_lstat(const char *path, struct stat *st) { return __syscall2(SYS_lstat, L(path), L(st)); }
static inline long usys_fstat(int fd, struct stat *st) { return __syscall2(SYS_fstat, fd, L(st)); }
static inline long usys_stat64(const char *path, struct stat64 *st) { return __syscall2(SYS_stat64, L(path), L(st)); }
static inline long usys_fstat64(int fd, struct stat64 *st) { return __syscall2(SYS_fstat64, fd, L(st)); }
static inline long usys_lstat64(const char *path, struct stat64 *st) { return __syscall2(SYS_lstat64, L(path), L(st)); }
static inline long usys_getdents(int fd, void *buf, unsigned n) { return __syscall3(SYS_getdents, fd, L(buf), L(n)); }
static inline long usys_getdents64(int fd, void *buf, unsigned n) { return __syscall3(SYS_getdents64, fd, L(buf), L(n)); }
static inline long usys_mkdir(const char *path, int mode) { return __syscall2(SYS_mkdir, L(path), mode); }
static inline long usys_rmdir(const char *path) { return __syscall1(SYS_rmdir, L(path)); }
static inline long usys_unlink(const char *path) { return __syscall1(SYS_unlink, L(path)); }
static inline long usys_rename(const char *from, const char *to) { return __syscall2(SYS_rename, L(from), L(to)); }
static inline long usys_access(const char *path, int mode) { return __syscall2(SYS_access, L(path), mode); }
static inline long usys_fsync(int fd) { return __syscall1(SYS_fsync, fd); }
static inline long usys_sync(void) { return __syscall0(SYS_sync); }
static inline long usys_statfs(const char *path, struct statfs *st) { return __syscall2(SYS_statfs, L(path), L(st)); }
static inline long usys_ftruncate(int fd, long len) { return __syscall2(SYS_ftruncate, fd, len); }
static inline long usys_truncate(const char *path, long len) { return __syscall2(SYS_truncate, L(path), len); }
static inline long usys_chdir(const char *path) { return __syscall1(SYS_chdir, L(path)); }
static inline long usys_getcwd(char *buf, size_t n) { return __syscall2(SYS_getcwd, L(buf), L(n)); }
static inline long usys_sendfile(int out, int in, long *off, size_t n)
	{ return __syscall4(SYS_sendfile, out, in, L(off), L(n)); }
static inline long usys_sendfile64(int out, int in, loff_t *off, size_t n)
	{ return __syscall4(SYS_sendfile64, out, in, L(off), L(n)); }

/* memory */
static inline long usys_brk(void *addr) { return __syscall1(SYS_brk, L(addr)); }
static inline long usys_mmap2(void *addr, size_t len, int prot, int flags, int fd, unsigned long pgoff)
	{ return __syscall6(SYS_mmap2, L(addr), L(len), prot, flags, fd, L(pgoff)); }
static inline long usys_munmap(void *addr, size_t len) { return __syscall2(SYS_munmap, L(addr), L(len)); }
static inline long usys_mprotect(void *addr, size_t len, int prot) { return __syscall3(SYS_mprotect, L(addr), L(len), prot); }
static inline long usys_madvise(void *addr, size_t len, int advice) { return __syscall3(SYS_madvise, L(addr), L(len), advice); }

/* time */
static inline long usys_time(time_t *t) { return __syscall1(SYS_time, L(t)); }
static inline long usys_gettimeofday(struct timeval *tv, void *tz) { return __syscall2(SYS_gettimeofday, L(tv), L(tz)); }
static inline long usys_clock_gettime(int clk, struct timespec *ts) { return __syscall2(SYS_clock_gettime, clk, L(ts)); }
static inline long usys_nanosleep(const struct timespec *req, struct timespec *rem)
	{ return __syscall2(SYS_nanosleep, L(req), L(rem)); }

/* sockets: the direct calls (359 and up), not the old socketcall(102) multiplexer */
static inline long usys_socket(int domain, int type, int proto) { return __syscall3(SYS_socket, domain, type, proto); }
static inline long usys_bind(int fd, const struct sockaddr *a, unsigned len) { return __syscall3(SYS_bind, fd, L(a), L(len)); }
static inline long usys_connect(int fd, const struct sockaddr *a, unsigned len) { return __syscall3(SYS_connect, fd, L(a), L(len)); }
static inline long usys_listen(int fd, int backlog) { return __syscall2(SYS_listen, fd, backlog); }
static inline long usys_accept4(int fd, struct sockaddr *a, unsigned *len, int flags)
	{ return __syscall4(SYS_accept4, fd, L(a), L(len), flags); }
static inline long usys_getsockopt(int fd, int level, int name, void *val, unsigned *len)
	{ return __syscall5(SYS_getsockopt, fd, level, name, L(val), L(len)); }
static inline long usys_setsockopt(int fd, int level, int name, const void *val, unsigned len)
	{ return __syscall5(SYS_setsockopt, fd, level, name, L(val), L(len)); }
static inline long usys_getsockname(int fd, struct sockaddr *a, unsigned *len) { return __syscall3(SYS_getsockname, fd, L(a), L(len)); }
static inline long usys_getpeername(int fd, struct sockaddr *a, unsigned *len) { return __syscall3(SYS_getpeername, fd, L(a), L(len)); }
static inline long usys_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *a, unsigned len)
	{ return __syscall6(SYS_sendto, fd, L(buf), L(n), flags, L(a), L(len)); }
static inline long usys_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *a, unsigned *len)
	{ return __syscall6(SYS_recvfrom, fd, L(buf), L(n), flags, L(a), L(len)); }
static inline long usys_shutdown(int fd, int how) { return __syscall2(SYS_shutdown, fd, how); }

/* the *at() family, attributes, clone, clocks, limits (docs/linux-abi.md) */
struct statx;
struct timespec64;
static inline long usys_openat(int dirfd, const char *path, int flags, int mode)
	{ return __syscall4(SYS_openat, dirfd, L(path), flags, mode); }
static inline long usys_fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
	{ return __syscall4(SYS_fstatat64, dirfd, L(path), L(st), flags); }
static inline long usys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *st)
	{ return __syscall5(SYS_statx, dirfd, L(path), flags, L(mask), L(st)); }
static inline long usys_mkdirat(int dirfd, const char *path, int mode) { return __syscall3(SYS_mkdirat, dirfd, L(path), mode); }
static inline long usys_unlinkat(int dirfd, const char *path, int flags) { return __syscall3(SYS_unlinkat, dirfd, L(path), flags); }
static inline long usys_renameat(int ofd, const char *from, int nfd, const char *to)
	{ return __syscall4(SYS_renameat, ofd, L(from), nfd, L(to)); }
static inline long usys_faccessat(int dirfd, const char *path, int mode) { return __syscall3(SYS_faccessat, dirfd, L(path), mode); }
static inline long usys_fchdir(int fd) { return __syscall1(SYS_fchdir, fd); }
static inline long usys_symlink(const char *target, const char *path) { return __syscall2(SYS_symlink, L(target), L(path)); }
static inline long usys_symlinkat(const char *target, int dirfd, const char *path)
	{ return __syscall3(SYS_symlinkat, L(target), dirfd, L(path)); }
static inline long usys_readlink(const char *path, char *buf, int n) { return __syscall3(SYS_readlink, L(path), L(buf), n); }
static inline long usys_readlinkat(int dirfd, const char *path, char *buf, int n)
	{ return __syscall4(SYS_readlinkat, dirfd, L(path), L(buf), n); }
static inline long usys_chmod(const char *path, int mode) { return __syscall2(SYS_chmod, L(path), mode); }
static inline long usys_fchmod(int fd, int mode) { return __syscall2(SYS_fchmod, fd, mode); }
static inline long usys_fchmodat(int dirfd, const char *path, int mode) { return __syscall3(SYS_fchmodat, dirfd, L(path), mode); }
static inline long usys_chown32(const char *path, int uid, int gid) { return __syscall3(SYS_chown32, L(path), uid, gid); }
static inline long usys_fchown32(int fd, int uid, int gid) { return __syscall3(SYS_fchown32, fd, uid, gid); }
static inline long usys_fchownat(int dirfd, const char *path, int uid, int gid, int flags)
	{ return __syscall5(SYS_fchownat, dirfd, L(path), uid, gid, flags); }
static inline long usys_utimensat(int dirfd, const char *path, const struct timespec *t, int flags)
	{ return __syscall4(SYS_utimensat, dirfd, L(path), L(t), flags); }
static inline long usys_clone(unsigned long flags, void *stack, int *ptid, unsigned long tls, int *ctid)
	{ return __syscall5(SYS_clone, L(flags), L(stack), L(ptid), L(tls), L(ctid)); }
static inline long usys_vfork(void) { return __syscall0(SYS_vfork); }
static inline long usys_dup3(int fd, int to, int flags) { return __syscall3(SYS_dup3, fd, to, flags); }
static inline long usys_clock_getres(int clk, struct timespec *ts) { return __syscall2(SYS_clock_getres, clk, L(ts)); }
static inline long usys_clock_gettime64(int clk, struct timespec64 *ts) { return __syscall2(SYS_clock_gettime64, clk, L(ts)); }
static inline long usys_clock_nanosleep(int clk, int flags, const struct timespec *req, struct timespec *rem)
	{ return __syscall4(SYS_clock_nanosleep, clk, flags, L(req), L(rem)); }
static inline long usys_clock_nanosleep_time64(int clk, int flags, const struct timespec64 *req, struct timespec64 *rem)
	{ return __syscall4(SYS_clock_nanosleep_time64, clk, flags, L(req), L(rem)); }
static inline long usys_getrandom(void *buf, size_t n, unsigned flags) { return __syscall3(SYS_getrandom, L(buf), L(n), L(flags)); }
static inline long usys_prctl(int option, unsigned long arg2) { return __syscall2(SYS_prctl, option, L(arg2)); }
static inline long usys_ugetrlimit(int res, void *lim) { return __syscall2(SYS_ugetrlimit, res, L(lim)); }
static inline long usys_getrlimit(int res, void *lim) { return __syscall2(SYS_getrlimit, res, L(lim)); }
static inline long usys_prlimit64(int pid, int res, const void *newlim, void *oldlim)
	{ return __syscall4(SYS_prlimit64, pid, res, L(newlim), L(oldlim)); }
static inline long usys_sysinfo(void *info) { return __syscall1(SYS_sysinfo, L(info)); }
static inline long usys_getrusage(int who, void *ru) { return __syscall2(SYS_getrusage, who, L(ru)); }
static inline long usys_times(void *tms) { return __syscall1(SYS_times, L(tms)); }

/* zc32's own (see <uapi/zc32.h>) */
static inline long usys_zc_stats(int pid, struct zc_stats *out) { return __syscall2(SYS_zc_stats, pid, L(out)); }
static inline long usys_zc_stats_reset(void) { return __syscall0(SYS_zc_stats_reset); }
static inline long usys_zc_trace(int cmd, struct zc_trace_event *buf, int max) { return __syscall3(SYS_zc_trace, cmd, L(buf), max); }
static inline long usys_zc_info(struct zc_info *out) { return __syscall1(SYS_zc_info, L(out)); }
static inline long usys_zc_drop_caches(void) { return __syscall0(SYS_zc_drop_caches); }
static inline long usys_zc_diskstat(struct zc_diskstat *out, int max) { return __syscall2(SYS_zc_diskstat, L(out), max); }
static inline long usys_zc_sendfile_mode(int mode) { return __syscall1(SYS_zc_sendfile_mode, mode); }
static inline long usys_zc_procs(struct zc_procinfo *out, int max) { return __syscall2(SYS_zc_procs, L(out), max); }

#undef L

#endif
