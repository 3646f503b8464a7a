/*
 * arp.c - the Address Resolution Protocol (RFC 826): which Ethernet
 * address has this IPv4 address?
 *
 * Receive: arp_input answers requests for our address and learns the
 * sender's address (QEMU's slirp asks for the guest before it forwards a
 * host connection to it).  Transmit: arp_output looks the next hop up in
 * a small cache; on a miss it keeps the packet (a few per address), sends
 * a request, and sends the packets when the reply comes.  arp_tick
 * repeats requests and gives up after a few seconds.
 */
#include "kernel.h"
#include "timer.h"
#include "net/net.h"
#include "net/netbuf.h"

#define ARP_ENTRIES     16
#define ARP_PENDING_MAX 8            /* packets waiting per address */
#define ARP_TTL_TICKS   (600 * timer_hz)
#define ARP_RETRY_TICKS (timer_hz / 2)
#define ARP_TRIES       6

#define ARP_OP_REQUEST  1
#define ARP_OP_REPLY    2

struct arp_entry {
	uint32_t ip;                 /* 0 = free */
	uint8_t mac[ETH_ALEN];
	bool resolved;
	uint64_t time;               /* resolved: when learned; else: last request */
	int tries;
	struct list pending;
	int npending;
};

static struct arp_entry cache[ARP_ENTRIES];

static struct arp_entry *arp_find(uint32_t ip)
{
	for (int i = 0; i < ARP_ENTRIES; i++)
		if (cache[i].ip == ip)
			return &cache[i];
	return NULL;
}

static void entry_clear(struct arp_entry *e, bool count)
{
	while (e->pending.next && !list_empty(&e->pending)) {
		struct netbuf *nb = list_entry(e->pending.next, struct netbuf, link);
		list_remove(&nb->link);
		if (count)
			NETSTAT_INC(arp_unresolved);
		nb_free(nb);
	}
	e->ip = 0;
	e->resolved = false;
	e->npending = 0;
}

/* A free entry, else the oldest one. */
static struct arp_entry *arp_new(uint32_t ip)
{
	struct arp_entry *victim = &cache[0];
	for (int i = 0; i < ARP_ENTRIES; i++) {
		if (!cache[i].ip) {
			victim = &cache[i];
			break;
		}
		if (cache[i].time < victim->time)
			victim = &cache[i];
	}
	entry_clear(victim, true);
	victim->ip = ip;
	list_init(&victim->pending);
	victim->tries = 0;
	return victim;
}

static void arp_send(uint16_t op, const uint8_t *dst_mac, const uint8_t *tha, uint32_t tpa)
{
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return;
	struct arp_pkt *a = (struct arp_pkt *)nb_put(nb, sizeof *a);
	a->htype = htons(ARP_HW_ETHER);
	a->ptype = htons(ETH_TYPE_IP);
	a->hlen = ETH_ALEN;
	a->plen = 4;
	a->op = htons(op);
	memcpy(a->sha, netif->mac, ETH_ALEN);
	a->spa = ipconf.ip;
	memcpy(a->tha, tha, ETH_ALEN);
	a->tpa = tpa;
	if (op == ARP_OP_REQUEST)
		NETSTAT_INC(arp_requests);
	else
		NETSTAT_INC(arp_replies);
	eth_output(nb, dst_mac, ETH_TYPE_ARP);
}

static void arp_learn(struct arp_entry *e, const uint8_t *mac)
{
	memcpy(e->mac, mac, ETH_ALEN);
	e->resolved = true;
	e->time = ticks;
	while (!list_empty(&e->pending)) {
		struct netbuf *nb = list_entry(e->pending.next, struct netbuf, link);
		list_remove(&nb->link);
		eth_output(nb, e->mac, ETH_TYPE_IP);
	}
	e->npending = 0;
}

void arp_input(struct netbuf *nb)
{
	NETSTAT_INC(arp_in);
	struct arp_pkt *a = (struct arp_pkt *)nb->data;
	if (arp_check(nb->data, nb->len)) {
		NETSTAT_INC(arp_bad);
		nb_free(nb);
		return;
	}
	uint16_t op = ntohs(a->op);
	bool for_us = a->tpa == ipconf.ip;
	struct arp_entry *e = arp_find(a->spa);
	/* Learn the sender if we were asking, or if it is asking us. */
	if (e)
		arp_learn(e, a->sha);
	else if (for_us && (a->spa & ipconf.netmask) == (ipconf.ip & ipconf.netmask))
		arp_learn(arp_new(a->spa), a->sha);
	if (op == ARP_OP_REQUEST && for_us)
		arp_send(ARP_OP_REPLY, a->sha, a->sha, a->spa);
	nb_free(nb);
}

int arp_output(struct netbuf *nb, uint32_t next_hop)
{
	if (next_hop == 0xffffffff)
		return eth_output(nb, eth_broadcast, ETH_TYPE_IP);
	struct arp_entry *e = arp_find(next_hop);
	if (e && e->resolved)
		return eth_output(nb, e->mac, ETH_TYPE_IP);
	if (!e) {
		e = arp_new(next_hop);
		e->time = ticks;
		e->tries = 1;
		arp_send(ARP_OP_REQUEST, eth_broadcast, (const uint8_t[ETH_ALEN]){ 0 }, next_hop);
	}
	if (e->npending >= ARP_PENDING_MAX) {
		NETSTAT_INC(arp_unresolved);
		nb_free(nb);
		return -ENOBUFS;
	}
	list_push_back(&e->pending, &nb->link);
	e->npending++;
	return 0;
}

void arp_tick(void)
{
	for (int i = 0; i < ARP_ENTRIES; i++) {
		struct arp_entry *e = &cache[i];
		if (!e->ip)
			continue;
		if (e->resolved) {
			if (ticks - e->time > (uint64_t)ARP_TTL_TICKS)
				entry_clear(e, false);
			continue;
		}
		if (ticks - e->time < (uint64_t)ARP_RETRY_TICKS)
			continue;
		if (e->tries >= ARP_TRIES) {
			entry_clear(e, true);
			continue;
		}
		e->tries++;
		e->time = ticks;
		arp_send(ARP_OP_REQUEST, eth_broadcast, (const uint8_t[ETH_ALEN]){ 0 }, e->ip);
	}
}
