/*
 * lockkill - SIGKILL must end a process that waits in the kernel for
 * ext2's filesystem lock, without waiting for the lock's holder.
 *
 *     lockkill [-n INDIRECT] [-r ROUNDS]
 *
 * Run as init on a writable root disk (the host slows the disk down, so
 * that each metadata read takes a while, as on a loaded host).
 *
 * A holder builds a sparse file with INDIRECT indirect blocks (one page
 * every 4 MiB), syncs it, drops the caches and truncates it to nothing:
 * ext2_truncate_blocks holds the filesystem lock (ext2_lock) while it
 * reads every indirect block back from the disk, one after the other.
 * Meanwhile two victims queue for that lock:
 *
 *   write  appends to a file it has open (write() asks ext2_bmap for
 *          a new block, under the lock);
 *   fault  touches pages of a sparse file mapped MAP_SHARED (each fault
 *          reads the page in through the page cache, whose bmap takes the
 *          lock).
 *
 * Both get SIGKILL while the truncate runs, and each must be reaped,
 * killed by SIGKILL, before the holder says the truncate is over: its
 * wait for the lock ends at the signal, not when the holder lets go.
 * The time a victim took to die is printed (host time, to read; nothing
 * asserts a duration).  The files are removed at the end and the host
 * runs e2fsck -fn on the disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <poll.h>
#include <mman.h>
#include <zc.h>
#include <ztest.h>

#define STRIDE      (4u << 20)        /* one indirect block of 4 KiB blocks maps 4 MiB */
#define SPARSE_SIZE (256u << 20)      /* the fault victim's file: all hole */

static int nindirect = 192, rounds = 1;
static int to_holder[2], from_holder[2];

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void say(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(9);
}

static char hear(int fd)
{
	char c = 0;
	return read(fd, &c, 1) == 1 ? c : 0;
}

/* Build the tree, say 'R', wait for 'G', truncate it, say 'T'. */
static void holder(void)
{
	static char page[4096];
	close(to_holder[1]);
	close(from_holder[0]);
	memset(page, 0x5a, sizeof page);
	int fd = open("/lk.hold", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd < 0)
		_exit(2);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < nindirect; i++)
			if (lseek(fd, (off_t)(i + 2) * STRIDE, SEEK_SET) < 0 || write(fd, page, sizeof page) != sizeof page)
				_exit(3);
		long long t0 = now_ms();
		if (fsync(fd) < 0)
			_exit(4);
		long long t1 = now_ms();
		zc_drop_caches();                    /* the indirect blocks come from the disk */
		say(from_holder[1], 'R');
		if (hear(to_holder[0]) != 'G')
			_exit(5);
		long long t2 = now_ms();
		if (ftruncate(fd, 0) < 0)
			_exit(6);
		say(from_holder[1], 'T');
		printf("lockkill: holder: fsync of %d indirect blocks %lld ms, truncate %lld ms\n", nindirect,
		       t1 - t0, now_ms() - t2);
	}
	_exit(0);
}

static int wfd;                 /* open before the victims fork: no lookup */
static volatile char *map;

static void victim_write(void)
{
	static char page[4096];
	for (;;)
		if (write(wfd, page, sizeof page) != sizeof page)
			_exit(7);               /* a full disk, say: not blocked */
}

static void victim_fault(void)
{
	for (unsigned off = 0;; off = (off + 4096) % SPARSE_SIZE)
		(void)map[off];
}

static const struct { const char *name; void (*fn)(void); } victims[] = {
	{ "write", victim_write }, { "fault", victim_fault },
};
#define NVICTIMS 2

/* Has the holder said 'T' yet?  (Without reading it.) */
static int truncate_over(void)
{
	struct pollfd p = { from_holder[0], POLLIN, 0 };
	return poll(&p, 1, 0) == 1;
}

/* Map every page of our program now: the holder's zc_drop_caches
 * evicts page-cache pages nobody maps, and a fault on one of ours while
 * the truncate runs would make us queue for the lock too. */
extern char __executable_start[], end[];
static void touch_program(void)
{
	for (volatile char *p = __executable_start; p < end; p += 4096)
		(void)*p;
}

/* One round: both victims start, queue behind the truncate, get
 * SIGKILL and must be gone before it ends. */
static void round_of_kills(int r)
{
	pid_t pid[NVICTIMS];
	int st[NVICTIMS];
	if (hear(from_holder[0]) != 'R') {
		ztest_fail("lockkill.holder_ready", "the holder failed");
		return;
	}
	touch_program();
	for (int v = 0; v < NVICTIMS; v++)
		if ((pid[v] = fork()) == 0)
			victims[v].fn();
	say(to_holder[1], 'G');
	usleep(150000);                            /* the truncate holds the lock: they wait */
	int before = truncate_over();
	long long t0 = now_ms();
	for (int v = 0; v < NVICTIMS; v++)
		kill(pid[v], SIGKILL);
	for (int v = 0; v < NVICTIMS; v++)
		if (waitpid(pid[v], &st[v], 0) != pid[v])
			st[v] = -1;
	long long ms = now_ms() - t0;
	int after = truncate_over();
	printf("lockkill: both victims reaped %lld ms after SIGKILL, %s\n", ms,
	       before ? "but the truncate was over before the kill (too fast a disk?)" :
	       after ? "after the truncate ended" : "while the truncate still held the lock");
	for (int v = 0; v < NVICTIMS; v++) {
		char name[64];
		snprintf(name, sizeof name, "lockkill.%s.%d", victims[v].name, r);
		if (st[v] == -1 || !WIFSIGNALED(st[v]) || WTERMSIG(st[v]) != SIGKILL)
			ztest_fail(name, "status 0x%x", st[v]);
		else if (before)
			ztest_fail(name, "the truncate ended before the kill: nothing waited for the lock");
		else if (after)
			ztest_fail(name, "outlived the lock holder's truncate (%lld ms after SIGKILL)", ms);
		else
			ztest_ok(name);
	}
	if (hear(from_holder[0]) != 'T')
		ztest_fail("lockkill.truncated", "the holder failed");
}

int main(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-n"))
			nindirect = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-r"))
			rounds = atoi(argv[i + 1]);
	}
	wfd = open("/lk.write", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int sfd = open("/lk.sparse", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (wfd < 0 || sfd < 0 || ftruncate(sfd, SPARSE_SIZE) < 0 ||
	    (map = mmap(NULL, SPARSE_SIZE, PROT_READ, MAP_SHARED, sfd, 0)) == MAP_FAILED ||
	    pipe(to_holder) < 0 || pipe(from_holder) < 0) {
		ztest_fail("lockkill.setup", "open, ftruncate, mmap or pipe failed");
		return ztest_summary();
	}
	pid_t h = fork();
	if (h == 0)
		holder();
	close(to_holder[0]);                      /* a holder that failed: EOF, not a hang */
	close(from_holder[1]);
	for (int r = 0; r < rounds; r++)
		round_of_kills(r);
	int st = -1;
	waitpid(h, &st, 0);
	check_eq("lockkill.holder_finished", st, 0);
	close(wfd);
	close(sfd);
	munmap((void *)map, SPARSE_SIZE);
	CHECK("lockkill.files_removed", unlink("/lk.hold") == 0 && unlink("/lk.write") == 0 &&
	      unlink("/lk.sparse") == 0);
	sync();
	return ztest_summary();
}
