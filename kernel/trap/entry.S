/*
 * entry.S - every way into the kernel, and the way back out.
 *
 * The CPU pushes ss, esp (from user mode only), eflags, cs, eip and, for
 * some exceptions, an error code, after switching to the kernel stack
 * named by the TSS.  Each vector stub pushes a dummy error code where the
 * CPU did not, then the vector number; alltraps saves the rest, making a
 * struct trapframe (trap/trap.h), and calls trap_dispatch(tf).
 * int 0x80 takes a shorter path straight to syscall_dispatch(tf).
 * Both return through trapret, which pops the frame and irets.
 *
 * The call into C is wrapped in DWARF call-frame information (CFI), so
 * GDB's `bt` goes on from trap_dispatch or syscall_dispatch through the
 * trap frame into the code that was interrupted: a user program's
 * int 0x80 or faulting instruction, or the kernel function an interrupt
 * arrived in.  See TRAPFRAME_CFI below and docs/gdb.md.
 */
#include "mmu.h"

/*
 * DWARF 5, section 6.4.2 (call frame instructions) and 2.5.1 (stack
 * operations): the few opcodes TRAPFRAME_CFI needs.
 */
#define DW_CFA_def_cfa_expression 0x0f
#define DW_CFA_expression         0x10
#define DW_OP_deref  0x06
#define DW_OP_and    0x1a
#define DW_OP_bra    0x28
#define DW_OP_skip   0x2f
#define DW_OP_lit3   0x33
#define DW_OP_breg4  0x74    /* esp + offset (i386 DWARF register 4) */

	.cfi_sections .debug_frame    /* beside the C code's (the linker drops .eh_frame) */

/* The interrupted code's register `reg` (i386 DWARF number) is saved at
 * esp + off, off < 64 (a one-byte SLEB128). */
.macro SAVED_AT reg, off
	.cfi_escape DW_CFA_expression, \reg, 2, DW_OP_breg4, \off
.endm

/*
 * Describe the frame of the code a trap interrupted, as seen at the
 * `call` into C, where esp points at the argument and the struct
 * trapframe starts at esp + 4: its eip at esp + 60, cs at esp + 64, esp
 * at esp + 72 (trapframe.h).  The interrupted code's stack pointer (the
 * CFA) is the saved esp when it came from user mode (cs & 3), else the
 * address where the CPU would have pushed it: esp + 72.  A signal frame
 * (the "S" augmentation): its return address is where the interrupted
 * code resumes, not a call site, and its stack may lie below ours.
 */
.macro TRAPFRAME_CFI
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_escape DW_CFA_def_cfa_expression, 16, \
		DW_OP_breg4, 0xc8, 0x00,             /* esp + 72 (SLEB128 two bytes) */ \
		DW_OP_breg4, 0xc0, 0x00, DW_OP_deref, /* the saved cs */ \
		DW_OP_lit3, DW_OP_and, DW_OP_bra, 3, 0, /* from user: go to the deref */ \
		DW_OP_skip, 1, 0,                     /* from the kernel: keep esp + 72 */ \
		DW_OP_deref
	SAVED_AT 8, 60       /* eip */
	SAVED_AT 0, 32       /* eax */
	SAVED_AT 1, 28       /* ecx */
	SAVED_AT 2, 24       /* edx */
	SAVED_AT 3, 20       /* ebx */
	SAVED_AT 5, 12       /* ebp */
	SAVED_AT 6, 8        /* esi */
	SAVED_AT 7, 4        /* edi */
.endm

/* Exceptions 8, 10-14, 17 and 21 push an error code (SDM Vol. 3A, 6.15);
 * for every other vector the stub pushes a dummy one. */
.macro VECTOR num
	.globl vector\num
vector\num:
	.if \num != 8 && (\num < 10 || \num > 14) && \num != 17 && \num != 21
	pushl $0
	.endif
	pushl $\num
	jmp alltraps
.endm

/* The kernel's data segments.  %fs and %gs are emptied (the null
 * selector): the kernel uses neither, and a program's TLS selector (%gs =
 * 0x33, GDT entry 6) left loaded would be saved in the frame of a kernel
 * thread interrupted later, then reloaded by trapret after a switch had
 * emptied entry 6 for that thread: a general-protection fault. */
.macro KERNEL_SEGMENTS
	movl $SEG_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
.endm

	.text
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
VECTOR \n
.endr
/* Hardware interrupts from the PICs, remapped to 32-47. */
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
VECTOR \n
.endr

	.globl alltraps
alltraps:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	KERNEL_SEGMENTS
	pushl %esp                  /* argument: struct trapframe * */
	TRAPFRAME_CFI
	call trap_dispatch
	addl $4, %esp
	.cfi_endproc
	.globl trapret
trapret:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp               /* vector number and error code */
	iret

/* int 0x80: the system-call gate (a DPL 3 trap gate, so interrupts stay on). */
	.globl vector128
vector128:
	pushl $0
	pushl $0x80
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	KERNEL_SEGMENTS
	pushl %esp
	TRAPFRAME_CFI
	call syscall_dispatch
	addl $4, %esp
	.cfi_endproc
	jmp trapret

/* The table idt_init() reads. */
	.section .rodata
	.globl trap_vectors
trap_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long vector\n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.long vector\n
	.endr
