/*
 * pic.c - the 8259A programmable interrupt controllers (master at 0x20,
 * slave at 0xA0).  The BIOS maps IRQs onto CPU exception vectors 8-15, so
 * we remap them to 32-47.  Reference: Intel 8259A datasheet; OSDev "8259 PIC".
 */
#include "x86.h"
#include "pic.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086      0x01
#define PIC_EOI        0x20

static uint16_t irq_mask = 0xffff & ~(1 << 2);   /* all off but the cascade */

static void pic_write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_BASE);       /* ICW2: vector offsets */
	outb(PIC2_DATA, IRQ_BASE + 8);
	outb(PIC1_DATA, 4);              /* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	pic_write_mask();
}

void pic_enable(int irq)
{
	irq_mask &= ~(1 << irq);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}
