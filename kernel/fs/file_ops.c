/*
 * file_ops.c - read(), write() and mmap() on regular files of a disk
 * filesystem.  All go through the page cache: read copies from cached
 * pages to the user ("pagecache->user" in the ledger, one CPU copy),
 * write copies the other way and leaves the pages dirty for writeback,
 * mmap maps the cached pages themselves (mm/mmap.c, mm/fault.c).
 * sendfile into a regular file (file_send_page) writes the same way, from
 * the source file's page-cache page.
 */
#include "kernel.h"
#include "mmu.h"
#include "syscalls.h"
#include "ledger/ledger.h"
#include "fs/vfs.h"
#include "mm/vm.h"
#include "mm/pagecache.h"
#include "mm/uaccess.h"

static ssize_t file_read(struct file *f, char *ubuf, size_t n)
{
	if (f->pos > 0x7fffffff)
		return 0;
	ssize_t r = pagecache_read(&f->inode->data, f->pos, ubuf, n, true);
	if (r > 0)
		f->pos += r;
	return r;
}

/* The page cache has written what it could of [pos, pos + n) and grown
 * the file's size; now the inode.  Cut short past the old end (a bad user
 * buffer, or a full disk after an indirect block), the write may have
 * allocated blocks past the new end: they are given back.  If it took
 * none (a writer killed while it waited for the filesystem), there is
 * nothing to give back, and no reason to wait for the filesystem again. */
static void file_written(struct inode *ino, uint32_t pos, size_t n, ssize_t r, uint32_t old_size,
			 uint32_t old_blocks)
{
	if (r < (ssize_t)n && pos + n > old_size && ino->blocks != old_blocks && ino->ops->truncate)
		ino->ops->truncate(ino, ino->data.size);
	if (r > 0) {
		ino->mtime = ino->ctime = vfs_now();
		ino->ops->write_inode(ino);
	}
}

/* Write n bytes at the file's position (at its end with O_APPEND) from
 * user memory or, for sendfile, from the kernel. */
static ssize_t write_at_pos(struct file *f, const char *src, size_t n, bool from_user)
{
	struct inode *ino = f->inode;
	/* Held across the sleeps of the write (reading a page, allocating
	 * blocks), so that two appenders never both write at the old end. */
	mutex_lock(&ino->wlock);
	if (f->flags & O_APPEND)
		f->pos = ino->data.size;
	ssize_t r = -EFBIG;                    /* past zc32's 31-bit file offsets */
	if (f->pos + n <= 0x7fffffff) {
		uint32_t old_size = ino->data.size, old_blocks = ino->blocks;
		r = pagecache_write(&ino->data, f->pos, src, n, from_user);
		file_written(ino, f->pos, n, r, old_size, old_blocks);
	}
	if (r > 0)
		f->pos += r;
	mutex_unlock(&ino->wlock);
	return r;
}

static ssize_t file_write(struct file *f, const char *ubuf, size_t n)
{
	return write_at_pos(f, ubuf, n, true);
}

/* sendfile from one file into this one: the ordinary write path, its
 * source the other file's page-cache page (one counted CPU copy,
 * "pagecache->pagecache"; a page is never shared by two files). */
static ssize_t file_send_page(struct file *f, struct page *pg, uint32_t off, uint32_t len,
			      int flags)
{
	if (!pg)
		return 0;                        /* a push: nothing is held back here */
	const char *src = (const char *)P2V(page_to_pa(pg)) + off;
	ssize_t r = write_at_pos(f, src, len, false);
	if (r > 0)
		ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, r, "pagecache->pagecache");
	return r;
}

/* The file's pages, then everything else (its inode, the bitmaps,
 * directories: simple and safe) and the disk's cache flush.  Either
 * failing means the data may not survive a power cut: report it. */
static int file_fsync(struct file *f)
{
	int r = pagecache_writeback(&f->inode->data);
	int r2 = vfs_sync();
	return r < 0 ? r : r2;
}

void generic_file_close(struct file *f)
{
	inode_put(f->inode);
}

const struct file_ops generic_file_ops = {
	.read = file_read,
	.write = file_write,
	.close = generic_file_close,
	.fsync = file_fsync,            /* no .poll: always ready (poll_file) */
	.send_page = file_send_page,
};

/* mmap2(2).  A file mapping maps the file's page-cache pages (mm/mmap.c
 * makes the area, mm/fault.c maps the pages on first touch); here, the
 * descriptor must name a cached regular file opened for the access. */
long sys_mmap2(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, int fd, uint32_t pgoff)
{
	struct address_space *mapping = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		if (!f->inode || !S_ISREG(f->inode->mode) || !f->inode->data.ops)
			return -ENODEV;
		if ((f->flags & O_ACCMODE) == O_WRONLY)
			return -EACCES;
		if ((flags & MAP_SHARED) && (prot & PROT_WRITE) && (f->flags & O_ACCMODE) != O_RDWR)
			return -EACCES;
		mapping = &f->inode->data;
	}
	return vm_mmap(addr, len, prot, flags, mapping, pgoff);
}

/* Old-style mmap (90): one pointer to six arguments. */
long sys_old_mmap(uint32_t *uargs)
{
	uint32_t a[6];
	if (get_user_arg(a, uargs, sizeof a) < 0)
		return -EFAULT;
	if (a[5] & (PAGE_SIZE - 1))
		return -EINVAL;
	return sys_mmap2(a[0], a[1], a[2], a[3], a[4], a[5] >> PAGE_SHIFT);
}
