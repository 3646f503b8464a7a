/* irq.h - routing device interrupts (IRQ lines) to their drivers. */
#ifndef ZC32_IRQ_H
#define ZC32_IRQ_H
typedef void (*irq_handler_t)(void *arg);
void irq_register(int irq, irq_handler_t fn, void *arg);
void irq_dispatch(int irq);
#endif
