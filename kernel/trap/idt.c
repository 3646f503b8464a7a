/*
 * idt.c - the interrupt descriptor table: which code runs for each of
 * the 32 CPU exceptions, the 16 PIC interrupts, and int 0x80.
 * Reference: Intel SDM Vol. 3A, 6.10-6.11.
 */
#include "mmu.h"
#include "trap/trap.h"

struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type_attr;
	uint16_t off_hi;
} __attribute__((packed));

#define GATE_INT_K   0x8e     /* interrupt gate, DPL 0: IF cleared on entry */
#define GATE_INT_U   0xee     /* interrupt gate, DPL 3: user may 'int N' it */
#define GATE_TRAP_U  0xef     /* trap gate, DPL 3: IF left as it was */

static struct gate idt[256];

static void set_gate(int n, uint32_t handler, uint8_t type)
{
	idt[n].off_lo = handler & 0xffff;
	idt[n].sel = SEG_KCODE;
	idt[n].zero = 0;
	idt[n].type_attr = type;
	idt[n].off_hi = handler >> 16;
}

void idt_init(void)
{
	for (int i = 0; i < 48; i++)
		set_gate(i, trap_vectors[i], GATE_INT_K);
	/* int3 and into are meant to be used by programs (debuggers). */
	set_gate(T_BRKPT, trap_vectors[T_BRKPT], GATE_INT_U);
	set_gate(T_OFLOW, trap_vectors[T_OFLOW], GATE_INT_U);
	set_gate(T_SYSCALL, (uint32_t)vector128, GATE_TRAP_U);

	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = {
		sizeof idt - 1, (uint32_t)idt
	};
	asm volatile("lidt %0" : : "m"(idtr));
}
