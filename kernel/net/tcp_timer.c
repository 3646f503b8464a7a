/*
 * tcp_timer.c - TCP's clocks, driven by the timer tick (net_tick).
 *
 *  retransmission  when the oldest unacknowledged segment has waited
 *                  rto ticks, go back to it and send again (go-back-N
 *                  from snd_una), doubling rto each time (backoff); give
 *                  up after TCP_MAX_RETRIES.  With a zero window and
 *                  nothing in flight the same timer sends 1-byte window
 *                  probes (the persist timer).
 *  RTT             rto comes from measured round trips (RFC 6298:
 *                  SRTT + 4 * RTTVAR), timing one segment at a time and
 *                  never a retransmitted one (Karn).
 *  delayed ACK     an ACK for a single segment waits up to two ticks for
 *                  data to ride on.
 *  linger          TIME_WAIT lasts TCP_TIME_WAIT; an orphan stuck in
 *                  FIN_WAIT2 is dropped after TCP_FIN_WAIT2.
 */
#include "kernel.h"
#include "timer.h"
#include "net/net.h"
#include "net/tcp.h"

#define TCP_RTO_MIN      (timer_hz / 5)        /* 200 ms */
#define TCP_RTO_MAX      (60 * timer_hz)
#define TCP_RTO_INIT     (timer_hz)            /* 1 s (RFC 6298 2.1) */
#define TCP_MAX_RETRIES  12
#define TCP_SYN_RETRIES  5

void tcp_timer_reset(struct sock *sk)
{
	uint32_t rto = TCP_RTO_INIT;
	if (sk->srtt8)
		rto = sk->srtt8 / 8 + MAX(sk->rttvar4, 1u);
	sk->rto = MIN(MAX(rto, (uint32_t)TCP_RTO_MIN), (uint32_t)TCP_RTO_MAX);
	sk->retries = 0;
}

void tcp_rtt_sample(struct sock *sk, uint32_t m)
{
	if (!sk->srtt8) {
		sk->srtt8 = MAX(m, 1u) * 8;
		sk->rttvar4 = MAX(m, 1u) * 2;
	} else {
		int32_t delta = (int32_t)m - (int32_t)(sk->srtt8 / 8);
		sk->srtt8 += delta;
		if (delta < 0)
			delta = -delta;
		sk->rttvar4 += delta - (int32_t)(sk->rttvar4 / 4);
	}
	tcp_timer_reset(sk);
}

/* Start the retransmission timer if something waits for an ACK (or for
 * the window to open) and it is not running. */
void tcp_arm_rto(struct sock *sk)
{
	if (sk->rto_at)
		return;
	bool waiting = sk->snd_una != sk->snd_max ||
		       SEQ_LT(sk->snd_nxt, sk->sb.seq + sk->sb.bytes) ||
		       (sk->fin_queued && SEQ_LEQ(sk->snd_nxt, sk->fin_seq));
	if (waiting)
		sk->rto_at = ticks + (sk->rto ? sk->rto : (uint32_t)TCP_RTO_INIT);
}

static void tcp_rto_expired(struct sock *sk)
{
	sk->rto_at = 0;
	bool syn = sk->state == ZC_TCP_SYN_SENT || sk->state == ZC_TCP_SYN_RCVD;
	bool probe = !syn && sk->snd_wnd == 0 && sk->snd_una == sk->snd_max;
	if (!probe && ++sk->retries > (syn ? TCP_SYN_RETRIES : TCP_MAX_RETRIES)) {
		NETSTAT_INC(tcp_timeouts);
		tcp_abort(sk, ETIMEDOUT);
		return;
	}
	sk->rto = MIN(sk->rto * 2, (uint32_t)TCP_RTO_MAX);
	sk->rtt_timing = false;
	sk->dupacks = 0;
	if (syn) {
		sk->snd_nxt = sk->iss;
		NETSTAT_INC(tcp_retransmits);
		tcp_output(sk);
	} else if (probe) {
		/* Zero window: one byte beyond it asks the peer to say when it opens. */
		if (sk->sb.bytes) {
			int got = tcp_xmit(sk, sk->snd_una, 1, TCP_ACK);
			if (got > 0) {
				sk->snd_nxt = sk->snd_una + 1;
				sk->snd_max = sk->snd_nxt;
			}
		}
	} else {
		/* LAB retransmit: BEGIN */
		sk->snd_nxt = sk->snd_una;   /* go back to the oldest unacknowledged byte */
		tcp_output(sk);
		/* LAB retransmit: STUB
		   LAB retransmit: END */
	}
	tcp_arm_rto(sk);
}

void tcp_tick(void)
{
	struct list *it = sock_list.next;
	while (it != &sock_list) {
		struct sock *sk = list_entry(it, struct sock, link);
		if (sk->proto != IPPROTO_TCP) {
			it = it->next;
			continue;
		}
		sock_get(sk);                    /* a timer may close it */
		if (sk->rto_at && ticks >= sk->rto_at)
			tcp_rto_expired(sk);
		if (sk->delack_at && ticks >= sk->delack_at && sk->state != ZC_TCP_CLOSED)
			tcp_send_ack(sk);
		if (sk->linger_at && ticks >= sk->linger_at) {
			sk->linger_at = 0;
			tcp_done(sk);
		}
		it = it->next;
		sock_put(sk);
	}
}
