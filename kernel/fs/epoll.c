/*
 * epoll.c - epoll: wait for many files at a cost that follows the ready
 * ones, not the watched ones (epoll_create 254, epoll_create1 329,
 * epoll_ctl 255, epoll_wait 256, epoll_pwait 319).
 *
 * An epoll instance is a file whose priv is a struct eventpoll.  Each
 * watched file gets an epitem, which epoll_ctl(ADD) hangs on the file's
 * wait queue (fs/poll.h).  When the file's state changes, whoever changed
 * it calls poll_wake(), which runs ep_callback: the item goes on the
 * instance's ready list.  epoll_wait then looks only at the ready list:
 * one ->poll per ready item, not per watched file.  Idle files cost
 * nothing until they tell of an event.
 *
 * How an item leaves the ready list decides the triggering mode:
 *   level-triggered (default): reported, then put back at the tail; the
 *       next epoll_wait asks its file again and drops it once it is no
 *       longer ready.
 *   EPOLLET: reported once; only a new wake-up puts it back.
 *   EPOLLONESHOT: reported once, then disabled until EPOLL_CTL_MOD.
 * Items watch a struct file, as Linux's do: the watch ends when the last
 * reference to the open file goes (file_put calls epoll_file_gone), not
 * when one descriptor of it is closed.
 *
 * Callbacks run from interrupts (a packet, a console line), so every
 * change to an instance's lists happens with interrupts off.
 */
#include "kernel.h"
#include "x86.h"
#include "fs/file.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "ledger/ledger.h"
#include "syscalls.h"
#include "uapi/epoll.h"
#include "fs/poll.h"
#include "proc/signal.h"
#include "fs/epoll.h"

#define EP_MAX_NESTS 4                      /* Linux: epoll in epoll, this deep */
#define EP_MAX_EVENTS (0x7fffffff / sizeof(struct epoll_event))
#define EP_ALWAYS (EPOLLERR | EPOLLHUP)     /* reported whether asked for or not */

struct eventpoll {
	struct list items;          /* every epitem: epoll_ctl looks them up here */
	struct list ready;          /* epitems whose file told of an event */
	int nitems;
	struct wait_queue wq;       /* the epoll file's own: an epoll in an epoll, or poll */
};

struct epitem {
	struct list ep_link;        /* eventpoll.items */
	struct list ready_link;     /* eventpoll.ready, while on_ready */
	struct list file_link;      /* file.watches */
	struct wait_entry wait;     /* on the file's wait queue */
	struct eventpoll *ep;
	struct file *file;
	int fd;
	uint32_t events;            /* EPOLLIN ... | EPOLLET | EPOLLONESHOT, and EP_ALWAYS */
	uint64_t data;              /* handed back with each event */
	bool on_ready;
	bool disabled;              /* EPOLLONESHOT, after its report */
};

static const struct file_ops epoll_ops;

static bool is_epoll(struct file *f)
{
	return f->ops == &epoll_ops;
}

/* ---- the ready list ---------------------------------------------------- */

/* Interrupts off.  Also tells anyone waiting on the epoll file itself. */
static void ep_make_ready(struct epitem *it)
{
	if (it->on_ready)
		return;
	list_push_back(&it->ep->ready, &it->ready_link);
	it->on_ready = true;
	poll_wake(&it->ep->wq, POLLIN);
}

static void ep_unready(struct epitem *it)
{
	list_remove(&it->ready_link);
	it->on_ready = false;
}

/* The file's wait queue calls this: events are what may have happened. */
static void ep_callback(struct wait_entry *w, int events)
{
	/* LAB epoll: BEGIN */
	struct epitem *it = container_of(w, struct epitem, wait);
	if (!it->disabled && (events & it->events))
		ep_make_ready(it);
	/* LAB epoll: STUB
	// Nothing is put on the ready list: ep_collect asks every item.
	   LAB epoll: END */
}

/* What the item's file reports now, of what the item asks for. */
static uint32_t ep_item_events(struct epitem *it)
{
	return (uint32_t)poll_file(it->file) & it->events & ~(EPOLLET | EPOLLONESHOT);
}

/* One epoll_wait call's buffer, for poll_wait's scan. */
struct ep_call {
	struct eventpoll *ep;
	struct epoll_event *out;
	int max;
};

/*
 * epoll_wait's pass (interrupts off): take items off the ready list and
 * report those whose file is still ready, at most max.  Each costs one
 * ->poll, counted in the ledger.  Level-triggered items go back on the
 * tail, behind the pass, so the next call asks their file again.
 */
static long ep_collect(void *arg)
{
	struct ep_call *c = arg;
	struct eventpoll *ep = c->ep;
	struct list again = LIST_INIT(again);
	int n = 0;
	uint32_t examined = 0;
	/* LAB epoll: BEGIN */
	while (n < c->max && !list_empty(&ep->ready)) {
		struct epitem *it = list_entry(ep->ready.next, struct epitem, ready_link);
		ep_unready(it);
		examined++;
		uint32_t revents = it->disabled ? 0 : ep_item_events(it);
		if (!revents)
			continue;           /* told, but no longer ready: wait for the next wake */
		c->out[n].events = revents;
		c->out[n].data = it->data;
		n++;
		if (it->events & EPOLLONESHOT) {
			it->disabled = true;
		} else if (!(it->events & EPOLLET)) {
			list_push_back(&again, &it->ready_link);
			it->on_ready = true;
		}
	}
	while (!list_empty(&again)) {
		struct list *l = again.next;
		list_remove(l);
		list_push_back(&ep->ready, l);
	}
	/* LAB epoll: STUB
	// The naive way, poll's: ask every watched file, every time.
	(void)again;
	list_for_each(l, &ep->items) {
		struct epitem *it = list_entry(l, struct epitem, ep_link);
		if (n == c->max)
			break;
		examined++;
		uint32_t revents = it->disabled ? 0 : ep_item_events(it);
		if (!revents)
			continue;
		c->out[n].events = revents;
		c->out[n].data = it->data;
		n++;
		if (it->events & EPOLLONESHOT)
			it->disabled = true;
	}
	   LAB epoll: END */
	ledger_wait(ZC_WAIT_EPOLL, 0, examined);
	return n;
}

/* ---- items ------------------------------------------------------------- */

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	list_for_each(l, &ep->items) {
		struct epitem *it = list_entry(l, struct epitem, ep_link);
		if (it->file == f && it->fd == fd)
			return it;
	}
	return NULL;
}

static void ep_remove(struct epitem *it)
{
	uint32_t fl = irq_save();
	waitq_remove(&it->wait);
	if (it->on_ready)
		ep_unready(it);
	list_remove(&it->ep_link);
	list_remove(&it->file_link);
	it->ep->nitems--;
	irq_restore(fl);
	kfree(it);
}

/* Set what an item asks for; if its file is ready now, it is ready now
 * (how EPOLL_CTL_MOD re-arms a ONESHOT item that fired meanwhile). */
static void ep_set_events(struct epitem *it, const struct epoll_event *ev)
{
	uint32_t fl = irq_save();
	it->events = ev->events | EP_ALWAYS;
	it->data = ev->data;
	it->disabled = false;
	if (ep_item_events(it))
		ep_make_ready(it);
	irq_restore(fl);
}

static int ep_insert(struct eventpoll *ep, struct file *f, int fd, const struct epoll_event *ev)
{
	struct epitem *it = kzalloc(sizeof *it);
	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->file = f;
	it->fd = fd;
	it->wait.func = ep_callback;
	list_init(&it->ready_link);
	uint32_t fl = irq_save();
	list_push_back(&ep->items, &it->ep_link);
	list_push_back(&f->watches, &it->file_link);
	ep->nitems++;
	waitq_add(f->wq, &it->wait);
	ep_set_events(it, ev);
	irq_restore(fl);
	return 0;
}

/* Would watching target from ep close a loop, or nest too deep? */
static bool ep_loops(struct eventpoll *ep, struct eventpoll *target, int depth)
{
	if (target == ep || depth >= EP_MAX_NESTS)
		return true;
	list_for_each(l, &target->items) {
		struct epitem *it = list_entry(l, struct epitem, ep_link);
		if (is_epoll(it->file) && ep_loops(ep, it->file->priv, depth + 1))
			return true;
	}
	return false;
}

void epoll_file_gone(struct file *f)
{
	while (!list_empty(&f->watches))
		ep_remove(list_entry(f->watches.next, struct epitem, file_link));
}

/* ---- the epoll file ---------------------------------------------------- */

/* Readable when an item on the ready list is ready (poll, or an epoll
 * watching this one). */
static int ep_file_poll(struct file *f)
{
	struct eventpoll *ep = f->priv;
	int mask = 0;
	uint32_t fl = irq_save();
	list_for_each(l, &ep->ready) {
		struct epitem *it = list_entry(l, struct epitem, ready_link);
		if (!it->disabled && ep_item_events(it)) {
			mask = POLLIN;
			break;
		}
	}
	irq_restore(fl);
	return mask;
}

static void ep_file_close(struct file *f)
{
	struct eventpoll *ep = f->priv;
	while (!list_empty(&ep->items))
		ep_remove(list_entry(ep->items.next, struct epitem, ep_link));
	kfree(ep);
}

static const struct file_ops epoll_ops = {
	.close = ep_file_close,
	.poll = ep_file_poll,
};

/* ---- the system calls -------------------------------------------------- */

long sys_epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	struct eventpoll *ep = kzalloc(sizeof *ep);
	struct file *f = ep ? file_alloc(&epoll_ops, O_RDWR) : NULL;
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	list_init(&ep->items);
	list_init(&ep->ready);
	waitq_init(&ep->wq);
	f->priv = ep;
	f->wq = &ep->wq;
	return fd_install(f, flags & EPOLL_CLOEXEC);
}

long sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;             /* ignored since Linux 2.6.8, but must be positive */
	return sys_epoll_create1(0);
}

/* The checks in Linux's order (do_epoll_ctl), so errors match. */
static long ep_ctl_check(struct file *epf, struct file *tf, int op, const struct epoll_event *ev)
{
	if (!epf || !tf)
		return -EBADF;
	if (!tf->wq)
		return -EPERM;              /* a file that never changes: a regular file */
	if (epf == tf || !is_epoll(epf))
		return -EINVAL;
	if (ev && (ev->events & EPOLLEXCLUSIVE) &&
	    (op == EPOLL_CTL_MOD || is_epoll(tf) || (ev->events & EPOLLONESHOT)))
		return -EINVAL;
	if (op == EPOLL_CTL_ADD && is_epoll(tf) && ep_loops(epf->priv, tf->priv, 0))
		return -ELOOP;
	return 0;
}

long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event *uev)
{
	struct epoll_event ev;
	bool has_event = op != EPOLL_CTL_DEL;
	if (has_event && get_user_arg(&ev, uev, sizeof ev) < 0)
		return -EFAULT;
	struct file *epf = fd_get(epfd), *tf = fd_get(fd);
	long r = ep_ctl_check(epf, tf, op, has_event ? &ev : NULL);
	if (r < 0)
		return r;
	struct eventpoll *ep = epf->priv;
	struct epitem *it = ep_find(ep, tf, fd);
	if ((op == EPOLL_CTL_DEL || op == EPOLL_CTL_MOD) && !it)
		return -ENOENT;
	switch (op) {
	case EPOLL_CTL_ADD:
		return it ? -EEXIST : ep_insert(ep, tf, fd, &ev);
	case EPOLL_CTL_DEL:
		ep_remove(it);
		return 0;
	case EPOLL_CTL_MOD:
		ep_set_events(it, &ev);
		return 0;
	}
	return -EINVAL;
}

long sys_epoll_wait(int epfd, struct epoll_event *uevents, int maxevents, int timeout_ms)
{
	if (maxevents <= 0 || (uint32_t)maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(uevents, maxevents * sizeof *uevents))
		return -EFAULT;
	struct file *epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	if (!is_epoll(epf))
		return -EINVAL;
	ledger_wait(ZC_WAIT_EPOLL, 1, 0);
	struct eventpoll *ep = epf->priv;
	/* No more events than items: the kernel buffer stays small. */
	int max = MIN(maxevents, MAX(ep->nitems, 1));
	struct epoll_event *buf = kmalloc(max * sizeof *buf);
	if (!buf)
		return -ENOMEM;
	/* It sleeps on the pollers' channel, which ep_make_ready's poll_wake wakes. */
	struct ep_call call = { ep, buf, max };
	long n = poll_wait(ep_collect, &call, timeout_ms == 0, poll_deadline_us(timeout_ms * 1000LL));
	if (n > 0 && put_user_arg(uevents, buf, n * sizeof *buf) < 0)
		n = -EFAULT;
	kfree(buf);
	return n;
}

/* epoll_pwait: epoll_wait with a signal mask held during the wait
 * (proc/signal.c puts the old one back on the way out). */
long sys_epoll_pwait(int epfd, struct epoll_event *uevents, int maxevents, int timeout_ms,
		     const void *usigmask, uint32_t sigsetsize)
{
	long e = usigmask ? signal_mask_during_call(usigmask, sigsetsize) : 0;
	if (e < 0)
		return e;
	return sys_epoll_wait(epfd, uevents, maxevents, timeout_ms);
}
