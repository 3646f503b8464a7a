/*
 * swtch.S - the context switch itself.
 *
 * void swtch(struct context **old, struct context *new);
 * Saves the callee-saved registers of the running kernel thread on its own
 * stack, stores that stack pointer in *old, loads new as the stack pointer
 * and pops the other thread's registers.  The final ret returns into
 * whichever function that thread was in when it called swtch().
 */
	.text
	.globl swtch
swtch:
	movl 4(%esp), %eax
	movl 8(%esp), %edx
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%eax)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
