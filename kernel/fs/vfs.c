/*
 * vfs.c - path lookup.  A process's working directory is kept as a
 * normalised absolute path string; a relative path is joined to it, "."
 * and ".." are resolved textually, and the result is walked from the root
 * inode one component at a time through each directory's lookup.  A
 * symbolic link on the way is replaced by its target, in the text, and
 * the walk starts over.
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/pagecache.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "timer.h"
#include "uapi/statfs.h"

static struct inode *root;
static const struct root_fs_ops *root_ops;   /* NULL: the root has none (an initrd) */
static void *root_fs;

void vfs_set_root(struct inode *r) { root = r; }

/* Filesystems mounted on directories of the root (/proc, /dev): walk()
 * switches to a mount's root inode when the path so far is its path.  The
 * directory under it need not exist (zc32's images have empty ones, so
 * that `ls /` shows them). */
#define MAX_MOUNTS 4
static struct { const char *path; struct inode *root; } mounts[MAX_MOUNTS];

void vfs_mount(const char *path, struct inode *r)
{
	for (int i = 0; i < MAX_MOUNTS; i++) {
		if (!mounts[i].root) {
			mounts[i].path = path;
			mounts[i].root = r;
			return;
		}
	}
	panic("vfs: more than %d mounts", MAX_MOUNTS);
}

/* The root of what is mounted at [norm, end), or NULL. */
static struct inode *mounted_at(const char *norm, const char *end)
{
	for (int i = 0; i < MAX_MOUNTS && mounts[i].root; i++)
		if ((size_t)(end - norm) == strlen(mounts[i].path) &&
		    memcmp(norm, mounts[i].path, end - norm) == 0)
			return mounts[i].root;
	return NULL;
}

void vfs_set_root_ops(const struct root_fs_ops *ops, void *fs)
{
	root_ops = ops;
	root_fs = fs;
}

/* statfs(2) (99): zc32 mounts one filesystem, so every path that exists
 * answers with the root's counts; an initrd root has none (-ENOSYS). */
long sys_statfs(const char *upath, struct statfs *ubuf)
{
	struct inode *ino;
	struct statfs st;
	int r = vfs_lookup_at(AT_FDCWD, upath, 0, &ino);
	if (r < 0)
		return r;
	inode_put(ino);
	if (!root_ops)
		return -ENOSYS;
	memset(&st, 0, sizeof st);
	root_ops->statfs(root_fs, &st);
	return put_user_arg(ubuf, &st, sizeof st);
}

/* The machine is going down and no process will use a file again: let the
 * root filesystem finish what open files kept waiting (ext2 deletes files
 * that were unlinked while still open), then sync. */
void vfs_shutdown(void)
{
	if (root_ops)
		root_ops->shutdown(root_fs);
	int r = vfs_sync();
	if (r < 0)
		printk("vfs: sync at power-off failed: error %d; the disk may have lost data\n", r);
}

/* Write every dirty page and all metadata to the disk and flush the
 * disk's write cache.  0, or the first error (-EIO): the caller (fsync)
 * must hear that the data may not be on stable storage.  Both steps run
 * even if the first fails, so as much as possible reaches the disk. */
int vfs_sync(void)
{
	int r = pagecache_sync_all();
	if (root_ops) {
		int r2 = root_ops->sync(root_fs);
		if (r == 0)
			r = r2;
	}
	return r;
}

uint32_t vfs_now(void)
{
	return boot_epoch + time_ns() / 1000000000ull;
}

void inode_init(struct inode *ino)
{
	ino->refs = 1;
	list_init(&ino->data.pages);
}

void inode_get(struct inode *ino) { ino->refs++; }
void inode_mapping_get(struct address_space *m) { inode_get(MAPPING_INODE(m)); }
void inode_mapping_put(struct address_space *m) { inode_put(MAPPING_INODE(m)); }

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
	return r == 0 ? -ENOENT : 0;
}

/* The path of the directory open on fd: -EBADF if fd is not open,
 * -ENOTDIR if it is not a directory opened by path. */
int vfs_dir_path_of_fd(int fd, const char **path)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode) || !f->path)
		return -ENOTDIR;
	*path = f->path;
	return 0;
}

/* The one path rule of every *at() call (openat(2)): an absolute path
 * ignores dirfd; a relative one starts at dirfd's directory, or at the
 * working directory for AT_FDCWD (vfs_normalise adds that).  An empty
 * path is ENOENT, unless flags has AT_EMPTY_PATH: then it names dirfd
 * itself (1; with AT_FDCWD, "." and 0).  kpath: PATH_MAX bytes. */
int vfs_path_at(int dirfd, const char *upath, int flags, char *kpath)
{
	int len = strncpy_from_user(kpath, upath, PATH_MAX);
	if (len < 0)
		return len;
	if (len == 0 && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (len == 0 && dirfd == AT_FDCWD) {
		strlcpy(kpath, ".", PATH_MAX);
		return 0;
	}
	if (len == 0)
		return fd_get(dirfd) ? 1 : -EBADF;         /* any open file, not only a directory */
	if (kpath[0] == '/' || dirfd == AT_FDCWD)
		return 0;
	const char *base;
	int r = vfs_dir_path_of_fd(dirfd, &base);
	if (r < 0)
		return r;
	size_t blen = strlen(base);
	if (blen + 1 + len >= PATH_MAX)
		return -ENAMETOOLONG;
	memmove(kpath + blen + 1, kpath, len + 1);   /* "base/" + the relative path */
	memcpy(kpath, base, blen);
	kpath[blen] = '/';
	return 0;
}

/* The inode an *at() call names, a final symbolic link kept with
 * AT_SYMLINK_NOFOLLOW: 0 with *out held, 1 when AT_EMPTY_PATH names
 * dirfd's own file (no inode taken: the caller works on the fd), or -errno. */
int vfs_lookup_at(int dirfd, const char *upath, int flags, struct inode **out)
{
	char path[PATH_MAX];
	int r = vfs_path_at(dirfd, upath, flags, path);
	if (r != 0)
		return r;
	return flags & AT_SYMLINK_NOFOLLOW ? vfs_lookup_nofollow(path, out) : vfs_lookup(path, out);
}

/* A directory opened by path keeps that path, absolute and normalised,
 * so a relative *at() path can start there later (zc32 resolves paths
 * as text: a directory renamed while open keeps its old path). */
int vfs_remember_dir_path(struct file *f, const char *path)
{
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return 0;
	char *norm = kmalloc(PATH_MAX);
	if (!norm)
		return -ENOMEM;
	int r = vfs_normalise(path, norm);
	if (r < 0) {
		kfree(norm);
		return r;
	}
	f->path = norm;
	return 0;
}

/* Join path to the working directory and remove ".", ".." and "//". */
int vfs_normalise(const char *path, char *out)
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
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
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

#define SYMLINK_MAX_HOPS 8      /* links followed in one lookup, then ELOOP (Linux: 40) */

/* Rewrite path (a PATH_MAX buffer) so that the link found at
 * path[start, end) is replaced by its target: an absolute target
 * replaces everything before the link too.  The rest of the path follows
 * the target, and the result is normalised again. */
static int splice_link(char *path, size_t start, size_t end, struct inode *link)
{
	char *target = kmalloc(PATH_MAX), *joined = kmalloc(PATH_MAX * 2);
	int r = target && joined ? 0 : -ENOMEM;
	ssize_t n = r ? r : link->ops->readlink ? link->ops->readlink(link, target, PATH_MAX - 1) : -ENOENT;
	if (n < 0) {
		r = n;
	} else {
		target[n] = 0;
		size_t keep = target[0] == '/' ? 0 : start;   /* the directories before the link */
		memcpy(joined, path, keep);
		snprintf(joined + keep, PATH_MAX * 2 - keep, "/%s/%s", target, path + end);
		r = strlen(joined) >= PATH_MAX ? -ENAMETOOLONG : vfs_normalise(joined, path);
	}
	kfree(target);
	kfree(joined);
	return r;
}

#define WALK_AT_LINK 1

/* Walk a normalised path from the root; components end at '/' or NUL.
 * Stops with WALK_AT_LINK (*out the link, path[*start, *end) its name)
 * at a symbolic link in the middle of the path, or at its end if
 * follow_last. */
static int walk_until_link(const char *path, bool follow_last, struct inode **out,
			   size_t *start, size_t *end)
{
	if (!root)
		return -ENOENT;
	struct inode *ino = root;
	inode_get(ino);
	for (const char *p = path; *p;) {
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
		struct inode *next = mounted_at(path, p);
		int r = 0;
		if (next) {
			inode_get(next);
		} else {
			r = ino->ops->lookup(ino, s, p - s, &next);
		}
		inode_put(ino);
		if (r < 0)
			return r;
		ino = next;
		if (S_ISLNK(ino->mode) && (*p || follow_last)) {
			*out = ino;
			*start = s - path;
			*end = p - path;
			return WALK_AT_LINK;
		}
	}
	*out = ino;
	return 0;
}

/* Walk a normalised path, following symbolic links (the last component's
 * only if follow_last: lstat, readlink, O_NOFOLLOW do not).  zc32
 * resolves paths as text, so a link's target simply takes the place of
 * its name in the path, and ".." after it is the target's parent. */
static int walk(const char *norm, bool follow_last, struct inode **out)
{
	char path[PATH_MAX];
	strlcpy(path, norm, sizeof path);
	for (int hops = 0;; hops++) {
		size_t start, end;
		struct inode *link;
		int r = walk_until_link(path, follow_last, &link, &start, &end);
		if (r != WALK_AT_LINK) {
			if (r == 0)
				*out = link;
			return r;
		}
		r = hops == SYMLINK_MAX_HOPS ? -ELOOP : splice_link(path, start, end, link);
		inode_put(link);
		if (r < 0)
			return r;
	}
}

static int lookup(const char *path, bool follow_last, struct inode **out)
{
	char norm[PATH_MAX];
	int r = vfs_normalise(path, norm);
	return r < 0 ? r : walk(norm, follow_last, out);
}

int vfs_lookup(const char *path, struct inode **out) { return lookup(path, true, out); }
int vfs_lookup_nofollow(const char *path, struct inode **out) { return lookup(path, false, out); }

/* The directory that would hold path's last component, and that
 * component (pointing into buf, a PATH_MAX scratch buffer).  For "/" the
 * name is empty (len 0): the caller decides. */
int vfs_lookup_parent(const char *path, struct inode **dir, const char **name, size_t *len, char *buf)
{
	int r = vfs_normalise(path, buf);
	if (r < 0)
		return r;
	char *slash = buf;
	for (char *p = buf; *p; p++)
		if (*p == '/')
			slash = p;
	*name = slash + 1;
	*len = strlen(slash + 1);
	char saved = slash[1];
	slash[1] = 0;                    /* buf is now the parent's path */
	r = walk(buf, true, dir);
	slash[1] = saved;
	if (r == 0 && !S_ISDIR((*dir)->mode)) {
		inode_put(*dir);
		return -ENOTDIR;
	}
	return r;
}

ssize_t vfs_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n)
{
	if (!ino->ops->read_kernel)
		return -EINVAL;
	return ino->ops->read_kernel(ino, kbuf, off, n);
}

int vfs_open_inode(struct inode *ino, int flags, struct file **out)
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
