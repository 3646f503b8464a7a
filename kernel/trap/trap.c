/*
 * trap.c - what happens after entry.S has saved a trap frame.
 *
 * trap_dispatch() sorts traps three ways:
 *   - device interrupts (vectors 32-47) go to their driver;
 *   - page faults go to the page-fault handler (mm/fault.c);
 *   - any other CPU exception in user mode kills the process with the
 *     matching signal and a one-line report; in kernel mode it is a bug,
 *     and the kernel panics with registers and a backtrace.
 * On the way back to user mode, trap_return_to_user() is where a process
 * notices that it was killed or that its time slice is over.
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "trap/trap.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "ledger/ledger.h"
#include "mm/vm.h"
#include "irq.h"

static const char *const names[] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FPU error", "alignment check", "machine check",
	"SIMD exception",
};

static const char *trap_name(int trapno)
{
	if (trapno < (int)ARRAY_SIZE(names))
		return names[trapno];
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + 16)
		return "interrupt";
	return "unknown";
}

/* Linux's choice of signal for each CPU exception raised in user mode. */
static int signal_for(int trapno)
{
	switch (trapno) {
	case T_DIVIDE: case T_FPERR: case T_SIMDERR: case T_DEVICE:
		return SIGFPE;
	case T_DEBUG: case T_BRKPT:
		return SIGTRAP;
	case T_ILLOP:
		return SIGILL;
	case T_ALIGN: case T_SEGNP: case T_STACK:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

/* siginfo's si_code for a fault (asm-generic/siginfo.h). */
static int fault_code(struct trapframe *tf, int sig)
{
	switch (sig) {
	case SIGSEGV: return (tf->trapno == T_PGFLT && (tf->err & 1)) ? SEGV_ACCERR : SEGV_MAPERR;
	case SIGILL:  return ILL_ILLOPN;
	case SIGFPE:  return FPE_INTDIV;
	case SIGBUS:  return BUS_ADRERR;
	case SIGTRAP: return TRAP_BRKPT;
	default:      return SI_KERNEL;
	}
}

static const char *signal_name(int sig)
{
	static const char *const names[] = { [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGSEGV] = "SIGSEGV" };
	return sig > 0 && sig < (int)ARRAY_SIZE(names) && names[sig] ? names[sig] : "signal";
}

/* A user program did something the CPU refused: report it in one line
 * and end the process with sig.  The kernel itself carries on. */
void user_fault_kill_sig(struct trapframe *tf, uint32_t addr, int sig)
{
	/* A page fault's error code also in words; other vectors' codes are
	 * selectors (or 0), printed as they are. */
	char words[32] = "";
	if (tf->trapno == T_PGFLT)
		snprintf(words, sizeof words, " (%s)", vm_fault_describe(tf->err));
	printk("zc32: pid %d (%s) killed by %s: vector %u (%s) eip 0x%08x addr 0x%08x err 0x%x%s\n",
	       current->pid, current->name, signal_name(sig), tf->trapno, trap_name(tf->trapno),
	       tf->eip, addr, tf->err, words);
	proc_kill_current(sig);
}

static void kernel_trap_panic(struct trapframe *tf)
{
	uint32_t cr2 = read_cr2();
	printk("zc32 PANIC: %s (vector %u) in kernel mode, err 0x%x%s%s%s\n",
	       trap_name(tf->trapno), tf->trapno, tf->err,
	       tf->trapno == T_PGFLT ? " (" : "",
	       tf->trapno == T_PGFLT ? vm_fault_describe(tf->err) : "",
	       tf->trapno == T_PGFLT ? ")" : "");
	printk("  eip %08x cs %04x eflags %08x cr2 %08x\n", tf->eip, tf->cs, tf->eflags, cr2);
	printk("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk("  esi %08x edi %08x ebp %08x pid %d (%s)\n", tf->esi, tf->edi, tf->ebp,
	       current ? current->pid : 0, current ? current->name : "-");
	printk("backtrace:\n  %08x\n", tf->eip);
	backtrace_from(tf->ebp);
	machine_exit(0x7f);
}

/* A CPU exception.  A page fault goes to mm, which resolves it or answers
 * with the signal the faulting code dies of; any other exception kills a
 * user process with Linux's signal.  From kernel mode either is a bug. */
static void exception(struct trapframe *tf, bool from_user)
{
	uint32_t addr = 0;
	int sig = signal_for(tf->trapno);
	if (tf->trapno == T_PGFLT) {
		addr = read_cr2();    /* now: page_fault may sleep, and other faults reuse CR2 */
		sig = page_fault(tf, addr);
	}
	if (sig && from_user) {
		if (!signal_catch_fault(sig, fault_code(tf, sig), addr))
			user_fault_kill_sig(tf, addr, sig);
	} else if (sig) {
		kernel_trap_panic(tf);
	}
}

/* trapret reloads the frame's data selectors in kernel mode, where a
 * fault is a panic.  The TLS selector may have become unloadable since
 * it was saved: set_thread_area marked the segment not present while
 * %gs held it (#NP), or a signal frame forged it with no TLS segment set
 * (#GP).  Linux's exit path catches that fault and loads the null
 * selector instead; we load it without trying: the program's next
 * access through it is #GP, SIGSEGV. */
static void null_unloadable_tls(struct trapframe *tf)
{
	uint32_t *sel[] = { &tf->gs, &tf->fs, &tf->es, &tf->ds };
	if (current->tls_state == TLS_PRESENT)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(sel); i++)
		if ((*sel[i] | 3) == SEG_TLS)
			*sel[i] = 0;
}

/* SS cannot be nulled as the data selectors are: iret to ring 3 refuses
 * a null SS.  If the frame's SS is the TLS selector and set_thread_area
 * has since marked the segment not present, trapret's iret would fault
 * in kernel mode, a panic.  Linux lets that iret fault, catches it
 * (entry_32.S, asm_iret_error) and sends SIGILL (ILL_BADSTK); we send it
 * without trying.  A handler for it runs on the user data segment
 * (signal_frame.c's frame_address sets SS), so the frame can return. */
static void check_stack_selector(struct trapframe *tf)
{
	if ((tf->ss | 3) != SEG_TLS || current->tls_state == TLS_PRESENT)
		return;
	if (signal_catch_fault(SIGILL, ILL_BADSTK, 0))
		return;                         /* delivered next, by signal_deliver */
	printk("zc32: pid %d (%s) killed by SIGILL: iret to user mode with ss 0x%x not loadable, eip 0x%08x\n",
	       current->pid, current->name, tf->ss & 0xffff, tf->eip);
	sti();                                  /* exiting may sleep */
	proc_kill_current(SIGILL);
}

/* Called with interrupts off just before a trap frame returns to user
 * mode: the end of a time slice, then signals (proc/signal_frame.c),
 * which may kill or stop the process or point tf at a handler. */
void trap_return_to_user(struct trapframe *tf)
{
	if (need_resched)
		yield();
	check_stack_selector(tf);
	if (signal_work_pending(tf)) {
		sti();                          /* writing the frame may fault and sleep */
		signal_deliver(tf);
		cli();
	}
	null_unloadable_tls(tf);
	ledger_exit();
}

void trap_dispatch(struct trapframe *tf)
{
	bool from_user = tf_from_user(tf);
	if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16) {
		ledger_idle_end();
		if (from_user)
			ledger_enter(ZC_ENTRY_INTERRUPT);
		if (tf->trapno == T_IRQ0 + IRQ_TIMER)
			sched_account_tick(from_user);      /* utime/stime, /proc/stat */
		irq_dispatch(tf->trapno - T_IRQ0);
	} else {
		if (from_user)
			ledger_enter(ZC_ENTRY_FAULT);
		exception(tf, from_user);
	}
	if (from_user) {
		cli();
		trap_return_to_user(tf);
	}
}

