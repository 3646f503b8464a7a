/*
 * faultkill - SIGKILL for a process in the page-fault and reclaim paths.
 *
 *     faultkill [-r ROUNDS] [-s SEED]
 *
 * Run as init, with little RAM and a swap disk (the test gives 32 MiB of
 * RAM and 64 MiB of swap).  Each round forks a victim that keeps memory
 * short and SIGKILLs it after a random delay.  The victims take turns:
 *
 *   touch  writes a word in each page of TOUCH_MIB MiB (more than RAM),
 *          again and again: each touch is a page fault that swaps a page
 *          in, and the pager evicts another to make room for it;
 *   read   read()s a FILE_MIB MiB file into a buffer as large, again and
 *          again: the kernel's copy faults on buffer pages that were
 *          swapped out, while the page cache reads back the file's pages
 *          it had evicted;
 *   write  write()s its FILE_MIB MiB buffer over a file of its own, again
 *          and again: the copy from the buffer faults on swapped pages.
 *
 * The kernel checks for SIGKILL where these paths loop: page_alloc_user's
 * retries and reclaim_make_room (mm/reclaim.c), the page-by-page copies
 * of read() and write() (mm/pagecache.c).  So each victim must be reaped,
 * killed by SIGKILL, within KILL_BOUND_MS of the signal, and must have
 * done next to nothing after it: the parent reads the victim's ledger
 * just after kill() and compares it with the victim's whole ledger once
 * reaped (bytes copied for read and write, page faults for touch).
 *
 * At the end memory, swap slots and the process count are back where they
 * were, and a command runs.  Output: the ztest protocol, and
 *     faultkill: R rounds (seed S): slowest reap M ms; K killed asleep in
 *     the kernel; after the signal at most B bytes copied, F faults, E
 *     pages evicted; victims: J major faults, W pages swapped out
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <mman.h>
#include <zc.h>
#include <ztest.h>

#define TOUCH_MIB      40
#define FILE_MIB       16
#define FILE_BYTES     (FILE_MIB << 20)
#define DATA_FILE      "/faultkill.data"
#define WRITE_FILE     "/faultkill.out"
#define KILL_BOUND_MS  2000
#define DELAY_MIN_MS   100             /* long enough for a victim to fill RAM */
#define DELAY_SPAN_MS  400
#define BYTES_AFTER    (2 * PAGE_SIZE) /* the page being copied when the signal came, and one more */
#define FAULTS_AFTER   2               /* the fault in progress, and its retry */
#define LEAK_SLACK     64              /* pages: the page cache refills a little meanwhile */

enum victim { TOUCH, READ, WRITE, VICTIMS };
static const char *const victim_names[] = { "touch", "read", "write" };

/* ---- the victims: each runs until killed ---- */

static void victim_touch(void)
{
	char *mem = mmap(NULL, TOUCH_MIB << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		_exit(2);
	for (unsigned int pass = 1;; pass++)
		for (unsigned int off = 0; off < (TOUCH_MIB << 20); off += PAGE_SIZE)
			mem[off] = (char)pass;
}

static void victim_read(void)
{
	char *buf = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(DATA_FILE, O_RDONLY);
	if (buf == MAP_FAILED || fd < 0)
		_exit(2);
	for (;;)                                       /* (zc32 has no pread) */
		if (lseek(fd, 0, SEEK_SET) != 0 || read(fd, buf, FILE_BYTES) != FILE_BYTES)
			_exit(3);
}

static void victim_write(void)
{
	char *buf = mmap(NULL, FILE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(WRITE_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (buf == MAP_FAILED || fd < 0)
		_exit(2);
	memset(buf, 0x5a, FILE_BYTES);
	for (;;)
		if (lseek(fd, 0, SEEK_SET) != 0 || write(fd, buf, FILE_BYTES) != FILE_BYTES)
			_exit(3);
}

static void (*const victims[])(void) = { victim_touch, victim_read, victim_write };

/* ---- the parent ---- */

static unsigned int rng;
static unsigned int next_rand(void)           /* xorshift32: the seed replays the delays */
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* What a victim has done, as far as this test cares: bytes the kernel
 * copied to or from it, and its page faults. */
struct work { unsigned long long bytes, faults, major, swapped, evicted; };

static struct work work_of(const struct zc_stats *s)
{
	struct work w = { s->bytes[ZC_CPU_KERNEL_TO_USER] + s->bytes[ZC_CPU_USER_TO_KERNEL],
			  s->faults_minor + s->faults_major, s->faults_major, s->swap_outs, s->evictions };
	return w;
}

/* Is pid asleep (in the kernel: a user program never sleeps elsewhere)? */
static int asleep(pid_t pid)
{
	static struct zc_procinfo procs[64];
	int n = zc_procs(procs, 64);
	for (int i = 0; i < n; i++)
		if (procs[i].pid == pid)
			return procs[i].state == 'S';
	return 0;
}

/* Wait up to KILL_BOUND_MS for pid: its wait status, or -1. */
static int reap_within_bound(pid_t pid, long long *ms)
{
	long long start = now_ms();
	int st;
	pid_t w;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now_ms() - start < KILL_BOUND_MS)
		usleep(2000);
	*ms = now_ms() - start;
	return w == pid ? st : -1;
}

struct totals {
	long long slowest_ms;
	int asleep;
	unsigned long long bytes_after, faults_after, evicted_after, major, swapped;
};

/* One round: fork victim v, let it run delay_ms, SIGKILL it, reap it. */
static void round_once(int r, enum victim v, int delay_ms, struct totals *t)
{
	char name[64];
	struct zc_stats s;
	snprintf(name, sizeof name, "faultkill.%s.%d", victim_names[v], r);
	pid_t pid = fork();
	if (pid == 0) {
		victims[v]();
		_exit(4);
	}
	if (pid < 0) {
		ztest_fail(name, "fork: %s", strerror(errno));
		return;
	}
	usleep(delay_ms * 1000);
	t->asleep += asleep(pid);
	kill(pid, SIGKILL);
	/* Read after the kill, so the difference below is work the victim
	 * did once it was marked killed, however late this read runs. */
	zc_stats(pid, &s);
	struct work at_kill = work_of(&s);
	zc_stats(ZC_STATS_CHILDREN, &s);
	struct work before = work_of(&s);

	long long ms;
	int st = reap_within_bound(pid, &ms);
	if (st == -1) {
		ztest_fail(name, "still alive %d ms after SIGKILL (after %d ms of work)", KILL_BOUND_MS, delay_ms);
		waitpid(pid, &st, 0);
		return;
	}
	zc_stats(ZC_STATS_CHILDREN, &s);
	struct work all = work_of(&s);                /* the reaped victim's ledger joined its parent's */
	unsigned long long bytes_after = all.bytes - before.bytes - at_kill.bytes;
	unsigned long long faults_after = all.faults - before.faults - at_kill.faults;
	unsigned long long evicted_after = all.evicted - before.evicted - at_kill.evicted;
	t->slowest_ms = ms > t->slowest_ms ? ms : t->slowest_ms;
	t->bytes_after = bytes_after > t->bytes_after ? bytes_after : t->bytes_after;
	t->faults_after = faults_after > t->faults_after ? faults_after : t->faults_after;
	t->evicted_after = evicted_after > t->evicted_after ? evicted_after : t->evicted_after;
	t->major += all.major - before.major;
	t->swapped += all.swapped - before.swapped;
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
		ztest_fail(name, "wait status 0x%x, not SIGKILL", st);
	else if (bytes_after > BYTES_AFTER || faults_after > FAULTS_AFTER)
		ztest_fail(name, "went on after SIGKILL: %llu bytes copied, %llu faults (killed after %d ms)",
			   bytes_after, faults_after, delay_ms);
	else
		ztest_ok(name);
}

/* The file the read victims read: FILE_BYTES of a pattern, a page at a
 * time (a buffer of the whole file would be our own memory to swap). */
static int make_data_file(void)
{
	static unsigned int page[PAGE_SIZE / 4];
	int fd = open(DATA_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (unsigned int p = 0; p < FILE_BYTES / PAGE_SIZE; p++) {
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			page[i] = p * 1031 + i;
		if (write(fd, page, PAGE_SIZE) != PAGE_SIZE)
			return -1;
	}
	return fsync(fd) | close(fd);
}

/* fork + exec /bin/true: 1 if it ran and exited 0. */
static int command_runs(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "/bin/true", NULL };
		execve(argv[0], argv, NULL);
		_exit(127);
	}
	int st = -1;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	int rounds = 24;
	unsigned int seed = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = (unsigned int)atoi(argv[++i]);
	}
	rng = seed * 2654435761u | 1;
	if (make_data_file() < 0) {
		ztest_fail("faultkill.data_file", "cannot write %s: %s", DATA_FILE, strerror(errno));
		return ztest_summary();
	}
	command_runs();                                 /* warm up what a fork and exec first take */
	struct zc_info before, after;
	unsigned int pages_before = zc_pages_accounted();
	zc_info(&before);

	struct totals t = { 0 };
	for (int r = 0; r < rounds; r++)
		round_once(r, (enum victim)(r % VICTIMS), DELAY_MIN_MS + (int)(next_rand() % DELAY_SPAN_MS), &t);

	CHECK("faultkill.command_runs", command_runs());
	unsigned int pages_after = zc_pages_accounted();
	zc_info(&after);
	check_eq("faultkill.no_process_left", after.nprocs, before.nprocs);
	check_eq("faultkill.slots_back", after.swap_used <= before.swap_used + LEAK_SLACK, 1);
	if (pages_after + LEAK_SLACK >= pages_before)
		ztest_ok("faultkill.frames_back");
	else
		ztest_fail("faultkill.frames_back", "%u pages before, %u after", pages_before, pages_after);
	printf("faultkill: %d rounds (seed %u): slowest reap %lld ms; %d killed asleep in the kernel; after the "
	       "signal at most %llu bytes copied, %llu faults, %llu pages evicted; victims: %llu major faults, %llu pages "
	       "swapped out\n", rounds, seed, t.slowest_ms, t.asleep, t.bytes_after, t.faults_after, t.evicted_after,
	       t.major, t.swapped);
	unlink(DATA_FILE);
	unlink(WRITE_FILE);
	return ztest_summary();
}
