/*
 * icmp.c - ICMP (RFC 792): answering pings, and replies for ping sockets.
 *
 * Receive: icmp_input checks the length and checksum; an echo request is
 * answered with an echo reply carrying the same data; an echo reply goes
 * to the ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), Linux's
 * unprivileged ping) whose port is the reply's identifier.
 * Transmit: the reply's checksum is computed here in software (the NIC's
 * checksum context covers TCP and UDP).
 */
#include "kernel.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/sock.h"

struct icmp_hdr {
	uint8_t type, code;
	uint16_t csum;
	uint16_t id, seq;
} __attribute__((packed));

static void icmp_echo_reply(struct netbuf *in)
{
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return;
	uint32_t len = MIN(in->len, ETH_MTU - IP_HLEN);
	uint8_t *p = nb_put(nb, len);
	memcpy(p, in->data, len);
	struct icmp_hdr *h = (struct icmp_hdr *)p;
	h->type = ICMP_ECHO_REPLY;
	h->code = 0;
	h->csum = 0;
	h->csum = csum_finish(csum_add(0, p, len));
	nb->payload_linear = len - sizeof *h;
	nb->what = "kernel->nic";
	NETSTAT_INC(icmp_echo_replies);
	ip_output(nb, IPPROTO_ICMP, in->dst_ip, in->src_ip);   /* from the address asked */
}

void icmp_input(struct netbuf *nb)
{
	NETSTAT_INC(icmp_in);
	struct icmp_hdr *h = (struct icmp_hdr *)nb->data;
	if (icmp_check(nb->data, nb->len)) {
		NETSTAT_INC(icmp_bad);
		nb_free(nb);
		return;
	}
	if (h->type == ICMP_ECHO_REQUEST && h->code == 0 && ip_is_local(nb->dst_ip)) {
		icmp_echo_reply(nb);
	} else if (h->type == ICMP_ECHO_REPLY) {
		struct sock *sk = sock_lookup_dgram(IPPROTO_ICMP, nb->dst_ip, h->id, nb->src_ip, 0);
		if (sk) {
			nb->src_port = 0;
			dgram_deliver(sk, nb);
			return;
		}
	}
	nb_free(nb);
}
