/*
 * vfs.h - the filesystem switch.  Paths are resolved one component at a
 * time through each directory inode's lookup operation, starting at the
 * root filesystem's root inode.  A filesystem (ext2 on the virtio disk,
 * or the cpio initial ramdisk) supplies inodes with operations.  File
 * data of disk filesystems lives in the page cache (mm/pagecache.c), which
 * sees a file only as the address space in its inode (inode->data), and
 * asks the filesystem only where the file's blocks are (its bmap).
 */
#ifndef ZC32_VFS_H
#define ZC32_VFS_H
#include "types.h"
#include "list.h"
#include "mutex.h"
#include "fs/file.h"
#include "mm/pagecache.h"

#include "uapi/stat.h"          /* S_IF*: file types in inode->mode */

#define NAME_MAX 255

/* getdents' user buffer, filled one entry at a time by a directory's
 * getdents operation in the layout the caller asked for. */
struct dirent_sink {
	void *ubuf;
	size_t size, used;
	bool v64;                  /* struct linux_dirent64, else linux_dirent */
};
/* 0, or -EINVAL if the entry does not fit (stop there), or -EFAULT. */
int dirent_emit(struct dirent_sink *s, uint32_t ino, uint64_t next_off,
		const char *name, size_t len, uint8_t dt_type);

struct inode;

struct inode_ops {
	/* Directories.  name is len bytes, not terminated. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, size_t len, uint32_t mode);
	int (*symlink)(struct inode *dir, const char *name, size_t len, const char *target, size_t tlen);
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len);
	int (*rename)(struct inode *odir, const char *oname, size_t olen,
		      struct inode *ndir, const char *nname, size_t nlen);
	int (*truncate)(struct inode *ino, uint32_t size);
	int (*write_inode)(struct inode *ino);
	/* Read file data into a kernel buffer (exec). */
	ssize_t (*read_kernel)(struct inode *ino, void *kbuf, uint32_t off, size_t n);
	/* Open: fill in f->ops for this kind of inode. */
	int (*open)(struct inode *ino, struct file *f);
	void (*release)(struct inode *ino);     /* last reference dropped */
	/* A symbolic link's target, at most n bytes, not terminated: its length. */
	ssize_t (*readlink)(struct inode *ino, char *kbuf, size_t n);
};

struct inode {
	uint32_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t atime, mtime, ctime;
	uint32_t blocks;               /* 512-byte units, as stat reports */
	uint32_t dev;
	int refs;
	const struct inode_ops *ops;
	struct address_space data;     /* the size, and for disk files the page cache's view */
	struct mutex wlock;            /* one writer or truncate at a time: a write
	                                  may sleep, and O_APPEND must stay atomic */
	void *fs;                      /* the filesystem instance */
	void *priv;
};

void   vfs_set_root(struct inode *root);
int    vfs_lookup(const char *path, struct inode **out);     /* path is a kernel string */
int    vfs_lookup_nofollow(const char *path, struct inode **out);   /* a last link itself */
int    vfs_lookup_parent(const char *path, struct inode **dir, const char **name, size_t *len,
			 char *buf);
void   inode_init(struct inode *ino);
void   inode_get(struct inode *ino);
void   inode_put(struct inode *ino);
/* For a filesystem's address_space_ops: the page cache holds the inode. */
#define MAPPING_INODE(m) container_of(m, struct inode, data)
void   inode_mapping_get(struct address_space *m);
void   inode_mapping_put(struct address_space *m);
int    vfs_open_inode(struct inode *ino, int flags, struct file **out);   /* open(2)'s file */
int    vfs_normalise(const char *path, char *out);   /* absolute, no ".", ".." or "//" */
ssize_t vfs_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n);
int    path_from_user(const char *upath, char *kpath);        /* kpath: PATH_MAX bytes */
/* The *at() calls' path: upath relative to directory fd dirfd (or AT_FDCWD).
 * 0, or 1 if upath is empty and flags has AT_EMPTY_PATH (dirfd itself). */
int    vfs_path_at(int dirfd, const char *upath, int flags, char *kpath);
int    vfs_dir_path_of_fd(int fd, const char **path);   /* -EBADF, -ENOTDIR */
int    vfs_lookup_at(int dirfd, const char *upath, int flags, struct inode **out);
int    vfs_remember_dir_path(struct file *f, const char *path);   /* for *at() and fchdir */
uint32_t vfs_now(void);

/* Regular-file operations shared by disk filesystems (fs/file_ops.c). */
extern const struct file_ops generic_file_ops;
void generic_file_close(struct file *f);
int  vfs_sync(void);                        /* 0 or -EIO: pages, metadata, disk flush */
/* What the root filesystem does for the whole machine, on fs (main.c
 * registers ext2's): write everything back, finish at power-off, statfs. */
struct statfs;
struct root_fs_ops {
	int  (*sync)(void *fs);
	void (*shutdown)(void *fs);
	void (*statfs)(void *fs, struct statfs *st);
};
void vfs_set_root_ops(const struct root_fs_ops *ops, void *fs);
void vfs_shutdown(void);                    /* power-off: finish deletions, sync */

void   vfs_mount(const char *path, struct inode *root);  /* path: absolute, normalised */

/* initrd.c */
int initrd_mount(void *data, uint32_t size);

#endif
