/*
 * ip.c - IPv4 (RFC 791): the header, checks on receive, routing on send.
 *
 * Receive: ip_input checks version, header length, total length (never
 * trusting the wire: the frame may be shorter than the header claims, or
 * padded) and the header checksum in software (QEMU's e1000 has no
 * receive checksum offload); it drops fragments, skips options, and
 * passes ICMP, UDP and TCP up.
 * Transmit: ip_output prepends the header, asks the NIC to compute the
 * header checksum (NB_CSUM_IP), picks the next hop (the destination on
 * our subnet, else the gateway) and calls arp_output.
 */
#include "kernel.h"
#include "net/net.h"
#include "net/netbuf.h"

struct ip_hdr {
	uint8_t ver_ihl;             /* version 4, header length in words */
	uint8_t tos;
	uint16_t len;                /* header + data */
	uint16_t id;
	uint16_t frag;               /* flags (DF 0x4000, MF 0x2000), offset in 8-byte units */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t src, dst;
} __attribute__((packed));

#define IP_DF      0x4000
#define IP_MF      0x2000
#define IP_OFFMASK 0x1fff
#define IP_TTL     64

static uint16_t next_id;

bool ip_is_local(uint32_t ip)
{
	return ip == netif.ip;
}

void ip_input(struct netbuf *nb)
{
	NETSTAT_INC(ip_in);
	struct ip_hdr *h = (struct ip_hdr *)nb->data;
	if (nb->len < IP_HLEN || (h->ver_ihl >> 4) != 4 || (h->ver_ihl & 15) < 5 ||
	    (uint32_t)(h->ver_ihl & 15) * 4 > nb->len) {
		NETSTAT_INC(ip_bad_header);
		goto drop;
	}
	uint32_t hlen = (h->ver_ihl & 15) * 4;
	uint32_t total = ntohs(h->len);
	if (total < hlen || total > nb->len) {
		NETSTAT_INC(ip_bad_len);
		goto drop;
	}
	if (csum_fold(csum_add(0, h, hlen)) != 0xffff) {
		NETSTAT_INC(ip_bad_csum);
		goto drop;
	}
	if (ntohs(h->frag) & (IP_MF | IP_OFFMASK)) {
		NETSTAT_INC(ip_fragments);
		goto drop;
	}
	uint32_t bcast = netif.ip | ~netif.netmask;
	if (h->dst != netif.ip && h->dst != 0xffffffff && h->dst != bcast) {
		NETSTAT_INC(ip_not_for_us);
		goto drop;
	}
	if (hlen > IP_HLEN)
		NETSTAT_INC(ip_options);         /* accepted; options are ignored */
	nb_trim(nb, total);                  /* Ethernet pads short frames */
	nb->src_ip = h->src;
	nb->dst_ip = h->dst;
	uint8_t proto = h->proto;
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

/* nb holds the transport header (and maybe payload); src 0 means ours. */
int ip_output(struct netbuf *nb, uint8_t proto, uint32_t src, uint32_t dst)
{
	struct ip_hdr *h = (struct ip_hdr *)nb_push(nb, IP_HLEN);
	h->ver_ihl = 0x45;
	h->tos = 0;
	h->len = htons(nb_total(nb));
	h->id = htons(next_id++);
	h->frag = htons(proto == IPPROTO_TCP ? IP_DF : 0);
	h->ttl = IP_TTL;
	h->proto = proto;
	h->csum = 0;                         /* the NIC fills it (IXSM) */
	h->src = src ? src : netif.ip;
	h->dst = dst;
	nb->csum |= NB_CSUM_IP;
	nb->ip_hlen = IP_HLEN;
	NETSTAT_INC(ip_out);
	uint32_t hop = dst;
	if (dst != 0xffffffff && (dst & netif.netmask) != (netif.ip & netif.netmask))
		hop = netif.gateway;
	return arp_output(nb, hop);
}
