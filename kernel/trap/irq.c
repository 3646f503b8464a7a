/*
 * irq.c - device interrupts.  A driver registers a handler for its IRQ
 * line (several may share a PCI line); irq_dispatch runs them and then
 * acknowledges the PIC.  IRQ 0 is wired here by name, to timer_tick.
 */
#include "kernel.h"
#include "irq.h"
#include "pic.h"
#include "timer.h"

#define MAX_SHARED 4

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[16][MAX_SHARED];

/* 0 on success; -EINVAL for a line the PICs do not have (a PCI device
 * whose interrupt-line register says 0xff, "none", or garbage) or one a
 * device cannot use (0 is the timer, 2 the cascade): refused with a
 * message, never an index past the table. */
int irq_register(int irq, irq_handler_t fn, void *arg)
{
	if (!irq_line_usable(irq)) {
		printk("irq: line %d cannot be used for a device: handler not registered\n", irq);
		return -EINVAL;
	}
	for (int i = 0; i < MAX_SHARED; i++) {
		if (!handlers[irq][i].fn) {
			handlers[irq][i].fn = fn;
			handlers[irq][i].arg = arg;
			pic_enable(irq);
			return 0;
		}
	}
	printk("irq: line %d has %d handlers already: not registered\n", irq, MAX_SHARED);
	return -EBUSY;
}

/* The timer's line is not registered: irq_dispatch calls timer_tick by name
 * and acknowledges it first, since a tick may switch to another process. */
void irq_enable_timer(void)
{
	pic_enable(0);
}

bool irq_line_usable(int irq)
{
	return irq > 0 && irq < 16 && irq != 2;
}

void irq_dispatch(int irq)
{
	if (irq == 0) {
		pic_eoi(0);
		timer_tick();
		return;
	}
	for (int i = 0; i < MAX_SHARED && handlers[irq][i].fn; i++)
		handlers[irq][i].fn(handlers[irq][i].arg);
	pic_eoi(irq);
}
