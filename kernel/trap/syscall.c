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
#include "mm/vm.h"
#include "ledger/ledger.h"

typedef long (*syscall_fn)(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
#define S(num, fn) [num] = (syscall_fn)(void (*)(void))(fn)

static const syscall_fn linux_calls[] = {
	S(1, sys_exit),            S(8, sys_creat),         S(10, sys_unlink),
	S(33, sys_access),         S(36, sys_sync),         S(38, sys_rename),
	S(39, sys_mkdir),          S(40, sys_rmdir),        S(55, sys_fcntl),
	S(92, sys_truncate),       S(93, sys_ftruncate),    S(106, sys_stat),
	S(107, sys_stat),          S(108, sys_fstat),       S(118, sys_fsync),
	S(140, sys_llseek),        S(141, sys_getdents),    S(148, sys_fsync),
	S(195, sys_stat64),        S(196, sys_stat64),      S(197, sys_fstat64),
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
	S(173, sys_ignore),        S(174, sys_ignore),      S(175, sys_ignore),
	S(183, sys_getcwd),        S(199, sys_getuid),      S(200, sys_getuid),
	S(201, sys_getuid),        S(202, sys_getuid),      S(243, sys_set_thread_area),
	S(85, sys_readlink),
	S(252, sys_exit_group),    S(258, sys_set_tid_address), S(265, sys_clock_gettime),
	/* network (kernel/net/socket.c) and poll (kernel/fs/poll.c) */
	S(102, sys_socketcall),    S(168, sys_poll),
	S(359, sys_socket),        S(361, sys_bind),        S(362, sys_connect),
	S(363, sys_listen),        S(364, sys_accept4),     S(365, sys_getsockopt),
	S(366, sys_setsockopt),    S(367, sys_getsockname), S(368, sys_getpeername),
	S(369, sys_sendto),        S(371, sys_recvfrom),    S(373, sys_shutdown),
};

static const syscall_fn zc32_calls[] = {
	S(0, sys_zc_stats),        S(1, sys_zc_stats_reset), S(2, sys_zc_trace),
	S(3, sys_zc_info),         S(4, sys_zc_drop_caches), S(5, sys_zc_diskstat),
	S(6, sys_zc_sendfile_mode), S(7, sys_zc_procs), S(10, sys_zc_netstat),
};

void syscall_dispatch(struct trapframe *tf)
{
	ledger_enter(ZC_ENTRY_SYSCALL);
	uint32_t n = tf->eax;
	syscall_fn fn = NULL;
	if (n < ARRAY_SIZE(linux_calls))
		fn = linux_calls[n];
	else if (n - 1000 < ARRAY_SIZE(zc32_calls))
		fn = zc32_calls[n - 1000];
	tf->eax = fn ? fn(tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi, tf->ebp) : -ENOSYS;
	cli();
	trap_return_to_user(tf);
}
