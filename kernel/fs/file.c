/*
 * file.c - file descriptors and the system calls that work on any open
 * file: read, write, writev, close, dup, dup2.  What a read or write
 * does depends on the file's ops (console, pipe, filesystem file...).
 */
#include "kernel.h"
#include "fs/file.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "fs/epoll.h"

struct file *file_alloc(const struct file_ops *ops, int flags)
{
	struct file *f = kzalloc(sizeof *f);
	if (f) {
		f->ops = ops;
		f->refs = 1;
		f->flags = flags;
		list_init(&f->watches);
	}
	return f;
}

struct file *file_dup(struct file *f)
{
	if (f)
		f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs > 0)
		return;
	epoll_file_gone(f);        /* Linux too: the last reference ends the watches */
	if (f->ops->close)
		f->ops->close(f);
	kfree(f->path);
	kfree(f);
}

int fd_install(struct file *f, bool cloexec)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (!current->files[fd]) {
			current->files[fd] = f;
			fd_set_cloexec(fd, cloexec);
			return fd;
		}
	}
	file_put(f);
	return -EMFILE;
}

void fd_close_all(void)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		file_put(current->files[fd]);
		current->files[fd] = NULL;
	}
}

void fd_close_on_exec(void)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (fd_cloexec(fd)) {
			file_put(current->files[fd]);
			current->files[fd] = NULL;
		}
	}
	memset(current->cloexec, 0, sizeof current->cloexec);
}

long sys_read(int fd, char *buf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	if (!user_range_ok(buf, n))
		return -EFAULT;
	return f->ops->read(f, buf, MIN(n, MAX_RW_COUNT));
}

long sys_write(int fd, const char *buf, size_t n)
{
	struct file *f = fd_get(fd);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if (!user_range_ok(buf, n))
		return -EFAULT;
	return f->ops->write(f, buf, MIN(n, MAX_RW_COUNT));
}

long sys_writev(int fd, const void *uiov, int iovcnt)
{
	if (iovcnt < 0 || iovcnt > 1024)
		return -EINVAL;
	long total = 0;
	for (int i = 0; i < iovcnt; i++) {
		struct iovec v;
		if (get_user_arg(&v, (const struct iovec *)uiov + i, sizeof v) < 0)
			return -EFAULT;
		if (v.iov_len == 0)
			continue;
		long r = sys_write(fd, v.iov_base, v.iov_len);
		if (r < 0)
			return total ? total : r;
		total += r;
		if ((size_t)r < v.iov_len)
			break;
	}
	return total;
}

long sys_close(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	current->files[fd] = NULL;
	file_put(f);
	return 0;
}

long sys_dup(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	return fd_install(file_dup(f), false);
}

/* Make newfd a second descriptor for f (closing what newfd was). */
static long dup_to(struct file *f, int newfd, bool cloexec)
{
	file_put(current->files[newfd]);
	current->files[newfd] = file_dup(f);
	fd_set_cloexec(newfd, cloexec);
	return newfd;
}

/* dup2 and dup3: newfd becomes a second descriptor for oldfd's file.
 * oldfd == newfd does nothing for dup2 and is EINVAL for dup3. */
static long dup_into(int oldfd, int newfd, bool cloexec, bool same_is_error)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (oldfd == newfd)
		return same_is_error ? -EINVAL : newfd;
	return dup_to(f, newfd, cloexec);
}

long sys_dup2(int oldfd, int newfd) { return dup_into(oldfd, newfd, false, false); }

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	return dup_into(oldfd, newfd, flags & O_CLOEXEC, true);
}

long sys_pipe(int *ufds) { return sys_pipe2(ufds, 0); }

/* pipe2: O_NONBLOCK goes on both ends' status flags, O_CLOEXEC on both
 * descriptors. */
long sys_pipe2(int *ufds, int flags)
{
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct file *rd, *wr;
	int r = pipe_create(&rd, &wr);
	if (r < 0)
		return r;
	rd->flags |= flags & O_NONBLOCK;
	wr->flags |= flags & O_NONBLOCK;
	int fds[2] = { fd_install(rd, flags & O_CLOEXEC), -1 };
	if (fds[0] < 0) {
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(wr, flags & O_CLOEXEC);
	if (fds[1] < 0 || put_user_arg(ufds, fds, sizeof fds) < 0) {
		sys_close(fds[0]);
		if (fds[1] >= 0)
			sys_close(fds[1]);
		return fds[1] < 0 ? fds[1] : -EFAULT;
	}
	return 0;
}

/* fcntl: descriptor flags (close-on-exec), status flags, dup. */
long sys_fcntl(int fd, int cmd, uint32_t arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NOFILE)
			return -EINVAL;               /* unsigned, as Linux: a negative int too */
		for (uint32_t nfd = arg; nfd < NOFILE; nfd++)
			if (!current->files[nfd])
				return dup_to(f, nfd, cmd == F_DUPFD_CLOEXEC);
		return -EMFILE;
	case F_GETFD:
		return fd_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
		return 0;
	}
	return -EINVAL;
}
