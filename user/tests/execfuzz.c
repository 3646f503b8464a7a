/*
 * execfuzz - run every file of a directory as a program: the guest half
 * of the ELF mutation fuzzer (tools/mutate.py writes the mutated files).
 *
 *     execfuzz [DIR] [ROUNDS]
 *
 * Run as init.  Each file of DIR (default /elf) is executed ROUNDS times
 * (default 1), each time in a new child.  A mutated ELF must be refused
 * (execve fails: ENOEXEC, or another errno such as ENOMEM for absurd
 * sizes), or run and end by itself or by a signal.  One that runs on for
 * RUN_MS (a mutated entry point can land in a loop) is killed with
 * SIGKILL, which must end it within KILL_WAIT_MS.  Never a panic: the
 * host checks that.  Output: the ztest protocol and
 *     execfuzz: N runs of F files: R refused (E with ENOEXEC), X exited,
 *               S killed by a signal, H ran on and were killed
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <errno.h>
#include <ztest.h>

#define RUN_MS        2000
#define KILL_WAIT_MS  3000
#define REFUSED_BASE  200      /* the child's exit code: REFUSED_BASE + errno of execve */

static int runs, refused, enoexec, exited, signalled, ran_on, unkillable;

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait for pid until deadline; its status, or -1 if it is still running. */
static int wait_until(pid_t pid, long long deadline)
{
	int st;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return st;
		if (w < 0 || now_ms() > deadline)
			return -1;
		usleep(5000);
	}
}

static void run_one(const char *path)
{
	pid_t pid = fork();
	if (pid < 0) {
		ztest_fail("execfuzz.fork", "%s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* The program's output (a mutated one may print garbage) goes
		 * to a file, not the console the host reads. */
		int out = open("/execfuzz.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out >= 0) {
			dup2(out, 1);
			dup2(out, 2);
		}
		char *argv[] = { (char *)path, NULL };
		char *envp[] = { "PATH=/bin", NULL };
		execve(path, argv, envp);
		_exit(REFUSED_BASE + (errno & 0x3f));
	}
	runs++;
	int st = wait_until(pid, now_ms() + RUN_MS);
	if (st == -1) {
		kill(pid, SIGKILL);
		st = wait_until(pid, now_ms() + KILL_WAIT_MS);
		if (st == -1) {
			printf("execfuzz: %s: still alive %d ms after SIGKILL\n", path, KILL_WAIT_MS);
			unkillable++;
		} else {
			ran_on++;
		}
		return;
	}
	if (WIFSIGNALED(st)) {
		signalled++;
	} else if (WEXITSTATUS(st) >= REFUSED_BASE) {
		refused++;
		enoexec += WEXITSTATUS(st) == REFUSED_BASE + ENOEXEC;
	} else {
		exited++;
	}
}

#define MAX_FILES 4096
static char names[MAX_FILES][32];

/* The names in dir (getdents64), at most MAX_FILES; -1 if it cannot be read. */
static int list_dir(const char *dir)
{
	static char buf[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY), n, count = 0;
	if (fd < 0)
		return -1;
	while ((n = getdents64(fd, (struct linux_dirent64 *)buf, sizeof buf)) > 0)
		for (int off = 0; off < n;) {
			struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + off);
			if (e->d_name[0] != '.' && count < MAX_FILES)
				strlcpy(names[count++], e->d_name, sizeof names[0]);
			off += e->d_reclen;
		}
	close(fd);
	return count;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/elf";
	int rounds = argc > 2 ? atoi(argv[2]) : 1;
	int files = list_dir(dir);
	if (files < 0) {
		ztest_fail("execfuzz.list", "%s: %s", dir, strerror(errno));
		return ztest_summary();
	}
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < files; i++) {
			char path[256];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			run_one(path);
		}
	int st;
	while (waitpid(-1, &st, WNOHANG) > 0)     /* children the programs left, now ours */
		;
	printf("execfuzz: %d runs of %d files: %d refused (%d with ENOEXEC), %d exited, %d killed by a signal, "
	       "%d ran on and were killed\n", runs, files, refused, enoexec, exited, signalled, ran_on);
	CHECK("execfuzz.ran_every_file", runs == files * rounds && files > 0);
	check_eq("execfuzz.sigkill_ends_every_run", unkillable, 0);
	CHECK("execfuzz.some_refused", refused > 0);
	return ztest_summary();
}
