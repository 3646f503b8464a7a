/*
 * gdt.c - segmentation, reduced to what i386 still requires: flat 4 GiB
 * code and data segments for ring 0 and ring 3, and the TSS, whose only
 * job is to tell the CPU which kernel stack (ss0:esp0) to switch to when
 * a user program traps into the kernel.  The scheduler changes esp0 on
 * every switch.  Reference: Intel SDM Vol. 3A, 3.4.5 and 7.2.
 */
#include "mmu.h"
#include "trap/trap.h"

struct seg_desc {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, limit_hi_flags, base_hi;
} __attribute__((packed));

struct tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

/* access byte: present | DPL | code/data | type */
#define ACC_KCODE 0x9a
#define ACC_KDATA 0x92
#define ACC_UCODE 0xfa
#define ACC_UDATA 0xf2
#define ACC_TSS   0x89
#define ACC_PRESENT 0x80
#define FLAGS_4K_32 0xc0          /* 4 KiB granularity, 32-bit */

static struct seg_desc gdt[7];
static struct tss tss;

static void set_desc(int i, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	gdt[i].limit_lo = limit & 0xffff;
	gdt[i].base_lo = base & 0xffff;
	gdt[i].base_mid = (base >> 16) & 0xff;
	gdt[i].access = access;
	gdt[i].limit_hi_flags = ((limit >> 16) & 0x0f) | flags;
	gdt[i].base_hi = base >> 24;
}

void gdt_init(void)
{
	set_desc(1, 0, 0xfffff, ACC_KCODE, FLAGS_4K_32);
	set_desc(2, 0, 0xfffff, ACC_KDATA, FLAGS_4K_32);
	set_desc(3, 0, 0xfffff, ACC_UCODE, FLAGS_4K_32);
	set_desc(4, 0, 0xfffff, ACC_UDATA, FLAGS_4K_32);
	tss.ss0 = SEG_KDATA;
	tss.iomap_base = sizeof tss;   /* no I/O bitmap: in/out in ring 3 fault */
	set_desc(5, (uint32_t)&tss, sizeof tss - 1, ACC_TSS, 0);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr = {
		sizeof gdt - 1, (uint32_t)gdt
	};
	asm volatile("lgdt %0\n\t"
		     "ljmp %1, $1f\n"
		     "1:\n\t"
		     "movw %w2, %%ds\n\t"
		     "movw %w2, %%es\n\t"
		     "movw %w2, %%ss\n\t"
		     "movw %w3, %%fs\n\t"
		     "movw %w3, %%gs\n\t"
		     "ltr %w4"
		     : : "m"(gdtr), "i"(SEG_KCODE), "r"(SEG_KDATA), "r"(0), "r"(SEG_TSS));
}

void tss_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}

/* The thread-local-storage segment a process may load into %gs
 * (set_thread_area); reloaded on every context switch.  TLS_NOT_PRESENT
 * (user_desc's seg_not_present): loading it is #NP, SIGBUS. */
void gdt_set_tls(uint32_t base, uint32_t limit, int state)
{
	if (state == TLS_NONE)
		set_desc(6, 0, 0, 0, 0);
	else
		set_desc(6, base, limit, state == TLS_PRESENT ? ACC_UDATA : ACC_UDATA & ~ACC_PRESENT, FLAGS_4K_32);
}
