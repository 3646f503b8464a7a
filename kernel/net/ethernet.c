/*
 * ethernet.c - Ethernet II framing (IEEE 802.3, DIX header): 6-byte
 * destination and source addresses and a 2-byte type.
 *
 * Receive: eth_input checks the frame is long enough and for us, strips
 * the header and passes IPv4 to ip_input, ARP to arp_input.
 * Transmit: eth_output prepends the header and hands the frame to the
 * driver (net_xmit -> e1000_xmit).
 */
#include "kernel.h"
#include "net/net.h"
#include "net/netbuf.h"

const uint8_t eth_broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Six bytes as one 32-bit and one 16-bit compare: every received frame
 * is checked, and memcmp's byte loop cost more than the rest of
 * eth_input. */
static bool eth_addr_eq(const uint8_t *a, const uint8_t *b)
{
	return *(const uint32_t *)a == *(const uint32_t *)b &&
	       *(const uint16_t *)(a + 4) == *(const uint16_t *)(b + 4);
}

void eth_input(struct netbuf *nb)
{
	if (nb->len < ETH_HLEN) {
		NETSTAT_INC(eth_short);
		nb_free(nb);
		return;
	}
	struct eth_hdr *h = (struct eth_hdr *)nb->data;
	/* The NIC already filters; check anyway (promiscuous mode, a bug). */
	if (!eth_addr_eq(h->dst, netif->mac) && !eth_addr_eq(h->dst, eth_broadcast)) {
		NETSTAT_INC(eth_not_for_us);
		nb_free(nb);
		return;
	}
	uint16_t type = ntohs(h->type);
	nb_pull(nb, ETH_HLEN);
	if (type == ETH_TYPE_IP)
		ip_input(nb);
	else if (type == ETH_TYPE_ARP)
		arp_input(nb);
	else {
		NETSTAT_INC(eth_bad_type);
		nb_free(nb);
	}
}

int eth_output(struct netbuf *nb, const uint8_t *dst_mac, uint16_t type)
{
	struct eth_hdr *h = (struct eth_hdr *)nb_push(nb, ETH_HLEN);
	memcpy(h->dst, dst_mac, ETH_ALEN);
	memcpy(h->src, netif->mac, ETH_ALEN);
	h->type = htons(type);
	return net_xmit(nb);
}
