/*
 * netif.h - what a network driver sees of the stack, and all it may use:
 * the interface it registers, the frames it moves (struct netbuf,
 * net/netbuf.h), and the stack's entry points below.  The stack knows an
 * interface, never a card, so a second NIC driver (virtio-net, say) needs
 * nothing else, and no ledger code: net_xmit and net_rx count the NIC's
 * DMA, as blk_submit does for disks.
 *
 *   probe     the driver fills a struct netif and calls net_register
 *   transmit  ... -> eth_output -> net_xmit -> nif->xmit (descriptors), nif->kick (doorbell)
 *   receive   the driver's interrupt -> net_rx -> eth_input -> ...
 */
#ifndef ZC32_NETIF_H
#define ZC32_NETIF_H
#include "types.h"
#include "uapi/zc32_net.h"

struct netbuf;

#define ETH_ALEN      6
#define ETH_HLEN      14
#define ETH_MTU       1500

/* Features the stack relies on (it computes no checksum for a frame it
 * sends, and never linearises one); net_register refuses a card without. */
#define NETIF_CSUM    0x1          /* fills the IPv4 and TCP/UDP checksums a netbuf asks for (NB_CSUM_*) */
#define NETIF_GATHER  0x2          /* sends a frame from its linear part plus page fragments */
#define NETIF_NEEDS   (NETIF_CSUM | NETIF_GATHER)

struct netif {
	const char *name;          /* "eth0" */
	uint8_t mac[ETH_ALEN];
	uint32_t mtu;              /* largest IP packet it sends */
	uint32_t features;         /* NETIF_* */
	bool tso;                  /* the NIC segments TCP (netbuf tso_mss; SDM 3.5) */
	/* Queue one frame: a descriptor for the linear part and one per
	 * fragment.  Interrupts off.  On an error the driver frees nb; else
	 * it frees nb once the NIC has read it, after the next kick. */
	int  (*xmit)(struct netbuf *nb);
	void (*kick)(void);        /* tell the NIC about the frames queued */
};

int  net_register(struct netif *nif);
void net_rx(struct netbuf *nb);        /* a received frame, in the driver's interrupt */

/* Frames sent between net_batch_begin and net_batch_end reach the NIC
 * with one doorbell write: a driver wraps a burst of received frames in
 * them, so the ACKs they cause leave together. */
void net_batch_begin(void);
void net_batch_end(void);

/* Counters: netstat shows them (uapi/zc32_net.h); drivers count their
 * drops (nic_*) here too. */
extern uint64_t net_counters[ZC_NET_NCOUNTERS];
#define NETSTAT_INC(name)      (net_counters[ZC_NET_##name]++)
#define NETSTAT_ADD(name, n)   (net_counters[ZC_NET_##name] += (n))

#endif
