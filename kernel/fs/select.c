/*
 * select.c - select(2) (_newselect, 142) and pselect6 (308): poll(2)'s
 * wait with the question asked as three bitmaps (readable, writable,
 * exceptional) over descriptors 0 .. nfds-1.
 *
 * Each pass walks every descriptor below nfds, asks each one that is in
 * a set for its state (fs/poll.c's poll_file), and sets its bit in the
 * answer; with nothing ready it sleeps like poll and walks them all
 * again.  The cost of a pass grows with nfds, ready or not: the ledger
 * counts the descriptors asked (wait_fds[ZC_WAIT_SELECT]), and
 * docs/waiting.md compares it with epoll's.
 */
#include "kernel.h"
#include "fs/file.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "ledger/ledger.h"
#include "syscalls.h"
#include "uapi/select.h"
#include "uapi/time.h"
#include "timer.h"          /* USEC_PER_SEC */
#include "fs/poll.h"
#include "proc/signal.h"

#define SET_WORDS (NOFILE / NFDBITS)
/* Which poll bits answer which set (Linux fs/select.c, POLLIN_SET ...). */
#define POLLIN_SET  (POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLOUT | POLLERR)
#define POLLEX_SET  POLLPRI
#define NSEC_PER_USEC 1000

/* The three sets of a call: what the caller asks, or the answer. */
struct fd_sets {
	uint32_t in[SET_WORDS], out[SET_WORDS], ex[SET_WORDS];
};

/* One call's question and answer, for poll_wait's scan. */
struct select_call {
	struct fd_sets want, got;
	int n;
};

/* The words that cover n descriptors, as Linux copies them. */
static size_t set_bytes(int n)
{
	return (n + NFDBITS - 1) / NFDBITS * sizeof(uint32_t);
}

static int get_set(uint32_t *k, const void *u, int n)
{
	memset(k, 0, SET_WORDS * sizeof *k);
	return u && n ? get_user_arg(k, u, set_bytes(n)) : 0;
}

static int put_set(void *u, const uint32_t *k, int n)
{
	return u && n ? put_user_arg(u, k, set_bytes(n)) : 0;
}

/* A descriptor in any set must be open (Linux's max_select_fd). */
static int check_open(const struct fd_sets *want, int n)
{
	for (int fd = 0; fd < n; fd++) {
		uint32_t bit = 1u << (fd % NFDBITS), w = fd / NFDBITS;
		if ((want->in[w] | want->out[w] | want->ex[w]) & bit && !fd_get(fd))
			return -EBADF;
	}
	return 0;
}

/* One pass: the answer in got, the number of bits set as the result. */
static long select_scan(void *arg)
{
	struct select_call *c = arg;
	const struct fd_sets *want = &c->want;
	struct fd_sets *got = &c->got;
	int n = c->n, ready = 0;
	uint32_t examined = 0;
	memset(got, 0, sizeof *got);
	for (int fd = 0; fd < n; fd++) {
		uint32_t bit = 1u << (fd % NFDBITS), w = fd / NFDBITS;
		if (!((want->in[w] | want->out[w] | want->ex[w]) & bit))
			continue;
		struct file *f = fd_get(fd);
		int mask = f ? poll_file(f) : 0;     /* closed since the check: never ready */
		examined++;
		if ((mask & POLLIN_SET) && (want->in[w] & bit)) {
			got->in[w] |= bit;
			ready++;
		}
		if ((mask & POLLOUT_SET) && (want->out[w] & bit)) {
			got->out[w] |= bit;
			ready++;
		}
		if ((mask & POLLEX_SET) && (want->ex[w] & bit)) {
			got->ex[w] |= bit;
			ready++;
		}
	}
	ledger_wait(ZC_WAIT_SELECT, 0, examined);
	return ready;
}

/*
 * The part select and pselect6 share.  timeout_us: < 0 waits for ever,
 * 0 only looks; *left gets the microseconds that were left.
 */
static long do_select(int n, void *uin, void *uout, void *uex, int64_t timeout_us, int64_t *left)
{
	if (n < 0)
		return -EINVAL;
	if (n > NOFILE)
		n = NOFILE;                    /* Linux: bits past the table are not looked at */
	ledger_wait(ZC_WAIT_SELECT, 1, 0);
	struct select_call c = { .n = n };
	if (get_set(c.want.in, uin, n) < 0 || get_set(c.want.out, uout, n) < 0 ||
	    get_set(c.want.ex, uex, n) < 0)
		return -EFAULT;
	long r = check_open(&c.want, n);
	if (r < 0)
		return r;
	uint64_t deadline = poll_deadline_us(timeout_us);
	r = poll_wait(select_scan, &c, timeout_us == 0, deadline);
	*left = poll_left_us(deadline);
	if (r < 0)
		return r;
	if (put_set(uin, c.got.in, n) < 0 || put_set(uout, c.got.out, n) < 0 ||
	    put_set(uex, c.got.ex, n) < 0)
		return -EFAULT;
	return r;
}

long sys_select(int n, void *uin, void *uout, void *uex, struct timeval *utv)
{
	struct timeval tv;
	int64_t us = -1, left;
	if (utv) {
		if (get_user_arg(&tv, utv, sizeof tv) < 0)
			return -EFAULT;
		/* Linux folds whole seconds of tv_usec in, then checks the sign. */
		int64_t sec = (int64_t)tv.tv_sec + tv.tv_usec / USEC_PER_SEC;
		long usec = tv.tv_usec % USEC_PER_SEC;
		if (sec < 0 || usec < 0)
			return -EINVAL;
		us = sec * USEC_PER_SEC + usec;
	}
	long r = do_select(n, uin, uout, uex, us, &left);
	if (utv && us > 0 && r != -EFAULT) {
		/* Linux writes back the time left; a failing write is ignored. */
		tv.tv_sec = left / USEC_PER_SEC;
		tv.tv_usec = left % USEC_PER_SEC;
		put_user_arg(utv, &tv, sizeof tv);
	}
	return r;
}

/* pselect6's sixth argument (Linux: struct sigset_argpack). */
struct sigset_arg {
	uint32_t mask;        /* user pointer to a sigset_t, or 0 */
	uint32_t size;        /* its size: 8 on i386 */
};

/*
 * pselect6: a timespec instead of a timeval, and a signal mask to hold
 * during the wait (proc/signal.c puts the old one back on the way out).
 */
long sys_pselect6(int n, void *uin, void *uout, void *uex, struct timespec *uts, void *usig)
{
	struct timespec ts;
	int64_t us = -1, left;
	if (uts) {
		if (get_user_arg(&ts, uts, sizeof ts) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= USEC_PER_SEC * NSEC_PER_USEC)
			return -EINVAL;
		us = (int64_t)ts.tv_sec * USEC_PER_SEC + (ts.tv_nsec + NSEC_PER_USEC - 1) / NSEC_PER_USEC;
	}
	if (usig) {
		struct sigset_arg sa;
		if (get_user_arg(&sa, usig, sizeof sa) < 0)
			return -EFAULT;
		long e = sa.mask ? signal_mask_during_call((const void *)sa.mask, sa.size) : 0;
		if (e < 0)
			return e;
	}
	long r = do_select(n, uin, uout, uex, us, &left);
	if (uts && us > 0 && r != -EFAULT) {
		ts.tv_sec = left / USEC_PER_SEC;
		ts.tv_nsec = left % USEC_PER_SEC * NSEC_PER_USEC;
		put_user_arg(uts, &ts, sizeof ts);
	}
	return r;
}
