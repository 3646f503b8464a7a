/*
 * poll.c - poll(2): wait until one of several files is ready, and the
 * wait queues that tell waiters a file's state changed.
 *
 * sys_poll asks each file's ops->poll for its state (sockets, pipes, the
 * console; regular files are always ready).  If none is ready it sleeps
 * on one channel shared by all pollers; whatever changes a file's state
 * calls poll_wake() on the file's wait queue, which runs the callbacks
 * there (epoll's, fs/epoll.c) and wakes the pollers, and poll_tick (every
 * timer tick) wakes pollers whose timeout has come.  The scan and the
 * sleep run with interrupts off, so an event from an interrupt cannot
 * slip in between them.  Each scan costs one ->poll per descriptor: the
 * ledger counts them (wait_fds), the figure docs/waiting.md compares.
 */
#include "kernel.h"
#include "x86.h"
#include "timer.h"
#include "fs/file.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "ledger/ledger.h"
#include "fs/poll.h"

#define POLL_MAX NOFILE             /* Linux: RLIMIT_NOFILE, else EINVAL */

static int poll_chan;               /* the channel all pollers sleep on */
static int poll_sleepers;
static uint64_t poll_wake_at;       /* earliest timeout among them, 0 = none */

void waitq_init(struct wait_queue *wq)
{
	list_init(&wq->entries);
}

void waitq_add(struct wait_queue *wq, struct wait_entry *w)
{
	uint32_t f = irq_save();
	list_push_back(&wq->entries, &w->link);
	irq_restore(f);
}

void waitq_remove(struct wait_entry *w)
{
	uint32_t f = irq_save();
	list_remove(&w->link);
	irq_restore(f);
}

void poll_wakeup(void)
{
	if (poll_sleepers)
		wakeup(&poll_chan);
}

/* A callback may remove its own entry (epoll ONESHOT does not, but a
 * nested wake might), so step to the next entry before calling it. */
void poll_wake(struct wait_queue *wq, int events)
{
	uint32_t f = irq_save();
	for (struct list *it = wq->entries.next, *next; it != &wq->entries; it = next) {
		next = it->next;
		struct wait_entry *w = list_entry(it, struct wait_entry, link);
		w->func(w, events);
	}
	poll_wakeup();
	irq_restore(f);
}

void poll_tick(void)
{
	if (poll_sleepers && poll_wake_at && ticks >= poll_wake_at) {
		poll_wake_at = 0;
		wakeup(&poll_chan);
	}
}

int poll_file(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
}

uint64_t poll_deadline_ms(int timeout_ms)
{
	if (timeout_ms <= 0)
		return 0;
	return ticks + ((uint64_t)timeout_ms * timer_hz + 999) / 1000;
}

/* The one place a wait asks whether it must end early.  Today only a
 * fatal signal (SIGKILL, or the kernel's) ends it; with signal handlers
 * this becomes signal_pending(current). */
int poll_interrupted(void)
{
	return current->killed ? -EINTR : 0;
}

void poll_sleep(uint64_t deadline)
{
	if (deadline && (!poll_wake_at || deadline < poll_wake_at))
		poll_wake_at = deadline;
	poll_sleepers++;
	sleep_on(&poll_chan);
	poll_sleepers--;
}

static int poll_scan(struct pollfd *p, uint32_t n)
{
	int ready = 0;
	uint32_t examined = 0;
	for (uint32_t i = 0; i < n; i++) {
		p[i].revents = 0;
		if (p[i].fd < 0)
			continue;
		struct file *f = fd_get(p[i].fd);
		int mask = f ? poll_file(f) : POLLNVAL;
		examined++;
		p[i].revents = mask & (p[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (p[i].revents)
			ready++;
	}
	ledger_wait(ZC_WAIT_POLL, 0, examined);
	return ready;
}

long sys_poll(void *ufds, uint32_t nfds, int timeout_ms)
{
	if (nfds > POLL_MAX)
		return -EINVAL;
	ledger_wait(ZC_WAIT_POLL, 1, 0);
	struct pollfd small[16], *p = small;
	if (nfds > ARRAY_SIZE(small) && !(p = kmalloc(nfds * sizeof *p)))
		return -ENOMEM;
	long r = 0;
	if (nfds && get_user_arg(p, ufds, nfds * sizeof *p) < 0) {
		r = -EFAULT;
		goto out;
	}
	uint64_t deadline = poll_deadline_ms(timeout_ms);
	uint32_t f = irq_save();
	for (;;) {
		r = poll_scan(p, nfds);
		if (r || timeout_ms == 0 || (deadline && ticks >= deadline))
			break;
		if ((r = poll_interrupted()) < 0)
			break;
		poll_sleep(deadline);
	}
	irq_restore(f);
	if (r >= 0 && nfds && put_user_arg(ufds, p, nfds * sizeof *p) < 0)
		r = -EFAULT;
out:
	if (p != small)
		kfree(p);
	return r;
}
