/*
 * pipe.c - pipes: a one-page ring buffer between a writing and a reading
 * file.  Both ends copy through the counted user-copy primitives, so a
 * pipe's data shows in the ledger as two CPU copies (user -> kernel ->
 * user); sendfile into a pipe copies from the page cache instead.  Readers sleep while it is empty, writers while it is full.
 */
#include "kernel.h"
#include "x86.h"
#include "fs/file.h"
#include "mmu.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "ledger/ledger.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "fs/poll.h"

#define PIPE_SIZE 4096

struct pipe {
	char buf[PIPE_SIZE];
	uint32_t nread, nwritten;      /* running totals; count = nwritten - nread */
	int readers, writers;
	struct wait_queue wq;          /* both ends' (fs/poll.h) */
};

static ssize_t pipe_read(struct file *f, char *ubuf, size_t n)
{
	struct pipe *p = f->priv;
	uint32_t fl = irq_save();
	while (p->nread == p->nwritten && p->writers > 0) {
		if ((f->flags & O_NONBLOCK) || signal_pending(current)) {
			irq_restore(fl);
			return (f->flags & O_NONBLOCK) ? -EAGAIN : -ERESTARTSYS;
		}
		sleep_on(&p->nread);
	}
	irq_restore(fl);
	size_t avail = p->nwritten - p->nread, done = 0;
	n = MIN(n, avail);
	while (done < n) {
		uint32_t off = p->nread % PIPE_SIZE;
		size_t chunk = MIN(n - done, PIPE_SIZE - off);
		if (copy_to_user(ubuf + done, p->buf + off, chunk) < 0)
			return done ? (ssize_t)done : -EFAULT;
		p->nread += chunk;
		done += chunk;
	}
	wakeup(&p->nwritten);
	poll_wake(&p->wq, POLLOUT);
	return done;
}

/* Copy n bytes in, from user memory (write) or from a page-cache page
 * (sendfile, one counted kernel->kernel copy "pagecache->pipe"). */
static ssize_t pipe_write_from(struct file *f, const char *src, size_t n, bool from_user)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	while (done < n) {
		uint32_t fl = irq_save();
		while (p->nwritten - p->nread == PIPE_SIZE && p->readers > 0 && !signal_pending(current)) {
			if (f->flags & O_NONBLOCK) {         /* full: take what fitted */
				irq_restore(fl);
				return done ? (ssize_t)done : -EAGAIN;
			}
			wakeup(&p->nread);
			sleep_on(&p->nwritten);
		}
		irq_restore(fl);
		if (p->readers == 0) {
			signal_send(current, SIGPIPE, SI_USER, current->pid);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (signal_pending(current))
			return done ? (ssize_t)done : -ERESTARTSYS;
		uint32_t off = p->nwritten % PIPE_SIZE;
		size_t space = PIPE_SIZE - (p->nwritten - p->nread);
		size_t chunk = MIN(MIN(n - done, space), PIPE_SIZE - off);
		if (!from_user) {
			memcpy(p->buf + off, src + done, chunk);
			ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, chunk, "pagecache->pipe");
		} else if (copy_from_user(p->buf + off, src + done, chunk) < 0) {
			return done ? (ssize_t)done : -EFAULT;
		}
		p->nwritten += chunk;
		done += chunk;
		wakeup(&p->nread);
		poll_wake(&p->wq, POLLIN);
	}
	return done;
}

static ssize_t pipe_write(struct file *f, const char *ubuf, size_t n)
{
	return pipe_write_from(f, ubuf, n, true);
}

/* sendfile into a pipe (fs/sendfile.c). */
static ssize_t pipe_send_page(struct file *f, struct page *pg, uint32_t off, uint32_t len,
			      int flags)
{
	return pg ? pipe_write_from(f, (const char *)P2V(page_to_pa(pg)) + off, len, false) : 0;
}

static void pipe_close(struct file *f)
{
	struct pipe *p = f->priv;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	wakeup(&p->nread);
	wakeup(&p->nwritten);
	poll_wake(&p->wq, POLLIN | POLLOUT | POLLERR | POLLHUP);
	if (p->readers == 0 && p->writers == 0)
		kfree(p);
}

/* Readable with data or no writers left; writable with room, or with
 * no readers left (write then fails with EPIPE). */
static int pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	uint32_t count = p->nwritten - p->nread;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return (count ? POLLIN : 0) | (p->writers == 0 ? POLLHUP : 0);
	return (count < PIPE_SIZE ? POLLOUT : 0) | (p->readers == 0 ? POLLERR : 0);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.close = pipe_close,
	.poll = pipe_poll,
	.send_page = pipe_send_page,
};

int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = kzalloc(sizeof *p);
	if (!p)
		return -ENOMEM;
	*rd = file_alloc(&pipe_ops, O_RDONLY);
	*wr = file_alloc(&pipe_ops, O_WRONLY);
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		kfree(p);
		return -ENFILE;
	}
	(*rd)->priv = (*wr)->priv = p;
	waitq_init(&p->wq);
	(*rd)->wq = (*wr)->wq = &p->wq;
	p->readers = p->writers = 1;
	return 0;
}
