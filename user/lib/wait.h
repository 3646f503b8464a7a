/*
 * wait.h - waiting for children, and decoding their status.
 *
 * The status word is Linux's: a child that called exit(n) has n in bits
 * 8-15 and 0 in bits 0-6; a child killed by signal s has s in bits 0-6
 * (bit 7 set if it dumped core, which zc32 never does).
 */
#ifndef ZC_WAIT_H
#define ZC_WAIT_H

#include <types.h>

#define WNOHANG   1   /* return 0 at once if no child has exited */
#define WUNTRACED 2

#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s)    ((s) & 0x7f)
#define WIFEXITED(s)   (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WIFSTOPPED(s)  (((s) & 0xff) == 0x7f)
#define WCOREDUMP(s)   ((s) & 0x80)

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, void *rusage);

#endif
