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

#include <uapi/signal.h>    /* the numbers, shared with the kernel */

int kill(pid_t pid, int sig);

/* "SIGSEGV" for 11, or NULL for a number without a name. */
const char *signame(int sig);
/* Number for a name: "SEGV", "SIGSEGV" or "11"; -1 if unknown. */
int signum(const char *name);

#endif
