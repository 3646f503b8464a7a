/*
 * panic.c - when the kernel finds a bug in itself it stops: it prints the
 * message, a backtrace (following the saved frame pointers, so the kernel
 * is built with -fno-omit-frame-pointer) and exits QEMU.  Look up the
 * addresses with `addr2line -e build/kernel.elf ADDR` or in GDB.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"

void backtrace_from(uint32_t ebp)
{
	for (int depth = 0; depth < 16 && ebp >= KERNEL_BASE && ebp < (uint32_t)0xF0000000 && !(ebp & 3); depth++) {
		uint32_t ret = ((uint32_t *)ebp)[1];
		if (ret < (uint32_t)kernel_start || ret >= (uint32_t)kernel_end)
			break;
		printk("  %08x\n", ret);
		ebp = ((uint32_t *)ebp)[0];
	}
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	cli();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	printk("zc32 PANIC: %s\n", msg);
	uint32_t ebp;
	asm volatile("movl %%ebp, %0" : "=r"(ebp));
	printk("backtrace:\n");
	backtrace_from(ebp);
	machine_exit(0x7f);
}
