/*
 * ip.c - IPv4 (RFC 791): the header, checks on receive, routing on send.
 *
 * Receive: ip_input checks version, header length, total length (never
 * trusting the wire: the frame may be shorter than the header claims, or
 * padded) and the header checksum in software (QEMU's e1000 has no
 * receive checksum offload; ip_check, wire.c); it drops fragments and
 * packets with options (ip_options_ok), and passes ICMP, UDP and TCP up.
 * Transmit: ip_output prepends the header, asks the NIC to compute the
 * header checksum (NB_CSUM_IP), picks the next hop (the destination on
 * our subnet, else the gateway) and calls arp_output.
 * Loopback: a packet for this host (our address, or 127.0.0.0/8) never
 * reaches the NIC.  ip_loopback copies it into a receive netbuf, does the
 * checksums the NIC would have done, and queues it; ip_loopback_drain
 * feeds the queue to ip_input when the outermost layer of the stack is
 * done (net_batch_end), so TCP talking to itself never recurses.
 */
#include "kernel.h"
#include "mmu.h"
#include "ledger/ledger.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/raw.h"

#define IP_TTL     64

static uint16_t next_id;

/* 127.0.0.0/8 (RFC 1122 3.2.1.3): this host, never on the wire. */
static bool ip_is_loopback(uint32_t ip)
{
	return (ip & 0xff) == 127;           /* network order: the first byte */
}

/* An address of this host: ours, or a loopback one. */
bool ip_is_local(uint32_t ip)
{
	return ip == ipconf.ip || ip_is_loopback(ip);
}

/* The source address for a packet to dst (like Linux: 127.0.0.1 talks to
 * itself from a loopback address, everything else from ours). */
uint32_t ip_src_for(uint32_t dst)
{
	return ip_is_loopback(dst) ? dst : ipconf.ip;
}

/* May a packet go from src to dst?  Not from a loopback address to
 * another host: 127/8 must never reach the wire (Linux refuses such a
 * connect or sendto with EINVAL too). */
bool ip_route_ok(uint32_t src, uint32_t dst)
{
	return !src || !ip_is_loopback(src) || ip_is_local(dst);
}

/* ---- loopback ------------------------------------------------------- */

static struct list lo_queue = LIST_INIT(lo_queue);
static bool lo_draining;

/* A packet for ourselves: make the frame the NIC would have sent (one
 * linear copy of headers and payload fragments, checksums filled in) and
 * queue it for ip_loopback_drain.  The copy is a CPU copy of payload,
 * counted as kernel->kernel ("loopback").  Interrupts off. */
static int ip_loopback(struct netbuf *nb)
{
	uint32_t total = nb_total(nb);
	struct netbuf *rx = total <= NB_RX_SIZE ? nb_alloc_rx() : NULL;
	if (!rx) {
		NETSTAT_INC(ip_loopback_dropped);
		nb_free(nb);
		return -ENOBUFS;
	}
	uint8_t *p = nb_put(rx, total);
	memcpy(p, nb->data, nb->len);
	for (int i = 0, off = nb->len; i < nb->nfrags; off += nb->frag[i].len, i++)
		memcpy(p + off, P2V(nb->frag[i].pa), nb->frag[i].len);
	if (nb->csum & NB_CSUM_L4) {         /* the field holds the pseudo-header seed */
		uint16_t *c = (uint16_t *)(p + nb->ip_hlen + nb->l4_csum_off);
		*c = csum_finish(csum_add(0, p + nb->ip_hlen, total - nb->ip_hlen));
	}
	if (nb->csum & NB_CSUM_IP) {
		struct ip_hdr *h = (struct ip_hdr *)p;
		h->csum = csum_finish(csum_add(0, h, nb->ip_hlen));
	}
	uint32_t payload = nb->payload_linear + nb->frag_len;
	if (payload)
		ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, payload, "loopback");
	rx->loopback = true;
	nb_free(nb);
	list_push_back(&lo_queue, &rx->link);
	NETSTAT_INC(ip_loopback);
	return 0;
}

/* At most this many packets for ourselves per drain: a conversation of
 * the stack with itself that never ends (a bug, or a hostile program)
 * then costs CPU time at each timer tick instead of hanging the kernel
 * with interrupts off. */
#define LO_DRAIN_MAX 64

/* Deliver the queued packets for ourselves (net_batch_end, outermost
 * level, interrupts off).  What they make the stack send to itself is
 * queued behind them and delivered by this same loop, up to
 * LO_DRAIN_MAX; the rest waits for the next net_batch_end (at the
 * latest, the next timer tick's net_tick). */
void ip_loopback_drain(void)
{
	if (lo_draining)
		return;
	lo_draining = true;
	for (int n = 0; n < LO_DRAIN_MAX && !list_empty(&lo_queue); n++) {
		struct netbuf *nb = list_entry(lo_queue.next, struct netbuf, link);
		list_remove(&nb->link);
		ip_input(nb);
	}
	lo_draining = false;
}

void ip_input(struct netbuf *nb)
{
	NETSTAT_INC(ip_in);
	struct ip_hdr *h = (struct ip_hdr *)nb->data;
	uint32_t hlen, bad = ip_check(nb->data, nb->len, &hlen);
	if (bad) {
		net_counters[bad]++;
		goto drop;
	}
	if (!nb->loopback && (ip_is_loopback(h->src) || ip_is_loopback(h->dst) ||
			      (ipconf.ip && h->src == ipconf.ip))) {
		/* 127/8 never comes from the wire, nor does our own address as
		 * a source (a "LAND" packet would make us talk to ourselves). */
		NETSTAT_INC(ip_martians);
		goto drop;
	}
	uint32_t bcast = ipconf.ip | ~ipconf.netmask;
	if (!ip_is_local(h->dst) && h->dst != 0xffffffff && h->dst != bcast) {
		NETSTAT_INC(ip_not_for_us);
		goto drop;
	}
	if (!ip_options_ok((uint8_t *)(h + 1), hlen - IP_HLEN)) {
		NETSTAT_INC(ip_options);
		goto drop;
	}
	nb_trim(nb, ntohs(h->len));          /* Ethernet pads short frames */
	nb->src_ip = h->src;
	nb->dst_ip = h->dst;
	uint8_t proto = h->proto;
	if (proto == IPPROTO_ICMP)
		raw_input(nb, proto, hlen, h->src, h->dst);   /* copies for raw sockets, header and all */
	nb_pull(nb, hlen);
	switch (proto) {
	case IPPROTO_ICMP: icmp_input(nb); return;
	case IPPROTO_UDP:  udp_input(nb); return;
	case IPPROTO_TCP:  tcp_input(nb); return;
	}
	NETSTAT_INC(ip_bad_proto);
drop:
	nb_free(nb);
}

/* nb holds the transport header (and maybe payload); src 0 means the
 * address ip_src_for(dst) picks. */
int ip_output(struct netbuf *nb, uint8_t proto, uint32_t src, uint32_t dst)
{
	if (!ip_route_ok(src, dst)) {        /* the socket calls refuse this first */
		nb_free(nb);
		return -EINVAL;
	}
	struct ip_hdr *h = (struct ip_hdr *)nb_push(nb, IP_HLEN);
	h->ver_ihl = 0x45;
	h->tos = 0;
	h->len = htons(nb_total(nb));
	h->id = htons(next_id++);
	h->frag = htons(proto == IPPROTO_TCP ? IP_DF : 0);
	h->ttl = IP_TTL;
	h->proto = proto;
	h->csum = 0;                         /* the NIC fills it (IXSM) */
	h->src = src ? src : ip_src_for(dst);
	h->dst = dst;
	nb->csum |= NB_CSUM_IP;
	nb->ip_hlen = IP_HLEN;
	NETSTAT_INC(ip_out);
	if (ip_is_local(dst)) {
		net_batch_begin();               /* outside a batch: delivered on return */
		int r = ip_loopback(nb);
		net_batch_end();
		return r;
	}
	uint32_t hop = dst;
	if (dst != 0xffffffff && (dst & ipconf.netmask) != (ipconf.ip & ipconf.netmask))
		hop = ipconf.gateway;
	return arp_output(nb, hop);
}
