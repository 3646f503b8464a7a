/*
 * nettest - the socket system calls from inside the guest, against the
 * guest itself (loopback: 127.0.0.1 and the guest's own 10.0.2.15 never
 * reach the NIC, kernel/net/ip.c ip_loopback).
 *
 * Each scenario runs twice: through the direct calls (socket 359 ...
 * shutdown 373) and through the socketcall(102) multiplexer that static
 * glibc programs for i386 use, a raw int 0x80 with the arguments in an
 * array of longs.  Check names start with "direct." or "socketcall.".
 *
 *   tcp      socket, bind, listen, connect, accept, getsockname,
 *            getpeername, send/recv, a 1 MiB stream from a child process,
 *            shutdown (half close), close, connection refused
 *   udp      sendto/recvfrom with addresses, connect + send
 *   options  getsockopt/setsockopt: SO_TYPE, SO_REUSEADDR, SO_ERROR,
 *            SO_RCVBUF, TCP_NODELAY
 *   errors   EFAULT (bad sockaddr and buffer pointers, getsockname with no
 *            address), EBADF, ENOTSOCK (a pipe, a regular file), EINVAL,
 *            EADDRINUSE, EADDRNOTAVAIL, ENOTCONN, EPIPE, ECONNREFUSED
 *   poll     a pipe, a regular file and sockets, the timeout, POLLNVAL
 *   self     a socket connected to itself (a simultaneous open)
 *   partial_write  write() that stops at an unmapped page still sends
 *
 * Output: `ok NAME` / `not ok NAME: detail` and a summary (ztest.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <wait.h>
#include <time.h>
#include <poll.h>
#include <socket.h>
#include <mman.h>
#include <ztest.h>

#define BAD_PTR    ((void *)0x1)            /* page 0 is never mapped */
#define BAD_KERNEL ((void *)0xC0000000)
#define STREAM_BYTES (1 << 20)

/* socketcall(2) call numbers (include/uapi/linux/net.h). */
#define SC_SOCKET      1
#define SC_BIND        2
#define SC_CONNECT     3
#define SC_LISTEN      4
#define SC_ACCEPT      5
#define SC_GETSOCKNAME 6
#define SC_GETPEERNAME 7
#define SC_SENDTO      11
#define SC_RECVFROM    12
#define SC_SHUTDOWN    13
#define SC_SETSOCKOPT  14
#define SC_GETSOCKOPT  15
#define SC_ACCEPT4     18

typedef struct sockaddr SA;

/* The calls as a table, so every scenario runs both ways.  Each returns
 * the kernel's raw result (-errno on failure). */
struct api {
	const char *name;
	long (*socket)(int domain, int type, int proto);
	long (*bind)(int fd, const void *a, unsigned len);
	long (*connect)(int fd, const void *a, unsigned len);
	long (*listen)(int fd, int backlog);
	long (*accept4)(int fd, void *a, unsigned *len, int flags);
	long (*getsockname)(int fd, void *a, unsigned *len);
	long (*getpeername)(int fd, void *a, unsigned *len);
	long (*sendto)(int fd, const void *buf, size_t n, int flags, const void *a, unsigned len);
	long (*recvfrom)(int fd, void *buf, size_t n, int flags, void *a, unsigned *len);
	long (*shutdown)(int fd, int how);
	long (*setsockopt)(int fd, int level, int name, const void *v, unsigned len);
	long (*getsockopt)(int fd, int level, int name, void *v, unsigned *len);
};

/* ---- the direct calls ---- */

static long d_socket(int d, int t, int p) { return usys_socket(d, t, p); }
static long d_bind(int fd, const void *a, unsigned l) { return usys_bind(fd, a, l); }
static long d_connect(int fd, const void *a, unsigned l) { return usys_connect(fd, a, l); }
static long d_listen(int fd, int b) { return usys_listen(fd, b); }
static long d_accept4(int fd, void *a, unsigned *l, int f) { return usys_accept4(fd, a, l, f); }
static long d_getsockname(int fd, void *a, unsigned *l) { return usys_getsockname(fd, a, l); }
static long d_getpeername(int fd, void *a, unsigned *l) { return usys_getpeername(fd, a, l); }
static long d_sendto(int fd, const void *b, size_t n, int f, const void *a, unsigned l)
	{ return usys_sendto(fd, b, n, f, a, l); }
static long d_recvfrom(int fd, void *b, size_t n, int f, void *a, unsigned *l)
	{ return usys_recvfrom(fd, b, n, f, a, l); }
static long d_shutdown(int fd, int how) { return usys_shutdown(fd, how); }
static long d_setsockopt(int fd, int lv, int nm, const void *v, unsigned l)
	{ return usys_setsockopt(fd, lv, nm, v, l); }
static long d_getsockopt(int fd, int lv, int nm, void *v, unsigned *l)
	{ return usys_getsockopt(fd, lv, nm, v, l); }

static const struct api direct = {
	"direct", d_socket, d_bind, d_connect, d_listen, d_accept4, d_getsockname, d_getpeername,
	d_sendto, d_recvfrom, d_shutdown, d_setsockopt, d_getsockopt,
};

/* ---- socketcall(102): eax = 102, ebx = call, ecx = the argument array ---- */

static long sc(int call, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long args[6] = { a0, a1, a2, a3, a4, a5 };
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(SYS_socketcall), "b"(call), "c"(args) : "memory");
	return r;
}

#define L(x) ((long)(x))
static long m_socket(int d, int t, int p) { return sc(SC_SOCKET, d, t, p, 0, 0, 0); }
static long m_bind(int fd, const void *a, unsigned l) { return sc(SC_BIND, fd, L(a), l, 0, 0, 0); }
static long m_connect(int fd, const void *a, unsigned l) { return sc(SC_CONNECT, fd, L(a), l, 0, 0, 0); }
static long m_listen(int fd, int b) { return sc(SC_LISTEN, fd, b, 0, 0, 0, 0); }
static long m_accept4(int fd, void *a, unsigned *l, int f)
	{ return f ? sc(SC_ACCEPT4, fd, L(a), L(l), f, 0, 0) : sc(SC_ACCEPT, fd, L(a), L(l), 0, 0, 0); }
static long m_getsockname(int fd, void *a, unsigned *l) { return sc(SC_GETSOCKNAME, fd, L(a), L(l), 0, 0, 0); }
static long m_getpeername(int fd, void *a, unsigned *l) { return sc(SC_GETPEERNAME, fd, L(a), L(l), 0, 0, 0); }
static long m_sendto(int fd, const void *b, size_t n, int f, const void *a, unsigned l)
	{ return sc(SC_SENDTO, fd, L(b), L(n), f, L(a), l); }
static long m_recvfrom(int fd, void *b, size_t n, int f, void *a, unsigned *l)
	{ return sc(SC_RECVFROM, fd, L(b), L(n), f, L(a), L(l)); }
static long m_shutdown(int fd, int how) { return sc(SC_SHUTDOWN, fd, how, 0, 0, 0, 0); }
static long m_setsockopt(int fd, int lv, int nm, const void *v, unsigned l)
	{ return sc(SC_SETSOCKOPT, fd, lv, nm, L(v), l, 0); }
static long m_getsockopt(int fd, int lv, int nm, void *v, unsigned *l)
	{ return sc(SC_GETSOCKOPT, fd, lv, nm, L(v), L(l), 0); }

static const struct api mux = {
	"socketcall", m_socket, m_bind, m_connect, m_listen, m_accept4, m_getsockname, m_getpeername,
	m_sendto, m_recvfrom, m_shutdown, m_setsockopt, m_getsockopt,
};

/* ---- helpers ---- */

static const struct api *api;           /* the one the running scenario uses */
static char name_buf[96];

/* "direct.tcp.connect" from "tcp.connect". */
static const char *N(const char *what)
{
	snprintf(name_buf, sizeof name_buf, "%s.%s", api->name, what);
	return name_buf;
}

static struct sockaddr_in addr(const char *ip, int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	inet_aton(ip, &a.sin_addr);
	return a;
}

static int same_addr(const struct sockaddr_in *a, const char *ip, int port)
{
	struct sockaddr_in b = addr(ip, port);

	return a->sin_family == AF_INET && a->sin_addr.s_addr == b.sin_addr.s_addr &&
	       (port < 0 || a->sin_port == b.sin_port);
}

static int local_port(int fd)
{
	struct sockaddr_in a;
	unsigned len = sizeof a;

	return api->getsockname(fd, &a, &len) == 0 ? ntohs(a.sin_port) : -1;
}

/* Receive exactly n bytes (TCP may split them). */
static long recv_all(int fd, char *buf, long n)
{
	long got = 0;

	while (got < n) {
		long r = api->recvfrom(fd, buf + got, (size_t)(n - got), 0, NULL, NULL);
		if (r <= 0)
			return got ? got : r;
		got += r;
	}
	return got;
}

static unsigned char pattern(long i) { return (unsigned char)(i * 7 + (i >> 12)); }

/* ---- TCP over loopback ---- */

/* A listener on ip:port; returns its fd or -1. */
static int listener(const char *ip, int port)
{
	struct sockaddr_in a = addr(ip, port);
	int one = 1;
	int l = (int)api->socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || api->setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    api->bind(l, &a, sizeof a) < 0 || api->listen(l, 4) < 0)
		return -1;
	return l;
}

static void test_tcp(const char *ip, int port)
{
	char what[64], buf[256];
	struct sockaddr_in a, peer;
	unsigned len;
	int l, c, s;

	l = listener(ip, port);
	snprintf(what, sizeof what, "tcp.%s.listen", ip);
	if (!CHECK(N(what), l >= 0))
		return;
	len = sizeof a;
	CHECK(N("tcp.getsockname.listener"), api->getsockname(l, &a, &len) == 0 && len == sizeof a &&
	      same_addr(&a, ip, port));

	c = (int)api->socket(AF_INET, SOCK_STREAM, 0);
	a = addr(ip, port);
	snprintf(what, sizeof what, "tcp.%s.connect", ip);
	check_err(N(what), api->connect(c, &a, sizeof a), 0);
	len = sizeof peer;
	s = (int)api->accept4(l, &peer, &len, 0);
	CHECK(N("tcp.accept"), s >= 0);
	CHECK(N("tcp.accept.peer_address"), len == sizeof peer && same_addr(&peer, ip, local_port(c)));
	len = sizeof a;
	CHECK(N("tcp.getpeername.client"), api->getpeername(c, &a, &len) == 0 && same_addr(&a, ip, port));
	len = sizeof a;
	CHECK(N("tcp.getpeername.server"), api->getpeername(s, &a, &len) == 0 &&
	      same_addr(&a, ip, local_port(c)));
	len = sizeof a;
	CHECK(N("tcp.getsockname.client"), api->getsockname(c, &a, &len) == 0 && same_addr(&a, ip, -1) &&
	      ntohs(a.sin_port) != 0);

	/* A short message each way. */
	check_err(N("tcp.send"), api->sendto(c, "hello", 5, 0, NULL, 0), 5);
	memset(buf, 0, sizeof buf);
	check_err(N("tcp.recv"), recv_all(s, buf, 5), 5);
	check_str(N("tcp.recv.data"), buf, "hello");
	check_err(N("tcp.send.reply"), api->sendto(s, "world!", 6, 0, NULL, 0), 6);
	memset(buf, 0, sizeof buf);
	check_err(N("tcp.recv.reply"), recv_all(c, buf, 6), 6);
	check_str(N("tcp.recv.reply_data"), buf, "world!");

	/* 1 MiB from a child while the parent reads: more than both socket
	 * buffers, so sender and receiver must take turns. */
	pid_t pid = fork();
	if (pid == 0) {
		static char out[8192];
		long sent = 0;

		while (sent < STREAM_BYTES) {
			long n = STREAM_BYTES - sent < (long)sizeof out ? STREAM_BYTES - sent : (long)sizeof out;
			for (long i = 0; i < n; i++)
				out[i] = (char)pattern(sent + i);
			long w = api->sendto(c, out, (size_t)n, 0, NULL, 0);
			if (w <= 0)
				_exit(1);
			sent += w;
		}
		_exit(0);
	}
	static char in[8192];
	long got = 0, bad = -1;
	while (got < STREAM_BYTES) {
		long r = api->recvfrom(s, in, sizeof in, 0, NULL, NULL);
		if (r <= 0)
			break;
		for (long i = 0; i < r; i++)
			if ((unsigned char)in[i] != pattern(got + i) && bad < 0)
				bad = got + i;
		got += r;
	}
	int st = -1;
	waitpid(pid, &st, 0);
	check_eq(N("tcp.stream.bytes"), got, STREAM_BYTES);
	check_eq(N("tcp.stream.first_bad_byte"), bad, -1);
	CHECK(N("tcp.stream.sender_ok"), WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* Half close: the client is done sending, the server still answers. */
	check_err(N("tcp.shutdown_wr"), api->shutdown(c, SHUT_WR), 0);
	check_err(N("tcp.recv.eof_after_shutdown"), api->recvfrom(s, buf, sizeof buf, 0, NULL, NULL), 0);
	check_err(N("tcp.send.after_shutdown"), api->sendto(c, "x", 1, 0, NULL, 0), -EPIPE);
	check_err(N("tcp.send.half_open"), api->sendto(s, "bye", 3, 0, NULL, 0), 3);
	memset(buf, 0, sizeof buf);
	check_err(N("tcp.recv.half_open"), recv_all(c, buf, 3), 3);
	check_err(N("tcp.shutdown.bad_how"), api->shutdown(s, 7), -EINVAL);
	check_err(N("tcp.shutdown.server"), api->shutdown(s, SHUT_RDWR), 0);
	check_err(N("tcp.recv.eof"), api->recvfrom(c, buf, sizeof buf, 0, NULL, NULL), 0);
	close(c);
	close(s);

	/* Nobody listens there: the stack answers its own SYN with a RST. */
	c = (int)api->socket(AF_INET, SOCK_STREAM, 0);
	a = addr(ip, port + 1);
	check_err(N("tcp.connect.refused"), api->connect(c, &a, sizeof a), -ECONNREFUSED);
	close(c);
	close(l);
}

/* ---- UDP over loopback ---- */

static void test_udp(int port)
{
	struct sockaddr_in a = addr("127.0.0.1", port), from;
	char buf[64];
	unsigned len;
	int u1 = (int)api->socket(AF_INET, SOCK_DGRAM, 0);
	int u2 = (int)api->socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

	CHECK(N("udp.socket"), u1 >= 0 && u2 >= 0);
	check_err(N("udp.bind"), api->bind(u1, &a, sizeof a), 0);
	check_err(N("udp.bind.again"), api->bind(u1, &a, sizeof a), -EINVAL);
	check_err(N("udp.bind.in_use"), api->bind(u2, &a, sizeof a), -EADDRINUSE);
	check_err(N("udp.sendto"), api->sendto(u2, "datagram", 8, 0, &a, sizeof a), 8);
	memset(buf, 0, sizeof buf);
	len = sizeof from;
	check_err(N("udp.recvfrom"), api->recvfrom(u1, buf, sizeof buf, 0, &from, &len), 8);
	check_str(N("udp.recvfrom.data"), buf, "datagram");
	CHECK(N("udp.recvfrom.sender"), len == sizeof from && same_addr(&from, "127.0.0.1", local_port(u2)));

	/* connect() fixes the destination; send() needs no address. */
	check_err(N("udp.connect"), api->connect(u2, &a, sizeof a), 0);
	len = sizeof from;
	CHECK(N("udp.getpeername"), api->getpeername(u2, &from, &len) == 0 && same_addr(&from, "127.0.0.1", port));
	check_err(N("udp.send"), api->sendto(u2, "two", 3, 0, NULL, 0), 3);
	check_err(N("udp.recv"), api->recvfrom(u1, buf, sizeof buf, 0, NULL, NULL), 3);
	check_err(N("udp.recv.nonblock_empty"), api->recvfrom(u1, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL),
		  -EAGAIN);
	len = sizeof from;
	check_err(N("udp.getpeername.unconnected"), api->getpeername(u1, &from, &len), -ENOTCONN);
	close(u1);
	close(u2);
}

/* ---- socket options ---- */

static void test_options(void)
{
	int s = (int)api->socket(AF_INET, SOCK_STREAM, 0), v = -1, one = 1;
	unsigned len = sizeof v;

	check_err(N("sockopt.so_type"), api->getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len), 0);
	check_eq(N("sockopt.so_type.value"), v, SOCK_STREAM);
	check_eq(N("sockopt.so_type.len"), len, sizeof v);
	check_err(N("sockopt.reuseaddr.set"), api->setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), 0);
	len = sizeof v;
	CHECK(N("sockopt.reuseaddr.get"), api->getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0 && v == 1);
	len = sizeof v;
	CHECK(N("sockopt.so_error"), api->getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	v = 16384;
	check_err(N("sockopt.rcvbuf.set"), api->setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof v), 0);
	len = sizeof v;
	CHECK(N("sockopt.rcvbuf.get"), api->getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v >= 16384);
	check_err(N("sockopt.nodelay.set"), api->setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
	len = sizeof v;
	CHECK(N("sockopt.nodelay.get"), api->getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0 && v == 1);
	check_err(N("sockopt.unknown"), api->getsockopt(s, SOL_SOCKET, 999, &v, &len), -ENOPROTOOPT);
	check_err(N("sockopt.short_len"), api->setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 2), -EINVAL);
	check_err(N("sockopt.set_bad_ptr"), api->setsockopt(s, SOL_SOCKET, SO_REUSEADDR, BAD_PTR, 4), -EFAULT);
	check_err(N("sockopt.get_bad_ptr"), api->getsockopt(s, SOL_SOCKET, SO_TYPE, BAD_PTR, &len), -EFAULT);
	close(s);
}

/* ---- bad arguments ---- */

static void test_errors(void)
{
	struct sockaddr_in a = addr("127.0.0.1", 7300);
	unsigned len = sizeof a;
	char buf[16];
	int p[2];
	int s = (int)api->socket(AF_INET, SOCK_STREAM, 0);
	int file = open("/test/nettest", O_RDONLY);

	CHECK(N("err.setup"), s >= 0 && file >= 0 && pipe(p) == 0);
	check_err(N("err.socket.family"), api->socket(1 /* AF_UNIX */, SOCK_STREAM, 0), -EAFNOSUPPORT);
	check_err(N("err.socket.type"), api->socket(AF_INET, 99, 0), -EINVAL);
	check_err(N("err.socket.proto"), api->socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), -EPROTONOSUPPORT);

	check_err(N("err.bind.bad_sockaddr"), api->bind(s, BAD_PTR, sizeof a), -EFAULT);
	check_err(N("err.bind.kernel_sockaddr"), api->bind(s, BAD_KERNEL, sizeof a), -EFAULT);
	check_err(N("err.bind.short_len"), api->bind(s, &a, 4), -EINVAL);
	struct sockaddr_in unix_family = a;
	unix_family.sin_family = 1;
	check_err(N("err.bind.family"), api->bind(s, &unix_family, sizeof a), -EAFNOSUPPORT);
	struct sockaddr_in foreign = addr("10.0.2.99", 7300);
	check_err(N("err.bind.not_ours"), api->bind(s, &foreign, sizeof foreign), -EADDRNOTAVAIL);
	check_err(N("err.connect.bad_sockaddr"), api->connect(s, BAD_PTR, sizeof a), -EFAULT);

	check_err(N("err.getsockname.null_addr"), api->getsockname(s, NULL, &len), -EFAULT);
	check_err(N("err.getsockname.bad_addr"), api->getsockname(s, BAD_PTR, &len), -EFAULT);
	check_err(N("err.getsockname.bad_len"), api->getsockname(s, &a, BAD_PTR), -EFAULT);
	check_err(N("err.getsockname.null_len"), api->getsockname(s, &a, NULL), -EFAULT);
	len = 0;
	check_err(N("err.getsockname.zero_len"), api->getsockname(s, NULL, &len), 0);
	check_eq(N("err.getsockname.zero_len_told_size"), len, sizeof a);
	len = sizeof a;
	check_err(N("err.getpeername.unconnected"), api->getpeername(s, &a, &len), -ENOTCONN);

	check_err(N("err.ebadf.bind"), api->bind(99, &a, sizeof a), -EBADF);
	check_err(N("err.ebadf.listen"), api->listen(-1, 1), -EBADF);
	check_err(N("err.ebadf.sendto"), api->sendto(99, "x", 1, 0, NULL, 0), -EBADF);
	check_err(N("err.enotsock.pipe"), api->listen(p[0], 1), -ENOTSOCK);
	check_err(N("err.enotsock.pipe_getsockname"), api->getsockname(p[1], &a, &len), -ENOTSOCK);
	check_err(N("err.enotsock.file"), api->bind(file, &a, sizeof a), -ENOTSOCK);
	check_err(N("err.enotsock.file_shutdown"), api->shutdown(file, SHUT_RDWR), -ENOTSOCK);

	/* A connected pair to misuse. */
	int l = listener("127.0.0.1", 7301), c = (int)api->socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in la = addr("127.0.0.1", 7301);
	api->connect(c, &la, sizeof la);
	int acc = (int)api->accept4(l, NULL, NULL, 0);
	CHECK(N("err.pair"), l >= 0 && c >= 0 && acc >= 0);
	int l2 = (int)api->socket(AF_INET, SOCK_STREAM, 0);
	check_err(N("err.bind.in_use"), api->bind(l2, &la, sizeof la), -EADDRINUSE);
	check_err(N("err.listen.connected"), api->listen(c, 1), -EINVAL);
	check_err(N("err.connect.connected"), api->connect(c, &la, sizeof la), -EISCONN);
	check_err(N("err.send.bad_buffer"), api->sendto(c, BAD_PTR, 10, 0, NULL, 0), -EFAULT);
	check_err(N("err.send.kernel_buffer"), api->sendto(c, BAD_KERNEL, 10, 0, NULL, 0), -EFAULT);
	api->sendto(acc, "abc", 3, 0, NULL, 0);
	check_err(N("err.recv.bad_buffer"), api->recvfrom(c, BAD_PTR, sizeof buf, 0, NULL, NULL), -EFAULT);
	check_err(N("err.recv.still_there"), recv_all(c, buf, 3), 3);
	check_err(N("err.accept.flags"), api->accept4(l, NULL, NULL, 0x1234), -EINVAL);
	fcntl(l, F_SETFL, O_NONBLOCK);
	check_err(N("err.accept.nonblock_empty"), api->accept4(l, NULL, NULL, 0), -EAGAIN);
	check_err(N("err.listen.udp"), api->listen(api->socket(AF_INET, SOCK_DGRAM, 0), 1), -EOPNOTSUPP);
	/* Bound to 127.0.0.1, a socket cannot reach another host. */
	struct sockaddr_in lo = addr("127.0.0.1", 0), gw = addr("10.0.2.2", 80);
	int t = (int)api->socket(AF_INET, SOCK_STREAM, 0), u = (int)api->socket(AF_INET, SOCK_DGRAM, 0);
	api->bind(t, &lo, sizeof lo);
	api->bind(u, &lo, sizeof lo);
	check_err(N("err.connect.loopback_to_remote"), api->connect(t, &gw, sizeof gw), -EINVAL);
	check_err(N("err.sendto.loopback_to_remote"), api->sendto(u, "x", 1, 0, &gw, sizeof gw), -EINVAL);
	close(t);
	close(u);
	close(acc);
	close(c);
	close(l);
	close(l2);
	close(s);
	close(file);
	close(p[0]);
	close(p[1]);
}

/* The multiplexer's own errors. */
static void test_socketcall_itself(void)
{
	check_err("socketcall.bad_call_0", sc(0, 0, 0, 0, 0, 0, 0), -EINVAL);
	check_err("socketcall.bad_call_99", sc(99, 0, 0, 0, 0, 0, 0), -EINVAL);
	long r;
	__asm__ __volatile__("int $0x80" : "=a"(r) : "a"(SYS_socketcall), "b"(SC_SOCKET), "c"(BAD_PTR) : "memory");
	check_err("socketcall.bad_args_pointer", r, -EFAULT);
}

/* ---- poll over a pipe, a regular file and sockets ---- */

static void test_poll(void)
{
	int p[2], file = open("/test/nettest", O_RDONLY);
	struct pollfd f[4];
	struct timespec t0, t1;

	CHECK("poll.setup", pipe(p) == 0 && file >= 0);
	f[0] = (struct pollfd){ p[0], POLLIN, 0 };
	f[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	f[2] = (struct pollfd){ file, POLLIN | POLLOUT, 0 };
	check_err("poll.pipe_empty_file", usys_poll(f, 3, 0), 2);
	check_eq("poll.pipe_read_end_idle", f[0].revents, 0);
	check_eq("poll.pipe_write_end", f[1].revents, POLLOUT);
	check_eq("poll.regular_file_ready", f[2].revents, POLLIN | POLLOUT);
	write(p[1], "x", 1);
	check_err("poll.pipe_data", usys_poll(f, 1, 1000), 1);
	check_eq("poll.pipe_data_revents", f[0].revents, POLLIN);
	char c;
	read(p[0], &c, 1);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_err("poll.timeout", usys_poll(f, 1, 100), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Not a timing measurement: a poll that returned early would be a bug. */
	CHECK("poll.timeout_waited", timespec_diff_ns(&t0, &t1) >= 90 * 1000000LL);

	close(p[1]);
	check_err("poll.pipe_hangup", usys_poll(f, 1, 0), 1);
	CHECK("poll.pipe_hangup_revents", f[0].revents & POLLHUP);

	f[0] = (struct pollfd){ 99, POLLIN, 0 };
	f[1] = (struct pollfd){ -1, POLLIN, 0 };         /* negative fds are skipped */
	check_err("poll.nval", usys_poll(f, 2, 0), 1);
	check_eq("poll.nval_revents", f[0].revents, POLLNVAL);
	check_eq("poll.negative_fd_ignored", f[1].revents, 0);
	check_err("poll.bad_pointer", usys_poll(BAD_PTR, 1, 0), -EFAULT);

	/* Sockets: a listener is readable once a connection waits; a
	 * connected socket is writable, and readable when data came. */
	api = &direct;
	int l = listener("127.0.0.1", 7400), s = (int)usys_socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = addr("127.0.0.1", 7400);
	f[0] = (struct pollfd){ l, POLLIN, 0 };
	check_err("poll.listener_idle", usys_poll(f, 1, 0), 0);
	usys_connect(s, (SA *)&a, sizeof a);
	check_err("poll.listener_ready", usys_poll(f, 1, 1000), 1);
	int acc = (int)usys_accept4(l, NULL, NULL, 0);
	f[0] = (struct pollfd){ acc, POLLIN | POLLOUT, 0 };
	f[1] = (struct pollfd){ s, POLLIN, 0 };
	f[2] = (struct pollfd){ p[0], POLLIN, 0 };
	f[3] = (struct pollfd){ file, POLLIN, 0 };
	check_err("poll.mixed", usys_poll(f, 4, 0), 3);
	check_eq("poll.socket_writable", f[0].revents, POLLOUT);
	check_eq("poll.socket_idle", f[1].revents, 0);
	usys_sendto(acc, "z", 1, 0, NULL, 0);
	check_err("poll.socket_data", usys_poll(&f[1], 1, 1000), 1);
	check_eq("poll.socket_data_revents", f[1].revents, POLLIN);
	char z;
	usys_read(s, &z, 1);
	check_err("poll.socket_drained", usys_poll(&f[1], 1, 0), 0);
	close(acc);
	check_err("poll.socket_peer_closed", usys_poll(&f[1], 1, 1000), 1);   /* readable: EOF */
	close(s);
	close(l);
	close(p[0]);
	close(file);
	f[0] = (struct pollfd){ p[0], POLLIN, 0 };
	check_err("poll.closed_fd", usys_poll(f, 1, 0), 1);
	check_eq("poll.closed_fd_nval", f[0].revents, POLLNVAL);
}

/* ---- corner cases of TCP over loopback ---- */

/* A socket that connects to its own address: the SYN comes back to it, it
 * answers with a SYN-ACK, which also comes back (a simultaneous open,
 * RFC 793 figure 8).  The handshake must finish, not bounce for ever. */
static void test_self_connect(int port)
{
	struct sockaddr_in a = addr("127.0.0.1", port);
	char buf[8] = { 0 };
	int s = (int)api->socket(AF_INET, SOCK_STREAM, 0);

	check_eq(N("self.bind"), api->bind(s, &a, sizeof a), 0);
	check_eq(N("self.connect"), api->connect(s, &a, sizeof a), 0);
	check_eq(N("self.send"), api->sendto(s, "mirror", 6, 0, NULL, 0), 6);
	check_eq(N("self.recv"), recv_all(s, buf, 6), 6);
	CHECK(N("self.data"), memcmp(buf, "mirror", 6) == 0);
	close(s);
}

/* write() whose buffer ends in an unmapped page: the bytes before it are
 * queued and must be sent at once, though write() returns early. */
static void test_partial_write(int port)
{
	int l = listener("127.0.0.1", port);
	struct sockaddr_in a = addr("127.0.0.1", port);
	int c = (int)api->socket(AF_INET, SOCK_STREAM, 0), s;
	char *buf = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static char got[4096];
	struct pollfd p;

	if (l < 0 || buf == MAP_FAILED || api->connect(c, &a, sizeof a) < 0 ||
	    (s = (int)api->accept4(l, NULL, NULL, 0)) < 0) {
		ztest_fail(N("partial_write.setup"), "listener, mmap, connect or accept failed");
		return;
	}
	memset(buf, 'p', 4096);
	munmap(buf + 4096, 4096);
	check_eq(N("partial_write.returns_first_page"), write(c, buf, 2 * 4096), 4096);
	p.fd = s;
	p.events = POLLIN;
	check_eq(N("partial_write.sent_at_once"), poll(&p, 1, 2000), 1);
	check_eq(N("partial_write.peer_gets_it"), recv_all(s, got, 4096), 4096);
	CHECK(N("partial_write.data"), got[0] == 'p' && got[4095] == 'p');
	close(s);
	close(c);
	close(l);
	munmap(buf, 4096);
}

int main(void)
{
	static const struct api *const apis[] = { &direct, &mux };

	for (int i = 0; i < 2; i++) {
		api = apis[i];
		test_tcp("127.0.0.1", 7000 + 10 * i);
		test_tcp("10.0.2.15", 7100 + 10 * i);    /* our own address: loopback too */
		test_udp(7200 + i);
		test_options();
		test_errors();
		test_self_connect(7400 + i);
		test_partial_write(7500 + i);
	}
	test_socketcall_itself();
	test_poll();
	return ztest_summary();
}
