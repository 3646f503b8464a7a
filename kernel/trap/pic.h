/* pic.h - the two 8259A interrupt controllers; IRQ n arrives as vector 32+n. */
#ifndef ZC32_PIC_H
#define ZC32_PIC_H
#define IRQ_BASE 32
void pic_init(void);
void pic_enable(int irq);
void pic_eoi(int irq);
#endif
