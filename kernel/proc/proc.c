/*
 * proc.c - the process table and the life of a process: creation (fork),
 * death (exit, kill, a fatal CPU exception) and burial (waitpid).
 *
 * An exiting process frees its memory and files at once and becomes a
 * zombie holding only its wait status, until its parent's wait() reaps it
 * and frees the kernel stack.  Orphans are handed to init (pid 1).  When
 * init itself exits, the machine powers off with init's exit status.
 */
#include "kernel.h"
#include "mmu.h"
#include "x86.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/fpu.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "ledger/ledger.h"
#include "uapi/wait.h"
#include "timer.h"

struct proc proc_table[NPROC];
struct proc *current;
static int next_pid = 1;

struct proc *proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (proc_table[i].state != P_UNUSED && proc_table[i].pid == pid)
			return &proc_table[i];
	return NULL;
}

int proc_count(void)
{
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		n += proc_table[i].state != P_UNUSED;
	return n;
}

/* A new process runs this first, on its own kernel stack; returning
 * goes to trapret, which "returns" to user mode with the trap frame. */
static void forkret(void)
{
}

/* A fresh process slot with a kernel stack laid out so that the first
 * swtch() to it lands in forkret and then trapret. */
struct proc *proc_alloc(void)
{
	struct proc *p = NULL;
	uint32_t f = irq_save();
	for (int i = 0; i < NPROC; i++) {
		if (proc_table[i].state == P_UNUSED) {
			p = &proc_table[i];
			p->state = P_EMBRYO;
			break;
		}
	}
	irq_restore(f);
	if (!p)
		return NULL;
	uint32_t pa = pages_alloc_contig(KSTACK_PAGES);
	if (!pa) {
		p->state = P_UNUSED;
		return NULL;
	}
	memset(p, 0, sizeof *p);
	p->state = P_EMBRYO;
	p->pid = next_pid++;
	p->kstack = P2V(pa);
	uint8_t *sp = p->kstack + KSTACK_SIZE;
	sp -= sizeof *p->tf;
	p->tf = (struct trapframe *)sp;
	memset(p->tf, 0, sizeof *p->tf);
	sp -= 4;
	*(uint32_t *)sp = (uint32_t)trapret;
	sp -= sizeof *p->context;
	p->context = (struct context *)sp;
	memset(p->context, 0, sizeof *p->context);
	p->context->eip = (uint32_t)forkret;
	fpu_init_state(p->fpu);
	strlcpy(p->cwd, "/", sizeof p->cwd);
	p->start_tsc = rdtsc();
	p->start_ticks = ticks;
	return p;
}

/* A kernel thread: a process without an address space of its own (it
 * runs on the kernel's page directory) that starts in fn, with
 * interrupts off, on its kernel stack.  fn never returns: there is no
 * user side to return to. */
struct proc *kthread_start(const char *name, void (*fn)(void))
{
	struct proc *p = proc_alloc();
	if (!p)
		panic("no process slot for kernel thread %s", name);
	p->kthread = true;
	p->context->eip = (uint32_t)fn;
	strlcpy(p->name, name, sizeof p->name);
	p->state = P_RUNNABLE;
	return p;
}

/* Release what is left of a zombie (or a failed embryo). */
void proc_free(struct proc *p)
{
	if (p->mm) {
		struct mm *mm = p->mm;
		p->mm = NULL;
		mm_destroy(mm);
	}
	for (int i = 0; i < KSTACK_PAGES; i++)
		page_put(V2P(p->kstack) + i * PAGE_SIZE);
	p->kstack = NULL;
	p->pid = 0;
	p->state = P_UNUSED;
}

long sys_fork(void)
{
	struct proc *c = proc_alloc();
	if (!c)
		return -EAGAIN;
	c->mm = mm_clone(current->mm);
	if (!c->mm) {
		proc_free(c);
		return -ENOMEM;
	}
	*c->tf = *current->tf;
	c->tf->eax = 0;                       /* fork returns 0 in the child */
	for (int fd = 0; fd < NOFILE; fd++)
		c->files[fd] = file_dup(current->files[fd]);
	c->cloexec = current->cloexec;
	memcpy(c->cwd, current->cwd, sizeof c->cwd);
	memcpy(c->name, current->name, sizeof c->name);
	memcpy(c->exe, current->exe, sizeof c->exe);          /* the same program until exec */
	memcpy(c->cmdline, current->cmdline, sizeof c->cmdline);
	c->cmdline_len = current->cmdline_len;
	c->tls_base = current->tls_base;
	c->tls_limit = current->tls_limit;
	c->tls_present = current->tls_present;
	fpu_save(c->fpu);                     /* the parent's live FPU state */
	c->parent = current;
	c->state = P_RUNNABLE;
	return c->pid;
}

void proc_exit(int wait_status)
{
	struct proc *p = current;
	fd_close_all();
	if (p->pid == 1) {
		int code = WIFSIGNALED(wait_status) ? 128 + WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
		printk("zc32: init exited with status %d, powering off\n", code);
		power_off(code);
	}
	p->ledger.stats.cycles_total = rdtsc() - p->start_tsc;   /* its lifetime, for the parent's sum */
	mm_activate(NULL);                    /* off the page tables we free next */
	struct mm *mm = p->mm;
	p->mm = NULL;                         /* first: mm_destroy may sleep, and nobody may */
	mm_destroy(mm);                       /* walk a half-freed address space meanwhile */

	struct proc *init = proc_find(1);
	cli();
	for (int i = 0; i < NPROC; i++) {
		if (proc_table[i].parent == p) {
			proc_table[i].parent = init;
			if (proc_table[i].state == P_ZOMBIE)
				wakeup(init);
		}
	}
	p->wait_status = wait_status;
	p->state = P_ZOMBIE;
	wakeup(p->parent);
	sched();
	panic("zombie %d ran again", p->pid);
}

long sys_exit(int code)
{
	proc_exit(W_EXITCODE(code, 0));
}

/* A fatal signal: die with the signal number in the wait status. */
void proc_kill_current(int sig)
{
	proc_exit(W_EXITCODE(0, sig & 0x7f));
}

/* Linux i386 struct rusage (72 bytes).  zc32 keeps no CPU times per
 * process, so ru_utime and ru_stime stay 0; the counts come from the
 * child's ledger (every switch to it counts as involuntary: the ledger
 * does not tell blocking from preemption). */
struct rusage32 {
	int32_t utime_sec, utime_usec, stime_sec, stime_usec;
	int32_t maxrss, ixrss, idrss, isrss;
	int32_t minflt, majflt, nswap, inblock, oublock;
	int32_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

static void rusage_of(struct proc *c, struct rusage32 *ru)
{
	memset(ru, 0, sizeof *ru);
	ru->minflt = c->ledger.stats.faults_minor;
	ru->majflt = c->ledger.stats.faults_major;
	ru->nswap = c->ledger.stats.swap_outs;
	ru->nivcsw = c->ledger.stats.context_switches;
}

long sys_wait4(int pid, int *ustatus, int options, void *urusage)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL))
		return -EINVAL;
	for (;;) {
		bool have_kids = false;
		cli();
		for (int i = 0; i < NPROC; i++) {
			struct proc *c = &proc_table[i];
			if (c->state == P_UNUSED || c->parent != current)
				continue;
			if (pid > 0 && c->pid != pid)
				continue;
			have_kids = true;
			if (c->state != P_ZOMBIE)
				continue;
			/* Reap first, then write the results: as Linux (since
			 * 4.13), a bad pointer gives -EFAULT but the child is gone. */
			int cpid = c->pid, status = c->wait_status;
			struct rusage32 ru;
			rusage_of(c, &ru);
			ledger_add(&current->child_stats, &c->ledger.stats);
			ledger_add(&current->child_stats, &c->child_stats);
			proc_free(c);
			sti();
			if ((ustatus && put_user_arg(ustatus, &status, sizeof status) < 0) ||
			    (urusage && put_user_arg(urusage, &ru, sizeof ru) < 0))
				return -EFAULT;
			return cpid;
		}
		if (!have_kids) {
			sti();
			return -ECHILD;
		}
		if (options & WNOHANG) {
			sti();
			return 0;
		}
		if (current->killed) {
			sti();
			return -EINTR;
		}
		sleep_on(current);
		sti();
	}
}

long sys_waitpid(int pid, int *status, int options)
{
	return sys_wait4(pid, status, options, NULL);
}

long sys_getpid(void) { return current->pid; }
long sys_getppid(void) { return current->parent ? current->parent->pid : 0; }

/* zc_procs (1007): a snapshot of the process table, for ps. */
long sys_zc_procs(struct zc_procinfo *uout, int max)
{
	static const char state_letter[] = { [P_EMBRYO] = 'R', [P_RUNNABLE] = 'R', [P_RUNNING] = 'R',
					     [P_SLEEPING] = 'S', [P_ZOMBIE] = 'Z' };
	int n = 0;
	for (int i = 0; i < NPROC && n < max; i++) {
		struct proc *p = &proc_table[i];
		if (p->state == P_UNUSED)
			continue;
		struct zc_procinfo info;
		memset(&info, 0, sizeof info);
		info.pid = p->pid;
		info.ppid = p->parent ? p->parent->pid : 0;
		info.state = state_letter[p->state];
		info.kthread = p->kthread;
		info.rss_pages = p->mm ? p->mm->rss : 0;
		strlcpy(info.name, p->name, sizeof info.name);
		if (put_user_arg(&uout[n], &info, sizeof info) < 0)
			return -EFAULT;
		n++;
	}
	return n;
}

/* p is to die of sig on its way back to user mode (the kernel's own
 * kills: the out-of-memory killer). */
void proc_set_killed(struct proc *p, int sig)
{
	uint32_t f = irq_save();
	if (!p->killed)
		p->killed = sig;
	if (p->state == P_SLEEPING)
		p->state = P_RUNNABLE;          /* sleeps are interruptible */
	irq_restore(f);
}

/* Deliver sig to p: the default action, since there are no handlers. */
static void signal_proc(struct proc *p, int sig)
{
	if (sig == 0 || p->pid == 1 || p->kthread)
		return;                         /* a probe; init and kernel threads ignore signals */
	if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH || sig == SIGSTOP || sig == 20)
		return;                         /* ignored by default (SIGTSTP is 20) */
	proc_set_killed(p, sig);
}

/* Signals: zc32 has no handlers, so every signal does its default action:
 * most terminate the target; a few are ignored; init ignores them all.
 * There are no process groups either: every process is in one group, so
 * kill(0, sig) signals every process but init (the caller too), and
 * kill(-1, sig) every process but init and the caller, as Linux does. */
long sys_kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct proc *p = proc_find(pid);
		if (!p || p->state == P_ZOMBIE)
			return -ESRCH;
		signal_proc(p, sig);
		return 0;
	}
	if (pid < -1)
		return -ESRCH;                  /* no process group but the one */
	int found = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[i];
		if (p->state == P_UNUSED || p->state == P_ZOMBIE || p->pid == 1 || p->kthread ||
		    (pid == -1 && p == current))
			continue;
		found++;
		signal_proc(p, sig);
	}
	return found ? 0 : -ESRCH;
}
