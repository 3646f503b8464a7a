/*
 * sched.c - round-robin scheduling on one CPU, sleep/wakeup, and the clock
 * that drives both: timer_tick, on each PIT interrupt, counts ticks and runs
 * the periodic callbacks (TCP and ARP timers, poll() timeouts, the NIC's).
 *
 * The scheduler loop runs on the boot stack.  It picks the next runnable
 * process after the last one it ran, loads that process's kernel stack
 * into the TSS, its page directory into CR3 and its FPU registers, and
 * swtch()es to it.  The process comes back here by calling sched(): when
 * it blocks (sleep_on), yields its time slice (the timer sets
 * need_resched) or exits.  With nothing runnable, the CPU halts until the
 * next interrupt.
 */
#include "kernel.h"
#include "x86.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/fpu.h"
#include "mm/vm.h"
#include "ledger/ledger.h"
#include "timer.h"

static struct context *scheduler_context;
volatile bool need_resched;
static int last_pid;                /* the process that ran last */
static uint64_t next_timed_wake = ~0ull;   /* earliest sleep_until deadline */

volatile uint64_t ticks;
int timer_hz = 100;
uint64_t boot_epoch;
#define MAX_CALLBACKS 8
static struct { void (*fn)(void); uint32_t period; } callbacks[MAX_CALLBACKS];   /* period in ticks */
static int ncallbacks;

static void run(struct proc *p)
{
	p->state = P_RUNNING;
	current = p;
	ledger_switch_to(&p->ledger, p->pid);
	/* A context switch is the CPU going to another process; a process
	 * that blocks or yields and is picked again did not switch. */
	if (p->pid != last_pid)
		ledger_context_switch();
	last_pid = p->pid;
	need_resched = false;
	tss_set_kernel_stack((uint32_t)p->kstack + KSTACK_SIZE);
	gdt_set_tls(p->tls_base, p->tls_limit, p->tls_state);
	mm_activate(p->mm);
	fpu_restore(p->fpu);
	swtch(&scheduler_context, p->context);
	current = NULL;
	ledger_switch_to(NULL, 0);
	if (p->state == P_ZOMBIE && p->autoreap)
		proc_free(p);                   /* its parent ignores SIGCHLD: off its stack now, free it */
}

void scheduler(void)
{
	int last = 0;
	for (;;) {
		cli();
		struct proc *next = NULL;
		for (int i = 1; i <= NPROC; i++) {
			struct proc *p = &proc_table[(last + i) % NPROC];
			if (p->state == P_RUNNABLE) {
				next = p;
				last = (last + i) % NPROC;
				break;
			}
		}
		if (next)
			run(next);
		else {
			ledger_idle_begin();
			asm volatile("sti; hlt");   /* sti takes effect after hlt starts */
			ledger_idle_end();
		}
	}
}

/* Give the CPU back to the scheduler.  Interrupts must be off and
 * current->state already set to why we stop running. */
void sched(void)
{
	struct proc *p = current;
	ASSERT(!(read_eflags() & EFLAGS_IF));
	ASSERT(p->state != P_RUNNING);
	fpu_save(p->fpu);
	swtch(&p->context, scheduler_context);
}

void yield(void)
{
	uint32_t f = irq_save();
	current->state = P_RUNNABLE;
	sched();
	irq_restore(f);
}

void sleep_on(void *chan)
{
	ASSERT(!(read_eflags() & EFLAGS_IF));
	if (!current) {
		/* At boot there is no process to put to sleep: wait for the next
		 * interrupt (the one that may have done what we wait for). */
		asm volatile("sti; hlt; cli");
		return;
	}
	current->chan = chan;
	current->state = P_SLEEPING;
	sched();
	current->chan = NULL;
}

void wakeup(void *chan)
{
	uint32_t f = irq_save();
	for (int i = 0; i < NPROC; i++)
		if (proc_table[i].state == P_SLEEPING && proc_table[i].chan == chan)
			proc_table[i].state = P_RUNNABLE;
	irq_restore(f);
}

/* Timed sleep (nanosleep): the process sleeps on &ticks with its
 * deadline in wake_at; the timer wakes it once the deadline has passed,
 * and leaves it asleep on every tick before that.  A signal (sys_kill)
 * wakes it early; the caller re-checks the time in a loop. */
void sleep_until(uint64_t tick)
{
	ASSERT(!(read_eflags() & EFLAGS_IF));
	current->wake_at = tick;
	if (tick < next_timed_wake)
		next_timed_wake = tick;
	sleep_on((void *)&ticks);
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

/* One tick (IRQ 0, irq_dispatch): run the periodic callbacks, wake the
 * timed sleepers whose time has come, and end the running slice. */
void timer_tick(void)
{
	ticks++;
	for (int i = 0; i < ncallbacks; i++)
		if (ticks % callbacks[i].period == 0)
			callbacks[i].fn();
	if (ticks >= next_timed_wake) {
		next_timed_wake = ~0ull;
		for (int i = 0; i < NPROC; i++) {
			struct proc *p = &proc_table[i];
			if (p->state != P_SLEEPING || p->chan != (void *)&ticks)
				continue;
			if (p->wake_at <= ticks)
				p->state = P_RUNNABLE;
			else if (p->wake_at < next_timed_wake)
				next_timed_wake = p->wake_at;
		}
	}
	signal_tick();                      /* alarm(2) */
	need_resched = true;
}

struct cpu_ticks cpu_ticks;

/* A timer tick interrupted the CPU (trap_dispatch): charge it to the
 * process that was running, in user or kernel mode, or to the idle loop.
 * Sampling like this is how Linux counts utime and stime too (without
 * VIRT_CPU_ACCOUNTING): a process that runs between ticks is not seen. */
void sched_account_tick(bool from_user)
{
	if (!current) {
		cpu_ticks.idle++;
	} else if (from_user) {
		current->utime++;
		cpu_ticks.user++;
	} else {
		current->stime++;
		cpu_ticks.system++;
	}
}

bool current_killed(void)
{
	return current && current->killed;
}
