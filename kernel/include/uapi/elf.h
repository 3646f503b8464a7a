/*
 * uapi/elf.h - the parts of the ELF32 format that exec reads (System V
 * ABI, ELF chapter; i386 supplement).  Fields are the i386 ABI's sizes:
 * unsigned int is 32 bits, unsigned short 16.
 */
#ifndef ZC32_UAPI_ELF_H
#define ZC32_UAPI_ELF_H

#define ELF_MAGIC 0x464c457f          /* "\x7fELF" read as a little-endian word */
#define ET_EXEC   2                   /* e_type: an executable */
#define EM_386    3                   /* e_machine: i386 */
#define PT_LOAD   1                   /* p_type: a segment to map */
#define PF_X 1                        /* p_flags */
#define PF_W 2
#define PF_R 4

struct elf_header {
	unsigned int   magic;
	unsigned char  ident[12];
	unsigned short type, machine;
	unsigned int   version, entry, phoff, shoff, flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	unsigned int type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#endif
