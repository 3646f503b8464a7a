/*
 * socket.c - the socket system calls and sockets as files.
 *
 * socket() makes a struct sock (sock.h) and a struct file whose ops are
 * sock_file_ops, so read, write, close and poll work on a socket
 * descriptor like on any file, and sendfile reaches a socket through its
 * send_page operation.  Each call has its Linux i386 number
 * (socket 359 ... shutdown 373) and is also reachable through the older
 * socketcall(102) multiplexer that static glibc programs use.
 * Stream sockets hand the work to tcp.c; datagram sockets (UDP, and ICMP
 * "ping" sockets) are handled here: a send copies the user's bytes into
 * a netbuf ("user->socket") and a receive copies one queued datagram out
 * ("socket->user").
 */
#include "kernel.h"
#include "x86.h"
#include "fs/file.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "proc/signal.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "fs/poll.h"
#include "net/tcp.h"
#include "net/udp.h"
#include "net/raw.h"

#define SOCK_TYPE_MASK 0xf             /* the type; flags are the bits above */
#define SOCK_MAX      11               /* types Linux knows: 1 .. 10 */
#define DGRAM_QUEUE_MAX 64              /* datagrams waiting per socket */

struct list sock_list = LIST_INIT(sock_list);

static const struct file_ops sock_file_ops;

/* ---- socket objects ------------------------------------------------- */

struct sock *sock_alloc(int type, int proto)
{
	struct sock *sk = kzalloc(sizeof *sk);
	if (!sk)
		return NULL;
	sk->type = type;
	sk->proto = proto;
	sk->refs = 1;
	sk->state = ZC_TCP_CLOSED;
	sk->rcvbuf = TCP_RCVBUF;
	sk->sndbuf_max = TCP_SNDBUF;
	sk->mss = TCP_MSS_MIN;
	list_init(&sk->rcvq);
	list_init(&sk->ooo);
	list_init(&sk->acceptq);
	list_init(&sk->accept_link);
	waitq_init(&sk->wq);
	uint32_t f = irq_save();
	list_push_back(&sock_list, &sk->link);
	irq_restore(f);
	return sk;
}

void sock_get(struct sock *sk)
{
	uint32_t f = irq_save();
	sk->refs++;
	irq_restore(f);
}

void sock_purge(struct list *q)
{
	while (!list_empty(q)) {
		struct netbuf *nb = list_entry(q->next, struct netbuf, link);
		list_remove(&nb->link);
		nb_free(nb);
	}
}

void sock_put(struct sock *sk)
{
	uint32_t f = irq_save();
	if (--sk->refs == 0) {
		list_remove(&sk->link);
		sock_purge(&sk->rcvq);
		sock_purge(&sk->ooo);
		sb_free_all(sk);
		kfree(sk);
	}
	irq_restore(f);
}

/* An error or a hangup is told with the data wake-up that reports it. */
void sock_wake_rx(struct sock *sk)
{
	wakeup(&sk->rcvq);
	int hup = sk->type == SOCK_STREAM ? tcp_poll(sk) & (POLLERR | POLLHUP | POLLRDHUP) : 0;
	poll_wake(&sk->wq, POLLIN | hup);
}

void sock_wake_tx(struct sock *sk)
{
	wakeup(&sk->sb);
	poll_wake(&sk->wq, POLLOUT);
}

/* Is the port taken?  With SO_REUSEADDR only a listener (or a UDP
 * socket) holds it; without, any connection using it does, TIME_WAIT too. */
static bool sock_port_busy(int proto, uint16_t port, bool reuse)
{
	list_for_each(it, &sock_list) {
		struct sock *sk = list_entry(it, struct sock, link);
		if (sk->proto != proto || sk->lport != port)
			continue;
		if (proto != IPPROTO_TCP || sk->state == ZC_TCP_LISTEN || !reuse)
			return true;
	}
	return false;
}

uint16_t sock_ephemeral_port(int proto)
{
	static uint16_t next = 49152;
	for (int tries = 0; tries < 16384; tries++) {
		uint16_t port = htons(next);
		next = next == 65535 ? 49152 : next + 1;
		if (!sock_port_busy(proto, port, false))
			return port;
	}
	return 0;
}

struct sock *sock_lookup_dgram(int proto, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
	list_for_each(it, &sock_list) {
		struct sock *sk = list_entry(it, struct sock, link);
		if (sk->proto != proto || sk->lport != lport || sk->rd_shut || sk->type == SOCK_RAW)
			continue;                        /* raw sockets get copies in raw_input */
		if (sk->laddr && sk->laddr != laddr)
			continue;
		if (sk->raddr && (sk->raddr != raddr || (sk->rport && sk->rport != rport)))
			continue;
		return sk;
	}
	return NULL;
}

/* A datagram for a UDP or ping socket (interrupt context). */
void dgram_deliver(struct sock *sk, struct netbuf *nb)
{
	if (sk->rcvq_bytes + nb->len > sk->rcvbuf || sk->rcvq_bufs >= DGRAM_QUEUE_MAX) {
		NETSTAT_INC(udp_queue_full);
		nb_free(nb);
		return;
	}
	list_push_back(&sk->rcvq, &nb->link);
	sk->rcvq_bytes += nb->len;
	sk->rcvq_bufs++;
	sock_wake_rx(sk);
}

bool sock_info(int i, struct zc_sockinfo *out)
{
	uint32_t f = irq_save();
	bool found = false;
	list_for_each(it, &sock_list) {
		if (i-- > 0)
			continue;
		struct sock *sk = list_entry(it, struct sock, link);
		out->type = sk->type;
		out->proto = sk->proto;
		out->state = sk->state;
		out->laddr = sk->laddr;
		out->raddr = sk->raddr;
		out->lport = sk->lport;
		out->rport = sk->rport;
		out->sendq = sk->proto == IPPROTO_TCP ? sk->sb.bytes : 0;
		out->recvq = sk->rcvq_bytes;
		found = true;
		break;
	}
	irq_restore(f);
	return found;
}

/* ---- sockets as files ----------------------------------------------- */

static struct sock *sock_of(int fd, struct file **fp)
{
	struct file *f = fd_get(fd);
	if (fp)
		*fp = f;
	if (!f || f->ops != &sock_file_ops)
		return NULL;
	return f->priv;
}

/* -EBADF or -ENOTSOCK for a descriptor sock_of refused. */
static long not_sock(int fd)
{
	return fd_get(fd) ? -ENOTSOCK : -EBADF;
}

static bool nonblocking(struct file *f, int flags)
{
	return (f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

static int get_sockaddr(const void *uaddr, uint32_t len, struct sockaddr_in *sin)
{
	if (len < sizeof *sin)
		return -EINVAL;
	if (get_user_arg(sin, uaddr, sizeof *sin) < 0)
		return -EFAULT;
	if (sin->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

/* Give an address back the way Linux's move_addr_to_user does: *ulen
 * says how much room uaddr has (its bytes are copied, up to the
 * address's size) and gets the full size.  A NULL uaddr with room is
 * -EFAULT like any bad pointer; accept and recvfrom skip the call when
 * the caller passed no address. */
static int put_sockaddr(void *uaddr, uint32_t *ulen, uint32_t addr, uint16_t port)
{
	uint32_t len;
	if (!ulen || get_user_arg(&len, ulen, sizeof len) < 0)
		return -EFAULT;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = port, .sin_addr.s_addr = addr };
	if ((int)len < 0)
		return -EINVAL;
	if (len && (!uaddr || put_user_arg(uaddr, &sin, MIN(len, sizeof sin)) < 0))
		return -EFAULT;
	len = sizeof sin;
	return put_user_arg(ulen, &len, sizeof len);
}

/* Receive one datagram (UDP or ping); the rest of a long one is lost. */
static ssize_t dgram_recv(struct sock *sk, char *ubuf, size_t n, bool nonblock,
			  uint32_t *from_ip, uint16_t *from_port)
{
	uint32_t f = irq_save();
	while (list_empty(&sk->rcvq)) {
		if (sk->rd_shut) {
			irq_restore(f);
			return 0;
		}
		if (nonblock || signal_pending(current)) {
			irq_restore(f);
			return nonblock ? -EAGAIN : -ERESTARTSYS;
		}
		sleep_on(&sk->rcvq);
	}
	struct netbuf *nb = list_entry(sk->rcvq.next, struct netbuf, link);
	list_remove(&nb->link);
	sk->rcvq_bytes -= nb->len;
	sk->rcvq_bufs--;
	irq_restore(f);
	size_t len = MIN(n, nb->len);
	int r = copy_to_user_as(ubuf, nb->data, len, "socket->user");
	*from_ip = nb->src_ip;
	*from_port = nb->src_port;
	nb_free(nb);
	return r < 0 ? r : (ssize_t)len;
}

static ssize_t dgram_send(struct sock *sk, const char *ubuf, size_t n, uint32_t dst, uint16_t dport)
{
	if (sk->wr_shut)
		return -EPIPE;
	if (n > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if ((sk->proto == IPPROTO_ICMP && n < 8) || !ip_route_ok(sk->laddr, dst))
		return -EINVAL;
	if (!sk->lport && !(sk->lport = sock_ephemeral_port(sk->proto)))
		return -EAGAIN;
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return -ENOMEM;
	uint8_t *p = nb_put(nb, n);
	if (copy_from_user_as(p, ubuf, n, "user->socket") < 0) {
		nb_free(nb);
		return -EFAULT;
	}
	nb->payload_linear = n;
	nb->what = "socket->nic";
	uint32_t f = irq_save();
	int r;
	if (sk->proto == IPPROTO_ICMP) {
		/* A ping socket: the user writes an echo request; the kernel
		 * sets the identifier to the socket's port and the checksum. */
		if (p[0] != ICMP_ECHO_REQUEST || p[1] != 0) {
			irq_restore(f);
			nb_free(nb);
			return -EINVAL;
		}
		memcpy(p + 4, &sk->lport, 2);
		p[2] = p[3] = 0;
		uint16_t c = csum_finish(csum_add(0, p, n));
		memcpy(p + 2, &c, 2);
		nb->payload_linear = n - 8;
		r = ip_output(nb, IPPROTO_ICMP, sk->laddr, dst);
	} else {
		r = udp_output(nb, sk->laddr, sk->lport, dst, dport);
	}
	irq_restore(f);
	return r < 0 && r != -ENOBUFS ? r : (ssize_t)n;
}

static ssize_t sock_read(struct file *f, char *ubuf, size_t n)
{
	struct sock *sk = f->priv;
	uint32_t ip;
	uint16_t port;
	if (sk->type == SOCK_STREAM)
		return tcp_recv(sk, ubuf, n, 0, nonblocking(f, 0));
	return dgram_recv(sk, ubuf, n, nonblocking(f, 0), &ip, &port);
}

static ssize_t sock_write(struct file *f, const char *ubuf, size_t n)
{
	struct sock *sk = f->priv;
	if (sk->type == SOCK_STREAM)
		return tcp_send(sk, ubuf, n, nonblocking(f, 0));
	if (!sk->raddr)
		return -EDESTADDRREQ;
	if (sk->type == SOCK_RAW)
		return raw_send(sk, ubuf, n, sk->raddr);
	return dgram_send(sk, ubuf, n, sk->raddr, sk->rport);
}

/* sendfile into a socket (fs/sendfile.c): TCP takes the page by
 * reference, or copies it with SEND_PAGE_COPY (tcp_send_page). */
static ssize_t sock_send_page(struct file *f, struct page *pg, uint32_t off, uint32_t len,
			      int flags)
{
	struct sock *sk = f->priv;
	if (sk->type != SOCK_STREAM)
		return -EINVAL;
	return tcp_send_page(sk, pg ? page_to_pa(pg) + off : 0, len, flags & SEND_PAGE_COPY,
			     flags & SEND_PAGE_MORE, nonblocking(f, 0));
}

static void sock_close(struct file *f)
{
	struct sock *sk = f->priv;
	uint32_t fl = irq_save();
	if (sk->type == SOCK_STREAM)
		tcp_close(sk);
	else
		sk->rd_shut = sk->wr_shut = true;
	sock_put(sk);                       /* the file's reference */
	irq_restore(fl);
}

static int sock_poll(struct file *f)
{
	struct sock *sk = f->priv;
	if (sk->type == SOCK_STREAM)
		return tcp_poll(sk);
	return (list_empty(&sk->rcvq) ? 0 : POLLIN) | POLLOUT;
}

static const struct file_ops sock_file_ops = {
	.read = sock_read,
	.write = sock_write,
	.close = sock_close,
	.poll = sock_poll,
	.send_page = sock_send_page,
};

static long sock_install(struct sock *sk, int flags)
{
	struct file *f = file_alloc(&sock_file_ops, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0));
	if (!f) {
		sock_put(sk);
		return -ENFILE;
	}
	f->priv = sk;
	f->wq = &sk->wq;
	return fd_install(f, flags & SOCK_CLOEXEC);
}

/* ---- the system calls ------------------------------------------------ */

long sys_socket(int domain, int type, int proto)
{
	int flags = type & ~SOCK_TYPE_MASK;
	type &= SOCK_TYPE_MASK;
	if (type >= SOCK_MAX || (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)))
		return -EINVAL;                 /* checked first, as Linux's __sock_create does */
	if (domain != AF_INET)
		return -EAFNOSUPPORT;
	if (type == SOCK_STREAM && (proto == 0 || proto == IPPROTO_TCP))
		proto = IPPROTO_TCP;
	else if (type == SOCK_DGRAM && (proto == 0 || proto == IPPROTO_UDP))
		proto = IPPROTO_UDP;
	else if (type == SOCK_DGRAM && proto == IPPROTO_ICMP)
		proto = IPPROTO_ICMP;
	else if (type == SOCK_RAW && proto == IPPROTO_ICMP)
		proto = IPPROTO_ICMP;                   /* raw.c; zc32 runs everything as root */
	else
		return type == SOCK_STREAM || type == SOCK_DGRAM || type == SOCK_RAW ?
		       -EPROTONOSUPPORT : -ESOCKTNOSUPPORT;
	struct sock *sk = sock_alloc(type, proto);
	if (!sk)
		return -ENOMEM;
	return sock_install(sk, flags);
}

long sys_bind(int fd, const void *uaddr, uint32_t len)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	struct sockaddr_in sin;
	int r = get_sockaddr(uaddr, len, &sin);
	if (r < 0)
		return r;
	if (sin.sin_addr.s_addr && !ip_is_local(sin.sin_addr.s_addr))
		return -EADDRNOTAVAIL;
	uint32_t f = irq_save();
	if (sk->type == SOCK_RAW)
		sk->laddr = sin.sin_addr.s_addr;        /* raw sockets have no ports */
	else if (sk->lport)
		r = -EINVAL;
	else if (sin.sin_port && sock_port_busy(sk->proto, sin.sin_port, sk->reuseaddr))
		r = -EADDRINUSE;
	else if (!sin.sin_port && !(sin.sin_port = sock_ephemeral_port(sk->proto)))
		r = -EADDRINUSE;
	else {
		sk->laddr = sin.sin_addr.s_addr;
		sk->lport = sin.sin_port;
	}
	irq_restore(f);
	return r;
}

long sys_connect(int fd, const void *uaddr, uint32_t len)
{
	struct file *f;
	struct sock *sk = sock_of(fd, &f);
	if (!sk)
		return not_sock(fd);
	struct sockaddr_in sin;
	int r = get_sockaddr(uaddr, len, &sin);
	if (r < 0)
		return r;
	if (sk->type == SOCK_STREAM) {
		if (!sin.sin_port || !sin.sin_addr.s_addr)
			return -ECONNREFUSED;
		return tcp_connect(sk, sin.sin_addr.s_addr, sin.sin_port, nonblocking(f, 0));
	}
	uint32_t fl = irq_save();
	if (sk->type != SOCK_RAW && !sk->lport && !(sk->lport = sock_ephemeral_port(sk->proto)))
		r = -EAGAIN;
	sk->raddr = sin.sin_addr.s_addr;
	sk->rport = sin.sin_port;
	irq_restore(fl);
	return r;
}

long sys_listen(int fd, int backlog)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	return tcp_listen(sk, backlog);
}

long sys_accept4(int fd, void *uaddr, uint32_t *ulen, int flags)
{
	struct file *f;
	struct sock *sk = sock_of(fd, &f);
	if (!sk)
		return not_sock(fd);
	if (sk->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return -EINVAL;
	int err;
	struct sock *c = tcp_accept(sk, nonblocking(f, 0), &err);
	if (!c)
		return err;
	uint32_t raddr = c->raddr;
	uint16_t rport = c->rport;
	long nfd = sock_install(c, flags);
	if (nfd >= 0 && uaddr && put_sockaddr(uaddr, ulen, raddr, rport) < 0) {
		sys_close(nfd);
		return -EFAULT;
	}
	return nfd;
}

long sys_getsockname(int fd, void *uaddr, uint32_t *ulen)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	uint32_t addr = sk->laddr ? sk->laddr : (sk->rport ? ip_src_for(sk->raddr) : 0);
	return put_sockaddr(uaddr, ulen, addr, sk->lport);
}

long sys_getpeername(int fd, void *uaddr, uint32_t *ulen)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	if (!sk->rport || (sk->type == SOCK_STREAM && sk->state == ZC_TCP_CLOSED && !sk->error))
		return -ENOTCONN;
	return put_sockaddr(uaddr, ulen, sk->raddr, sk->rport);
}

long sys_sendto(int fd, const void *ubuf, size_t n, int flags, const void *uaddr, uint32_t len)
{
	struct file *f;
	struct sock *sk = sock_of(fd, &f);
	if (!sk)
		return not_sock(fd);
	if ((ssize_t)n < 0 || !user_range_ok(ubuf, n))
		return -EFAULT;
	if (sk->type == SOCK_STREAM)
		return tcp_send(sk, ubuf, n, nonblocking(f, flags));
	uint32_t dst = sk->raddr;
	uint16_t dport = sk->rport;
	if (uaddr) {
		struct sockaddr_in sin;
		int r = get_sockaddr(uaddr, len, &sin);
		if (r < 0)
			return r;
		dst = sin.sin_addr.s_addr;
		dport = sin.sin_port;
	}
	if (!dst || (sk->proto == IPPROTO_UDP && !dport))
		return -EDESTADDRREQ;
	if (sk->type == SOCK_RAW)
		return raw_send(sk, ubuf, n, dst);
	return dgram_send(sk, ubuf, n, dst, dport);
}

long sys_recvfrom(int fd, void *ubuf, size_t n, int flags, void *uaddr, uint32_t *ulen)
{
	struct file *f;
	struct sock *sk = sock_of(fd, &f);
	if (!sk)
		return not_sock(fd);
	if ((ssize_t)n < 0 || !user_range_ok(ubuf, n))
		return -EFAULT;
	uint32_t ip = sk->raddr;             /* a datagram's sender replaces them */
	uint16_t port = sk->rport;
	ssize_t r = sk->type == SOCK_STREAM ? tcp_recv(sk, ubuf, n, flags, nonblocking(f, flags)) :
		    dgram_recv(sk, ubuf, n, nonblocking(f, flags), &ip, &port);
	if (r >= 0 && uaddr && put_sockaddr(uaddr, ulen, ip, port) < 0)
		return -EFAULT;
	return r;
}

long sys_shutdown(int fd, int how)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	if (how < 0 || how > 2)
		return -EINVAL;
	if (sk->type == SOCK_STREAM)
		return tcp_shutdown(sk, how);
	if (how != 1)
		sk->rd_shut = true;
	if (how != 0)
		sk->wr_shut = true;
	sock_wake_rx(sk);
	return 0;
}

long sys_setsockopt(int fd, int level, int name, const void *uval, uint32_t len)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	int v;
	if (len < sizeof v)
		return -EINVAL;
	if (get_user_arg(&v, uval, sizeof v) < 0)
		return -EFAULT;
	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_REUSEADDR: sk->reuseaddr = v != 0; return 0;
		case SO_KEEPALIVE: return 0;             /* accepted, no keepalives sent */
		case SO_BROADCAST: return 0;             /* accepted: zc32 never refuses a broadcast */
		case SO_SNDBUF:    sk->sndbuf_max = MIN(MAX(v, 4096), 1 << 20); return 0;
		case SO_RCVBUF:    sk->rcvbuf = MIN(MAX(v, 4096), 65535); return 0;
		}
	} else if (level == IPPROTO_TCP && sk->type == SOCK_STREAM) {
		if (name == TCP_NODELAY) {
			uint32_t f = irq_save();
			sk->nodelay = v != 0;
			if (sk->nodelay)
				tcp_output(sk);                 /* push what Nagle held back */
			irq_restore(f);
			return 0;
		}
	}
	return -ENOPROTOOPT;
}

long sys_getsockopt(int fd, int level, int name, void *uval, uint32_t *ulen)
{
	struct sock *sk = sock_of(fd, NULL);
	if (!sk)
		return not_sock(fd);
	int v;
	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_REUSEADDR: v = sk->reuseaddr; break;
		case SO_TYPE:      v = sk->type; break;
		case SO_ERROR:     v = sk->error; sk->error = 0; break;
		case SO_KEEPALIVE: v = 0; break;
		case SO_SNDBUF:    v = sk->sndbuf_max; break;
		case SO_RCVBUF:    v = sk->rcvbuf; break;
		default:           return -ENOPROTOOPT;
		}
	} else if (level == IPPROTO_TCP && sk->type == SOCK_STREAM && name == TCP_NODELAY) {
		v = sk->nodelay;
	} else if (level == IPPROTO_TCP && sk->type == SOCK_STREAM && name == TCP_MAXSEG) {
		v = sk->mss;
	} else {
		return -ENOPROTOOPT;
	}
	uint32_t len;
	if (get_user_arg(&len, ulen, sizeof len) < 0)
		return -EFAULT;
	if ((int)len < 0)
		return -EINVAL;
	len = MIN(len, sizeof v);
	if (put_user_arg(uval, &v, len) < 0 || put_user_arg(ulen, &len, sizeof len) < 0)
		return -EFAULT;
	return 0;
}

/* socketcall(2): one system call number (102) for all of them, the
 * arguments in an array of longs (include/uapi/linux/net.h SYS_*). */
long sys_socketcall(int call, const uint32_t *uargs)
{
	static const uint8_t nargs[] = { 0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3, 4 };
	uint32_t a[6];
	if (call < 1 || call >= (int)ARRAY_SIZE(nargs))
		return -EINVAL;
	if (get_user_arg(a, uargs, nargs[call] * sizeof a[0]) < 0)
		return -EFAULT;
	switch (call) {
	case 1:  return sys_socket(a[0], a[1], a[2]);
	case 2:  return sys_bind(a[0], (void *)a[1], a[2]);
	case 3:  return sys_connect(a[0], (void *)a[1], a[2]);
	case 4:  return sys_listen(a[0], a[1]);
	case 5:  return sys_accept4(a[0], (void *)a[1], (uint32_t *)a[2], 0);
	case 6:  return sys_getsockname(a[0], (void *)a[1], (uint32_t *)a[2]);
	case 7:  return sys_getpeername(a[0], (void *)a[1], (uint32_t *)a[2]);
	case 9:  return sys_sendto(a[0], (void *)a[1], a[2], a[3], NULL, 0);          /* send */
	case 10: return sys_recvfrom(a[0], (void *)a[1], a[2], a[3], NULL, NULL);     /* recv */
	case 11: return sys_sendto(a[0], (void *)a[1], a[2], a[3], (void *)a[4], a[5]);
	case 12: return sys_recvfrom(a[0], (void *)a[1], a[2], a[3], (void *)a[4], (uint32_t *)a[5]);
	case 13: return sys_shutdown(a[0], a[1]);
	case 14: return sys_setsockopt(a[0], a[1], a[2], (void *)a[3], a[4]);
	case 15: return sys_getsockopt(a[0], a[1], a[2], (void *)a[3], (uint32_t *)a[4]);
	case 18: return sys_accept4(a[0], (void *)a[1], (uint32_t *)a[2], a[3]);
	}
	return -EOPNOTSUPP;              /* socketpair, sendmsg, recvmsg: not yet */
}
