/* timer.h - the kernel's clock: the PIT tick (drivers/timer.c) that drives
 * preemption, sleeping and the periodic callbacks subsystems register. */
#ifndef ZC32_TIMER_H
#define ZC32_TIMER_H
#include "types.h"
extern volatile uint64_t ticks;
extern int timer_hz;
void timer_init(int hz);
void timer_irq(void);
void timer_add_callback(void (*fn)(void), uint32_t period);   /* fn every period ticks */
uint64_t time_ns(void);       /* nanoseconds since boot */
#define USEC_PER_SEC 1000000
extern uint64_t boot_epoch;          /* wall-clock seconds at boot, from the RTC */
#endif
