/*
 * file_ops.c - read() and write() on regular files of a disk filesystem.
 * Both go through the page cache: read copies from cached pages to the
 * user ("pagecache->user" in the ledger, one CPU copy), write copies the
 * other way and leaves the pages dirty for writeback.  sendfile into a
 * regular file (file_send_page) writes the same way, from the source
 * file's page-cache page.
 */
#include "kernel.h"
#include "mmu.h"
#include "ledger/ledger.h"
#include "fs/vfs.h"
#include "fs/pagecache.h"
#include "net/poll.h"

static ssize_t file_read(struct file *f, char *ubuf, size_t n)
{
	if (f->pos > 0x7fffffff)
		return 0;
	ssize_t r = pagecache_read(f->inode, f->pos, ubuf, n, true);
	if (r > 0)
		f->pos += r;
	return r;
}

/* Write n bytes at the file's position (at its end with O_APPEND) from
 * user memory or, for sendfile, from the kernel. */
static ssize_t write_at_pos(struct file *f, const char *src, size_t n, bool from_user)
{
	/* Held across the sleeps of the write (reading a page, allocating
	 * blocks), so that two appenders never both write at the old end. */
	mutex_lock(&f->inode->wlock);
	if (f->flags & O_APPEND)
		f->pos = f->inode->size;
	ssize_t r = -EFBIG;
	if (f->pos <= 0x7fffffff)
		r = pagecache_write(f->inode, f->pos, src, n, from_user);
	if (r > 0)
		f->pos += r;
	mutex_unlock(&f->inode->wlock);
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
	int r = pagecache_writeback(f->inode);
	int r2 = vfs_sync();
	return r < 0 ? r : r2;
}

void generic_file_close(struct file *f)
{
	inode_put(f->inode);
}

/* A disk file never makes a reader or writer wait for another party. */
static int file_poll(struct file *f)
{
	return POLLIN | POLLOUT;
}

const struct file_ops generic_file_ops = {
	.read = file_read,
	.write = file_write,
	.close = generic_file_close,
	.fsync = file_fsync,
	.poll = file_poll,
	.send_page = file_send_page,
};

ssize_t generic_read_kernel(struct inode *ino, void *kbuf, uint32_t off, size_t n)
{
	return pagecache_read(ino, off, kbuf, n, false);
}
