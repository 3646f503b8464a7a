/*
 * sigtest - signals, process groups and the console's tty ioctls, checked
 * against Linux i386's behaviour and error codes (docs/signals.md).
 *
 *     sigtest            run every check (as init: the console is fd 0)
 *     sigtest exec-check (internal) what execve kept of the signal state
 *
 * Handlers: rt_sigaction and sigaction with good and bad arguments, a
 * handler run by kill, SA_SIGINFO's siginfo and ucontext, the mask while
 * a handler runs (sa_mask, SA_NODEFER), SA_RESETHAND, registers put back
 * by sigreturn, a handler that edits its ucontext (eip, and a forged cs
 * or IOPL that must not take).  Masks and pending sets, sigsuspend,
 * pause and alarm.  EINTR and SA_RESTART on a pipe read, wait4 and
 * nanosleep.  CPU exceptions to handlers.  Default actions: terminate,
 * ignore, stop and continue as wait4 reports them.  SIGCHLD ignored: no
 * zombies.  fork and execve.  Process groups and sessions, kill and
 * waitpid by group.  The console: termios, window size, foreground group,
 * raw reads with VMIN/VTIME, SIGTTIN for a background reader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <syscall.h>
#include <epoll.h>
#include <ztest.h>

#define SETSIZE 8
#define EFLAGS_IOPL3 0x3000
#define SEG_KERNEL_CODE 0x08

static volatile int hits, last_sig, last_code, last_pid;
static void test_itimer(void);
static void test_wait_masks(void);
static volatile unsigned int last_addr, blocked_inside;
static volatile int depth, max_depth;

/* ---- helpers ---- */

static int wait_for(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1000;
	return st;
}

/* exit(n) -> -n; killed by signal s -> 1000 + s. */
static int child_result(int st)
{
	if (st == -1000)
		return -1000;
	return WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : -WEXITSTATUS(st);
}

static void msleep(int ms)
{
	usleep(ms * 1000);
}

static sigset_t current_mask(void)
{
	sigset_t m = 0;

	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}

static void on_signal(int sig)
{
	hits++;
	last_sig = sig;
	blocked_inside = (unsigned int)current_mask();
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (hits == 1 && sig == SIGUSR2)
		raise(SIGUSR2);               /* nested only with SA_NODEFER */
	depth--;
}

static void on_siginfo(int sig, siginfo_t *si, void *uc)
{
	struct ucontext *u = uc;

	hits++;
	last_sig = sig;
	last_code = si->si_code;
	last_pid = si->u.kill.pid;
	last_addr = u ? u->uc_sigmask[0] : 0xdead;
}

static int install(int sig, void (*fn)(int), int flags, sigset_t mask)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sa.sa_mask = mask;
	return sigaction(sig, &sa, NULL);
}

static int install_info(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = flags | SA_SIGINFO;
	return sigaction(sig, &sa, NULL);
}

/* ---- 1. rt_sigaction and sigaction ---- */

static void test_sigaction_args(void)
{
	struct kernel_sigaction k, old;
	struct old_sigaction o;

	memset(&k, 0, sizeof k);
	k.handler = (unsigned int)on_signal;
	check_err("sigaction.bad_setsize", usys_rt_sigaction(SIGUSR1, &k, NULL, 4), -EINVAL);
	check_err("sigaction.sig0", usys_rt_sigaction(0, &k, NULL, SETSIZE), -EINVAL);
	check_err("sigaction.sig65", usys_rt_sigaction(65, &k, NULL, SETSIZE), -EINVAL);
	check_err("sigaction.sigkill", usys_rt_sigaction(SIGKILL, &k, NULL, SETSIZE), -EINVAL);
	check_err("sigaction.sigstop", usys_rt_sigaction(SIGSTOP, &k, NULL, SETSIZE), -EINVAL);
	check_err("sigaction.sigkill_query", usys_rt_sigaction(SIGKILL, NULL, &old, SETSIZE), 0);
	check_err("sigaction.bad_act", usys_rt_sigaction(SIGUSR1, (void *)0xc0000000, NULL, SETSIZE), -EFAULT);
	check_err("sigaction.bad_old", usys_rt_sigaction(SIGUSR1, NULL, (void *)8, SETSIZE), -EFAULT);
	check_err("sigaction.set", usys_rt_sigaction(SIGUSR1, &k, NULL, SETSIZE), 0);
	check_err("sigaction.get", usys_rt_sigaction(SIGUSR1, NULL, &old, SETSIZE), 0);
	check_eq("sigaction.get_handler", old.handler, (unsigned int)on_signal);
	/* SIGKILL in sa_mask is dropped: it can never be blocked */
	k.mask[0] = SIGBIT(SIGKILL) | SIGBIT(SIGUSR2);
	usys_rt_sigaction(SIGUSR1, &k, NULL, SETSIZE);
	usys_rt_sigaction(SIGUSR1, NULL, &old, SETSIZE);
	check_eq("sigaction.mask_no_sigkill", old.mask[0], (unsigned int)SIGBIT(SIGUSR2));

	/* sigaction (67): the older struct */
	memset(&o, 0, sizeof o);
	o.handler = (unsigned int)SIG_IGN;
	check_err("sigaction67.set", usys_sigaction(SIGUSR2, &o, NULL), 0);
	memset(&o, 0, sizeof o);
	check_err("sigaction67.get", usys_sigaction(SIGUSR2, NULL, &o), 0);
	check_eq("sigaction67.handler", o.handler, (unsigned int)SIG_IGN);
	check_err("sigaction67.sigstop", usys_sigaction(SIGSTOP, &o, NULL), -EINVAL);
	check_err("sigaction67.bad_act", usys_sigaction(SIGUSR2, (void *)1, NULL), -EFAULT);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- 2. handlers ---- */

static void test_handlers(void)
{
	sigset_t m;

	hits = 0;
	install(SIGUSR1, on_signal, 0, SIGBIT(SIGUSR2));
	check_eq("handler.kill_ok", kill(getpid(), SIGUSR1), 0);
	check_eq("handler.ran", hits, 1);
	check_eq("handler.signo", last_sig, SIGUSR1);
	CHECK("handler.blocks_itself", blocked_inside & SIGBIT(SIGUSR1));
	CHECK("handler.blocks_sa_mask", blocked_inside & SIGBIT(SIGUSR2));
	m = current_mask();
	CHECK("handler.mask_restored", !(m & (SIGBIT(SIGUSR1) | SIGBIT(SIGUSR2))));

	/* SA_NODEFER: the handler may interrupt itself */
	hits = max_depth = 0;
	install(SIGUSR2, on_signal, SA_NODEFER, 0);
	raise(SIGUSR2);
	check_eq("handler.nodefer_nested", max_depth, 2);
	check_eq("handler.nodefer_hits", hits, 2);
	/* without it, the second raise waits for the first handler's return */
	hits = max_depth = 0;
	install(SIGUSR2, on_signal, 0, 0);
	raise(SIGUSR2);
	check_eq("handler.defer_not_nested", max_depth, 1);
	check_eq("handler.defer_hits", hits, 2);

	/* SA_RESETHAND: one delivery, then back to the default */
	struct sigaction sa;
	install(SIGUSR1, on_signal, SA_RESETHAND, 0);
	raise(SIGUSR1);
	sigaction(SIGUSR1, NULL, &sa);
	CHECK("handler.resethand", sa.sa_handler == SIG_DFL);

	/* SA_SIGINFO: siginfo and ucontext */
	hits = 0;
	install_info(SIGUSR1, on_siginfo, 0);
	kill(getpid(), SIGUSR1);
	check_eq("siginfo.ran", hits, 1);
	check_eq("siginfo.code_user", last_code, SI_USER);
	check_eq("siginfo.pid", last_pid, getpid());
	check_eq("siginfo.uc_sigmask", last_addr, 0);
	usys_tkill(getpid(), SIGUSR1);
	check_eq("siginfo.code_tkill", last_code, SI_TKILL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* A handler that wrecks the registers the caller keeps in edx and esi:
 * sigreturn must put them back.  (C compilers save esi; edx they don't.) */
static void on_clobber(int sig)
{
	__asm__ __volatile__("movl $0, %%edx; movl $0, %%ecx" ::: "edx", "ecx");
	hits++;
}

static void test_registers_restored(void)
{
	unsigned int edx = 0x12345678, ecx = SIGUSR1, ebx = getpid();
	long r;

	hits = 0;
	install(SIGUSR1, on_clobber, 0, 0);
	__asm__ __volatile__("int $0x80" : "=a"(r), "+d"(edx), "+c"(ecx), "+b"(ebx)
			     : "a"(SYS_kill) : "memory");
	check_eq("sigreturn.handler_ran", hits, 1);
	check_eq("sigreturn.eax_result", r, 0);
	check_eq("sigreturn.edx_restored", edx, 0x12345678);
	check_eq("sigreturn.ecx_restored", ecx, SIGUSR1);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- 3. ucontext edits: honoured for eip, refused for cs and IOPL ---- */

static void on_segv_skip(int sig, siginfo_t *si, void *uc)
{
	struct ucontext *u = uc;

	last_addr = si->u.fault.addr;
	last_code = si->si_code;
	u->uc_mcontext.eip += 2;                 /* over "movl (%eax), %eax" (8b 00) */
	u->uc_mcontext.eax = 77;
}

static void on_segv_forge_cs(int sig, siginfo_t *si, void *uc)
{
	((struct ucontext *)uc)->uc_mcontext.cs = SEG_KERNEL_CODE;
}

static void on_usr1_iopl(int sig, siginfo_t *si, void *uc)
{
	((struct ucontext *)uc)->uc_mcontext.eflags |= EFLAGS_IOPL3;
}

static void test_ucontext_edits(void)
{
	unsigned int v = 0x1230;
	pid_t pid;

	install_info(SIGSEGV, on_segv_skip, 0);
	__asm__ __volatile__(".byte 0x8b, 0x00" : "+a"(v) : : "memory");   /* movl (%eax), %eax */
	check_eq("fault.handler_skipped", v, 77);
	check_eq("fault.si_addr", last_addr, 0x1230);
	check_eq("fault.si_code", last_code, SEGV_MAPERR);
	signal(SIGSEGV, SIG_DFL);

	/* a frame edited to return to ring 0: SIGSEGV, the kernel lives */
	pid = fork();
	if (pid == 0) {
		install_info(SIGUSR1, on_segv_forge_cs, 0);
		raise(SIGUSR1);
		_exit(3);
	}
	check_eq("sigreturn.forged_cs_killed", child_result(wait_for(pid)), 1000 + SIGSEGV);

	/* IOPL 3 from a frame: ignored, so cli still faults */
	pid = fork();
	if (pid == 0) {
		install_info(SIGUSR1, on_usr1_iopl, 0);
		raise(SIGUSR1);
		__asm__ __volatile__("cli");
		_exit(3);
	}
	check_eq("sigreturn.no_iopl", child_result(wait_for(pid)), 1000 + SIGSEGV);

	/* rt_sigreturn with no frame at all (esp points at garbage) */
	pid = fork();
	if (pid == 0) {
		__asm__ __volatile__("movl $0x1000, %%esp; int $0x80" : : "a"(SYS_rt_sigreturn));
		_exit(3);
	}
	check_eq("sigreturn.no_frame_killed", child_result(wait_for(pid)), 1000 + SIGSEGV);

	/* no room for a frame: the stack pointer is unmapped when the signal comes */
	pid = fork();
	if (pid == 0) {
		install(SIGUSR1, on_signal, 0, 0);
		__asm__ __volatile__("movl $0x1000, %%esp; int $0x80"
				     : : "a"(SYS_kill), "b"(getpid()), "c"(SIGUSR1));
		_exit(3);
	}
	check_eq("frame.bad_stack_segv", child_result(wait_for(pid)), 1000 + SIGSEGV);
}

static void on_fatal_exit(int sig, siginfo_t *si, void *uc)
{
	_exit(sig == SIGFPE && si->si_code == FPE_INTDIV ? 40 :
	      sig == SIGILL && si->si_code == ILL_ILLOPN ? 41 : 49);
}

static void test_exceptions(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		volatile int zero = 0;
		install_info(SIGFPE, on_fatal_exit, 0);
		_exit(10 / zero);
	}
	check_eq("fault.sigfpe_handler", child_result(wait_for(pid)), -40);
	pid = fork();
	if (pid == 0) {
		install_info(SIGILL, on_fatal_exit, 0);
		__asm__ __volatile__("ud2");
		_exit(3);
	}
	check_eq("fault.sigill_handler", child_result(wait_for(pid)), -41);
	/* a blocked fault signal kills, handler or not (Linux's force_sig) */
	pid = fork();
	if (pid == 0) {
		sigset_t m = SIGBIT(SIGSEGV);
		install_info(SIGSEGV, on_fatal_exit, 0);
		sigprocmask(SIG_BLOCK, &m, NULL);
		*(volatile int *)0 = 1;
		_exit(3);
	}
	check_eq("fault.blocked_kills", child_result(wait_for(pid)), 1000 + SIGSEGV);
}

/* ---- 4. masks, pending, sigsuspend, pause, alarm ---- */

static void test_masks(void)
{
	sigset_t set = SIGBIT(SIGUSR1), old, pend = 0;
	unsigned int w[2];

	hits = 0;
	install(SIGUSR1, on_signal, 0, 0);
	check_eq("mask.block", sigprocmask(SIG_BLOCK, &set, &old), 0);
	raise(SIGUSR1);
	check_eq("mask.blocked_not_run", hits, 0);
	check_eq("mask.sigpending", sigpending(&pend), 0);
	CHECK("mask.pending_bit", pend & SIGBIT(SIGUSR1));
	check_eq("mask.unblock", sigprocmask(SIG_UNBLOCK, &set, NULL), 0);
	check_eq("mask.delivered_on_unblock", hits, 1);
	sigpending(&pend);
	check_eq("mask.pending_clear", pend, 0);

	check_err("mask.bad_how", usys_rt_sigprocmask(7, &set, NULL, SETSIZE), -EINVAL);
	check_err("mask.bad_setsize", usys_rt_sigprocmask(SIG_BLOCK, &set, NULL, 4), -EINVAL);
	check_err("mask.bad_set_ptr", usys_rt_sigprocmask(SIG_BLOCK, (void *)0xc0001000, NULL, SETSIZE), -EFAULT);
	check_err("mask.bad_old_ptr", usys_rt_sigprocmask(SIG_BLOCK, NULL, (void *)4, SETSIZE), -EFAULT);
	check_err("mask.null_set_bad_how_ok", usys_rt_sigprocmask(7, NULL, &old, SETSIZE), 0);
	set = ~0ull;
	sigprocmask(SIG_SETMASK, &set, &old);
	sigprocmask(SIG_SETMASK, &old, &set);
	CHECK("mask.sigkill_unblockable", !(set & SIGBIT(SIGKILL)) && !(set & SIGBIT(SIGSTOP)));
	CHECK("mask.others_blocked", (set & SIGBIT(SIGUSR2)) && (set & SIGBIT(64)));
	/* sigprocmask (126): 32 bits */
	w[0] = SIGBIT(SIGUSR2);
	check_err("mask126.block", usys_sigprocmask(SIG_BLOCK, w, NULL), 0);
	w[0] = 0;
	check_err("mask126.get", usys_sigprocmask(SIG_BLOCK, NULL, w), 0);
	check_eq("mask126.value", w[0], SIGBIT(SIGUSR2));
	check_err("mask126.bad_how", usys_sigprocmask(9, w, NULL), -EINVAL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	check_err("sigpending.bad_size", usys_rt_sigpending(&pend, 16), -EINVAL);
	check_err("sigpending.bad_ptr", usys_rt_sigpending((void *)0xc0000000, SETSIZE), -EFAULT);

	/* a pending blocked signal is discarded when set to SIG_IGN */
	set = SIGBIT(SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	signal(SIGUSR2, SIG_IGN);
	sigpending(&pend);
	check_eq("ignore.discards_pending", pend, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check_eq("ignore.survives", raise(SIGUSR2), 0);
	signal(SIGUSR2, SIG_DFL);

	/* sigsuspend: wait with SIGUSR1 unblocked, then the old mask again */
	set = SIGBIT(SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	hits = 0;
	pid_t pid = fork();
	if (pid == 0) {
		msleep(30);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigset_t none = 0;
	check_err("sigsuspend.eintr", usys_rt_sigsuspend(&none, SETSIZE), -EINTR);
	check_eq("sigsuspend.handler_ran", hits, 1);
	CHECK("sigsuspend.mask_back", current_mask() & SIGBIT(SIGUSR1));
	wait_for(pid);
	check_err("sigsuspend.bad_size", usys_rt_sigsuspend(&none, 4), -EINVAL);
	check_err("sigsuspend.bad_ptr", usys_rt_sigsuspend((void *)0xc0000000, SETSIZE), -EFAULT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* alarm and pause */
	hits = 0;
	install(SIGALRM, on_signal, 0, 0);
	check_eq("alarm.none_before", usys_alarm(10), 0);
	long left = usys_alarm(0);
	CHECK("alarm.left_about_10", left == 10 || left == 9);
	usys_alarm(1);
	check_err("pause.eintr", usys_pause(), -EINTR);
	check_eq("alarm.fired", last_sig, SIGALRM);
	check_eq("alarm.cancelled_now", usys_alarm(0), 0);
	signal(SIGALRM, SIG_DFL);
	pid = fork();
	if (pid == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	check_eq("alarm.default_kills", child_result(wait_for(pid)), 1000 + SIGALRM);
	signal(SIGUSR1, SIG_DFL);
	test_itimer();
}

/* setitimer/getitimer: the real-time timer, once and periodic (glibc's
 * alarm() and busybox's ping use it). */
static void test_itimer(void)
{
	struct itimerval nv = { { 0, 20000 }, { 0, 20000 } }, ov, now;
	check_err("itimer.bad_which", usys_setitimer(1, &nv, NULL), -EINVAL);
	check_err("itimer.get_bad_which", usys_getitimer(2, &now), -EINVAL);
	struct itimerval bad = { { 0, 0 }, { 0, 1000000 } };
	check_err("itimer.bad_usec", usys_setitimer(0, &bad, NULL), -EINVAL);
	check_err("itimer.bad_new_ptr", usys_setitimer(0, (void *)0xc0000000, NULL), -EFAULT);
	check_err("itimer.bad_get_ptr", usys_getitimer(0, (void *)0xc0000000), -EFAULT);

	usys_alarm(10);                       /* alarm is the same timer */
	check_err("itimer.get", usys_getitimer(0, &now), 0);
	CHECK("itimer.sees_alarm", now.it_value.tv_sec >= 9 && now.it_value.tv_sec <= 10 && now.it_interval.tv_usec == 0);

	hits = 0;
	install(SIGALRM, on_signal, SA_RESTART, 0);
	check_err("itimer.periodic", usys_setitimer(0, &nv, &ov), 0);
	CHECK("itimer.old_was_alarm", ov.it_value.tv_sec >= 9 && ov.it_interval.tv_sec == 0 && ov.it_interval.tv_usec == 0);
	while (hits < 3)
		usys_pause();                     /* one SIGALRM per period, again and again */
	check_eq("itimer.three_periods", hits >= 3, 1);
	check_err("itimer.disarm", usys_setitimer(0, NULL, &ov), 0);
	CHECK("itimer.old_interval", ov.it_interval.tv_sec == 0 && ov.it_interval.tv_usec == 20000);
	check_eq("itimer.alarm_off", usys_alarm(0), 0);
	signal(SIGALRM, SIG_DFL);
}

/* pselect6 and epoll_pwait hold their mask during the wait only: a
 * SIGUSR1 it blocks does not end the wait, and is handled as soon as the
 * call returns, when the old mask is back. */
static pid_t signal_me_later(int ms)
{
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		msleep(ms);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	return pid;
}

static void test_wait_masks(void)
{
	/* syscall(), not the inline usys_ stubs: six arguments need ebp,
	 * which this function's frame pointer holds */
	uint64_t block_usr1 = SIGBIT(SIGUSR1);
	struct { uint32_t set, size; } arg = { (uint32_t)&block_usr1, SETSIZE };
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	struct epoll_event ev;
	int ep = usys_epoll_create1(0);

	install(SIGUSR1, on_signal, 0, 0);
	hits = 0;
	pid_t pid = signal_me_later(50);
	check_err("pselect6.mask_holds", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &arg), 0);
	check_eq("pselect6.handled_after", hits, 1);
	CHECK("pselect6.mask_back", !(current_mask() & SIGBIT(SIGUSR1)));
	wait_for(pid);

	hits = 0;
	pid = signal_me_later(50);
	check_err("epoll_pwait.mask_holds", syscall(SYS_epoll_pwait, ep, &ev, 1, 300, &block_usr1, SETSIZE), 0);
	check_eq("epoll_pwait.handled_after", hits, 1);
	CHECK("epoll_pwait.mask_back", !(current_mask() & SIGBIT(SIGUSR1)));
	wait_for(pid);

	hits = 0;                             /* without the mask, the signal ends the wait */
	ts.tv_nsec = 300 * 1000 * 1000;
	pid = signal_me_later(50);
	check_err("pselect6.interrupted", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL), -EINTR);
	check_eq("pselect6.handler_ran", hits, 1);
	wait_for(pid);
	check_err("epoll_pwait.bad_size", syscall(SYS_epoll_pwait, ep, &ev, 1, 0, &block_usr1, 4), -EINVAL);
	close(ep);
	signal(SIGUSR1, SIG_DFL);
}

/* ---- 5. EINTR and SA_RESTART ---- */

/* A child blocked in read (flags for its SIGUSR1 handler); the parent
 * signals it, then writes a byte.  The child exits with the read's
 * result: -EINTR, or 1 if the read was restarted and got the byte. */
static int interrupted_read(int flags)
{
	int p[2], st;
	char c;

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		hits = 0;
		install(SIGUSR1, on_signal, flags, 0);
		long r = usys_read(p[0], &c, 1);
		_exit(r == -EINTR ? 4 : r == 1 && c == 'x' && hits == 1 ? 1 : 9);
	}
	close(p[0]);
	msleep(40);
	kill(pid, SIGUSR1);
	msleep(40);
	/* After EINTR the child has gone and the pipe has no reader: the
	 * write gets EPIPE and SIGPIPE, which would end this test unless it
	 * runs as init (init ignores signals it has no handler for). */
	signal(SIGPIPE, SIG_IGN);
	write(p[1], "x", 1);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	st = wait_for(pid);
	return child_result(st);
}

static void test_eintr(void)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	int st;

	check_eq("eintr.pipe_read", interrupted_read(0), -4);
	check_eq("restart.pipe_read", interrupted_read(SA_RESTART), -1);

	/* nanosleep: EINTR even with SA_RESTART, and the time left */
	install(SIGALRM, on_signal, SA_RESTART, 0);
	alarm(1);
	check_err("eintr.nanosleep", usys_nanosleep(&req, &rem), -EINTR);
	CHECK("eintr.nanosleep_rem", rem.tv_sec >= 3 && rem.tv_sec <= 4);

	/* wait4 without SA_RESTART */
	install(SIGALRM, on_signal, 0, 0);
	pid_t pid = fork();
	if (pid == 0) {
		msleep(3000);
		_exit(0);
	}
	alarm(1);
	check_err("eintr.wait4", usys_wait4(pid, &st, 0, NULL), -EINTR);
	kill(pid, SIGKILL);
	wait_for(pid);
	signal(SIGALRM, SIG_DFL);
}

/* ---- 6. default actions: stop, continue, terminate; SIGCHLD ---- */

static void test_stop_continue(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	check_eq("stop.kill", kill(pid, SIGSTOP), 0);
	check_eq("stop.wuntraced", waitpid(pid, &st, WUNTRACED), pid);
	CHECK("stop.wifstopped", WIFSTOPPED(st));
	check_eq("stop.wstopsig", WSTOPSIG(st), SIGSTOP);
	check_eq("stop.reported_once", waitpid(pid, &st, WUNTRACED | WNOHANG), 0);
	check_eq("cont.kill", kill(pid, SIGCONT), 0);
	check_eq("cont.wcontinued", waitpid(pid, &st, WCONTINUED), pid);
	CHECK("cont.wifcontinued", WIFCONTINUED(st));
	kill(pid, SIGTSTP);
	check_eq("stop.tstp", waitpid(pid, &st, WUNTRACED), pid);
	check_eq("stop.tstp_sig", WSTOPSIG(st), SIGTSTP);
	kill(pid, SIGKILL);                      /* SIGKILL ends a stop */
	check_eq("stop.sigkill_ends", child_result(wait_for(pid)), 1000 + SIGKILL);
	pid = fork();
	if (pid == 0)
		for (;;)
			pause();
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGTERM);                      /* fatal: ends the stop too, as on Linux */
	check_eq("stop.sigterm_ends", child_result(wait_for(pid)), 1000 + SIGTERM);
	/* a handled signal waits for SIGCONT */
	pid = fork();
	if (pid == 0) {
		hits = 0;
		install(SIGUSR1, on_signal, 0, 0);
		while (hits == 0)
			pause();
		_exit(6);
	}
	msleep(20);
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGUSR1);
	check_eq("stop.handled_waits", waitpid(pid, &st, WNOHANG), 0);
	kill(pid, SIGCONT);
	check_eq("stop.handled_after_cont", child_result(wait_for(pid)), -6);
	/* SIGCHLD and SIGWINCH are ignored by default; SIGUSR1 terminates */
	pid = fork();
	if (pid == 0) {
		raise(SIGCHLD);
		raise(SIGWINCH);
		raise(SIGCONT);
		raise(SIGUSR1);
		_exit(0);
	}
	check_eq("default.usr1_terminates", child_result(wait_for(pid)), 1000 + SIGUSR1);
}

static void on_sigchld(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_code = si->si_code;
	last_pid = si->u.chld.pid;
}

static void test_sigchld(void)
{
	int st;

	hits = 0;
	install_info(SIGCHLD, on_sigchld, SA_RESTART);
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	check_eq("sigchld.wait", child_result(wait_for(pid)), -5);
	check_eq("sigchld.handler", hits, 1);
	check_eq("sigchld.code", last_code, CLD_EXITED);
	check_eq("sigchld.pid", last_pid, pid);

	/* SIGCHLD ignored: the kernel reaps, wait finds no child */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	msleep(50);
	check_err("sigchld.ignored_reaped", usys_wait4(pid, &st, WNOHANG, NULL), -ECHILD);
	check_err("sigchld.ignored_no_zombie", usys_kill(pid, 0), -ESRCH);
	signal(SIGCHLD, SIG_DFL);
}

/* ---- 7. fork and execve ---- */

static void test_fork_exec(int argc, char **argv)
{
	sigset_t set = SIGBIT(SIGUSR2);
	struct sigaction sa;

	install(SIGUSR1, on_signal, 0, 0);
	signal(SIGTERM, SIG_IGN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		sigaction(SIGUSR1, NULL, &sa);
		int ok = sa.sa_handler == on_signal && (current_mask() & SIGBIT(SIGUSR2));
		/* argv[0] is a bare name when the shell found us through $PATH */
		const char *self = strchr(argv[0], '/') ? argv[0] : "/test/sigtest";
		char *args[] = { (char *)self, "exec-check", NULL };
		if (!ok)
			_exit(7);
		execv(self, args);
		_exit(8);
	}
	check_eq("exec.keeps_ign_resets_handlers", child_result(wait_for(pid)), 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

/* The exec-check mode: SIGUSR1's handler is gone, SIGTERM still
 * ignored, the mask kept. */
static int exec_check(void)
{
	struct sigaction a, b;

	sigaction(SIGUSR1, NULL, &a);
	sigaction(SIGTERM, NULL, &b);
	return a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN &&
	       (current_mask() & SIGBIT(SIGUSR2)) ? 0 : 1;
}

/* ---- 8. tkill, tgkill ---- */

static void test_tkill(void)
{
	check_err("tkill.bad_tid", usys_tkill(0, SIGUSR1), -EINVAL);
	check_err("tkill.bad_sig", usys_tkill(getpid(), 99), -EINVAL);
	check_err("tkill.no_such", usys_tkill(99999, 0), -ESRCH);
	check_err("tgkill.bad_tgid", usys_tgkill(0, getpid(), 0), -EINVAL);
	check_err("tgkill.wrong_group", usys_tgkill(getpid() + 1000, getpid(), 0), -ESRCH);
	check_err("tgkill.self_probe", usys_tgkill(getpid(), getpid(), 0), 0);
}

/* ---- 9. process groups and sessions ---- */

static void test_pgrp(void)
{
	int st;
	pid_t me = getpid();

	check_eq("pgrp.getpgrp_is_getpgid0", usys_getpgrp(), usys_getpgid(0));
	check_eq("pgrp.getpgid_self", usys_getpgid(me), usys_getpgrp());
	check_err("pgrp.getpgid_none", usys_getpgid(99999), -ESRCH);
	check_err("pgrp.setpgid_negative", usys_setpgid(0, -1), -EINVAL);
	check_err("pgrp.setpgid_none", usys_setpgid(99999, 0), -ESRCH);
	check_eq("sid.getsid0", usys_getsid(0), usys_getsid(me));
	check_err("sid.getsid_none", usys_getsid(99999), -ESRCH);

	/* A group whose only member has exited but is not reaped still
	 * exists (a shell's pipeline: the second process joins the first's
	 * group after the first is done). */
	pid_t lead = fork();
	if (lead == 0)
		_exit(0);
	check_err("pgrp.zombie_leader_own_group", usys_setpgid(lead, lead), 0);
	msleep(50);                           /* lead is a zombie now */
	pid_t member = fork();
	if (member == 0) {
		msleep(100);
		_exit(0);
	}
	check_err("pgrp.join_zombie_group", usys_setpgid(member, lead), 0);
	wait_for(member);
	wait_for(lead);

	/* a child in its own group; kill(-pgid) and waitpid(-pgid) */
	pid_t a = fork();
	if (a == 0) {
		for (;;)
			pause();
	}
	check_eq("pgrp.setpgid_child", usys_setpgid(a, a), 0);
	check_eq("pgrp.child_group", usys_getpgid(a), a);
	pid_t b = fork();
	if (b == 0) {
		for (;;)
			pause();
	}
	check_eq("pgrp.join_group", usys_setpgid(b, a), 0);
	check_err("pgrp.join_missing_group", usys_setpgid(b, 99999), -EPERM);
	check_eq("pgrp.kill_group", usys_kill(-a, SIGTERM), 0);
	check_eq("pgrp.waitpid_group_1", waitpid(-a, &st, 0) > 0, 1);
	check_eq("pgrp.waitpid_group_sig", WTERMSIG(st), SIGTERM);
	check_eq("pgrp.waitpid_group_2", waitpid(-a, &st, 0) > 0, 1);
	check_err("pgrp.waitpid_group_empty", usys_wait4(-a, &st, 0, NULL), -ECHILD);
	check_err("pgrp.kill_empty_group", usys_kill(-a, SIGTERM), -ESRCH);

	/* kill(0) and waitpid(0): the caller's group only */
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		pid_t d = fork();
		if (d == 0) {
			for (;;)
				pause();
		}
		signal(SIGTERM, SIG_IGN);
		kill(0, SIGTERM);
		_exit(waitpid(0, &st, 0) == d && WTERMSIG(st) == SIGTERM ? 0 : 1);
	}
	check_eq("pgrp.kill0_waitpid0", child_result(wait_for(c)), 0);

	/* after execve, a child's group is its own business: EACCES */
	c = fork();
	if (c == 0) {
		char *args[] = { "sleep", "1", NULL };
		execv("/bin/sleep", args);
		_exit(8);
	}
	msleep(100);
	check_err("pgrp.setpgid_after_exec", usys_setpgid(c, c), -EACCES);
	kill(c, SIGKILL);
	wait_for(c);

	/* setsid: a new session led by the caller; not for a group leader */
	c = fork();
	if (c == 0) {
		long s = usys_setsid();
		int ok = s == getpid() && usys_getsid(0) == getpid() && usys_getpgrp() == getpid();
		ok = ok && usys_setsid() == -EPERM;           /* now a group leader */
		ok = ok && usys_setpgid(0, 1) == -EPERM;      /* group 1 is another session's */
		ok = ok && usys_ioctl(0, TIOCGPGRP, &st) == -ENOTTY;   /* no terminal */
		_exit(ok ? 0 : 1);
	}
	check_eq("sid.setsid_child", child_result(wait_for(c)), 0);
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		_exit(usys_setsid() == -EPERM ? 0 : 1);
	}
	check_eq("sid.setsid_group_leader", child_result(wait_for(c)), 0);
}

/* ---- 10. the console as a terminal ---- */

static void test_tty(void)
{
	struct termios t, saved;
	struct winsize ws;
	int pgrp, n, p[2], st;
	char buf[8];

	check_err("tty.tcgets", usys_ioctl(0, TCGETS, &t), 0);
	CHECK("tty.canonical_default", (t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	check_eq("tty.vintr_ctrl_c", t.c_cc[VINTR], 3);
	check_eq("tty.vsusp_ctrl_z", t.c_cc[VSUSP], 26);
	check_err("tty.tcgets_efault", usys_ioctl(0, TCGETS, (void *)0xc0000000), -EFAULT);
	check_err("tty.winsize", usys_ioctl(0, TIOCGWINSZ, &ws), 0);
	CHECK("tty.winsize_80x24", ws.ws_col == 80 && ws.ws_row == 24);
	check_err("tty.tiocgpgrp", usys_ioctl(0, TIOCGPGRP, &pgrp), 0);
	check_eq("tty.fg_is_us", pgrp, usys_getpgrp());
	check_eq("tty.tcgetpgrp", tcgetpgrp(0), usys_getpgrp());
	check_err("tty.bad_cmd", usys_ioctl(0, 0x7777, &t), -ENOTTY);
	check_err("tty.bad_fd", usys_ioctl(99, TCGETS, &t), -EBADF);
	pipe(p);
	check_err("tty.pipe_not_tty", usys_ioctl(p[0], TCGETS, &t), -ENOTTY);
	CHECK("tty.isatty", isatty(0) && !isatty(p[0]));
	close(p[0]);
	close(p[1]);
	pgrp = -1;
	check_err("tty.tiocspgrp_negative", usys_ioctl(0, TIOCSPGRP, &pgrp), -EINVAL);
	pgrp = 99999;
	check_err("tty.tiocspgrp_none", usys_ioctl(0, TIOCSPGRP, &pgrp), -ESRCH);
	check_err("tty.tiocspgrp_efault", usys_ioctl(0, TIOCSPGRP, (void *)0xc0000000), -EFAULT);
	check_err("tty.fionread", usys_ioctl(0, FIONREAD, &n), 0);
	check_eq("tty.fionread_empty", n, 0);
	check_err("tty.tcflsh_bad", usys_ioctl(0, TCFLSH, (void *)7), -EINVAL);

	/* raw mode: VMIN 0 VTIME 0 returns at once; VTIME 2 waits 0.2 s */
	saved = t;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	check_eq("tty.tcsetattr_raw", tcsetattr(0, TCSANOW, &t), 0);
	check_err("tty.raw_read_nothing", usys_read(0, buf, sizeof buf), 0);
	t.c_cc[VTIME] = 2;
	tcsetattr(0, TCSANOW, &t);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_err("tty.raw_vtime_timeout", usys_read(0, buf, sizeof buf), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK("tty.raw_vtime_waited", ms >= 150 && ms < 2000);
	struct termios back;
	tcgetattr(0, &back);
	check_eq("tty.tcgets_roundtrip", back.c_cc[VTIME], 2);
	check_eq("tty.tcsetattr_restore", tcsetattr(0, TCSAFLUSH, &saved), 0);
	check_err("tty.tcsets_efault", usys_ioctl(0, TCSETS, (void *)4), -EFAULT);

	/* a background reader stops with SIGTTIN; one that ignores it gets EIO */
	pid_t c = fork();
	if (c == 0) {
		setpgid(0, 0);
		read(0, buf, 1);
		_exit(5);
	}
	check_eq("tty.bg_read_stopped", waitpid(c, &st, WUNTRACED), c);
	CHECK("tty.bg_read_sigttin", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	kill(c, SIGKILL);
	wait_for(c);
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		_exit(usys_read(0, buf, 1) == -EIO ? 0 : 1);
	}
	check_eq("tty.bg_read_ignored_eio", child_result(wait_for(c)), 0);
	/* a background TIOCSPGRP with SIGTTOU ignored is allowed (a shell's way) */
	c = fork();
	if (c == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);
		int ok = tcsetpgrp(0, getpid()) == 0 && tcgetpgrp(0) == getpid();
		ok = ok && tcsetpgrp(0, getppid() == 1 ? 1 : getpgid(getppid())) == 0;
		_exit(ok ? 0 : 1);
	}
	check_eq("tty.tcsetpgrp_and_back", child_result(wait_for(c)), 0);
	check_eq("tty.fg_back", tcgetpgrp(0), usys_getpgrp());
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
		return exec_check();
	test_sigaction_args();
	test_handlers();
	test_registers_restored();
	test_ucontext_edits();
	test_exceptions();
	test_masks();
	test_eintr();
	test_stop_continue();
	test_sigchld();
	test_fork_exec(argc, argv);
	test_tkill();
	test_wait_masks();
	test_pgrp();
	test_tty();
	return ztest_summary();
}
