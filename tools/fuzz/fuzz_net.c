/*
 * fuzz_net.c - libFuzzer harness for the received-header checks
 * (kernel/net/wire.c) and the Internet checksum.
 *
 * The input is one control byte and an Ethernet frame.  The harness
 * takes the frame up the stack the way eth_input, ip_input and the
 * protocols' inputs do (kernel/net/), each layer getting a heap copy of
 * exactly the bytes the layer below hands it, so AddressSanitizer stops
 * a parser that reads past them.  Control bits 0 and 1 make the harness
 * fill in a correct IPv4 header checksum and a correct TCP/UDP checksum
 * first (with its own RFC 1071 code), so that mutants get past the
 * checksums into the header checks.  What must hold:
 *   - csum_add folds to the sum a plain 16-bit RFC 1071 loop gives, for
 *     the whole frame at any alignment;
 *   - an accepted ARP packet is Ethernet/IPv4 and fits (RFC 826);
 *   - an accepted IPv4 header (RFC 791 3.1): 20 <= header length <= total
 *     length <= bytes received, a good checksum, not a fragment; accepted
 *     options are padding only;
 *   - an accepted ICMP message has its 8-byte header and a good checksum;
 *   - an accepted UDP datagram (RFC 768): 8 <= length <= what IP gave,
 *     and a good checksum if it has one;
 *   - an accepted TCP segment (RFC 793 3.1): 20 <= header length <=
 *     segment length, a multiple of 4, a good checksum; an MSS found is an
 *     option of kind 2, length 4, inside the options.
 */
#include "fuzz.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/udp.h"

#define FIX_IP_CSUM 1
#define FIX_L4_CSUM 2

/* RFC 1071 the slow way: 16-bit words in memory order, an odd last byte
 * as the low byte of a word, end-around carry.  ~ of it goes on the wire. */
static uint16_t ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += p[i] | p[i + 1] << 8;
	if (n & 1)
		sum += p[n - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The sum of the TCP/UDP pseudo-header (RFC 793 3.1): addresses,
 * protocol, length, in wire order. */
static uint16_t ref_pseudo(const uint8_t *ip, uint8_t proto, uint16_t len)
{
	uint8_t ph[12];
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
	return ref_sum(0, ph, sizeof ph);
}

static bool ref_ok(uint16_t sum) { return sum == 0xffff; }

static void check_csum(const uint8_t *frame, size_t len)
{
	for (size_t align = 0; align < 4 && align <= len; align++) {
		uint8_t *p = fuzz_dup(frame + align, len - align);
		uint16_t got = csum_fold(csum_add(0, p, (uint32_t)(len - align)));
		uint16_t want = ref_sum(0, p, len - align);
		CHECK(got == want || (got % 0xffff == 0 && want % 0xffff == 0),
		      "csum_add folds to %#x over %zu bytes, RFC 1071 gives %#x", got, len - align, want);
		fuzz_free(p, len - align);
	}
}

static void check_arp(const uint8_t *p, uint32_t n)
{
	if (arp_check(p, n))
		return;
	CHECK(n >= sizeof(struct arp_pkt), "accepted ARP packet of %u bytes", n);
	CHECK(be16(p) == ARP_HW_ETHER && be16(p + 2) == ETH_TYPE_IP && p[4] == ETH_ALEN && p[5] == 4,
	      "accepted ARP for hardware %u, protocol %#x", be16(p), be16(p + 2));
	CHECK(!(p[8] & 1) && le32(p + 14) != 0, "accepted ARP from a group address or 0.0.0.0");
}

static void check_tcp(const uint8_t *ip, uint8_t *seg, uint32_t n, uint8_t ctl)
{
	uint32_t hlen;
	if ((ctl & FIX_L4_CSUM) && n >= TCP_HLEN) {
		seg[16] = seg[17] = 0;
		uint16_t c = (uint16_t)~ref_sum(ref_pseudo(ip, IPPROTO_TCP, n), seg, n);
		memcpy(seg + 16, &c, 2);
	}
	if (tcp_check(seg, n, le32(ip + 12), le32(ip + 16), &hlen))
		return;
	CHECK(hlen >= TCP_HLEN && hlen <= n && hlen % 4 == 0, "TCP header of %u in a segment of %u", hlen, n);
	CHECK(ref_ok(ref_sum(ref_pseudo(ip, IPPROTO_TCP, n), seg, n)), "TCP segment with a bad checksum");
	uint8_t *opt = fuzz_dup(seg + TCP_HLEN, hlen - TCP_HLEN);
	uint16_t mss = tcp_parse_mss(opt, hlen - TCP_HLEN);
	if (mss) {
		bool found = false;
		for (uint32_t i = 0; i + 4 <= hlen - TCP_HLEN && !found; i++)
			found = opt[i] == 2 && opt[i + 1] == 4 && be16(opt + i + 2) == mss;
		CHECK(found, "MSS %u not in the options", mss);
	}
	fuzz_free(opt, hlen - TCP_HLEN);
}

static void check_udp(const uint8_t *ip, uint8_t *seg, uint32_t n, uint8_t ctl)
{
	uint32_t ulen;
	if ((ctl & FIX_L4_CSUM) && n >= UDP_HLEN && be16(seg + 4) >= UDP_HLEN && be16(seg + 4) <= n) {
		seg[6] = seg[7] = 0;
		uint16_t c = (uint16_t)~ref_sum(ref_pseudo(ip, IPPROTO_UDP, be16(seg + 4)), seg, be16(seg + 4));
		memcpy(seg + 6, &c, 2);
	}
	if (udp_check(seg, n, le32(ip + 12), le32(ip + 16), &ulen))
		return;
	CHECK(ulen >= UDP_HLEN && ulen <= n && ulen == be16(seg + 4), "UDP length %u in %u bytes", ulen, n);
	CHECK((seg[6] == 0 && seg[7] == 0) || ref_ok(ref_sum(ref_pseudo(ip, IPPROTO_UDP, ulen), seg, ulen)),
	      "UDP datagram with a bad checksum");
}

static void check_ip(uint8_t *p, uint32_t n, uint8_t ctl)
{
	uint32_t hlen;
	if ((ctl & FIX_IP_CSUM) && n >= IP_HLEN && (p[0] & 15) * 4u <= n) {
		p[10] = p[11] = 0;
		uint16_t c = (uint16_t)~ref_sum(0, p, (p[0] & 15) * 4u);
		memcpy(p + 10, &c, 2);
	}
	uint32_t bad = ip_check(p, n, &hlen);
	CHECK(!bad || bad == ZC_NET_ip_bad_header || bad == ZC_NET_ip_bad_len || bad == ZC_NET_ip_bad_csum ||
	      bad == ZC_NET_ip_fragments, "ip_check answered counter %u", bad);
	if (bad)
		return;
	uint32_t total = be16(p + 2);
	CHECK(p[0] >> 4 == 4, "accepted IP version %u", p[0] >> 4);
	CHECK(IP_HLEN <= hlen && hlen == (p[0] & 15) * 4u && hlen <= total && total <= n,
	      "header %u, total %u, received %u", hlen, total, n);
	CHECK(ref_ok(ref_sum(0, p, hlen)), "IP header with a bad checksum");
	CHECK(!(be16(p + 6) & (IP_MF | IP_OFFMASK)), "accepted a fragment");
	uint8_t *opt = fuzz_dup(p + IP_HLEN, hlen - IP_HLEN);
	if (ip_options_ok(opt, hlen - IP_HLEN))
		for (uint32_t i = 0; i < hlen - IP_HLEN && opt[i] != 0; i++)
			CHECK(opt[i] == 1, "accepted IP option %u", opt[i]);
	fuzz_free(opt, hlen - IP_HLEN);
	uint8_t *seg = fuzz_dup(p + hlen, total - hlen);    /* nb_trim, then nb_pull */
	uint32_t len = total - hlen;
	if (p[9] == IPPROTO_ICMP && !icmp_check(seg, len))
		CHECK(len >= ICMP_HLEN && ref_ok(ref_sum(0, seg, len)), "ICMP message of %u bytes accepted", len);
	else if (p[9] == IPPROTO_UDP)
		check_udp(p, seg, len, ctl);
	else if (p[9] == IPPROTO_TCP)
		check_tcp(p, seg, len, ctl);
	fuzz_free(seg, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t ctl = data[0];
	const uint8_t *frame = data + 1;
	size_t len = size - 1;
	if (len > 2048)                      /* NB_RX_SIZE: the NIC never hands up more */
		return 0;
	check_csum(frame, len);
	if (len < ETH_HLEN)
		return 0;                        /* eth_input: eth_short */
	uint8_t *p = fuzz_dup(frame + ETH_HLEN, len - ETH_HLEN);
	uint16_t type = be16(frame + 12);
	if (type == ETH_TYPE_ARP)
		check_arp(p, (uint32_t)(len - ETH_HLEN));
	else if (type == ETH_TYPE_IP)
		check_ip(p, (uint32_t)(len - ETH_HLEN), ctl);
	fuzz_free(p, len - ETH_HLEN);
	return 0;
}
