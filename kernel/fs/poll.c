/*
 * poll.c - poll(2): wait until one of several files is ready.
 *
 * sys_poll asks each file's ops->poll for its state (sockets, pipes, the
 * console; regular files are always ready).  If none is ready it sleeps
 * on one channel shared by all pollers; whatever changes a file's state
 * calls poll_wakeup(), and poll_tick (every timer tick) wakes pollers
 * whose timeout has come.  The scan and the sleep run with interrupts
 * off, so an event from an interrupt cannot slip in between them.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "fs/file.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "fs/poll.h"

#define POLL_MAX 256

static int poll_chan;               /* the channel all pollers sleep on */
static int poll_sleepers;
static uint64_t poll_wake_at;       /* earliest timeout among them, 0 = none */

void poll_wakeup(void)
{
	if (poll_sleepers)
		wakeup(&poll_chan);
}

void poll_tick(void)
{
	if (poll_sleepers && poll_wake_at && ticks >= poll_wake_at) {
		poll_wake_at = 0;
		wakeup(&poll_chan);
	}
}

static int poll_scan(struct pollfd *p, uint32_t n)
{
	int ready = 0;
	for (uint32_t i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		struct file *f = fd_get(p[i].fd);
		int mask = !f ? POLLNVAL : f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
		p[i].revents = mask & (p[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (p[i].revents)
			ready++;
	}
	return ready;
}

long sys_poll(void *ufds, uint32_t nfds, int timeout_ms)
{
	if (nfds > POLL_MAX)
		return -EINVAL;
	struct pollfd small[16], *p = small;
	if (nfds > ARRAY_SIZE(small) && !(p = kmalloc(nfds * sizeof *p)))
		return -ENOMEM;
	long r = 0;
	if (nfds && get_user_arg(p, ufds, nfds * sizeof *p) < 0) {
		r = -EFAULT;
		goto out;
	}
	uint64_t deadline = 0;
	if (timeout_ms > 0)
		deadline = ticks + ((uint64_t)timeout_ms * timer_hz + 999) / 1000;
	uint32_t f = irq_save();
	for (;;) {
		r = poll_scan(p, nfds);
		if (r || timeout_ms == 0 || (deadline && ticks >= deadline))
			break;
		if (signal_pending(current)) {
			r = -ERESTARTNOHAND;      /* EINTR after a handler (Linux) */
			break;
		}
		if (deadline && (!poll_wake_at || deadline < poll_wake_at))
			poll_wake_at = deadline;
		poll_sleepers++;
		sleep_on(&poll_chan);
		poll_sleepers--;
	}
	irq_restore(f);
	if (r >= 0 && nfds && put_user_arg(ufds, p, nfds * sizeof *p) < 0)
		r = -EFAULT;
out:
	if (p != small)
		kfree(p);
	return r;
}
