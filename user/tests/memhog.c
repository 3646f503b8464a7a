/*
 * memhog - memory exhaustion that must end (docs/hardening.md).
 *
 *     memhog [-s] [-t SECONDS] [-m brk|mmap|file]
 *
 * Run as init.  It fills a small buffer of its own, then forks a hog that
 * grows page after page and writes every page, for ever: once RAM and
 * swap are full the kernel must stop it.  -m says how it grows (hog.h):
 * its heap with brk() (the default), anonymous private mappings of 1 MiB,
 * or private mappings of a 1 MiB file, written (copy-on-write).  Meanwhile
 * the parent polls for the hog every 100 ms and re-reads its own buffer,
 * so init keeps faulting its pages back in while memory is full: the
 * out-of-memory killer must pick the hog, never init.
 *
 * With -s the hog stops growing once swap is nearly full, tells the parent
 * and waits; then the parent itself touches NEW_PAGES fresh pages, so its
 * own fault finds memory full: the hog must be killed for it, and init's
 * touch must succeed once the hog has gone.
 *
 * -t bounds the wait (default 600 s): a hog still alive then is a failure
 * (and is killed).
 *
 * Afterwards the parent checks its buffer, that a command still runs
 * (fork + exec /bin/echo), and that the hog's memory came back.
 * Output: the ztest protocol, and
 *     memhog: hog pid P ended after S s: status X
 *     memhog: the hog's faults: N minor, M major, C copy-on-write copies, W pages swapped out
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <mman.h>
#include <zc.h>
#include <ztest.h>
#include "hog.h"

#define OWN_PAGES   256                /* init's own buffer: 1 MiB */
#define NEW_PAGES   4096               /* -s: what init touches once the hog has stopped */
#define SWAP_LEFT   256                /* -s: the hog stops with fewer free swap slots */
#define REPORT_MIB  32                 /* the hog says how far it got every 32 MiB */
#define WORDS       (PAGE_SIZE / 4)

static unsigned int own[OWN_PAGES * WORDS];
static unsigned int fresh[NEW_PAGES * WORDS];    /* -s: never touched before */

static unsigned int pattern(unsigned int i) { return i * 2654435761u ^ 0x5eed1234u; }

/* Is swap nearly full?  (Checked every 64 pages.) */
static int swap_nearly_full(void)
{
	struct zc_info info;
	zc_info(&info);
	return info.swap_total - info.swap_used < SWAP_LEFT;
}

/* Grow page after page (mode) and write each page, until killed; with
 * stop_fd >= 0, stop once swap is nearly full, say so on stop_fd and
 * wait.  fd: the file of file mode. */
static void hog(enum hog_mode mode, int fd, int stop_fd)
{
	for (unsigned long pages = 1;; pages++) {
		if (stop_fd >= 0 && pages % 64 == 0 && swap_nearly_full()) {
			printf("memhog: hog stops at %lu MiB\n", pages / 256);
			write(stop_fd, "s", 1);
			for (;;)
				sleep(1000);
		}
		unsigned int *p = (unsigned int *)hog_next_page(mode, fd);
		if (!p) {
			printf("memhog: hog: %s refused after %lu MiB (%s)\n", hog_mode_names[mode], pages / 256,
			       strerror(errno));
			_exit(3);
		}
		p[pages % WORDS] = (unsigned int)pages;
		if (pages % (REPORT_MIB * 256) == 0)        /* where: the heap's pages lie low, mappings high */
			printf("memhog: hog at %lu MiB, page 0x%08x\n", pages / 256, (unsigned int)p);
	}
}

/* Words of init's buffer that are wrong; reading them faults swapped
 * pages back in. */
static unsigned int own_check(void)
{
	unsigned int bad = 0;
	for (unsigned int i = 0; i < OWN_PAGES * WORDS; i += 64)
		bad += own[i] != pattern(i);
	return bad;
}

static int seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int)(timespec_diff_ns(t0, &now) / 1000000000LL);
}

/* Wait for pid, re-reading our buffer meanwhile; kill it at the deadline.
 * Its wait status, or -1 if it outlived the deadline. */
static int wait_hog(pid_t pid, int deadline, const struct timespec *t0, unsigned int *own_bad)
{
	int st;
	for (;;) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		*own_bad += own_check();
		if (seconds_since(t0) >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(100000);
	}
}

/* -s: wait for the hog to stop, then touch fresh pages with memory full.
 * Pages of them that are wrong afterwards. */
static unsigned int touch_fresh(int stop_fd)
{
	char c;
	if (read(stop_fd, &c, 1) != 1)
		return NEW_PAGES;
	printf("memhog: init touches %d fresh pages\n", NEW_PAGES);
	for (unsigned int p = 0; p < NEW_PAGES; p++)
		fresh[p * WORDS] = pattern(p);
	unsigned int bad = 0;
	for (unsigned int p = 0; p < NEW_PAGES; p++)
		bad += fresh[p * WORDS] != pattern(p);
	return bad;
}

/* How the hog's memory came (the ledger of our reaped children, so far
 * only the hog): the host tells the modes apart by it, a file mapping's
 * pages being copies of the file's. */
static void report_hog_faults(void)
{
	struct zc_stats s;
	if (zc_stats(ZC_STATS_CHILDREN, &s) < 0)
		return;
	printf("memhog: the hog's faults: %llu minor, %llu major, %llu copy-on-write copies, %llu pages swapped out\n",
	       s.faults_minor, s.faults_major, s.cow_copies, s.swap_outs);
}

/* fork + exec /bin/echo: 1 if it ran and exited 0. */
static int command_runs(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "echo", "memhog: echo runs after the hog", NULL };
		execve("/bin/echo", argv, NULL);
		_exit(127);
	}
	int st = -1;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	int deadline = 600, stop = 0, fd = -1;
	enum hog_mode mode = HOG_BRK;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-s"))
			stop = 1;
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			deadline = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-m") && i + 1 < argc)
			mode = hog_mode_parse(argv[++i]);
	}
	if (mode == HOG_BAD) {
		printf("memhog: -m takes brk, mmap or file\n");
		return 2;
	}
	if (mode == HOG_FILE_MAP && (fd = hog_file_open()) < 0) {
		printf("memhog: cannot write %s: %s\n", HOG_FILE, strerror(errno));
		return 2;
	}
	struct zc_info before, after;
	zc_info(&before);
	printf("memhog: %u pages of RAM, %u free, swap %u pages; the hog grows by %s\n", before.total_pages,
	       before.free_pages, before.swap_total, hog_mode_names[mode]);
	for (unsigned int i = 0; i < OWN_PAGES * WORDS; i++)
		own[i] = pattern(i);

	int stop_pipe[2] = { -1, -1 };
	if (stop && pipe(stop_pipe) < 0)
		return 2;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid == 0)
		hog(mode, fd, stop_pipe[1]);
	CHECK("memhog.fork", pid > 0);
	if (pid < 0)
		return ztest_summary();
	if (stop)
		check_eq("memhog.init_touched_fresh_pages", touch_fresh(stop_pipe[0]), 0);
	unsigned int own_bad = 0;
	int st = wait_hog(pid, deadline, &t0, &own_bad);
	printf("memhog: hog pid %d ended after %d s: status 0x%x\n", pid, seconds_since(&t0), st);
	if (st == -1)
		ztest_fail("memhog.hog_ended", "the hog was still alive after %d s", deadline);
	else
		ztest_ok("memhog.hog_ended");
	CHECK("memhog.hog_killed", st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	report_hog_faults();
	check_eq("memhog.init_data_intact", own_bad + own_check(), 0);
	CHECK("memhog.command_runs", command_runs());
	zc_info(&after);
	printf("memhog: after: %u pages free, swap %u used\n", after.free_pages, after.swap_used);
	/* The hog's frames and slots are back: most of RAM free again (the
	 * page cache refills a little), and swap as empty as at the start
	 * but for a few pages of init's own. */
	CHECK("memhog.frames_back", after.free_pages >= before.free_pages / 2);
	CHECK("memhog.slots_back", after.swap_used <= before.swap_used + OWN_PAGES + 64);
	return ztest_summary();
}
