/*
 * power.c - turning the machine off.  First dirty data goes to disk; then
 * QEMU's isa-debug-exit device (I/O port 0xf4, if present) ends QEMU with
 * status (code << 1) | 1, which is how tests learn init's exit status;
 * failing that, ACPI power-off (S5) through the PM1 control registers
 * that acpi.c found in the firmware's tables (QEMU's fixed ports if it
 * found none); failing that, halt.
 */
#include "kernel.h"
#include "x86.h"
#include "fs/vfs.h"

#define DEBUG_EXIT_PORT 0xf4

/* Leave QEMU at once, without syncing (for panics). */
void machine_exit(int code)
{
	cli();
	outl(DEBUG_EXIT_PORT, code);
	acpi_power_off();
	for (;;)
		hlt();
}

/* The orderly way out: everything dirty to disk first. */
void power_off(int code)
{
	static bool going;
	if (!going) {
		going = true;
		vfs_shutdown();
	}
	machine_exit(code);
}
