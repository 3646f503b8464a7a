/*
 * sock.h - a socket: the kernel object behind a socket file descriptor.
 *
 * One struct serves TCP, UDP and ICMP ("ping") sockets.  Every socket is
 * on sock_list; the protocols find theirs by address and port.  A socket
 * lives while someone refers to it (refs): its file, and for TCP the
 * connection itself until it is CLOSED (a closed file's connection keeps
 * sending its last data and FIN, then goes away on its own).
 *
 * The receive queue holds netbufs straight from the NIC, headers pulled
 * off.  The TCP send buffer (struct sndbuf) is a ring of page pieces:
 * write() copies into pages it owns, and a sendfile can put page-cache
 * pages in the same ring; either way tcp_output sends them as fragments
 * without another copy.
 */
#ifndef ZC32_SOCK_H
#define ZC32_SOCK_H
#include "types.h"
#include "list.h"
#include "uapi/zc32_net.h"
#include "fs/poll.h"

struct netbuf;

/* A piece of the byte stream waiting to be sent and acknowledged. */
struct sb_chunk {
	uint32_t pa;                 /* physical address of the first byte */
	uint32_t len;                /* bytes, within one page */
	uint32_t seq;                /* TCP sequence number of the first byte */
	bool owned;                  /* a page write() may append to (not page cache) */
};

#define SB_CHUNKS 256

struct sndbuf {
	struct sb_chunk ch[SB_CHUNKS];
	uint32_t first, count;       /* ring of chunks */
	uint32_t bytes;              /* payload bytes in the ring */
	uint32_t seq;                /* sequence number of the first byte */
	uint32_t hint;               /* chunk where the last lookup ended (index from first) */
};

struct sock {
	struct list link;            /* sock_list */
	int type;                    /* SOCK_STREAM, SOCK_DGRAM */
	int proto;                   /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	int refs;
	uint32_t laddr, raddr;       /* network order; laddr 0 = any */
	uint16_t lport, rport;       /* network order; 0 = none */
	int error;                   /* pending error for the next call (positive errno) */
	bool reuseaddr, nodelay;
	bool rd_shut, wr_shut;       /* shutdown() */
	uint32_t rcvbuf, sndbuf_max; /* SO_RCVBUF, SO_SNDBUF */
	struct wait_queue wq;        /* its file's: epoll watches (fs/poll.h) */

	/* Received data: TCP in order, or whole datagrams. */
	struct list rcvq;
	uint32_t rcvq_bytes;
	uint32_t rcvq_bufs;          /* netbufs held: each costs a page */

	/* TCP (RFC 793 names). */
	int state;                   /* ZC_TCP_* */
	uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t irs, rcv_nxt, rcv_adv;   /* rcv_adv: right edge of the advertised window */
	uint16_t mss;                /* the peer's, at most 1460 */
	struct sndbuf sb;
	bool fin_queued;             /* close/shutdown: a FIN follows the data */
	uint32_t fin_seq;
	bool fin_rcvd;
	struct list ooo;             /* out-of-order segments, by sequence number */
	int nooo;
	uint64_t rto_at;             /* retransmission timer (ticks), 0 = off */
	uint32_t rto;                /* current timeout in ticks, with backoff */
	int retries;
	uint64_t delack_at;          /* delayed ACK timer */
	int ack_pending;             /* segments received since our last ACK */
	bool ack_now;                /* an ACK must go at once; any segment we send carries it */
	uint64_t linger_at;          /* TIME_WAIT end, or an orphan's FIN_WAIT2 limit */
	uint32_t srtt8, rttvar4;     /* smoothed RTT (x8) and variance (x4), ticks */
	uint32_t rtt_seq;
	uint64_t rtt_start;
	bool rtt_timing;
	int dupacks;

	/* Listening sockets and their children. */
	struct sock *parent;         /* the listener a child came from */
	struct list acceptq;         /* established children, not yet accepted */
	struct list accept_link;
	int backlog, nchildren;      /* children in SYN_RCVD or on acceptq */
	bool orphan;                 /* no file: the user closed it */
};

extern struct list sock_list;

struct sock *sock_alloc(int type, int proto);
void sock_get(struct sock *sk);
void sock_put(struct sock *sk);
void sock_wake_rx(struct sock *sk);      /* data, FIN, error or a new connection */
void sock_wake_tx(struct sock *sk);      /* send-buffer space, or connected */
bool sock_info(int i, struct zc_sockinfo *out);
uint16_t sock_ephemeral_port(int proto);
struct sock *sock_lookup_dgram(int proto, uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
void dgram_deliver(struct sock *sk, struct netbuf *nb);    /* UDP and ICMP: queue or drop */
void sock_purge(struct list *q);

#endif
