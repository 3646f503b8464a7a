/*
 * waittest - select, poll and epoll in the guest, with Linux's results
 * and errors (docs/waiting.md).  tools/test/test_wait.py runs it.
 *
 *   select: readable/writable sets, timeouts zero, NULL and elapsing (with
 *           the time left written back), EBADF for a closed descriptor in
 *           a set, EINVAL for nfds < 0 or a negative timeout, EFAULT;
 *           pselect6's timespec.
 *   epoll:  create/create1 flags, every epoll_ctl error (EEXIST, ENOENT,
 *           EBADF, EINVAL for itself and non-epoll, EPERM for a regular
 *           file, ELOOP, EFAULT), level- vs edge-triggered on a pipe,
 *           EPOLLONESHOT re-armed with MOD, EPOLLHUP, a watch that ends
 *           with the last reference to the file, a blocking wait woken by
 *           another process, an epoll watched by poll, a TCP connection.
 *   ledger: the descriptors each call examined (wait_fds): all of them for
 *           select and poll, only the ready one for epoll.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <time.h>
#include <poll.h>
#include <select.h>
#include <epoll.h>
#include <socket.h>
#include <signal.h>
#include <zc.h>
#include <ztest.h>

#define IDLE_PIPES 20

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- select ---- */

static void test_select(void)
{
	int p[2], q[2];
	fd_set rd, wr;
	struct timeval tv;
	long long t0;

	pipe(p);
	pipe(q);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	check_err("select.empty.timeout_zero", usys_select(p[0] + 1, &rd, NULL, NULL, &tv), 0);
	check_eq("select.empty.set_cleared", FD_ISSET(p[0], &rd), 0);

	write(p[1], "x", 1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_SET(q[0], &rd);
	check_err("select.readable.null_timeout", usys_select(q[0] + 1, &rd, NULL, NULL, NULL), 1);
	CHECK("select.readable.bits", FD_ISSET(p[0], &rd) && !FD_ISSET(q[0], &rd));

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(p[0], &rd);
	FD_SET(q[1], &wr);
	check_err("select.read_and_write.counts_bits", usys_select(q[1] + 1, &rd, &wr, NULL, NULL), 2);

	FD_ZERO(&rd);
	FD_SET(q[0], &rd);
	tv.tv_sec = 0;
	tv.tv_usec = 60000;
	t0 = now_ms();
	check_err("select.timeout.elapses", usys_select(q[0] + 1, &rd, NULL, NULL, &tv), 0);
	CHECK("select.timeout.waited", now_ms() - t0 >= 40);
	CHECK("select.timeout.time_left_written", tv.tv_sec == 0 && tv.tv_usec == 0);

	tv.tv_sec = 5;
	tv.tv_usec = 0;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	check_err("select.ready.with_timeout", usys_select(p[0] + 1, &rd, NULL, NULL, &tv), 1);
	CHECK("select.ready.time_left", tv.tv_sec >= 4 && tv.tv_sec <= 5);

	/* A descriptor past nfds is not looked at, open or not. */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_SET(200, &rd);
	check_err("select.past_nfds.ignored", usys_select(p[0] + 1, &rd, NULL, NULL, NULL), 1);
	check_err("select.closed_fd.ebadf", usys_select(201, &rd, NULL, NULL, NULL), -EBADF);
	check_err("select.nfds_negative.einval", usys_select(-1, NULL, NULL, NULL, NULL), -EINVAL);
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	check_err("select.timeout_negative.einval", usys_select(1, NULL, NULL, NULL, &tv), -EINVAL);
	tv.tv_sec = 0;
	tv.tv_usec = -5;
	check_err("select.usec_negative.einval", usys_select(1, NULL, NULL, NULL, &tv), -EINVAL);
	check_err("select.bad_set.efault", usys_select(4, (void *)8, NULL, NULL, NULL), -EFAULT);
	check_err("select.bad_timeout.efault", usys_select(4, NULL, NULL, NULL, (void *)8), -EFAULT);
	check_err("select.kernel_set.efault", usys_select(4, (void *)0xc0100000, NULL, NULL, NULL),
		  -EFAULT);

	/* The reader sees a hangup as readable. */
	close(q[1]);
	FD_ZERO(&rd);
	FD_SET(q[0], &rd);
	check_err("select.hangup.readable", usys_select(q[0] + 1, &rd, NULL, NULL, NULL), 1);

	struct timespec ts = { 0, 0 };
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	check_err("pselect6.ready", usys_pselect6(p[0] + 1, &rd, NULL, NULL, &ts, NULL), 1);
	ts.tv_nsec = 1000000000;
	check_err("pselect6.nsec_too_big.einval", usys_pselect6(1, NULL, NULL, NULL, &ts, NULL), -EINVAL);
	close(p[0]);
	close(p[1]);
	close(q[0]);
}

/* ---- epoll: creating and epoll_ctl's errors ---- */

static int ep_add(int ep, int fd, unsigned events, unsigned long long data)
{
	struct epoll_event ev = { events, data };

	return (int)usys_epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void test_epoll_ctl(void)
{
	int p[2], ep, ep2, f;
	struct epoll_event ev = { EPOLLIN, 0 };

	check_err("epoll_create.size_zero.einval", usys_epoll_create(0), -EINVAL);
	ep = (int)usys_epoll_create(1);
	CHECK("epoll_create.fd", ep >= 0);
	check_eq("epoll_create.no_cloexec", fcntl(ep, F_GETFD), 0);
	close(ep);
	check_err("epoll_create1.bad_flag.einval", usys_epoll_create1(1), -EINVAL);
	ep = (int)usys_epoll_create1(EPOLL_CLOEXEC);
	check_eq("epoll_create1.cloexec", fcntl(ep, F_GETFD), FD_CLOEXEC);

	pipe(p);
	check_err("epoll_ctl.add", ep_add(ep, p[0], EPOLLIN, 1), 0);
	check_err("epoll_ctl.add_twice.eexist", ep_add(ep, p[0], EPOLLIN, 1), -EEXIST);
	check_err("epoll_ctl.mod_unknown.enoent", usys_epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev), -ENOENT);
	check_err("epoll_ctl.del_unknown.enoent", usys_epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), -ENOENT);
	check_err("epoll_ctl.itself.einval", ep_add(ep, ep, EPOLLIN, 0), -EINVAL);
	check_err("epoll_ctl.bad_fd.ebadf", ep_add(ep, 300, EPOLLIN, 0), -EBADF);
	check_err("epoll_ctl.bad_epfd.ebadf", ep_add(300, p[0], EPOLLIN, 0), -EBADF);
	check_err("epoll_ctl.not_epoll.einval", ep_add(p[1], p[0], EPOLLIN, 0), -EINVAL);
	check_err("epoll_ctl.bad_op.einval", usys_epoll_ctl(ep, 7, p[0], &ev), -EINVAL);
	check_err("epoll_ctl.bad_event.efault", usys_epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (void *)8), -EFAULT);
	check_err("epoll_ctl.exclusive_mod.einval",
		  usys_epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &(struct epoll_event){ EPOLLIN | EPOLLEXCLUSIVE, 0 }),
		  -EINVAL);
	f = open("/bin/true", O_RDONLY);
	check_err("epoll_ctl.regular_file.eperm", ep_add(ep, f, EPOLLIN, 0), -EPERM);
	close(f);
	check_err("epoll_ctl.del", usys_epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), 0);
	check_err("epoll_ctl.del_again.enoent", usys_epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), -ENOENT);

	/* An epoll may watch an epoll, but not in a loop. */
	ep2 = (int)usys_epoll_create1(0);
	check_err("epoll_ctl.nested", ep_add(ep, ep2, EPOLLIN, 0), 0);
	check_err("epoll_ctl.loop.eloop", ep_add(ep2, ep, EPOLLIN, 0), -ELOOP);

	check_err("epoll_wait.maxevents_zero.einval", usys_epoll_wait(ep, &ev, 0, 0), -EINVAL);
	check_err("epoll_wait.bad_events.efault", usys_epoll_wait(ep, (void *)0xc0000000, 4, 0), -EFAULT);
	check_err("epoll_wait.bad_epfd.ebadf", usys_epoll_wait(300, &ev, 1, 0), -EBADF);
	check_err("epoll_wait.not_epoll.einval", usys_epoll_wait(p[0], &ev, 1, 0), -EINVAL);
	check_err("epoll_pwait.bad_sigsetsize.einval", usys_epoll_pwait(ep, &ev, 1, 0, &ev, 4), -EINVAL);
	close(ep2);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* ---- epoll: how events are reported ---- */

/* One epoll_wait with a zero timeout: the count, the first event in *ev. */
static long wait0(int ep, struct epoll_event *ev)
{
	memset(ev, 0, sizeof *ev);
	return usys_epoll_wait(ep, ev, 1, 0);
}

static void test_epoll_triggers(void)
{
	int lt[2], et[2], os[2], ep = (int)usys_epoll_create1(0);
	struct epoll_event ev;
	long long t0;

	pipe(lt);
	pipe(et);
	pipe(os);
	ep_add(ep, lt[0], EPOLLIN, 11);
	ep_add(ep, et[0], EPOLLIN | EPOLLET, 22);
	ep_add(ep, os[0], EPOLLIN | EPOLLONESHOT, 33);
	check_err("epoll.idle.timeout_zero", wait0(ep, &ev), 0);
	t0 = now_ms();
	check_err("epoll.idle.timeout_elapses", usys_epoll_wait(ep, &ev, 1, 60), 0);
	CHECK("epoll.idle.waited", now_ms() - t0 >= 40);

	/* Level-triggered: reported as long as there is data. */
	write(lt[1], "ab", 2);
	check_err("epoll.lt.ready", wait0(ep, &ev), 1);
	CHECK("epoll.lt.event", ev.events == EPOLLIN && ev.data == 11);
	check_err("epoll.lt.again_while_data", wait0(ep, &ev), 1);
	read(lt[0], &t0, 2);
	check_err("epoll.lt.quiet_when_drained", wait0(ep, &ev), 0);

	/* Edge-triggered: reported once per write, data left or not. */
	write(et[1], "ab", 2);
	check_err("epoll.et.ready", wait0(ep, &ev), 1);
	CHECK("epoll.et.event", ev.events == EPOLLIN && ev.data == 22);
	check_err("epoll.et.once_per_edge", wait0(ep, &ev), 0);
	write(et[1], "c", 1);
	check_err("epoll.et.new_edge", wait0(ep, &ev), 1);
	check_eq("epoll.et.new_edge.data", (long)ev.data, 22);

	/* One-shot: reported once, then silent until MOD re-arms it. */
	write(os[1], "x", 1);
	check_err("epoll.oneshot.ready", wait0(ep, &ev), 1);
	check_eq("epoll.oneshot.data", (long)ev.data, 33);
	write(os[1], "y", 1);
	check_err("epoll.oneshot.disabled", wait0(ep, &ev), 0);
	struct epoll_event mod = { EPOLLIN | EPOLLONESHOT, 34 };
	check_err("epoll.oneshot.mod", usys_epoll_ctl(ep, EPOLL_CTL_MOD, os[0], &mod), 0);
	check_err("epoll.oneshot.rearmed", wait0(ep, &ev), 1);
	check_eq("epoll.oneshot.rearmed.data", (long)ev.data, 34);

	/* The writer goes: the reader hears a hangup, asked for or not. */
	close(et[1]);
	char buf[4];
	read(et[0], buf, sizeof buf);
	check_err("epoll.hangup.ready", wait0(ep, &ev), 1);
	CHECK("epoll.hangup.epollhup", ev.events == EPOLLHUP && ev.data == 22);
	close(ep);
	close(lt[0]);
	close(lt[1]);
	close(et[0]);
	close(os[0]);
	close(os[1]);
}

/* The watch is on the open file: it ends with the last descriptor. */
static void test_epoll_close(void)
{
	int p[2], d, ep = (int)usys_epoll_create1(0);
	struct epoll_event ev;

	pipe(p);
	d = dup(p[0]);
	ep_add(ep, p[0], EPOLLIN, 5);
	close(p[0]);
	write(p[1], "x", 1);
	check_err("epoll.close.dup_keeps_watch", wait0(ep, &ev), 1);
	close(d);
	check_err("epoll.close.last_ref_ends_watch", wait0(ep, &ev), 0);
	pipe(p);
	check_err("epoll.close.fd_reusable", ep_add(ep, p[0], EPOLLIN, 6), 0);
	close(p[0]);
	close(p[1]);
	close(ep);
}

/* A blocking epoll_wait (timeout -1) woken by another process's write,
 * and the epoll descriptor itself readable through poll(). */
static void test_epoll_blocking(void)
{
	int p[2], ep = (int)usys_epoll_create1(0), status;
	struct epoll_event ev;
	struct pollfd pf;

	pipe(p);
	ep_add(ep, p[0], EPOLLIN, 7);
	pf.fd = ep;
	pf.events = POLLIN;
	check_err("epoll.poll_on_epoll.idle", usys_poll(&pf, 1, 0), 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "z", 1);
		_exit(0);
	}
	check_err("epoll.blocking.woken", usys_epoll_wait(ep, &ev, 1, -1), 1);
	check_eq("epoll.blocking.data", (long)ev.data, 7);
	check_err("epoll.poll_on_epoll.ready", usys_poll(&pf, 1, 0), 1);
	waitpid(pid, &status, 0);
	close(ep);
	close(p[0]);
	close(p[1]);
}

/* A TCP connection over loopback: data, then the peer's close. */
static void test_epoll_tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7070) };
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s, ep = (int)usys_epoll_create1(0);
	struct epoll_event ev;
	char buf[8];

	inet_aton("127.0.0.1", &a.sin_addr);
	if (!CHECK("epoll.tcp.listen", bind(l, (void *)&a, sizeof a) == 0 && listen(l, 4) == 0))
		return;
	ep_add(ep, l, EPOLLIN, 1);
	c = socket(AF_INET, SOCK_STREAM, 0);
	check_err("epoll.tcp.connect", connect(c, (void *)&a, sizeof a), 0);
	check_err("epoll.tcp.listener_readable", usys_epoll_wait(ep, &ev, 1, 1000), 1);
	s = accept(l, NULL, NULL);
	ep_add(ep, s, EPOLLIN | EPOLLRDHUP, 2);
	usys_epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
	check_err("epoll.tcp.idle", wait0(ep, &ev), 0);
	write(c, "hi", 2);
	check_err("epoll.tcp.data", usys_epoll_wait(ep, &ev, 1, 1000), 1);
	CHECK("epoll.tcp.data.event", ev.events == EPOLLIN && ev.data == 2);
	read(s, buf, sizeof buf);
	close(c);
	check_err("epoll.tcp.peer_closed", usys_epoll_wait(ep, &ev, 1, 1000), 1);
	check_eq("epoll.tcp.peer_closed.rdhup", ev.events, EPOLLIN | EPOLLRDHUP);
	check_eq("epoll.tcp.peer_closed.eof", read(s, buf, sizeof buf), 0);
	close(s);
	close(l);
	close(ep);
}

/* The writer's side and the other sets: a pipe's write end is writable
 * (EPOLLOUT, select's write set) and never exceptional. */
static void test_writable(void)
{
	int p[2], ep = (int)usys_epoll_create1(0);
	struct epoll_event ev[4];
	fd_set wr, ex;

	pipe(p);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(p[1], &wr);
	FD_SET(p[1], &ex);
	check_err("select.writable.pipe", usys_select(p[1] + 1, NULL, &wr, &ex, NULL), 1);
	CHECK("select.writable.not_exceptional", FD_ISSET(p[1], &wr) && !FD_ISSET(p[1], &ex));
	ep_add(ep, p[1], EPOLLOUT, 8);
	ep_add(ep, p[0], EPOLLIN, 9);
	check_err("epoll.out.writable", usys_epoll_wait(ep, ev, 4, 0), 1);
	CHECK("epoll.out.event", ev[0].events == EPOLLOUT && ev[0].data == 8);
	write(p[1], "q", 1);
	check_err("epoll.two_ready.both", usys_epoll_pwait(ep, ev, 4, 0, NULL, 0), 2);
	check_err("epoll.two_ready.maxevents_one", usys_epoll_wait(ep, ev, 1, 0), 1);
	/* The reader goes: the writer hears EPOLLERR, asked for or not. */
	close(p[0]);
	check_err("epoll.out.reader_gone", usys_epoll_wait(ep, ev, 4, 0), 1);
	CHECK("epoll.out.reader_gone.epollerr", ev[0].events == (EPOLLOUT | EPOLLERR));
	close(p[1]);
	close(ep);
}

/* A wait with no timeout ends when the process is killed (SIGKILL). */
static void test_killed_while_waiting(const char *name, int use_epoll)
{
	int p[2], status = 0;

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		fd_set rd;
		int ep = (int)usys_epoll_create1(0);
		struct epoll_event ev;

		FD_ZERO(&rd);
		FD_SET(p[0], &rd);
		ep_add(ep, p[0], EPOLLIN, 0);
		if (use_epoll)
			usys_epoll_wait(ep, &ev, 1, -1);
		else
			usys_select(p[0] + 1, &rd, NULL, NULL, NULL);
		_exit(3);                    /* not reached: nothing ever writes */
	}
	usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	check_eq(name, WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGKILL);
	close(p[0]);
	close(p[1]);
}

/* ---- the ledger: descriptors examined per call ---- */

static void stats(struct zc_stats *s)
{
	zc_stats(ZC_STATS_SELF, s);
}

static void test_ledger(void)
{
	int idle[IDLE_PIPES][2], busy[2], ep = (int)usys_epoll_create1(0), maxfd = 0, i;
	struct pollfd pf[IDLE_PIPES + 1];
	struct epoll_event ev;
	struct zc_stats a, b;
	fd_set rd;

	FD_ZERO(&rd);
	for (i = 0; i < IDLE_PIPES; i++) {
		pipe(idle[i]);
		ep_add(ep, idle[i][0], EPOLLIN, i);
		FD_SET(idle[i][0], &rd);
		pf[i].fd = idle[i][0];
		pf[i].events = POLLIN;
	}
	pipe(busy);
	write(busy[1], "x", 1);
	ep_add(ep, busy[0], EPOLLIN, 99);
	FD_SET(busy[0], &rd);
	pf[IDLE_PIPES].fd = busy[0];
	pf[IDLE_PIPES].events = POLLIN;
	maxfd = busy[0] > idle[IDLE_PIPES - 1][0] ? busy[0] : idle[IDLE_PIPES - 1][0];

	stats(&a);
	check_err("ledger.select.ready", usys_select(maxfd + 1, &rd, NULL, NULL, NULL), 1);
	stats(&b);
	check_eq("ledger.select.calls", (long)(b.wait_calls[ZC_WAIT_SELECT] - a.wait_calls[ZC_WAIT_SELECT]), 1);
	check_eq("ledger.select.fds_examined", (long)(b.wait_fds[ZC_WAIT_SELECT] - a.wait_fds[ZC_WAIT_SELECT]),
		 IDLE_PIPES + 1);

	stats(&a);
	check_err("ledger.poll.ready", usys_poll(pf, IDLE_PIPES + 1, -1), 1);
	stats(&b);
	check_eq("ledger.poll.calls", (long)(b.wait_calls[ZC_WAIT_POLL] - a.wait_calls[ZC_WAIT_POLL]), 1);
	check_eq("ledger.poll.fds_examined", (long)(b.wait_fds[ZC_WAIT_POLL] - a.wait_fds[ZC_WAIT_POLL]),
		 IDLE_PIPES + 1);

	stats(&a);
	check_err("ledger.epoll.ready", usys_epoll_wait(ep, &ev, 1, -1), 1);
	stats(&b);
	check_eq("ledger.epoll.data", (long)ev.data, 99);
	check_eq("ledger.epoll.calls", (long)(b.wait_calls[ZC_WAIT_EPOLL] - a.wait_calls[ZC_WAIT_EPOLL]), 1);
	check_eq("ledger.epoll.fds_examined", (long)(b.wait_fds[ZC_WAIT_EPOLL] - a.wait_fds[ZC_WAIT_EPOLL]), 1);

	for (i = 0; i < IDLE_PIPES; i++) {
		close(idle[i][0]);
		close(idle[i][1]);
	}
	close(busy[0]);
	close(busy[1]);
	close(ep);
}

int main(void)
{
	test_select();
	test_epoll_ctl();
	test_epoll_triggers();
	test_epoll_close();
	test_epoll_blocking();
	test_epoll_tcp();
	test_writable();
	test_killed_while_waiting("select.sigkill_ends_wait", 0);
	test_killed_while_waiting("epoll.sigkill_ends_wait", 1);
	test_ledger();
	return ztest_summary();
}
