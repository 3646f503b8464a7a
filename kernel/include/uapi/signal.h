/*
 * uapi/signal.h - signals as Linux i386 defines them (asm/signal.h,
 * asm/sigcontext.h, asm-generic/siginfo.h, man 7 signal).  Shared by the
 * kernel and user/lib.  The signal frame the kernel writes on the user
 * stack is built from these structures; docs/signals.md draws it.
 */
#ifndef ZC32_UAPI_SIGNAL_H
#define ZC32_UAPI_SIGNAL_H

#define SIGHUP    1
#define SIGINT    2    /* Ctrl-C on the console */
#define SIGQUIT   3    /* Ctrl-\ */
#define SIGILL    4    /* invalid opcode (ud2) */
#define SIGTRAP   5    /* breakpoint (int3) */
#define SIGABRT   6
#define SIGBUS    7    /* a mapped file page past the file's end */
#define SIGFPE    8    /* divide error */
#define SIGKILL   9    /* cannot be caught, blocked or ignored */
#define SIGUSR1  10
#define SIGSEGV  11    /* page fault or general protection fault */
#define SIGUSR2  12
#define SIGPIPE  13
#define SIGALRM  14    /* alarm(2) */
#define SIGTERM  15
#define SIGSTKFLT 16
#define SIGCHLD  17
#define SIGCONT  18
#define SIGSTOP  19    /* cannot be caught, blocked or ignored */
#define SIGTSTP  20    /* Ctrl-Z */
#define SIGTTIN  21    /* a background process read the terminal */
#define SIGTTOU  22
#define SIGURG   23
#define SIGXCPU  24
#define SIGXFSZ  25
#define SIGVTALRM 26
#define SIGPROF  27
#define SIGWINCH 28
#define SIGIO    29
#define SIGPWR   30
#define SIGSYS   31
#define SIGRTMIN 32
#define NSIG     65    /* signals are 1..64 */

/* A signal set: bit sig-1 for each signal, 64 bits as two words. */
#define SIGBIT(sig) (1ull << ((sig) - 1))

/* Handlers (sa_handler): the default action, ignore, signal()'s error */
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

/* sa_flags */
#define SA_NOCLDSTOP 0x00000001   /* no SIGCHLD when a child stops or continues */
#define SA_NOCLDWAIT 0x00000002   /* children are reaped by the kernel */
#define SA_SIGINFO   0x00000004   /* handler(sig, siginfo *, ucontext *): an rt frame */
#define SA_ONSTACK   0x08000000
#define SA_RESTORER  0x04000000   /* sa_restorer is the return address */
#define SA_RESTART   0x10000000   /* restart interrupted system calls */
#define SA_NODEFER   0x40000000   /* do not block the signal in its handler */
#define SA_RESETHAND 0x80000000   /* one shot: back to SIG_DFL on delivery */

/* sigprocmask how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* rt_sigaction's struct (the kernel's struct sigaction on i386): the
 * mask is 64 bits, held in two words so the struct is 20 bytes. */
struct kernel_sigaction {
	unsigned int handler;
	unsigned int flags;
	unsigned int restorer;
	unsigned int mask[2];
};

/* sigaction(67)'s older struct: a 32-bit mask, in another order. */
struct old_sigaction {
	unsigned int handler;
	unsigned int mask;
	unsigned int flags;
	unsigned int restorer;
};

/* si_code values */
#define SI_USER      0       /* kill() */
#define SI_KERNEL    0x80    /* the kernel: the terminal, alarm */
#define SI_TKILL     (-6)    /* tkill(), tgkill() */
#define ILL_ILLOPN   2
#define ILL_BADSTK   8       /* the kernel could not return to the program's stack */
#define FPE_INTDIV   1
#define SEGV_MAPERR  1       /* no mapping at the address */
#define SEGV_ACCERR  2       /* a mapping that does not allow the access */
#define BUS_ADRERR   2
#define TRAP_BRKPT   1
#define CLD_EXITED   1
#define CLD_KILLED   2
#define CLD_STOPPED  5
#define CLD_CONTINUED 6

/* siginfo_t (128 bytes); the union holds what si_code says. */
struct siginfo {
	int si_signo, si_errno, si_code;
	union {
		int pad[29];
		struct { int pid; unsigned int uid; } kill;
		struct { unsigned int addr; } fault;
		struct { int pid; unsigned int uid; int status; int utime, stime; } chld;
	} u;
};

/* The registers as the kernel saves them in a signal frame (struct
 * sigcontext of i386), 88 bytes; sigreturn puts them back. */
struct sigcontext {
	unsigned int gs, fs, es, ds;
	unsigned int edi, esi, ebp, esp, ebx, edx, ecx, eax;
	unsigned int trapno, err, eip, cs, eflags, esp_at_signal, ss;
	unsigned int fpstate;              /* user address of struct fpstate */
	unsigned int oldmask;              /* blocked signals 1-32 before the handler */
	unsigned int cr2;
};

/* struct _fpstate_32: a 112-byte fsave-style head (zc32 writes only its
 * magic) and the 512-byte fxsave image Linux calls the FXSR part. */
#define FPSTATE_MAGIC_FXSR 0x0000
struct fpstate {
	unsigned int legacy[27];
	unsigned short status, magic;
	unsigned char fxsave[512];
};

struct sigaltstack {
	unsigned int ss_sp;
	int ss_flags;
	unsigned int ss_size;
};

struct ucontext {
	unsigned int uc_flags, uc_link;
	struct sigaltstack uc_stack;
	struct sigcontext uc_mcontext;
	unsigned int uc_sigmask[2];
};

#endif
