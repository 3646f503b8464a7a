/*
 * mutex.h - a sleeping lock, for kernel code that must hold something
 * across a disk wait (the ext2 metadata, a buffer being read).  The kernel
 * is not preemptive, so code between two sleeps is already atomic with
 * respect to other processes; a mutex is needed only across sleeps.
 */
#ifndef ZC32_MUTEX_H
#define ZC32_MUTEX_H
#include "types.h"
#include "x86.h"
#include "proc/sched.h"

struct mutex { volatile bool locked; };

static inline void mutex_lock(struct mutex *m)
{
	uint32_t f = irq_save();
	while (m->locked)
		sleep_on(m);
	m->locked = true;
	irq_restore(f);
}

static inline void mutex_unlock(struct mutex *m)
{
	m->locked = false;
	wakeup(m);
}

#endif
