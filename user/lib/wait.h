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

#include <uapi/wait.h>      /* options and status macros, shared with the kernel */

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, void *rusage);

#endif
