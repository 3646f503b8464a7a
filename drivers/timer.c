/*
 * timer.c - the 8253/8254 PIT, channel 0, programmed to interrupt timer_hz
 * times a second on IRQ 0: each interrupt is one tick of the kernel's clock
 * (timer_tick in kernel/proc/sched.c: callbacks, sleepers, preemption).
 * The wall clock is read once from the CMOS RTC at boot (drivers/rtc.c).
 * Reference: Intel 8254 datasheet; OSDev "PIT", "CMOS".
 */
#include "x86.h"
#include "irq.h"
#include "timer.h"
#include "rtc.h"

#define PIT_HZ    1193182
#define PIT_CH0   0x40
#define PIT_CMD   0x43
#define PIT_MODE2 0x34               /* channel 0, lo/hi byte, rate generator */

void timer_init(int hz)
{
	if (hz < 10 || hz > 1000)
		hz = 100;
	timer_hz = hz;
	uint32_t div = PIT_HZ / hz;
	outb(PIT_CMD, PIT_MODE2);
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
	boot_epoch = rtc_read_epoch();
	irq_enable_timer();
}
