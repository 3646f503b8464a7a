/*
 * mmu.h - i386 paging and segmentation constants, and zc32's memory layout.
 *
 * Virtual layout (the 3G/1G split, docs/address-spaces.md):
 *   0x00000000 - 0x00000fff  never mapped (null pointers fault)
 *   0x08048000 - ...         program text/data, then the heap (brk)
 *   ... - 0xbfffffff         user stack, growing down from USER_TOP
 *   0xc0000000 - 0xefffffff  all physical RAM, direct-mapped (up to 768 MiB)
 *   0xf0000000 - 0xf3ffffff  device registers (MMIO) mapped by ioremap(); also
 *                            ACPI tables beyond the direct map (acpi.c)
 * Reference: Intel SDM Vol. 3A, chapter 4 (paging), 3.4.5 (descriptors).
 */
#ifndef ZC32_MMU_H
#define ZC32_MMU_H

#define PAGE_SIZE       4096
#define PAGE_SHIFT      12
#define KERNEL_BASE     0xC0000000
#define USER_TOP        0xC0000000
#define DIRECT_MAP_MAX  0x30000000          /* 768 MiB of RAM at most */
#define IOREMAP_BASE    0xF0000000
#define IOREMAP_SIZE    0x04000000          /* 64 MiB */

#define USER_STACK_TOP  USER_TOP
#define USER_STACK_MAX  (8 << 20)           /* the stack may grow to 8 MiB */

#ifndef __ASSEMBLER__
#define P2V(pa) ((void *)((uint32_t)(pa) + KERNEL_BASE))
#define V2P(va) ((uint32_t)(va) - KERNEL_BASE)
extern char kernel_start[], kernel_end[];   /* the kernel image's bounds (boot/linker.ld) */
#endif

/* Page directory / table entry bits (SDM Vol. 3A, 4.3, tables 4-5 and 4-6). */
#define PTE_P    0x001   /* present */
#define PTE_W    0x002   /* writable */
#define PTE_U    0x004   /* user-accessible */
#define PTE_PWT  0x008
#define PTE_PCD  0x010   /* cache disable (device memory) */
#define PTE_A    0x020   /* accessed: set by the CPU on any access */
#define PTE_D    0x040   /* dirty: set by the CPU on a write */
#define PTE_PS   0x080   /* 4 MiB page (in a PDE) */
#define PTE_G    0x100   /* global */
#define PTE_COW  0x200   /* software bit: copy-on-write page */
#define PTE_SWAP 0x400   /* software bit (in a non-present PTE): slot in swap */

#define PDX(va)  (((uint32_t)(va) >> 22) & 0x3ff)
#define PTX(va)  (((uint32_t)(va) >> 12) & 0x3ff)
#define PTE_ADDR(pte) ((uint32_t)(pte) & ~0xfffu)

/* Control register bits (SDM Vol. 3A, 2.5). */
#define CR0_PE  0x00000001
#define CR0_MP  0x00000002
#define CR0_EM  0x00000004
#define CR0_TS  0x00000008
#define CR0_NE  0x00000020
#define CR0_WP  0x00010000   /* the kernel too faults on read-only pages (copy-on-write) */
#define CR0_AM  0x00040000   /* EFLAGS.AC turns on alignment checks in ring 3 (#AC), as on Linux */
#define CR0_PG  0x80000000
#define CR4_PSE        0x00000010
#define CR4_PGE        0x00000080
#define CR4_OSFXSR     0x00000200
#define CR4_OSXMMEXCPT 0x00000400
#define CR4_SMEP       0x00100000
#define CR4_SMAP       0x00200000

/* Segment selectors (index << 3 | RPL); the GDT is built in kernel/trap/gdt.c. */
#define SEG_KCODE  0x08
#define SEG_KDATA  0x10
#define SEG_UCODE  0x1b
#define SEG_UDATA  0x23
#define SEG_TSS    0x28
#define SEG_TLS    0x33   /* set_thread_area slot for user %gs */

#endif
