/*
 * fuzz_elf.c - libFuzzer harness for exec's ELF checks (kernel/proc/elf.h).
 *
 * The input is a whole program file.  The harness reads it the way
 * exec_common does (kernel/proc/exec.c: the ELF header, then each program
 * header at e_phoff + i * 32, a short read refusing the file), asks
 * elf_header_ok and elf_segment_ok, and for a file exec would accept
 * checks what the loader relies on for every PT_LOAD segment:
 *   - its file bytes [p_offset, p_offset + p_filesz) lie inside the file;
 *   - p_filesz <= p_memsz, and [p_vaddr, p_vaddr + p_memsz) lies in user
 *     space: from page 1, below the stack area, so below the kernel's
 *     half (0xC0000000, the 3G/1G split), without wrapping;
 *   - p_offset = p_vaddr modulo the page size when it has file bytes, so
 *     a page of the file maps onto a page of the segment.
 * (ELF: System V ABI, "Program Header"; i386 supplement.)
 */
#include "fuzz.h"
#include "proc/elf.h"

#define EXEC_REFUSES 0          /* what the harness returns where exec says ENOEXEC */

static void check_segment(const struct elf_phdr *ph, size_t file_size)
{
	uint64_t vend = (uint64_t)ph->vaddr + ph->memsz;
	CHECK((uint64_t)ph->offset + ph->filesz <= file_size,
	      "segment file bytes %#x+%#x past the end of a %zu-byte file", ph->offset, ph->filesz, file_size);
	CHECK(ph->filesz <= ph->memsz, "filesz %#x > memsz %#x", ph->filesz, ph->memsz);
	CHECK(ph->vaddr >= PAGE_SIZE, "segment at %#x, in page 0", ph->vaddr);
	CHECK(vend <= USER_STACK_TOP - USER_STACK_MAX && vend <= KERNEL_BASE,
	      "segment %#x+%#x reaches the stack or the kernel", ph->vaddr, ph->memsz);
	CHECK(ph->filesz == 0 || ph->offset % PAGE_SIZE == ph->vaddr % PAGE_SIZE,
	      "offset %#x and vaddr %#x differ within a page", ph->offset, ph->vaddr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_header eh;
	struct elf_phdr load[64];
	int nload = 0;
	if (size < sizeof eh)
		return EXEC_REFUSES;
	memcpy(&eh, data, sizeof eh);
	if (!elf_header_ok(&eh))
		return EXEC_REFUSES;
	CHECK(eh.phnum >= 1 && eh.phnum <= 64 && eh.phentsize == sizeof(struct elf_phdr),
	      "accepted %u program headers of %u bytes", eh.phnum, eh.phentsize);
	for (uint32_t i = 0; i < eh.phnum; i++) {
		uint32_t off = eh.phoff + i * (uint32_t)sizeof(struct elf_phdr);  /* i386 arithmetic, as exec's */
		struct elf_phdr ph;
		if ((uint64_t)off + sizeof ph > size)
			return EXEC_REFUSES;
		memcpy(&ph, data + off, sizeof ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (!elf_segment_ok(&ph, (uint32_t)size))
			return EXEC_REFUSES;
		load[nload++] = ph;
	}
	for (int i = 0; i < nload; i++)      /* no PT_LOAD: exec refuses, nothing to check */
		check_segment(&load[i], size);
	return 0;
}
