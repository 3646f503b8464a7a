/*
 * syscall.c - the system-call table and dispatcher.
 *
 * A program puts the call number in eax and up to six arguments in ebx,
 * ecx, edx, esi, edi and ebp, then executes int 0x80 (Linux's i386
 * convention).  entry.S saves the registers as a trap frame and calls
 * syscall_dispatch(tf), which looks the number up here, calls the handler
 * with the six registers, and stores its result in the frame's eax; the
 * iret in trapret hands it back to the program.  Errors are negative errno.
 * Numbers are Linux's (arch/x86/entry/syscalls/syscall_32.tbl); zc32's own
 * start at 1000 (kernel/include/uapi/zc32.h).
 */
#include "kernel.h"
#include "x86.h"
#include "trap/trap.h"
#include "syscalls.h"
#include "fs/file.h"
#include "proc/signal.h"
#include "mm/vm.h"
#include "ledger/ledger.h"
#include "trap/strace.h"

typedef long (*syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
struct syscall_entry {
	syscall_fn fn;
	const char *name;
};

/* Each entry carries the handler and its name, the handler's own name
 * without "sys_" (#fn + 4): the strace switch and docs/linux-abi.md read
 * names from here, so they cannot drift from what is called.  A number
 * served by another call's handler (getgid by sys_getuid) shows that
 * handler's name. */
#define S(num, fn) [num] = { (syscall_fn)(void (*)(void))(fn), #fn + 4 }

static const struct syscall_entry linux_calls[] = {
	S(1, sys_exit),            S(8, sys_creat),         S(10, sys_unlink),
	S(33, sys_access),         S(36, sys_sync),         S(38, sys_rename),
	S(39, sys_mkdir),          S(40, sys_rmdir),        S(55, sys_fcntl),
	S(92, sys_truncate),       S(93, sys_ftruncate),    S(106, sys_stat),
	S(107, sys_lstat),         S(108, sys_fstat),       S(118, sys_fsync),
	S(140, sys_llseek),        S(141, sys_getdents),    S(148, sys_fsync),
	S(195, sys_stat64),        S(196, sys_lstat64),     S(197, sys_fstat64),
	S(220, sys_getdents64),    S(221, sys_fcntl),       S(90, sys_old_mmap),
	S(187, sys_sendfile),      S(239, sys_sendfile64),
	S(99, sys_statfs),
	S(91, sys_munmap),         S(125, sys_mprotect),    S(192, sys_mmap2),
	S(2, sys_fork),            S(3, sys_read),
	S(4, sys_write),           S(5, sys_open),          S(6, sys_close),
	S(7, sys_waitpid),         S(11, sys_execve),       S(12, sys_chdir),
	S(13, sys_time),           S(19, sys_lseek),        S(20, sys_getpid),
	S(24, sys_getuid),         S(37, sys_kill),         S(41, sys_dup),
	S(42, sys_pipe),           S(45, sys_brk),          S(47, sys_getuid),
	S(49, sys_getuid),         S(50, sys_getuid),       S(54, sys_ioctl),
	S(63, sys_dup2),           S(64, sys_getppid),      S(78, sys_gettimeofday),
	S(88, sys_reboot),         S(114, sys_wait4),       S(122, sys_uname),
	S(146, sys_writev),        S(158, sys_sched_yield), S(162, sys_nanosleep),
	S(173, sys_rt_sigreturn),  S(174, sys_rt_sigaction), S(175, sys_rt_sigprocmask),
	S(183, sys_getcwd),        S(199, sys_getuid),      S(200, sys_getuid),
	S(201, sys_getuid),        S(202, sys_getuid),      S(243, sys_set_thread_area),
	S(252, sys_exit_group),    S(258, sys_set_tid_address), S(265, sys_clock_gettime),
	/* network (kernel/net/socket.c) and poll (kernel/fs/poll.c) */
	S(102, sys_socketcall),    S(168, sys_poll),
	S(359, sys_socket),        S(361, sys_bind),        S(362, sys_connect),
	S(363, sys_listen),        S(364, sys_accept4),     S(365, sys_getsockopt),
	S(366, sys_setsockopt),    S(367, sys_getsockname), S(368, sys_getpeername),
	S(369, sys_sendto),        S(371, sys_recvfrom),    S(373, sys_shutdown),
	/* waiting for many files: select (kernel/fs/select.c), epoll (kernel/fs/epoll.c) */
	S(142, sys_select),        S(308, sys_pselect6),
	S(254, sys_epoll_create),  S(329, sys_epoll_create1), S(255, sys_epoll_ctl),
	S(256, sys_epoll_wait),    S(319, sys_epoll_pwait),
	/* signals, process groups and sessions (kernel/proc/signal*.c, pgrp.c) */
	S(27, sys_alarm),          S(29, sys_pause),        S(57, sys_setpgid),
	S(104, sys_setitimer),     S(105, sys_getitimer),
	S(65, sys_getpgrp),        S(66, sys_setsid),       S(67, sys_sigaction),
	S(73, sys_sigpending),     S(119, sys_sigreturn),   S(126, sys_sigprocmask),
	S(132, sys_getpgid),       S(147, sys_getsid),      S(176, sys_rt_sigpending),
	S(179, sys_rt_sigsuspend), S(238, sys_tkill),       S(270, sys_tgkill),
	/* what glibc and busybox need (docs/linux-abi.md): paths relative to a
	 * directory fd, file attributes, clone, clocks, limits */
	S(295, sys_openat),        S(296, sys_mkdirat),     S(300, sys_fstatat64),
	S(301, sys_unlinkat),      S(302, sys_renameat),    S(307, sys_faccessat),
	S(133, sys_fchdir),        S(383, sys_statx),       S(85, sys_readlink),
	S(305, sys_readlinkat),    S(15, sys_chmod),        S(94, sys_fchmod),
	S(306, sys_fchmodat),      S(212, sys_chown32),     S(198, sys_lchown32),
	S(207, sys_fchown32),      S(298, sys_fchownat),    S(320, sys_utimensat),
	S(120, sys_clone),         S(190, sys_vfork),       S(331, sys_pipe2),
	S(330, sys_dup3),          S(266, sys_clock_getres), S(267, sys_clock_nanosleep),
	S(403, sys_clock_gettime64), S(406, sys_clock_getres_time64),
	S(407, sys_clock_nanosleep_time64),
	S(355, sys_getrandom),     S(172, sys_prctl),       S(191, sys_ugetrlimit),
	S(76, sys_getrlimit),      S(340, sys_prlimit64),   S(116, sys_sysinfo),
	S(77, sys_getrusage),      S(43, sys_times),        S(83, sys_symlink),
	S(304, sys_symlinkat),
};

static const struct syscall_entry zc32_calls[] = {
	S(0, sys_zc_stats),        S(1, sys_zc_stats_reset), S(2, sys_zc_trace),
	S(3, sys_zc_info),         S(4, sys_zc_drop_caches), S(5, sys_zc_diskstat),
	S(6, sys_zc_sendfile_mode), S(7, sys_zc_procs), S(10, sys_zc_netstat),
};

static const struct syscall_entry *syscall_lookup(uint32_t n)
{
	const struct syscall_entry *e = NULL;
	if (n < ARRAY_SIZE(linux_calls))
		e = &linux_calls[n];
	else if (n - 1000 < ARRAY_SIZE(zc32_calls))
		e = &zc32_calls[n - 1000];
	return e && e->fn ? e : NULL;
}

static long call(const struct syscall_entry *e, const struct trapframe *tf)
{
	return e ? e->fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp) : -ENOSYS;
}

/* The call, logged by the strace switch.  Not inlined: its record stays
 * off syscall_dispatch's frame (tools/test/test_gdb.py breaks at a fixed
 * offset into that function's prologue). */
static __attribute__((noinline)) long call_traced(const struct syscall_entry *e, uint32_t n,
						   const struct trapframe *tf)
{
	struct strace_call trace;
	strace_enter(&trace, n, e ? e->name : NULL, tf);
	long r = call(e, tf);
	strace_exit(&trace, r);
	return r;
}

void syscall_dispatch(struct trapframe *tf)
{
	ledger_enter(ZC_ENTRY_SYSCALL);
	uint32_t n = tf->eax;
	tf->err = n;                 /* Linux's orig_eax: what a restart calls again */
	const struct syscall_entry *e = syscall_lookup(n);
	tf->eax = strace_wanted() ? call_traced(e, n, tf) : call(e, tf);
	cli();
	trap_return_to_user(tf);
}
