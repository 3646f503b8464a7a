/*
 * uapi/signal.h - signal numbers (Linux i386: asm/signal.h).  Shared by
 * the kernel and user/lib.  zc32 delivers signals only by their default
 * action; the kernel kills a faulting process with the matching one.
 */
#ifndef ZC32_UAPI_SIGNAL_H
#define ZC32_UAPI_SIGNAL_H

#define SIGHUP    1
#define SIGINT    2
#define SIGQUIT   3
#define SIGILL    4    /* invalid opcode (ud2) */
#define SIGTRAP   5    /* breakpoint (int3) */
#define SIGABRT   6
#define SIGBUS    7    /* a mapped file page past the file's end */
#define SIGFPE    8    /* divide error */
#define SIGKILL   9
#define SIGUSR1  10
#define SIGSEGV  11    /* page fault or general protection fault */
#define SIGUSR2  12
#define SIGPIPE  13
#define SIGALRM  14
#define SIGTERM  15
#define SIGCHLD  17
#define SIGCONT  18
#define SIGSTOP  19
#define SIGURG   23
#define SIGWINCH 28
#define NSIG     65

#endif
