/*
 * uapi/wait.h - wait4() options and the status word (Linux
 * linux/wait.h; the encoding of bits/waitstatus.h).  A child that called
 * exit(n) has n in bits 8-15 and 0 in bits 0-6; a child killed by signal
 * s has s in bits 0-6 (bit 7 set if it dumped core, which zc32 never does).
 */
#ifndef ZC32_UAPI_WAIT_H
#define ZC32_UAPI_WAIT_H

#define WNOHANG    0x00000001   /* return 0 at once if no child has exited */
#define WUNTRACED  0x00000002
#define WCONTINUED 0x00000008
#define __WALL     0x40000000

#define W_EXITCODE(code, sig) (((code) & 0xff) << 8 | (sig))
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s)    ((s) & 0x7f)
#define WIFEXITED(s)   (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)  (((s) & 0xff) == 0x7f)
#define WCOREDUMP(s)   ((s) & 0x80)
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)   /* stopped by sig (WUNTRACED) */
#define W_CONTINUED    0xffff                 /* continued by SIGCONT (WCONTINUED) */
#define WSTOPSIG(s)    WEXITSTATUS(s)
#define WIFCONTINUED(s) ((s) == W_CONTINUED)

#endif
