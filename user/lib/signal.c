/*
 * signal.c - handlers and masks (the libc side of rt_sigaction and
 * rt_sigprocmask), and names of signals for messages like "killed by
 * SIGSEGV".
 */
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <ctype.h>
#include <unistd.h>
#include <syscall.h>
#include <fcntl.h>
#include <errno.h>

#define SIGSET_BYTES 8

/* The restorers: a handler returns here, and the kernel puts the
 * interrupted registers back.  The plain frame's restorer pops the signal
 * number first, as the kernel expects (it finds the frame at esp - 8). */
void __zc_restore(void);
void __zc_restore_rt(void);
__asm__(".text\n"
	"__zc_restore:\n\tpopl %eax\n\tmovl $119, %eax\n\tint $0x80\n"
	"__zc_restore_rt:\n\tmovl $173, %eax\n\tint $0x80\n");

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct kernel_sigaction k, ko;
	long r;

	if (act) {
		k.handler = (unsigned int)act->sa_handler;
		k.flags = act->sa_flags | SA_RESTORER;
		k.restorer = (unsigned int)((act->sa_flags & SA_SIGINFO) ? __zc_restore_rt : __zc_restore);
		k.mask[0] = (unsigned int)act->sa_mask;
		k.mask[1] = (unsigned int)(act->sa_mask >> 32);
	}
	r = usys_rt_sigaction(sig, act ? &k : NULL, old ? &ko : NULL, SIGSET_BYTES);
	if (r == 0 && old) {
		memset(old, 0, sizeof *old);
		old->sa_handler = (void (*)(int))ko.handler;
		old->sa_flags = ko.flags;
		old->sa_restorer = (void (*)(void))ko.restorer;
		old->sa_mask = (sigset_t)ko.mask[1] << 32 | ko.mask[0];
	}
	return (int)__sysret(r);
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)__sysret(usys_rt_sigprocmask(how, set, old, SIGSET_BYTES));
}

int sigpending(sigset_t *set)
{
	return (int)__sysret(usys_rt_sigpending(set, SIGSET_BYTES));
}

int sigsuspend(const sigset_t *mask)
{
	return (int)__sysret(usys_rt_sigsuspend(mask, SIGSET_BYTES));
}

int pause(void)
{
	return (int)__sysret(usys_pause());
}

unsigned int alarm(unsigned int seconds)
{
	return (unsigned int)usys_alarm(seconds);
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = ~0ull; return 0; }

static int bad_signal(int sig)
{
	if (sig > 0 && sig < NSIG)
		return 0;
	errno = EINVAL;
	return -1;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	*set |= SIGBIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	*set &= ~SIGBIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig))
		return -1;
	return (*set & SIGBIT(sig)) != 0;
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp <= 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

/* ---- process groups, sessions, the terminal's foreground group ---- */

int setpgid(pid_t pid, pid_t pgid) { return (int)__sysret(usys_setpgid(pid, pgid)); }
pid_t getpgid(pid_t pid) { return (pid_t)__sysret(usys_getpgid(pid)); }
pid_t getpgrp(void) { return (pid_t)usys_getpgrp(); }
pid_t setsid(void) { return (pid_t)__sysret(usys_setsid()); }
pid_t getsid(pid_t pid) { return (pid_t)__sysret(usys_getsid(pid)); }

pid_t tcgetpgrp(int fd)
{
	int pgrp;
	long r = usys_ioctl(fd, TIOCGPGRP, &pgrp);

	return r < 0 ? (pid_t)__sysret(r) : pgrp;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	return (int)__sysret(usys_ioctl(fd, TIOCSPGRP, &pgrp));
}

static const char *const names[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
	[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
};

static const char *const texts[] = {
	[SIGHUP] = "Hangup", [SIGINT] = "Interrupt", [SIGQUIT] = "Quit",
	[SIGILL] = "Illegal instruction", [SIGTRAP] = "Trace/breakpoint trap",
	[SIGABRT] = "Aborted", [SIGBUS] = "Bus error",
	[SIGFPE] = "Floating point exception", [SIGKILL] = "Killed",
	[SIGUSR1] = "User defined signal 1", [SIGSEGV] = "Segmentation fault",
	[SIGUSR2] = "User defined signal 2", [SIGPIPE] = "Broken pipe",
	[SIGALRM] = "Alarm clock", [SIGTERM] = "Terminated",
	[SIGCHLD] = "Child exited", [SIGCONT] = "Continued", [SIGSTOP] = "Stopped (signal)",
	[SIGTSTP] = "Stopped", [SIGTTIN] = "Stopped (tty input)", [SIGTTOU] = "Stopped (tty output)",
	[SIGWINCH] = "Window changed",
};

#define NNAMES ((int)(sizeof names / sizeof names[0]))

const char *signame(int sig)
{
	return sig > 0 && sig < NNAMES ? names[sig] : NULL;
}

const char *strsignal(int sig)
{
	return sig > 0 && sig < NNAMES && texts[sig] ? texts[sig] : "Unknown signal";
}

int signum(const char *name)
{
	int i;

	if (isdigit(*name)) {
		i = atoi(name);
		return i > 0 && i < NSIG ? i : -1;
	}
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 1; i < NNAMES; i++)
		if (names[i] && strcmp(names[i] + 3, name) == 0)
			return i;
	return -1;
}
