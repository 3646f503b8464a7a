/*
 * faults - a user program that breaks the rules must die, alone.
 *
 * Each case runs in a forked child that makes the CPU raise an exception
 * from ring 3: a page fault, a general protection fault, an invalid
 * opcode, a divide error, a breakpoint.  The kernel must kill just that
 * child with the matching signal (docs/design.md section 3, "Exit status")
 * and print its one-line report; the parent checks WTERMSIG and goes on.
 * At the end the parent, which survived everything, checks that no
 * process or memory was lost on the way.
 */
#include <stdio.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <zc.h>
#include <ztest.h>

extern char _start[];          /* crt0.S: the first byte of our code */

/* ---- the faults, one small function each ---- */

static void null_read(void)      { (void)*(volatile int *)0; }
static void null_write(void)     { *(volatile int *)0 = 1; }
static void kernel_read(void)    { (void)*(volatile int *)0xC0000000; }
static void kernel_write(void)   { *(volatile int *)0xC0100000 = 1; }
static void text_write(void)     { *(volatile char *)_start = 0; }   /* code is read-only */
static void ud2(void)            { __asm__ __volatile__("ud2"); }
static void breakpoint(void)     { __asm__ __volatile__("int3"); }
static void cli(void)            { __asm__ __volatile__("cli"); }   /* IOPL is 0: #GP */
static void hlt(void)            { __asm__ __volatile__("hlt"); }   /* ring 0 only: #GP */
static void read_cr3(void)       { __asm__ __volatile__("mov %%cr3, %%eax" : : : "eax"); }

static void inb_keyboard(void)
{
	unsigned char v;
	__asm__ __volatile__("inb $0x60, %0" : "=a"(v));   /* no I/O permission: #GP */
}

static void outb_port80(void)
{
	__asm__ __volatile__("outb %0, $0x80" : : "a"((unsigned char)0));
}

/* Selector 0xfffb: GDT index 8191, far past the end of any GDT: #GP. */
static void bad_selector(void)
{
	__asm__ __volatile__("movw %0, %%ds" : : "r"((unsigned short)0xfffb));
}

static void divide_by_zero(void)
{
	unsigned int a = 1, d = 0;
	__asm__ __volatile__("divl %2" : "+a"(a), "+d"(d) : "r"(0u));
}

/* INT_MIN / -1 does not fit in 32 bits: also a divide error (#DE). */
static void divide_overflow(void)
{
	int a = (int)0x80000000, d = -1;
	__asm__ __volatile__("idivl %2" : "+a"(a), "+d"(d) : "r"(-1));
}

static void jump_kernel(void)
{
	__asm__ __volatile__("jmp *%0" : : "r"(0xC0100000));
}

static void call_null(void)
{
	__asm__ __volatile__("call *%0" : : "r"(0));
}

/* Software interrupts to vectors other than 3 and 0x80 must be refused
 * (gate DPL 0: #GP), not run the timer or page-fault handler. */
static void int_timer_vector(void) { __asm__ __volatile__("int $0x20"); }
static void int_pf_vector(void)    { __asm__ __volatile__("int $0x0e"); }

/* A user stack pointer into the kernel: the CPU takes the fault on the
 * kernel stack from the TSS, so the kernel must cope. */
static void kernel_stack_pointer(void)
{
	__asm__ __volatile__("movl $0xC0000100, %%esp\n\tpushl %%eax" : : : "memory");
}

struct fault {
	const char *name;
	void (*fn)(void);
	int sig;
};

static const struct fault faults[] = {
	{ "fault.null_read",            null_read,            SIGSEGV },
	{ "fault.null_write",           null_write,           SIGSEGV },
	{ "fault.kernel_read",          kernel_read,          SIGSEGV },
	{ "fault.kernel_write",         kernel_write,         SIGSEGV },
	{ "fault.text_write",           text_write,           SIGSEGV },
	{ "fault.bad_selector",         bad_selector,         SIGSEGV },
	{ "fault.ud2",                  ud2,                  SIGILL },
	{ "fault.divide_by_zero",       divide_by_zero,       SIGFPE },
	{ "fault.divide_overflow",      divide_overflow,      SIGFPE },
	{ "fault.int3",                 breakpoint,           SIGTRAP },
	{ "fault.cli",                  cli,                  SIGSEGV },
	{ "fault.hlt",                  hlt,                  SIGSEGV },
	{ "fault.inb",                  inb_keyboard,         SIGSEGV },
	{ "fault.outb",                 outb_port80,          SIGSEGV },
	{ "fault.read_cr3",             read_cr3,             SIGSEGV },
	{ "fault.jump_kernel",          jump_kernel,          SIGSEGV },
	{ "fault.call_null",            call_null,            SIGSEGV },
	{ "fault.int_0x20",             int_timer_vector,     SIGSEGV },
	{ "fault.int_0x0e",             int_pf_vector,        SIGSEGV },
	{ "fault.kernel_stack_pointer", kernel_stack_pointer, SIGSEGV },
};
#define NFAULTS ((int)(sizeof faults / sizeof faults[0]))

/* Run one fault in a child; returns its wait status, or -1. */
static int provoke(const struct fault *f)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		f->fn();
		_exit(0);                  /* still alive: the fault did not happen */
	}
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void check_fault(const struct fault *f, int st)
{
	if (st == -1)
		ztest_fail(f->name, "fork or waitpid failed");
	else if (!WIFSIGNALED(st))
		ztest_fail(f->name, "no signal: exit status %d", WEXITSTATUS(st));
	else if (WTERMSIG(st) != f->sig)
		ztest_fail(f->name, "killed by %s, want %s",
			   signame(WTERMSIG(st)) ? signame(WTERMSIG(st)) : "?", signame(f->sig));
	else
		ztest_ok(f->name);
}

int main(void)
{
	struct zc_info before, after;
	pid_t me = getpid();
	int i, round, have_info;

	printf("faults: %d faults, each in its own child; the kernel reports each one\n", NFAULTS);
	for (i = 0; i < NFAULTS; i++)
		check_fault(&faults[i], provoke(&faults[i]));

	/* Two more rounds, silent unless something changes, to see that
	 * killed processes give back their memory and process slots. */
	have_info = usys_zc_info(&before) == 0;
	for (round = 0; round < 2; round++)
		for (i = 0; i < NFAULTS; i++) {
			int st = provoke(&faults[i]);

			if (st == -1 || !WIFSIGNALED(st) || WTERMSIG(st) != faults[i].sig)
				check_fault(&faults[i], st);
		}
	printf("faults: parent pid %d survived %d faults\n", me, 3 * NFAULTS);
	check_eq("faults.parent_survived", getpid(), me);
	if (have_info && usys_zc_info(&after) == 0) {
		check_eq("faults.no_process_leak", after.nprocs, before.nprocs);
		if (after.free_pages + 8 >= before.free_pages)
			ztest_ok("faults.no_page_leak");
		else
			ztest_fail("faults.no_page_leak", "%u free pages before, %u after",
				   before.free_pages, after.free_pages);
	} else {
		ztest_fail("faults.no_leak", "zc_info failed");
	}
	return ztest_summary();
}
