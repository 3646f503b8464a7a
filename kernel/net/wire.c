/*
 * wire.c - what a received frame's headers must be before the stack
 * trusts them, and the Internet checksum: pure functions of (bytes,
 * length), so tools/fuzz/fuzz_net.c runs this same code on the host.
 * Each check returns 0 or the drop counter (ZC_NET_*) its caller bumps.
 */
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define IPOPT_EOL  0               /* end of the option list (RFC 791 3.1) */
#define IPOPT_NOP  1               /* padding between options */

/* One's-complement addition of a 32-bit word (RFC 1071 2(1)): the
 * carry out of bit 31 comes back in at bit 0, so the 32-bit total folds
 * to the same 16-bit sum (csum_fold).  Compiles to add + adc. */
static inline uint32_t add_carry(uint32_t sum, uint32_t word)
{
	sum += word;
	return sum + (sum < word);
}

/* Sum 32 bits at a time (RFC 1071 4.1), two words a turn: a pure ACK's
 * two checksums (IP and TCP headers) run on every received segment, and
 * the loop's own counting costs as much as the adding. */
uint32_t csum_add(uint32_t sum, const void *data, uint32_t len)
{
	const uint32_t *w = data;
	for (; len >= 8; w += 2, len -= 8)
		sum = add_carry(add_carry(sum, w[0]), w[1]);
	const uint8_t *p = (const uint8_t *)w;
	if (len >= 4) {
		sum = add_carry(sum, *(const uint32_t *)p);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		sum = add_carry(sum, *(const uint16_t *)p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum = add_carry(sum, *p);            /* low byte of a last, padded word */
	return sum;
}

/* An ARP packet (RFC 826) for Ethernet and IPv4 from a unicast sender
 * with an address. */
uint32_t arp_check(const uint8_t *p, uint32_t len)
{
	const struct arp_pkt *a = (const struct arp_pkt *)p;
	if (len < sizeof *a || a->htype != htons(ARP_HW_ETHER) || a->ptype != htons(ETH_TYPE_IP) ||
	    a->hlen != ETH_ALEN || a->plen != 4 || (a->sha[0] & 1) || a->spa == 0)
		return ZC_NET_arp_bad;
	return 0;
}

/* An IPv4 header (RFC 791 3.1) the stack takes: version 4, 5 words or
 * more inside the frame, a total length from the header's up to the
 * frame's (which may be padded, or shorter than the header claims), a
 * good checksum, not a fragment.  *hlen: its bytes, options included. */
uint32_t ip_check(const uint8_t *p, uint32_t len, uint32_t *hlen)
{
	const struct ip_hdr *h = (const struct ip_hdr *)p;
	if (len < IP_HLEN || (h->ver_ihl >> 4) != 4 || (h->ver_ihl & 15) < 5 || (uint32_t)(h->ver_ihl & 15) * 4 > len)
		return ZC_NET_ip_bad_header;
	*hlen = (h->ver_ihl & 15) * 4;
	if (ntohs(h->len) < *hlen || ntohs(h->len) > len)
		return ZC_NET_ip_bad_len;
	if (csum_fold(csum_add(0, h, *hlen)) != 0xffff)
		return ZC_NET_ip_bad_csum;
	if (ntohs(h->frag) & (IP_MF | IP_OFFMASK))
		return ZC_NET_ip_fragments;
	return 0;
}

/* IPv4 options (RFC 791 3.1): zc32 implements none, so a packet that
 * carries anything but padding (NOP, EOL) is dropped and counted rather
 * than half-handled.  RFC 1122 3.2.1.8 would have a host ignore options
 * it does not know, but some of them ask for things the reply must do
 * (a source route has to be reversed, a record route filled in), and
 * Linux drops source-routed packets by default too.  A malformed option
 * list is refused the same way. */
bool ip_options_ok(const uint8_t *opt, uint32_t len)
{
	for (uint32_t i = 0; i < len && opt[i] != IPOPT_EOL; i++)
		if (opt[i] != IPOPT_NOP)
			return false;
	return true;
}

/* An ICMP message (RFC 792): a header, and a checksum over all of it. */
uint32_t icmp_check(const uint8_t *p, uint32_t len)
{
	if (len < ICMP_HLEN || csum_fold(csum_add(0, p, len)) != 0xffff)
		return ZC_NET_icmp_bad;
	return 0;
}

/* A UDP datagram (RFC 768) in len bytes from src to dst: a length from
 * the header's up to what IP delivered, and a good checksum if there is
 * one (0: the sender computed none).  *ulen: the datagram's length. */
uint32_t udp_check(const uint8_t *p, uint32_t len, uint32_t src, uint32_t dst, uint32_t *ulen)
{
	const struct udp_hdr *h = (const struct udp_hdr *)p;
	if (len < UDP_HLEN || ntohs(h->len) < UDP_HLEN || ntohs(h->len) > len)
		return ZC_NET_udp_bad;
	*ulen = ntohs(h->len);
	if (h->csum && csum_fold(csum_add(csum_pseudo(src, dst, IPPROTO_UDP, *ulen), p, *ulen)) != 0xffff)
		return ZC_NET_udp_bad;
	return 0;
}

/* A TCP segment (RFC 793 3.1) of len bytes from src to dst: a header of
 * 5 words or more inside the segment, and a good checksum.  *hlen: the
 * header's bytes, options included. */
uint32_t tcp_check(const uint8_t *p, uint32_t len, uint32_t src, uint32_t dst, uint32_t *hlen)
{
	const struct tcp_hdr *h = (const struct tcp_hdr *)p;
	*hlen = len >= TCP_HLEN ? (uint32_t)(h->off >> 4) * 4 : 0;
	if (*hlen < TCP_HLEN || *hlen > len)
		return ZC_NET_tcp_bad_len;
	if (csum_fold(csum_add(csum_pseudo(src, dst, IPPROTO_TCP, len), p, len)) != 0xffff)
		return ZC_NET_tcp_bad_csum;
	return 0;
}

/* The MSS option (RFC 793 3.1, kind 2, length 4) among a SYN's
 * options, or 0 if it has none. */
uint16_t tcp_parse_mss(const uint8_t *opt, uint32_t optlen)
{
	uint32_t i = 0;
	while (i < optlen) {
		uint8_t kind = opt[i];
		if (kind == 0)                   /* end of options */
			break;
		if (kind == 1) {                 /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 || i + opt[i + 1] > optlen)
			break;                       /* malformed: ignore the rest */
		if (kind == 2 && opt[i + 1] == 4)
			return opt[i + 2] << 8 | opt[i + 3];
		i += opt[i + 1];
	}
	return 0;
}
