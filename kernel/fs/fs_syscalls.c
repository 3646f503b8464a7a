/*
 * fs_syscalls.c - the filesystem system calls: open, stat and friends,
 * getdents, mkdir, rmdir, unlink, rename, lseek, fsync, sync, truncate,
 * chdir and getcwd.  Each checks its user pointers, resolves paths with
 * vfs.c and hands the work to the inode's operations.
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/pagecache.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "uapi/dirent.h"

/* Truncate under the inode's write lock (see struct inode). */
static int locked_truncate(struct inode *ino, uint32_t size)
{
	mutex_lock(&ino->wlock);
	int r = ino->ops->truncate(ino, size);
	mutex_unlock(&ino->wlock);
	return r;
}

long sys_open(const char *upath, int flags, int mode)
{
	char path[PATH_MAX], buf[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	struct inode *ino = NULL;
	r = vfs_lookup(path, &ino);
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
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && ino->data.size) {
		if (!ino->ops->truncate)
			r = -EROFS;
		else
			r = locked_truncate(ino, 0);
	}
	struct file *f = NULL;
	if (r == 0)
		r = vfs_open_inode(ino, flags, &f);
	inode_put(ino);
	if (r < 0)
		return r;
	int fd = fd_install(f);
	if (fd < 0) {
		file_put(f);
		return fd;
	}
	if (flags & O_CLOEXEC)
		fd_set_cloexec(fd, true);
	return fd;
}

long sys_creat(const char *upath, int mode)
{
	return sys_open(upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- stat ---------------------------------------------------------- */

static int fill_stat(struct inode *ino, void *ubuf, bool v64)
{
	uint32_t blksize = ino->data.block_size ? ino->data.block_size : 4096;
	if (v64) {
		struct stat64 s;
		memset(&s, 0, sizeof s);
		s.st_dev = ino->dev;
		s.__st_ino = ino->ino;
		s.st_ino = ino->ino;
		s.st_mode = ino->mode;
		s.st_nlink = ino->nlink;
		s.st_uid = ino->uid;
		s.st_gid = ino->gid;
		s.st_size = ino->data.size;
		s.st_blksize = blksize;
		s.st_blocks = ino->blocks;
		s.st_atime = ino->atime;
		s.st_mtime = ino->mtime;
		s.st_ctime = ino->ctime;
		return put_user_arg(ubuf, &s, sizeof s);
	}
	struct stat s;
	memset(&s, 0, sizeof s);
	s.st_dev = ino->dev;
	s.st_ino = ino->ino;
	s.st_mode = ino->mode;
	s.st_nlink = ino->nlink;
	s.st_uid = ino->uid;
	s.st_gid = ino->gid;
	s.st_size = ino->data.size;
	s.st_blksize = blksize;
	s.st_blocks = ino->blocks;
	s.st_atime = ino->atime;
	s.st_mtime = ino->mtime;
	s.st_ctime = ino->ctime;
	return put_user_arg(ubuf, &s, sizeof s);
}

static long stat_path(const char *upath, void *ubuf, bool v64)
{
	char path[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	struct inode *ino;
	if ((r = vfs_lookup(path, &ino)) < 0)
		return r;
	r = fill_stat(ino, ubuf, v64);
	inode_put(ino);
	return r;
}

static long stat_fd(int fd, void *ubuf, bool v64)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode) {
		/* A pipe or the console: report a FIFO or character device. */
		struct inode fake;
		memset(&fake, 0, sizeof fake);
		fake.mode = f->ops->getdents ? S_IFDIR : (f->flags & O_ACCMODE) == O_RDWR ? S_IFCHR | 0620 : S_IFIFO | 0600;
		fake.nlink = 1;
		return fill_stat(&fake, ubuf, v64);
	}
	return fill_stat(f->inode, ubuf, v64);
}

long sys_stat(const char *p, void *b) { return stat_path(p, b, false); }
long sys_stat64(const char *p, void *b) { return stat_path(p, b, true); }
long sys_fstat(int fd, void *b) { return stat_fd(fd, b, false); }
long sys_fstat64(int fd, void *b) { return stat_fd(fd, b, true); }

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

/* Resolve the parent of a user path for a create/remove operation. */
static int parent_of(const char *upath, struct inode **dir, const char **name, size_t *len,
		     char *path, char *buf)
{
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	if ((r = vfs_lookup_parent(path, dir, name, len, buf)) < 0)
		return r;
	if (*len == 0) {
		inode_put(*dir);
		return -EBUSY;                /* the root itself */
	}
	return 0;
}

long sys_mkdir(const char *upath, int mode)
{
	char path[PATH_MAX], buf[PATH_MAX];
	struct inode *dir;
	const char *name;
	size_t len;
	int r = parent_of(upath, &dir, &name, &len, path, buf);
	if (r < 0)
		return r == -EBUSY ? -EEXIST : r;
	r = dir->ops->mkdir ? dir->ops->mkdir(dir, name, len, mode) : -EROFS;
	inode_put(dir);
	return r;
}

long sys_rmdir(const char *upath)
{
	char path[PATH_MAX], buf[PATH_MAX];
	struct inode *dir;
	const char *name;
	size_t len;
	int r = parent_of(upath, &dir, &name, &len, path, buf);
	if (r < 0)
		return r;
	if (last_is_dot(path))                 /* rmdir("d/.") must not remove d */
		r = last_is_dot(path) == 1 ? -EINVAL : -ENOTEMPTY;
	else
		r = dir->ops->rmdir ? dir->ops->rmdir(dir, name, len) : -EROFS;
	inode_put(dir);
	return r;
}

long sys_unlink(const char *upath)
{
	char path[PATH_MAX], buf[PATH_MAX];
	struct inode *dir;
	const char *name;
	size_t len;
	int r = parent_of(upath, &dir, &name, &len, path, buf);
	if (r < 0)
		return r == -EBUSY ? -EISDIR : r;
	r = dir->ops->unlink ? dir->ops->unlink(dir, name, len) : -EROFS;
	inode_put(dir);
	return r;
}

long sys_rename(const char *uold, const char *unew)
{
	char opath[PATH_MAX], obuf[PATH_MAX], npath[PATH_MAX], nbuf[PATH_MAX];
	struct inode *odir, *ndir;
	const char *oname, *nname;
	size_t olen, nlen;
	int r = parent_of(uold, &odir, &oname, &olen, opath, obuf);
	if (r < 0)
		return r;
	if ((r = parent_of(unew, &ndir, &nname, &nlen, npath, nbuf)) < 0) {
		inode_put(odir);
		return r;
	}
	if (last_is_dot(opath) || last_is_dot(npath))
		r = -EBUSY;                          /* Linux: "." and ".." cannot be renamed */
	else if (odir->fs != ndir->fs)
		r = -EXDEV;
	else if (!odir->ops->rename)
		r = -EROFS;
	else
		r = odir->ops->rename(odir, oname, olen, ndir, nname, nlen);
	inode_put(odir);
	inode_put(ndir);
	return r;
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
	if (!f->inode->ops->truncate)
		return -EROFS;
	return locked_truncate(f->inode, length);
}

long sys_truncate(const char *upath, long length)
{
	char path[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	struct inode *ino;
	if ((r = vfs_lookup(path, &ino)) < 0)
		return r;
	if (S_ISDIR(ino->mode))
		r = -EISDIR;
	else if (length < 0)
		r = -EINVAL;
	else if (!ino->ops->truncate)
		r = -EROFS;
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

long sys_access(const char *upath, int mode)
{
	char path[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	struct inode *ino;
	if ((r = vfs_lookup(path, &ino)) < 0)
		return r;
	inode_put(ino);
	return 0;                        /* everyone is root */
}
