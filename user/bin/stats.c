/*
 * stats - print the data-movement ledger (docs/design.md section 5).
 *
 *     stats                 counters of the whole system since boot
 *     stats PID             counters of one process
 *     stats [--] PROG ARGS  run PROG, then print what it (and any process
 *                           it started) counted, from fork to exit
 *
 * The counters come from zc32's own system call zc_stats (number 1000);
 * struct zc_stats is in <uapi/zc32.h>.  In the third form the numbers are
 * the child's own: the kernel adds a child's counters to its parent's
 * ZC_STATS_CHILDREN total when the parent reaps it with wait.  That form
 * also records the ledger's trace while PROG runs and sums it by path,
 * with the names ztrace shows ("pagecache->user", "disk->pagecache").
 *
 * The report goes to standard error, so `stats cat f > out` leaves out
 * exactly as cat wrote it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <unistd.h>
#include <errno.h>
#include <wait.h>
#include <signal.h>
#include <zc.h>

typedef unsigned long long u64;

#define MAX_EVENTS 4096                 /* the kernel's trace holds as many */

static struct zc_trace_event ev[MAX_EVENTS];

/* One labelled row; the group label is printed only on its first row. */
static void row(const char *group, const char *what, u64 value, const char *unit)
{
	fprintf(stderr, "  %-22s %-16s %14llu %s\n", group, what, value, unit);
}

static void print_stats(const struct zc_stats *s)
{
	int i;

	for (i = 0; i < ZC_ENTRY_KINDS; i++)
		row(i == 0 ? "entries into kernel" : "", zc_entry_name(i), s->entries[i], "");
	row("context switches", "", s->context_switches, "");
	row("page faults", "minor", s->faults_minor, "");
	row("", "major", s->faults_major, "");
	row("copy-on-write", "copies", s->cow_copies, "pages");
	row("swap", "in", s->swap_ins, "pages");
	row("", "out", s->swap_outs, "pages");
	row("", "evictions", s->evictions, "pages");
	row("", "  page cache", s->evictions_cache, "pages");
	row("", "  of them dirty", s->evictions_cache_dirty, "pages");
	row("", "write requests", s->swap_writes, "");

	fprintf(stderr, "  payload moved:\n");
	for (i = 0; i < ZC_MOVE_KINDS; i++) {
		const char *group = i == ZC_CPU_USER_TO_KERNEL ? "CPU copies" :
				    i == ZC_DMA_DEV_TO_MEM ? "DMA transfers" : "";
		char what[40];

		snprintf(what, sizeof what, "%s", zc_move_name(i));
		fprintf(stderr, "  %-22s %-16s %14llu bytes %8llu ops\n", group, what, s->bytes[i], s->ops[i]);
	}
	for (i = 0; i < ZC_DEV_KINDS; i++) {
		char what[40];

		snprintf(what, sizeof what, "%s->memory", zc_dev_name(i));
		row(i == 0 ? "DMA by device" : "", what, s->dma_bytes[i][0], "bytes");
		snprintf(what, sizeof what, "memory->%s", zc_dev_name(i));
		row("", what, s->dma_bytes[i][1], "bytes");
	}
	row("packet headers", "written by CPU", s->header_bytes, "bytes");
	row("", "read by NIC DMA", s->header_dma_bytes, "bytes");
	row("cycles", "in kernel", s->cycles_kernel, "");
	row("", "total", s->cycles_total, "");
	row("", "idle (system)", s->cycles_idle, "");
	for (i = 0; i < ZC_WAIT_KINDS; i++) {
		static const char *const wait_names[ZC_WAIT_KINDS] = { "select", "poll", "epoll_wait" };

		fprintf(stderr, "  %-22s %-16s %14llu calls %8llu fds examined\n",
			i == 0 ? "waits for many files" : "", wait_names[i], s->wait_calls[i], s->wait_fds[i]);
	}
	fprintf(stderr, "  (fault entries are CPU exceptions taken in user mode; page faults also count\n"
			"   those the kernel takes in copy_to_user/copy_from_user on a user page not yet\n"
			"   mapped, and leave out bad accesses, which kill the process instead)\n");
}

/* The trace summed by path, for the events of pid and the processes
 * started after it (its children, in practice). */
static void print_paths(int n, pid_t pid)
{
	fprintf(stderr, "  by path (ztrace's names)%s:\n",
		n == MAX_EVENTS ? ", first events only: the trace was full" : "");
	for (int i = 0; i < n; i++) {
		int seen = 0;
		if (ev[i].pid < pid || ev[i].kind < 0)
			continue;
		for (int k = 0; k < i && !seen; k++)
			seen = ev[k].pid >= pid && ev[k].kind == ev[i].kind && strcmp(ev[k].what, ev[i].what) == 0;
		if (seen)
			continue;
		u64 bytes = 0, ops = 0;
		for (int k = i; k < n; k++)
			if (ev[k].pid >= pid && ev[k].kind == ev[i].kind && strcmp(ev[k].what, ev[i].what) == 0) {
				bytes += ev[k].bytes;
				ops++;
			}
		fprintf(stderr, "  %-22s %-16s %14llu bytes %8llu ops\n",
			ev[i].kind <= ZC_CPU_KERNEL_TO_KERNEL ? "  CPU" : "  DMA", ev[i].what, bytes, ops);
	}
}

/* after - before, counter by counter (the struct is all u64s). */
static void subtract(struct zc_stats *after, const struct zc_stats *before)
{
	u64 *a = (u64 *)after;
	const u64 *b = (const u64 *)before;
	size_t i;

	for (i = 0; i < sizeof *after / sizeof(u64); i++)
		a[i] -= b[i];
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit(*s))
			return 0;
	return 1;
}

static int run_and_measure(char **argv)
{
	struct zc_stats before, after;
	int status, i;
	pid_t pid;

	if (zc_stats(ZC_STATS_CHILDREN, &before) < 0) {
		perror("stats: zc_stats");
		return 1;
	}
	int tracing = zc_trace(ZC_TRACE_ON, 0, 0) == 0;
	pid = fork();
	if (pid < 0) {
		perror("stats: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "stats: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("stats: waitpid");
		return 1;
	}
	if (zc_stats(ZC_STATS_CHILDREN, &after) < 0) {
		perror("stats: zc_stats");
		return 1;
	}
	subtract(&after, &before);
	int n = 0;
	if (tracing) {
		zc_trace(ZC_TRACE_OFF, 0, 0);
		n = zc_trace(ZC_TRACE_READ, ev, MAX_EVENTS);
	}

	fprintf(stderr, "zc32 ledger: pid %d:", pid);
	for (i = 0; argv[i]; i++)
		fprintf(stderr, " %s", argv[i]);
	if (WIFSIGNALED(status))
		fprintf(stderr, " (killed by signal %d)\n", WTERMSIG(status));
	else
		fprintf(stderr, " (exit status %d)\n", WEXITSTATUS(status));
	print_stats(&after);
	if (tracing && n >= 0)
		print_paths(n, pid);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct zc_stats s;

	if (argc == 1 || (argc == 2 && is_number(argv[1]))) {
		int pid = argc == 1 ? ZC_STATS_SYSTEM : atoi(argv[1]);

		if (zc_stats(pid, &s) < 0) {
			fprintf(stderr, "stats: %s\n", strerror(errno));
			return 1;
		}
		if (pid == ZC_STATS_SYSTEM)
			fprintf(stderr, "zc32 ledger: whole system since boot\n");
		else
			fprintf(stderr, "zc32 ledger: process %d\n", pid);
		print_stats(&s);
		return 0;
	}
	if (strcmp(argv[1], "--") == 0)
		argv++;
	if (!argv[1] || (argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: stats [PID | [--] PROGRAM ARGS...]\n");
		return 2;
	}
	return run_and_measure(argv + 1);
}
