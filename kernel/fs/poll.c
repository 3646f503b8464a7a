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
#include "proc/signal.h"
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

/* Rounded up to whole ticks: a wait is never shorter than asked. */
uint64_t poll_deadline_us(int64_t us)
{
	if (us <= 0)
		return 0;
	return ticks + ((uint64_t)us * timer_hz + USEC_PER_SEC - 1) / USEC_PER_SEC;
}

int64_t poll_left_us(uint64_t deadline)
{
	uint64_t now = ticks;
	return deadline > now ? (int64_t)(deadline - now) * USEC_PER_SEC / timer_hz : 0;
}

/* The one place a wait asks whether it must end early: a signal to
 * handle, or a fatal one (proc/signal.c). */
static bool poll_interrupted(void)
{
	return signal_pending(current);
}

/* The scan and the sleep run with interrupts off, so a wake-up from an
 * interrupt cannot come between a scan that found nothing and the sleep. */
long poll_wait(long (*scan)(void *arg), void *arg, bool only_look, uint64_t deadline)
{
	long r;
	uint32_t f = irq_save();
	for (;;) {
		r = scan(arg);
		if (r || only_look || (deadline && ticks >= deadline))
			break;
		if (poll_interrupted()) {
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
	return r;
}

/* One poll call's array, for poll_wait's scan. */
struct poll_list {
	struct pollfd *p;
	uint32_t n;
};

static long poll_scan(void *arg)
{
	struct poll_list *l = arg;
	struct pollfd *p = l->p;
	uint32_t n = l->n;
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
	struct poll_list list = { p, nfds };
	r = poll_wait(poll_scan, &list, timeout_ms == 0, poll_deadline_us(timeout_ms * 1000LL));
	if (r >= 0 && nfds && put_user_arg(ufds, p, nfds * sizeof *p) < 0)
		r = -EFAULT;
out:
	if (p != small)
		kfree(p);
	return r;
}
