/*
 * proc.h - processes.  A process is an address space (struct mm), a
 * kernel stack on which its traps and system calls run, a saved
 * register context for when it is not running, open files, and its
 * ledger counters.
 */
#ifndef ZC32_PROC_H
#define ZC32_PROC_H
#include "types.h"
#include "uapi/zc32.h"
#include "ledger/ledger.h"
#include "uapi/signal.h"        /* the signals that kill a process */
#include "trap/trap.h"

#define NPROC        128
#define NOFILE       512          /* waitbench holds a few hundred connections */
#define KSTACK_PAGES 2
#define KSTACK_SIZE  (KSTACK_PAGES * 4096)
#define PATH_MAX     256

enum proc_state { P_UNUSED, P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE, P_STOPPED };

/* Callee-saved registers, as swtch.S pushes them. */
struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};
void swtch(struct context **old, struct context *new);   /* trap/swtch.S */

struct file;
struct mm;

struct proc {
	int pid;
	enum proc_state state;
	char name[16];
	struct proc *parent;
	uint8_t *kstack;               /* bottom of the kernel stack */
	struct trapframe *tf;          /* user registers, at the top of kstack */
	struct context *context;       /* where swtch() left this process */
	struct mm *mm;
	void *chan;                    /* what it sleeps on, if sleeping */
	uint64_t wake_at;              /* sleep_until: the tick it waits for */
	int killed;                    /* a fatal signal is pending */
	int wait_status;               /* Linux-encoded, for the parent's wait */
	/* Signals (proc/signal.c): bit sig-1 of each set. */
	uint64_t sig_pending, sig_blocked;
	struct kernel_sigaction sig_action[NSIG];   /* [sig]; [0] unused */
	struct siginfo_short { int code, pid; uint32_t addr; } sig_info[NSIG];
	uint64_t sig_saved_mask;       /* sigsuspend's mask, put back after the handler */
	bool sig_restore_mask;
	uint64_t alarm_at;             /* the tick SIGALRM is due, 0: none */
	uint64_t alarm_every;          /* ticks between SIGALRMs (setitimer's interval), 0: once */
	/* Job control: process group and session ids, and what wait4 reports. */
	int pgid, sid;
	bool did_exec;                 /* setpgid on a child that ran execve: EACCES */
	int stop_sig;                  /* the signal that stopped it (P_STOPPED) */
	bool report_stop, report_cont; /* a stop or continue not yet seen by wait4 */
	bool autoreap;                 /* its parent ignores SIGCHLD: no zombie kept */
	struct file *files[NOFILE];
	uint32_t cloexec[NOFILE / 32]; /* bit per fd: fd_cloexec() in fs/file.h */
	char cwd[PATH_MAX];
	struct ledger_account ledger;  /* this process's counters */
	struct zc_stats child_stats;   /* the ledgers of its reaped children, summed */
	uint64_t start_tsc;
	uint32_t tls_base, tls_limit;  /* set_thread_area */
	uint8_t tls_state;             /* TLS_NONE, TLS_PRESENT, TLS_NOT_PRESENT (trap/trap.h) */
	int *set_child_tid;            /* clone: write the pid here on the child's first return */
	bool kthread;                  /* a kernel thread: no user side, no signals */
	uint64_t start_ticks;          /* when it was made: /proc/PID/stat's starttime */
	uint64_t utime, stime;         /* timer ticks that found it in user / kernel mode */
	char exe[PATH_MAX];            /* its program, a normalised path (/proc/PID/exe) */
	char cmdline[128];             /* argv, NUL-separated, cut at 128 bytes (/proc/PID/cmdline) */
	uint32_t cmdline_len;
	uint8_t fpu[512] __attribute__((aligned(16)));   /* fxsave area */
};

extern struct proc *current;
extern struct proc proc_table[NPROC];   /* every slot: the scheduler walks it */

struct proc *proc_alloc(void);
void proc_free(struct proc *p);
struct proc *proc_find(int pid);
void proc_exit(int wait_status) __attribute__((noreturn));
void proc_kill_current(int sig) __attribute__((noreturn));
void proc_start_init(const char *path, char **argv, struct file *console);
struct proc *kthread_start(const char *name, void (*fn)(void));
int  proc_count(void);
void proc_set_killed(struct proc *p, int sig);   /* a fatal signal, even for init */

long proc_fork(int *set_child_tid);   /* the fork core */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(uint32_t flags, uint32_t newsp, int *parent_tid, uint32_t tls, int *child_tid);
long sys_exit(int code);
long sys_waitpid(int pid, int *status, int options);
long sys_wait4(int pid, int *status, int options, void *rusage);
long sys_getrusage(int who, void *rusage);
long sys_getpid(void);
long sys_getppid(void);
long sys_execve(const char *path, char *const *argv, char *const *envp);

#endif
