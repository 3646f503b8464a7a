/*
 * ack_filter.c - ACK filtering in a receive batch (RFC 3449 5.2.1).
 *
 * slirp acknowledges every segment, so one 64 KiB TSO netbuf comes back
 * as about 46 pure ACKs, and the e1000 hands them over in one receive
 * batch.  A TCP ACK is cumulative: the last of them says all that the
 * others said.  So net_rx does not send a pure ACK up the stack at once
 * but holds it until the next frame.  If that one is a pure ACK of the
 * same connection that acknowledges more, the held one is freed unread
 * (netstat's tcp_acks_filtered); anything else sends the held ACK up
 * first, so the order is kept.  The end of the batch (net_batch_end)
 * sends up the last ACK held.  What is left of an ACK that is filtered:
 * its descriptor, its DMA in the ledger, and the few compares below.
 *
 * Never filtered: a frame with data, SYN, FIN, RST or options, and an
 * ACK that acknowledges no more than the one before it (duplicate ACKs
 * announce a loss and must all be counted, RFC 5681 3.2).  Headers are
 * only read here: the ACK that goes up gets every check (checksums in
 * ip_input and tcp_input).  If that one is bad, the ACKs it replaced are
 * lost with it, and TCP's next ACK covers them, as after any loss.
 *   e1000_irq -> rx_poll -> net_rx -> ack_filter_rx -> eth_input -> ...
 */
#include "net/net.h"
#include "net/netbuf.h"
#include "net/tcp.h"

/* What identifies a pure ACK and what it says. */
struct pure_ack {
	uint32_t src, dst;             /* IP addresses, network order */
	uint16_t sport, dport;         /* network order */
	uint32_t seq, ack;
};

static struct netbuf *held;          /* the batch's newest pure ACK, not yet sent up */
static struct pure_ack held_ack;

/* Is the Ethernet frame nb a pure ACK: IPv4 without options or
 * fragments, carrying a TCP header without options, with no data and
 * no flag but ACK? */
static bool parse_pure_ack(struct netbuf *nb, struct pure_ack *a)
{
	if (nb->len < ETH_HLEN + IP_HLEN + TCP_HLEN)
		return false;
	const struct eth_hdr *eth = (const struct eth_hdr *)nb->data;
	const struct ip_hdr *ip = (const struct ip_hdr *)(eth + 1);
	const struct tcp_hdr *tcp = (const struct tcp_hdr *)(ip + 1);
	if (eth->type != htons(ETH_TYPE_IP) || ip->ver_ihl != 0x45 || ip->proto != IPPROTO_TCP ||
	    ip->len != htons(IP_HLEN + TCP_HLEN) || (ip->frag & htons(IP_MF | IP_OFFMASK)) ||
	    tcp->off >> 4 != TCP_HLEN / 4 || (tcp->flags & 0x3f) != TCP_ACK)
		return false;
	a->src = ip->src;
	a->dst = ip->dst;
	a->sport = tcp->sport;
	a->dport = tcp->dport;
	a->seq = ntohl(tcp->seq);
	a->ack = ntohl(tcp->ack);
	return true;
}

/* Does newer make older redundant: the same connection, the same
 * sequence number, and more acknowledged? */
static bool supersedes(const struct pure_ack *newer, const struct pure_ack *older)
{
	return newer->src == older->src && newer->dst == older->dst && newer->sport == older->sport &&
	       newer->dport == older->dport && newer->seq == older->seq &&
	       SEQ_GT(newer->ack, older->ack);
}

/* The held ACK goes up the stack (before whatever comes next). */
void ack_filter_flush(void)
{
	struct netbuf *nb = held;
	if (!nb)
		return;
	held = NULL;
	eth_input(nb);
}

/* A frame from the NIC, inside a receive batch (interrupts off). */
void ack_filter_rx(struct netbuf *nb)
{
	struct pure_ack a;
	if (!parse_pure_ack(nb, &a)) {
		ack_filter_flush();
		eth_input(nb);
		return;
	}
	if (held && supersedes(&a, &held_ack)) {
		NETSTAT_INC(tcp_acks_filtered);
		nb_free(held);
		held = NULL;
	}
	ack_filter_flush();
	held = nb;
	held_ack = a;
}
