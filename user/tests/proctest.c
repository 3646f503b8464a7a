/*
 * proctest - /proc (kernel/fs/procfs.c): each file's format and numbers,
 * readdir, the links (self, PID/exe) through readlink, stat and exec,
 * and bad input.  Run as `proctest alpha beta` (the cmdline check
 * expects those two arguments).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <dirent.h>
#include <stat.h>
#include <ztest.h>

#define SELF_PATH "/test/proctest"
static char text[4096];

/* The whole file at path into text (NUL-terminated); its length or -errno. */
static long slurp(const char *path)
{
	long fd = usys_open(path, O_RDONLY, 0), n, total = 0;
	if (fd < 0)
		return fd;
	while ((n = usys_read(fd, text + total, sizeof text - 1 - total)) > 0)
		total += n;
	usys_close(fd);
	text[total] = 0;
	return n < 0 ? n : total;
}

/* Field n (1-based) of /proc/PID/stat, after the "(comm)" that may hold spaces. */
static long stat_field(int n)
{
	char *p = strrchr(text, ')');
	if (n <= 2 || !p)
		return -1;
	p += 2;                                  /* field 3, the state */
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	return strtoul(p, NULL, 10);
}

static int count_fields(void)
{
	int n = 2;
	for (char *p = strrchr(text, ')') + 1; *p; p++)
		n += *p == ' ';
	return n;
}

static void check_self_stat(void)
{
	char want[32];
	CHECK("stat.read", slurp("/proc/self/stat") > 0);
	check_eq("stat.pid", atoi(text), getpid());
	snprintf(want, sizeof want, "%d (proctest) R ", getpid());
	check_eq("stat.comm_state", strncmp(text, want, strlen(want)), 0);
	check_eq("stat.ppid", stat_field(4), getppid());
	check_eq("stat.fields", count_fields(), 52);
	check_eq("stat.threads", stat_field(20), 1);
	CHECK("stat.vsize", stat_field(23) > 4096);
	CHECK("stat.rss", stat_field(24) > 0);
	check_eq("stat.newline", text[strlen(text) - 1], '\n');
}

/* A busy second makes utime grow: the timer samples user mode. */
static void check_utime(void)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 600);
	slurp("/proc/self/stat");
	long utime = stat_field(14), stime = stat_field(15);
	if (utime + stime >= 20)
		ztest_ok("stat.cpu_time");
	else
		ztest_fail("stat.cpu_time", "utime %ld + stime %ld ticks after 0.6 s busy", utime, stime);
}

static void check_status_cmdline(int argc, char **argv)
{
	char want[64];
	slurp("/proc/self/status");
	CHECK("status.name", strstr(text, "Name:\tproctest\n") != NULL);
	snprintf(want, sizeof want, "\nPid:\t%d\nPPid:\t%d\n", getpid(), getppid());
	CHECK("status.pid", strstr(text, want) != NULL);
	CHECK("status.vmrss", strstr(text, "VmRSS:") != NULL);
	CHECK("status.state", strstr(text, "State:\tR (running)") != NULL);

	long n = slurp("/proc/self/cmdline"), want_len = 0;
	for (int i = 0; i < argc; i++)
		want_len += strlen(argv[i]) + 1;
	check_eq("cmdline.len", n, want_len);
	int same = 1;
	for (int i = 0, off = 0; i < argc && same; off += strlen(argv[i]) + 1, i++)
		same = strcmp(text + off, argv[i]) == 0;
	CHECK("cmdline.argv", same);
}

static void check_links(void)
{
	char buf[64], want[16];
	struct stat a, b;
	long n = usys_readlink("/proc/self/exe", buf, sizeof buf);
	check_eq("readlink.exe_len", n, strlen(SELF_PATH));
	check_eq("readlink.exe", n > 0 ? strncmp(buf, SELF_PATH, n) : -1, 0);
	snprintf(want, sizeof want, "%d", getpid());
	n = usys_readlink("/proc/self", buf, sizeof buf);
	check_eq("readlink.self", n == (long)strlen(want) ? strncmp(buf, want, n) : -1, 0);
	check_eq("readlink.short", usys_readlink("/proc/self/exe", buf, 3), 3);
	check_err("readlink.not_link", usys_readlink("/proc/meminfo", buf, sizeof buf), -EINVAL);
	check_err("readlink.regular", usys_readlink(SELF_PATH, buf, sizeof buf), -EINVAL);
	check_err("readlink.missing", usys_readlink("/proc/nothere", buf, sizeof buf), -ENOENT);
	check_err("readlink.size0", usys_readlink("/proc/self/exe", buf, 0), -EINVAL);
	check_err("readlink.efault", usys_readlink("/proc/self/exe", (char *)0xC0000000, 16), -EFAULT);
	check_err("readlink.path_efault", usys_readlink((char *)1, buf, 16), -EFAULT);
	CHECK("exe.stat_follows", usys_stat("/proc/self/exe", &a) == 0 && usys_stat(SELF_PATH, &b) == 0 &&
	      a.st_size == b.st_size && a.st_ino == b.st_ino);
}

/* exec of /proc/self/exe runs this program again, and its exe is the real path. */
static void check_exec_self(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "proctest", "--exe-child", NULL };
		execve("/proc/self/exe", argv, NULL);
		_exit(99);
	}
	int st;
	waitpid(pid, &st, 0);
	check_eq("exec.proc_self_exe", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 42);
}

static int exe_child(void)
{
	char buf[64];
	long n = usys_readlink("/proc/self/exe", buf, sizeof buf);
	return n == (long)strlen(SELF_PATH) && strncmp(buf, SELF_PATH, n) == 0 ? 42 : 1;
}

static void check_readdir(void)
{
	static char buf[4096];
	char mine[16];
	int fd = usys_open("/proc", O_RDONLY | O_DIRECTORY, 0), found_pid = 0, found_meminfo = 0, found_init = 0;
	long n;
	snprintf(mine, sizeof mine, "%d", getpid());
	CHECK("readdir.open", fd >= 0);
	while ((n = getdents64(fd, (struct linux_dirent64 *)buf, 200)) > 0) {     /* small: several calls */
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			found_pid += strcmp(d->d_name, mine) == 0 && d->d_type == DT_DIR;
			found_init += strcmp(d->d_name, "1") == 0;
			found_meminfo += strcmp(d->d_name, "meminfo") == 0;
			off += d->d_reclen;
		}
	}
	usys_close(fd);
	check_eq("readdir.self_pid_once", found_pid, 1);
	check_eq("readdir.init", found_init, 1);
	check_eq("readdir.meminfo", found_meminfo, 1);
	slurp("/proc/self/stat");
	struct stat st;
	CHECK("chdir.relative", chdir("/proc") == 0 && usys_stat("self/status", &st) == 0 &&
	      (st.st_mode & S_IFMT) == S_IFREG);
	chdir("/");
}

static void check_system_files(void)
{
	slurp("/proc/meminfo");
	unsigned long total = 0, free = ~0ul;
	char *t = strstr(text, "MemTotal:"), *f = strstr(text, "MemFree:");
	if (t && f) {
		total = strtoul(t + 9, NULL, 10);
		free = strtoul(f + 8, NULL, 10);
	}
	CHECK("meminfo.total", total > 16 * 1024 && free <= total);
	CHECK("meminfo.swap", strstr(text, "SwapTotal:") != NULL);
	slurp("/proc/stat");
	CHECK("stat.cpu_line", strncmp(text, "cpu  ", 5) == 0);
	char *b = strstr(text, "\nbtime ");
	CHECK("stat.btime", b && strtoul(b + 7, NULL, 10) > 1000000000ul);
	slurp("/proc/uptime");
	CHECK("uptime.format", strchr(text, '.') && strchr(text, ' ') && strtoul(text, NULL, 10) < 100000);
	slurp("/proc/loadavg");
	CHECK("loadavg.format", strncmp(text, "0.00 0.00 0.00 ", 15) == 0 && strchr(text, '/'));
}

/* Another process's files: a sleeping child, its parent is us. */
static void check_child(void)
{
	char path[32];
	pid_t pid = fork();
	if (pid == 0) {
		sleep(5);
		_exit(0);
	}
	usleep(200000);
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	CHECK("child.stat", slurp(path) > 0 && atoi(text) == pid);
	check_eq("child.ppid", stat_field(4), getpid());
	long start = stat_field(22);             /* forked after check_utime's busy 0.6 s */
	if (start >= 50)
		ztest_ok("child.starttime");
	else
		ztest_fail("child.starttime", "%ld ticks after boot", start);
	CHECK("child.sleeping", strstr(text, ") S ") != NULL);
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	check_err("child.gone", usys_open(path, O_RDONLY, 0), -ENOENT);
}

static void check_bad_input(void)
{
	check_err("bad.no_pid", usys_open("/proc/99999/stat", O_RDONLY, 0), -ENOENT);
	check_err("bad.name", usys_open("/proc/abc", O_RDONLY, 0), -ENOENT);
	check_err("bad.pid_file", usys_open("/proc/self/nothing", O_RDONLY, 0), -ENOENT);
	check_err("bad.write", usys_open("/proc/meminfo", O_WRONLY, 0), -EACCES);
	check_err("bad.rename", rename("/proc/meminfo", "/tmp/m"), -1);
	check_eq("bad.rename_errno", errno, EXDEV);
	long fd = usys_open("/proc/self/stat", O_RDONLY, 0);
	check_err("bad.read_efault", usys_read(fd, (void *)0xC0000000, 100), -EFAULT);
	char c;
	check_eq("bad.read_after", usys_read(fd, &c, 1), 1);
	usys_close(fd);
	fd = usys_open("/proc/self/../../proc/1/stat", O_RDONLY, 0);
	CHECK("dotdot.resolved", fd >= 0 && usys_read(fd, text, 3) == 3 && strncmp(text, "1 (", 3) == 0);
	usys_close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--exe-child") == 0)
		return exe_child();
	check_self_stat();
	check_status_cmdline(argc, argv);
	check_links();
	check_exec_self();
	check_readdir();
	check_system_files();
	check_utime();
	check_child();
	check_bad_input();
	return ztest_summary();
}
