/*
 * fpu.c - the floating-point and SSE registers belong to the process.
 * They are saved on every switch away (fxsave, or fnsave on a CPU
 * without FXSR) and restored when the process runs again, so programs
 * compiled to use x87 or SSE work.  Reference: Intel SDM Vol. 1, 10.5.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "proc/fpu.h"

static bool has_fxsr;
static uint8_t initial_state[512] __attribute__((aligned(16)));

void fpu_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, 0, &a, &b, &c, &d);
	has_fxsr = d & (1 << 24);
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	if (has_fxsr) {
		uint32_t cr4 = read_cr4() | CR4_OSFXSR;
		if (d & (1 << 25))                         /* SSE */
			cr4 |= CR4_OSXMMEXCPT;
		write_cr4(cr4);
	}
	asm volatile("fninit");
	fpu_save(initial_state);
}

void fpu_save(uint8_t *area)
{
	if (has_fxsr)
		asm volatile("fxsave (%0)" : : "r"(area) : "memory");
	else
		asm volatile("fnsave (%0); frstor (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const uint8_t *area)
{
	if (has_fxsr)
		asm volatile("fxrstor (%0)" : : "r"(area) : "memory");
	else
		asm volatile("frstor (%0)" : : "r"(area) : "memory");
}

void fpu_init_state(uint8_t *area)
{
	memcpy(area, initial_state, sizeof initial_state);
}
