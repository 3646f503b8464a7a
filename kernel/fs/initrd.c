/*
 * initrd.c - the initial ramdisk: a cpio "newc" archive (the format of
 * Linux's initramfs, made with `cpio -o -H newc`) that the boot loader
 * loads as a multiboot module.  It is unpacked into a tree of read-only
 * in-memory inodes whose file data stays where the loader put it.
 * Reference: cpio(5), "New ASCII Format".
 */
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "uapi/dirent.h"

#define CPIO_HDR_LEN 110

struct rnode {
	struct inode inode;
	char name[60];
	const uint8_t *data;
	struct rnode *parent, *children, *next;
};

static const struct inode_ops rnode_ops;
static uint32_t next_ino = 1;

static struct rnode *rnode_new(const char *name, size_t len, uint32_t mode)
{
	struct rnode *n = kzalloc(sizeof *n);
	if (!n)
		return NULL;
	memcpy(n->name, name, MIN(len, sizeof n->name - 1));
	inode_init(&n->inode);         /* the tree holds this reference forever */
	n->inode.ino = next_ino++;
	n->inode.mode = mode;
	n->inode.nlink = 1;
	n->inode.dev = 0x0100;
	n->inode.ops = &rnode_ops;
	n->inode.priv = n;
	return n;
}

static struct rnode *child(struct rnode *dir, const char *name, size_t len)
{
	for (struct rnode *c = dir->children; c; c = c->next)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

static int rnode_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	struct rnode *d = dir->priv, *c;
	if (len == 1 && name[0] == '.')
		c = d;
	else if (len == 2 && name[0] == '.' && name[1] == '.')
		c = d->parent ? d->parent : d;
	else
		c = child(d, name, len);
	if (!c)
		return -ENOENT;
	inode_get(&c->inode);
	*out = &c->inode;
	return 0;
}

static ssize_t rnode_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n)
{
	struct rnode *r = ino->priv;
	if (off >= ino->data.size)
		return 0;
	n = MIN(n, ino->data.size - off);
	memcpy(kbuf, r->data + off, n);
	return n;
}

static ssize_t rfile_read(struct file *f, char *ubuf, size_t n)
{
	struct rnode *r = f->inode->priv;
	if (f->pos >= f->inode->data.size)
		return 0;
	n = MIN(n, f->inode->data.size - (uint32_t)f->pos);
	if (copy_to_user(ubuf, r->data + f->pos, n) < 0)
		return -EFAULT;
	f->pos += n;
	return n;
}

/* getdents on an initrd directory: f->pos counts entries. */
static int rdir_getdents(struct file *f, struct dirent_sink *out)
{
	struct rnode *d = f->inode->priv, *c = d->children;
	for (uint64_t i = 0; c && i < f->pos; i++)
		c = c->next;
	for (; c; c = c->next, f->pos++) {
		uint8_t type = S_ISDIR(c->inode.mode) ? DT_DIR : DT_REG;
		int r = dirent_emit(out, c->inode.ino, f->pos + 1, c->name, strlen(c->name), type);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct file_ops rfile_ops = { .read = rfile_read, .close = generic_file_close };
static const struct file_ops rdir_ops = { .close = generic_file_close, .getdents = rdir_getdents };

static int rnode_open(struct inode *ino, struct file *f)
{
	if ((f->flags & O_ACCMODE) != O_RDONLY || (f->flags & (O_TRUNC | O_CREAT)) == O_TRUNC)
		return -EROFS;
	f->ops = S_ISDIR(ino->mode) ? &rdir_ops : &rfile_ops;
	return 0;
}

static const struct inode_ops rnode_ops = {
	.lookup = rnode_lookup,
	.read_kernel = rnode_read_kernel,
	.open = rnode_open,
};

static uint32_t hex8(const char *s)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return 0xffffffff;
		v = v * 16 + d;
	}
	return v;
}

/* Add one archive entry at path (e.g. "bin/init"), making parent dirs. */
static int add_entry(struct rnode *root, const char *path, uint32_t mode,
		     const uint8_t *data, uint32_t size, uint32_t mtime)
{
	struct rnode *dir = root;
	while (*path) {
		const char *s = path;
		while (*path && *path != '/')
			path++;
		size_t len = path - s;
		while (*path == '/')
			path++;
		if (len == 0 || (len == 1 && *s == '.'))
			continue;
		struct rnode *c = child(dir, s, len);
		bool last = *path == 0;
		if (!c) {
			c = rnode_new(s, len, last ? mode : (S_IFDIR | 0755));
			if (!c)
				return -ENOMEM;
			c->parent = dir;
			c->next = dir->children;
			dir->children = c;
			dir->inode.nlink++;
		}
		if (last) {
			c->inode.mode = mode;
			c->data = data;
			c->inode.data.size = size;
			c->inode.mtime = mtime;
		} else if (!S_ISDIR(c->inode.mode)) {
			return -ENOTDIR;
		}
		dir = c;
	}
	return 0;
}

int initrd_mount(void *base, uint32_t size)
{
	const uint8_t *p = base, *end = p + size;
	struct rnode *root = rnode_new("/", 1, S_IFDIR | 0755);
	int files = 0;
	if (!root)
		return -ENOMEM;
	while (p + CPIO_HDR_LEN <= end) {
		const char *h = (const char *)p;
		if (memcmp(h, "070701", 6) != 0 && memcmp(h, "070702", 6) != 0) {
			printk("initrd: bad cpio magic at offset %u, ignoring the rest\n", (uint32_t)(p - (const uint8_t *)base));
			break;
		}
		uint32_t mode = hex8(h + 14), mtime = hex8(h + 46), fsize = hex8(h + 54), nsize = hex8(h + 94);
		const char *name = h + CPIO_HDR_LEN;
		const uint8_t *data = p + ALIGN_UP(CPIO_HDR_LEN + nsize, 4);
		if (nsize == 0 || nsize > 4096 || fsize == 0xffffffff || (const uint8_t *)name + nsize > end ||
		    data > end || fsize > (uint32_t)(end - data) || name[nsize - 1] != 0) {
			printk("initrd: malformed entry, ignoring the rest\n");
			break;
		}
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		if (S_ISDIR(mode) || S_ISREG(mode)) {
			if (add_entry(root, name, mode, data, fsize, mtime) < 0)
				printk("initrd: cannot add %s\n", name);
			else
				files++;
		}
		p = data + ALIGN_UP(fsize, 4);
	}
	vfs_set_root(&root->inode);
	printk("initrd: %u bytes, %d entries\n", size, files);
	return 0;
}
