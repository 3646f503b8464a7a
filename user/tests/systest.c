/*
 * systest - checks each basic system call, with good and bad
 * arguments (docs/design.md sections 3 and 7).
 *
 * Output is one `ok NAME` / `not ok NAME: detail` line per check and a
 * final `summary:` line (see ztest.h); exit status 0 iff all passed.
 * Error cases use the raw usys_*() calls so the exact -errno is checked.
 * Anything that might kill or replace the process runs in a forked child
 * that reports through its exit status.
 *
 * Sections: start-up stack, getpid/fork, wait, exec, brk, bad pointers,
 * file descriptors, pipes, writev, time, uname, kill, unknown calls,
 * cwd, open, zc32 ledger calls, exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <utsname.h>
#include <auxv.h>
#include <uapi/elf.h>
#include <uapi/resource.h>
#include <zc.h>
#include <ztest.h>

/* Addresses a program may not hand to the kernel. */
#define BAD_LOW     ((void *)0x1)          /* page 0 is never mapped */
#define BAD_KERNEL  ((void *)0xC0000000)   /* first byte of the kernel half */
#define BAD_KERNEL2 ((void *)0xC0100000)
#define STRADDLE    ((void *)0xBFFFFFF8)   /* 8 user bytes, then kernel */

extern char _start[];                      /* crt0.S: our entry point */
static char self[256];                     /* path to this program, to re-exec it */

/* ---- helpers ---- */

/* Wait for pid; returns its status, or -1000 if waitpid failed. */
static int wait_for(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1000;
	return st;
}

/* Exit status of a child as a raw result: exit(n) -> -n; a signal s
 * shows as 1000 + s so it cannot be mistaken for an errno. */
static long child_result(int st)
{
	if (st == -1000)
		return -1000;
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return -WEXITSTATUS(st);
}

/* Read until end of file or max bytes. */
static int read_all(int fd, char *buf, int max)
{
	int got = 0;

	while (got < max) {
		ssize_t n = read(fd, buf + got, (size_t)(max - got));
		if (n <= 0)
			break;
		got += (int)n;
	}
	return got;
}

/* Run execve(path, argv, envp) in a child; returns its raw result
 * (-errno) as reported through the child's exit status. */
static long exec_in_child(const char *path, char *const *argv, char *const *envp)
{
	pid_t pid = fork();

	if (pid == 0) {
		long r = usys_execve(path, argv, envp);
		_exit(r < 0 && r > -256 ? (int)-r : 200);
	}
	return pid < 0 ? -1000 : child_result(wait_for(pid));
}

/* ---- 1. the initial stack ---- */

static void test_startup(int argc, char **argv, char **envp)
{
	unsigned long at[32] = { 0 }, *a;
	char **p = envp;
	int i, found = 0;

	CHECK("start.argc_positive", argc >= 1);
	CHECK("start.argv0_named", argv[0] && argv[0][0]);
	CHECK("start.argv_ends_null", argv[argc] == NULL);
	CHECK("start.envp_follows_argv", envp == argv + argc + 1);
	CHECK("start.env_has_path", getenv("PATH") != NULL);

	while (*p)
		p++;
	for (a = (unsigned long *)(p + 1), i = 0; a[0] != AT_NULL && i < 64; a += 2, i++)
		if (a[0] < 32)
			at[a[0]] = a[1];
	CHECK("auxv.terminated", a[0] == AT_NULL);
	check_eq("auxv.pagesz", at[AT_PAGESZ], 4096);
	check_eq("auxv.entry_is_start", at[AT_ENTRY], (unsigned long)_start);
	check_eq("auxv.phent", at[AT_PHENT], sizeof(struct elf_phdr));
	CHECK("auxv.phnum", at[AT_PHNUM] >= 1 && at[AT_PHNUM] < 32);
	{
		unsigned char eh[52];          /* the ELF header; e_phnum at 44 */
		int fd = open(self, O_RDONLY);

		if (fd >= 0 && read(fd, eh, sizeof eh) == (ssize_t)sizeof eh)
			check_eq("auxv.phnum_is_e_phnum", at[AT_PHNUM], eh[44] | eh[45] << 8);
		else
			ztest_fail("auxv.phnum_is_e_phnum", "cannot read %s", self);
		if (fd >= 0)
			close(fd);
	}
	CHECK("auxv.phdr", at[AT_PHDR] >= 0x08048000 && at[AT_PHDR] < 0xC0000000);
	if (at[AT_PHDR] >= 0x08048000 && at[AT_PHDR] < 0xC0000000 && at[AT_PHNUM] < 32) {
		const struct elf_phdr *ph = (const struct elf_phdr *)at[AT_PHDR];

		for (i = 0; i < (int)at[AT_PHNUM]; i++)
			if (ph[i].type == PT_LOAD && (ph[i].flags & PF_X) &&
			    at[AT_ENTRY] >= ph[i].vaddr && at[AT_ENTRY] < ph[i].vaddr + ph[i].memsz)
				found = 1;
	}
	CHECK("auxv.phdr_maps_entry", found);
	CHECK("auxv.random_ptr", at[AT_RANDOM] >= 0x08048000 && at[AT_RANDOM] < 0xC0000000);
	if (at[AT_RANDOM] >= 0x08048000 && at[AT_RANDOM] < 0xC0000000) {
		const unsigned char *r = (const unsigned char *)at[AT_RANDOM];
		int nonzero = 0;

		for (i = 0; i < 16; i++)
			nonzero |= r[i];
		CHECK("auxv.random_bytes", nonzero);
	}
	check_eq("auxv.crt0_agrees", getauxval(AT_ENTRY), at[AT_ENTRY]);
}

/* ---- 2. getpid, getppid, fork ---- */

struct fork_report {
	int fork_ret, pid, ppid, x;
};

static void test_fork(void)
{
	pid_t me = getpid(), ppid = getppid(), pid;
	struct fork_report rep = { -1, -1, -1, -1 };
	volatile int x = 1;
	int fds[2], st;

	CHECK("getpid.positive", me > 0);
	check_eq("getpid.stable", getpid(), me);
	CHECK("getppid.not_self", ppid >= 0 && ppid != me);

	if (pipe(fds) < 0) {
		ztest_fail("fork.setup", "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		rep.fork_ret = pid;
		rep.pid = getpid();
		rep.ppid = getppid();
		x = 2;                              /* must not show in the parent */
		rep.x = x;
		write(fds[1], &rep, sizeof rep);
		_exit(0);
	}
	close(fds[1]);
	CHECK("fork.parent_gets_pid", pid > 0);
	check_eq("fork.report_size", read_all(fds[0], (char *)&rep, sizeof rep), sizeof rep);
	close(fds[0]);
	check_eq("fork.child_gets_zero", rep.fork_ret, 0);
	check_eq("fork.child_pid_is_return", rep.pid, pid);
	check_eq("fork.child_ppid_is_parent", rep.ppid, me);
	check_eq("fork.child_memory_own", rep.x, 2);
	st = wait_for(pid);
	check_eq("fork.child_status", st, 0);
	check_eq("fork.parent_memory_kept", x, 1);

	/* An orphan is adopted by init (pid 1). */
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		pid_t mid = getpid(), grandchild = fork();

		if (grandchild == 0) {
			int i, newparent;

			for (i = 0; i < 500 && getppid() == mid; i++)
				usleep(10000);
			newparent = getppid();
			write(fds[1], &newparent, sizeof newparent);
			_exit(0);
		}
		_exit(grandchild > 0 ? 0 : 1);      /* leave the grandchild behind */
	}
	close(fds[1]);
	st = wait_for(pid);
	check_eq("fork.orphan_parent_exit", st, 0);
	rep.ppid = -1;
	read_all(fds[0], (char *)&rep.ppid, sizeof rep.ppid);
	close(fds[0]);
	check_eq("fork.orphan_adopted_by_init", rep.ppid, 1);
	if (me == 1)                            /* we are init: the orphan is ours now */
		while (usys_waitpid(-1, &st, 0) > 0)
			;

	/* A full process table: fork fails with EAGAIN and nothing breaks;
	 * the children wait on a pipe, and all go when it closes. */
	if (pipe(fds) < 0)
		return;
	{
		int made = 0, err = 0, reaped = 0;
		char c;

		while (made < 1000) {
			pid = fork();
			if (pid == 0) {
				close(fds[1]);
				_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
			}
			if (pid < 0) {
				err = errno;
				break;
			}
			made++;
		}
		close(fds[0]);
		close(fds[1]);
		check_eq("fork.table_full_eagain", err, EAGAIN);
		CHECK("fork.table_full_made_some", made > 10);
		while (usys_waitpid(-1, &st, 0) > 0)
			reaped += st == 0;
		check_eq("fork.table_full_all_reaped", reaped, made);
	}
}

/* ---- 3. waitpid, wait4 ---- */

static void test_wait(void)
{
	pid_t pid, r;
	int st = -1, fds[2];
	char c = 'x';

	pid = fork();
	if (pid == 0)
		exit(42);
	check_eq("waitpid.returns_pid", waitpid(pid, &st, 0), pid);
	check_eq("waitpid.status_encoding", st, 42 << 8);
	CHECK("waitpid.wifexited", WIFEXITED(st) && WEXITSTATUS(st) == 42);

	pid = fork();
	if (pid == 0)
		_exit(0x107);                       /* only the low 8 bits survive */
	st = wait_for(pid);
	check_eq("waitpid.code_low_8_bits", WEXITSTATUS(st), 7);

	pid = fork();
	if (pid == 0)
		_exit(3);
	check_eq("waitpid.any_child", waitpid(-1, &st, 0), pid);
	check_eq("waitpid.any_child_status", st, 3 << 8);

	/* WNOHANG: 0 while the child is blocked reading a pipe. */
	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			close(fds[1]);
			_exit(read(fds[0], &c, 1) == 1 && c == 'g' ? 5 : 6);
		}
		close(fds[0]);
		check_eq("waitpid.wnohang_running", usys_waitpid(pid, &st, WNOHANG), 0);
		write(fds[1], "g", 1);
		close(fds[1]);
		check_eq("waitpid.after_release", waitpid(pid, &st, 0), pid);
		check_eq("waitpid.after_release_status", st, 5 << 8);
	}

	pid = fork();
	if (pid == 0)
		_exit(9);
	check_eq("wait4.returns_pid", usys_wait4(pid, &st, 0, NULL), pid);
	check_eq("wait4.status", st, 9 << 8);

	/* wait4's rusage: a bad pointer is -EFAULT, and the child is reaped
	 * all the same (Linux); a good one gets the child's page-fault
	 * count from its ledger. */
	{
		struct rusage32 ru;             /* Linux i386 struct rusage: 72 bytes */
		int i;

		for (i = 0; i < 2; i++) {
			pid = fork();
			if (pid == 0) {
				char *p = sbrk(16 * 4096);
				int k;

				for (k = 0; k < 16; k++)
					p[k * 4096] = 1;        /* 16 demand-zero faults */
				_exit(8);
			}
			if (i == 0) {
				usleep(50000);          /* let it become a zombie */
				check_err("wait4.bad_rusage", usys_wait4(pid, &st, 0, BAD_KERNEL), -EFAULT);
				check_err("wait4.bad_rusage_reaped", usys_waitpid(pid, &st, WNOHANG), -ECHILD);
			}
		}
		memset(&ru, 0xff, sizeof ru);
		check_eq("wait4.rusage_returns_pid", usys_wait4(pid, &st, 0, &ru), pid);
		check_eq("wait4.rusage_status", st, 8 << 8);
		CHECK("wait4.rusage_minflt", ru.minflt >= 16);
		check_eq("wait4.rusage_utime_zeroed", ru.utime_sec | ru.utime_usec, 0);
	}
	check_err("waitpid.bad_options", usys_waitpid(-1, &st, 0x1000), -EINVAL);

	pid = fork();
	if (pid == 0)
		_exit(0);
	check_eq("waitpid.null_status", usys_waitpid(pid, NULL, 0), pid);

	pid = fork();
	if (pid == 0)
		_exit(0);
	check_err("waitpid.bad_status_ptr", usys_waitpid(pid, BAD_KERNEL, 0), -EFAULT);
	r = (pid_t)usys_waitpid(pid, &st, WNOHANG);  /* reap it if still there */
	CHECK("waitpid.after_efault", r == pid || r == -ECHILD);

	check_err("waitpid.no_children", usys_waitpid(-1, &st, 0), -ECHILD);
	check_err("waitpid.no_children_wnohang", usys_waitpid(-1, &st, WNOHANG), -ECHILD);
	check_err("waitpid.self", usys_waitpid(getpid(), &st, 0), -ECHILD);
	check_err("waitpid.nonexistent", usys_waitpid(99999, &st, 0), -ECHILD);
	if (getpid() != 1)
		check_err("waitpid.not_my_child", usys_waitpid(1, &st, 0), -ECHILD);
}

/* ---- 4. execve ---- */

/* The re-exec'd copy of systest: check what execve handed us. */
static int exec_child_main(int argc, char **argv, char **envp)
{
	if (argc != 4 || strcmp(argv[2], "two words") != 0 || strcmp(argv[3], "") != 0)
		return 1;
	if (!envp[0] || strcmp(envp[0], "ZC_TEST=yes") != 0 ||
	    !envp[1] || strcmp(envp[1], "SECOND=2") != 0 || envp[2])
		return 2;
	if (getauxval(AT_PAGESZ) != 4096)
		return 3;
	return 0;
}

static void test_exec(void)
{
	char *echo_argv[] = { "echo", "hello", "world", NULL };
	char *env[] = { "ZC_TEST=yes", "SECOND=2", NULL };
	char *self_argv[] = { self, "--exec-child", "two words", "", NULL };
	char *bad_str_argv[] = { "echo", BAD_LOW, NULL };
	char buf[64] = { 0 };
	int fds[2], n;
	pid_t pid;

	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			dup2(fds[1], 1);
			close(fds[0]);
			close(fds[1]);
			execve("/bin/echo", echo_argv, env);
			_exit(99);
		}
		close(fds[1]);
		n = read_all(fds[0], buf, sizeof buf - 1);
		close(fds[0]);
		buf[n < 0 ? 0 : n] = '\0';
		check_str("exec.echo_output", buf, "hello world\n");
		check_eq("exec.echo_status", wait_for(pid), 0);
	}

	pid = fork();
	if (pid == 0) {
		execve(self, self_argv, env);
		_exit(99);
	}
	check_eq("exec.argv_envp_auxv_arrive", child_result(wait_for(pid)), 0);

	check_err("exec.enoent", exec_in_child("/no/such/program", echo_argv, env), -ENOENT);
	check_err("exec.enoent_dir", exec_in_child("/nodir/echo", echo_argv, env), -ENOENT);
	check_err("exec.path_null", exec_in_child(NULL, echo_argv, env), -EFAULT);
	check_err("exec.path_bad", exec_in_child(BAD_LOW, echo_argv, env), -EFAULT);
	check_err("exec.path_kernel", exec_in_child(BAD_KERNEL, echo_argv, env), -EFAULT);
	check_err("exec.argv_bad", exec_in_child("/bin/echo", BAD_LOW, env), -EFAULT);
	check_err("exec.argv_kernel", exec_in_child("/bin/echo", BAD_KERNEL, env), -EFAULT);
	check_err("exec.argv_string_bad", exec_in_child("/bin/echo", bad_str_argv, env), -EFAULT);
	check_err("exec.envp_bad", exec_in_child("/bin/echo", echo_argv, BAD_KERNEL2), -EFAULT);
	n = (int)exec_in_child("/bin", echo_argv, env);
	CHECK("exec.directory_fails", n < 0 && n > -256);
}

/* ---- 5. brk ---- */

static void test_brk(void)
{
	char *cur = (char *)usys_brk(NULL), *top, *p;
	unsigned long pg;
	size_t grow = 3 * 4096 + 5, i;
	int ok = 1;
	pid_t pid;

	CHECK("brk.query", cur != NULL && (unsigned long)cur < 0xC0000000);
	check_eq("brk.query_again", usys_brk(NULL), (long)cur);
	check_eq("brk.grow", usys_brk(cur + grow), (long)(cur + grow));
	check_eq("brk.query_after_grow", usys_brk(NULL), (long)(cur + grow));
	memset(cur, 0x5a, grow);
	for (i = 0; i < grow; i++)
		ok &= cur[i] == 0x5a;
	CHECK("brk.memory_usable", ok);
	check_eq("brk.shrink", usys_brk(cur), (long)cur);
	check_eq("brk.query_after_shrink", usys_brk(NULL), (long)cur);

	/* Pages given back and taken again come back zeroed. */
	pg = ((unsigned long)cur + 4095) & ~4095UL;
	usys_brk(cur + grow);
	for (ok = 1, p = (char *)pg; p < cur + grow; p++)
		ok &= *p == 0;
	CHECK("brk.regrow_zeroed", ok);
	usys_brk(cur);

	/* A megabyte, touched a page at a time. */
	top = cur + (1 << 20);
	check_eq("brk.grow_1mb", usys_brk(top), (long)top);
	for (ok = 1, p = (char *)pg; p < top; p += 4096) {
		*p = (char)(unsigned long)p;
		ok &= *p == (char)(unsigned long)p;
	}
	CHECK("brk.1mb_usable", ok);
	usys_brk(cur);

	/* Refused requests leave the break where it was. */
	CHECK("brk.refuse_kernel", usys_brk(BAD_KERNEL) != (long)BAD_KERNEL);
	CHECK("brk.refuse_below_data", usys_brk((void *)0x1000) != 0x1000);
	check_eq("brk.unchanged_after_refusal", usys_brk(NULL), (long)cur);

	/* After shrinking, the pages are gone: touching one is SIGSEGV. */
	pid = fork();
	if (pid == 0) {
		usys_brk((char *)pg + 8192);
		*(volatile char *)pg = 1;
		usys_brk((char *)pg);
		*(volatile char *)(pg + 4096) = 1;  /* must fault */
		_exit(0);
	}
	check_eq("brk.shrink_unmaps", child_result(wait_for(pid)), 1000 + SIGSEGV);
}

/* ---- 6. bad pointers ---- */

static void test_bad_pointers(void)
{
	struct iovec bad_iov[1] = { { BAD_KERNEL, 4 } };
	int fds[2];

	check_err("write.null", usys_write(1, NULL, 10), -EFAULT);
	check_err("write.low", usys_write(1, BAD_LOW, 10), -EFAULT);
	check_err("write.kernel", usys_write(1, BAD_KERNEL, 10), -EFAULT);
	check_err("write.kernel2", usys_write(1, BAD_KERNEL2, 10), -EFAULT);
	check_err("write.straddle", usys_write(1, STRADDLE, 64), -EFAULT);
	check_err("write.len_wraps", usys_write(1, "x", 0xFFFFFFF0u), -EFAULT);
	check_eq("write.null_len_zero", usys_write(1, NULL, 0), 0);

	if (pipe(fds) == 0) {
		write(fds[1], "abcdef", 6);
		check_err("read.kernel", usys_read(fds[0], BAD_KERNEL, 3), -EFAULT);
		check_err("read.low", usys_read(fds[0], BAD_LOW, 3), -EFAULT);
		check_err("read.into_text", usys_read(fds[0], (void *)_start, 3), -EFAULT);
		close(fds[0]);
		close(fds[1]);
	}
	check_err("pipe.bad_ptr", usys_pipe(BAD_KERNEL), -EFAULT);
	check_err("pipe.readonly_ptr", usys_pipe((int *)(void *)_start), -EFAULT);
	check_err("uname.bad_ptr", usys_uname(BAD_KERNEL), -EFAULT);
	check_err("gettimeofday.bad_ptr", usys_gettimeofday(BAD_KERNEL, NULL), -EFAULT);
	check_err("clock_gettime.bad_ptr", usys_clock_gettime(CLOCK_MONOTONIC, BAD_LOW), -EFAULT);
	check_err("time.bad_ptr", usys_time(BAD_KERNEL), -EFAULT);
	check_err("nanosleep.bad_ptr", usys_nanosleep(BAD_LOW, NULL), -EFAULT);
	check_err("getcwd.bad_ptr", usys_getcwd(BAD_KERNEL, 100), -EFAULT);
	check_err("chdir.bad_ptr", usys_chdir(BAD_KERNEL), -EFAULT);
	check_err("open.bad_ptr", usys_open(BAD_LOW, O_RDONLY, 0), -EFAULT);
	check_err("open.kernel_ptr", usys_open(BAD_KERNEL, O_RDONLY, 0), -EFAULT);
	check_err("writev.bad_iov", usys_writev(1, BAD_KERNEL, 1), -EFAULT);
	check_err("writev.bad_base", usys_writev(1, (struct iovec *)bad_iov, 1), -EFAULT);
}

/* ---- 7. file descriptors ---- */

static void test_fds(void)
{
	int fds[2], d, d2, i, n;
	char buf[8] = { 0 };
	long r = 0;

	check_err("write.bad_fd", usys_write(99, "x", 1), -EBADF);
	check_err("write.negative_fd", usys_write(-1, "x", 1), -EBADF);
	check_err("write.huge_fd", usys_write(1000000, "x", 1), -EBADF);
	check_err("read.bad_fd", usys_read(99, buf, 1), -EBADF);
	check_err("close.bad_fd", usys_close(99), -EBADF);
	check_err("close.negative_fd", usys_close(-1), -EBADF);
	check_err("dup.bad_fd", usys_dup(99), -EBADF);
	check_err("dup2.bad_fd", usys_dup2(99, 5), -EBADF);
	check_err("dup2.bad_target", usys_dup2(1, -1), -EBADF);
	/* The lowest fd F_DUPFD may return is unsigned: -1 is past the table
	 * (the kernel indexed its table with it: a fuzzer's panic). */
	check_err("fcntl.dupfd_negative", usys_fcntl(1, 0 /* F_DUPFD */, -1), -EINVAL);
	check_err("fcntl.dupfd_past_table", usys_fcntl(1, 0, 0x40000000), -EINVAL);

	d = (int)usys_dup(1);
	CHECK("dup.new_fd", d > 2);
	check_eq("dup.close", usys_close(d), 0);
	check_err("dup.close_twice", usys_close(d), -EBADF);
	check_eq("dup.lowest_free", usys_dup(1), d);
	close(d);
	check_eq("dup2.same_fd", usys_dup2(1, 1), 1);

	if (pipe(fds) < 0)
		return;
	CHECK("pipe.fds", fds[0] > 2 && fds[1] > 2 && fds[0] != fds[1]);
	check_err("pipe.read_write_end", usys_read(fds[1], buf, 1), -EBADF);
	check_err("pipe.write_read_end", usys_write(fds[0], "x", 1), -EBADF);
	check_eq("dup2.to_20", usys_dup2(fds[1], 20), 20);
	d2 = (int)usys_dup(fds[1]);
	write(20, "ab", 2);
	write(d2, "c", 1);
	check_eq("dup2.shares_pipe", read(fds[0], buf, sizeof buf), 3);
	check_str("dup2.shares_pipe_data", buf, "abc");
	close(d2);
	/* dup2 onto an open fd closes it first: 20 becomes a copy of stdout. */
	check_eq("dup2.replace_open", usys_dup2(1, 20), 20);
	close(20);
	close(fds[0]);
	close(fds[1]);

	/* The descriptor table has a limit, and hitting it is an error. */
	for (i = 0, n = 0; i < 10000; i++, n++) {
		r = usys_dup(0);
		if (r < 0)
			break;
	}
	check_err("dup.table_full", r, -EMFILE);
	for (i = 3; i < 3 + n + 16; i++)
		usys_close(i);
	d = (int)usys_dup(1);
	check_eq("dup.table_reusable", d, 3);
	close(d);
}

/* ---- 8. pipes and writev ---- */

static void test_pipe(void)
{
	static char big[20000];
	struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
	char buf[16] = { 0 };
	int fds[2], st, i, n, ok;
	pid_t pid;

	/* child -> parent, then end of file once the writer is gone */
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		write(fds[1], "hello", 5);
		_exit(0);
	}
	close(fds[1]);
	check_eq("pipe.child_to_parent", read_all(fds[0], buf, 5), 5);
	check_str("pipe.data", buf, "hello");
	check_eq("pipe.eof", read(fds[0], buf, 1), 0);
	close(fds[0]);
	wait_for(pid);

	/* parent -> child */
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		n = read_all(fds[0], buf, 6);
		_exit(n == 6 && memcmp(buf, "to kid", 6) == 0 ? 0 : 1);
	}
	close(fds[0]);
	write(fds[1], "to kid", 6);
	close(fds[1]);
	check_eq("pipe.parent_to_child", wait_for(pid), 0);

	/* More than a pipe holds: the writer must block and resume. */
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (i = 0; i < (int)sizeof big; i++)
			big[i] = (char)(i * 7);
		for (i = 0; i < 5; i++)
			if (write(fds[1], big, sizeof big) != (ssize_t)sizeof big)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	for (ok = 1, n = 0;;) {
		ssize_t k = read(fds[0], buf, sizeof buf);
		if (k <= 0)
			break;
		for (i = 0; i < k; i++, n++)
			ok &= buf[i] == (char)((n % (int)sizeof big) * 7);
	}
	check_eq("pipe.100k_bytes", n, 5 * (int)sizeof big);
	CHECK("pipe.100k_data", ok);
	close(fds[0]);
	check_eq("pipe.100k_writer_status", wait_for(pid), 0);

	/* read returns what is there, without waiting for the full count */
	if (pipe(fds) < 0)
		return;
	write(fds[1], "xyz", 3);
	check_eq("pipe.short_read", read(fds[0], buf, sizeof buf), 3);
	close(fds[1]);
	check_eq("pipe.eof_no_writer", read(fds[0], buf, sizeof buf), 0);
	close(fds[0]);

	/* no reader: EPIPE (or death by SIGPIPE, as on Linux).  The read end
	 * is closed before the fork, so no copy of it is left open anywhere
	 * when the child writes. */
	if (pipe(fds) < 0)
		return;
	close(fds[0]);
	pid = fork();
	if (pid == 0)
		_exit(usys_write(fds[1], "x", 1) == -EPIPE ? 0 : 1);
	close(fds[1]);
	st = wait_for(pid);
	CHECK("pipe.no_reader", st == 0 || (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE));

	/* writev gathers */
	if (pipe(fds) < 0)
		return;
	memset(buf, 0, sizeof buf);
	check_eq("writev.count", usys_writev(fds[1], (struct iovec *)iov, 2), 5);
	check_eq("writev.zero_iovecs", usys_writev(fds[1], (struct iovec *)iov, 0), 0);
	read(fds[0], buf, sizeof buf);
	check_str("writev.data", buf, "abcde");
	check_err("writev.negative_count", usys_writev(fds[1], (struct iovec *)iov, -1), -EINVAL);
	close(fds[0]);
	close(fds[1]);
}

/* ---- 9. time ---- */

static long tick_ns(void)
{
	struct zc_info info;

	if (usys_zc_info(&info) == 0 && info.hz > 0)
		return 1000000000L / (long)info.hz;
	return 10000000L;                          /* 100 Hz */
}

static void test_time(void)
{
	struct timespec a, b, req;
	struct timeval tv;
	time_t t1, t2 = 0;
	long long ns;

	t1 = (time_t)usys_time(NULL);
	CHECK("time.after_2020", t1 > 1577836800);
	t1 = (time_t)usys_time(&t2);
	check_eq("time.stores", t2, t1);
	check_eq("gettimeofday.ok", usys_gettimeofday(&tv, NULL), 0);
	CHECK("gettimeofday.usec_range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK("gettimeofday.matches_time", tv.tv_sec >= t1 - 1 && tv.tv_sec <= t1 + 2);
	check_eq("clock_gettime.realtime", usys_clock_gettime(CLOCK_REALTIME, &a), 0);
	CHECK("clock_gettime.realtime_matches", a.tv_sec >= t1 - 1 && a.tv_sec <= t1 + 2);
	check_eq("clock_gettime.monotonic", usys_clock_gettime(CLOCK_MONOTONIC, &a), 0);
	usys_clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK("clock_gettime.nsec_range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
	CHECK("clock_gettime.never_back", timespec_diff_ns(&a, &b) >= 0);
	check_err("clock_gettime.bad_clock", usys_clock_gettime(12345, &a), -EINVAL);

	/* nanosleep sleeps at least as long as asked (the clock may lag one tick) */
	req.tv_sec = 0;
	req.tv_nsec = 50000000;
	usys_clock_gettime(CLOCK_MONOTONIC, &a);
	check_eq("nanosleep.ok", usys_nanosleep(&req, NULL), 0);
	usys_clock_gettime(CLOCK_MONOTONIC, &b);
	ns = timespec_diff_ns(&a, &b);
	if (ns >= 50000000LL - tick_ns())
		ztest_ok("nanosleep.long_enough");
	else
		ztest_fail("nanosleep.long_enough", "slept %lld ns, asked 50000000", ns);
	req.tv_nsec = 0;
	check_eq("nanosleep.zero", usys_nanosleep(&req, NULL), 0);
	req.tv_nsec = 1000000000;
	check_err("nanosleep.nsec_too_big", usys_nanosleep(&req, NULL), -EINVAL);
	req.tv_nsec = -1;
	check_err("nanosleep.nsec_negative", usys_nanosleep(&req, NULL), -EINVAL);
	req.tv_sec = -1;
	req.tv_nsec = 0;
	check_err("nanosleep.sec_negative", usys_nanosleep(&req, NULL), -EINVAL);
}

/* ---- 10. uname, yield, reboot ---- */

static void test_misc(void)
{
	struct utsname u;

	memset(&u, 0, sizeof u);
	check_eq("uname.ok", usys_uname(&u), 0);
	check_str("uname.sysname", u.sysname, "zc32");
	CHECK("uname.release", u.release[0] != '\0');
	CHECK("uname.machine", u.machine[0] != '\0');
	check_eq("sched_yield.ok", usys_sched_yield(), 0);
	check_err("reboot.bad_magic", usys_reboot(0x12345678, 0, LINUX_REBOOT_CMD_POWER_OFF, NULL), -EINVAL);
}

/* ---- 11. kill ---- */

static void pause_long(void)
{
	struct timespec t = { 30, 0 };

	nanosleep(&t, NULL);
}

/* A child that sleeps until a signal ends it. */
static pid_t fork_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		pause_long();
		_exit(0);
	}
	return pid;
}

static void test_kill(void)
{
	struct timespec long_sleep = { 30, 0 };
	int fds[2], st;
	pid_t pid;
	char c;

	/* a child blocked in read */
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	check_eq("kill.sig0_exists", usys_kill(pid, 0), 0);
	check_err("kill.bad_signal", usys_kill(pid, 9999), -EINVAL);
	check_err("kill.negative_signal", usys_kill(pid, -1), -EINVAL);
	check_eq("kill.sigkill", usys_kill(pid, SIGKILL), 0);
	st = wait_for(pid);
	CHECK("kill.wifsignaled", WIFSIGNALED(st));
	check_eq("kill.wtermsig", WTERMSIG(st), SIGKILL);
	check_err("kill.reaped_pid", usys_kill(pid, SIGKILL), -ESRCH);
	close(fds[1]);

	check_err("kill.no_such_pid", usys_kill(99999, SIGKILL), -ESRCH);
	check_eq("kill.self_sig0", usys_kill(getpid(), 0), 0);

	/* a signal other than SIGKILL: its number in the wait status */
	pid = fork();
	if (pid == 0) {
		nanosleep(&long_sleep, NULL);
		_exit(0);
	}
	usleep(20000);
	check_eq("kill.sigterm", usys_kill(pid, SIGTERM), 0);
	check_eq("kill.sigterm_status", child_result(wait_for(pid)), 1000 + SIGTERM);

	/* No process groups: kill(-1) reaches every process but init and
	 * the caller; kill(0) every process but init, the caller too.  Only
	 * as init: under a shell these would kill the shell. */
	if (getpid() == 1) {
		pid_t sleeper = fork_sleeper(), sender = fork();

		if (sender == 0) {
			usleep(20000);
			_exit(usys_kill(-1, SIGTERM) == 0 ? 7 : 8);
		}
		check_eq("kill.minus1_caller_spared", child_result(wait_for(sender)), -7);
		check_eq("kill.minus1_reaches_others", child_result(wait_for(sleeper)), 1000 + SIGTERM);

		sleeper = fork_sleeper();
		sender = fork();
		if (sender == 0) {
			usleep(20000);
			usys_kill(0, SIGTERM);
			pause_long();                   /* the signal ends this sleep */
			_exit(9);
		}
		check_eq("kill.zero_reaches_caller", child_result(wait_for(sender)), 1000 + SIGTERM);
		check_eq("kill.zero_reaches_others", child_result(wait_for(sleeper)), 1000 + SIGTERM);
	}
	check_err("kill.no_such_group", usys_kill(-5, SIGTERM), -ESRCH);
	if (getpid() == 1)                      /* init alone: nobody to signal */
		check_err("kill.minus1_nobody", usys_kill(-1, 0), -ESRCH);

	/* a child asleep in nanosleep is woken to die */
	pid = fork();
	if (pid == 0) {
		nanosleep(&long_sleep, NULL);
		_exit(0);
	}
	usleep(20000);
	usys_kill(pid, SIGKILL);
	check_eq("kill.sleeping_child", child_result(wait_for(pid)), 1000 + SIGKILL);
}

/* A child that never makes a system call: only the timer interrupt gets
 * the CPU back, and the kill must take effect on the way back to user
 * mode.  Last, because a kernel without preemption hangs here. */
static void test_kill_spinning(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			__asm__ __volatile__("");
	usleep(20000);
	check_eq("kill.spinning_child", usys_kill(pid, SIGKILL), 0);
	check_eq("kill.spinning_child_dies", child_result(wait_for(pid)), 1000 + SIGKILL);
}

/* ---- 12. unknown system calls ---- */

static void test_unknown(void)
{
	check_err("nosys.500", syscall(500), -ENOSYS);
	check_err("nosys.999", syscall(999), -ENOSYS);
	check_err("nosys.1099", syscall(1099), -ENOSYS);
	check_err("nosys.9999", syscall(9999), -ENOSYS);
	check_err("nosys.minus1", syscall(-1), -ENOSYS);
	check_err("nosys.0x80000000", syscall((long)0x80000000), -ENOSYS);
	check_err("nosys.0x7fffffff", syscall(0x7fffffff), -ENOSYS);
}

/* ---- 13. current directory ---- */

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void test_cwd(void)
{
	char start[256], buf[256];
	long r;

	r = usys_getcwd(start, sizeof start);
	CHECK("getcwd.ok", r > 0 && start[0] == '/');
	check_eq("getcwd.returns_length", r, (long)strlen(start) + 1);
	check_err("getcwd.too_small", usys_getcwd(buf, 1), -ERANGE);
	check_eq("chdir.root", usys_chdir("/"), 0);
	usys_getcwd(buf, sizeof buf);
	check_str("chdir.root_cwd", buf, "/");
	check_eq("chdir.bin", usys_chdir("/bin"), 0);
	usys_getcwd(buf, sizeof buf);
	CHECK("chdir.bin_cwd", ends_with(buf, "/bin"));
	check_eq("chdir.relative_open", usys_close((int)usys_open("echo", O_RDONLY, 0)), 0);
	check_eq("chdir.dotdot", usys_chdir(".."), 0);
	usys_getcwd(buf, sizeof buf);
	CHECK("chdir.dotdot_cwd", strcmp(buf, "/") == 0 || strcmp(buf, "/usr") == 0);
	check_err("chdir.enoent", usys_chdir("/no/such/dir"), -ENOENT);
	check_err("chdir.enotdir", usys_chdir("/bin/echo"), -ENOTDIR);
	check_err("chdir.empty", usys_chdir(""), -ENOENT);
	check_eq("chdir.restore", usys_chdir(start), 0);
}

/* ---- 14. open ---- */

static void test_open(void)
{
	static char longname[5000];
	char buf[512];
	long fd, total = 0, n;

	check_err("open.enoent", usys_open("/no/such/file", O_RDONLY, 0), -ENOENT);
	check_err("open.empty", usys_open("", O_RDONLY, 0), -ENOENT);
	check_err("open.enotdir", usys_open("/bin/echo/x", O_RDONLY, 0), -ENOTDIR);
	memset(longname, 'a', sizeof longname - 1);
	longname[0] = '/';
	check_err("open.name_too_long", usys_open(longname, O_RDONLY, 0), -ENAMETOOLONG);

	fd = usys_open("/bin/echo", O_RDONLY, 0);
	CHECK("open.echo", fd > 2);
	if (fd < 0)
		return;
	check_eq("open.read_header", usys_read((int)fd, buf, 4), 4);
	CHECK("open.elf_magic", memcmp(buf, "\177ELF", 4) == 0);
	total = 4;
	while ((n = usys_read((int)fd, buf, sizeof buf)) > 0)
		total += n;
	check_eq("open.read_to_eof", n, 0);
	CHECK("open.file_size", total > 1000);
	check_eq("open.close", usys_close((int)fd), 0);
}

/* ---- 15. the ledger: zc_stats, zc_stats_reset, zc_info ---- */

static void test_zc(void)
{
	struct zc_stats a, b;
	struct zc_info info, info2;
	char buf[1000];
	int i, fds[2];
	unsigned long long d;
	pid_t pid;

	check_eq("zc_stats.self", usys_zc_stats(ZC_STATS_SELF, &a), 0);
	for (i = 0; i < 100; i++)
		usys_getpid();
	usys_zc_stats(ZC_STATS_SELF, &b);
	d = b.syscalls - a.syscalls;
	if (d >= 100 && d <= 102)
		ztest_ok("zc_stats.counts_syscalls");
	else
		ztest_fail("zc_stats.counts_syscalls", "%llu syscalls counted for 100 getpid", d);
	d = b.entries[ZC_ENTRY_SYSCALL] - a.entries[ZC_ENTRY_SYSCALL];
	CHECK("zc_stats.entries_syscall", d >= 100 && d <= 102);
	check_eq("zc_stats.syscalls_same_as_entries", b.syscalls, b.entries[ZC_ENTRY_SYSCALL]);
	CHECK("zc_stats.cycles", b.cycles_total > 0);

	check_eq("zc_stats.system", usys_zc_stats(ZC_STATS_SYSTEM, &a), 0);
	for (i = 0; i < 100; i++)
		usys_getpid();
	usys_zc_stats(ZC_STATS_SYSTEM, &b);
	CHECK("zc_stats.system_counts", b.syscalls - a.syscalls >= 100);
	check_eq("zc_stats.by_pid", usys_zc_stats(getpid(), &a), 0);
	check_err("zc_stats.bad_ptr", usys_zc_stats(ZC_STATS_SELF, BAD_KERNEL), -EFAULT);
	check_err("zc_stats.bad_ptr_low", usys_zc_stats(ZC_STATS_SYSTEM, BAD_LOW), -EFAULT);
	check_err("zc_stats.no_such_pid", usys_zc_stats(99999, &a), -ESRCH);

	/* A pipe round trip is one copy in and one copy out, each counted. */
	if (pipe(fds) == 0) {
		memset(buf, 'z', sizeof buf);
		usys_zc_stats(ZC_STATS_SELF, &a);
		write(fds[1], buf, sizeof buf);
		read_all(fds[0], buf, sizeof buf);
		usys_zc_stats(ZC_STATS_SELF, &b);
		CHECK("zc_stats.copy_from_user",
		      b.bytes[ZC_CPU_USER_TO_KERNEL] - a.bytes[ZC_CPU_USER_TO_KERNEL] >= sizeof buf &&
		      b.ops[ZC_CPU_USER_TO_KERNEL] > a.ops[ZC_CPU_USER_TO_KERNEL]);
		CHECK("zc_stats.copy_to_user",
		      b.bytes[ZC_CPU_KERNEL_TO_USER] - a.bytes[ZC_CPU_KERNEL_TO_USER] >= sizeof buf &&
		      b.ops[ZC_CPU_KERNEL_TO_USER] > a.ops[ZC_CPU_KERNEL_TO_USER]);
		close(fds[0]);
		close(fds[1]);
	}

	check_eq("zc_info.ok", usys_zc_info(&info), 0);
	CHECK("zc_info.version", info.version[0] != '\0' && memchr(info.version, 0, sizeof info.version));
	CHECK("zc_info.hz", info.hz > 0);
	CHECK("zc_info.pages", info.total_pages > 0 && info.free_pages <= info.total_pages);
	CHECK("zc_info.nprocs", info.nprocs >= 1);
	check_err("zc_info.bad_ptr", usys_zc_info(BAD_KERNEL), -EFAULT);
	if (pipe(fds) == 0) {
		pid = fork();
		if (pid == 0) {
			char c;
			close(fds[1]);
			read(fds[0], &c, 1);
			_exit(0);
		}
		close(fds[0]);
		usys_zc_info(&info2);
		check_eq("zc_info.nprocs_after_fork", info2.nprocs, info.nprocs + 1);
		close(fds[1]);
		wait_for(pid);
		usys_zc_info(&info2);
		check_eq("zc_info.nprocs_after_reap", info2.nprocs, info.nprocs);
	}

	check_eq("zc_stats_reset.ok", usys_zc_stats_reset(), 0);
	usys_zc_stats(ZC_STATS_SELF, &a);
	CHECK("zc_stats_reset.zeroed", a.syscalls <= 2);
}

/* ---- 16. exit ---- */

static void test_exit(void)
{
	pid_t pid = fork();

	if (pid == 0)
		usys_exit_group(5);
	check_eq("exit_group.status", wait_for(pid), 5 << 8);
	pid = fork();
	if (pid == 0)
		usys_exit(6);
	check_eq("exit.status", wait_for(pid), 6 << 8);
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child_main(argc, argv, envp);

	/* The path to exec ourselves again: as run, or found in /test. */
	if (strchr(argv[0], '/'))
		snprintf(self, sizeof self, "%s", argv[0]);
	else
		snprintf(self, sizeof self, "/test/%s", argv[0]);

	printf("systest: pid %d\n", getpid());
	test_startup(argc, argv, envp);
	test_fork();
	test_wait();
	test_exec();
	test_brk();
	test_bad_pointers();
	test_fds();
	test_pipe();
	test_time();
	test_misc();
	test_kill();
	test_unknown();
	test_cwd();
	test_open();
	test_zc();
	test_exit();
	test_kill_spinning();
	return ztest_summary();
}
