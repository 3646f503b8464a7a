/*
 * swapfull - running out of RAM and swap (docs/replacement.md).
 *
 *     swapfull [-w] [VICTIM_PERCENT]
 *
 * A victim process fills VICTIM_PERCENT% of RAM (default 25) with a
 * pattern and waits.  Then an offender touches more pages than RAM and
 * swap together hold.  The kernel must kill the offender (SIGKILL, with
 * "out of memory (RAM and swap are full)" on the console) or refuse its
 * memory, keep running, and give back the offender's frames and swap
 * slots; the victim then checks every page of its data.  Finally a new
 * process can still use memory.  Output: the ztest protocol.
 *
 * With -w the offender runs out inside a system call instead: it write()s
 * a fresh (never touched) buffer of that size to /swapfull.dat in one
 * call, so the pages are demand-zero faulted inside copy_from_user while
 * the write holds the file's write lock.  The kernel must fail the copy,
 * let the call unwind and kill the offender on its way out; then a second
 * process appends a line to the same file and must finish (a lock left
 * held would hang it).  The host checks the file and e2fsck.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#include <signal.h>
#include <mman.h>
#include <fcntl.h>
#include <zc.h>
#include <ztest.h>

#define WORDS (PAGE_SIZE / 4)

static unsigned int pattern(unsigned int p, unsigned int w)
{
	return (p * 2654435761u) ^ (w * 0x9e3779b9u) ^ 0xa5000000u;
}

static unsigned int *map_pages(unsigned int n)
{
	return mmap(NULL, (size_t)n * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Fill n pages, tell the parent, wait for its word, verify: exit 0 if
 * every word is right. */
static void victim(unsigned int n, int ready_fd, int go_fd)
{
	unsigned int *mem = map_pages(n);
	char c = 'r';
	if (mem == MAP_FAILED)
		_exit(2);
	for (unsigned int p = 0; p < n; p++)
		for (unsigned int w = 0; w < WORDS; w++)
			mem[p * WORDS + w] = pattern(p, w);
	write(ready_fd, &c, 1);
	read(go_fd, &c, 1);
	unsigned int bad = 0;
	for (unsigned int p = 0; p < n; p++)
		for (unsigned int w = 0; w < WORDS; w++)
			if (mem[p * WORDS + w] != pattern(p, w)) {
				if (bad++ < 5)
					printf("swapfull: victim page %u word %u wrong\n", p, w);
			}
	printf("swapfull: victim checked %u pages: %u words wrong\n", n, bad);
	_exit(bad ? 1 : 0);
}

/* Touch n pages: with n more than RAM + swap, the kernel must stop us. */
static void offender(unsigned int n)
{
	unsigned int *mem = map_pages(n);
	if (mem == MAP_FAILED) {
		printf("swapfull: offender's mmap refused (%s)\n", strerror(errno));
		_exit(3);
	}
	for (unsigned int p = 0; p < n; p++)
		mem[p * WORDS + (p % WORDS)] = p;
	printf("swapfull: offender touched all %u pages and was not stopped\n", n);
	_exit(0);
}

#define WRITE_FILE "/swapfull.dat"
#define WRITE_LINE "swapfull: second writer was here\n"

/* Write n fresh pages to WRITE_FILE: with n more than RAM + swap, the
 * kernel must kill us inside the write. */
static void write_offender(unsigned int n)
{
	char *mem = (char *)map_pages(n);
	int fd = open(WRITE_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (mem == MAP_FAILED || fd < 0) {
		printf("swapfull: write offender: mmap or open failed (%s)\n", strerror(errno));
		_exit(2);
	}
	size_t total = (size_t)n * PAGE_SIZE, done = 0;
	while (done < total) {
		ssize_t w = write(fd, mem + done, total - done);
		if (w <= 0) {
			printf("swapfull: write offender: write failed after %lu bytes (%s)\n",
			       (unsigned long)done, w < 0 ? strerror(errno) : "returned 0");
			_exit(3);
		}
		done += (size_t)w;
	}
	printf("swapfull: write offender wrote all %lu bytes and was not stopped\n",
	       (unsigned long)total);
	_exit(0);
}

/* Append WRITE_LINE to WRITE_FILE: must not hang on the offender's lock. */
static void second_writer(void)
{
	int fd = open(WRITE_FILE, O_WRONLY | O_APPEND);
	if (fd < 0)
		_exit(2);
	ssize_t w = write(fd, WRITE_LINE, strlen(WRITE_LINE));
	_exit(w == (ssize_t)strlen(WRITE_LINE) && close(fd) == 0 ? 0 : 1);
}

/* waitpid with a deadline: the wait status, or -1 if pid is still running
 * after secs seconds (then it is killed). */
static int wait_deadline(pid_t pid, int secs)
{
	int st;
	for (int i = 0; i < secs * 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	return -1;
}

int main(int argc, char **argv)
{
	int writing = argc > 1 && !strcmp(argv[1], "-w");
	if (writing)
		argc--, argv++;
	int percent = argc > 1 ? atoi(argv[1]) : 25;
	struct zc_info info, after;
	int ready[2], go[2], st;
	char c = 'g';

	zc_info(&info);
	unsigned int vpages = info.total_pages * percent / 100;
	unsigned int opages = (info.total_pages + info.swap_total) * 2;
	printf("swapfull: %u pages of RAM, swap %u pages; victim %u pages, offender %u pages\n",
	       info.total_pages, info.swap_total, vpages, opages);
	if (pipe(ready) < 0 || pipe(go) < 0)
		return 2;
	pid_t vpid = fork();
	if (vpid == 0)
		victim(vpages, ready[1], go[0]);
	read(ready[0], &c, 1);
	printf("swapfull: victim pid %d has filled its pages\n", vpid);

	struct zc_info mid;
	zc_info(&mid);
	pid_t opid = fork();
	if (opid == 0) {
		if (writing)
			write_offender(opages);
		offender(opages);
	}
	CHECK("swapfull.forks", vpid > 0 && opid > 0);
	waitpid(opid, &st, 0);
	printf("swapfull: offender pid %d: wait status %#x\n", opid, st);
	if (writing) {
		/* Killed, not refused: the memory ran out in the copy itself. */
		CHECK("swapfull.write_offender_killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		pid_t wpid = fork();
		if (wpid == 0)
			second_writer();
		int wst = wait_deadline(wpid, 30);
		printf("swapfull: second writer pid %d: wait status %#x\n", wpid, wst);
		check_eq("swapfull.second_writer_finished", wst, 0);
	} else {
		CHECK("swapfull.offender_stopped",
		      (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
		      (WIFEXITED(st) && WEXITSTATUS(st) == 3));
		/* The file's pages are still cached (some dirty): write them
		 * back and drop them before counting free frames. */
		usys_zc_drop_caches();
	}
	zc_info(&after);
	printf("swapfull: swap slots used: %u before the offender, %u after it died (of %u); "
	       "free pages %u before, %u after\n", mid.swap_used, after.swap_used, after.swap_total,
	       mid.free_pages, after.free_pages);
	/* What stays in swap is the victim's (and a few of ours): not the
	 * offender's. */
	CHECK("swapfull.offender_slots_freed", after.swap_used <= mid.swap_used + vpages + 16);
	CHECK("swapfull.offender_frames_freed", after.free_pages + 64 >= mid.free_pages);

	write(go[1], &c, 1);
	waitpid(vpid, &st, 0);
	check_eq("swapfull.victim_data_intact", st, 0);

	/* The kernel is still fine: another process can use half the RAM. */
	pid_t npid = fork();
	if (npid == 0) {
		unsigned int n = info.total_pages / 2;
		unsigned int *mem = map_pages(n);
		if (mem == MAP_FAILED)
			_exit(2);
		for (unsigned int p = 0; p < n; p++)
			mem[p * WORDS] = p ^ 0x5a5a5a5a;
		for (unsigned int p = 0; p < n; p++)
			if (mem[p * WORDS] != (p ^ 0x5a5a5a5a))
				_exit(1);
		_exit(0);
	}
	waitpid(npid, &st, 0);
	check_eq("swapfull.memory_usable_after", st, 0);
	zc_info(&after);
	printf("swapfull: at the end %u swap slots used, %u pages free\n", after.swap_used,
	       after.free_pages);
	CHECK("swapfull.slots_freed_at_exit", after.swap_used <= mid.swap_used + 16);
	return ztest_summary();
}
