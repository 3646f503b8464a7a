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
 */
#include "mmu.h"

.macro VECTOR num, has_error
	.globl vector\num
vector\num:
	.if \has_error == 0
	pushl $0
	.endif
	pushl $\num
	jmp alltraps
.endm

	.text
/* Exceptions 8, 10-14, 17 and 21 push an error code (SDM Vol. 3A, 6.15). */
VECTOR 0, 0
VECTOR 1, 0
VECTOR 2, 0
VECTOR 3, 0
VECTOR 4, 0
VECTOR 5, 0
VECTOR 6, 0
VECTOR 7, 0
VECTOR 8, 1
VECTOR 9, 0
VECTOR 10, 1
VECTOR 11, 1
VECTOR 12, 1
VECTOR 13, 1
VECTOR 14, 1
VECTOR 15, 0
VECTOR 16, 0
VECTOR 17, 1
VECTOR 18, 0
VECTOR 19, 0
VECTOR 20, 0
VECTOR 21, 1
VECTOR 22, 0
VECTOR 23, 0
VECTOR 24, 0
VECTOR 25, 0
VECTOR 26, 0
VECTOR 27, 0
VECTOR 28, 0
VECTOR 29, 0
VECTOR 30, 0
VECTOR 31, 0
/* Hardware interrupts from the PICs, remapped to 32-47. */
VECTOR 32, 0
VECTOR 33, 0
VECTOR 34, 0
VECTOR 35, 0
VECTOR 36, 0
VECTOR 37, 0
VECTOR 38, 0
VECTOR 39, 0
VECTOR 40, 0
VECTOR 41, 0
VECTOR 42, 0
VECTOR 43, 0
VECTOR 44, 0
VECTOR 45, 0
VECTOR 46, 0
VECTOR 47, 0

	.globl alltraps
alltraps:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $SEG_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs              /* not the user's: its TLS descriptor may be */
	movl %eax, %gs              /* gone when a frame taken now is popped (gdt_set_tls) */
	pushl %esp                  /* argument: struct trapframe * */
	call trap_dispatch
	addl $4, %esp
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
	movl $SEG_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %fs              /* not the user's: its TLS descriptor may be */
	movl %eax, %gs              /* gone when a frame taken now is popped (gdt_set_tls) */
	pushl %esp
	call syscall_dispatch
	addl $4, %esp
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
