/*
 * fs_syscalls.c - the filesystem system calls: open, stat and friends,
 * getdents, mkdir, rmdir, unlink, rename, lseek, fsync, sync, truncate,
 * chdir and getcwd.  Each checks its user pointers, resolves paths with
 * vfs.c and hands the work to the inode's operations.  Each call that
 * takes a path is written once, as its *at() form (openat, fstatat64,
 * mkdirat, ...): the old form (open, stat, mkdir, ...) is the *at() form
 * with AT_FDCWD, and vfs_path_at is the one place a dirfd is resolved.
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "uapi/dirent.h"

/* Truncate under the inode's write lock (see struct inode); -EROFS if
 * the filesystem cannot. */
static int locked_truncate(struct inode *ino, uint32_t size)
{
	if (!ino->ops->truncate)
		return -EROFS;
	mutex_lock(&ino->wlock);
	int r = ino->ops->truncate(ino, size);
	mutex_unlock(&ino->wlock);
	return r;
}

long sys_openat(int dirfd, const char *upath, int flags, int mode)
{
	char path[PATH_MAX], buf[PATH_MAX];
	int r = vfs_path_at(dirfd, upath, 0, path);
	if (r < 0)
		return r;
	struct inode *ino = NULL;
	r = flags & O_NOFOLLOW ? vfs_lookup_nofollow(path, &ino) : vfs_lookup(path, &ino);
	if (r == 0 && S_ISLNK(ino->mode)) {
		inode_put(ino);
		return -ELOOP;                   /* O_NOFOLLOW on a link, as Linux */
	}
	if (r == -ENOENT && (flags & O_CREAT)) {
		struct inode *dir;
		const char *name;
		size_t len;
		if ((r = vfs_lookup_parent(path, &dir, &name, &len, buf)) < 0)
			return r;
		if (len == 0)
			r = -EISDIR;
		else if (!dir->ops->create)
			r = -EROFS;
		else
			r = dir->ops->create(dir, name, len, mode, &ino);
		inode_put(dir);
		if (r == -EEXIST && !(flags & O_EXCL))
			r = vfs_lookup(path, &ino);      /* lost a race with another creator */
	} else if (r == 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
		inode_put(ino);
		return -EEXIST;
	} else if (r == 0 && (flags & O_CREAT) && S_ISDIR(ino->mode)) {
		inode_put(ino);
		return -EISDIR;                  /* Linux: O_CREAT never opens a directory */
	}
	if (r < 0)
		return r;
	/* Like Linux, O_TRUNC truncates even with O_RDONLY (it needs write permission). */
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && ino->data.size)
		r = locked_truncate(ino, 0);
	struct file *f = NULL;
	if (r == 0)
		r = vfs_open_inode(ino, flags, &f);
	inode_put(ino);
	if (r < 0)
		return r;
	if ((r = vfs_remember_dir_path(f, path)) < 0) {
		file_put(f);
		return r;
	}
	return fd_install(f, flags & O_CLOEXEC);
}

long sys_open(const char *upath, int flags, int mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_creat(const char *upath, int mode)
{
	return sys_open(upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- stat ---------------------------------------------------------- */

enum stat_layout { STAT_OLD, STAT_64, STAT_X };   /* struct stat, stat64, statx */

/* What struct stat and struct stat64 both have, by the same names; the
 * members an initializer does not name are zero (neither they nor
 * struct statx has hidden padding: uapi/stat.h). */
#define STAT_FIELDS(node, bs)                                                           \
	.st_dev = (node)->dev, .st_ino = (node)->ino, .st_mode = (node)->mode,          \
	.st_nlink = (node)->nlink, .st_uid = (node)->uid, .st_gid = (node)->gid,         \
	.st_size = (node)->data.size, .st_blksize = (bs), .st_blocks = (node)->blocks,   \
	.st_atime = (node)->atime, .st_mtime = (node)->mtime, .st_ctime = (node)->ctime

static int fill_stat(struct inode *ino, void *ubuf, enum stat_layout layout)
{
	uint32_t blksize = ino->data.block_size ? ino->data.block_size : 4096;
	if (layout == STAT_X) {
		struct statx s = {
			.stx_mask = STATX_BASIC_STATS, .stx_blksize = blksize, .stx_nlink = ino->nlink,
			.stx_uid = ino->uid, .stx_gid = ino->gid, .stx_mode = ino->mode,
			.stx_ino = ino->ino, .stx_size = ino->data.size, .stx_blocks = ino->blocks,
			.stx_atime.tv_sec = ino->atime, .stx_mtime.tv_sec = ino->mtime,
			.stx_ctime.tv_sec = ino->ctime,
			.stx_dev_major = ino->dev >> 8, .stx_dev_minor = ino->dev & 0xff,
		};
		return put_user_arg(ubuf, &s, sizeof s);
	}
	if (layout == STAT_64) {
		struct stat64 s = { STAT_FIELDS(ino, blksize), .__st_ino = ino->ino };
		return put_user_arg(ubuf, &s, sizeof s);
	}
	struct stat s = { STAT_FIELDS(ino, blksize) };
	return put_user_arg(ubuf, &s, sizeof s);
}

static long stat_fd(int fd, void *ubuf, enum stat_layout layout)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode) {
		/* A pipe or the console: report a FIFO or character device. */
		struct inode fake = {
			.mode = f->ops->getdents ? S_IFDIR :
				(f->flags & O_ACCMODE) == O_RDWR ? S_IFCHR | 0620 : S_IFIFO | 0600,
			.nlink = 1,
		};
		return fill_stat(&fake, ubuf, layout);
	}
	return fill_stat(f->inode, ubuf, layout);
}

/* stat follows a symbolic link at the end of the path, lstat
 * (AT_SYMLINK_NOFOLLOW) reports the link itself. */
static long stat_at(int dirfd, const char *upath, int flags, void *ubuf, enum stat_layout layout)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	struct inode *ino;
	int r = vfs_lookup_at(dirfd, upath, flags, &ino);
	if (r == 1)
		return stat_fd(dirfd, ubuf, layout);
	if (r < 0)
		return r;
	r = fill_stat(ino, ubuf, layout);
	inode_put(ino);
	return r;
}

long sys_stat(const char *p, void *b) { return stat_at(AT_FDCWD, p, 0, b, STAT_OLD); }
long sys_stat64(const char *p, void *b) { return stat_at(AT_FDCWD, p, 0, b, STAT_64); }
long sys_lstat(const char *p, void *b) { return stat_at(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, b, STAT_OLD); }
long sys_lstat64(const char *p, void *b) { return stat_at(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW, b, STAT_64); }
long sys_fstat(int fd, void *b) { return stat_fd(fd, b, STAT_OLD); }
long sys_fstat64(int fd, void *b) { return stat_fd(fd, b, STAT_64); }

long sys_fstatat64(int dirfd, const char *upath, void *ubuf, int flags)
{
	if (flags & AT_STATX_SYNC_TYPE)
		return -EINVAL;                  /* statx's flags only */
	return stat_at(dirfd, upath, flags, ubuf, STAT_64);
}

/* statx: zc32 fills in the basic fields (STATX_BASIC_STATS) whatever
 * mask asks for, as Linux may; no birth time. */
long sys_statx(int dirfd, const char *upath, int flags, uint32_t mask, void *ubuf)
{
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	return stat_at(dirfd, upath, flags, ubuf, STAT_X);
}

/* ---- directories ---------------------------------------------------- */

int dirent_emit(struct dirent_sink *s, uint32_t ino, uint64_t next_off,
		const char *name, size_t len, uint8_t dt_type)
{
	union {
		struct linux_dirent64 d64;
		struct linux_dirent d;
		uint8_t bytes[sizeof(struct linux_dirent64) + NAME_MAX + 1 + 8];
	} rec;
	size_t reclen;
	len = MIN(len, NAME_MAX);
	memset(&rec, 0, sizeof rec);
	if (s->v64) {
		reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
		rec.d64 = (struct linux_dirent64){ ino, next_off, reclen, dt_type };
		memcpy(rec.d64.d_name, name, len);
	} else {
		reclen = ALIGN_UP(offsetof(struct linux_dirent, d_name) + len + 2, 4);
		rec.d = (struct linux_dirent){ ino, next_off, reclen };
		memcpy(rec.d.d_name, name, len);
		rec.bytes[reclen - 1] = dt_type;  /* the old layout's last byte */
	}
	if (s->used + reclen > s->size)
		return -EINVAL;
	if (put_user_arg((uint8_t *)s->ubuf + s->used, &rec, reclen) < 0)
		return -EFAULT;
	s->used += reclen;
	return 0;
}

/* The entries that fit; an error only if none did, or the buffer was bad. */
static long getdents_common(int fd, void *ubuf, size_t n, bool v64)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->ops->getdents)
		return -ENOTDIR;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	struct dirent_sink s = { ubuf, n, 0, v64 };
	int r = f->ops->getdents(f, &s);
	return s.used && r != -EFAULT ? (long)s.used : r;
}

long sys_getdents(int fd, void *ubuf, size_t n) { return getdents_common(fd, ubuf, n, false); }
long sys_getdents64(int fd, void *ubuf, size_t n) { return getdents_common(fd, ubuf, n, true); }

/* 1 if the last component of path is ".", 2 if "..", else 0.  Paths are
 * normalised textually, so "d/." would otherwise name d itself. */
static int last_is_dot(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	if (n - s == 1 && path[s] == '.')
		return 1;
	if (n - s == 2 && path[s] == '.' && path[s + 1] == '.')
		return 2;
	return 0;
}

/* What a create/remove operation works on: the directory that holds (or
 * is to hold) the path's last component, held, and that component's name
 * (pointing into buf). */
struct parent {
	char path[PATH_MAX], buf[PATH_MAX];
	struct inode *dir;
	const char *name;
	size_t len;
};

/* Resolve the parent of a user path for a create/remove operation. */
static int parent_at(int dirfd, const char *upath, struct parent *p)
{
	int r = vfs_path_at(dirfd, upath, 0, p->path);
	if (r < 0)
		return r;
	if ((r = vfs_lookup_parent(p->path, &p->dir, &p->name, &p->len, p->buf)) < 0)
		return r;
	if (p->len == 0) {
		inode_put(p->dir);
		return -EBUSY;                /* the root itself */
	}
	return 0;
}

long sys_mkdirat(int dirfd, const char *upath, int mode)
{
	struct parent p;
	int r = parent_at(dirfd, upath, &p);
	if (r < 0)
		return r == -EBUSY ? -EEXIST : r;
	r = p.dir->ops->mkdir ? p.dir->ops->mkdir(p.dir, p.name, p.len, mode) : -EROFS;
	inode_put(p.dir);
	return r;
}

long sys_mkdir(const char *upath, int mode) { return sys_mkdirat(AT_FDCWD, upath, mode); }

/* symlinkat: the target is stored as given, not resolved or checked. */
long sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char target[PATH_MAX];
	struct parent p;
	int r = path_from_user(utarget, target);
	if (r < 0)
		return r;
	if ((r = parent_at(dirfd, upath, &p)) < 0)
		return r == -EBUSY ? -EEXIST : r;
	r = p.dir->ops->symlink ? p.dir->ops->symlink(p.dir, p.name, p.len, target, strlen(target)) : -EROFS;
	inode_put(p.dir);
	return r;
}

long sys_symlink(const char *utarget, const char *upath) { return sys_symlinkat(utarget, AT_FDCWD, upath); }

static long rmdir_at(int dirfd, const char *upath)
{
	struct parent p;
	int r = parent_at(dirfd, upath, &p);
	if (r < 0)
		return r;
	if (last_is_dot(p.path))               /* rmdir("d/.") must not remove d */
		r = last_is_dot(p.path) == 1 ? -EINVAL : -ENOTEMPTY;
	else
		r = p.dir->ops->rmdir ? p.dir->ops->rmdir(p.dir, p.name, p.len) : -EROFS;
	inode_put(p.dir);
	return r;
}

static long unlink_at(int dirfd, const char *upath)
{
	struct parent p;
	int r = parent_at(dirfd, upath, &p);
	if (r < 0)
		return r == -EBUSY ? -EISDIR : r;
	r = p.dir->ops->unlink ? p.dir->ops->unlink(p.dir, p.name, p.len) : -EROFS;
	inode_put(p.dir);
	return r;
}

long sys_rmdir(const char *upath) { return rmdir_at(AT_FDCWD, upath); }
long sys_unlink(const char *upath) { return unlink_at(AT_FDCWD, upath); }

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return flags & AT_REMOVEDIR ? rmdir_at(dirfd, upath) : unlink_at(dirfd, upath);
}

long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	struct parent o, n;
	int r = parent_at(olddirfd, uold, &o);
	if (r < 0)
		return r;
	if ((r = parent_at(newdirfd, unew, &n)) < 0) {
		inode_put(o.dir);
		return r;
	}
	if (last_is_dot(o.path) || last_is_dot(n.path))
		r = -EBUSY;                          /* Linux: "." and ".." cannot be renamed */
	else if (o.dir->fs != n.dir->fs)
		r = -EXDEV;
	else if (!o.dir->ops->rename)
		r = -EROFS;
	else
		r = o.dir->ops->rename(o.dir, o.name, o.len, n.dir, n.name, n.len);
	inode_put(o.dir);
	inode_put(n.dir);
	return r;
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat(AT_FDCWD, uold, AT_FDCWD, unew);
}

long sys_chdir(const char *upath)
{
	char path[PATH_MAX], norm[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	if ((r = vfs_normalise(path, norm)) < 0)
		return r;
	struct inode *ino;
	if ((r = vfs_lookup(norm, &ino)) < 0)
		return r;
	bool dir = S_ISDIR(ino->mode);
	inode_put(ino);
	if (!dir)
		return -ENOTDIR;
	strlcpy(current->cwd, norm, PATH_MAX);
	return 0;
}

/* fchdir: the working directory becomes the path the directory was opened by. */
long sys_fchdir(int fd)
{
	const char *path;
	int r = vfs_dir_path_of_fd(fd, &path);
	if (r == 0)
		strlcpy(current->cwd, path, PATH_MAX);
	return r;
}

long sys_getcwd(char *ubuf, size_t size)
{
	size_t len = strlen(current->cwd) + 1;
	if (size < len)
		return -ERANGE;
	int r = put_user_arg(ubuf, current->cwd, len);
	return r < 0 ? r : (long)len;
}

/* ---- offsets, sizes, syncing ------------------------------------------ */

static long do_lseek(int fd, int64_t off, int whence, int64_t *result)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode)
		return -ESPIPE;
	int64_t base;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->data.size; break;
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	*result = base + off;
	f->pos = *result;
	return 0;
}

long sys_lseek(int fd, long off, int whence)
{
	int64_t pos;
	int r = do_lseek(fd, off, whence, &pos);
	if (r < 0)
		return r;
	return pos > 0x7fffffff ? -EOVERFLOW : (long)pos;
}

long sys_llseek(int fd, uint32_t hi, uint32_t lo, int64_t *uresult, int whence)
{
	int64_t pos;
	int r = do_lseek(fd, (int64_t)((uint64_t)hi << 32 | lo), whence, &pos);
	if (r < 0)
		return r;
	return put_user_arg(uresult, &pos, sizeof pos);
}

long sys_ftruncate(int fd, long length)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;              /* Linux's answer; POSIX also allows EBADF */
	if (length < 0)
		return -EINVAL;
	return locked_truncate(f->inode, length);
}

long sys_truncate(const char *upath, long length)
{
	struct inode *ino;
	int r = vfs_lookup_at(AT_FDCWD, upath, 0, &ino);
	if (r < 0)
		return r;
	if (S_ISDIR(ino->mode))
		r = -EISDIR;
	else if (length < 0)
		r = -EINVAL;
	else
		r = locked_truncate(ino, length);
	inode_put(ino);
	return r;
}

long sys_fsync(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->ops->fsync)
		return -EINVAL;
	return f->ops->fsync(f);
}

long sys_sync(void)
{
	vfs_sync();                  /* sync(2) reports nothing, as on Linux; fsync does */
	return 0;
}

#define ACCESS_MODES 7                   /* R_OK | W_OK | X_OK; F_OK is 0 */

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	if (mode & ~ACCESS_MODES)
		return -EINVAL;
	struct inode *ino;
	int r = vfs_lookup_at(dirfd, upath, 0, &ino);
	if (r < 0)
		return r;
	inode_put(ino);
	return 0;                        /* everyone is root */
}

long sys_access(const char *upath, int mode) { return sys_faccessat(AT_FDCWD, upath, mode); }
