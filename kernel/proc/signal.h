/*
 * signal.h - signals: sending (signal.c), delivery on the way back to user
 * mode and the signal frame (signal_frame.c), process groups and sessions
 * (pgrp.c).  docs/signals.md follows the path.
 *
 * A blocking wait (a pipe, the console, a socket, poll, wait4) checks
 * signal_pending(current) beside its condition and returns -ERESTARTSYS
 * (or -ERESTARTNOHAND); delivery turns that into EINTR or a restart.
 */
#ifndef ZC32_SIGNAL_H
#define ZC32_SIGNAL_H
#include "types.h"
#include "trapframe.h"
#include "uapi/signal.h"

struct proc;

/* sa_handler values as the kernel holds them (a user address) */
#define HANDLER_DFL ((uint32_t)SIG_DFL)
#define HANDLER_IGN ((uint32_t)SIG_IGN)

/* Where a signal came from, for siginfo (si_code, si_pid, si_addr). */
struct sig_origin {
	int code, pid;
	uint32_t addr;
};

bool signal_pending(struct proc *p);        /* a signal will interrupt p's sleep */
void signal_send(struct proc *p, int sig, int code, int from_pid);
int  signal_send_pgrp(int pgid, int sig, int code, int from_pid);   /* -1: kill(-1)'s; -ESRCH if empty */
bool signal_blocked_or_ignored(struct proc *p, int sig);
bool signal_catch_fault(int sig, int code, uint32_t addr);   /* to a handler? */
void signal_notify_parent(struct proc *child, int code, int status);
bool signal_parent_autoreaps(struct proc *child);
void signal_fork(struct proc *child, struct proc *parent);
void signal_exec(struct proc *p);
void signal_tick(void);                     /* the timer: alarms due */
int  signal_default_stops(int sig);
bool signal_is_fatal_default(struct proc *p, int sig);

/* signal_frame.c */
void signal_deliver(struct trapframe *tf);
bool signal_work_pending(struct trapframe *tf);

/* pgrp.c */
bool pgrp_exists(int pgid, int sid);

/* The system calls (their numbers are in trap/syscall.c's table). */
long sys_rt_sigaction(int sig, const struct kernel_sigaction *act, struct kernel_sigaction *old,
		      uint32_t sigsetsize);
long sys_sigaction(int sig, const struct old_sigaction *act, struct old_sigaction *old);
long sys_rt_sigprocmask(int how, const uint32_t *set, uint32_t *old, uint32_t sigsetsize);
long sys_sigprocmask(int how, const uint32_t *set, uint32_t *old);
long sys_rt_sigpending(uint32_t *set, uint32_t sigsetsize);
long sys_sigpending(uint32_t *set);
long sys_rt_sigsuspend(const uint32_t *mask, uint32_t sigsetsize);
long sys_pause(void);
long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_alarm(uint32_t secs);
long signal_mask_during_call(const void *umask, uint32_t sigsetsize);   /* pselect6, epoll_pwait */
long sys_setitimer(int which, const void *unew, void *uold);
long sys_getitimer(int which, void *uvalue);
long sys_sigreturn(void);
long sys_rt_sigreturn(void);
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);

#endif
