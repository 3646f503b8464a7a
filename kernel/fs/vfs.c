/*
 * vfs.c - path lookup and the path-based system calls (open, chdir,
 * getcwd, lseek).  A process's working directory is kept as a
 * normalised absolute path string; relative paths are joined to it.
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"

static struct inode *root;

void vfs_set_root(struct inode *r) { root = r; }

void inode_get(struct inode *ino) { ino->refs++; }

void inode_put(struct inode *ino)
{
	if (ino && --ino->refs == 0 && ino->ops->release)
		ino->ops->release(ino);
}

int path_from_user(const char *upath, char *kpath)
{
	int r = strncpy_from_user(kpath, upath, PATH_MAX);
	if (r < 0)
		return r;
	if (r == 0)
		return -ENOENT;
	return 0;
}

/* Join path to the working directory and remove ".", ".." and "//". */
static int normalise(const char *path, char *out)
{
	char tmp[PATH_MAX * 2];
	if (path[0] == '/')
		strlcpy(tmp, path, sizeof tmp);
	else
		snprintf(tmp, sizeof tmp, "%s/%s", current ? current->cwd : "/", path);
	int o = 0;
	out[o++] = '/';
	for (const char *p = tmp; *p;) {
		while (*p == '/')
			p++;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		size_t len = p - s;
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		if (o + len >= PATH_MAX)
			return -ENAMETOOLONG;
		memcpy(out + o, s, len);
		o += len;
	}
	out[o] = 0;
	return 0;
}

int vfs_lookup(const char *path, struct inode **out)
{
	char norm[PATH_MAX];
	int r = normalise(path, norm);
	if (r < 0)
		return r;
	if (!root)
		return -ENOENT;
	struct inode *ino = root;
	inode_get(ino);
	for (const char *p = norm; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *s = p;
		while (*p && *p != '/')
			p++;
		if (!S_ISDIR(ino->mode)) {
			inode_put(ino);
			return -ENOTDIR;
		}
		struct inode *next;
		r = ino->ops->lookup(ino, s, p - s, &next);
		inode_put(ino);
		if (r < 0)
			return r;
		ino = next;
	}
	*out = ino;
	return 0;
}

ssize_t vfs_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n)
{
	if (!ino->ops->read_kernel)
		return -EINVAL;
	return ino->ops->read_kernel(ino, kbuf, off, n);
}

static int open_inode(struct inode *ino, int flags, struct file **out)
{
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (S_ISDIR(ino->mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	struct file *f = file_alloc(NULL, flags);
	if (!f)
		return -ENFILE;
	f->inode = ino;
	int r = ino->ops->open ? ino->ops->open(ino, f) : -EINVAL;
	if (r < 0) {
		kfree(f);
		return r;
	}
	inode_get(ino);
	*out = f;
	return 0;
}

int vfs_open_kernel(const char *path, struct file **out)
{
	struct inode *ino;
	int r = vfs_lookup(path, &ino);
	if (r < 0)
		return r;
	r = open_inode(ino, O_RDONLY, out);
	inode_put(ino);
	return r;
}

long sys_open(const char *upath, int flags, int mode)
{
	char path[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	struct inode *ino;
	r = vfs_lookup(path, &ino);
	if (r < 0)
		return r;
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		inode_put(ino);
		return -EEXIST;
	}
	struct file *f;
	r = open_inode(ino, flags, &f);
	inode_put(ino);
	if (r < 0)
		return r;
	int fd = fd_install(f);
	if (fd < 0) {
		file_put(f);
		return fd;
	}
	if (flags & O_CLOEXEC)
		current->cloexec |= 1u << fd;
	return fd;
}

long sys_chdir(const char *upath)
{
	char path[PATH_MAX], norm[PATH_MAX];
	int r = path_from_user(upath, path);
	if (r < 0)
		return r;
	if ((r = normalise(path, norm)) < 0)
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

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

long sys_lseek(int fd, long off, int whence)
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
	case SEEK_END: base = f->inode->size; break;
	default: return -EINVAL;
	}
	int64_t pos = base + off;
	if (pos < 0)
		return -EINVAL;
	if (pos > 0x7fffffff)
		return -EOVERFLOW;
	f->pos = pos;
	return (long)pos;
}
