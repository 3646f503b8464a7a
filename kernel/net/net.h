/*
 * net.h - what every layer of zc32's network stack shares: the
 * interface's configuration, byte order, the Internet checksum, the
 * drop counters, and each layer's entry points.
 *
 * Receive runs bottom up inside the NIC's interrupt:
 *   e1000_irq -> net_rx -> ack_filter_rx -> eth_input -> arp_input | ip_input -> icmp_input | udp_input | tcp_input
 * Transmit runs top down, from a system call or from an arriving ACK:
 *   tcp_output | udp_output | icmp -> ip_output -> arp_output -> eth_output -> net_xmit -> e1000_xmit
 * Drivers see only net/netif.h.
 * (docs/network.md walks through both paths.)
 */
#ifndef ZC32_NET_H
#define ZC32_NET_H
#include "types.h"
#include "net/netif.h"

#define ETH_TYPE_IP   0x0800
#define ETH_TYPE_ARP  0x0806

#define IP_HLEN       20
#define IP_DF         0x4000
#define IP_MF         0x2000
#define IP_OFFMASK    0x1fff
#define ICMP_HLEN     8            /* type, code, checksum, identifier, sequence */
#include "uapi/socket.h"      /* IPPROTO_*, AF_INET, SOCK_*: Linux's values */

/* This host's IPv4 configuration (net_init), in network byte order. */
struct ip_config {
	uint32_t ip, netmask, gateway;
};
extern struct ip_config ipconf;
/* The network card a driver registered; without one, a stand-in with
 * no xmit (net_xmit then says -ENETDOWN). */
extern struct netif *netif;

/* Ethernet II (DIX) header: 6-byte addresses and a 2-byte type. */
struct eth_hdr {
	uint8_t dst[ETH_ALEN];
	uint8_t src[ETH_ALEN];
	uint16_t type;
} __attribute__((packed));

/* IPv4 header (RFC 791 3.1), without options. */
struct ip_hdr {
	uint8_t ver_ihl;             /* version 4, header length in words */
	uint8_t tos;
	uint16_t len;                /* header + data */
	uint16_t id;
	uint16_t frag;               /* flags (DF, MF), offset in 8-byte units */
	uint8_t ttl;
	uint8_t proto;
	uint16_t csum;
	uint32_t src, dst;
} __attribute__((packed));

/* ARP packet for IPv4 over Ethernet (RFC 826). */
#define ARP_HW_ETHER  1
struct arp_pkt {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[ETH_ALEN];
	uint32_t spa;
	uint8_t tha[ETH_ALEN];
	uint32_t tpa;
} __attribute__((packed));

/* x86 is little-endian; the wire is big-endian. */
static inline uint16_t htons(uint16_t x) { return (uint16_t)((x << 8) | (x >> 8)); }
static inline uint16_t ntohs(uint16_t x) { return htons(x); }
static inline uint32_t htonl(uint32_t x) { return __builtin_bswap32(x); }
static inline uint32_t ntohl(uint32_t x) { return __builtin_bswap32(x); }

/* The Internet checksum (RFC 1071), summed in memory order so that the
 * folded result can be stored as is.  csum_add may be chained; every
 * piece but the last must have an even length. */
uint32_t csum_add(uint32_t sum, const void *data, uint32_t len);
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}
static inline uint16_t csum_finish(uint32_t sum) { return (uint16_t)~csum_fold(sum); }
/* TCP/UDP pseudo-header (RFC 793 3.1): addresses, protocol, length. */
static inline uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src & 0xffff) + (src >> 16) + (dst & 0xffff) + (dst >> 16) +
	       htons(proto) + htons(len);
}

/* wire.c: received headers checked (0, or the ZC_NET_* drop counter) */
uint32_t arp_check(const uint8_t *p, uint32_t len);
uint32_t ip_check(const uint8_t *p, uint32_t len, uint32_t *hlen);
bool     ip_options_ok(const uint8_t *opt, uint32_t len);
uint32_t icmp_check(const uint8_t *p, uint32_t len);
uint32_t udp_check(const uint8_t *p, uint32_t len, uint32_t src, uint32_t dst, uint32_t *ulen);
uint32_t tcp_check(const uint8_t *p, uint32_t len, uint32_t src, uint32_t dst, uint32_t *hlen);
uint16_t tcp_parse_mss(const uint8_t *opt, uint32_t optlen);

/* net.c */
void net_init(void);
int  net_xmit(struct netbuf *nb);      /* a frame to the driver */

/* ethernet.c */
void eth_input(struct netbuf *nb);
int  eth_output(struct netbuf *nb, const uint8_t *dst_mac, uint16_t type);
extern const uint8_t eth_broadcast[ETH_ALEN];

/* arp.c */
void arp_input(struct netbuf *nb);
int  arp_output(struct netbuf *nb, uint32_t next_hop);   /* resolve, then eth_output */
void arp_tick(void);

/* ip.c */
void ip_input(struct netbuf *nb);
int  ip_output(struct netbuf *nb, uint8_t proto, uint32_t src, uint32_t dst);
bool ip_is_local(uint32_t ip);         /* ours or 127/8 */
uint32_t ip_src_for(uint32_t dst);     /* our source address towards dst */
bool ip_route_ok(uint32_t src, uint32_t dst);   /* false: from 127/8 to another host */
void ip_loopback_drain(void);          /* deliver packets we sent to ourselves */

/* icmp.c */
void icmp_input(struct netbuf *nb);

/* udp.c */
void udp_input(struct netbuf *nb);

/* ack_filter.c: a receive batch's pure ACKs (net_rx, net_batch_end) */
void ack_filter_rx(struct netbuf *nb);
void ack_filter_flush(void);

/* tcp_input.c, tcp_timer.c */
void tcp_input(struct netbuf *nb);
void tcp_tick(void);

#endif
