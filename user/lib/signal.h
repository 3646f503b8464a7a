/*
 * signal.h - signal numbers (Linux i386) and kill().
 *
 * zc32 delivers signals only by their default action (terminate); there
 * are no handlers.  The kernel kills a process that faults with the
 * matching signal: SIGSEGV, SIGILL, SIGFPE or SIGTRAP.
 */
#ifndef ZC_SIGNAL_H
#define ZC_SIGNAL_H

#include <types.h>

#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGILL   4    /* invalid opcode (ud2) */
#define SIGTRAP  5    /* breakpoint (int3) */
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8    /* divide error */
#define SIGKILL  9
#define SIGUSR1 10
#define SIGSEGV 11    /* page fault or general protection fault */
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define NSIG    65

int kill(pid_t pid, int sig);

/* "SIGSEGV" for 11, or NULL for a number without a name. */
const char *signame(int sig);
/* Number for a name: "SEGV", "SIGSEGV" or "11"; -1 if unknown. */
int signum(const char *name);

#endif
