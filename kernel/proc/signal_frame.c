/*
 * signal_frame.c - delivering a signal: on the way back to user mode,
 * trap_return_to_user (trap/trap.c) calls signal_deliver, which takes the
 * lowest pending signal that is not blocked and
 *   - ignores it, stops the process, or kills it (default actions), or
 *   - builds a signal frame on the user stack (the saved registers, FPU
 *     state, mask and a return trampoline, laid out as Linux i386's
 *     struct sigframe / struct rt_sigframe) and points the trap frame at
 *     the handler, so the iret "returns" into it.
 * The handler returns to sa_restorer (libc's stub) or to the trampoline
 * in the frame; either calls sigreturn (119) or rt_sigreturn (173), which
 * read the registers back from the frame.  The frame is user memory, so
 * sigreturn checks what it restores: user segments only, no IOPL or
 * interrupt flag from a forged frame.
 *
 * A system call interrupted by a signal returned -ERESTART*: here it
 * becomes -EINTR, or the call is restarted by backing eip up over the
 * 2-byte int 0x80 and putting the call number back in eax (kept in the
 * trap frame's err slot: Linux's orig_eax).
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "proc/fpu.h"
#include "mm/uaccess.h"

#define INT80_LEN 2                     /* cd 80: the instruction restarted */
#define FPSTATE_ALIGN 64                /* Linux aligns the FPU area so */
#define MXCSR_OFFSET 24                 /* in the fxsave image (SDM Vol. 1, 10.5.1) */
#define MXCSR_MASK_OFFSET 28
#define MXCSR_DEFAULT_MASK 0xffbf       /* SDM Vol. 1, 11.6.6: when MXCSR_MASK reads 0 */
/* EFLAGS bits a program may change through sigreturn (Linux FIX_EFLAGS):
 * AC OF DF TF SF ZF AF PF CF RF.  Never IOPL, IF, NT or VM. */
#define EFLAGS_USER_CHANGEABLE 0x00050dd5u
#define EFLAGS_TF_DF_RF 0x00010500u     /* cleared for the handler */

/* Linux's struct sigframe_ia32, with the FPU state above it. */
struct sigframe {
	uint32_t pretcode;                  /* the handler's return address */
	int sig;
	struct sigcontext sc;
	struct fpstate fpstate_unused;      /* kept so extramask stays where Linux has it */
	uint32_t extramask;                 /* blocked signals 33-64 */
	uint8_t retcode[8];
};

/* Linux's struct rt_sigframe_ia32 (SA_SIGINFO). */
struct rt_sigframe {
	uint32_t pretcode;
	int sig;
	uint32_t pinfo, puc;                /* the handler's 2nd and 3rd arguments */
	struct siginfo info;
	struct ucontext uc;
	uint8_t retcode[8];
};

/* popl %eax; movl $119, %eax; int $0x80 - and movl $173, %eax; int $0x80 */
static const uint8_t sigreturn_code[8] = { 0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80 };
static const uint8_t rt_sigreturn_code[8] = { 0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0 };

/* ---- restarting an interrupted system call ---- */

static bool interrupted_syscall(struct trapframe *tf)
{
	int r = (int)tf->eax;
	return tf->trapno == T_SYSCALL && (int)tf->err >= 0 &&
	       (r == -ERESTARTSYS || r == -ERESTARTNOINTR || r == -ERESTARTNOHAND ||
		r == -ERESTART_RESTARTBLOCK);
}

static void restart_syscall(struct trapframe *tf)
{
	tf->eax = tf->err;
	tf->eip -= INT80_LEN;
	tf->err = (uint32_t)-1;
}

/* A handler is about to run: EINTR, unless the call asks to be restarted
 * (ERESTARTNOINTR, or ERESTARTSYS with SA_RESTART). */
static void syscall_result_for_handler(struct trapframe *tf, const struct kernel_sigaction *ka)
{
	if (!interrupted_syscall(tf))
		return;
	int r = (int)tf->eax;
	if (r == -ERESTARTNOINTR || (r == -ERESTARTSYS && (ka->flags & SA_RESTART)))
		restart_syscall(tf);
	else {
		tf->eax = (uint32_t)-EINTR;
		tf->err = (uint32_t)-1;
	}
}

/* Is there anything for signal_deliver to do? */
bool signal_work_pending(struct trapframe *tf)
{
	return signal_pending(current) || interrupted_syscall(tf) || current->sig_restore_mask;
}

/* The blocked mask, changed with interrupts off: interrupt handlers
 * (Ctrl-C, alarms) read it. */
static void set_blocked(uint64_t mask)
{
	uint32_t f = irq_save();
	current->sig_blocked = mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	irq_restore(f);
}

/* ---- building the frame ---- */

static void save_sigcontext(struct sigcontext *sc, struct trapframe *tf, uint64_t mask,
			    uint32_t fpstate, uint32_t cr2)
{
	*sc = (struct sigcontext){
		.gs = tf->gs, .fs = tf->fs, .es = tf->es, .ds = tf->ds,
		.edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp, .esp = tf->esp,
		.ebx = tf->ebx, .edx = tf->edx, .ecx = tf->ecx, .eax = tf->eax,
		.trapno = tf->trapno, .err = tf->err, .eip = tf->eip, .cs = tf->cs,
		.eflags = tf->eflags, .esp_at_signal = tf->esp, .ss = tf->ss,
		.fpstate = fpstate, .oldmask = (uint32_t)mask, .cr2 = cr2,
	};
}

/* The FPU registers as they are now, written to user address ufp; the
 * handler then starts with a clean FPU, as on Linux. */
static int save_fpu(uint32_t ufp)
{
	struct fpstate fp;                  /* on the stack: a page fault below may sleep */
	uint32_t f = irq_save();
	fpu_save(current->fpu);
	memset(&fp, 0, sizeof fp);
	fp.magic = FPSTATE_MAGIC_FXSR;
	memcpy(fp.fxsave, current->fpu, sizeof fp.fxsave);
	irq_restore(f);
	if (put_user_arg((void *)ufp, &fp, sizeof fp) < 0)
		return -EFAULT;
	f = irq_save();
	fpu_init_state(current->fpu);
	fpu_restore(current->fpu);
	irq_restore(f);
	return 0;
}

/* Where the frame goes: below the interrupted stack pointer, the FPU area
 * 64-byte aligned, and the frame so that esp + 4 is 16-byte aligned at
 * the handler's first instruction (as after a call). */
static uint32_t frame_address(struct trapframe *tf, uint32_t size, uint32_t *ufp)
{
	*ufp = (tf->esp - sizeof(struct fpstate)) & ~(FPSTATE_ALIGN - 1);
	return ((*ufp - size + 4) & ~15u) - 4;
}

static void enter_handler(struct trapframe *tf, const struct kernel_sigaction *ka, uint32_t frame)
{
	tf->esp = frame;
	tf->eip = ka->handler;
	tf->cs = SEG_UCODE;
	tf->ss = tf->ds = tf->es = SEG_UDATA;
	tf->eflags &= ~EFLAGS_TF_DF_RF;
}

static uint32_t return_address(const struct kernel_sigaction *ka, uint32_t retcode)
{
	return (ka->flags & SA_RESTORER) ? ka->restorer : retcode;
}

static int setup_frame(struct trapframe *tf, int sig, const struct kernel_sigaction *ka,
		       uint64_t oldmask)
{
	struct sigframe k;                  /* 732 bytes of the 8 KiB kernel stack */
	uint32_t ufp, uframe = frame_address(tf, sizeof k, &ufp);
	memset(&k, 0, sizeof k);
	k.sig = sig;
	k.pretcode = return_address(ka, uframe + offsetof(struct sigframe, retcode));
	save_sigcontext(&k.sc, tf, oldmask, ufp, current->sig_info[sig].addr);
	k.extramask = (uint32_t)(oldmask >> 32);
	memcpy(k.retcode, sigreturn_code, sizeof k.retcode);
	if (save_fpu(ufp) < 0 || put_user_arg((void *)uframe, &k, sizeof k) < 0)
		return -EFAULT;
	enter_handler(tf, ka, uframe);
	tf->eax = sig;                      /* handler(sig), regparm-style too */
	tf->edx = tf->ecx = 0;
	return 0;
}

static void fill_siginfo(struct siginfo *si, int sig)
{
	struct siginfo_short *s = &current->sig_info[sig];
	memset(si, 0, sizeof *si);
	si->si_signo = sig;
	si->si_code = s->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP)
		si->u.fault.addr = s->addr;
	else
		si->u.kill.pid = s->pid;
}

static int setup_rt_frame(struct trapframe *tf, int sig, const struct kernel_sigaction *ka,
			  uint64_t oldmask)
{
	struct rt_sigframe k;
	uint32_t ufp, uframe = frame_address(tf, sizeof k, &ufp);
	memset(&k, 0, sizeof k);
	k.sig = sig;
	k.pretcode = return_address(ka, uframe + offsetof(struct rt_sigframe, retcode));
	k.pinfo = uframe + offsetof(struct rt_sigframe, info);
	k.puc = uframe + offsetof(struct rt_sigframe, uc);
	fill_siginfo(&k.info, sig);
	save_sigcontext(&k.uc.uc_mcontext, tf, oldmask, ufp, current->sig_info[sig].addr);
	k.uc.uc_stack.ss_flags = 2;         /* SS_DISABLE: no sigaltstack */
	k.uc.uc_sigmask[0] = (uint32_t)oldmask;
	k.uc.uc_sigmask[1] = (uint32_t)(oldmask >> 32);
	memcpy(k.retcode, rt_sigreturn_code, sizeof k.retcode);
	if (save_fpu(ufp) < 0 || put_user_arg((void *)uframe, &k, sizeof k) < 0)
		return -EFAULT;
	enter_handler(tf, ka, uframe);
	tf->eax = sig;
	tf->edx = k.pinfo;
	tf->ecx = k.puc;
	return 0;
}

/* Run the handler of sig: frame, then the mask the handler runs with. */
static int handle_signal(struct trapframe *tf, int sig, struct kernel_sigaction *ka)
{
	struct proc *p = current;
	syscall_result_for_handler(tf, ka);
	uint64_t oldmask = p->sig_restore_mask ? p->sig_saved_mask : p->sig_blocked;
	int r = (ka->flags & SA_SIGINFO) ? setup_rt_frame(tf, sig, ka, oldmask)
					 : setup_frame(tf, sig, ka, oldmask);
	if (r < 0)
		return r;
	p->sig_restore_mask = false;
	set_blocked(p->sig_blocked | ((uint64_t)ka->mask[1] << 32 | ka->mask[0]) |
		    ((ka->flags & SA_NODEFER) ? 0 : SIGBIT(sig)));
	if (ka->flags & SA_RESETHAND)
		ka->handler = HANDLER_DFL;
	return 0;
}

/* ---- delivery ---- */

/* Take the lowest pending, unblocked signal off the pending set. */
static int dequeue_signal(struct proc *p)
{
	uint32_t f = irq_save();
	uint64_t ready = p->sig_pending & ~p->sig_blocked;
	int sig = 0;
	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		p->sig_pending &= ~SIGBIT(sig);
	}
	irq_restore(f);
	return sig;
}

/* Stop: the parent hears of it (SIGCHLD, wait4's WUNTRACED), and the
 * process sleeps until SIGCONT or SIGKILL makes it runnable. */
static void stop_current(int sig)
{
	struct proc *p = current;
	uint32_t f = irq_save();
	p->stop_sig = sig;
	p->report_stop = true;
	p->report_cont = false;
	p->state = P_STOPPED;
	signal_notify_parent(p, CLD_STOPPED, sig);
	sched();
	irq_restore(f);
}

/* The frame could not be written (a bad stack): SIGSEGV, as Linux. */
static void bad_frame(struct trapframe *tf, int sig)
{
	printk("zc32: pid %d (%s) killed by SIGSEGV: no room for the frame of signal %d at esp 0x%08x\n",
	       current->pid, current->name, sig, tf->esp);
	proc_kill_current(SIGSEGV);
}

/* Called with interrupts on, just before returning to user mode. */
void signal_deliver(struct trapframe *tf)
{
	struct proc *p = current;
	for (;;) {
		if (p->killed)
			proc_kill_current(p->killed);
		int sig = dequeue_signal(p);
		if (!sig)
			break;
		struct kernel_sigaction *ka = &p->sig_action[sig];
		if (ka->handler == HANDLER_IGN)
			continue;
		if (ka->handler != HANDLER_DFL) {
			if (handle_signal(tf, sig, ka) < 0)
				bad_frame(tf, sig);
			return;                 /* one handler per return to user */
		}
		if (p->pid == 1 || !signal_is_fatal_default(p, sig)) {
			if (signal_default_stops(sig) && p->pid != 1)
				stop_current(sig);
			continue;               /* ignored by default, or continued */
		}
		proc_kill_current(sig);
	}
	/* No handler ran: an interrupted call starts again, and sigsuspend's
	 * temporary mask goes. */
	if (interrupted_syscall(tf))
		restart_syscall(tf);
	if (p->sig_restore_mask) {
		set_blocked(p->sig_saved_mask);
		p->sig_restore_mask = false;
	}
}

/* ---- sigreturn ---- */

/* A user data selector a program may have in ds/es/fs/gs: user data,
 * its TLS segment, or (fs, gs) the null selector. */
static bool user_data_selector(uint32_t sel, bool null_ok)
{
	sel &= 0xffff;
	return (sel | 3) == SEG_UDATA || (sel | 3) == SEG_TLS || (null_ok && sel < 4);
}

/* Put the registers of a frame back.  Returns false for a frame that
 * would return to anything but user mode. */
static bool restore_sigcontext(struct trapframe *tf, const struct sigcontext *sc)
{
	if ((sc->cs & 0xffff) != SEG_UCODE || (sc->ss & 0xffff) != SEG_UDATA ||
	    !user_data_selector(sc->ds, false) || !user_data_selector(sc->es, false) ||
	    !user_data_selector(sc->fs, true) || !user_data_selector(sc->gs, true))
		return false;
	tf->gs = sc->gs & 0xffff;
	tf->fs = sc->fs & 0xffff;
	tf->es = sc->es & 0xffff;
	tf->ds = sc->ds & 0xffff;
	tf->edi = sc->edi; tf->esi = sc->esi; tf->ebp = sc->ebp; tf->esp = sc->esp;
	tf->ebx = sc->ebx; tf->edx = sc->edx; tf->ecx = sc->ecx; tf->eax = sc->eax;
	tf->eip = sc->eip;
	tf->cs = SEG_UCODE;
	tf->ss = SEG_UDATA;
	tf->eflags = (tf->eflags & ~EFLAGS_USER_CHANGEABLE) | (sc->eflags & EFLAGS_USER_CHANGEABLE);
	tf->err = (uint32_t)-1;             /* not a system call to restart */
	return true;
}

/* The FPU registers from the frame; mxcsr bits the CPU lacks would make
 * fxrstor fault in the kernel, so they are masked off. */
static bool restore_fpu(uint32_t ufp)
{
	struct fpstate fp;
	uint32_t f = irq_save();
	if (!ufp) {
		fpu_init_state(current->fpu);
	} else {
		irq_restore(f);
		if (get_user_arg(&fp, (const void *)ufp, sizeof fp) < 0)
			return false;
		f = irq_save();
		uint32_t mask, mxcsr;
		memcpy(&mask, current->fpu + MXCSR_MASK_OFFSET, 4);
		memcpy(&mxcsr, fp.fxsave + MXCSR_OFFSET, 4);
		mxcsr &= mask ? mask : MXCSR_DEFAULT_MASK;
		memcpy(fp.fxsave + MXCSR_OFFSET, &mxcsr, 4);
		memcpy(fp.fxsave + MXCSR_MASK_OFFSET, &mask, 4);
		memcpy(current->fpu, fp.fxsave, sizeof fp.fxsave);
	}
	fpu_restore(current->fpu);
	irq_restore(f);
	return true;
}

/* A forged or unreadable frame: the process dies of SIGSEGV. */
static long bad_sigreturn(uint32_t where)
{
	printk("zc32: pid %d (%s) killed by SIGSEGV: bad signal frame at 0x%08x\n",
	       current->pid, current->name, where);
	proc_set_killed(current, SIGSEGV);
	return 0;
}

/* Both sigreturns, once the frame is read: registers, FPU, mask.  The
 * result is the restored eax, which syscall_dispatch stores again. */
static long finish_sigreturn(struct trapframe *tf, const struct sigcontext *sc, uint64_t mask,
			     uint32_t uframe)
{
	if (!restore_sigcontext(tf, sc) || !restore_fpu(sc->fpstate))
		return bad_sigreturn(uframe);
	set_blocked(mask);
	return tf->eax;
}

/* sigreturn (119): the handler returned into the trampoline, whose popl
 * took sig off the stack, so the frame starts 8 bytes below esp. */
long sys_sigreturn(void)
{
	struct sigframe k;
	struct trapframe *tf = current->tf;
	uint32_t uframe = tf->esp - 8;
	if (get_user_arg(&k, (const void *)uframe, sizeof k) < 0)
		return bad_sigreturn(uframe);
	return finish_sigreturn(tf, &k.sc, (uint64_t)k.extramask << 32 | k.sc.oldmask, uframe);
}

/* rt_sigreturn (173): the handler's ret popped pretcode: the frame is 4
 * bytes below esp. */
long sys_rt_sigreturn(void)
{
	struct rt_sigframe k;
	struct trapframe *tf = current->tf;
	uint32_t uframe = tf->esp - 4;
	if (get_user_arg(&k, (const void *)uframe, sizeof k) < 0)
		return bad_sigreturn(uframe);
	return finish_sigreturn(tf, &k.uc.uc_mcontext,
				(uint64_t)k.uc.uc_sigmask[1] << 32 | k.uc.uc_sigmask[0], uframe);
}
