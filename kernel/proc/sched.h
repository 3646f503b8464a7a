/*
 * sched.h - the scheduler and the kernel's one blocking primitive.
 *
 * sleep_on(chan) and wakeup(chan) work like xv6's sleep and wakeup: a
 * process waiting for something (a line of console input, a child's exit,
 * a disk request) sleeps on an address that names the event; whoever makes
 * the event happen calls wakeup on the same address.  There is one CPU,
 * so "holding the lock" means running with interrupts off: call sleep_on
 * with interrupts disabled, after checking the condition, and re-check it
 * in a loop when sleep_on returns.
 */
#ifndef ZC32_SCHED_H
#define ZC32_SCHED_H
#include "types.h"

void scheduler(void) __attribute__((noreturn));
void sched(void);              /* switch away from current (interrupts off) */
void yield(void);
void sleep_on(void *chan);
void wakeup(void *chan);
void sleep_until(uint64_t tick);  /* sleep until ticks >= tick, or a wakeup */
bool current_killed(void);
/* Where the CPU's timer ticks went (/proc/stat), and per process
 * (struct proc's utime, stime): sched_account_tick runs on each. */
struct cpu_ticks { uint64_t user, system, idle; };
extern struct cpu_ticks cpu_ticks;
void sched_account_tick(bool from_user);
extern volatile bool need_resched;

#endif
