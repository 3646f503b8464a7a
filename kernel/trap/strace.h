/* strace.h - the strace switch (strace=1 or strace=NAME on the kernel
 * command line): one console line per system call of the chosen
 * processes, written by syscall_dispatch through these two calls. */
#ifndef ZC32_STRACE_H
#define ZC32_STRACE_H
#include "types.h"
#include "trapframe.h"

/* What strace_enter noted before the call, for the line strace_exit
 * prints after it (the arguments must be read first: execve replaces
 * the memory they point into, and exit never returns). */
struct strace_call {
	int pid;
	char comm[16];
	const char *name;          /* from the dispatch table; NULL: not implemented */
	uint32_t num;
	char args[160];
};

bool strace_wanted(void);      /* is the current process traced? */
void strace_enter(struct strace_call *c, uint32_t num, const char *name,
		  const struct trapframe *tf);
void strace_exit(const struct strace_call *c, long result);

#endif
