/*
 * console.c - the console: where printk and a process's fds 0-2 go.
 *
 * Output goes to COM1 and/or the VGA screen (kernel option console=).
 * Input arrives from the UART's interrupt one byte at a time and is
 * "cooked": echoed, editable with backspace, and handed to read() a line
 * at a time.  Ctrl-D at the start of a line reads as end of file.
 * A reader sleeps on the buffer until a line is complete (sleep/wakeup).
 */
#include "kernel.h"
#include "x86.h"
#include "console.h"
#include "proc/sched.h"
#include "fs/poll.h"

#define INPUT_SIZE 1024
#define CTRL(c) ((c) - '@')

static int outputs = CONSOLE_SERIAL;
static bool user_midline;             /* a program's output ended mid-line */

/* input[r..w) is ready for read(); input[w..e) is the line being edited. */
static struct {
	char buf[INPUT_SIZE];
	uint32_t r, w, e;
} input;

/* Told when a line is ready: epoll watches of console files (fs/poll.h). */
struct wait_queue console_wq = { LIST_INIT(console_wq.entries) };

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

/* Line discipline: runs in the serial interrupt handler. */
void console_input(char c)
{
	if (c == '\r')
		c = '\n';
	if (c == 0x7f || c == '\b') {
		if (input.e != input.w) {
			input.e--;
			console_write_kernel("\b \b", 3);
		}
		return;
	}
	if (c == CTRL('U')) {
		while (input.e != input.w) {
			input.e--;
			console_write_kernel("\b \b", 3);
		}
		return;
	}
	if (input.e - input.r >= INPUT_SIZE)
		return;                          /* buffer full: drop */
	input.buf[input.e++ % INPUT_SIZE] = c;
	if (c != CTRL('D'))
		console_write_kernel(&c, 1);
	if (c == '\n' || c == CTRL('D') || input.e - input.r == INPUT_SIZE) {
		input.w = input.e;
		wakeup(&input);
		poll_wake(&console_wq, POLLIN);
	}
}

/* A complete line (or end of file) is waiting: read() will not block. */
bool console_readable(void)
{
	return input.r != input.w;
}

/* Read at most one line into kbuf.  Sleeps until a line is ready. */
int console_read(char *kbuf, int n)
{
	int got = 0;
	uint32_t f = irq_save();
	while (input.r == input.w) {
		if (current_killed()) {
			irq_restore(f);
			return -EINTR;
		}
		sleep_on(&input);
	}
	while (got < n && input.r != input.w) {
		char c = input.buf[input.r % INPUT_SIZE];
		if (c == CTRL('D')) {
			if (got == 0)
				input.r++;           /* EOF: consume it, read returns 0 */
			break;
		}
		input.r++;
		kbuf[got++] = c;
		if (c == '\n')
			break;
	}
	irq_restore(f);
	return got;
}
