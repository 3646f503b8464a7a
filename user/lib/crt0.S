/*
 * crt0.S - where every zc32 program starts.
 *
 * The kernel jumps to _start (the ELF entry point) in ring 3 with the
 * System V i386 initial stack:
 *
 *     esp ->  argc
 *             argv[0] ... argv[argc-1], NULL
 *             envp[0] ... NULL
 *             auxv: (type, value) pairs ..., AT_NULL, 0
 *             ... the strings themselves, higher up
 *
 * No registers are meaningful except esp.  We clear ebp so that a
 * debugger's backtrace stops here, align the stack as the ABI requires
 * for calls (16 bytes), and hand a pointer to argc to __zc_start (in
 * start.c), which never returns.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* outermost frame: backtraces end here */
	movl	%esp, %eax		/* eax -> argc */
	andl	$-16, %esp		/* 16-byte align ... */
	subl	$12, %esp		/* ... and keep it so after the push below */
	pushl	%eax			/* __zc_start(long *sp) */
	call	__zc_start
	ud2				/* not reached: __zc_start calls exit() */
	.size	_start, . - _start

	/* Tell the linker this object does not need an executable stack. */
	.section .note.GNU-stack, "", @progbits
