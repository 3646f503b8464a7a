/*
 * sendfile.c - sendfile(2): a file's bytes to a socket (or to another
 * file) without passing through user memory.
 *
 * The source is a regular file of a disk filesystem: its bytes live in
 * the page cache.  For each page, pagecache_get finds it (reading it and
 * the next ones from the disk on a miss, with readahead, as read() does)
 * and the destination's send_page operation takes it:
 *
 *   sys_sendfile / sys_sendfile64 -> do_sendfile -> send_pages
 *     -> pagecache_get_major -> out->ops->send_page
 *        socket:  sock_send_page -> tcp_send_page
 *                   gather: sb_append_page (a reference, the page pinned)
 *                   copy:   sb_copy_kernel ("pagecache->sockbuf")
 *                 -> tcp_output -> tcp_xmit -> sb_fill -> ... -> NIC DMA
 *        file:    file_send_page -> pagecache_write ("pagecache->pagecache")
 *        pipe, console: pipe_send_page, console_send_page (one copy each)
 *
 * The file system never names the socket layer: a socket is a file whose
 * ops have send_page, as in Linux's sendpage/splice.  How a socket takes
 * a page is a switch: gather (the default; no CPU copy of payload, the
 * NIC reads the page cache) or copy (one kernel->kernel copy), set by
 * the kernel command line (sendfile=copy|gather) or at run time with
 * zc_sendfile_mode (uapi/zc32.h), so a demo can show both in one boot.
 */
#include "kernel.h"
#include "mmu.h"
#include "cmdline.h"
#include "fs/vfs.h"
#include "mm/pagecache.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "proc/signal.h"
#include "syscalls.h"

#define MAX_NON_LFS  0x7fffffffLL    /* sendfile (187): offsets must fit an off_t */
#define MAX_LFS      0x7fffffffffffffffLL   /* sendfile64: any offset (past the end: 0) */
#define PUSH_PAGES   16              /* push to the wire at least every 64 KiB */

static int sendfile_mode = ZC_SENDFILE_GATHER;

void sendfile_init(void)
{
	const char *m = cmdline_get("sendfile", "gather");
	sendfile_mode = strcmp(m, "copy") == 0 ? ZC_SENDFILE_COPY : ZC_SENDFILE_GATHER;
	printk("sendfile: %s\n", sendfile_mode == ZC_SENDFILE_COPY ? "copy" : "gather");
}

/* zc_sendfile_mode(mode): -1 asks; returns the mode in force before. */
long sys_zc_sendfile_mode(int mode)
{
	int old = sendfile_mode;
	if (mode != -1 && mode != ZC_SENDFILE_COPY && mode != ZC_SENDFILE_GATHER)
		return -EINVAL;
	if (mode != -1)
		sendfile_mode = mode;
	return old;
}

/* Hand count bytes of in's file from *pos on to out, page by page, and
 * advance *pos.  Stops early when out takes fewer bytes (a full
 * non-blocking socket), on an error, at the end of the file, or when a
 * signal arrives.  Returns bytes sent, or -errno if none were. */
static long send_pages(struct file *out, struct address_space *mapping, int64_t *pos, size_t count)
{
	int flags = sendfile_mode == ZC_SENDFILE_COPY ? SEND_PAGE_COPY : 0;
	size_t done = 0;
	long err = 0;
	bool held = false;                   /* pages queued with SEND_PAGE_MORE, not pushed */
	while (done < count && *pos < mapping->size && !signal_pending(current)) {
		uint32_t at = *pos;                  /* below the size: 32 bits */
		uint32_t index = at / PAGE_SIZE, off = at % PAGE_SIZE;
		uint32_t len = MIN(MIN(count - done, PAGE_SIZE - off), mapping->size - at);
		bool major;
		int e;
		struct page *pg = pagecache_get_major(mapping, index, &major, &e);
		if (!pg) {
			err = e;
			break;
		}
		/* Batch pages into full segments and one doorbell, but not
		 * so many that the wire idles while we gather them. */
		bool more = done + len < count && at + len < mapping->size && (index + 1) % PUSH_PAGES;
		long r = out->ops->send_page(out, pg, off, len, flags | (more ? SEND_PAGE_MORE : 0));
		page_put(page_to_pa(pg));
		if (r <= 0) {
			err = r;
			break;
		}
		held = more;
		done += r;
		*pos += r;
		if ((uint32_t)r < len)
			break;
	}
	/* Stopped early (a read error, a signal) after pages that were told
	 * more would follow: push them out now, or they would wait. */
	if (held)
		out->ops->send_page(out, NULL, 0, 0, 0);
	if (!done && !err && signal_pending(current))
		err = -ERESTARTSYS;                  /* EINTR, or restarted with SA_RESTART */
	return done ? (long)done : err;
}

/*
 * The checks, in Linux's order (fs/read_write.c do_sendfile): in_fd
 * open and readable (EBADF), the offset not negative (EINVAL), out_fd
 * open and writable (EBADF), the offset below max (EOVERFLOW), in_fd a
 * regular file with a page cache, out_fd able to take pages and not
 * O_APPEND (EINVAL).  pos NULL: use and advance in's file position.
 */
static long do_sendfile(int out_fd, int in_fd, int64_t *pos, size_t count, int64_t max)
{
	struct file *in = fd_get(in_fd), *out;
	if (!in || (in->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	int64_t p = pos ? *pos : (int64_t)in->pos;
	if (p < 0 || (ssize_t)count < 0)
		return -EINVAL;
	count = MIN(count, MAX_RW_COUNT);
	out = fd_get(out_fd);
	if (!out || (out->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (p >= max)
		return -EOVERFLOW;
	count = MIN((int64_t)count, max - p);
	struct inode *ino = in->inode;
	if (!ino || !S_ISREG(ino->mode) || !ino->data.ops)
		return -EINVAL;
	if (!out->ops->send_page || (out->flags & O_APPEND))
		return -EINVAL;
	long r = send_pages(out, &ino->data, &p, count);
	if (pos)
		*pos = p;
	else
		in->pos = p;
	return r;
}

/* A user offset of width bytes: an off_t (4, sendfile 187) or a loff_t
 * (8, sendfile64 239), read before and written back after.  x86 is
 * little-endian, so an off_t is the low half of pos. */
static long sendfile_at(int out_fd, int in_fd, void *uoff, uint32_t width, size_t count)
{
	bool lfs = width == sizeof(int64_t);
	if (!uoff)
		return do_sendfile(out_fd, in_fd, NULL, count, MAX_LFS);
	int64_t pos = 0;
	if (get_user_arg(&pos, uoff, width) < 0)
		return -EFAULT;
	if (!lfs)
		pos = (int32_t)pos;                  /* an off_t is signed */
	long r = do_sendfile(out_fd, in_fd, &pos, count, lfs ? MAX_LFS : MAX_NON_LFS);
	if (put_user_arg(uoff, &pos, width) < 0)
		return -EFAULT;
	return r;
}

long sys_sendfile(int out_fd, int in_fd, int32_t *uoff, size_t count)
{
	return sendfile_at(out_fd, in_fd, uoff, sizeof *uoff, count);
}

long sys_sendfile64(int out_fd, int in_fd, int64_t *uoff, size_t count)
{
	return sendfile_at(out_fd, in_fd, uoff, sizeof *uoff, count);
}
