/*
 * console.c - the console: where printk and a process's fds 0-2 go.
 *
 * Output goes to COM1 and/or the VGA screen (kernel option console=).
 * Input arrives from the UART's interrupt one byte at a time and goes
 * through the line discipline in tty.c (echo, editing, Ctrl-C, raw mode).
 */
#include "kernel.h"
#include "x86.h"
#include "console.h"

static int outputs = CONSOLE_SERIAL;
static bool user_midline;             /* a program's output ended mid-line */

void console_init(int which)
{
	outputs = which;
	if (outputs & CONSOLE_VGA)
		vga_clear();
}

static void console_putc(char c)
{
	if (outputs & CONSOLE_SERIAL) {
		if (c == '\n')
			serial_putc('\r');
		serial_putc(c);
	}
	if (outputs & CONSOLE_VGA)
		vga_putc(c);
}

/* A kernel message: if a program left the cursor mid-line (a shell
 * prompt, say), begin a new line so the message stands alone. */
void console_write_message(const char *buf, int n)
{
	uint32_t f = irq_save();
	if (user_midline && n > 0)
		console_putc('\n');
	user_midline = false;
	console_write_kernel(buf, n);
	irq_restore(f);
}

/* Output from a program (fds 1 and 2 of the console). */
void console_write_user(const char *buf, int n)
{
	uint32_t f = irq_save();
	console_write_kernel(buf, n);
	if (n > 0)
		user_midline = buf[n - 1] != '\n';
	irq_restore(f);
}

void console_write_kernel(const char *buf, int n)
{
	uint32_t f = irq_save();
	for (int i = 0; i < n; i++)
		console_putc(buf[i]);
	irq_restore(f);
}
