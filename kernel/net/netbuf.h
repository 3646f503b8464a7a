/*
 * netbuf.h - packet buffers.
 *
 * A netbuf is one physical page: this struct at the start, then the
 * frame's bytes.  The "linear part" [data, data + len) lives in the page;
 * on transmit it holds the headers the CPU wrote (and, for small UDP and
 * ICMP messages, their payload), and the payload of a TCP segment is not
 * copied at all: it is a list of fragments, (physical address, length)
 * references into socket-buffer or page-cache pages.  The NIC gathers
 * header and fragments with one DMA descriptor each (drivers/e1000.c).
 * Each fragment holds a page reference, dropped by nb_free once the NIC
 * has read it.
 *
 * Receive: the NIC writes a frame into the second half of the page
 * (NB_RX_OFF); layers nb_pull their headers off the front as the frame
 * goes up, and TCP queues the netbuf itself in the socket, so a received
 * byte is copied once, by recv(), straight to the user.
 */
#ifndef ZC32_NETBUF_H
#define ZC32_NETBUF_H
#include "kernel.h"
#include "list.h"

#define NB_MAX_FRAGS  18         /* a 64 KiB TSO segment spans up to 17 pages */
#define NB_RX_OFF     2048        /* receive DMA buffer: the page's second half */
#define NB_RX_SIZE    2048        /* RCTL.BSIZE = 2048 */
#define NB_TX_OFF     1024        /* transmit: headers are pushed down from here */

/* Checksum work the NIC does on transmit (drivers/e1000.c). */
#define NB_CSUM_IP    0x1         /* fill the IPv4 header checksum */
#define NB_CSUM_L4    0x2         /* fill the TCP/UDP checksum, seeded with the pseudo-header sum */

struct nb_frag {
	uint32_t pa;                /* physical address of the first byte */
	uint32_t len;               /* within one page */
};

struct netbuf {
	struct list link;           /* on a queue: socket, ARP pending, TX ring */
	uint8_t *data;              /* first byte of the linear part */
	uint32_t len;               /* bytes in the linear part */
	int nfrags;
	uint32_t frag_len;          /* sum of the fragments' lengths */

	/* Transmit: checksum offload and the ledger. */
	uint8_t csum;               /* NB_CSUM_* */
	uint8_t ip_hlen;            /* IPv4 header length */
	uint8_t l4_csum_off;        /* checksum field offset in the TCP/UDP header */
	uint16_t tso_mss;           /* nonzero: the NIC cuts the TCP payload into segments of this size */
	uint32_t payload_linear;    /* payload bytes in the linear part (not headers) */
	const char *what;           /* ledger label of the payload's DMA ("socket->nic") */

	/* Receive: what the layers found, for the ones above. */
	uint32_t src_ip, dst_ip;    /* network order */
	uint16_t src_port;          /* network order */
	uint8_t tcp_flags;
	uint32_t seq;               /* TCP: sequence number of data[0] */
	bool loopback;              /* sent by this host to itself (ip_loopback), not from the NIC */

	/* Last, and not cleared by nb_alloc: only frag[0..nfrags) is read. */
	struct nb_frag frag[NB_MAX_FRAGS];
};

struct netbuf *nb_alloc(void);                      /* for transmit: empty, headroom for headers */
struct netbuf *nb_alloc_rx(void);                   /* for the NIC: data at NB_RX_OFF */
void     nb_free(struct netbuf *nb);                /* drops the fragments' page references too */
uint8_t *nb_push(struct netbuf *nb, uint32_t n);    /* make room for a header in front */
uint8_t *nb_put(struct netbuf *nb, uint32_t n);     /* append n bytes to the linear part */
/* Add a payload fragment; the caller has taken a page reference for it. */
void     nb_add_frag(struct netbuf *nb, uint32_t pa, uint32_t len);
uint32_t nb_pa(struct netbuf *nb);                  /* physical address of data */

/* Inline: each layer of every received frame calls these. */
static inline uint8_t *nb_pull(struct netbuf *nb, uint32_t n)   /* drop n bytes from the front */
{
	ASSERT(n <= nb->len);
	nb->data += n;
	nb->len -= n;
	return nb->data;
}

static inline void nb_trim(struct netbuf *nb, uint32_t len)    /* keep only the first len bytes */
{
	if (len < nb->len)
		nb->len = len;
}

static inline uint32_t nb_total(struct netbuf *nb) { return nb->len + nb->frag_len; }

#endif
