/* elf.h - the parts of the ELF32 format exec needs.
 * Reference: System V ABI, ELF chapter; i386 supplement. */
#ifndef ZC32_ELF_H
#define ZC32_ELF_H
#include "types.h"

#define ELF_MAGIC 0x464c457f          /* "\x7fELF" */
#define ET_EXEC   2
#define EM_386    3
#define PT_LOAD   1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf_header {
	uint32_t magic;
	uint8_t  ident[12];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

/* Auxiliary vector types (System V i386 ABI, 3-29; Linux <elf.h>). */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

#endif
