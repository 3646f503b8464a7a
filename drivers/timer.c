/*
 * timer.c - the 8253/8254 PIT, channel 0, ticking timer_hz times a second
 * on IRQ 0.  Each tick runs the periodic callbacks subsystems registered
 * (timer_add_callback: TCP and ARP timers, poll() timeouts, the NIC's
 * clean-up), wakes sleepers whose time has come and asks the scheduler to
 * preempt the running process (round robin).  The wall clock is read once
 * from the CMOS RTC at boot (drivers/rtc.c).
 * Reference: Intel 8254 datasheet; OSDev "PIT", "CMOS".
 */
#include "kernel.h"
#include "x86.h"
#include "irq.h"
#include "timer.h"
#include "proc/sched.h"
#include "rtc.h"

#define PIT_HZ    1193182
#define PIT_CH0   0x40
#define PIT_CMD   0x43
#define PIT_MODE2 0x34               /* channel 0, lo/hi byte, rate generator */
#define MAX_CALLBACKS 8

static struct {
	void (*fn)(void);
	uint32_t period;             /* in ticks */
} callbacks[MAX_CALLBACKS];
static int ncallbacks;

volatile uint64_t ticks;
int timer_hz = 100;
uint64_t boot_epoch;

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

uint64_t time_ns(void)
{
	return ticks * (1000000000ull / timer_hz);
}

/* fn runs in the timer interrupt (interrupts off) every period ticks,
 * in the order callbacks were added.  Called at boot. */
void timer_add_callback(void (*fn)(void), uint32_t period)
{
	if (ncallbacks == MAX_CALLBACKS)
		panic("timer: more than %d periodic callbacks", MAX_CALLBACKS);
	callbacks[ncallbacks].fn = fn;
	callbacks[ncallbacks++].period = MAX(period, 1u);
}

void timer_irq(void)
{
	ticks++;
	for (int i = 0; i < ncallbacks; i++)
		if (ticks % callbacks[i].period == 0)
			callbacks[i].fn();
	sched_tick();
}
