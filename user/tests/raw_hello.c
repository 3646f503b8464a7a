/*
 * raw_hello - a program that knows nothing of zc32's library.
 *
 * Linked with -static -nostdlib and nothing else, as a program from any
 * other Linux i386 toolchain would be.  Its entry point is _start below,
 * and it talks to the kernel only through `int $0x80` with Linux's
 * numbers: write (4), getpid (20), exit (1).  If this runs, zc32 speaks
 * the Linux i386 system-call ABI (docs/design.md section 3, "Programs").
 */

static const char msg[] = "raw: hello from int 0x80\n";

static long raw_syscall3(long n, long a, long b, long c)
{
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

void _start(void) __attribute__((noreturn));

void _start(void)
{
	long pid;

	raw_syscall3(4, 1, (long)msg, sizeof msg - 1);     /* write(1, msg, len) */
	pid = raw_syscall3(20, 0, 0, 0);                   /* getpid() */
	raw_syscall3(1, pid > 0 ? 0 : 1, 0, 0);            /* exit(status) */
	for (;;)
		;                                          /* exit does not return */
}
