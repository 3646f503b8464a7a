/*
 * hostile - a user program that tries everything ring 3 may not do.
 *
 *     hostile [-r ROUNDS] [-b]
 *
 * Run as init.  Three parts, each in forked children, so the kernel must
 * end the offender alone and carry on:
 *
 *   1. Exceptions: every CPU exception a user program can raise and every
 *      privileged instruction, one child each, with the signal Linux
 *      answers (arch/x86/kernel/traps.c): SIGFPE for #DE, #MF and #XM,
 *      SIGTRAP for #BP and #DB, SIGSEGV for #OF, #BR, #GP and page faults,
 *      SIGILL for #UD, SIGBUS for #NP, #SS and #AC.  A TLS selector the kernel
 *      cannot reload on the way back to user mode (marked not present
 *      while loaded, or forged in a signal frame) becomes the null
 *      selector, as on Linux: the next access through it is #GP; in SS,
 *      which cannot be null, it is SIGILL, Linux's answer when its iret
 *      to user mode faults.  The parent checks each
 *      child's wait status.  -r repeats the table (make stress).
 *   2. A fork bomb (-b skips it): every process forks until fork fails,
 *      then exits after a few more tries.  It must end with fork refused
 *      (EAGAIN when the process table is full, or ENOMEM), every process
 *      reaped, and the system still working: a fork and exec of /bin/true
 *      succeeds and the frames come back.
 *   3. Processes blocked in the kernel (a pipe read, nanosleep, accept, a
 *      console read, wait for a sleeping child, poll): SIGKILL must end
 *      each within KILL_WAIT_MS.
 *
 * One summary line for make stress:
 *     hostile: E exceptions tried (K kinds), fork bomb: N processes, fork
 *              refused with ERR, all reaped; B blocked processes killed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <poll.h>
#include <socket.h>
#include <syscall.h>
#include <zc.h>
#include <ztest.h>

#define KILL_WAIT_MS 3000
#define LEAK_SLACK   8

extern char _start[];          /* crt0.S: the first byte of our code */

/* ---- 1. exceptions: one small function each ---- */

/* Faults and traps (Intel SDM vol. 3, table 6-1). */
static void de_div_zero(void)   { unsigned a = 1, d = 0; __asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(0u)); }
static void de_overflow(void)   { int a = (int)0x80000000, d = -1; __asm__ volatile("idivl %2" : "+a"(a), "+d"(d) : "r"(-1)); }
static void de_div8(void)       { __asm__ volatile("movw $0x1000, %%ax; movb $0, %%cl; divb %%cl" : : : "eax", "ecx"); }
static void bp_int3(void)       { __asm__ volatile("int3"); }
static void bp_int_3(void)      { __asm__ volatile(".byte 0xcd, 0x03"); }          /* int $3, the long form */
static void db_icebp(void)      { __asm__ volatile(".byte 0xf1"); }                /* int1 */
static void db_single_step(void)
{
	__asm__ volatile("pushfl; orl $0x100, (%%esp); popfl; nop; nop" : : : "memory", "cc");
}
static void of_into(void)       { __asm__ volatile("movl $0x7fffffff, %%eax; addl $1, %%eax; into" : : : "eax", "cc"); }
static void of_int4(void)       { __asm__ volatile("int $4"); }
static void br_bound(void)
{
	static int bounds[2] = { 0, 10 };
	__asm__ volatile("movl $100, %%eax; boundl %%eax, %0" : : "m"(bounds) : "eax");
}
static void ud_ud2(void)        { __asm__ volatile("ud2"); }
static void ud_ud0(void)        { __asm__ volatile(".byte 0x0f, 0xff, 0xc0"); }
static void ud_lock_nop(void)   { __asm__ volatile(".byte 0xf0, 0x90"); }          /* lock on a non-memory op */
static void ud_syscall(void)    { __asm__ volatile(".byte 0x0f, 0x05"); }          /* EFER.SCE is off */
static void mf_x87_div(void)
{
	unsigned short cw = 0x037f & ~0x4;             /* unmask zero-divide (ZM, FCW bit 2) */
	__asm__ volatile("fninit; fldcw %0; fld1; fldz; fdivrp; fwait" : : "m"(cw));
}
static void mf_x87_invalid(void)
{
	unsigned short cw = 0x037f & ~0x1;             /* unmask invalid operation (IM) */
	__asm__ volatile("fninit; fldcw %0; fld1; fchs; fsqrt; fwait" : : "m"(cw));
}
static void xm_sse_div(void)
{
	unsigned int csr = 0x1f80 & ~0x200;            /* MXCSR: unmask zero-divide (ZM, bit 9) */
	static float one = 1.0f, zero = 0.0f;
	__asm__ volatile("ldmxcsr %0; movss %1, %%xmm0; divss %2, %%xmm0" : : "m"(csr), "m"(one), "m"(zero));   /* xmm0: the child dies here, or exits */
}
static void xm_sse_invalid(void)
{
	unsigned int csr = 0x1f80 & ~0x80;             /* unmask invalid operation (IM, bit 7) */
	static float zero = 0.0f;
	__asm__ volatile("ldmxcsr %0; movss %1, %%xmm0; divss %1, %%xmm0" : : "m"(csr), "m"(zero));   /* xmm0: the child dies here, or exits */
}
/* EFLAGS.AC on, then a misaligned load.  #AC needs CR0.AM too. */
static void ac_misaligned(void)
{
	static char buf[16];
	__asm__ volatile("pushfl; orl $0x40000, (%%esp); popfl; movl 1(%0), %%eax; nop" : : "r"(buf) : "eax", "cc");
}

/* Page faults. */
static void pf_null_read(void)    { (void)*(volatile int *)0; }
static void pf_null_write(void)   { *(volatile int *)0 = 1; }
static void pf_null_exec(void)    { __asm__ volatile("call *%0" : : "r"(0)); }
static void pf_kernel_read(void)  { (void)*(volatile int *)0xC0000000; }
static void pf_kernel_write(void) { *(volatile int *)0xC0100000 = 1; }
static void pf_kernel_exec(void)  { __asm__ volatile("jmp *%0" : : "r"(0xC0100000)); }
static void pf_top_read(void)     { (void)*(volatile int *)0xFFFFF000; }
static void pf_text_write(void)   { *(volatile char *)_start = 0; }
static void pf_unmapped(void)     { (void)*(volatile int *)0x20000000; }
static void pf_kernel_stack(void) { __asm__ volatile("movl $0xC0000100, %%esp; pushl %%eax" : : : "memory"); }

/* #GP: privileged instructions (CPL 3, IOPL 0) and bad selectors. */
static void gp_hlt(void)     { __asm__ volatile("hlt"); }
static void gp_cli(void)     { __asm__ volatile("cli"); }
static void gp_sti(void)     { __asm__ volatile("sti"); }
static void gp_in(void)      { __asm__ volatile("inb $0x60, %%al" : : : "eax"); }
static void gp_out(void)     { __asm__ volatile("outb %%al, $0x80" : : "a"(0)); }
static void gp_ins(void)     { static char b[4]; __asm__ volatile("movw $0x60, %%dx; insb" : : "D"(b) : "edx", "memory"); }
static void gp_outs(void)    { static char b[4]; __asm__ volatile("movw $0x80, %%dx; outsb" : : "S"(b) : "edx"); }
static void gp_sysexit(void) { __asm__ volatile("sysexit"); }                   /* CPL 0 only */
static void gp_lgdt(void)    { static char d[6]; __asm__ volatile("lgdt %0" : : "m"(d)); }
static void gp_lidt(void)    { static char d[6]; __asm__ volatile("lidt %0" : : "m"(d)); }
static void gp_ltr(void)     { __asm__ volatile("movw $0x28, %%ax; ltr %%ax" : : : "eax"); }
static void gp_lldt(void)    { __asm__ volatile("xorl %%eax, %%eax; lldt %%ax" : : : "eax"); }
static void gp_mov_cr0(void) { __asm__ volatile("xorl %%eax, %%eax; movl %%eax, %%cr0" : : : "eax"); }
static void gp_mov_cr3(void) { __asm__ volatile("movl %%cr3, %%eax" : : : "eax"); }
static void gp_mov_dr7(void) { __asm__ volatile("xorl %%eax, %%eax; movl %%eax, %%dr7" : : : "eax"); }
static void gp_rdmsr(void)   { __asm__ volatile("movl $0x10, %%ecx; rdmsr" : : : "eax", "ecx", "edx"); }
static void gp_wrmsr(void)   { __asm__ volatile("movl $0x10, %%ecx; xorl %%eax, %%eax; xorl %%edx, %%edx; wrmsr" : : : "eax", "ecx", "edx"); }
static void gp_rdpmc(void)   { __asm__ volatile("xorl %%ecx, %%ecx; rdpmc" : : : "eax", "ecx", "edx"); }  /* CR4.PCE off */
static void gp_invd(void)    { __asm__ volatile("invd"); }
static void gp_wbinvd(void)  { __asm__ volatile("wbinvd"); }
static void gp_invlpg(void)  { __asm__ volatile("invlpg (%0)" : : "r"(0)); }
static void gp_clts(void)    { __asm__ volatile("clts"); }
static void gp_lmsw(void)    { __asm__ volatile("xorl %%eax, %%eax; lmsw %%ax" : : : "eax"); }
static void gp_int_0x20(void) { __asm__ volatile("int $0x20"); }                  /* gate DPL 0 */
static void gp_int_0x0e(void) { __asm__ volatile("int $0x0e"); }
static void gp_int_bound(void) { __asm__ volatile("int $5"); }
static void gp_far_call_kernel(void) { __asm__ volatile("lcall $0x08, $0"); }
static void gp_iret_ring0(void)
{
	__asm__ volatile("pushfl; pushl $0x08; pushl $0xC0100000; iret" : : : "memory");
}
static void gp_ds_kernel_code(void) { __asm__ volatile("movw $0x0b, %%ax; movw %%ax, %%ds" : : : "eax"); }
static void gp_ds_tss(void)  { __asm__ volatile("movw $0x2b, %%ax; movw %%ax, %%ds" : : : "eax"); }
static void gp_ss_null(void) { __asm__ volatile("xorl %%eax, %%eax; movw %%ax, %%ss" : : : "eax"); }
static void gp_ds_past_gdt(void) { __asm__ volatile("movw $0xfffb, %%ax; movw %%ax, %%ds" : : : "eax"); }
/* The TLS descriptor before set_thread_area: an empty (system, type 0)
 * descriptor, #GP as on Linux. */
static void gp_gs_empty_tls(void) { __asm__ volatile("movw $0x33, %%ax; movw %%ax, %%gs" : : : "eax"); }

/* set_thread_area (243) with Linux's struct user_desc.  Flags: seg_32bit
 * 0x1, limit_in_pages 0x10, seg_not_present 0x20. */
#define TLS_FLAGS       0x11
#define TLS_NOT_PRESENT 0x20
static void set_tls_at(unsigned base, unsigned limit, unsigned flags)
{
	struct { unsigned entry, base, limit, flags; } d = { -1u, base, limit, flags };
	if (syscall(243, &d) != 0)
		_exit(4);
}
static void set_tls(unsigned flags)
{
	static int tls_word;
	set_tls_at((unsigned)&tls_word, 0xfffff, flags);
}
static void load_tls_gs(void)   { __asm__ volatile("movw $0x33, %%ax; movw %%ax, %%gs" : : : "eax"); }
static void read_gs_word(void)  { __asm__ volatile("movl %%gs:0, %%eax" : : : "eax"); }
/* #NP: a data descriptor marked not present (seg_not_present), loaded. */
static void np_gs_tls(void)     { set_tls(TLS_FLAGS | TLS_NOT_PRESENT); load_tls_gs(); }
/* Marked not present while %gs holds it: the way back to user mode
 * cannot reload %gs (a #NP in the kernel); Linux loads the null selector
 * instead, and the next %gs access is #GP. */
static void gp_gs_tls_gone(void) { set_tls(TLS_FLAGS); load_tls_gs(); set_tls(TLS_FLAGS | TLS_NOT_PRESENT); read_gs_word(); }
/* #SS (vector 12), Linux's SIGBUS.  Ring 3 may load SS with the TLS
 * selector: a writable data segment of DPL 3.  zc32 sets the granularity
 * bit, so a limit of 0 is one page. */
static void load_tls_ss(void)   { __asm__ volatile("movw $0x33, %%ax; movw %%ax, %%ss" : : : "eax"); }
/* SS loaded with a descriptor marked not present: #SS, where the other
 * segment registers get #NP. */
static void ss_not_present(void) { set_tls(TLS_FLAGS | TLS_NOT_PRESENT); load_tls_ss(); }
/* A push past the limit of a one-page stack segment at 0 (%esp is far
 * above it).  In one asm: compiled code between the load and the push
 * would use the stack too. */
static void ss_past_limit(void)
{
	set_tls_at(0, 0, TLS_FLAGS);
	__asm__ volatile("movw $0x33, %%ax; movw %%ax, %%ss; pushl %%eax; popl %%eax" : : : "eax", "memory");
}
/* SS holds the TLS selector (a flat segment, so the stack still works)
 * when set_thread_area marks it not present: the way back to user mode
 * cannot load SS.  The kernel's iret faults; Linux catches that fault
 * (entry_32.S, asm_iret_error) and sends SIGILL. */
static void ill_ss_tls_gone(void) { set_tls_at(0, 0xfffff, TLS_FLAGS); load_tls_ss(); set_tls(TLS_FLAGS | TLS_NOT_PRESENT); }
/* The same with a SIGILL handler: it must run (on the user data segment),
 * and it ends the child with SIGUSR2 to say so. */
static void usr2_self(int sig) { kill(getpid(), SIGUSR2); }
static void usr2_ss_tls_gone_caught(void)
{
	signal(SIGILL, usr2_self);
	ill_ss_tls_gone();
}

/* The same through a signal frame: a handler puts the TLS selector in
 * %gs though there is no TLS segment (a #GP in the kernel's trapret). */
static void forge_gs(int sig, siginfo_t *si, void *uc) { ((struct ucontext *)uc)->uc_mcontext.gs = 0x33; }
static void gp_gs_forged_frame(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = forge_gs;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	read_gs_word();
}

struct fault {
	const char *name;
	void (*fn)(void);
	int sig;          /* Linux's signal */
	int alt;          /* also accepted (0: no fault at all) where QEMU's CPU lacks the feature */
};

/* QEMU's TCG, unlike hardware: no alignment checking (#AC), no unmasked
 * SIMD floating-point exceptions (#XM), no segment limit checks (#SS for
 * a push past SS's limit), and icebp (0xf1) is #UD. */
#define QEMU_NO_FAULT 0
#define ONLY          -1

static const struct fault faults[] = {
	{ "de.div_zero", de_div_zero, SIGFPE, ONLY },        { "de.idiv_overflow", de_overflow, SIGFPE, ONLY },
	{ "de.div8", de_div8, SIGFPE, ONLY },                { "bp.int3", bp_int3, SIGTRAP, ONLY },
	{ "bp.int_3", bp_int_3, SIGTRAP, ONLY },             { "db.icebp", db_icebp, SIGTRAP, SIGILL },
	{ "db.single_step", db_single_step, SIGTRAP, ONLY }, { "of.into", of_into, SIGSEGV, ONLY },
	{ "of.int4", of_int4, SIGSEGV, ONLY },               { "br.bound", br_bound, SIGSEGV, ONLY },
	{ "ud.ud2", ud_ud2, SIGILL, ONLY },                  { "ud.ud0", ud_ud0, SIGILL, ONLY },
	{ "ud.lock_nop", ud_lock_nop, SIGILL, ONLY },        { "ud.syscall", ud_syscall, SIGILL, ONLY },
	{ "mf.x87_divide", mf_x87_div, SIGFPE, ONLY },       { "mf.x87_invalid", mf_x87_invalid, SIGFPE, ONLY },
	{ "xm.sse_divide", xm_sse_div, SIGFPE, QEMU_NO_FAULT },       { "xm.sse_invalid", xm_sse_invalid, SIGFPE, QEMU_NO_FAULT },
	{ "ac.misaligned", ac_misaligned, SIGBUS, QEMU_NO_FAULT },
	{ "pf.null_read", pf_null_read, SIGSEGV, ONLY },     { "pf.null_write", pf_null_write, SIGSEGV, ONLY },
	{ "pf.null_exec", pf_null_exec, SIGSEGV, ONLY },     { "pf.kernel_read", pf_kernel_read, SIGSEGV, ONLY },
	{ "pf.kernel_write", pf_kernel_write, SIGSEGV, ONLY }, { "pf.kernel_exec", pf_kernel_exec, SIGSEGV, ONLY },
	{ "pf.top_read", pf_top_read, SIGSEGV, ONLY },       { "pf.text_write", pf_text_write, SIGSEGV, ONLY },
	{ "pf.unmapped", pf_unmapped, SIGSEGV, ONLY },       { "pf.kernel_stack", pf_kernel_stack, SIGSEGV, ONLY },
	{ "gp.hlt", gp_hlt, SIGSEGV, ONLY },                 { "gp.cli", gp_cli, SIGSEGV, ONLY },
	{ "gp.sti", gp_sti, SIGSEGV, ONLY },                 { "gp.in", gp_in, SIGSEGV, ONLY },
	{ "gp.out", gp_out, SIGSEGV, ONLY },                 { "gp.ins", gp_ins, SIGSEGV, ONLY },
	{ "gp.outs", gp_outs, SIGSEGV, ONLY },               { "gp.sysexit", gp_sysexit, SIGSEGV, ONLY },
	{ "gp.lgdt", gp_lgdt, SIGSEGV, ONLY },               { "gp.lidt", gp_lidt, SIGSEGV, ONLY },
	{ "gp.ltr", gp_ltr, SIGSEGV, ONLY },                 { "gp.lldt", gp_lldt, SIGSEGV, ONLY },
	{ "gp.mov_cr0", gp_mov_cr0, SIGSEGV, ONLY },         { "gp.mov_cr3", gp_mov_cr3, SIGSEGV, ONLY },
	{ "gp.mov_dr7", gp_mov_dr7, SIGSEGV, ONLY },         { "gp.rdmsr", gp_rdmsr, SIGSEGV, ONLY },
	{ "gp.wrmsr", gp_wrmsr, SIGSEGV, ONLY },             { "gp.rdpmc", gp_rdpmc, SIGSEGV, ONLY },
	{ "gp.invd", gp_invd, SIGSEGV, ONLY },               { "gp.wbinvd", gp_wbinvd, SIGSEGV, ONLY },
	{ "gp.invlpg", gp_invlpg, SIGSEGV, ONLY },           { "gp.clts", gp_clts, SIGSEGV, ONLY },
	{ "gp.lmsw", gp_lmsw, SIGSEGV, ONLY },               { "gp.int_0x20", gp_int_0x20, SIGSEGV, ONLY },
	{ "gp.int_0x0e", gp_int_0x0e, SIGSEGV, ONLY },       { "gp.int_5", gp_int_bound, SIGSEGV, ONLY },
	{ "gp.far_call_kernel", gp_far_call_kernel, SIGSEGV, ONLY }, { "gp.iret_ring0", gp_iret_ring0, SIGSEGV, ONLY },
	{ "gp.ds_kernel_code", gp_ds_kernel_code, SIGSEGV, ONLY }, { "gp.ds_tss", gp_ds_tss, SIGSEGV, ONLY },
	{ "gp.ss_null", gp_ss_null, SIGSEGV, ONLY },         { "gp.ds_past_gdt", gp_ds_past_gdt, SIGSEGV, ONLY },
	{ "gp.gs_empty_tls", gp_gs_empty_tls, SIGSEGV, ONLY }, { "np.gs_tls_not_present", np_gs_tls, SIGBUS, ONLY },
	{ "gp.gs_tls_gone_while_loaded", gp_gs_tls_gone, SIGSEGV, ONLY },
	{ "gp.gs_forged_in_frame", gp_gs_forged_frame, SIGSEGV, ONLY },
	{ "ss.not_present", ss_not_present, SIGBUS, ONLY },
	{ "ss.past_limit", ss_past_limit, SIGBUS, QEMU_NO_FAULT },
	{ "ill.ss_tls_gone_while_loaded", ill_ss_tls_gone, SIGILL, ONLY },
	{ "ill.ss_tls_gone_handler_runs", usr2_ss_tls_gone_caught, SIGUSR2, ONLY },
};
#define NFAULTS ((int)(sizeof faults / sizeof faults[0]))

/* A child runs fn; its wait status, or -1. */
static int in_child(void (*fn)(void))
{
	int st;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();
		_exit(0);                  /* still alive: no fault */
	}
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Did the child end as Linux would make it (or as QEMU's CPU does)? */
static int fault_ok(const struct fault *f, int st, char *why, size_t n)
{
	int sig = st != -1 && WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	if (st != -1 && (sig == f->sig || (f->alt != ONLY && sig == f->alt &&
					   (sig || (WIFEXITED(st) && WEXITSTATUS(st) == 0)))))
		return 1;
	if (st == -1)
		snprintf(why, n, "fork or waitpid failed");
	else if (!sig)
		snprintf(why, n, "no signal: exit status %d", WEXITSTATUS(st));
	else
		snprintf(why, n, "killed by signal %d, want %d", sig, f->sig);
	return 0;
}

static int exceptions(int rounds)
{
	int tried = 0;
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < NFAULTS; i++) {
			char name[48], why[80];
			int st = in_child(faults[i].fn);
			tried++;
			snprintf(name, sizeof name, "hostile.%s", faults[i].name);
			if (!fault_ok(&faults[i], st, why, sizeof why))
				ztest_fail(name, "%s", why);
			else if (r == 0)
				ztest_ok(name);
			if (r == 0 && faults[i].alt != ONLY)
				printf("hostile: %s: %s\n", faults[i].name, !WIFSIGNALED(st) ? "no fault (QEMU)" :
				       WTERMSIG(st) == faults[i].sig ? "Linux's signal" : "QEMU's #UD (SIGILL)");
		}
	return tried;
}

/* ---- 2. the fork bomb ---- */

static void bomb(int fd)
{
	int fails = 0;
	for (;;) {
		pid_t p = fork();
		if (p == 0) {
			fails = 0;
			continue;                      /* the child bombs on */
		}
		if (p < 0) {
			int e = errno;
			if (write(fd, &e, sizeof e) < 0)
				_exit(1);
			if (++fails >= 3)
				_exit(0);
			usleep(10000);
		}
	}
}

static void exec_true(void)
{
	char *argv[] = { "/bin/true", NULL };
	execve(argv[0], argv, NULL);
	_exit(99);
}

static int fork_bomb(int *refused_errno)
{
	int p[2], n = 0, e;
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		bomb(p[1]);
	}
	close(p[1]);
	*refused_errno = 0;
	while (read(p[0], &e, sizeof e) == sizeof e)   /* until every bomber has exited */
		*refused_errno = e;
	close(p[0]);
	int st;
	while (waitpid(-1, &st, 0) > 0)                /* orphans come to us, init */
		n++;
	return pid < 0 ? -1 : n;
}

/* ---- 3. blocked in the kernel, then SIGKILL ---- */

static int pipe_fds[2];
static void block_pipe_read(void) { char c; read(pipe_fds[0], &c, 1); }
static void block_sleep(void)     { struct timespec t = { 1000, 0 }; nanosleep(&t, NULL); }
static void block_console(void)   { char c; read(0, &c, 1); }
static void block_poll(void)      { struct pollfd p = { pipe_fds[0], POLLIN, 0 }; poll(&p, 1, -1); }
static void block_wait(void)
{
	if (fork() == 0) {
		close(pipe_fds[1]);
		block_pipe_read();             /* ends at EOF, after its parent is killed */
		_exit(0);
	}
	wait(NULL);
}
static void block_accept(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { AF_INET, htons(7999), { htonl(INADDR_LOOPBACK) }, { 0 } };
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0)
		_exit(2);
	accept(s, NULL, NULL);
}
static void block_write_full_pipe(void)
{
	static char buf[4096];
	for (;;)
		write(pipe_fds[1], buf, sizeof buf);
}

static const struct { const char *name; void (*fn)(void); } blockers[] = {
	{ "pipe_read", block_pipe_read }, { "nanosleep", block_sleep }, { "console_read", block_console },
	{ "poll", block_poll },           { "wait", block_wait },       { "accept", block_accept },
	{ "pipe_write", block_write_full_pipe },
};
#define NBLOCKERS ((int)(sizeof blockers / sizeof blockers[0]))

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int blocked_kills(void)
{
	int killed = 0;
	pipe(pipe_fds);
	for (int i = 0; i < NBLOCKERS; i++) {
		char name[48];
		snprintf(name, sizeof name, "hostile.sigkill_ends.%s", blockers[i].name);
		pid_t pid = fork();
		if (pid == 0) {
			blockers[i].fn();
			_exit(3);                       /* it returned: not blocked */
		}
		usleep(200000);                         /* let it block */
		kill(pid, SIGKILL);
		long long until = now_ms() + KILL_WAIT_MS;
		int st = 0;
		pid_t w;
		while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now_ms() < until)
			usleep(10000);
		if (w == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			ztest_ok(name);
			killed++;
		} else {
			ztest_fail(name, w == pid ? "status 0x%x" : "still alive after %d ms", w == pid ? st : KILL_WAIT_MS);
		}
	}
	/* block_wait's orphaned child reads the pipe: at EOF it exits. */
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	int st;
	while (waitpid(-1, &st, 0) > 0)
		;
	return killed;
}

static unsigned int accounted(unsigned int *nprocs)
{
	struct zc_info info;
	unsigned int pages = zc_pages_accounted();
	zc_info(&info);
	*nprocs = info.nprocs;
	return pages;
}

int main(int argc, char **argv)
{
	int rounds = 1;
	int do_bomb = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-b"))
			do_bomb = 0;
	}
	unsigned int procs0, procs1;
	in_child(gp_hlt);                               /* warm up what a fork first takes */
	unsigned int before = accounted(&procs0);

	int tried = exceptions(rounds);

	int refused = 0, bombers = 0;
	if (do_bomb) {
		bombers = fork_bomb(&refused);
		printf("hostile: fork bomb: %d processes, fork refused with errno %d\n", bombers, refused);
		CHECK("hostile.fork_bomb_refused", refused == EAGAIN || refused == ENOMEM);
		CHECK("hostile.fork_bomb_ended", bombers > 1);
		check_eq("hostile.after_bomb_exec_works", in_child(exec_true), 0);
	}

	int killed = blocked_kills();

	/* The console-read child may have been woken only by SIGKILL: the
	 * system is back where it started. */
	usleep(300000);
	unsigned int after = accounted(&procs1);
	check_eq("hostile.no_process_left", procs1, procs0);
	if (after + LEAK_SLACK >= before)
		ztest_ok("hostile.frames_back");
	else
		ztest_fail("hostile.frames_back", "%u pages lost (%u before, %u after)", before - after, before, after);
	printf("hostile: %d exceptions tried (%d kinds), fork bomb: %d processes, fork refused with errno %d; "
	       "%d blocked processes killed; pages %u before, %u after\n", tried, NFAULTS, bombers, refused, killed,
	       before, after);
	return ztest_summary();
}
