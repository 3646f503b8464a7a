/*
 * vfs.h - the filesystem switch.  Paths are resolved one component at a
 * time through each directory inode's lookup operation, starting at the
 * root filesystem's root inode.  A filesystem (the cpio initial ramdisk
 * today, ext2 on the virtio disk later) supplies inodes with operations.
 */
#ifndef ZC32_VFS_H
#define ZC32_VFS_H
#include "types.h"
#include "fs/file.h"

#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFREG  0100000
#define S_IFLNK  0120000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

struct inode;

struct inode_ops {
	/* Find name (len bytes, not terminated) in directory dir. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* Read file data into a kernel buffer (used by exec). */
	ssize_t (*read_kernel)(struct inode *ino, void *kbuf, uint32_t off, size_t n);
	/* Open: fill in f->ops for this kind of inode. */
	int (*open)(struct inode *ino, struct file *f);
	void (*release)(struct inode *ino);     /* last reference dropped */
};

struct inode {
	uint32_t ino;
	uint32_t mode;
	uint32_t size;
	uint32_t nlink;
	uint32_t mtime;
	int refs;
	const struct inode_ops *ops;
	void *priv;
};

void   vfs_set_root(struct inode *root);
int    vfs_lookup(const char *path, struct inode **out);     /* path is a kernel string */
void   inode_get(struct inode *ino);
void   inode_put(struct inode *ino);
int    vfs_open_kernel(const char *path, struct file **out);
ssize_t vfs_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n);
int    path_from_user(const char *upath, char *kpath);        /* kpath: PATH_MAX bytes */

long sys_open(const char *path, int flags, int mode);
long sys_chdir(const char *path);
long sys_getcwd(char *buf, size_t size);
long sys_lseek(int fd, long off, int whence);

/* initrd.c */
int initrd_mount(void *data, uint32_t size);

#endif
