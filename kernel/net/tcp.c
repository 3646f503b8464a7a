/*
 * tcp.c - TCP connections as the socket layer sees them (RFC 793).
 *
 *  connect  tcp_connect: SYN_SENT, sleep until ESTABLISHED or refused
 *  listen   tcp_listen; tcp_input creates a child per SYN (SYN_RCVD) and
 *           moves it to the listener's accept queue once ESTABLISHED
 *  accept   tcp_accept: sleep until the accept queue has a child
 *  send     tcp_send: wait for send-buffer space, copy (sb_write_user),
 *           tcp_output pushes segments as the window allows
 *  sendfile tcp_send_page: the same wait, then a page-cache page queued
 *           by reference (gather) or copied (copy)
 *  receive  tcp_recv: wait for queued segments, copy them to the user
 *           ("socket->user"), open the window again
 *  close    tcp_close: FIN after the last byte (FIN_WAIT1 or LAST_ACK);
 *           the connection finishes on its own, the file is gone
 *
 * Everything that touches connection state runs with interrupts off:
 * the receive side runs in the e1000 interrupt.
 */
#include "x86.h"
#include "timer.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "mmu.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/tcp.h"

static uint32_t tcp_new_iss(void)
{
	static uint32_t counter;
	counter += 64000;
	return (uint32_t)rdtsc() * 2654435761u + counter;
}

/* A connection matching all four, else a listener on the port. */
struct sock *tcp_lookup(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	struct sock *listener = NULL;
	list_for_each(it, &sock_list) {
		struct sock *sk = list_entry(it, struct sock, link);
		if (sk->proto != IPPROTO_TCP || sk->lport != lport || sk->state == ZC_TCP_CLOSED)
			continue;
		if (sk->state == ZC_TCP_LISTEN) {
			if (!sk->laddr || sk->laddr == laddr)
				listener = sk;
			continue;
		}
		if (sk->raddr == raddr && sk->rport == rport && sk->laddr == laddr)
			return sk;
	}
	return listener;
}

void tcp_set_state(struct sock *sk, int state)
{
	sk->state = state;
	if (state == ZC_TCP_TIME_WAIT) {
		sk->rto_at = 0;
		sk->linger_at = ticks + 2 * timer_hz;   /* 2 MSL, shortened for a teaching kernel */
		sb_free_all(sk);
	}
}

uint32_t tcp_snd_space(struct sock *sk)
{
	if (sk->sb.bytes >= sk->sndbuf_max || sk->sb.count >= SB_CHUNKS - 1)
		return 0;
	return sk->sndbuf_max - sk->sb.bytes;
}

/* The end of a connection: no more timers or buffers.  The socket stays
 * while its file (or a listener's queue) refers to it. */
void tcp_done(struct sock *sk)
{
	if (sk->state == ZC_TCP_CLOSED)
		return;
	bool was_embryo = sk->state == ZC_TCP_SYN_RCVD;
	sk->state = ZC_TCP_CLOSED;
	sk->rto_at = sk->delack_at = sk->linger_at = 0;
	sb_free_all(sk);
	sock_purge(&sk->ooo);
	sk->nooo = 0;
	if (sk->orphan) {
		sock_purge(&sk->rcvq);
		sk->rcvq_bytes = sk->rcvq_bufs = 0;
	}
	if (was_embryo && sk->parent) {          /* never reached the accept queue */
		sk->parent->nchildren--;
		sk->parent = NULL;
	}
	sock_wake_rx(sk);
	sock_wake_tx(sk);
	sock_put(sk);                            /* the connection's reference */
}

void tcp_abort(struct sock *sk, int err)
{
	if (sk->state != ZC_TCP_CLOSED && sk->state != ZC_TCP_LISTEN && sk->state != ZC_TCP_SYN_SENT &&
	    sk->state != ZC_TCP_TIME_WAIT)
		tcp_xmit(sk, sk->snd_nxt, 0, TCP_RST | TCP_ACK);
	sk->error = err;
	tcp_done(sk);
}

/* A child of a listener finished its handshake: queue it for accept. */
void tcp_child_established(struct sock *child)
{
	struct sock *l = child->parent;
	tcp_set_state(child, ZC_TCP_ESTABLISHED);
	if (!l) {
		/* A simultaneous open, not a listener's child: wake connect()
		 * (it sleeps on the send buffer) and poll() for POLLOUT. */
		sock_wake_tx(child);
		return;
	}
	NETSTAT_INC(tcp_passive_opens);
	sock_get(child);                         /* the accept queue's reference */
	list_push_back(&l->acceptq, &child->accept_link);
	sock_wake_rx(l);
}

static void init_connection(struct sock *sk)
{
	sk->iss = tcp_new_iss();
	sk->snd_una = sk->snd_nxt = sk->snd_max = sk->iss;
	sb_init(sk, sk->iss + 1);
	sk->mss = TCP_MSS_MIN;
	tcp_timer_reset(sk);
	sock_get(sk);                            /* the connection's reference */
}

/* A SYN arrived on listener l: a new connection in SYN_RCVD.  Its one
 * reference is the connection's; accept() adds the file's. */
struct sock *tcp_new_child(struct sock *l, uint32_t laddr, uint32_t raddr, uint16_t rport)
{
	struct sock *c = sock_alloc(SOCK_STREAM, IPPROTO_TCP);
	if (!c)
		return NULL;
	c->laddr = laddr;
	c->lport = l->lport;
	c->raddr = raddr;
	c->rport = rport;
	c->rcvbuf = l->rcvbuf;
	c->sndbuf_max = l->sndbuf_max;
	c->nodelay = l->nodelay;
	init_connection(c);
	sock_put(c);                             /* sock_alloc's reference was for a file */
	c->state = ZC_TCP_SYN_RCVD;
	c->parent = l;
	l->nchildren++;
	return c;
}

int tcp_connect(struct sock *sk, uint32_t raddr, uint16_t rport, bool nonblock)
{
	uint32_t f = irq_save();
	int r = 0;
	if (sk->state == ZC_TCP_SYN_SENT)
		r = -EALREADY;
	else if (sk->state != ZC_TCP_CLOSED || sk->rport)
		r = -EISCONN;
	else if (!ip_route_ok(sk->laddr, raddr))
		r = -EINVAL;
	else if (!sk->lport && !(sk->lport = sock_ephemeral_port(IPPROTO_TCP)))
		r = -EADDRNOTAVAIL;
	if (r)
		goto out;
	if (!sk->laddr)
		sk->laddr = ip_src_for(raddr);
	sk->raddr = raddr;
	sk->rport = rport;
	sk->error = 0;
	init_connection(sk);
	sk->state = ZC_TCP_SYN_SENT;
	NETSTAT_INC(tcp_active_opens);
	tcp_output(sk);
	if (nonblock) {
		r = -EINPROGRESS;
		goto out;
	}
	while (sk->state == ZC_TCP_SYN_SENT) {
		if (signal_pending(current)) {
			r = -ERESTARTSYS;
			goto out;
		}
		sleep_on(&sk->sb);
	}
	if (sk->state == ZC_TCP_CLOSED || sk->error)
		r = -(sk->error ? sk->error : ECONNREFUSED);
out:
	irq_restore(f);
	return r;
}

int tcp_listen(struct sock *sk, int backlog)
{
	uint32_t f = irq_save();
	int r = 0;
	if (sk->state == ZC_TCP_LISTEN) {
		sk->backlog = MAX(1, MIN(backlog, 128));
	} else if (sk->state != ZC_TCP_CLOSED || sk->rport) {
		r = -EINVAL;
	} else if (!sk->lport && !(sk->lport = sock_ephemeral_port(IPPROTO_TCP))) {
		r = -EADDRINUSE;
	} else {
		sk->backlog = MAX(1, MIN(backlog, 128));
		sock_get(sk);                        /* LISTEN is a connection state too */
		sk->state = ZC_TCP_LISTEN;
	}
	irq_restore(f);
	return r;
}

struct sock *tcp_accept(struct sock *l, bool nonblock, int *err)
{
	uint32_t f = irq_save();
	struct sock *child = NULL;
	*err = 0;
	while (l->state == ZC_TCP_LISTEN && list_empty(&l->acceptq)) {
		if (nonblock || signal_pending(current)) {
			*err = nonblock ? -EAGAIN : -ERESTARTSYS;
			goto out;
		}
		sleep_on(&l->rcvq);
	}
	if (l->state != ZC_TCP_LISTEN) {
		*err = -EINVAL;
		goto out;
	}
	child = list_entry(l->acceptq.next, struct sock, accept_link);
	list_remove(&child->accept_link);
	l->nchildren--;
	child->parent = NULL;                    /* its queue reference is now the caller's */
out:
	irq_restore(f);
	return child;
}

/* Wait until the send buffer has want bytes free (nonblocking: any).
 * Interrupts off.  Before sleeping, push what is queued: a sendfile
 * batch (tcp_send_page with more) has not been sent yet, and without
 * segments in flight no ACK would come to wake us.  Returns the free
 * space, or -errno. */
static long tcp_wait_space(struct sock *sk, uint32_t want, bool nonblock)
{
	for (;;) {
		int err = 0;
		if (sk->error)
			err = -sk->error;
		else if (sk->wr_shut || sk->fin_queued)
			err = -EPIPE;
		else if (sk->state != ZC_TCP_ESTABLISHED && sk->state != ZC_TCP_CLOSE_WAIT)
			err = sk->state == ZC_TCP_SYN_SENT ? -EAGAIN : -ENOTCONN;
		if (err == -EAGAIN && !nonblock) {
			sleep_on(&sk->sb);           /* connect() in progress */
			continue;
		}
		/* Linux would also raise SIGPIPE for EPIPE; zc32 has no way
		 * to ignore signals, so a server would die of it. */
		if (err)
			return err;
		uint32_t space = tcp_snd_space(sk);
		if (space >= want || (nonblock && space > 0))
			return space;
		if (nonblock || signal_pending(current))
			return nonblock ? -EAGAIN : -ERESTARTSYS;
		tcp_output(sk);
		sleep_on(&sk->sb);
	}
}

/* Wait for room and copy; returns bytes sent or -errno. */
ssize_t tcp_send(struct sock *sk, const char *ubuf, size_t n, bool nonblock)
{
	size_t done = 0;
	while (done < n) {
		uint32_t f = irq_save();
		long space = tcp_wait_space(sk, MIN(n - done, sk->sndbuf_max / 4), nonblock);
		irq_restore(f);
		if (space < 0)
			return done ? (ssize_t)done : space;
		ssize_t r = sb_write_user(sk, ubuf + done, MIN(n - done, (uint32_t)space));
		if (r <= 0)
			return done ? (ssize_t)done : (r ? r : -ENOBUFS);
		done += r;
	}
	return done;
}

/*
 * sendfile into a TCP socket (sock_send_page): len bytes at physical
 * address pa, inside one page-cache page the caller holds.
 *   gather: the send buffer keeps a reference to the page itself
 *           (sb_append_page, which pins it until every byte is acked);
 *   copy:   the bytes are copied into socket pages ("pagecache->sockbuf").
 * With more, the caller has further pages at once: they are pushed
 * together (full segments, one doorbell) by its last call (len 0 if it
 * has no more bytes after all), or before a wait for room.  Returns
 * bytes queued (maybe fewer) or -errno.
 */
ssize_t tcp_send_page(struct sock *sk, uint32_t pa, uint32_t len, bool copy, bool more,
		      bool nonblock)
{
	uint32_t f = irq_save();
	long space = len ? tcp_wait_space(sk, len, nonblock) : 0;   /* len 0: only push */
	ssize_t r = space;
	if (space > 0 && copy) {
		irq_restore(f);
		r = sb_copy_kernel(sk, P2V(pa), MIN(len, (uint32_t)space));
		f = irq_save();
	} else if (space > 0) {
		/* LAB sendfile: BEGIN */
		r = MIN(len, (uint32_t)space);
		page_get(ALIGN_DOWN(pa, PAGE_SIZE));     /* moves into the send buffer */
		if (sb_append_page(sk, pa, r) < 0) {
			page_put(ALIGN_DOWN(pa, PAGE_SIZE));
			r = -ENOBUFS;
		}
		/* LAB sendfile: STUB
		irq_restore(f);                          // gather not written: copy
		r = sb_copy_kernel(sk, P2V(pa), MIN(len, (uint32_t)space));
		f = irq_save();
		   LAB sendfile: END */
	}
	if (!more || r < (ssize_t)len)
		tcp_output(sk);
	irq_restore(f);
	return r;
}

/* Tell the peer the window opened, when it opened by enough to matter. */
static void tcp_window_update(struct sock *sk)
{
	if (sk->state != ZC_TCP_ESTABLISHED && sk->state != ZC_TCP_FIN_WAIT1 &&
	    sk->state != ZC_TCP_FIN_WAIT2)
		return;
	uint32_t offered = SEQ_GT(sk->rcv_adv, sk->rcv_nxt) ? sk->rcv_adv - sk->rcv_nxt : 0;
	uint32_t now = tcp_rcv_window(sk);
	if (now >= offered + 2 * sk->mss || (offered < sk->mss && now >= sk->mss))
		tcp_send_ack(sk);
}

ssize_t tcp_recv(struct sock *sk, char *ubuf, size_t n, int flags, bool nonblock)
{
	uint32_t f = irq_save();
	size_t done = 0;
	ssize_t r = 0;
	while (done < n) {
		if (list_empty(&sk->rcvq)) {
			if (done && !(flags & MSG_WAITALL))
				break;
			if (sk->error && !done) {
				r = -sk->error;
				if (sk->state == ZC_TCP_CLOSED)
					sk->error = 0;
				break;
			}
			if (sk->fin_rcvd || sk->rd_shut || sk->state == ZC_TCP_CLOSED ||
			    sk->state == ZC_TCP_LISTEN)
				break;
			if (nonblock || (flags & MSG_DONTWAIT)) {
				r = done ? 0 : -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				r = -ERESTARTSYS;
				break;
			}
			sleep_on(&sk->rcvq);
			continue;
		}
		/* Take the first segment off the queue while copying it, so an
		 * arriving RST cannot free it under us. */
		struct netbuf *nb = list_entry(sk->rcvq.next, struct netbuf, link);
		list_remove(&nb->link);
		irq_restore(f);
		uint32_t chunk = MIN(nb->len, n - done);
		int c = copy_to_user_as(ubuf + done, nb->data, chunk, "socket->user");
		f = irq_save();
		if (c < 0 || (flags & MSG_PEEK)) {
			list_push_front(&sk->rcvq, &nb->link);
			if (c < 0)
				r = -EFAULT;
			else
				done += chunk;
			break;
		}
		done += chunk;
		sk->rcvq_bytes -= chunk;
		if (chunk < nb->len) {
			nb_pull(nb, chunk);
			list_push_front(&sk->rcvq, &nb->link);
		} else {
			nb_free(nb);
			sk->rcvq_bufs--;
		}
	}
	if (done && !(flags & MSG_PEEK))
		tcp_window_update(sk);
	irq_restore(f);
	return done ? (ssize_t)done : r;
}

static void queue_fin(struct sock *sk)
{
	if (sk->fin_queued)
		return;
	if (sk->state != ZC_TCP_ESTABLISHED && sk->state != ZC_TCP_CLOSE_WAIT)
		return;
	sk->fin_queued = true;
	sk->fin_seq = sk->sb.seq + sk->sb.bytes;
	tcp_set_state(sk, sk->state == ZC_TCP_ESTABLISHED ? ZC_TCP_FIN_WAIT1 : ZC_TCP_LAST_ACK);
	tcp_output(sk);
}

int tcp_shutdown(struct sock *sk, int how)
{
	uint32_t f = irq_save();
	int r = 0;
	if (sk->state == ZC_TCP_CLOSED || sk->state == ZC_TCP_LISTEN || sk->state == ZC_TCP_SYN_SENT) {
		r = -ENOTCONN;
	} else {
		if (how == 0 || how == 2) {
			sk->rd_shut = true;
			sock_purge(&sk->rcvq);
			sk->rcvq_bytes = sk->rcvq_bufs = 0;
			sock_wake_rx(sk);
		}
		if (how == 1 || how == 2) {
			sk->wr_shut = true;
			queue_fin(sk);
			sock_wake_tx(sk);
		}
	}
	irq_restore(f);
	return r;
}

/* The file is closed.  Interrupts off (socket.c). */
void tcp_close(struct sock *sk)
{
	sk->orphan = true;
	switch (sk->state) {
	case ZC_TCP_LISTEN: {
		/* Reset the children: those waiting in the queue and those
		 * still shaking hands. */
		while (!list_empty(&sk->acceptq)) {
			struct sock *c = list_entry(sk->acceptq.next, struct sock, accept_link);
			list_remove(&c->accept_link);
			c->parent = NULL;
			c->orphan = true;
			tcp_abort(c, ECONNRESET);
			sock_put(c);
		}
		for (struct list *it = sock_list.next; it != &sock_list;) {
			struct sock *c = list_entry(it, struct sock, link);
			it = it->next;
			if (c->parent == sk) {
				c->orphan = true;
				tcp_abort(c, ECONNRESET);
			}
		}
		tcp_done(sk);
		break;
	}
	case ZC_TCP_SYN_SENT:
		tcp_done(sk);
		break;
	case ZC_TCP_ESTABLISHED:
	case ZC_TCP_CLOSE_WAIT:
		if (sk->rcvq_bytes) {
			/* Unread data: tell the peer it was lost (RFC 2525 2.17). */
			tcp_abort(sk, ECONNRESET);
			break;
		}
		queue_fin(sk);
		break;
	case ZC_TCP_FIN_WAIT2:
		sk->linger_at = ticks + 60 * timer_hz;
		break;
	default:
		break;
	}
	sock_purge(&sk->rcvq);
	sk->rcvq_bytes = sk->rcvq_bufs = 0;
}

int tcp_poll(struct sock *sk)
{
	int m = 0;
	if (sk->state == ZC_TCP_LISTEN)
		return list_empty(&sk->acceptq) ? 0 : POLLIN;
	if (!list_empty(&sk->rcvq) || sk->fin_rcvd || sk->rd_shut || sk->error ||
	    (sk->state == ZC_TCP_CLOSED && sk->rport))
		m |= POLLIN;
	if ((sk->state == ZC_TCP_ESTABLISHED || sk->state == ZC_TCP_CLOSE_WAIT) && !sk->fin_queued &&
	    tcp_snd_space(sk) >= sk->sndbuf_max / 4)
		m |= POLLOUT;
	if (sk->error)
		m |= POLLERR;
	if ((sk->state == ZC_TCP_CLOSED && sk->rport) || (sk->fin_rcvd && sk->fin_queued))
		m |= POLLHUP;
	if (sk->fin_rcvd)
		m |= POLLRDHUP;
	return m;
}
