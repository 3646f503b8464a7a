/*
 * devfs.c - /dev with the two devices every Unix program expects:
 * /dev/null (reads end at once, writes vanish) and /dev/zero (reads give
 * zeros).  Linux's are character devices 1:3 and 1:5 (drivers/char/mem.c);
 * here they are two inodes of a tiny filesystem mounted on /dev like
 * /proc (vfs_mount), so no device numbers need to live on the disk.
 * busybox's sh opens /dev/null for the input of every background job.
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "fs/devfs.h"
#include "mm/uaccess.h"
#include "uapi/dirent.h"

enum { DEV_ROOT_INO = 1, DEV_NULL_INO = 3, DEV_ZERO_INO = 5 };   /* Linux's minors, for show */

static int devfs_sb;                    /* inode->fs: another filesystem than the root's */
static struct inode dev_root, dev_null, dev_zero;
static const struct { const char *name; struct inode *ino; } devices[] = {
	{ "null", &dev_null }, { "zero", &dev_zero },
};

static ssize_t null_read(struct file *f, char *ubuf, size_t n)
{
	return 0;
}

static ssize_t null_write(struct file *f, const char *ubuf, size_t n)
{
	return n;                           /* as Linux: the bytes are never read */
}

static ssize_t zero_read(struct file *f, char *ubuf, size_t n)
{
	static const char zeros[512];
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof zeros);
		if (copy_to_user_as(ubuf + done, zeros, chunk, "zero->user") < 0)
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
	}
	return done;
}

static int devfs_getdents(struct file *f, struct dirent_sink *out)
{
	for (; f->pos < ARRAY_SIZE(devices); f->pos++) {
		const char *name = devices[f->pos].name;
		int r = dirent_emit(out, devices[f->pos].ino->ino, f->pos + 1, name, strlen(name), DT_CHR);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct file_ops null_ops = { .read = null_read, .write = null_write, .close = generic_file_close };
static const struct file_ops zero_ops = { .read = zero_read, .write = null_write, .close = generic_file_close };
static const struct file_ops dir_ops = { .close = generic_file_close, .getdents = devfs_getdents };

static int devfs_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
		if (strlen(devices[i].name) == len && memcmp(devices[i].name, name, len) == 0) {
			inode_get(devices[i].ino);
			*out = devices[i].ino;
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_open(struct inode *ino, struct file *f)
{
	f->ops = ino == &dev_root ? &dir_ops : ino == &dev_null ? &null_ops : &zero_ops;
	return 0;
}

static const struct inode_ops devfs_ops = { .lookup = devfs_lookup, .open = devfs_open };

static void devfs_inode(struct inode *ino, uint32_t nr, uint32_t mode)
{
	inode_init(ino);                    /* this file holds the reference forever */
	ino->ino = nr;
	ino->mode = mode;
	ino->nlink = S_ISDIR(mode) ? 2 : 1;
	ino->dev = DEVFS_DEV;
	ino->ops = &devfs_ops;
	ino->fs = &devfs_sb;
}

void devfs_init(void)
{
	devfs_inode(&dev_root, DEV_ROOT_INO, S_IFDIR | 0755);
	devfs_inode(&dev_null, DEV_NULL_INO, S_IFCHR | 0666);
	devfs_inode(&dev_zero, DEV_ZERO_INO, S_IFCHR | 0666);
	vfs_mount(DEVFS_MOUNT, &dev_root);
}
