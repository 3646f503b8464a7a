/*
 * poll.h - waiting for files to become ready: poll(2) (kernel/fs/poll.c),
 * select(2) (kernel/fs/select.c) and epoll (kernel/fs/epoll.c).
 *
 * Anything that can make a file readable or writable (socket data, a
 * pipe write, a console line) calls poll_wake() on the file's wait queue
 * (struct file's wq) with the events that may have happened.  That runs
 * the callbacks queued there (an epoll instance's, which puts the file on
 * its ready list) and wakes sleeping pollers, who look at every file again.
 */
#ifndef ZC32_POLL_H
#define ZC32_POLL_H
#include "types.h"
#include "list.h"

#include "uapi/poll.h"

struct file;

/* One callback on a wait queue.  events: POLL* bits that may now hold. */
struct wait_entry {
	struct list link;
	void (*func)(struct wait_entry *w, int events);
};

struct wait_queue {
	struct list entries;
};

void waitq_init(struct wait_queue *wq);
void waitq_add(struct wait_queue *wq, struct wait_entry *w);
void waitq_remove(struct wait_entry *w);
void poll_wake(struct wait_queue *wq, int events);   /* interrupts may be on or off */

void poll_wakeup(void);                    /* only the pollers (no wait queue) */
void poll_tick(void);

/* Shared by poll, select and epoll_wait. */
int  poll_file(struct file *f);            /* the file's POLL* state now */
uint64_t poll_deadline_us(int64_t us);     /* the tick a timeout ends at; 0 = none (us <= 0) */
int64_t  poll_left_us(uint64_t deadline);  /* microseconds until it, 0 if past */
/* Call scan(arg) until it returns non-zero (ready count or -errno),
 * sleeping between calls until a poll_wake; only_look: scan once;
 * deadline: the tick to give up at (0 = never).  -EINTR on a signal. */
long poll_wait(long (*scan)(void *arg), void *arg, bool only_look, uint64_t deadline);

#endif
