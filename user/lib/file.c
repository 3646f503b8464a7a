/*
 * file.c - file-descriptor and file-system system calls.
 *
 * One system call each, with the libc errno convention.  The data path
 * of read() and write() is in the kernel: each byte crosses the
 * user/kernel boundary as a CPU copy that the ledger counts.
 */
#include <unistd.h>
#include <fcntl.h>
#include <stat.h>
#include <dirent.h>
#include <poll.h>
#include <termios.h>
#include <stdarg.h>

ssize_t read(int fd, void *buf, size_t n)         { return __sysret(usys_read(fd, buf, n)); }
ssize_t write(int fd, const void *buf, size_t n)  { return __sysret(usys_write(fd, buf, n)); }
ssize_t pread(int fd, void *buf, size_t n, loff_t off)        { return __sysret(usys_pread64(fd, buf, n, off)); }
ssize_t pwrite(int fd, const void *buf, size_t n, loff_t off) { return __sysret(usys_pwrite64(fd, buf, n, off)); }
int close(int fd)                                 { return __sysret(usys_close(fd)); }
off_t lseek(int fd, off_t off, int whence)        { return __sysret(usys_lseek(fd, off, whence)); }
int dup(int fd)                                   { return __sysret(usys_dup(fd)); }
int dup2(int fd, int to)                          { return __sysret(usys_dup2(fd, to)); }
int pipe(int fds[2])                              { return __sysret(usys_pipe(fds)); }
int pipe2(int fds[2], int flags)                  { return __sysret(usys_pipe2(fds, flags)); }
int ftruncate(int fd, off_t len)                  { return __sysret(usys_ftruncate(fd, len)); }
int truncate(const char *path, off_t len)         { return __sysret(usys_truncate(path, len)); }
int fsync(int fd)                                 { return __sysret(usys_fsync(fd)); }
void sync(void)                                   { usys_sync(); }

/* 64-bit seek: _llseek takes the offset in two halves and stores the
 * resulting position through a pointer. */
loff_t lseek64(int fd, loff_t off, int whence)
{
	loff_t result;
	long r = usys_llseek(fd, (unsigned long)(off >> 32), (unsigned long)off, &result, whence);

	return __sysret(r) < 0 ? -1 : result;
}

int open(const char *path, int flags, ...)
{
	int mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return __sysret(usys_open(path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return __sysret(usys_creat(path, (int)mode));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return __sysret(usys_fcntl(fd, cmd, arg));
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	return __sysret(usys_ioctl(fd, req, arg));
}

/* A terminal answers TCGETS; anything else (or a kernel without it)
 * does not. */
int isatty(int fd)
{
	struct termios t;

	return usys_ioctl(fd, TCGETS, &t) == 0;
}

int tcgetattr(int fd, struct termios *t)
{
	return (int)__sysret(usys_ioctl(fd, TCGETS, t));
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	static const unsigned long req[] = { TCSETS, TCSETSW, TCSETSF };

	if (action < TCSANOW || action > TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	return (int)__sysret(usys_ioctl(fd, req[action], (void *)t));
}

int poll(struct pollfd *fds, unsigned int n, int timeout_ms)
{
	return __sysret(usys_poll(fds, n, timeout_ms));
}

int stat(const char *path, struct stat *st)      { return __sysret(usys_stat(path, st)); }
int statfs(const char *path, struct statfs *st)  { return __sysret(usys_statfs(path, st)); }
int lstat(const char *path, struct stat *st)     { return __sysret(usys_lstat(path, st)); }
int fstat(int fd, struct stat *st)               { return __sysret(usys_fstat(fd, st)); }
int stat64(const char *path, struct stat64 *st)  { return __sysret(usys_stat64(path, st)); }
int fstat64(int fd, struct stat64 *st)           { return __sysret(usys_fstat64(fd, st)); }
int mkdir(const char *path, mode_t mode)         { return __sysret(usys_mkdir(path, (int)mode)); }
int rmdir(const char *path)                      { return __sysret(usys_rmdir(path)); }
int unlink(const char *path)                     { return __sysret(usys_unlink(path)); }
int rename(const char *from, const char *to)     { return __sysret(usys_rename(from, to)); }
int access(const char *path, int mode)           { return __sysret(usys_access(path, mode)); }
int chdir(const char *path)                      { return __sysret(usys_chdir(path)); }

int getdents(int fd, struct linux_dirent *buf, unsigned int n)     { return __sysret(usys_getdents(fd, buf, n)); }
int getdents64(int fd, struct linux_dirent64 *buf, unsigned int n) { return __sysret(usys_getdents64(fd, buf, n)); }

/* The system call returns the length (with the NUL); libc returns buf. */
char *getcwd(char *buf, size_t n)
{
	return __sysret(usys_getcwd(buf, n)) < 0 ? NULL : buf;
}
