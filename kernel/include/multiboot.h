/* multiboot.h - the Multiboot 1 information structure the boot loader
 * hands to the kernel.  Reference: Multiboot Specification 0.6.96, 3.3. */
#ifndef ZC32_MULTIBOOT_H
#define ZC32_MULTIBOOT_H
#include "types.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MBI_FLAG_MEM     (1 << 0)
#define MBI_FLAG_CMDLINE (1 << 2)
#define MBI_FLAG_MODS    (1 << 3)
#define MBI_FLAG_MMAP    (1 << 6)
#define MBI_FLAG_LOADER  (1 << 9)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_module {
	uint32_t start, end;
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));

struct multiboot_mmap_entry {
	uint32_t size;               /* of the rest of this entry */
	uint64_t addr, len;
	uint32_t type;               /* 1 = available RAM */
} __attribute__((packed));

/* The boot loader's memory map, copied by kmain (main.c) before the
 * memory it lies in can be reused. */
extern struct multiboot_mmap_entry boot_mmap[32];
extern int boot_mmap_count;

#endif
