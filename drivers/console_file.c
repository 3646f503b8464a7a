/*
 * console_file.c - the console as an open file (fds 0, 1 and 2 of init,
 * which kmain opens and proc_start_init hands over).  Reads and ioctls go
 * to the line discipline (tty.c): one line of cooked input, or raw bytes;
 * writes go to the screen.  Both pass through a small
 * kernel buffer with the counted user-copy routines; sendfile writes a
 * page-cache page out directly.
 */
#include "kernel.h"
#include "console.h"
#include "tty.h"
#include "fs/file.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "ledger/ledger.h"
#include "fs/poll.h"

static ssize_t console_file_read(struct file *f, char *ubuf, size_t n)
{
	char kbuf[256];
	int got = tty_read(kbuf, MIN(n, sizeof kbuf), f->flags & O_NONBLOCK);
	if (got <= 0)
		return got;
	if (copy_to_user(ubuf, kbuf, got) < 0)
		return -EFAULT;
	return got;
}

static ssize_t console_file_write(struct file *f, const char *ubuf, size_t n)
{
	char kbuf[256];
	size_t done = 0;
	int r = tty_write_check();
	if (r < 0)
		return r;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof kbuf);
		if (copy_from_user(kbuf, ubuf + done, chunk) < 0)
			return done ? (ssize_t)done : -EFAULT;
		console_write_user(kbuf, chunk);
		done += chunk;
	}
	return done;
}

/* sendfile to the console: the page's bytes straight to the screen. */
static ssize_t console_send_page(struct file *f, struct page *pg, uint32_t off, uint32_t len,
				 int flags)
{
	if (!pg)
		return 0;
	console_write_user((const char *)P2V(page_to_pa(pg)) + off, len);
	ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, len, "pagecache->console");
	return len;
}

static int console_file_poll(struct file *f)
{
	return (tty_readable() ? POLLIN : 0) | POLLOUT;
}

static long console_file_ioctl(struct file *f, uint32_t cmd, uint32_t arg)
{
	return tty_ioctl(cmd, arg);
}

static const struct file_ops console_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.poll = console_file_poll,
	.send_page = console_send_page,
	.ioctl = console_file_ioctl,
};

struct file *console_file_open(void)
{
	struct file *f = file_alloc(&console_ops, O_RDWR);
	if (f)
		f->wq = &console_wq;
	return f;
}
