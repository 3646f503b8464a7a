/*
 * ztrace - run a program and show, in order, how its data moved.
 *
 *     ztrace PROG ARGS      record the ledger's trace while PROG runs
 *     ztrace -a PROG ARGS   every event on its own line (no merging)
 *
 * The kernel records one event per movement of payload ("DMA
 * disk->pagecache 131072", "CPU pagecache->user 4096") and per page fault
 * or swap transfer (zc_trace, kernel/ledger/ledger.c).  Runs of identical
 * events are merged into one line with a count, so reading a 1 MiB file
 * shows as a few lines (docs/ledger.md, "ztrace").  The report
 * goes to standard error, so PROG's own output can be redirected intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <wait.h>
#include <zc.h>

#define MAX_EVENTS 4096

static struct zc_trace_event ev[MAX_EVENTS];

static const char *kind_name(const struct zc_trace_event *e)
{
	if (e->kind >= ZC_CPU_USER_TO_KERNEL && e->kind <= ZC_CPU_KERNEL_TO_KERNEL)
		return "CPU";
	if (e->kind == ZC_DMA_DEV_TO_MEM || e->kind == ZC_DMA_MEM_TO_DEV)
		return "DMA";
	return "event";
}

static int same(const struct zc_trace_event *a, const struct zc_trace_event *b)
{
	return a->pid == b->pid && a->kind == b->kind && a->dev == b->dev &&
	       a->bytes == b->bytes && strcmp(a->what, b->what) == 0;
}

int main(int argc, char **argv)
{
	int all = 0, status;
	if (argc > 1 && strcmp(argv[1], "-a") == 0) {
		all = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: ztrace [-a] PROG [ARGS...]\n");
		return 2;
	}
	if (zc_trace(ZC_TRACE_ON, 0, 0) < 0) {
		perror("ztrace: zc_trace");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "ztrace: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	waitpid(pid, &status, 0);
	zc_trace(ZC_TRACE_OFF, 0, 0);
	int n = zc_trace(ZC_TRACE_READ, ev, MAX_EVENTS);
	if (n < 0) {
		perror("ztrace: zc_trace");
		return 1;
	}
	fprintf(stderr, "ztrace: %d events%s\n", n, n == MAX_EVENTS ? " (the trace buffer is full: later events were lost)" : "");
	fprintf(stderr, "  %5s  %5s  %-6s %-22s %10s  %s\n", "pid", "times", "by", "what", "bytes", "total");
	for (int i = 0; i < n;) {
		int j = i + 1;
		while (!all && j < n && same(&ev[i], &ev[j]))
			j++;
		unsigned long long total = (unsigned long long)ev[i].bytes * (j - i);
		fprintf(stderr, "  %5d  %5d  %-6s %-22s %10u  %llu\n", ev[i].pid, j - i, kind_name(&ev[i]),
		       ev[i].what, ev[i].bytes, total);
		i = j;
	}
	/* Totals per kind of movement, in order of first appearance. */
	fprintf(stderr, "summary:\n");
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int k = 0; k < i && !seen; k++)
			seen = ev[k].kind == ev[i].kind && strcmp(ev[k].what, ev[i].what) == 0;
		if (seen)
			continue;
		unsigned long long bytes = 0, count = 0;
		for (int k = i; k < n; k++)
			if (ev[k].kind == ev[i].kind && strcmp(ev[k].what, ev[i].what) == 0) {
				bytes += ev[k].bytes;
				count++;
			}
		fprintf(stderr, "  %-6s %-22s %6llu times %12llu bytes\n", kind_name(&ev[i]), ev[i].what, count, bytes);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
