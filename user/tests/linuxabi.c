/*
 * linuxabi - the Linux calls glibc and busybox make beyond the basic set
 * (docs/linux-abi.md), each with good and bad arguments and Linux's
 * errors: the *at() family (openat, fstatat64, statx, mkdirat,
 * unlinkat, renameat, faccessat, fchdir), file attributes (chmod, chown,
 * utimensat), symbolic links (followed, read, made), clone and vfork, pipe2 and dup3, the clocks and
 * clock_nanosleep, getrandom, resource limits, prctl, sysinfo,
 * getrusage, times, and the calls left out on purpose.
 *
 * Run as init with the root disk: it works in /tmp/linuxabi.  Prints
 * "realtime: SECONDS" for the host to compare with its own clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <signal.h>
#include <time.h>
#include <stat.h>
#include <syscall.h>
#include <uapi/sched.h>      /* CLONE_*, PR_*, struct user_desc: shared with the kernel */
#include <uapi/resource.h>   /* RLIMIT_*, RUSAGE_*, struct rlimit32/64 */
#include <uapi/random.h>     /* GRND_* */
#include <ztest.h>

#define BAD_PTR     ((void *)0xC0000000)   /* the kernel half */
#define DIR         "/tmp/linuxabi"
#define NSEC        1000000000LL

#define SYS_set_robust_list 311
#define SYS_rseq            386

static int wait_exit_code(int pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1000;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static void make_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

/* ---- openat and the dirfd rule ---- */

static void test_openat(void)
{
	int dfd = usys_openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0);
	CHECK("openat.dir", dfd >= 0);
	int fd = usys_openat(dfd, "a.txt", O_RDONLY, 0);
	char buf[16] = { 0 };
	CHECK("openat.relative_to_dirfd", fd >= 0 && usys_read(fd, buf, sizeof buf) == 5 &&
	      memcmp(buf, "hello", 5) == 0);
	check_err("openat.dirfd_is_a_file", usys_openat(fd, "a.txt", O_RDONLY, 0), -ENOTDIR);
	close(fd);
	fd = usys_openat(999, DIR "/a.txt", O_RDONLY, 0);
	CHECK("openat.absolute_ignores_dirfd", fd >= 0);
	close(fd);
	check_err("openat.bad_dirfd", usys_openat(999, "a.txt", O_RDONLY, 0), -EBADF);
	check_err("openat.closed_dirfd", usys_openat(30, "a.txt", O_RDONLY, 0), -EBADF);
	check_err("openat.bad_path", usys_openat(AT_FDCWD, BAD_PTR, O_RDONLY, 0), -EFAULT);
	check_err("openat.empty_path", usys_openat(dfd, "", O_RDONLY, 0), -ENOENT);
	check_err("openat.missing", usys_openat(dfd, "nope", O_RDONLY, 0), -ENOENT);
	fd = usys_openat(dfd, "new.txt", O_CREAT | O_WRONLY, 0600);
	CHECK("openat.create_relative", fd >= 0 && usys_access(DIR "/new.txt", 0) == 0);
	close(fd);
	chdir("/");
	fd = usys_openat(AT_FDCWD, "tmp/linuxabi/a.txt", O_RDONLY, 0);
	CHECK("openat.at_fdcwd", fd >= 0);
	close(fd);
	fd = usys_openat(dfd, "../linuxabi/./a.txt", O_RDONLY, 0);
	CHECK("openat.dotdot_from_dirfd", fd >= 0);
	close(fd);
	close(dfd);
}

/* ---- fstatat64 and statx ---- */

static void test_stat(void)
{
	struct stat64 a, b;
	struct statx x;
	int dfd = usys_openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0);
	int fd = usys_open(DIR "/a.txt", O_RDONLY, 0);
	usys_stat64(DIR "/a.txt", &a);
	CHECK("fstatat64.relative", usys_fstatat64(dfd, "a.txt", &b, 0) == 0 &&
	      b.st_ino == a.st_ino && b.st_size == 5);
	CHECK("fstatat64.nofollow", usys_fstatat64(dfd, "a.txt", &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	      b.st_ino == a.st_ino);
	CHECK("fstatat64.empty_path_fd", usys_fstatat64(fd, "", &b, AT_EMPTY_PATH) == 0 &&
	      b.st_ino == a.st_ino);
	int p[2];
	usys_pipe(p);
	CHECK("fstatat64.empty_path_pipe", usys_fstatat64(p[0], "", &b, AT_EMPTY_PATH) == 0 &&
	      S_ISFIFO(b.st_mode));
	close(p[0]);
	close(p[1]);
	check_err("fstatat64.empty_path_no_flag", usys_fstatat64(fd, "", &b, 0), -ENOENT);
	check_err("fstatat64.empty_path_bad_fd", usys_fstatat64(99, "", &b, AT_EMPTY_PATH), -EBADF);
	check_err("fstatat64.bad_flags", usys_fstatat64(dfd, "a.txt", &b, 0x8), -EINVAL);
	check_err("fstatat64.statx_flags", usys_fstatat64(dfd, "a.txt", &b, 0x2000), -EINVAL);
	check_err("fstatat64.bad_buf", usys_fstatat64(dfd, "a.txt", BAD_PTR, 0), -EFAULT);
	check_err("fstatat64.bad_dirfd", usys_fstatat64(77, "a.txt", &b, 0), -EBADF);
	check_err("fstatat64.notdir", usys_fstatat64(fd, "a.txt", &b, 0), -ENOTDIR);

	memset(&x, 0xff, sizeof x);
	CHECK("statx.fields", usys_statx(dfd, "a.txt", 0, 0x7ff, &x) == 0 &&
	      x.stx_ino == a.st_ino && x.stx_size == 5 && S_ISREG(x.stx_mode) &&
	      x.stx_nlink == 1 && (x.stx_mask & 0x7ff) == 0x7ff && x.stx_mtime.tv_sec == a.st_mtime);
	CHECK("statx.empty_path", usys_statx(fd, "", AT_EMPTY_PATH, 0x7ff, &x) == 0 && x.stx_size == 5);
	check_err("statx.reserved_mask", usys_statx(dfd, "a.txt", 0, 0x80000000u, &x), -EINVAL);
	check_err("statx.both_sync_bits", usys_statx(dfd, "a.txt", 0x6000, 0x7ff, &x), -EINVAL);
	check_err("statx.bad_buf", usys_statx(dfd, "a.txt", 0, 0x7ff, BAD_PTR), -EFAULT);
	check_err("statx.bad_path", usys_statx(dfd, BAD_PTR, 0, 0x7ff, &x), -EFAULT);
	close(fd);
	close(dfd);
}

/* ---- mkdirat, unlinkat, renameat, faccessat, fchdir ---- */

static void test_dir_calls(void)
{
	int dfd = usys_openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0);
	struct stat64 st;
	check_err("mkdirat.make", usys_mkdirat(dfd, "sub", 0755), 0);
	CHECK("mkdirat.is_dir", usys_stat64(DIR "/sub", &st) == 0 && S_ISDIR(st.st_mode));
	check_err("mkdirat.exists", usys_mkdirat(dfd, "sub", 0755), -EEXIST);
	check_err("mkdirat.bad_dirfd", usys_mkdirat(55, "x", 0755), -EBADF);
	make_file(DIR "/sub/f", "x");
	check_err("renameat.move", usys_renameat(dfd, "sub/f", AT_FDCWD, DIR "/g"), 0);
	CHECK("renameat.moved", usys_access(DIR "/g", 0) == 0 && usys_access(DIR "/sub/f", 0) == -ENOENT);
	check_err("renameat.bad_newdirfd", usys_renameat(dfd, "g", 66, "h"), -EBADF);
	check_err("faccessat.exists", usys_faccessat(dfd, "g", 4), 0);
	check_err("faccessat.missing", usys_faccessat(dfd, "nope", 0), -ENOENT);
	check_err("faccessat.bad_mode", usys_faccessat(dfd, "g", 8), -EINVAL);
	check_err("faccessat.bad_dirfd", usys_faccessat(44, "g", 0), -EBADF);
	check_err("unlinkat.dir_without_flag", usys_unlinkat(dfd, "sub", 0), -EISDIR);
	check_err("unlinkat.removedir_on_file", usys_unlinkat(dfd, "g", AT_REMOVEDIR), -ENOTDIR);
	check_err("unlinkat.bad_flags", usys_unlinkat(dfd, "g", 0x100), -EINVAL);
	check_err("unlinkat.file", usys_unlinkat(dfd, "g", 0), 0);
	check_err("unlinkat.removedir", usys_unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
	check_err("unlinkat.gone", usys_unlinkat(dfd, "sub", AT_REMOVEDIR), -ENOENT);

	chdir("/");
	char cwd[64];
	CHECK("fchdir.changes_cwd", usys_fchdir(dfd) == 0 && getcwd(cwd, sizeof cwd) &&
	      strcmp(cwd, DIR) == 0 && usys_access("a.txt", 0) == 0);
	int fd = usys_open(DIR "/a.txt", O_RDONLY, 0);
	check_err("fchdir.file", usys_fchdir(fd), -ENOTDIR);
	check_err("fchdir.bad_fd", usys_fchdir(99), -EBADF);
	close(fd);
	close(dfd);
}

/* ---- chmod, chown, utimensat, readlink ---- */

static void test_attributes(void)
{
	struct stat64 st;
	int dfd = usys_openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0);
	CHECK("chmod.mode", usys_chmod(DIR "/a.txt", 0600) == 0 && usys_stat64(DIR "/a.txt", &st) == 0 &&
	      st.st_mode == (S_IFREG | 0600));
	CHECK("fchmodat.mode", usys_fchmodat(dfd, "a.txt", 0751) == 0 && usys_stat64(DIR "/a.txt", &st) == 0 &&
	      st.st_mode == (S_IFREG | 0751));
	int fd = usys_open(DIR "/a.txt", O_RDONLY, 0);
	CHECK("fchmod.keeps_type", usys_fchmod(fd, 0170644) == 0 && usys_stat64(DIR "/a.txt", &st) == 0 &&
	      st.st_mode == (S_IFREG | 0644));
	check_err("chmod.missing", usys_chmod(DIR "/nope", 0644), -ENOENT);
	check_err("chmod.bad_path", usys_chmod(BAD_PTR, 0644), -EFAULT);
	check_err("fchmod.bad_fd", usys_fchmod(99, 0644), -EBADF);
	CHECK("chown32.owner", usys_chown32(DIR "/a.txt", 1000, 100) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_uid == 1000 && st.st_gid == 100);
	CHECK("fchown32.minus_one_keeps", usys_fchown32(fd, -1, 7) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_uid == 1000 && st.st_gid == 7);
	CHECK("fchownat.back_to_root", usys_fchownat(dfd, "a.txt", 0, 0, 0) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_uid == 0 && st.st_gid == 0);
	check_err("fchownat.bad_flags", usys_fchownat(dfd, "a.txt", 0, 0, 0x4), -EINVAL);

	struct timespec t[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	CHECK("utimensat.times", usys_utimensat(dfd, "a.txt", t, 0) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_atime == 1000000000 && st.st_mtime == 1234567890);
	struct timespec omit[2] = { { 5, UTIME_OMIT }, { 7, 0 } };
	CHECK("utimensat.omit", usys_utimensat(AT_FDCWD, DIR "/a.txt", omit, 0) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_atime == 1000000000 && st.st_mtime == 7);
	CHECK("utimensat.null_is_now", usys_utimensat(fd, NULL, NULL, 0) == 0 &&
	      usys_stat64(DIR "/a.txt", &st) == 0 && st.st_mtime > 1600000000);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	check_err("utimensat.bad_nsec", usys_utimensat(dfd, "a.txt", bad, 0), -EINVAL);
	check_err("utimensat.bad_flags", usys_utimensat(dfd, "a.txt", t, 0x2), -EINVAL);
	check_err("utimensat.bad_times", usys_utimensat(dfd, "a.txt", BAD_PTR, 0), -EFAULT);
	check_err("utimensat.missing", usys_utimensat(dfd, "nope", t, 0), -ENOENT);
	close(fd);

	char buf[128];
	memset(buf, 0, sizeof buf);
	CHECK("readlink.fast", usys_readlink("/test/echo.link", buf, sizeof buf) == 11 &&
	      strcmp(buf, "../bin/echo") == 0);
	memset(buf, 0, sizeof buf);
	long n = usys_readlink("/test/long.link", buf, sizeof buf);
	CHECK("readlink.slow", n == 71 && memcmp(buf, "../bin/././", 11) == 0 &&
	      memcmp(buf + 67, "echo", 4) == 0);
	memset(buf, 0, sizeof buf);
	CHECK("readlink.truncates", usys_readlink("/test/echo.link", buf, 4) == 4 &&
	      memcmp(buf, "../b", 4) == 0 && buf[4] == 0);
	int tfd = usys_openat(AT_FDCWD, "/test", O_RDONLY | O_DIRECTORY, 0);
	check_err("readlinkat.relative", usys_readlinkat(tfd, "echo.link", buf, sizeof buf), 11);
	close(tfd);
	check_err("readlink.not_a_link", usys_readlink(DIR "/a.txt", buf, sizeof buf), -EINVAL);
	check_err("readlink.missing", usys_readlink(DIR "/nope", buf, sizeof buf), -ENOENT);
	check_err("readlink.zero_size", usys_readlink("/test/echo.link", buf, 0), -EINVAL);
	check_err("readlink.bad_buf", usys_readlink("/test/echo.link", BAD_PTR, 64), -EFAULT);
	CHECK("lstat64.link", usys_lstat64("/test/echo.link", &st) == 0 && S_ISLNK(st.st_mode) &&
	      st.st_size == 11);
	close(dfd);
}

/* ---- following symbolic links ---- */

static void test_symlinks(void)
{
	struct stat64 echo, st;
	struct statx x;
	usys_stat64("/bin/echo", &echo);
	CHECK("symlink.stat_follows", usys_stat64("/test/echo.link", &st) == 0 && S_ISREG(st.st_mode) &&
	      st.st_ino == echo.st_ino && st.st_size == echo.st_size);
	CHECK("symlink.fstatat_nofollow", usys_fstatat64(AT_FDCWD, "/test/echo.link", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISLNK(st.st_mode));
	CHECK("symlink.fstatat_follows", usys_fstatat64(AT_FDCWD, "/test/echo.link", &st, 0) == 0 &&
	      st.st_ino == echo.st_ino);
	CHECK("symlink.statx_nofollow", usys_statx(AT_FDCWD, "/test/long.link", AT_SYMLINK_NOFOLLOW, 0x7ff, &x) == 0 &&
	      S_ISLNK(x.stx_mode) && x.stx_size == 71);
	CHECK("symlink.slow_target_followed", usys_stat64("/test/long.link", &st) == 0 && st.st_ino == echo.st_ino);
	CHECK("symlink.chain", usys_stat64("/links/chain.link", &st) == 0 && st.st_ino == echo.st_ino);
	CHECK("symlink.directory_in_path", usys_stat64("/links/dir.link/echo.link", &st) == 0 &&
	      st.st_ino == echo.st_ino);
	check_err("symlink.loop", usys_stat64("/links/loop.link", &st), -ELOOP);
	check_err("symlink.loop_open", usys_open("/links/loop.link", O_RDONLY, 0), -ELOOP);
	check_err("symlink.dangling", usys_stat64("/links/dangling.link", &st), -ENOENT);
	CHECK("symlink.dangling_lstat", usys_lstat64("/links/dangling.link", &st) == 0 && S_ISLNK(st.st_mode));
	char buf[8] = { 0 };
	int fd = usys_open("/test/echo.link", O_RDONLY, 0);
	CHECK("symlink.open_follows", fd >= 0 && usys_read(fd, buf, 4) == 4 && memcmp(buf, "\177ELF", 4) == 0);
	close(fd);
	check_err("symlink.open_nofollow", usys_open("/test/echo.link", O_RDONLY | O_NOFOLLOW, 0), -ELOOP);
	char cwd[64];
	CHECK("symlink.chdir_through", chdir("/links/dir.link") == 0 && usys_access("echo.link", 0) == 0 &&
	      getcwd(cwd, sizeof cwd) && strcmp(cwd, "/links/dir.link") == 0);
	chdir("/");
	CHECK("symlink.lchown_changes_link", syscall(SYS_lchown32, "/links/chain.link", 5, 6) == 0 &&
	      usys_lstat64("/links/chain.link", &st) == 0 && st.st_uid == 5 &&
	      usys_stat64("/links/chain.link", &st) == 0 && st.st_uid == 0);
	int pid = fork();
	if (pid == 0) {
		char *argv[] = { "echo.link", "exec-through-a-link", NULL };
		usys_execve("/links/chain.link", argv, NULL);
		_exit(99);
	}
	CHECK("symlink.execve_follows", pid > 0 && wait_exit_code(pid) == 0);

	/* Making links (fast ones: the target in the inode). */
	struct stat64 a;
	char target[80];
	usys_stat64(DIR "/a.txt", &a);
	memset(buf, 0, sizeof buf);
	CHECK("symlink.make", usys_symlink("a.txt", DIR "/sl") == 0 && usys_readlink(DIR "/sl", buf, sizeof buf) == 5 &&
	      memcmp(buf, "a.txt", 5) == 0 && usys_stat64(DIR "/sl", &st) == 0 && st.st_ino == a.st_ino &&
	      usys_lstat64(DIR "/sl", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 5);
	int dfd = usys_openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0);
	CHECK("symlinkat.relative", usys_symlinkat("/test", dfd, "dl") == 0 &&
	      usys_stat64(DIR "/dl/echo.link", &st) == 0 && st.st_ino == echo.st_ino);
	close(dfd);
	check_err("symlink.exists", usys_symlink("x", DIR "/sl"), -EEXIST);
	check_err("symlink.empty_target", usys_symlink("", DIR "/e"), -ENOENT);
	check_err("symlink.bad_target", usys_symlink(BAD_PTR, DIR "/e"), -EFAULT);
	check_err("symlink.bad_path", usys_symlink("x", BAD_PTR), -EFAULT);
	check_err("symlink.no_dir", usys_symlink("x", DIR "/nodir/e"), -ENOENT);
	memset(target, 't', 60);
	target[60] = 0;
	check_err("symlink.long_target", usys_symlink(target, DIR "/e"), -ENAMETOOLONG);
	CHECK("symlink.unlink_removes_link", usys_symlink("a.txt", DIR "/sl2") == 0 && usys_unlink(DIR "/sl2") == 0 &&
	      usys_lstat64(DIR "/sl2", &st) == -ENOENT && usys_stat64(DIR "/a.txt", &st) == 0);
}

/* ---- clone, vfork ---- */

static void test_clone(void)
{
	int ctid = -1, ptid = -1;
	long pid = usys_clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, 0, NULL, 0, &ctid);
	if (pid == 0)
		_exit(ctid == getpid() ? 0 : 1);   /* the child sees its own pid */
	CHECK("clone.glibc_fork", pid > 0 && wait_exit_code(pid) == 0);
	check_eq("clone.parent_copy_untouched", ctid, -1);
	pid = usys_clone(CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, 0, NULL);
	if (pid == 0)
		_exit(ptid == -1 ? 0 : 1);         /* written in the parent only */
	CHECK("clone.parent_settid", pid > 0 && ptid == pid && wait_exit_code(pid) == 0);
	pid = usys_clone(CLONE_PARENT_SETTID | SIGCHLD, 0, BAD_PTR, 0, NULL);
	if (pid == 0)
		_exit(0);
	CHECK("clone.bad_parent_tid_ignored", pid > 0 && wait_exit_code(pid) == 0);
	pid = usys_clone(CLONE_CHILD_SETTID | SIGCHLD, 0, NULL, 0, BAD_PTR);
	if (pid == 0)
		_exit(0);
	CHECK("clone.bad_child_tid_ignored", pid > 0 && wait_exit_code(pid) == 0);
	check_err("clone.vm", usys_clone(CLONE_VM | SIGCHLD, 0, NULL, 0, NULL), -EINVAL);
	check_err("clone.thread", usys_clone(CLONE_THREAD | CLONE_VM | SIGCHLD, 0, NULL, 0, NULL), -EINVAL);
	check_err("clone.files", usys_clone(CLONE_FILES | SIGCHLD, 0, NULL, 0, NULL), -EINVAL);
	check_err("clone.other_signal", usys_clone(SIGUSR1, 0, NULL, 0, NULL), -EINVAL);
	check_err("clone.new_stack", usys_clone(SIGCHLD, (void *)0x1000, NULL, 0, NULL), -EINVAL);
	pid = usys_vfork();
	if (pid == 0)
		_exit(7);
	CHECK("vfork.child_exits", pid > 0 && wait_exit_code(pid) == 7);
}

/* ---- pipe2, dup3 ---- */

static void test_pipe2_dup3(void)
{
	int p[2];
	CHECK("pipe2.cloexec", usys_pipe2(p, O_CLOEXEC) == 0 && usys_fcntl(p[0], F_GETFD, 0) == FD_CLOEXEC &&
	      usys_fcntl(p[1], F_GETFD, 0) == FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
	char c;
	CHECK("pipe2.nonblock_flags", usys_pipe2(p, O_NONBLOCK) == 0 &&
	      (usys_fcntl(p[0], F_GETFL, 0) & O_NONBLOCK) && usys_fcntl(p[0], F_GETFD, 0) == 0);
	check_err("pipe2.nonblock_empty_read", usys_read(p[0], &c, 1), -EAGAIN);
	static char big[8192];
	long w = usys_write(p[1], big, sizeof big);
	CHECK("pipe2.nonblock_partial_write", w > 0 && w < (long)sizeof big);
	check_err("pipe2.nonblock_full_write", usys_write(p[1], big, 1), -EAGAIN);
	CHECK("pipe2.data_still_there", usys_read(p[0], big, sizeof big) == w);
	close(p[0]);
	close(p[1]);
	check_err("pipe2.bad_flags", usys_pipe2(p, O_APPEND), -EINVAL);
	check_err("pipe2.bad_ptr", usys_pipe2(BAD_PTR, 0), -EFAULT);

	int fd = usys_open(DIR "/a.txt", O_RDONLY, 0);
	CHECK("dup3.cloexec", usys_dup3(fd, 20, O_CLOEXEC) == 20 && usys_fcntl(20, F_GETFD, 0) == FD_CLOEXEC);
	CHECK("dup3.plain", usys_dup3(fd, 20, 0) == 20 && usys_fcntl(20, F_GETFD, 0) == 0);
	check_err("dup3.same_fd", usys_dup3(fd, fd, 0), -EINVAL);
	check_err("dup3.bad_flags", usys_dup3(fd, 21, O_NONBLOCK), -EINVAL);
	check_err("dup3.bad_oldfd", usys_dup3(99, 21, 0), -EBADF);
	check_err("dup3.bad_newfd", usys_dup3(fd, 1000, 0), -EBADF);
	close(20);
	close(fd);
}

/* ---- clocks ---- */

static long long ns_of(const struct timespec *t) { return t->tv_sec * NSEC + t->tv_nsec; }

static void test_clocks(void)
{
	static const int ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
				   CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME };
	struct timespec t, r;
	struct timespec64 t64;
	int good = 1;
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++)
		good &= usys_clock_gettime(ids[i], &t) == 0 && t.tv_nsec >= 0 && t.tv_nsec < NSEC;
	CHECK("clock_gettime.all_ids", good);
	check_err("clock_gettime.unknown_id", usys_clock_gettime(99, &t), -EINVAL);
	check_err("clock_gettime.cputime_id", usys_clock_gettime(2, &t), -EINVAL);
	check_err("clock_gettime.bad_ptr", usys_clock_gettime(CLOCK_MONOTONIC, BAD_PTR), -EFAULT);
	usys_clock_gettime(CLOCK_REALTIME, &t);
	CHECK("clock_gettime64.matches", usys_clock_gettime64(CLOCK_REALTIME, &t64) == 0 &&
	      t64.tv_sec - t.tv_sec <= 1 && t64.tv_sec >= t.tv_sec);
	check_err("clock_gettime64.unknown_id", usys_clock_gettime64(42, &t64), -EINVAL);
	check_err("clock_gettime64.bad_ptr", usys_clock_gettime64(CLOCK_REALTIME, BAD_PTR), -EFAULT);
	struct timeval tv;
	long secs = usys_time(NULL);
	usys_gettimeofday(&tv, NULL);
	CHECK("time.consistent", tv.tv_sec - secs <= 1 && tv.tv_sec >= secs && t.tv_sec - secs <= 1);
	CHECK("realtime.after_2024", t.tv_sec > 1704067200);   /* the RTC, not 1970 */
	printf("realtime: %ld\n", (long)t.tv_sec);
	CHECK("clock_getres.tick", usys_clock_getres(CLOCK_MONOTONIC, &r) == 0 && r.tv_sec == 0 &&
	      r.tv_nsec > 0 && r.tv_nsec <= 10000000);
	check_err("clock_getres.null", usys_clock_getres(CLOCK_REALTIME, NULL), 0);
	check_err("clock_getres.unknown_id", usys_clock_getres(99, &r), -EINVAL);
	check_err("clock_getres.bad_ptr", usys_clock_getres(CLOCK_REALTIME, BAD_PTR), -EFAULT);

	struct timespec a, b, req = { 0, 30000000 };
	usys_clock_gettime(CLOCK_MONOTONIC, &a);
	long rc = usys_clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	usys_clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK("clock_nanosleep.relative", rc == 0 && ns_of(&b) - ns_of(&a) >= 30000000);
	struct timespec until = { b.tv_sec, b.tv_nsec + 40000000 };
	if (until.tv_nsec >= NSEC) {
		until.tv_sec++;
		until.tv_nsec -= NSEC;
	}
	rc = usys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
	usys_clock_gettime(CLOCK_MONOTONIC, &a);
	CHECK("clock_nanosleep.absolute", rc == 0 && ns_of(&a) >= ns_of(&until));
	struct timespec past = { 0, 1 };   /* 1 ns after boot */
	usys_clock_gettime(CLOCK_MONOTONIC, &a);
	rc = usys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
	usys_clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK("clock_nanosleep.absolute_past", rc == 0 && ns_of(&b) - ns_of(&a) < 20000000);
	usys_clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec = 0;
	until.tv_sec++;
	rc = usys_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL);
	usys_clock_gettime(CLOCK_REALTIME, &a);
	CHECK("clock_nanosleep.realtime_absolute", rc == 0 && ns_of(&a) >= ns_of(&until));
	struct timespec64 req64 = { 0, 20000000 };
	usys_clock_gettime(CLOCK_MONOTONIC, &a);
	rc = usys_clock_nanosleep_time64(CLOCK_MONOTONIC, 0, &req64, NULL);
	usys_clock_gettime(CLOCK_MONOTONIC, &b);
	CHECK("clock_nanosleep_time64.relative", rc == 0 && ns_of(&b) - ns_of(&a) >= 20000000);
	struct timespec badreq = { 0, NSEC };
	check_err("clock_nanosleep.bad_nsec", usys_clock_nanosleep(CLOCK_MONOTONIC, 0, &badreq, NULL), -EINVAL);
	struct timespec negreq = { -1, 0 };
	check_err("clock_nanosleep.negative", usys_clock_nanosleep(CLOCK_MONOTONIC, 0, &negreq, NULL), -EINVAL);
	check_err("clock_nanosleep.bad_req", usys_clock_nanosleep(CLOCK_MONOTONIC, 0, BAD_PTR, NULL), -EFAULT);
	check_err("clock_nanosleep.unknown_id", usys_clock_nanosleep(99, 0, &req, NULL), -EINVAL);
	check_err("clock_nanosleep.coarse_id", usys_clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &req, NULL),
		  -EOPNOTSUPP);
}

/* ---- getrandom, limits, prctl, sysinfo, getrusage, times ---- */

static void test_misc(void)
{
	unsigned char a[64], b[64], zero[64];
	memset(zero, 0, sizeof zero);
	CHECK("getrandom.fills", usys_getrandom(a, sizeof a, 0) == 64 && usys_getrandom(b, sizeof b, GRND_NONBLOCK) == 64 &&
	      memcmp(a, zero, 64) != 0 && memcmp(a, b, 64) != 0);
	static unsigned char big[5000];
	check_err("getrandom.large", usys_getrandom(big, sizeof big, GRND_INSECURE), sizeof big);
	check_err("getrandom.zero_len", usys_getrandom(a, 0, 0), 0);
	check_err("getrandom.bad_flags", usys_getrandom(a, 8, 0x8), -EINVAL);
	check_err("getrandom.random_and_insecure", usys_getrandom(a, 8, GRND_RANDOM | GRND_INSECURE), -EINVAL);
	check_err("getrandom.bad_buf", usys_getrandom(BAD_PTR, 8, 0), -EFAULT);

	struct rlimit32 l;
	struct rlimit64 l64, same;
	CHECK("ugetrlimit.stack", usys_ugetrlimit(RLIMIT_STACK, &l) == 0 && l.cur == 8 << 20 && l.max == 8 << 20);
	/* the limit is the descriptor table's size: its last slot works, the next does not */
	CHECK("ugetrlimit.nofile", usys_ugetrlimit(RLIMIT_NOFILE, &l) == 0 && l.cur >= 32 && l.cur == l.max);
	check_err("ugetrlimit.nofile_last_fd", usys_dup2(0, l.cur - 1), l.cur - 1);
	check_err("ugetrlimit.nofile_past_end", usys_dup2(0, l.cur), -EBADF);
	usys_close(l.cur - 1);
	CHECK("ugetrlimit.infinity", usys_ugetrlimit(RLIMIT_CPU, &l) == 0 && l.cur == 0xffffffffu);
	CHECK("getrlimit.old_infinity", usys_getrlimit(RLIMIT_CPU, &l) == 0 && l.cur == 0x7fffffffu);
	check_err("ugetrlimit.bad_resource", usys_ugetrlimit(16, &l), -EINVAL);
	check_err("ugetrlimit.bad_ptr", usys_ugetrlimit(RLIMIT_STACK, BAD_PTR), -EFAULT);
	CHECK("prlimit64.read", usys_prlimit64(0, RLIMIT_STACK, NULL, &l64) == 0 && l64.cur == 8 << 20);
	same = l64;
	check_err("prlimit64.set_same", usys_prlimit64(getpid(), RLIMIT_STACK, &same, NULL), 0);
	same.cur = 1 << 20;
	check_err("prlimit64.set_other", usys_prlimit64(0, RLIMIT_STACK, &same, NULL), -EPERM);
	same.cur = same.max + 1;
	check_err("prlimit64.cur_above_max", usys_prlimit64(0, RLIMIT_STACK, &same, NULL), -EINVAL);
	check_err("prlimit64.bad_pid", usys_prlimit64(4000, RLIMIT_STACK, NULL, &l64), -ESRCH);
	check_err("prlimit64.bad_new", usys_prlimit64(0, RLIMIT_STACK, BAD_PTR, NULL), -EFAULT);

	char name[16];
	CHECK("prctl.set_get_name", usys_prctl(PR_SET_NAME, (unsigned long)"abcdefghijklmnopqrst") == 0 &&
	      usys_prctl(PR_GET_NAME, (unsigned long)name) == 0 && strcmp(name, "abcdefghijklmno") == 0);
	usys_prctl(PR_SET_NAME, (unsigned long)"linuxabi");
	check_err("prctl.unknown_option", usys_prctl(9999, 0), -EINVAL);
	check_err("prctl.bad_name_ptr", usys_prctl(PR_SET_NAME, (unsigned long)BAD_PTR), -EFAULT);
	check_err("prctl.bad_get_ptr", usys_prctl(PR_GET_NAME, (unsigned long)BAD_PTR), -EFAULT);

	unsigned long si[16];
	CHECK("sysinfo.memory", usys_sysinfo(si) == 0 && si[4] > 0 && si[5] <= si[4] && si[13] == 4096);
	check_err("sysinfo.bad_ptr", usys_sysinfo(BAD_PTR), -EFAULT);
	struct rusage32 ru;
	check_err("getrusage.self", usys_getrusage(RUSAGE_SELF, &ru), 0);
	CHECK("getrusage.children_faults", usys_getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.minflt > 0);
	check_err("getrusage.bad_who", usys_getrusage(5, &ru), -EINVAL);
	check_err("getrusage.bad_ptr", usys_getrusage(RUSAGE_SELF, BAD_PTR), -EFAULT);
	unsigned long tms[4];
	CHECK("times.ticks", usys_times(tms) > 0 && usys_times(NULL) > 0);
	check_err("times.bad_ptr", usys_times(BAD_PTR), -EFAULT);

	/* Left out on purpose: glibc runs without them (docs/linux-abi.md). */
	check_err("set_robust_list.enosys", syscall(SYS_set_robust_list, 0, 12), -ENOSYS);
	check_err("rseq.enosys", syscall(SYS_rseq, 0, 32, 0, 0), -ENOSYS);
}

/* ---- TLS across kernel threads ---- */

#define TLS_FLAGS_32BIT_PAGES 0x51    /* seg_32bit, limit_in_pages, useable */

static unsigned read_gs(void)
{
	unsigned gs;
	__asm__ __volatile__("movl %%gs, %0" : "=r"(gs));
	return gs;
}

/* As glibc does at start-up: a TLS segment in %gs.  Then make the disk
 * flusher (a kernel thread) run and be interrupted many times while
 * this process's selector could have been left loaded: the kernel must
 * not carry it into the thread's frames (it once died of a general-
 * protection fault in trapret). */
static void test_tls_and_kernel_threads(void)
{
	static unsigned tls_block[64];
	struct user_desc d = { -1u, (unsigned)tls_block, 0xfffff, TLS_FLAGS_32BIT_PAGES };
	CHECK("tls.set_thread_area", syscall(SYS_set_thread_area, &d) == 0 && d.entry_number == 6);
	unsigned sel = d.entry_number * 8 + 3;
	__asm__ __volatile__("movl %0, %%gs" : : "r"(sel));
	/* Dirty a file, then nap in short sleeps with %gs loaded until the
	 * flusher has written it back (DIRTY_EXPIRE_S, 3 s, later). */
	static char chunk[65536];
	int fd = usys_open(DIR "/tls.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	int good = fd >= 0 && usys_write(fd, chunk, sizeof chunk) == sizeof chunk;
	close(fd);
	struct timespec nap = { 0, 10000000 };
	for (int i = 0; i < 400 && good; i++) {
		usys_nanosleep(&nap, NULL);
		good = read_gs() == sel;
	}
	usys_unlink(DIR "/tls.bin");
	CHECK("tls.survives_kernel_threads", good && read_gs() == sel);
}

int main(void)
{
	usys_mkdir("/tmp", 0755);
	usys_mkdir(DIR, 0755);
	make_file(DIR "/a.txt", "hello");
	test_openat();
	test_stat();
	test_dir_calls();
	test_attributes();
	test_symlinks();
	test_clone();
	test_pipe2_dup3();
	test_clocks();
	test_misc();
	test_tls_and_kernel_threads();
	return ztest_summary();
}
