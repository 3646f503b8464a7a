/* irq.h - routing device interrupts (IRQ lines) to their drivers. */
#ifndef ZC32_IRQ_H
#define ZC32_IRQ_H
#include "types.h"
#define IRQ_TIMER 0                /* the PIT, channel 0 (drivers/timer.c) */
typedef void (*irq_handler_t)(void *arg);
int  irq_register(int irq, irq_handler_t fn, void *arg);   /* 0, -EINVAL or -EBUSY */
bool irq_line_usable(int irq);                             /* 1-15, not the cascade (2) */
void irq_dispatch(int irq);
void irq_enable_timer(void);                               /* unmask IRQ 0 */
#endif
