/*
 * elf.h - what exec checks in an ELF32 file's headers before it trusts
 * them (System V ABI, ELF chapter; i386 supplement).  Pure functions of
 * the headers: tools/fuzz/fuzz_elf.c runs this same code on the host.
 */
#ifndef ZC32_PROC_ELF_H
#define ZC32_PROC_ELF_H
#include "types.h"
#include "mmu.h"
#include "uapi/elf.h"

/* An i386 executable (ELF header, "e_ident" to "e_phnum") with a
 * program-header table of sane size. */
static inline bool elf_header_ok(const struct elf_header *eh)
{
	return eh->magic == ELF_MAGIC && eh->ident[0] == 1 /* 32-bit */ && eh->type == ET_EXEC &&
	       eh->machine == EM_386 && eh->phentsize == sizeof(struct elf_phdr) &&
	       eh->phnum != 0 && eh->phnum <= 64;
}

/* A PT_LOAD segment exec can map from a file of file_size bytes: its
 * file part inside the file and no bigger than its memory, which lies in
 * user space between page 1 and the stack.  (Past the file's end, a
 * ramdisk's short read refused the program, a disk's page faults killed
 * it later with SIGBUS: now both refuse it.) */
static inline bool elf_segment_ok(const struct elf_phdr *ph, uint32_t file_size)
{
	if (ph->filesz > ph->memsz || ph->offset + ph->filesz < ph->offset || ph->offset + ph->filesz > file_size ||
	    ph->vaddr + ph->memsz < ph->vaddr || ph->vaddr < PAGE_SIZE ||
	    ph->vaddr + ph->memsz > USER_STACK_TOP - USER_STACK_MAX)
		return false;
	/* File pages are mapped at whole pages: a segment's file bytes must
	 * sit at the same offset within a page as its addresses (Linux
	 * refuses the mapping too). */
	return !ph->filesz || (ph->offset - ph->vaddr) % PAGE_SIZE == 0;
}

#endif
