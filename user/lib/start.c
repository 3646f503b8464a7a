/*
 * start.c - from the initial stack to main() and back to exit().
 *
 * crt0.S calls __zc_start with a pointer to argc.  We find argv, envp and
 * the auxiliary vector on the stack, remember envp as `environ` (getenv
 * and execvp read it) and auxv for getauxval(), run main, and pass its
 * return value to exit(), which flushes stdout before the process ends.
 */
#include <stdlib.h>
#include <unistd.h>
#include <auxv.h>

char **environ;
unsigned long *__zc_auxv;

int main(int argc, char **argv, char **envp);
void __zc_start(long *sp) __attribute__((noreturn, used));

void __zc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;      /* skip argv's NULL */
	char **p = envp;

	while (*p)                          /* auxv starts after envp's NULL */
		p++;
	__zc_auxv = (unsigned long *)(p + 1);
	environ = envp;

	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	unsigned long *a;

	for (a = __zc_auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}
