/*
 * preempt - the timer takes the CPU away from a program that never
 * gives it up.
 *
 * Two children count in a loop with no system calls (CPU-bound).  Every
 * SEGMENT_MS of work each writes one progress byte, 'A' or 'B', into a
 * shared pipe; the parent reads the bytes in the order they were written.
 * Without preemption the first child runs to the end before the second
 * starts: AAAAAAAAAAAABBBBBBBBBBBB.  With a timer interrupt (100 Hz: a
 * tick every 10 ms) the scheduler switches between them and the bytes
 * interleave: ABABBABA...  A segment is several ticks long, so at any HZ
 * from 25 up there are many switches; the whole test takes about a
 * second of CPU.  Each child also checks in the ledger that it was
 * interrupted (ZC_ENTRY_INTERRUPT) and switched away from; a third child,
 * alone on the CPU, that it was interrupted but never switched away from.
 */
#include <stdio.h>
#include <unistd.h>
#include <wait.h>
#include <time.h>
#include <zc.h>
#include <ztest.h>

#define SEGMENTS   12          /* progress bytes per child */
#define SEGMENT_MS 40          /* CPU time per segment */

static volatile unsigned long sink;

/* Pure computation: the loop body is a load and a store, no system call. */
static void work(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		sink += i;
}

/* How many iterations of work() take a millisecond on this machine
 * (under QEMU the answer varies by host and by -icount). */
static unsigned long calibrate(void)
{
	struct timespec a, b;
	unsigned long done = 0, chunk = 200000;
	long long ns = 0;
	int rounds;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (rounds = 0; rounds < 1000 && ns < 100000000LL; rounds++) {
		work(chunk);
		done += chunk;
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = timespec_diff_ns(&a, &b);
	}
	if (ns <= 0)
		return 100000;             /* the clock does not move: guess */
	return (unsigned long)((unsigned long long)done * 1000000ULL / (unsigned long long)ns) + 1;
}

/* Child exit codes, checked by the parent (preempt.a_status, b_status). */
#define CHILD_OK        0
#define CHILD_NO_STATS 10          /* zc_stats failed */
#define CHILD_NO_IRQ   11          /* no timer interrupt taken in user mode */
#define CHILD_NO_SWITCH 12         /* never switched away */

static int child(int fd, char letter, unsigned long per_segment)
{
	struct zc_stats s;
	int k;

	for (k = 0; k < SEGMENTS; k++) {
		work(per_segment);
		write(fd, &letter, 1);
	}
	if (usys_zc_stats(ZC_STATS_SELF, &s) != 0)
		return CHILD_NO_STATS;
	if (s.entries[ZC_ENTRY_INTERRUPT] == 0)
		return CHILD_NO_IRQ;
	if (s.context_switches == 0)
		return CHILD_NO_SWITCH;
	return CHILD_OK;
}

/* A child alone on the CPU (the parent waits for it) is interrupted by
 * the timer but never switched away from: the scheduler picks it again
 * every time.  Once the parent is asleep in waitpid (the first nap gives
 * it time to get there: the timer may have taken the CPU from it between
 * fork and waitpid), the child's ledger gains ticks taken in user mode
 * and no context switch, through work and sleeps alike, since nothing
 * else runs meanwhile. */
static int lone_child(unsigned long per_ms)
{
	struct zc_stats before, after;
	struct timespec nap = { 0, 50 * 1000000L };

	nanosleep(&nap, NULL);
	if (usys_zc_stats(ZC_STATS_SELF, &before) != 0)
		return CHILD_NO_STATS;
	work(per_ms * 100);
	nanosleep(&nap, NULL);
	nanosleep(&nap, NULL);
	if (usys_zc_stats(ZC_STATS_SELF, &after) != 0)
		return CHILD_NO_STATS;
	if (after.entries[ZC_ENTRY_INTERRUPT] == before.entries[ZC_ENTRY_INTERRUPT])
		return CHILD_NO_IRQ;
	unsigned long long n = after.context_switches - before.context_switches;
	if (n != 0)
		return 20 + (n > 50 ? 50 : (int)n);
	return CHILD_OK;
}

/* Wait for a child: its exit code, or 1000 + signal. */
static int child_code(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : WEXITSTATUS(st);
}

int main(void)
{
	char seq[2 * SEGMENTS + 1];
	unsigned long per_ms = calibrate(), per_segment = per_ms * SEGMENT_MS;
	int fds[2], n = 0, i, switches = 0;
	int first[2] = { -1, -1 }, last[2] = { -1, -1 }, count[2] = { 0, 0 };
	pid_t a, b;

	printf("preempt: %lu iterations per ms, %d segments of %d ms per child\n",
	       per_ms, SEGMENTS, SEGMENT_MS);
	if (pipe(fds) < 0) {
		perror("preempt: pipe");
		return 1;
	}
	a = fork();
	if (a == 0)
		_exit(child(fds[1], 'A', per_segment));
	b = fork();
	if (b == 0)
		_exit(child(fds[1], 'B', per_segment));
	close(fds[1]);

	while (n < 2 * SEGMENTS && read(fds[0], &seq[n], 1) == 1)
		n++;
	seq[n] = '\0';
	close(fds[0]);
	printf("preempt: order of progress bytes: %s\n", seq);

	for (i = 0; i < n; i++) {
		int who = seq[i] == 'B';

		if (first[who] < 0)
			first[who] = i;
		last[who] = i;
		count[who]++;
		if (i > 0 && seq[i] != seq[i - 1])
			switches++;
	}
	check_eq("preempt.a_progress", count[0], SEGMENTS);
	check_eq("preempt.b_progress", count[1], SEGMENTS);
	/* Both made progress before either finished. */
	if (first[1] >= 0 && first[0] >= 0 && first[1] < last[0] && first[0] < last[1])
		ztest_ok("preempt.interleaved");
	else
		ztest_fail("preempt.interleaved", "one child ran to the end first: %s", seq);
	if (switches >= 3)
		ztest_ok("preempt.switches");
	else
		ztest_fail("preempt.switches", "only %d switches between A and B", switches);

	check_eq("preempt.a_status", child_code(a), CHILD_OK);
	check_eq("preempt.b_status", child_code(b), CHILD_OK);

	/* Exit code 20 + N: the lone child counted N context switches. */
	a = fork();
	if (a == 0)
		_exit(lone_child(per_ms));
	check_eq("preempt.alone_no_switch", child_code(a), CHILD_OK);
	return ztest_summary();
}
