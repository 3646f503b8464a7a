/*
 * udp.c - UDP (RFC 768): datagrams with ports and a checksum.
 *
 * Receive: udp_input checks the length and (when present) the checksum,
 * finds the socket bound to the destination port and queues the netbuf,
 * header pulled off (dgram_deliver, socket.c).
 * Transmit: udp_output builds the header around a payload already in
 * the netbuf, seeds the checksum field with the pseudo-header sum and
 * lets the NIC finish it (NB_CSUM_L4).
 */
#include "net/net.h"
#include "net/netbuf.h"
#include "net/sock.h"
#include "net/udp.h"

void udp_input(struct netbuf *nb)
{
	NETSTAT_INC(udp_in);
	struct udp_hdr *h = (struct udp_hdr *)nb->data;
	uint32_t len;
	if (udp_check(nb->data, nb->len, nb->src_ip, nb->dst_ip, &len)) {
		NETSTAT_INC(udp_bad);
		goto drop;
	}
	nb_trim(nb, len);
	struct sock *sk = sock_lookup_dgram(IPPROTO_UDP, nb->dst_ip, h->dport, nb->src_ip, h->sport);
	if (!sk) {
		NETSTAT_INC(udp_no_port);
		goto drop;
	}
	nb->src_port = h->sport;
	nb_pull(nb, UDP_HLEN);
	dgram_deliver(sk, nb);
	return;
drop:
	nb_free(nb);
}

int udp_output(struct netbuf *nb, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	uint16_t len = nb_total(nb) + UDP_HLEN;
	struct udp_hdr *h = (struct udp_hdr *)nb_push(nb, UDP_HLEN);
	h->sport = sport;
	h->dport = dport;
	h->len = htons(len);
	h->csum = csum_fold(csum_pseudo(src ? src : ip_src_for(dst), dst, IPPROTO_UDP, len));
	nb->csum |= NB_CSUM_L4;
	nb->l4_csum_off = offsetof(struct udp_hdr, csum);
	return ip_output(nb, IPPROTO_UDP, src, dst);
}
