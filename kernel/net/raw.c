/*
 * raw.c - raw ICMP sockets: socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), what
 * ping programs written for Linux open first (busybox's ping does; the
 * unprivileged "ping socket", SOCK_DGRAM, is socket.c's and icmp.c's).
 *
 * Send (raw_send): the user's bytes are a whole ICMP message, header and
 * checksum included; the kernel puts an IPv4 header in front (ip_output)
 * and changes nothing else.
 * Receive (raw_input, from ip_input before ICMP's own handling): every
 * raw ICMP socket whose bound and connected addresses match gets its own
 * copy of the IP packet, IP header included, as on Linux (raw(7): "the IP
 * header is included when receiving").  The copy is a CPU copy, counted
 * as kernel->kernel ("nic->raw"); Linux shares one buffer instead.
 * recvfrom then returns the packet and the sender's address (dgram_recv).
 */
#include "kernel.h"
#include "x86.h"
#include "ledger/ledger.h"
#include "mm/uaccess.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/sock.h"
#include "net/raw.h"

#define RAW_MAX       (ETH_MTU - IP_HLEN)    /* no fragmentation: one frame */

/* Does sk want this packet?  Its protocol, and the addresses it was
 * bound or connected to, if any. */
static bool raw_wants(const struct sock *sk, uint8_t proto, uint32_t src, uint32_t dst)
{
	return sk->type == SOCK_RAW && sk->proto == proto && !sk->rd_shut &&
	       (!sk->laddr || sk->laddr == dst) && (!sk->raddr || sk->raddr == src);
}

/* nb: a checked IP packet for this host, data at its IP header, len its
 * total length (interrupt context).  nb itself goes on up the stack. */
void raw_input(struct netbuf *nb, uint8_t proto, uint32_t hlen, uint32_t src, uint32_t dst)
{
	list_for_each(it, &sock_list) {
		struct sock *sk = list_entry(it, struct sock, link);
		if (!raw_wants(sk, proto, src, dst))
			continue;
		struct netbuf *copy = nb->len <= NB_RX_SIZE ? nb_alloc_rx() : NULL;
		if (!copy) {
			NETSTAT_INC(raw_dropped);
			continue;
		}
		memcpy(nb_put(copy, nb->len), nb->data, nb->len);
		if (nb->len > hlen + ICMP_HLEN)
			ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, nb->len - hlen - ICMP_HLEN, "nic->raw");
		copy->src_ip = src;
		copy->dst_ip = dst;
		copy->src_port = 0;
		NETSTAT_INC(raw_in);
		dgram_deliver(sk, copy);
	}
}

/* sendto on a raw ICMP socket: n bytes of ICMP message at ubuf, to dst.
 * The message is sent as it is, checksum and all. */
ssize_t raw_send(struct sock *sk, const char *ubuf, size_t n, uint32_t dst)
{
	if (n > RAW_MAX)
		return -EMSGSIZE;
	if (n < ICMP_HLEN || !ip_route_ok(sk->laddr, dst))
		return -EINVAL;
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return -ENOMEM;
	if (copy_from_user_as(nb_put(nb, n), ubuf, n, "user->socket") < 0) {
		nb_free(nb);
		return -EFAULT;
	}
	nb->payload_linear = n - ICMP_HLEN;
	nb->what = "socket->nic";
	uint32_t f = irq_save();
	int r = ip_output(nb, sk->proto, sk->laddr, dst);
	irq_restore(f);
	return r < 0 && r != -ENOBUFS ? r : (ssize_t)n;
}
