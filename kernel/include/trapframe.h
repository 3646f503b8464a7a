/*
 * trapframe.h - the trap frame: what entry.S saves on the kernel stack when
 * the CPU enters the kernel (system call, exception or interrupt).
 * Lowest address first: pushal's registers, the segment registers, the
 * vector and error code, then what the CPU itself pushed.  A leaf, so the
 * page-fault handler (mm/fault.c) can read it without the trap layer.
 */
#ifndef ZC32_TRAPFRAME_H
#define ZC32_TRAPFRAME_H
#include "types.h"

struct trapframe {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;   /* pushal */
	uint32_t gs, fs, es, ds;
	uint32_t trapno, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;              /* only when coming from user mode */
};

static inline bool tf_from_user(const struct trapframe *tf) { return (tf->cs & 3) == 3; }

#endif
