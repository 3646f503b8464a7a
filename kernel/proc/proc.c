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
#include "proc/signal.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "ledger/ledger.h"
#include "uapi/wait.h"
#include "uapi/sched.h"
#include "uapi/resource.h"
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
 * goes to trapret, which "returns" to user mode with the trap frame.
 * clone's CLONE_CHILD_SETTID word is written here, in the child's own
 * memory (its copy-on-write page is the child's to fault in); a bad
 * pointer is ignored, as Linux does. */
static void forkret(void)
{
	if (current->set_child_tid) {
		sti();                           /* a user copy runs as in a system call */
		put_user_arg(current->set_child_tid, &current->pid, sizeof current->pid);
		cli();
	}
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

/* The fork core, for fork, vfork and clone: the child is a copy of the
 * caller, returning 0 from the call.  set_child_tid is clone's
 * CLONE_CHILD_SETTID word (NULL for fork). */
long proc_fork(int *set_child_tid)
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
	memcpy(c->cloexec, current->cloexec, sizeof c->cloexec);
	memcpy(c->cwd, current->cwd, sizeof c->cwd);
	memcpy(c->name, current->name, sizeof c->name);
	memcpy(c->exe, current->exe, sizeof c->exe);          /* the same program until exec */
	memcpy(c->cmdline, current->cmdline, sizeof c->cmdline);
	c->cmdline_len = current->cmdline_len;
	c->tls_base = current->tls_base;
	c->tls_limit = current->tls_limit;
	c->tls_state = current->tls_state;
	c->set_child_tid = set_child_tid;
	fpu_save(c->fpu);                     /* the parent's live FPU state */
	signal_fork(c, current);              /* handlers, mask, process group, session */
	c->parent = current;
	c->state = P_RUNNABLE;
	return c->pid;
}

long sys_fork(void) { return proc_fork(NULL); }

/* vfork: a fork (copy-on-write makes it cheap); the parent does not wait
 * for the child's exec, which no correct vfork caller can tell. */
long sys_vfork(void) { return proc_fork(NULL); }

/* clone as glibc's fork() calls it: a new process, never a thread.  Any
 * flag that would share something (CLONE_VM, CLONE_FILES, ...) or a new
 * stack is EINVAL; the exit signal must be SIGCHLD (or none).
 * CLONE_CHILD_CLEARTID is accepted and does nothing: Linux zeroes that
 * word at exit and wakes its futex for threads sharing the memory, and
 * a zc32 process shares its memory with no one, so no one could see it. */
long sys_clone(uint32_t flags, uint32_t newsp, int *parent_tid, uint32_t tls, int *child_tid)
{
	uint32_t sig = flags & CLONE_SIGNAL_MASK;
	if (flags & ~(CLONE_SIGNAL_MASK | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID))
		return -EINVAL;
	if ((sig != 0 && sig != SIGCHLD) || newsp != 0)
		return -EINVAL;
	long pid = proc_fork(flags & CLONE_CHILD_SETTID ? child_tid : NULL);
	if (pid > 0 && (flags & CLONE_PARENT_SETTID))
		put_user_arg(parent_tid, &pid, sizeof(int));   /* errors ignored, as Linux */
	return pid;
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
	p->autoreap = signal_parent_autoreaps(p);
	if (p->autoreap) {                    /* nobody will wait: sum its ledgers now */
		ledger_add(&p->parent->child_stats, &p->ledger.stats);
		ledger_add(&p->parent->child_stats, &p->child_stats);
	}
	p->state = P_ZOMBIE;
	signal_notify_parent(p, WIFSIGNALED(wait_status) ? CLD_KILLED : CLD_EXITED, wait_status);
	sched();                              /* an autoreaped zombie is freed by the scheduler */
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

/* Linux's struct rusage (uapi/resource.h).  zc32 keeps no CPU times per
 * process, so ru_utime and ru_stime stay 0; the counts come from the
 * child's ledger (every switch to it counts as involuntary: the ledger
 * does not tell blocking from preemption). */
static void rusage_of(const struct zc_stats *s, struct rusage32 *ru)
{
	*ru = (struct rusage32){ .minflt = s->faults_minor, .majflt = s->faults_major,
				 .nswap = s->swap_outs, .nivcsw = s->context_switches };
}

/* getrusage: the caller's counts, or its reaped children's (summed). */
long sys_getrusage(int who, void *uru)
{
	struct rusage32 ru;
	if (who == RUSAGE_SELF)
		rusage_of(&current->ledger.stats, &ru);
	else if (who == RUSAGE_CHILDREN)
		rusage_of(&current->child_stats, &ru);
	else
		return -EINVAL;
	return put_user_arg(uru, &ru, sizeof ru);
}

/* Does child c match wait4's pid: > 0 that pid, 0 the caller's process
 * group, -1 any child, < -1 the group -pid? */
static bool wait_matches(struct proc *c, int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == current->pgid;
	return pid == -1 || c->pgid == -pid;
}

/* A stop or continue of c that wait4's options ask for: its status, or -1. */
static int stop_or_continue_status(struct proc *c, int options)
{
	if ((options & WUNTRACED) && c->state == P_STOPPED && c->report_stop) {
		c->report_stop = false;
		return W_STOPCODE(c->stop_sig);
	}
	if ((options & WCONTINUED) && c->report_cont) {
		c->report_cont = false;
		return W_CONTINUED;
	}
	return -1;
}

static long wait_result(int cpid, int status, struct rusage32 *ru, int *ustatus, void *urusage)
{
	if ((ustatus && put_user_arg(ustatus, &status, sizeof status) < 0) ||
	    (urusage && put_user_arg(urusage, ru, sizeof *ru) < 0))
		return -EFAULT;
	return cpid;
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
			if (c->state == P_UNUSED || c->parent != current || c->autoreap ||
			    !wait_matches(c, pid))
				continue;
			have_kids = true;
			struct rusage32 ru;
			rusage_of(&c->ledger.stats, &ru);
			int status = stop_or_continue_status(c, options);
			if (status >= 0) {
				sti();
				return wait_result(c->pid, status, &ru, ustatus, urusage);
			}
			if (c->state != P_ZOMBIE)
				continue;
			/* Reap first, then write the results: as Linux (since
			 * 4.13), a bad pointer gives -EFAULT but the child is gone. */
			int cpid = c->pid;
			status = c->wait_status;
			ledger_add(&current->child_stats, &c->ledger.stats);
			ledger_add(&current->child_stats, &c->child_stats);
			proc_free(c);
			sti();
			return wait_result(cpid, status, &ru, ustatus, urusage);
		}
		if (!have_kids || (options & WNOHANG) || signal_pending(current)) {
			sti();
			return !have_kids ? -ECHILD : (options & WNOHANG) ? 0 : -ERESTARTSYS;
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
					     [P_SLEEPING] = 'S', [P_ZOMBIE] = 'Z', [P_STOPPED] = 'T' };
	int n = 0;
	for (int i = 0; i < NPROC && n < max; i++) {
		struct proc *p = &proc_table[i];
		if (p->state == P_UNUSED)
			continue;
		struct zc_procinfo info = {     /* no hidden padding: the rest is zero */
			.pid = p->pid, .ppid = p->parent ? p->parent->pid : 0,
			.state = state_letter[p->state], .kthread = p->kthread,
			.rss_pages = p->mm ? p->mm->rss : 0,
		};
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
	if (p->state == P_SLEEPING || (p->state == P_STOPPED && sig == SIGKILL))
		p->state = P_RUNNABLE;          /* sleeps are interruptible; SIGKILL ends a stop */
	irq_restore(f);
}
