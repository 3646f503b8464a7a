/*
 * ps - the processes, from zc_procs (1007): pid, parent, state (R
 * running or runnable, S sleeping, Z zombie), resident memory in KiB,
 * and the name; kernel threads in brackets, as Linux's ps shows them.
 */
#include <stdio.h>
#include <zc.h>

#define MAX_PROCS 128
#define KIB_PER_PAGE 4

int main(void)
{
	static struct zc_procinfo procs[MAX_PROCS];
	int n = zc_procs(procs, MAX_PROCS);

	if (n < 0) {
		perror("ps: zc_procs");
		return 1;
	}
	printf("%5s %5s %s %7s %s\n", "PID", "PPID", "S", "RSS", "NAME");
	for (int i = 0; i < n; i++) {
		struct zc_procinfo *p = &procs[i];
		printf("%5d %5d %c %7u %s%s%s\n", p->pid, p->ppid, p->state,
		       p->rss_pages * KIB_PER_PAGE, p->kthread ? "[" : "", p->name, p->kthread ? "]" : "");
	}
	return 0;
}
