/*
 * fuzz - a system-call fuzzer (docs/hardening.md).
 *
 *     fuzz [-s SEED] [-w WORKERS] [-p PROCS] [-n CALLS] [-c NR,NR,...] [-k FIRST]
 *
 * Run as init.  PROCS worker processes in all (default 16), WORKERS at a
 * time (default 4), each make CALLS random system calls (default 2000)
 * through raw int 0x80: a number from the kernel's table (and a few it
 * lacks), arguments from pools that matter: 0, -1, small numbers, page
 * boundaries around user and kernel space, the worker's own stack and
 * heap, unmapped addresses, huge lengths, valid fds of every kind (file,
 * directory, pipe ends, sockets, /dev/null and /dev/zero, a /proc file,
 * an epoll instance watching the pipe; never the console: see open_fds),
 * path strings and flag bits.
 * Calls that would end the run for everyone (exit, fork, execve, kill,
 * tkill, tgkill, reboot), or the worker at once (sigreturn and
 * rt_sigreturn, which load registers from wherever esp points:
 * user/tests/sigtest.c forges their frames), or put it to sleep (pause,
 * sigsuspend, alarm) are left out; calls that wait for a timeout are made
 * rarely.  -c makes only the calls listed (to find which one a failure
 * needs).
 *
 * Worker k's generator starts from SEED and k, so "fuzz -s SEED" replays
 * a run, and "fuzz -s SEED -k K -p 1" worker K alone (-k names the first
 * worker; 0 unless given).  Each worker writes how many calls it has
 * made, and the number of the one under way, into a shared file mapping
 * (at an address none of the argument pools names); the supervisor kills
 * a worker that makes no progress for STALL_MS (a call that blocks: a
 * read of an empty pipe, a long nanosleep) and reports the call.  A worker
 * may also die of a signal (it may unmap its own stack): counted.  A
 * worker that SIGKILL does not end within KILL_WAIT_S is a failure.
 *
 * At the end, with every worker reaped and caches dropped, the frames the
 * run took must be back: free + kernel heap + page cache as at the start
 * (within LEAK_SLACK pages: sockets closed by an exit may still be
 * draining).  Output: the ztest protocol and a summary line
 *     fuzz: seed S: C calls in P processes: E exited, K killed by a signal,
 *           H hung and killed; pages free+heap+cache A before, B after
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
#include <stat.h>
#include <socket.h>
#include <epoll.h>
#include <syscall.h>
#include <zc.h>
#include <ztest.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PROCS    1024
#define STALL_MS     1500         /* no progress for this long: hung */
#define KILL_WAIT_S  10           /* SIGKILL must end a worker within this */
#define LEAK_SLACK   16
#define PROGRESS     "/fuzz.progress"
#define PROGRESS_AT  ((void *)0x60000000)   /* in none of arg()'s pools, so rarely hit by a call */

struct progress {
	volatile unsigned int calls;  /* calls made so far */
	volatile unsigned int nr;     /* the call under way */
};

static struct progress *prog;     /* MAX_PROCS entries, shared with the workers */

/* ---- the worker ---- */

static unsigned int rng;

static unsigned int rnd(void)
{
	rng ^= rng << 13;             /* xorshift32 */
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Linux i386 numbers in the kernel's table (kernel/trap/syscall.c; the
 * excluded ones are listed in worker()), a few it lacks, zc32's own. */
static const unsigned short calls[] = {
	3, 4, 5, 6, 7, 8, 10, 12, 13, 15, 19, 20, 24, 33, 36, 38, 39, 40, 41, 42, 43, 45, 47, 49,
	50, 54, 55, 57, 63, 64, 65, 66, 67, 73, 76, 77, 78, 83, 85, 90, 91, 92, 93, 94, 99, 102,
	104, 105, 106, 107, 108, 114, 116, 118, 122, 125, 126, 132, 133, 140, 141, 142, 146, 147,
	148, 158, 162, 168, 172, 174, 175, 176, 183, 187, 191, 192, 195, 196, 197, 198, 199, 200,
	201, 202, 207, 212, 220, 221, 239, 243, 254, 255, 256, 258, 265, 266, 267, 295, 296, 298,
	300, 301, 302, 304, 305, 306, 307, 308, 319, 320, 329, 330, 331, 340, 355, 359, 361, 362,
	363, 364, 365, 366, 367, 368, 369, 371, 373, 383, 403, 406, 407,
	0, 17, 400, 999, 1000, 1001, 1002, 1003, 1004, 1005, 1010, 1011,
};

/* Calls that often wait for their timeout: made one time in eight. */
static int often_waits(unsigned int nr)
{
	return nr == 162 || nr == 168 || nr == 142 || nr == 308 || nr == 256 || nr == 319 ||
	       nr == 267 || nr == 407;    /* nanosleep, poll, select, pselect6, epoll_wait, */
}                                         /* epoll_pwait, clock_nanosleep (32 and 64) */

static const unsigned int boundaries[] = {
	0x1000, 0xfff, 0x08048000, 0x08049000, 0x7ffff000, 0x80000000, 0xbfffe000, 0xbffff000,
	0xbffffffc, 0xbfffffff, 0xc0000000, 0xc0001000, 0xc0100000, 0xfffff000, 0xfffffffc,
};

static const unsigned int huge[] = { 0x7fffffff, 0xffffffff, 0x80000000, 0x40000000, 0x10000000 };

static const char *paths[] = {
	"/", "/fuzz", "/fuzz/a", "/fuzz/b", "/fuzz/d/e", "/fuzz/..", "", ".", "..",
	"/nonexistent/x", "/bin/true", "/fuzz/a/", "/fuzz//b",
};
static char long_path[400];

static unsigned int only[32], nonly;   /* -c */
static int fds[20], nfds;
static char heap_dummy;
static char *heap_buf;

static unsigned int arg(unsigned int *stack_buf)
{
	switch (rnd() % 13) {
	case 0: return 0;
	case 1: return (unsigned int)-1;
	case 2: return rnd() % 64;
	case 3: return boundaries[rnd() % ARRAY_SIZE(boundaries)] + (rnd() % 3 == 0 ? rnd() % 8 : 0);
	case 4: return (unsigned int)stack_buf + rnd() % 256;
	case 5: return (unsigned int)(heap_buf ? heap_buf : &heap_dummy) + rnd() % 4096;
	case 6: return 0x20000000 + (rnd() & 0x0ffff000);          /* most likely unmapped */
	case 7: return huge[rnd() % ARRAY_SIZE(huge)];
	case 8: return nfds ? fds[rnd() % nfds] : 0;
	case 9: return rnd() % 7 == 0 ? (unsigned int)long_path
			      : (unsigned int)paths[rnd() % ARRAY_SIZE(paths)];
	case 10: return 1u << (rnd() % 32);
	case 11: return rnd() & 0xfff;
	default: return rnd();
	}
}

static void add_fd(int fd)
{
	if (fd >= 0 && nfds < (int)ARRAY_SIZE(fds))
		fds[nfds++] = fd;
}

/* Descriptors of every kind; 0, 1 and 2 go to a file, so no call waits
 * for console input or floods the console (a flood of random bytes at
 * 115200 baud stalled a 1024-process run for minutes). */
static void open_fds(int k)
{
	char name[32];
	snprintf(name, sizeof name, "/fuzz/w%d", k);
	int f = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	for (int i = 0; i < 3; i++) {
		if (f >= 0)
			dup2(f, i);
		else
			close(i);     /* no file (the disk is full): never the console either */
	}
	add_fd(0);
	add_fd(1);
	add_fd(f);
	add_fd(open("/", O_RDONLY | O_DIRECTORY));
	add_fd(open("/bin/true", O_RDONLY));
	int p[2] = { -1, -1 };
	if (pipe(p) == 0) {
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		add_fd(p[0]);
		add_fd(p[1]);
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { AF_INET, htons(7000 + k % 1000), { htonl(INADDR_LOOPBACK) }, { 0 } };
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 4) == 0)
		fcntl(s, F_SETFL, O_NONBLOCK);
	add_fd(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s >= 0)
		fcntl(s, F_SETFL, O_NONBLOCK);
	add_fd(s);
	add_fd(socket(AF_INET, SOCK_STREAM, 0));
	add_fd(open("/dev/null", O_RDWR));
	add_fd(open("/dev/zero", O_RDWR));
	add_fd(open("/proc/self/stat", O_RDONLY));
	int ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN, 0 };
	if (ep >= 0 && p[0] >= 0)
		epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	add_fd(ep);
}

static void worker(int k, unsigned int seed, unsigned int ncalls)
{
	unsigned int stack_buf[64];
	rng = seed * 2654435761u + (unsigned int)k * 40503u + 1;
	if (!rng)
		rng = 1;
	memset(stack_buf, 0, sizeof stack_buf);
	memset(long_path, 'x', sizeof long_path - 1);
	heap_buf = malloc(8192);
	open_fds(k);
	for (unsigned int i = 0; i < ncalls; i++) {
		unsigned int nr = nonly ? only[rnd() % nonly] :
				  rnd() % 64 == 0 ? rnd() % 1100 : calls[rnd() % ARRAY_SIZE(calls)];
		if (nr == 1 || nr == 2 || nr == 11 || nr == 37 || nr == 88 || nr == 120 || nr == 190 ||
		    nr == 252 || nr == 238 || nr == 270)
			continue;     /* exit, fork, execve, kill, reboot, clone, vfork, exit_group, tkill, tgkill */
		if (often_waits(nr) && rnd() % 8)
			continue;
		unsigned int a[6];
		for (int j = 0; j < 6; j++)
			a[j] = arg(stack_buf);
		prog[k].nr = nr;
		__syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		prog[k].calls = i + 1;
	}
	_exit(0);
}

/* ---- the supervisor ---- */

struct running {
	pid_t pid;
	int k;
	unsigned int last_calls;
	long long last_change_ms;
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int exited, signalled, hung, unkillable;
static unsigned long long total_calls;

/* Calls worker k made: its counter, which a stray write may still hit. */
static unsigned int calls_made(int k, unsigned int ncalls)
{
	return prog[k].calls < ncalls ? prog[k].calls : ncalls;
}

static void reaped(struct running *r, int st, unsigned int ncalls)
{
	total_calls += calls_made(r->k, ncalls);
	if (WIFEXITED(st))
		exited++;
	else
		signalled++;
	r->pid = 0;
}

/* The State line of /proc/PID/status ("S (sleeping)"), for the report. */
static void proc_state(pid_t pid, char *out, size_t len)
{
	char path[32], buf[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *st = strstr(buf, "State:\t"), *end = st ? strchr(st, '\n') : NULL;
	if (end)
		*end = 0;
	snprintf(out, len, "%s", st ? st + 7 : "?");
}

/* Wait up to ms for pid to end; 1 if it did. */
static int reaped_within(pid_t pid, long long ms)
{
	long long until = now_ms() + ms;
	int st;
	while (waitpid(pid, &st, WNOHANG) != pid) {
		if (now_ms() > until)
			return 0;
		usleep(20000);
	}
	return 1;
}

/* SIGKILL a worker that made no progress, and see that it dies within
 * KILL_WAIT_S; if not, say what state it is in and whether it ends at
 * all (a slow death and a stuck one call for different fixes). */
static void kill_hung(struct running *r, unsigned int seed, unsigned int ncalls)
{
	printf("fuzz: worker %d (fuzz -s %u) hung in call %u after %u calls: killed\n", r->k, seed,
	       prog[r->k].nr, prog[r->k].calls);
	kill(r->pid, SIGKILL);
	if (!reaped_within(r->pid, KILL_WAIT_S * 1000)) {
		char state[64];
		proc_state(r->pid, state, sizeof state);
		printf("fuzz: worker %d pid %d still alive %d s after SIGKILL (state %s)\n", r->k, r->pid,
		       KILL_WAIT_S, state);
		int ended = reaped_within(r->pid, 60000);
		printf("fuzz: worker %d pid %d %s\n", r->k, r->pid,
		       ended ? "ended within a minute more" : "still alive a minute later");
		unkillable++;
		r->pid = 0;
		return;
	}
	hung++;
	total_calls += calls_made(r->k, ncalls);
	r->pid = 0;
}

static void supervise(unsigned int seed, int nworkers, int first, int nprocs, unsigned int ncalls)
{
	struct running run[64];
	int next = first, live = 0;
	nprocs += first;
	memset(run, 0, sizeof run);
	while (next < nprocs || live > 0) {
		for (int i = 0; i < nworkers; i++) {
			struct running *r = &run[i];
			if (!r->pid && next < nprocs) {
				r->k = next++;
				r->last_calls = 0;
				r->last_change_ms = now_ms();
				r->pid = fork();
				if (r->pid == 0)
					worker(r->k, seed, ncalls);
				if (r->pid < 0) {
					r->pid = 0;
					next--;
					continue;
				}
				live++;
			}
			if (!r->pid)
				continue;
			int st;
			if (waitpid(r->pid, &st, WNOHANG) == r->pid) {
				reaped(r, st, ncalls);
				live--;
			} else if (prog[r->k].calls != r->last_calls) {
				r->last_calls = prog[r->k].calls;
				r->last_change_ms = now_ms();
			} else if (now_ms() - r->last_change_ms > STALL_MS) {
				kill_hung(r, seed, ncalls);
				live--;
			}
		}
		usleep(20000);
	}
}

int main(int argc, char **argv)
{
	unsigned int seed = 0, ncalls = 2000;
	int nworkers = 4, nprocs = 16, first = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-s"))
			seed = (unsigned int)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-w"))
			nworkers = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-p"))
			nprocs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-k"))
			first = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "-n"))
			ncalls = (unsigned int)strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "-c"))
			for (char *p = argv[i + 1]; *p && nonly < ARRAY_SIZE(only); p += *p == ',')
				only[nonly++] = (unsigned int)strtoul(p, &p, 0);
	}
	if (!seed) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		seed = (unsigned int)(t.tv_nsec ^ t.tv_sec) | 1;
	}
	nworkers = nworkers < 1 ? 1 : nworkers > 64 ? 64 : nworkers;
	first = first < 0 ? 0 : first >= MAX_PROCS ? MAX_PROCS - 1 : first;
	nprocs = nprocs < 1 ? 1 : nprocs > MAX_PROCS - first ? MAX_PROCS - first : nprocs;
	printf("fuzz: seed %u, %d processes (%d at a time), %u calls each\n", seed, nprocs, nworkers,
	       ncalls);
	mkdir("/fuzz", 0755);
	int pf = open(PROGRESS, O_RDWR | O_CREAT | O_TRUNC, 0644);
	static struct progress zeros[MAX_PROCS];
	size_t plen = sizeof zeros;
	/* Written, not ftruncate'd: a hole gets its disk block at the first
	 * write through the mapping, and once the workers have filled the
	 * disk that fault is SIGBUS (ENOSPC), as on Linux. */
	if (pf < 0 || write(pf, zeros, plen) != (ssize_t)plen ||
	    (prog = mmap(PROGRESS_AT, plen, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, pf, 0)) ==
	    MAP_FAILED) {
		printf("fuzz: cannot map %s (%s)\n", PROGRESS, strerror(errno));
		return 2;
	}
	close(pf);
	unsigned int before = zc_pages_accounted();
	supervise(seed, nworkers, first, nprocs, ncalls);
	unsigned int after = zc_pages_accounted();
	printf("fuzz: seed %u: %llu calls in %d processes: %d exited, %d killed by a signal, "
	       "%d hung and killed; pages free+heap+cache %u before, %u after\n", seed, total_calls,
	       nprocs, exited, signalled, hung, before, after);
	check_eq("fuzz.every_worker_ended", exited + signalled + hung, nprocs);
	check_eq("fuzz.sigkill_ends_hung_workers", unkillable, 0);
	CHECK("fuzz.calls_made", total_calls >= (unsigned long long)nprocs * ncalls / 10);
	CHECK("fuzz.no_frames_lost", after + LEAK_SLACK >= before);
	return ztest_summary();
}
