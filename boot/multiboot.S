/*
 * multiboot.S - the first instructions of zc32.
 *
 * GRUB or QEMU's -kernel loader finds the Multiboot 1 header below, loads
 * the kernel at physical 1 MiB and jumps to _start in 32-bit protected
 * mode with paging off, eax = 0x2BADB002 and ebx = the multiboot info.
 * We build a temporary page directory that maps the first 16 MiB twice
 * (at 0 so the next instruction still works, and at 0xC0000000 where the
 * kernel is linked), turn paging on, jump to the higher half and call
 * kmain().  kernel/mm/vm.c replaces these tables with the real ones.
 * Reference: Multiboot Specification 0.6.96, section 3.1.
 */
#include "mmu.h"

#define MB_MAGIC   0x1BADB002
#define MB_FLAGS   0x00000003       /* align modules on pages, give memory map */
#define BOOT_PTS   4                /* 4 page tables x 4 MiB = 16 MiB */

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.globl _start
_start:
	cli
	movl %eax, %esi                 /* keep magic and info pointer */
	movl %ebx, %edi

	/* Fill the boot page tables: entry i maps physical page i. */
	movl $V2P_boot_pt, %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	orl  $(PTE_P | PTE_W), %eax
	movl %eax, (%ebx, %ecx, 4)
	incl %ecx
	cmpl $(BOOT_PTS * 1024), %ecx
	jne 1b

	/* Point PDEs 0..3 and 768..771 at them. */
	movl $V2P_boot_pd, %edx
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $12, %eax
	addl $V2P_boot_pt, %eax
	orl  $(PTE_P | PTE_W), %eax
	movl %eax, (%edx, %ecx, 4)
	movl %eax, (768 * 4)(%edx, %ecx, 4)
	incl %ecx
	cmpl $BOOT_PTS, %ecx
	jne 2b

	movl %edx, %cr3
	movl %cr0, %eax
	orl  $(CR0_PG | CR0_WP | CR0_AM), %eax
	movl %eax, %cr0

	movl $higher_half, %eax         /* an absolute jump into 0xC0xxxxxx */
	jmp *%eax

	.text
higher_half:
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp                 /* backtraces stop here */
	pushl %edi                      /* multiboot info (physical) */
	pushl %esi                      /* magic */
	call kmain
3:	cli
	hlt
	jmp 3b

	.bss
	.align 4096
	.globl boot_pd
boot_pd:
	.space 4096
boot_pt:
	.space 4096 * BOOT_PTS
	.globl boot_stack, boot_stack_top
boot_stack:
	.space 16384
boot_stack_top:

	.set V2P_boot_pd, boot_pd - KERNEL_BASE
	.set V2P_boot_pt, boot_pt - KERNEL_BASE
