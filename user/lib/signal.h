/*
 * signal.h - signals: handlers (sigaction, signal), masks (sigprocmask),
 * waiting (sigsuspend, pause), sending (kill, raise, killpg) and names.
 *
 * A handler runs on the program's stack in a frame the kernel builds
 * (docs/signals.md); when it returns, the restorer in signal.c calls
 * sigreturn (119) or rt_sigreturn (173), and the program goes on where
 * the signal interrupted it.
 */
#ifndef ZC_SIGNAL_H
#define ZC_SIGNAL_H

#include <types.h>

#include <uapi/signal.h>    /* the numbers, flags and frame structures, shared with the kernel */

typedef unsigned long long sigset_t;    /* bit sig-1 for each signal, as the kernel's */
typedef struct siginfo siginfo_t;
typedef void (*sighandler_t)(int);

struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);   /* with SA_SIGINFO */
	};
	sigset_t sa_mask;        /* blocked while the handler runs */
	int sa_flags;            /* SA_RESTART, SA_SIGINFO, SA_NODEFER, ... */
	void (*sa_restorer)(void);   /* set by sigaction(); leave it 0 */
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);   /* with SA_RESTART, as glibc */
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int raise(int sig);

/* "SIGSEGV" for 11, or NULL for a number without a name. */
const char *signame(int sig);
/* Number for a name: "SEGV", "SIGSEGV" or "11"; -1 if unknown. */
int signum(const char *name);

#endif
