/*
 * attr.c - the calls that change a file's attributes (chmod, chown,
 * utimensat and their fd and *at forms) and read a symbolic link
 * (readlink, readlinkat).  zc32 has one user, root, who may change
 * anything: no permission checks, but the file types, Linux's flag checks
 * and errors.  A change is made on the in-memory inode and written back
 * through the filesystem's write_inode (a read-only disk has none: EROFS).
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "fs/procfs.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "uapi/time.h"

/* What one call changes. */
struct attr_change {
	bool set_mode, set_owner, set_times;
	uint32_t mode;
	uint32_t uid, gid;             /* (uint32_t)-1: leave as it is */
	struct timespec times[2];      /* atime, mtime; UTIME_NOW / UTIME_OMIT */
};

static uint32_t time_of(const struct timespec *ts, uint32_t old)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return old;
	return ts->tv_nsec == UTIME_NOW ? vfs_now() : (uint32_t)ts->tv_sec;
}

static int apply_change(struct inode *ino, const struct attr_change *c)
{
	if (!ino->ops->write_inode)
		return -EROFS;
	if (c->set_mode)
		ino->mode = (ino->mode & S_IFMT) | (c->mode & 07777);
	if (c->set_owner && c->uid != (uint32_t)-1)
		ino->uid = c->uid;
	if (c->set_owner && c->gid != (uint32_t)-1)
		ino->gid = c->gid;
	if (c->set_times) {
		ino->atime = time_of(&c->times[0], ino->atime);
		ino->mtime = time_of(&c->times[1], ino->mtime);
	}
	ino->ctime = vfs_now();
	return ino->ops->write_inode(ino);
}

static long change_fd(int fd, const struct attr_change *c)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode)
		return -EINVAL;            /* a pipe or socket: nothing on disk to change */
	return apply_change(f->inode, c);
}

/* A symbolic link at the end of the path is followed, unless flags has
 * AT_SYMLINK_NOFOLLOW (lchown): then the link itself changes. */
static long change_at(int dirfd, const char *upath, int flags, const struct attr_change *c)
{
	struct inode *ino;
	int r = vfs_lookup_at(dirfd, upath, flags, &ino);
	if (r == 1)
		return change_fd(dirfd, c);
	if (r < 0)
		return r;
	r = apply_change(ino, c);
	inode_put(ino);
	return r;
}

long sys_fchmodat(int dirfd, const char *upath, uint32_t mode)
{
	struct attr_change c = { .set_mode = true, .mode = mode };
	return change_at(dirfd, upath, 0, &c);
}

long sys_chmod(const char *upath, uint32_t mode) { return sys_fchmodat(AT_FDCWD, upath, mode); }

long sys_fchmod(int fd, uint32_t mode)
{
	struct attr_change c = { .set_mode = true, .mode = mode };
	return change_fd(fd, &c);
}

long sys_fchownat(int dirfd, const char *upath, uint32_t uid, uint32_t gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct attr_change c = { .set_owner = true, .uid = uid, .gid = gid };
	return change_at(dirfd, upath, flags, &c);
}

long sys_chown32(const char *upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown32(const char *upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown32(int fd, uint32_t uid, uint32_t gid)
{
	struct attr_change c = { .set_owner = true, .uid = uid, .gid = gid };
	return change_fd(fd, &c);
}

static bool valid_time(const struct timespec *ts)
{
	return ts->tv_nsec == UTIME_NOW || ts->tv_nsec == UTIME_OMIT ||
	       (ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000);
}

/* utimensat(dirfd, path, times, flags): times NULL means "now" for both;
 * path NULL changes dirfd itself (how glibc's futimens calls it). */
long sys_utimensat(int dirfd, const char *upath, const struct timespec *utimes, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	struct attr_change c = { .set_times = true,
				 .times = { { 0, UTIME_NOW }, { 0, UTIME_NOW } } };
	if (utimes && get_user_arg(c.times, utimes, sizeof c.times) < 0)
		return -EFAULT;
	if (!valid_time(&c.times[0]) || !valid_time(&c.times[1]))
		return -EINVAL;
	if (!upath)
		return change_fd(dirfd, &c);
	return change_at(dirfd, upath, flags, &c);
}

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int size)
{
	if (size <= 0)
		return -EINVAL;
	char path[PATH_MAX], norm[PATH_MAX];
	int r = vfs_path_at(dirfd, upath, 0, path);
	struct inode *ino;
	if (r < 0 || (r = vfs_normalise(path, norm)) < 0 || (r = vfs_lookup_nofollow(norm, &ino)) < 0)
		return r;
	char target[PATH_MAX];
	ssize_t n = -EINVAL;                 /* not a symbolic link */
	if (memcmp(norm, PROCFS_MOUNT "/", strlen(PROCFS_MOUNT) + 1) == 0)   /* stops at norm's NUL */
		n = procfs_readlink(norm + strlen(PROCFS_MOUNT) + 1, target, sizeof target);  /* /proc's links */
	else if (S_ISLNK(ino->mode) && ino->ops->readlink)
		n = ino->ops->readlink(ino, target, sizeof target);
	inode_put(ino);
	if (n < 0)
		return n;
	n = MIN(n, size);                     /* cut, not terminated: readlink(2) */
	return put_user_arg(ubuf, target, n) < 0 ? -EFAULT : n;
}

long sys_readlink(const char *upath, char *ubuf, int size)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, size);
}
