/*
 * signal.c - sending signals, and the system calls that set a process's
 * signal state: its handlers (rt_sigaction), its blocked mask
 * (rt_sigprocmask), what is pending (rt_sigpending), waiting for a signal
 * (rt_sigsuspend, pause), kill/tkill/tgkill and alarm.
 *
 * Sending sets a bit in the target's pending set and wakes it if it
 * sleeps; delivery happens later, on the target's way back to user mode
 * (signal_frame.c).  Two shortcuts follow Linux (kernel/signal.c):
 *   - a signal that would be ignored is dropped at once, unless blocked;
 *   - a signal whose action is to terminate (SIGKILL, or a default action
 *     of "terminate" and not blocked) marks the process killed, so the
 *     kernel's long loops (reclaim, big copies) stop at once.
 * SIGCONT and SIGKILL continue a stopped process when they are sent.
 * Every change to signal state runs with interrupts off: the console's
 * Ctrl-C and the timer's alarms send from interrupt handlers.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "mm/uaccess.h"
#include "uapi/time.h"

#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define SIGSET_SIZE 8                   /* Linux's sigset_t on i386: 64 bits */

enum { SD_TERM, SD_IGN, SD_STOP, SD_CONT };

/* The default action of each signal (man 7 signal); "core" terminates
 * too (zc32 writes no core files), and so do the real-time signals. */
static int default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SD_IGN;
	case SIGCONT:
		return SD_CONT;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SD_STOP;
	default:
		return SD_TERM;
	}
}

int signal_default_stops(int sig)
{
	return default_action(sig) == SD_STOP;
}

/* Would delivery throw sig away?  init (pid 1) gets only the signals it
 * has handlers for, as Linux's init does. */
static bool ignored(struct proc *p, int sig)
{
	uint32_t h = p->sig_action[sig].handler;
	if (h == HANDLER_IGN)
		return sig != SIGKILL && sig != SIGSTOP;
	if (h != HANDLER_DFL)
		return false;
	int d = default_action(sig);
	return p->pid == 1 || d == SD_IGN || d == SD_CONT;
}

bool signal_blocked_or_ignored(struct proc *p, int sig)
{
	return (p->sig_blocked & SIGBIT(sig)) || ignored(p, sig);
}

/* The default action kills p (and nothing blocks it). */
bool signal_is_fatal_default(struct proc *p, int sig)
{
	if (p->sig_blocked & SIGBIT(sig))
		return false;
	if (sig == SIGKILL)
		return p->pid != 1;
	return p->sig_action[sig].handler == HANDLER_DFL && default_action(sig) == SD_TERM &&
	       p->pid != 1;
}

bool signal_pending(struct proc *p)
{
	return p && (p->killed || (p->sig_pending & ~p->sig_blocked));
}

/* A stopped process runs again (SIGCONT, or SIGKILL to let it die). */
static void continue_stopped(struct proc *p, bool report)
{
	p->state = P_RUNNABLE;
	if (report) {
		p->report_stop = false;
		p->report_cont = true;
		signal_notify_parent(p, CLD_CONTINUED, SIGCONT);
	}
}

void signal_send(struct proc *p, int sig, int code, int from_pid)
{
	if (sig <= 0 || sig >= NSIG || p->kthread || p->state == P_UNUSED ||
	    p->state == P_ZOMBIE || p->state == P_EMBRYO)
		return;
	uint64_t bit = SIGBIT(sig);
	uint32_t f = irq_save();
	if (sig == SIGCONT || sig == SIGKILL) {
		p->sig_pending &= ~STOP_SIGNALS;
		if (p->state == P_STOPPED && !(sig == SIGKILL && p->pid == 1))
			continue_stopped(p, sig == SIGCONT);
	} else if (bit & STOP_SIGNALS) {
		p->sig_pending &= ~SIGBIT(SIGCONT);
	}
	if (ignored(p, sig) && !(p->sig_blocked & bit))
		goto out;
	p->sig_pending |= bit;
	p->sig_info[sig] = (struct siginfo_short){ code, from_pid, 0 };
	if (p->sig_blocked & bit)
		goto out;
	if (signal_is_fatal_default(p, sig) && !p->killed)
		p->killed = sig;
	if (p->state == P_SLEEPING || (p->state == P_STOPPED && p->killed))
		p->state = P_RUNNABLE;          /* its sleep loop sees signal_pending; a fatal
						 * signal ends a stop too (Linux's TASK_WAKEKILL) */
out:
	irq_restore(f);
}

/* Every process of group pgid, or for pgid -1 (kill(-1)) every process
 * but init and the caller; -ESRCH if there is none. */
int signal_send_pgrp(int pgid, int sig, int code, int from_pid)
{
	int found = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[i];
		if (p->state == P_UNUSED || p->state == P_ZOMBIE || p->kthread)
			continue;
		if (pgid == -1 ? p->pid == 1 || p == current : p->pgid != pgid)
			continue;
		found++;
		signal_send(p, sig, code, from_pid);
	}
	return found ? 0 : -ESRCH;
}

/* A CPU exception in user mode: if the program has a handler for sig
 * that is not blocked, queue the signal for it and say so.  Otherwise the
 * caller kills the process (Linux's force_sig: a blocked or ignored fault
 * signal kills). */
bool signal_catch_fault(int sig, int code, uint32_t addr)
{
	struct proc *p = current;
	uint32_t h = p->sig_action[sig].handler;
	if (h == HANDLER_DFL || h == HANDLER_IGN || (p->sig_blocked & SIGBIT(sig)))
		return false;
	uint32_t f = irq_save();
	p->sig_pending |= SIGBIT(sig);
	p->sig_info[sig] = (struct siginfo_short){ code, 0, addr };
	irq_restore(f);
	return true;
}

/* A child stopped, continued or exited: SIGCHLD to its parent (unless
 * SA_NOCLDSTOP says not for stops) and a wakeup for the parent's wait4. */
void signal_notify_parent(struct proc *child, int code, int status)
{
	struct proc *parent = child->parent;
	if (!parent)
		return;
	bool stop_or_cont = code == CLD_STOPPED || code == CLD_CONTINUED;
	if (!(stop_or_cont && (parent->sig_action[SIGCHLD].flags & SA_NOCLDSTOP))) {
		signal_send(parent, SIGCHLD, code, child->pid);
	}
	wakeup(parent);
}

/* A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) leaves no zombies:
 * the kernel reaps its children (Linux's exit_notify). */
bool signal_parent_autoreaps(struct proc *child)
{
	struct proc *parent = child->parent;
	if (!parent)
		return false;
	struct kernel_sigaction *ka = &parent->sig_action[SIGCHLD];
	return ka->handler == HANDLER_IGN || (ka->flags & SA_NOCLDWAIT);
}

/* fork: the child has the parent's handlers and mask, nothing pending,
 * no alarm; it is in the parent's process group and session. */
void signal_fork(struct proc *child, struct proc *parent)
{
	memcpy(child->sig_action, parent->sig_action, sizeof child->sig_action);
	child->sig_blocked = parent->sig_blocked;
	child->sig_pending = 0;
	child->alarm_at = 0;
	child->alarm_every = 0;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
}

/* execve: handlers point into the old program, so they go back to
 * HANDLER_DFL; ignored signals stay ignored; the mask and pending set stay. */
void signal_exec(struct proc *p)
{
	for (int sig = 1; sig < NSIG; sig++) {
		struct kernel_sigaction *ka = &p->sig_action[sig];
		if (ka->handler != HANDLER_IGN)
			memset(ka, 0, sizeof *ka);
	}
	p->did_exec = true;
}

/* ---- system calls ---- */

static uint64_t mask_of(const uint32_t w[2])
{
	return ((uint64_t)w[1] << 32 | w[0]) & ~UNBLOCKABLE;
}

/* Install act for sig.  Setting a pending signal to be ignored discards
 * it, blocked or not (POSIX). */
static void set_action(int sig, const struct kernel_sigaction *act)
{
	struct proc *p = current;
	uint32_t f = irq_save();
	p->sig_action[sig] = *act;
	p->sig_action[sig].mask[0] = (uint32_t)mask_of(act->mask);
	p->sig_action[sig].mask[1] = (uint32_t)(mask_of(act->mask) >> 32);
	if (ignored(p, sig))
		p->sig_pending &= ~SIGBIT(sig);
	irq_restore(f);
}

long sys_rt_sigaction(int sig, const struct kernel_sigaction *uact,
		      struct kernel_sigaction *uold, uint32_t sigsetsize)
{
	struct kernel_sigaction act, old;
	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (uact && get_user_arg(&act, uact, sizeof act) < 0)
		return -EFAULT;
	if (sig < 1 || sig >= NSIG || (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	old = current->sig_action[sig];
	if (uact)
		set_action(sig, &act);
	if (uold && put_user_arg(uold, &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

/* sigaction (67): the same with struct old_sigaction and a 32-bit mask. */
long sys_sigaction(int sig, const struct old_sigaction *uact, struct old_sigaction *uold)
{
	struct old_sigaction oact;
	struct kernel_sigaction act;
	if (uact) {
		if (get_user_arg(&oact, uact, sizeof oact) < 0)
			return -EFAULT;
		act = (struct kernel_sigaction){ oact.handler, oact.flags, oact.restorer,
						 { oact.mask, 0 } };
	}
	if (sig < 1 || sig >= NSIG || (uact && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	struct kernel_sigaction *cur = &current->sig_action[sig];
	struct old_sigaction old = { cur->handler, cur->mask[0], cur->flags, cur->restorer };
	if (uact)
		set_action(sig, &act);
	if (uold && put_user_arg(uold, &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

/* The blocked mask after how: SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK. */
static int change_mask(int how, uint64_t set, uint64_t keep)
{
	struct proc *p = current;
	uint64_t m = p->sig_blocked;
	switch (how) {
	case SIG_BLOCK:   m |= set; break;
	case SIG_UNBLOCK: m &= ~set; break;
	case SIG_SETMASK: m = set | (m & keep); break;
	default: return -EINVAL;
	}
	uint32_t f = irq_save();
	p->sig_blocked = m & ~UNBLOCKABLE;
	irq_restore(f);
	return 0;
}

/* rt_sigprocmask with a mask of nbytes: 8, or sigprocmask's 4 (signals
 * 1-32 only; the others keep their bits). */
static long sigprocmask_common(int how, const uint32_t *uset, uint32_t *uold, uint32_t nbytes)
{
	uint32_t w[2] = { 0, 0 };
	uint32_t old[2] = { (uint32_t)current->sig_blocked, (uint32_t)(current->sig_blocked >> 32) };
	if (uset) {
		if (get_user_arg(w, uset, nbytes) < 0)
			return -EFAULT;
		int r = change_mask(how, mask_of(w), nbytes == 4 ? 0xffffffff00000000ull : 0);
		if (r < 0)
			return r;
	}
	if (uold && put_user_arg(uold, old, nbytes) < 0)
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const uint32_t *uset, uint32_t *uold, uint32_t sigsetsize)
{
	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	return sigprocmask_common(how, uset, uold, SIGSET_SIZE);
}

long sys_sigprocmask(int how, const uint32_t *uset, uint32_t *uold)
{
	return sigprocmask_common(how, uset, uold, 4);
}

long sys_rt_sigpending(uint32_t *uset, uint32_t sigsetsize)
{
	if (sigsetsize > SIGSET_SIZE)
		return -EINVAL;
	uint64_t s = current->sig_pending & current->sig_blocked;
	uint32_t w[2] = { (uint32_t)s, (uint32_t)(s >> 32) };
	return put_user_arg(uset, w, sigsetsize) < 0 ? -EFAULT : 0;
}

long sys_sigpending(uint32_t *uset)
{
	return sys_rt_sigpending(uset, 4);
}

/* Sleep until a signal that is not blocked arrives. */
static void wait_for_signal(void)
{
	uint32_t f = irq_save();
	while (!signal_pending(current))
		sleep_on(&current->sig_pending);
	irq_restore(f);
}

/* Block the user's sigset umask (sigsetsize bytes) until this system call
 * returns to user mode: rt_sigsuspend, pselect6 and epoll_pwait wait with
 * it.  The way back to user mode puts the old mask back, or a handler's
 * frame carries it and sigreturn does (signal_frame.c). */
long signal_mask_during_call(const void *umask, uint32_t sigsetsize)
{
	uint32_t w[2];
	if (sigsetsize != SIGSET_SIZE)
		return -EINVAL;
	if (get_user_arg(w, umask, sizeof w) < 0)
		return -EFAULT;
	struct proc *p = current;
	uint32_t f = irq_save();              /* the timer and the console read the mask */
	if (!p->sig_restore_mask)
		p->sig_saved_mask = p->sig_blocked;
	p->sig_restore_mask = true;
	p->sig_blocked = mask_of(w);
	irq_restore(f);
	return 0;
}

/* rt_sigsuspend: wait with a temporary mask. */
long sys_rt_sigsuspend(const uint32_t *umask, uint32_t sigsetsize)
{
	long r = signal_mask_during_call(umask, sigsetsize);
	if (r < 0)
		return r;
	wait_for_signal();
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	wait_for_signal();
	return -ERESTARTNOHAND;
}

/* kill(2): pid > 0 one process; 0 the caller's process group; -1 every
 * process but init and the caller; < -1 the group -pid. */
long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	int me = current->pid;
	if (pid > 0) {
		struct proc *p = proc_find(pid);
		if (!p || p->state == P_ZOMBIE || p->kthread)
			return -ESRCH;
		signal_send(p, sig, SI_USER, me);
		return 0;
	}
	return signal_send_pgrp(pid == 0 ? current->pgid : pid == -1 ? -1 : -pid, sig, SI_USER, me);
}

/* tkill and tgkill: zc32's processes have one thread, whose id is the pid. */
long sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig >= NSIG)
		return -EINVAL;
	struct proc *p = proc_find(tid);
	if (!p || p->state == P_ZOMBIE || p->kthread || p->pid != tgid)
		return -ESRCH;
	signal_send(p, sig, SI_TKILL, current->pid);
	return 0;
}

long sys_tkill(int tid, int sig)
{
	return sys_tgkill(tid, tid, sig);
}

/* ---- alarm ---- */

static uint64_t next_alarm = ~0ull;     /* the earliest alarm_at of all */

/* Arm (or with 0 disarm) the caller's alarm: SIGALRM in `in` ticks, then
 * every `every` ticks.  Interrupts off. */
static void arm_alarm(struct proc *p, uint64_t in, uint64_t every)
{
	p->alarm_at = in ? ticks + in : 0;
	p->alarm_every = in ? every : 0;
	if (p->alarm_at && p->alarm_at < next_alarm)
		next_alarm = p->alarm_at;
}

static uint64_t alarm_left(const struct proc *p)
{
	return p->alarm_at > ticks ? p->alarm_at - ticks : 0;
}

/* alarm(2): SIGALRM in secs seconds (0 cancels).  Returns the seconds
 * left of the previous alarm, rounded, and at least 1 if there was one.
 * As on Linux, it is setitimer(ITIMER_REAL) without an interval. */
long sys_alarm(uint32_t secs)
{
	struct proc *p = current;
	uint32_t f = irq_save();
	long left = 0;
	if (p->alarm_at)
		left = MAX(1, (long)((alarm_left(p) + timer_hz / 2) / timer_hz));
	secs = MIN(secs, 0x7fffffffu / timer_hz);
	arm_alarm(p, (uint64_t)secs * timer_hz, 0);
	irq_restore(f);
	return left;
}

/* setitimer(2)/getitimer(2), the real-time timer only (ITIMER_REAL, what
 * glibc's alarm() and busybox's ping use); the CPU-time timers
 * (ITIMER_VIRTUAL, ITIMER_PROF) are EINVAL: zc32 has no per-process CPU
 * clock to run them on. */
/* A timeval as timer ticks, rounded up: a timer never fires early. */
static int timeval_to_ticks(const struct timeval *tv, uint64_t *out)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= (long)USEC_PER_SEC)
		return -EINVAL;
	uint64_t us = (uint64_t)tv->tv_sec * USEC_PER_SEC + tv->tv_usec;
	*out = (us * timer_hz + USEC_PER_SEC - 1) / USEC_PER_SEC;
	return 0;
}

static void ticks_to_timeval(uint64_t t, struct timeval *tv)
{
	uint64_t us = t * USEC_PER_SEC / timer_hz;
	tv->tv_sec = us / USEC_PER_SEC;
	tv->tv_usec = us % USEC_PER_SEC;
}

static void current_itimer(struct itimerval *v)
{
	ticks_to_timeval(current->alarm_every, &v->it_interval);
	ticks_to_timeval(alarm_left(current), &v->it_value);
}

long sys_getitimer(int which, void *uvalue)
{
	struct itimerval v;
	if (which != ITIMER_REAL)
		return -EINVAL;
	uint32_t f = irq_save();
	current_itimer(&v);
	irq_restore(f);
	return put_user_arg(uvalue, &v, sizeof v);
}

/* A NULL new value disarms, as Linux has always accepted. */
long sys_setitimer(int which, const void *unew, void *uold)
{
	struct itimerval nv = { { 0, 0 }, { 0, 0 } }, ov;
	uint64_t in, every;
	if (which != ITIMER_REAL)
		return -EINVAL;
	if (unew && get_user_arg(&nv, unew, sizeof nv) < 0)
		return -EFAULT;
	int r = timeval_to_ticks(&nv.it_value, &in);
	if (r == 0)
		r = timeval_to_ticks(&nv.it_interval, &every);
	if (r < 0)
		return r;
	uint32_t f = irq_save();
	current_itimer(&ov);
	arm_alarm(current, in, every);
	irq_restore(f);
	return uold ? put_user_arg(uold, &ov, sizeof ov) : 0;
}

/* The timer interrupt: SIGALRM to every process whose alarm is due. */
void signal_tick(void)
{
	if (ticks < next_alarm)
		return;
	next_alarm = ~0ull;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[i];
		if (!p->alarm_at || p->state == P_UNUSED)
			continue;
		if (p->alarm_at <= ticks) {
			p->alarm_at = p->alarm_every ? ticks + p->alarm_every : 0;
			signal_send(p, SIGALRM, SI_KERNEL, 0);
		}
		if (p->alarm_at && p->alarm_at < next_alarm) {
			next_alarm = p->alarm_at;
		}
	}
}
