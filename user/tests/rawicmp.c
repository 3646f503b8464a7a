/*
 * rawicmp - raw ICMP sockets (kernel/net/raw.c): socket(AF_INET,
 * SOCK_RAW, IPPROTO_ICMP) as busybox's ping uses it.  We build the echo
 * request, checksum included; the kernel adds the IPv4 header; recvfrom
 * returns whole IP packets, header included, from the sender's address.
 *     rawicmp          loopback checks and bad input (no network needed)
 *     rawicmp net      also pings the gateway, 10.0.2.2 (needs the e1000)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <socket.h>
#include <zc.h>
#include <uapi/zc32_net.h>
#include <ztest.h>

#define PAYLOAD 56
#define IDENT   0x4242

static unsigned char pkt[8 + PAYLOAD], reply[1500];

static unsigned short csum(const unsigned char *p, int n)
{
	unsigned long s = 0;
	for (int i = 0; i + 1 < n; i += 2)
		s += p[i] | p[i + 1] << 8;
	if (n & 1)
		s += p[n - 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (unsigned short)~s;
}

static void make_echo(int seq)
{
	memset(pkt, 0, sizeof pkt);
	pkt[0] = ICMP_ECHO_REQUEST;
	pkt[4] = IDENT >> 8;
	pkt[5] = IDENT & 0xff;
	pkt[7] = seq;
	for (int i = 0; i < PAYLOAD; i++)
		pkt[8 + i] = i;
	unsigned short c = csum(pkt, sizeof pkt);
	memcpy(pkt + 2, &c, 2);
}

/* The raw calls, out of line: six register arguments need the registers
 * an inlined caller would keep busy. */
static __attribute__((noinline)) long do_sendto(int fd, const void *b, size_t n, int f, const void *a,
						unsigned l)
{
	return usys_sendto(fd, b, n, f, a, l);
}

static __attribute__((noinline)) long do_recvfrom(int fd, void *b, size_t n, int f, void *a, unsigned *l)
{
	return usys_recvfrom(fd, b, n, f, a, l);
}

static struct sockaddr_in addr(const char *ip)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_aton(ip, &a.sin_addr);
	return a;
}

static unsigned long long net_counter(int which)
{
	static unsigned long long c[ZC_NET_NCOUNTERS];
	__syscall4(SYS_zc_netstat, (long)c, ZC_NET_NCOUNTERS, 0, 0);
	return c[which];
}

/* The next packet within ms, or -1: its length, and the sender. */
static long recv_within(int fd, int ms, struct sockaddr_in *from)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned flen = sizeof *from;
	if (poll(&p, 1, ms) != 1 || !(p.revents & POLLIN))
		return -1;
	return do_recvfrom(fd, reply, sizeof reply, 0, (struct sockaddr *)from, &flen);
}

/* reply holds an IP packet of n bytes: an echo of type `type` for our
 * IDENT and seq, from src, with valid IP and ICMP checksums. */
static int is_echo(long n, int type, int seq, const char *src)
{
	struct sockaddr_in want = addr(src);
	int hlen = (reply[0] & 15) * 4;
	return n == hlen + (long)sizeof pkt && reply[0] == 0x45 && reply[9] == IPPROTO_ICMP &&
	       ((reply[2] << 8) | reply[3]) == n && memcmp(reply + 12, &want.sin_addr, 4) == 0 &&
	       csum(reply, hlen) == 0 && reply[hlen] == type && reply[hlen + 7] == seq &&
	       ((reply[hlen + 4] << 8) | reply[hlen + 5]) == IDENT && csum(reply + hlen, n - hlen) == 0 &&
	       memcmp(reply + hlen + 8, pkt + 8, PAYLOAD) == 0;
}

static void check_create(void)
{
	check_err("socket.raw_udp", usys_socket(AF_INET, SOCK_RAW, IPPROTO_UDP), -EPROTONOSUPPORT);
	check_err("socket.raw_zero", usys_socket(AF_INET, SOCK_RAW, 0), -EPROTONOSUPPORT);
	int fd = usys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	CHECK("socket.raw_icmp", fd >= 0);
	int v = 0;
	socklen_t len = sizeof v;
	CHECK("socket.so_type", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_RAW);
	v = 1;
	check_eq("setsockopt.broadcast", setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, sizeof v), 0);
	close(fd);
}

/* To 127.0.0.1: the raw socket sees our request come in, then the reply. */
static void check_loopback(void)
{
	int fd = usys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in lo = addr("127.0.0.1"), from;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	check_eq("poll.empty", poll(&p, 1, 0), 0);
	unsigned long long raw_in = net_counter(ZC_NET_raw_in);
	make_echo(1);
	check_eq("sendto.loopback", do_sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&lo, sizeof lo),
		 sizeof pkt);
	long n = recv_within(fd, 1000, &from);
	CHECK("recv.own_request", is_echo(n, ICMP_ECHO_REQUEST, 1, "127.0.0.1"));
	n = recv_within(fd, 1000, &from);
	CHECK("recv.reply_with_ip_header", is_echo(n, ICMP_ECHO_REPLY, 1, "127.0.0.1"));
	CHECK("recv.from", from.sin_family == AF_INET && from.sin_port == 0 &&
	      from.sin_addr.s_addr == lo.sin_addr.s_addr);
	check_eq("ledger.raw_in", net_counter(ZC_NET_raw_in) - raw_in, 2);
	check_err("recv.empty_nonblock", do_recvfrom(fd, reply, sizeof reply, MSG_DONTWAIT, 0, 0), -EAGAIN);
	close(fd);
}

/* A raw socket sees the replies that a ping socket asked for, and the
 * ping socket still gets its own. */
static void check_beside_ping_socket(void)
{
	int raw = usys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	int ping = usys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
	struct sockaddr_in lo = addr("127.0.0.1"), from;
	make_echo(2);
	do_sendto(ping, pkt, sizeof pkt, 0, (struct sockaddr *)&lo, sizeof lo);
	long n = recv_within(ping, 1000, &from);
	CHECK("ping_socket.reply", n == (long)sizeof pkt && reply[0] == ICMP_ECHO_REPLY && reply[7] == 2);
	int types = 0;
	while ((n = recv_within(raw, 200, &from)) > 0)
		types |= 1 << reply[20];
	check_eq("raw.sees_both", types, (1 << ICMP_ECHO_REQUEST) | (1 << ICMP_ECHO_REPLY));
	close(raw);
	close(ping);
}

static void check_bad_input(void)
{
	int fd = usys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in lo = addr("127.0.0.1");
	static unsigned char big[2000];
	check_err("sendto.short", do_sendto(fd, pkt, 4, 0, (struct sockaddr *)&lo, sizeof lo), -EINVAL);
	check_err("sendto.too_big", do_sendto(fd, big, sizeof big, 0, (struct sockaddr *)&lo, sizeof lo),
		  -EMSGSIZE);
	check_err("sendto.efault", do_sendto(fd, (void *)0xC0000000, 64, 0, (struct sockaddr *)&lo, sizeof lo),
		  -EFAULT);
	check_err("sendto.no_address", do_sendto(fd, pkt, sizeof pkt, 0, 0, 0), -EDESTADDRREQ);
	check_err("write.unconnected", usys_write(fd, pkt, sizeof pkt), -EDESTADDRREQ);
	make_echo(3);
	do_sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&lo, sizeof lo);
	usleep(100000);
	check_err("recvfrom.efault", do_recvfrom(fd, (void *)0xC0000000, 100, 0, 0, 0), -EFAULT);
	check_eq("connect", connect(fd, (struct sockaddr *)&lo, sizeof lo), 0);
	make_echo(4);
	check_eq("write.connected", usys_write(fd, pkt, sizeof pkt), sizeof pkt);
	close(fd);
}

/* The gateway answers (QEMU's slirp); our identifier comes back unchanged. */
static void check_gateway(void)
{
	int fd = usys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	struct sockaddr_in gw = addr("10.0.2.2"), from;
	int got = 0;
	for (int seq = 10; seq < 13 && !got; seq++) {   /* QEMU may hold the first frames for a second */
		make_echo(seq);
		do_sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&gw, sizeof gw);
		long n;
		while (!got && (n = recv_within(fd, 2000, &from)) > 0)
			got = is_echo(n, ICMP_ECHO_REPLY, seq, "10.0.2.2");
	}
	CHECK("gateway.reply", got);
	close(fd);
}

int main(int argc, char **argv)
{
	check_create();
	check_loopback();
	check_beside_ping_socket();
	check_bad_input();
	if (argc > 1 && strcmp(argv[1], "net") == 0)
		check_gateway();
	return ztest_summary();
}
