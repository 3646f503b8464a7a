/*
 * tcp_input.c - a TCP segment arrives (RFC 793 3.9, "SEGMENT ARRIVES").
 *
 * tcp_input runs in the e1000 interrupt, below ip_input.  It checks the
 * header length, the checksum (in software: QEMU's NIC does not; both in
 * tcp_check, wire.c) and the flags, finds the connection, and then, by state:
 *   LISTEN     a SYN makes a child connection in SYN_RCVD (tcp_new_child)
 *              and a SYN-ACK; a full backlog drops the SYN (SYN floods)
 *   SYN_SENT   a SYN-ACK completes connect()
 *   otherwise  synced_input: a pure ACK of new data in ESTABLISHED takes
 *              header prediction (ack_predicted); the rest RFC 793's
 *              order: seq_acceptable, rst_input,
 *              the SYN check, ack_input (ack_new_data frees acknowledged
 *              send-buffer bytes, duplicate_ack fast-retransmits on the
 *              third, the window, our_fin_acked), data_input (in order to
 *              the receive queue without a copy, out of order to the ooo
 *              queue; then the FIN).
 * Then tcp_output sends whatever the new window allows, carrying the ACK.
 */
#include "timer.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/tcp.h"

struct seg {
	uint32_t seq, ack, len;        /* len: payload bytes */
	uint16_t wnd, mss;
	uint8_t flags;
	uint32_t laddr, raddr;         /* network order */
	uint16_t lport, rport;
};

/* RFC 793 3.4 "Reset Generation", for a segment nobody wants. */
static void reply_reset(struct seg *s)
{
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK)
		tcp_send_reset(s->laddr, s->lport, s->raddr, s->rport, s->ack, 0, TCP_RST);
	else
		tcp_send_reset(s->laddr, s->lport, s->raddr, s->rport, 0,
			       s->seq + s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN),
			       TCP_RST | TCP_ACK);
}

/* The listen queue is full.  If some of it is half-open connections
 * (SYN_RCVD: a SYN flood from forged addresses looks like that), drop
 * the oldest one so a real client still gets in. */
static bool evict_embryo(struct sock *l)
{
	list_for_each(it, &sock_list) {
		struct sock *c = list_entry(it, struct sock, link);
		if (c->parent == l && c->state == ZC_TCP_SYN_RCVD) {
			NETSTAT_INC(tcp_syn_dropped);
			tcp_done(c);
			return true;
		}
	}
	return false;
}

static void listen_input(struct sock *l, struct seg *s)
{
	if (s->flags & TCP_RST)
		return;
	if (s->flags & TCP_ACK) {
		reply_reset(s);
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	if (l->nchildren >= l->backlog && !evict_embryo(l)) {
		NETSTAT_INC(tcp_syn_dropped);    /* the client will retry */
		return;
	}
	struct sock *c = tcp_new_child(l, s->laddr, s->raddr, s->rport);
	if (!c) {
		NETSTAT_INC(tcp_syn_dropped);
		return;
	}
	c->irs = s->seq;
	c->rcv_nxt = c->rcv_adv = s->seq + 1;
	c->snd_wnd = s->wnd;
	c->snd_wl1 = s->seq;
	c->snd_wl2 = c->iss;
	c->mss = s->mss ? MIN(MAX(s->mss, 64), TCP_MSS) : TCP_MSS_MIN;
	tcp_output(c);                       /* SYN-ACK */
}

static void syn_sent_input(struct sock *sk, struct seg *s)
{
	if ((s->flags & TCP_ACK) && (SEQ_LEQ(s->ack, sk->iss) || SEQ_GT(s->ack, sk->snd_max))) {
		reply_reset(s);
		return;
	}
	if (s->flags & TCP_RST) {
		if (s->flags & TCP_ACK) {
			NETSTAT_INC(tcp_resets_in);
			sk->error = ECONNREFUSED;
			tcp_done(sk);
		}
		return;
	}
	if (!(s->flags & TCP_SYN))
		return;
	sk->irs = s->seq;
	sk->rcv_nxt = sk->rcv_adv = s->seq + 1;
	sk->mss = s->mss ? MIN(MAX(s->mss, 64), TCP_MSS) : TCP_MSS_MIN;
	sk->snd_wnd = s->wnd;
	sk->snd_wl1 = s->seq;
	sk->snd_wl2 = s->ack;
	if (s->flags & TCP_ACK) {
		sk->snd_una = s->ack;
		sk->rto_at = 0;
		tcp_timer_reset(sk);
		tcp_set_state(sk, ZC_TCP_ESTABLISHED);
		tcp_send_ack(sk);
		sock_wake_tx(sk);                /* connect() returns */
		tcp_output(sk);
	} else {
		tcp_set_state(sk, ZC_TCP_SYN_RCVD);   /* simultaneous open */
		sk->snd_nxt = sk->iss;
		tcp_output(sk);
	}
}

static void rcvq_add(struct sock *sk, struct netbuf *nb)
{
	sk->rcv_nxt += nb->len;
	if (sk->rd_shut) {                   /* shutdown(SHUT_RD): acknowledge and discard */
		nb_free(nb);
		return;
	}
	list_push_back(&sk->rcvq, &nb->link);
	sk->rcvq_bytes += nb->len;
	sk->rcvq_bufs++;
}

/* Keep a segment that arrived ahead of a hole, sorted by sequence. */
static bool ooo_insert(struct sock *sk, struct netbuf *nb)
{
	if (sk->nooo >= TCP_OOO_MAX || sk->rcvq_bufs + sk->nooo >= TCP_RCV_MAXBUFS) {
		NETSTAT_INC(tcp_ooo_dropped);
		return false;
	}
	struct list *pos = &sk->ooo;         /* insert before the first later segment */
	list_for_each(it, &sk->ooo) {
		struct netbuf *o = list_entry(it, struct netbuf, link);
		if (o->seq == nb->seq && o->len >= nb->len)
			return false;                /* a duplicate */
		if (SEQ_GT(o->seq, nb->seq)) {
			pos = it;
			break;
		}
	}
	list_insert_after(pos->prev, &nb->link);
	sk->nooo++;
	NETSTAT_INC(tcp_ooo_queued);
	return true;
}

/* The hole is filled: move what now follows in order.  True if a FIN
 * came along. */
static bool ooo_pull(struct sock *sk)
{
	while (!list_empty(&sk->ooo)) {
		struct netbuf *nb = list_entry(sk->ooo.next, struct netbuf, link);
		if (SEQ_GT(nb->seq, sk->rcv_nxt))
			break;
		list_remove(&nb->link);
		sk->nooo--;
		uint32_t end = nb->seq + nb->len;
		bool fin = nb->tcp_flags & TCP_FIN;
		if (SEQ_LT(end, sk->rcv_nxt) || (end == sk->rcv_nxt && !fin)) {
			nb_free(nb);                 /* nothing new in it */
			continue;
		}
		nb_pull(nb, sk->rcv_nxt - nb->seq);
		nb->seq = sk->rcv_nxt;
		if (nb->len)
			rcvq_add(sk, nb);
		else
			nb_free(nb);
		if (fin)
			return true;
	}
	return false;
}

static void fin_received(struct sock *sk)
{
	sk->rcv_nxt++;
	sk->fin_rcvd = true;
	bool fin_acked = sk->fin_queued && SEQ_GT(sk->snd_una, sk->fin_seq);
	switch (sk->state) {
	case ZC_TCP_SYN_RCVD:
	case ZC_TCP_ESTABLISHED:
		tcp_set_state(sk, ZC_TCP_CLOSE_WAIT);
		break;
	case ZC_TCP_FIN_WAIT1:
		tcp_set_state(sk, fin_acked ? ZC_TCP_TIME_WAIT : ZC_TCP_CLOSING);
		break;
	case ZC_TCP_FIN_WAIT2:
		tcp_set_state(sk, ZC_TCP_TIME_WAIT);
		break;
	}
	sock_wake_rx(sk);
}

static bool in_window(uint32_t x, uint32_t start, uint32_t wnd)
{
	return SEQ_GEQ(x, start) && SEQ_LT(x, start + wnd);
}

/* In SYN_RCVD, the peer's SYN once more.  With an ACK of our SYN it is
 * a simultaneous open (RFC 793 figure 8), or a socket that connected to
 * itself: take it as the ACK that completes the handshake.  Without, our
 * SYN-ACK was lost: send it again.  True: go on with the segment. */
static bool syn_rcvd_syn_again(struct sock *sk, struct seg *s)
{
	if ((s->flags & TCP_ACK) && s->ack == sk->iss + 1 && s->len == 0) {
		s->flags &= ~TCP_SYN;
		s->seq++;
		return true;
	}
	sk->snd_nxt = sk->iss;
	tcp_output(sk);
	return false;
}

/* RFC 793 p. 69, "first check sequence number": does the segment lie in
 * the window we offered (rwnd bytes from rcv_nxt)?  False: drop it. */
static bool seq_acceptable(struct sock *sk, struct seg *s, uint32_t rwnd)
{
	uint32_t seglen = s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
	bool ok;
	if (seglen == 0)
		ok = rwnd ? in_window(s->seq, sk->rcv_nxt, rwnd) : s->seq == sk->rcv_nxt;
	else
		ok = rwnd && (in_window(s->seq, sk->rcv_nxt, rwnd) ||
			      in_window(s->seq + seglen - 1, sk->rcv_nxt, rwnd));
	if (ok)
		return true;
	if (rwnd == 0 && s->seq == sk->rcv_nxt && !(s->flags & TCP_SYN)) {
		s->len = 0;                      /* zero window: take the ACK, not the data */
		s->flags &= ~TCP_FIN;
		return true;
	}
	if (sk->state == ZC_TCP_SYN_RCVD && (s->flags & TCP_SYN) && s->seq == sk->irs)
		return syn_rcvd_syn_again(sk, s);
	NETSTAT_INC(tcp_bad_seq);
	if (!(s->flags & TCP_RST))
		tcp_send_ack(sk);                /* tells a retransmitting peer what we have */
	return false;
}

/* RFC 793 p. 70, "second check the RST bit", as RFC 5961 3.2 narrows
 * it: only a RST exactly at rcv_nxt resets; one elsewhere in the window
 * gets a challenge ACK. */
static void rst_input(struct sock *sk, struct seg *s)
{
	if (s->seq != sk->rcv_nxt) {
		tcp_send_ack(sk);
		return;
	}
	NETSTAT_INC(tcp_resets_in);
	sk->error = sk->state == ZC_TCP_CLOSE_WAIT || sk->state == ZC_TCP_ESTABLISHED ||
		    sk->state == ZC_TCP_FIN_WAIT1 || sk->state == ZC_TCP_FIN_WAIT2 ? ECONNRESET : 0;
	tcp_done(sk);
}

/* SYN_RCVD: an ACK of our SYN establishes the connection (RFC 793 p. 72).
 * False: it acknowledges something else, and gets a RST. */
static bool handshake_ack(struct sock *sk, struct seg *s)
{
	if (SEQ_LEQ(s->ack, sk->snd_una) || SEQ_GT(s->ack, sk->snd_max)) {
		reply_reset(s);
		return false;
	}
	sk->snd_wnd = s->wnd;
	sk->snd_wl1 = s->seq;
	sk->snd_wl2 = s->ack;
	tcp_child_established(sk);
	return true;
}

/* The ACK covers new data: free it from the send buffer, take an RTT
 * sample (or forget the backoff), and wake a writer waiting for room. */
static void ack_new_data(struct sock *sk, struct seg *s)
{
	uint32_t threshold = sk->sndbuf_max / 4;
	bool had_space = tcp_snd_space(sk) >= threshold;
	uint32_t data_end = sk->sb.seq + sk->sb.bytes;
	uint32_t upto = SEQ_LT(s->ack, data_end) ? s->ack : data_end;
	if (SEQ_GT(upto, sk->sb.seq))
		sb_drop(sk, upto - sk->sb.seq);
	sk->snd_una = s->ack;
	if (SEQ_LT(sk->snd_nxt, sk->snd_una))
		sk->snd_nxt = sk->snd_una;
	if (sk->rtt_timing && SEQ_GT(s->ack, sk->rtt_seq)) {
		sk->rtt_timing = false;
		tcp_rtt_sample(sk, ticks - sk->rtt_start);
	} else {
		tcp_timer_reset(sk);             /* progress: forget the backoff */
	}
	sk->rto_at = 0;                      /* tcp_output re-arms it if data is still out */
	sk->dupacks = 0;
	if (!had_space && tcp_snd_space(sk) >= threshold)
		sock_wake_tx(sk);
}

/* The same ACK again, with nothing else in it, while data is out.  The
 * third means the segment at snd_una was lost (RFC 5681 3.2): resend
 * just that one (fast retransmit). */
static void duplicate_ack(struct sock *sk, struct seg *s)
{
	if (s->ack != sk->snd_una || s->len || (s->flags & TCP_FIN) || s->wnd != sk->snd_wnd ||
	    sk->snd_max == sk->snd_una || ++sk->dupacks != 3)
		return;
	uint32_t out = sk->sb.seq + sk->sb.bytes - sk->snd_una;
	if (out) {
		tcp_xmit(sk, sk->snd_una, MIN(out, sk->mss), TCP_ACK);
		NETSTAT_INC(tcp_fast_retransmits);
		NETSTAT_INC(tcp_retransmits);
		sk->rtt_timing = false;
	}
}

/* Our FIN acknowledged moves the closing states on (RFC 793 p. 73).
 * False if that ends the connection (LAST_ACK). */
static bool our_fin_acked(struct sock *sk)
{
	if (!sk->fin_queued || !SEQ_GT(sk->snd_una, sk->fin_seq))
		return true;
	if (sk->state == ZC_TCP_FIN_WAIT1) {
		tcp_set_state(sk, ZC_TCP_FIN_WAIT2);
		if (sk->orphan)
			sk->linger_at = ticks + 60 * timer_hz;
	} else if (sk->state == ZC_TCP_CLOSING) {
		tcp_set_state(sk, ZC_TCP_TIME_WAIT);
	} else if (sk->state == ZC_TCP_LAST_ACK) {
		tcp_done(sk);
		return false;
	}
	return true;
}

/* The peer's window, from the newest segment only (RFC 793 p. 72). */
static void take_window(struct sock *sk, struct seg *s)
{
	if (SEQ_LT(sk->snd_wl1, s->seq) || (sk->snd_wl1 == s->seq && SEQ_LEQ(sk->snd_wl2, s->ack))) {
		sk->snd_wnd = s->wnd;
		sk->snd_wl1 = s->seq;
		sk->snd_wl2 = s->ack;
	}
}

/* RFC 793 p. 72, "fifth check the ACK field".  False: drop the segment. */
static bool ack_input(struct sock *sk, struct seg *s)
{
	if (!(s->flags & TCP_ACK))
		return false;
	if (sk->state == ZC_TCP_SYN_RCVD && !handshake_ack(sk, s))
		return false;
	if (SEQ_GT(s->ack, sk->snd_max)) {
		NETSTAT_INC(tcp_bad_ack);
		tcp_send_ack(sk);
		return false;
	}
	if (SEQ_GT(s->ack, sk->snd_una))
		ack_new_data(sk, s);
	else
		duplicate_ack(sk, s);
	take_window(sk, s);
	return our_fin_acked(sk);
}

/* Cut off the front we already have and the end the window has no room
 * for (with the FIN, which then comes again). */
static void trim_to_window(struct sock *sk, struct netbuf *nb, struct seg *s, uint32_t rwnd)
{
	if (SEQ_LT(s->seq, sk->rcv_nxt)) {
		uint32_t skip = MIN(sk->rcv_nxt - s->seq, s->len);
		nb_pull(nb, skip);
		s->seq += skip;
		s->len -= skip;
	}
	uint32_t wnd_end = sk->rcv_nxt + rwnd;
	if (SEQ_GT(s->seq + s->len, wnd_end)) {
		s->len = SEQ_GT(wnd_end, s->seq) ? wnd_end - s->seq : 0;
		nb_trim(nb, s->len);
		s->flags &= ~TCP_FIN;
	}
}

/* RFC 793 pp. 74-75, "seventh, process the segment text" and "eighth,
 * check the FIN bit".  In-order data joins the receive queue without a
 * copy, data beyond a hole waits in the ooo queue.  Returns nb if it was
 * not kept. */
static struct netbuf *data_input(struct sock *sk, struct netbuf *nb, struct seg *s, uint32_t rwnd)
{
	trim_to_window(sk, nb, s, rwnd);
	bool fin = s->flags & TCP_FIN;
	nb->seq = s->seq;
	nb->tcp_flags = fin ? TCP_FIN : 0;
	if (s->seq != sk->rcv_nxt) {
		if (SEQ_GT(s->seq, sk->rcv_nxt) && s->len) {
			if (ooo_insert(sk, nb))
				nb = NULL;
			sk->ack_now = true;          /* a duplicate ACK tells the sender about the hole */
		}
		return nb;
	}
	if (s->len && sk->rcvq_bufs + sk->nooo >= TCP_RCV_MAXBUFS) {
		NETSTAT_INC(tcp_rcv_full);       /* the peer will send it again */
		fin = false;
		sk->ack_now = true;
	} else if (s->len) {
		rcvq_add(sk, nb);
		nb = NULL;
		sk->ack_pending++;
		sock_wake_rx(sk);
	}
	if (!list_empty(&sk->ooo)) {
		sk->ack_now = true;
		if (ooo_pull(sk))
			fin = true;
		sock_wake_rx(sk);
	}
	if (fin) {
		fin_received(sk);
		sk->ack_now = true;
	}
	if (sk->ack_pending >= 2)
		sk->ack_now = true;              /* ACK every second segment (RFC 1122 4.2.3.2) */
	return nb;
}

/* Header prediction (RFC 1323 4.2.4; V. Jacobson, "4BSD Header
 * Prediction", ACM CCR 20(2), April 1990).  While a connection sends,
 * nearly every segment that arrives is a pure ACK, next in sequence,
 * that acknowledges new data: slirp sends one per segment.  A few
 * compares recognise it, and it gets only what RFC 793's checks below
 * would end up doing with it: the acknowledged bytes freed and the
 * window taken.  False: anything else, which takes the full path. */
static bool ack_predicted(struct sock *sk, struct seg *s)
{
	if (sk->state != ZC_TCP_ESTABLISHED || s->flags != TCP_ACK || s->len != 0 ||
	    s->seq != sk->rcv_nxt || !SEQ_GT(s->ack, sk->snd_una) || SEQ_GT(s->ack, sk->snd_max))
		return false;
	NETSTAT_INC(tcp_fast_acks);
	ack_new_data(sk, s);
	take_window(sk, s);
	return true;
}

/* Every state after the handshake's first step, in the order of RFC 793
 * 3.9 "SEGMENT ARRIVES" (pp. 69-76).  Consumes nb. */
static void synced_input(struct sock *sk, struct netbuf *nb, struct seg *s)
{
	uint32_t rwnd = SEQ_GT(sk->rcv_adv, sk->rcv_nxt) ? sk->rcv_adv - sk->rcv_nxt : 0;
	if (ack_predicted(sk, s))
		goto output;
	if (!seq_acceptable(sk, s, rwnd))
		goto drop;
	if (s->flags & TCP_RST) {
		rst_input(sk, s);
		goto drop;
	}
	/* Third, security and precedence: not kept.  Fourth, a SYN in the
	 * window: a challenge ACK (RFC 5961 4.2). */
	if (s->flags & TCP_SYN) {
		NETSTAT_INC(tcp_bad_flags);
		tcp_send_ack(sk);
		goto drop;
	}
	if (!ack_input(sk, s))
		goto drop;
	/* Sixth, URG: not kept.  Data and FIN only while the peer may send. */
	if ((s->len || (s->flags & TCP_FIN)) && (sk->state == ZC_TCP_ESTABLISHED ||
		sk->state == ZC_TCP_FIN_WAIT1 || sk->state == ZC_TCP_FIN_WAIT2))
		nb = data_input(sk, nb, s, rwnd);

	/* Send what the (maybe larger) window allows; it carries the ACK.
	 * If nothing went and the ACK cannot wait, a bare one. */
output:
	/* Sixth-and-a-half: a pure ACK that only opened the window sends
	 * nothing now: the socket sends once after the receive batch. */
	if (!sk->ack_now && !sk->ack_pending && s->len == 0 && !(s->flags & TCP_FIN) &&
	    tcp_defer_output(sk))
		goto drop;
	tcp_output(sk);
	if (sk->state != ZC_TCP_CLOSED) {
		if (sk->ack_now)
			tcp_send_ack(sk);
		else if (sk->ack_pending && !sk->delack_at)
			sk->delack_at = ticks + 2;   /* wait a little for data to carry the ACK */
	}
drop:
	nb_free(nb);
}

void tcp_input(struct netbuf *nb)
{
	NETSTAT_INC(tcp_in);
	struct tcp_hdr *h = (struct tcp_hdr *)nb->data;
	uint32_t hlen, bad = tcp_check(nb->data, nb->len, nb->src_ip, nb->dst_ip, &hlen);
	if (bad) {
		net_counters[bad]++;
		goto drop;
	}
	if (!ip_is_local(nb->dst_ip)) {      /* no TCP to broadcast addresses */
		NETSTAT_INC(ip_not_for_us);
		goto drop;
	}
	struct seg s;
	s.flags = h->flags & 0x3f;
	/* Combinations no real stack sends: SYN with FIN or RST, or none of
	 * SYN, ACK and RST (null and "Christmas tree" scans). */
	if (((s.flags & TCP_SYN) && (s.flags & (TCP_FIN | TCP_RST))) ||
	    !(s.flags & (TCP_SYN | TCP_ACK | TCP_RST)) || h->sport == 0 || h->dport == 0) {
		NETSTAT_INC(tcp_bad_flags);
		goto drop;
	}
	s.seq = ntohl(h->seq);
	s.ack = ntohl(h->ack);
	s.wnd = ntohs(h->win);
	s.mss = (s.flags & TCP_SYN) ? tcp_parse_mss((uint8_t *)(h + 1), hlen - TCP_HLEN) : 0;
	s.laddr = nb->dst_ip;
	s.raddr = nb->src_ip;
	s.lport = h->dport;
	s.rport = h->sport;
	nb_pull(nb, hlen);
	s.len = nb->len;

	struct sock *sk = tcp_lookup(s.laddr, s.lport, s.raddr, s.rport);
	if (!sk) {
		NETSTAT_INC(tcp_no_socket);
		reply_reset(&s);
		goto drop;
	}
	net_batch_begin();
	sock_get(sk);                        /* processing may end the connection */
	if (sk->state == ZC_TCP_LISTEN) {
		listen_input(sk, &s);
	} else if (sk->state == ZC_TCP_SYN_SENT) {
		syn_sent_input(sk, &s);
	} else {
		synced_input(sk, nb, &s);
		nb = NULL;
	}
	sock_put(sk);
	net_batch_end();
drop:
	nb_free(nb);
}
