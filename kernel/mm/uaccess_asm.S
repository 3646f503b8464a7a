/*
 * uaccess_asm.S - the instructions that actually read or write user
 * memory.  They lie between uaccess_start and uaccess_end; if one of
 * them faults on an address the page-fault handler cannot make valid,
 * the handler resumes at uaccess_fixup, which returns -EFAULT.
 */
	.text
	.globl uaccess_start, uaccess_end, uaccess_fixup
	.globl __copy_user, __strncpy_user

/* int __copy_user(void *dst, const void *src, size_t n): 0 or -EFAULT */
__copy_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	movl %ecx, %edx
	shrl $2, %ecx
uaccess_start:
	rep movsl
	movl %edx, %ecx
	andl $3, %ecx
	rep movsb
	xorl %eax, %eax
	popl %edi
	popl %esi
	ret

/* int __strncpy_user(char *dst, const char *src, size_t max):
 * length of the string, max if no NUL within max bytes, or -EFAULT. */
__strncpy_user:
	pushl %esi
	pushl %edi
	movl 12(%esp), %edi
	movl 16(%esp), %esi
	movl 20(%esp), %ecx
	xorl %eax, %eax
1:	cmpl %ecx, %eax
	je 2f
	movb (%esi, %eax), %dl
	movb %dl, (%edi, %eax)
	testb %dl, %dl
	je 2f
	incl %eax
	jmp 1b
2:	popl %edi
	popl %esi
	ret
uaccess_end:

uaccess_fixup:
	movl $-14, %eax             /* -EFAULT */
	popl %edi
	popl %esi
	ret
