/*
 * serial.c - the COM1 UART (16550), zc32's main console.  Output polls
 * the transmit-empty bit; input raises IRQ 4 and each received byte goes
 * to the console's line discipline (console.c).
 * Reference: National Semiconductor PC16550D datasheet; OSDev "Serial Ports".
 */
#include "x86.h"
#include "console.h"
#include "tty.h"
#include "irq.h"

#define COM1      0x3f8
#define REG_DATA  0     /* receive / transmit buffer (DLAB=0) */
#define REG_IER   1     /* interrupt enable */
#define REG_FCR   2     /* FIFO control */
#define REG_LCR   3     /* line control; bit 7 = DLAB */
#define REG_MCR   4     /* modem control; OUT2 gates the IRQ line */
#define REG_LSR   5     /* line status */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20
#define IRQ_COM1  4

static bool serial_present;

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x80);          /* DLAB on: set the divisor */
	outb(COM1 + REG_DATA, 0x01);         /* 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03);          /* 8 bits, no parity, 1 stop */
	outb(COM1 + REG_FCR, 0xc7);          /* FIFOs on and cleared */
	outb(COM1 + REG_MCR, 0x0b);          /* DTR, RTS, OUT2 */
	serial_present = inb(COM1 + REG_LSR) != 0xff;
}

static void serial_irq(void *unused)
{
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY)
		tty_input(inb(COM1 + REG_DATA));
}

/* Called once interrupts can be routed: receive data raises IRQ 4. */
void serial_enable_irq(void)
{
	if (!serial_present)
		return;
	outb(COM1 + REG_IER, 0x01);
	irq_register(IRQ_COM1, serial_irq, NULL);
}

void serial_putc(char c)
{
	if (!serial_present)
		return;
	for (int i = 0; i < 100000 && !(inb(COM1 + REG_LSR) & LSR_THR_EMPTY); i++)
		;
	outb(COM1 + REG_DATA, c);
}
