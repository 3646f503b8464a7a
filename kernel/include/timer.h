/* timer.h - the kernel's clock (kernel/proc/sched.c): ticks since boot,
 * one per PIT interrupt (drivers/timer.c programs the PIT), which drive
 * preemption, sleeping and the periodic callbacks subsystems register. */
#ifndef ZC32_TIMER_H
#define ZC32_TIMER_H
#include "types.h"
extern volatile uint64_t ticks;
extern int timer_hz;
extern uint64_t boot_epoch;          /* wall-clock seconds at boot, from the RTC */
void timer_init(int hz);             /* drivers/timer.c, for kmain: program the PIT, read the RTC */
void timer_tick(void);               /* IRQ 0 (irq_dispatch): one tick */
void timer_add_callback(void (*fn)(void), uint32_t period);   /* fn every period ticks */
uint64_t time_ns(void);       /* nanoseconds since boot */
#define USEC_PER_SEC 1000000
#endif
