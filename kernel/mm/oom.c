/*
 * oom.c - the out-of-memory killer: RAM and swap are full, the pager can
 * free nothing, and a page fault needs a frame.  One process must die so
 * that the others can go on.
 *
 * The path: page_fault -> vm_fault -> page_alloc_user gives up (reclaim
 * made no progress) -> -ENOMEM -> oom_kill.  As Linux's mm/oom_kill.c
 * does, the victim is the process whose death frees the most: the
 * largest footprint, its pages in RAM plus its pages in swap.  Init is
 * spared while any other process exists (its exit powers the machine
 * off).  One console line names the victim and why.
 *
 * If the victim is another process, the faulting one waits until the
 * victim has let go of its memory, then retries the faulting access.
 * Should the victim take longer than OOM_WAIT_SECONDS, the faulting
 * process gives up and dies too, unless it is init, which waits for as
 * long as it takes.
 * While a victim (or any process killed by SIGKILL) is still on its way
 * out, nobody else is chosen: its memory is about to come back.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "mm/vm.h"
#include "cmdline.h"

#define OOM_WAIT_SECONDS 10       /* for a victim to exit; then the faulter dies too (not init) */

static uint32_t footprint(struct proc *p)
{
	return p->mm->rss + p->mm->swapents;
}

/* Still holding its address space (an exiting process lets go of it
 * first thing). */
static bool has_memory(struct proc *p)
{
	return p->state != P_UNUSED && p->state != P_EMBRYO && p->state != P_ZOMBIE && p->mm;
}

/* The process to kill, or to wait for: one already dying if there is
 * one, else the largest other than init, else init itself. */
static struct proc *oom_choose(bool *dying)
{
	struct proc *best = NULL, *init = NULL;
	*dying = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[i];
		if (!has_memory(p))
			continue;
		if (p->killed && p != current) {
			*dying = true;
			return p;
		}
		if (p->pid == 1)
			init = p;
		else if (!best || footprint(p) > footprint(best))
			best = p;
	}
	return best ? best : init;
}

/* Sleep until p (pid) has let go of its memory; false after the timeout
 * (vm.oom_wait=0 lets a test play a victim slower than that) or if we
 * are killed meanwhile.  Init has no timeout: it is never the one to die
 * while others exist, so it waits for as long as the victim takes. */
static bool wait_for_exit(struct proc *p, int pid)
{
	uint64_t deadline = ticks + cmdline_get_int("vm.oom_wait", OOM_WAIT_SECONDS) * timer_hz;
	bool forever = current->pid == 1;
	uint32_t f = irq_save();
	while (p->pid == pid && has_memory(p) && (forever || ticks < deadline) && !current->killed)
		sleep_until(ticks + 1);
	bool gone = p->pid != pid || !has_memory(p);
	irq_restore(f);
	return gone;
}

/*
 * The current process's fault at addr (error code err) found no memory.
 * Kill the largest process, with the one-line report.  True if the fault
 * should be retried: another process died and its memory is back.  False
 * if the current process is the victim (now marked killed), or if the
 * victim did not exit in time (never for init, which waits on).
 */
bool oom_kill(uint32_t addr, uint32_t err)
{
	bool dying;
	struct proc *v = oom_choose(&dying);
	if (!v)
		return false;
	if (!dying) {
		if (v == current)
			printk("zc32: pid %d (%s) killed: out of memory (RAM and swap are full) at 0x%08x (%s), "
			       "the largest: %u pages in RAM + %u in swap\n", v->pid, v->name, addr,
			       vm_fault_describe(err), v->mm->rss, v->mm->swapents);
		else
			printk("zc32: pid %d (%s) killed: out of memory (RAM and swap are full) when pid %d (%s) "
			       "faulted at 0x%08x (%s), the largest: %u pages in RAM + %u in swap\n", v->pid,
			       v->name, current->pid, current->name, addr, vm_fault_describe(err),
			       v->mm->rss, v->mm->swapents);
		proc_set_killed(v, SIGKILL);
	}
	return v != current && wait_for_exit(v, v->pid);
}
