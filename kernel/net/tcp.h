/*
 * tcp.h - TCP inside the stack: the header, sequence-number arithmetic,
 * and the functions the TCP files share.
 *   tcp.c        connections: open, listen, accept, send, receive, close
 *   tcp_input.c  segments arriving (RFC 793 3.9 "SEGMENT ARRIVES")
 *   tcp_output.c the send buffer and segments leaving
 *   tcp_timer.c  retransmission, delayed ACK, TIME_WAIT, RTT estimation
 */
#ifndef ZC32_TCP_H
#define ZC32_TCP_H
#include "types.h"
#include "net/sock.h"
#include "uapi/poll.h"         /* tcp_poll's POLL* mask */

#define TCP_HLEN     20
#define TCP_MSS      1460          /* 1500 - 20 (IP) - 20 (TCP) */
#define TCP_MSS_MIN  536           /* RFC 1122: when the peer sends no MSS option */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off;                   /* header length in words, upper 4 bits */
	uint8_t flags;
	uint16_t win;
	uint16_t csum;
	uint16_t urg;
} __attribute__((packed));

/* Sequence numbers wrap at 2^32: compare by signed difference. */
#define SEQ_LT(a, b)  ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((a) - (b)) >= 0)

#define TCP_SNDBUF      (256 * 1024)    /* default send buffer */
#define TCP_RCVBUF      (64 * 1024)     /* default receive buffer (no window scaling) */
#define TCP_RCV_MAXBUFS 96              /* netbufs (pages) a receive queue may hold */
#define TCP_OOO_MAX     48              /* out-of-order segments kept */

/* tcp.c */
struct sock *tcp_lookup(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport);
void tcp_done(struct sock *sk);                /* -> CLOSED: timers off, buffers freed */
void tcp_abort(struct sock *sk, int err);      /* send RST, report err, -> CLOSED */
void tcp_set_state(struct sock *sk, int state);
void tcp_child_established(struct sock *child);
uint32_t tcp_snd_space(struct sock *sk);
struct sock *tcp_new_child(struct sock *l, uint32_t laddr, uint32_t raddr, uint16_t rport);
int     tcp_connect(struct sock *sk, uint32_t raddr, uint16_t rport, bool nonblock);
int     tcp_listen(struct sock *sk, int backlog);
struct sock *tcp_accept(struct sock *l, bool nonblock, int *err);
ssize_t tcp_send(struct sock *sk, const char *ubuf, size_t n, bool nonblock);
ssize_t tcp_send_page(struct sock *sk, uint32_t pa, uint32_t len, bool copy, bool more,
		      bool nonblock);
ssize_t tcp_recv(struct sock *sk, char *ubuf, size_t n, int flags, bool nonblock);
int     tcp_shutdown(struct sock *sk, int how);
void    tcp_close(struct sock *sk);
int     tcp_poll(struct sock *sk);

/* tcp_output.c */
extern uint32_t tcp_drop_tx;                   /* net.drop_tx=N: a test switch (net_init) */
void tcp_output(struct sock *sk);              /* send what the window allows */
bool tcp_defer_output(struct sock *sk);        /* ... once the receive batch ends */
void tcp_flush_output(void);                   /* the batch ends (net_batch_end) */
void tcp_send_ack(struct sock *sk);
int  tcp_xmit(struct sock *sk, uint32_t seq, uint32_t len, uint8_t flags);
void tcp_send_reset(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport,
		    uint32_t seq, uint32_t ack, uint8_t flags);
uint32_t tcp_rcv_window(struct sock *sk);
void sb_init(struct sock *sk, uint32_t seq);
void sb_drop(struct sock *sk, uint32_t n);
void sb_free_all(struct sock *sk);
ssize_t sb_write_user(struct sock *sk, const char *ubuf, uint32_t n);
ssize_t sb_copy_kernel(struct sock *sk, const void *kbuf, uint32_t n);
int  sb_append_page(struct sock *sk, uint32_t pa, uint32_t len);

/* tcp_timer.c */
void tcp_rtt_sample(struct sock *sk, uint32_t ticks_taken);
void tcp_arm_rto(struct sock *sk);
void tcp_timer_reset(struct sock *sk);

#endif
