/*
 * tcp_output.c - the TCP send buffer and the segments TCP sends.
 *
 * The send buffer (struct sndbuf in sock.h) is the byte stream from the
 * oldest unacknowledged byte on, as a ring of page pieces.  write() lands
 * here through sb_write_user, which copies user bytes into pages the
 * socket owns (the one CPU copy of the read+write path, "user->socket";
 * "mmap pagecache->socket" when the user's buffer is a file mapping).
 * sendfile's copy way lands through sb_copy_kernel ("pagecache->sockbuf");
 * its gather way queues a reference to the page-cache page itself
 * (sb_append_page), which stays pinned (page_pin: its bytes never change,
 * mm/pmm.h) until the peer has acknowledged every byte of it.
 * ACKs drop bytes from the front (sb_drop), releasing the pages.
 *
 * tcp_output sends as much as the peer's window allows, one segment of
 * at most MSS bytes at a time (tcp_xmit), or, when the NIC segments TCP
 * itself (TSO, netif->tso), up to 64 KiB in one netbuf that the NIC cuts
 * into MSS-sized frames: the CPU writes the 20-byte TCP header into a
 * fresh netbuf, and the payload is attached as fragments
 * pointing into the send buffer's pages (each with its own page
 * reference, held until the NIC has read it).  The checksum field is
 * seeded with the pseudo-header sum and the NIC completes it.  ACKs that
 * arrive together only open the window: tcp_defer_output sends once after
 * the batch, so with TSO one netbuf carries what they all opened.
 *   write -> tcp_send -> sb_write_user -> tcp_output -> tcp_xmit -> ip_output
 */
#include "kernel.h"
#include "x86.h"
#include "mmu.h"
#include "timer.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "ledger/ledger.h"
#include "net/net.h"
#include "net/netbuf.h"
#include "net/tcp.h"

/* ---- the send buffer ------------------------------------------------ */

static inline struct sb_chunk *sb_at(struct sndbuf *sb, uint32_t i)
{
	return &sb->ch[(sb->first + i) % SB_CHUNKS];
}

/* A chunk leaves the buffer: its page reference goes, and a page-cache
 * page it pinned may change again. */
static void sb_release(struct sb_chunk *c)
{
	struct page *pg = pa_to_page(ALIGN_DOWN(c->pa, PAGE_SIZE));
	if (!c->owned)
		page_unpin(pg);
	page_put(page_to_pa(pg));
}

void sb_init(struct sock *sk, uint32_t seq)
{
	sk->sb.first = sk->sb.count = sk->sb.bytes = sk->sb.hint = 0;
	sk->sb.seq = seq;
}

/* The peer acknowledged n more bytes: let their pages go. */
void sb_drop(struct sock *sk, uint32_t n)
{
	struct sndbuf *sb = &sk->sb;
	n = MIN(n, sb->bytes);
	sb->bytes -= n;
	sb->seq += n;
	while (n && sb->count) {
		struct sb_chunk *c = sb_at(sb, 0);
		if (c->len > n) {
			c->pa += n;
			c->len -= n;
			c->seq += n;
			break;
		}
		n -= c->len;
		sb_release(c);
		sb->first = (sb->first + 1) % SB_CHUNKS;
		sb->count--;
		sb->hint = sb->hint ? sb->hint - 1 : 0;
	}
}

void sb_free_all(struct sock *sk)
{
	sb_drop(sk, sk->sb.bytes);
	while (sk->sb.count) {               /* empty chunks, if any */
		sb_release(sb_at(&sk->sb, 0));
		sk->sb.first = (sk->sb.first + 1) % SB_CHUNKS;
		sk->sb.count--;
	}
}

/* Add a chunk at the tail; the caller's page reference moves into it.
 * Interrupts off. */
static int sb_push_chunk(struct sock *sk, uint32_t pa, uint32_t len, bool owned)
{
	struct sndbuf *sb = &sk->sb;
	if (sb->count == SB_CHUNKS)
		return -ENOBUFS;
	struct sb_chunk *c = sb_at(sb, sb->count);
	c->pa = pa;
	c->len = len;
	c->seq = sb->seq + sb->bytes;
	c->owned = owned;
	sb->count++;
	sb->bytes += len;
	return 0;
}

/* For sendfile's gather way: queue len bytes of a page-cache page that
 * the caller holds a reference to; the reference moves into the buffer,
 * and the page is pinned until the chunk is acknowledged (sb_release):
 * a retransmission must send the very bytes the first transmission did. */
int sb_append_page(struct sock *sk, uint32_t pa, uint32_t len)
{
	uint32_t f = irq_save();
	int r = sb_push_chunk(sk, pa, len, false);
	if (r == 0)
		page_pin(pa_to_page(ALIGN_DOWN(pa, PAGE_SIZE)));
	irq_restore(f);
	return r;
}

/* May [pa, ...) be appended to chunk t instead of starting a new one?
 * Only if it continues t inside t's page.  A chunk never crosses a page
 * boundary: it holds one page reference, and the fragments sb_fill makes
 * of it must each lie in one page (nb_add_frag).  A freshly allocated
 * page can happen to follow t's page in physical memory, so "pa is right
 * after t" alone is not enough: a page-aligned pa starts a new chunk. */
static bool sb_continues(const struct sb_chunk *t, uint32_t pa)
{
	return t && t->owned && t->pa + t->len == pa && (pa & (PAGE_SIZE - 1)) != 0;
}

/* The trace's name for a write()'s copy from ubuf: the mmap path copies
 * straight from the page cache's own frames, mapped into the process
 * (looked up after the copy, which faulted the page in if it had to). */
static const char *user_source(const char *ubuf)
{
	uint32_t *pte = vm_pte(current->mm, (uint32_t)ubuf, false);
	if (pte && (*pte & PTE_P) && (pa_to_page(PTE_ADDR(*pte))->flags & PG_CACHE))
		return "mmap pagecache->socket";
	return "user->socket";
}

/* Copy up to n bytes (from user memory, or from the kernel) into the
 * send buffer, page by page.  The copy runs with interrupts on (a user
 * copy may fault), into bytes no segment refers to yet; an extra page
 * reference keeps the page alive even if an ACK frees its chunk
 * meanwhile.  The caller made sure there is room.  Returns bytes queued
 * or -errno. */
static ssize_t sb_copy_in(struct sock *sk, const char *src, uint32_t n, bool from_user)
{
	struct sndbuf *sb = &sk->sb;
	uint32_t done = 0;
	int err = 0;
	while (done < n) {
		uint32_t f = irq_save();
		struct sb_chunk *t = sb->count ? sb_at(sb, sb->count - 1) : NULL;
		uint32_t pa = 0, room = 0;
		if (t && sb_continues(t, t->pa + t->len)) {
			pa = t->pa + t->len;
			room = PAGE_SIZE - (pa & (PAGE_SIZE - 1));   /* the rest of the tail's page */
			page_get(ALIGN_DOWN(pa, PAGE_SIZE));
		}
		irq_restore(f);
		if (!room) {
			if (sb->count == SB_CHUNKS)
				break;
			pa = page_alloc();
			if (!pa) {
				err = -ENOMEM;
				break;
			}
			room = PAGE_SIZE;
		}
		uint32_t chunk = MIN(n - done, room);
		if (!from_user) {
			memcpy(P2V(pa), src + done, chunk);
			ledger_copy(ZC_CPU_KERNEL_TO_KERNEL, chunk, "pagecache->sockbuf");
		} else if (get_user_arg(P2V(pa), src + done, chunk) == 0) {
			ledger_copy(ZC_CPU_USER_TO_KERNEL, chunk, user_source(src + done));
		} else {
			page_put(ALIGN_DOWN(pa, PAGE_SIZE));
			err = -EFAULT;
			break;
		}
		f = irq_save();
		t = sb->count ? sb_at(sb, sb->count - 1) : NULL;
		if (sb_continues(t, pa)) {
			t->len += chunk;                 /* extend the tail chunk, same page */
			sb->bytes += chunk;
			page_put(ALIGN_DOWN(pa, PAGE_SIZE));   /* the copy's extra reference */
		} else if (sb_push_chunk(sk, pa, chunk, true) < 0) {
			page_put(ALIGN_DOWN(pa, PAGE_SIZE));
			irq_restore(f);
			break;
		}
		done += chunk;
		irq_restore(f);
	}
	return done ? (ssize_t)done : err;
}

/* sendfile's copy way: the page cache's bytes into socket pages, one
 * counted kernel->kernel copy.  The caller pushes them out. */
ssize_t sb_copy_kernel(struct sock *sk, const void *kbuf, uint32_t n)
{
	return sb_copy_in(sk, kbuf, n, false);
}

/* write() on a TCP socket: copy the user's bytes in, then push them out. */
ssize_t sb_write_user(struct sock *sk, const char *ubuf, uint32_t n)
{
	ssize_t r = sb_copy_in(sk, ubuf, n, true);
	/* Send once the whole write is in (or as much as got in before an
	 * error): full-sized segments across page boundaries, and one
	 * doorbell for many frames (each doorbell is a costly exit to the
	 * device model under QEMU). */
	uint32_t f = irq_save();
	tcp_output(sk);
	irq_restore(f);
	return r;
}

/* Attach [seq, seq + len) of the send buffer to nb as fragments; returns
 * how many bytes fit (a netbuf takes NB_MAX_FRAGS fragments). */
static uint32_t sb_fill(struct sock *sk, struct netbuf *nb, uint32_t seq, uint32_t len)
{
	struct sndbuf *sb = &sk->sb;
	uint32_t i = sb->hint < sb->count ? sb->hint : 0;
	if (i && SEQ_LT(seq, sb_at(sb, i)->seq))
		i = 0;
	while (i < sb->count && SEQ_GEQ(seq, sb_at(sb, i)->seq + sb_at(sb, i)->len))
		i++;
	uint32_t done = 0;
	while (done < len && i < sb->count && nb->nfrags < NB_MAX_FRAGS) {
		struct sb_chunk *c = sb_at(sb, i);
		uint32_t off = seq + done - c->seq;
		uint32_t n = MIN(len - done, c->len - off);
		page_get(ALIGN_DOWN(c->pa, PAGE_SIZE));   /* dropped by nb_free after the DMA */
		nb_add_frag(nb, c->pa + off, n);
		if (!c->owned)
			nb->what = "pagecache->nic";     /* gather: the NIC reads the page cache */
		done += n;
		if (off + n == c->len)
			i++;
	}
	sb->hint = i;
	return done;
}

/* ---- segments ------------------------------------------------------- */

/* The largest TSO payload: IPv4's 16-bit total length, less the IP and
 * TCP headers. */
#define TCP_TSO_MAX (65535 - 20 - TCP_HLEN)

/* The most payload one netbuf may carry: a segment, or with TSO (never
 * on loopback, which delivers a netbuf as one frame) up to 64 KiB.  Under
 * the net.drop_tx test switch, 4 segments: a lost netbuf takes all its
 * segments with it, and 64 KiB ones would lose nearly every one. */
static uint32_t tcp_seg_max(struct sock *sk)
{
	if (!netif->tso || ip_is_local(sk->raddr))
		return sk->mss;
	return tcp_drop_tx ? 4 * sk->mss : TCP_TSO_MAX;
}

/* The window we offer: free receive-buffer space, never shrinking what
 * we already offered (RFC 793 3.7), at most 65535 (no window scaling). */
uint32_t tcp_rcv_window(struct sock *sk)
{
	int32_t space = (int32_t)sk->rcvbuf - (int32_t)sk->rcvq_bytes;
	if (sk->rcvq_bufs + sk->nooo >= TCP_RCV_MAXBUFS)
		space = 0;
	if (space < (int32_t)sk->mss && space < (int32_t)sk->rcvbuf / 2)
		space = 0;                   /* no silly small windows (RFC 1122 4.2.3.3) */
	space = MIN(MAX(space, 0), 65535);
	if (SEQ_GT(sk->rcv_adv, sk->rcv_nxt) && sk->rcv_adv - sk->rcv_nxt > (uint32_t)space)
		space = sk->rcv_adv - sk->rcv_nxt;
	return space;
}

static void tcp_header(struct netbuf *nb, uint32_t laddr, uint16_t lport, uint32_t raddr,
		       uint16_t rport, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win,
		       uint16_t mss_opt)
{
	uint32_t hlen = TCP_HLEN + (mss_opt ? 4 : 0);
	/* With TSO the NIC adds each segment's own length into the seed
	 * (8254x SDM 3.5.2, "TCP/IP Checksum"): seed without it. */
	uint32_t l4_len = nb->tso_mss ? 0 : hlen + nb->frag_len;
	struct tcp_hdr *h = (struct tcp_hdr *)nb_push(nb, hlen);
	h->sport = lport;
	h->dport = rport;
	h->seq = htonl(seq);
	h->ack = htonl(ack);
	h->off = (hlen / 4) << 4;
	h->flags = flags;
	h->win = htons(win);
	h->urg = 0;
	if (mss_opt) {
		uint8_t *o = (uint8_t *)(h + 1);
		o[0] = 2;                        /* kind: maximum segment size */
		o[1] = 4;
		o[2] = mss_opt >> 8;
		o[3] = mss_opt & 0xff;
	}
	/* The NIC sums header and payload into this seed (NB_CSUM_L4). */
	h->csum = csum_fold(csum_pseudo(laddr, raddr, IPPROTO_TCP, l4_len));
	nb->csum |= NB_CSUM_L4;
	nb->l4_csum_off = offsetof(struct tcp_hdr, csum);
	if (!nb->what)
		nb->what = "socket->nic";
	NETSTAT_INC(tcp_out);
}

/* net.drop_tx=N (kernel command line): every N-th data segment is
 * dropped here, before it reaches IP and the NIC, as if the wire lost
 * it; counted in netstat (tcp_drop_tx).  For tests of retransmission,
 * e.g. that sendfile's gather way resends the very bytes it sent.  A
 * TSO netbuf counts as the segments it becomes, and is lost whole if
 * the N-th is among them. */
uint32_t tcp_drop_tx;

static bool drop_this_segment(uint32_t segs)
{
	static uint32_t count;
	uint32_t before = count;
	count += segs;
	if (!tcp_drop_tx || count / tcp_drop_tx == before / tcp_drop_tx)
		return false;
	NETSTAT_INC(tcp_drop_tx);
	return true;
}

/* How many segments of at most mss bytes carry len bytes. */
static uint32_t segments(struct sock *sk, uint32_t len)
{
	return len ? (len + sk->mss - 1) / sk->mss : 1;
}

/* Send one segment: [seq, seq + len) of the send buffer with flags.
 * Returns the payload bytes it carried (maybe fewer than len). */
int tcp_xmit(struct sock *sk, uint32_t seq, uint32_t len, uint8_t flags)
{
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return -ENOMEM;
	uint32_t got = len ? sb_fill(sk, nb, seq, len) : 0;
	if (got < len)
		flags &= ~TCP_FIN;               /* the FIN goes after the last byte */
	if (got > sk->mss)
		nb->tso_mss = sk->mss;           /* the NIC cuts it into segments */
	uint16_t win = 0;
	uint32_t ack = 0;
	if (flags & TCP_ACK) {
		win = tcp_rcv_window(sk);
		ack = sk->rcv_nxt;
		sk->rcv_adv = sk->rcv_nxt + win;
		sk->ack_pending = 0;
		sk->ack_now = false;
		sk->delack_at = 0;
	}
	tcp_header(nb, sk->laddr, sk->lport, sk->raddr, sk->rport, seq, ack, flags, win,
		   (flags & TCP_SYN) ? TCP_MSS : 0);
	if (flags & TCP_RST)
		NETSTAT_INC(tcp_resets_out);
	if (got && drop_this_segment(segments(sk, got))) {
		nb_free(nb);                     /* "lost": the retransmission timer resends it */
		return got;
	}
	ip_output(nb, IPPROTO_TCP, sk->laddr, sk->raddr);
	return got;
}

void tcp_send_ack(struct sock *sk)
{
	tcp_xmit(sk, sk->snd_nxt, 0, TCP_ACK);
}

/* A RST for a segment that has no connection (RFC 793 3.4, "Reset Generation"). */
void tcp_send_reset(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport,
		    uint32_t seq, uint32_t ack, uint8_t flags)
{
	struct netbuf *nb = nb_alloc();
	if (!nb)
		return;
	tcp_header(nb, laddr, lport, raddr, rport, seq, ack, flags, 0, 0);
	NETSTAT_INC(tcp_resets_out);
	ip_output(nb, IPPROTO_TCP, laddr, raddr);
}

/* Send whatever the state, the data, the peer's window and Nagle allow.
 * Interrupts off. */
void tcp_output(struct sock *sk)
{
	net_batch_begin();
	switch (sk->state) {
	case ZC_TCP_SYN_SENT:
	case ZC_TCP_SYN_RCVD:
		if (sk->snd_nxt == sk->iss) {
			tcp_xmit(sk, sk->iss, 0, sk->state == ZC_TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK);
			sk->snd_nxt = sk->iss + 1;
			if (SEQ_GT(sk->snd_nxt, sk->snd_max))
				sk->snd_max = sk->snd_nxt;
			tcp_arm_rto(sk);
		}
		goto out;
	case ZC_TCP_ESTABLISHED:
	case ZC_TCP_CLOSE_WAIT:
	case ZC_TCP_FIN_WAIT1:
	case ZC_TCP_CLOSING:
	case ZC_TCP_LAST_ACK:
		break;
	default:
		goto out;
	}
	for (;;) {
		uint32_t data_end = sk->sb.seq + sk->sb.bytes;
		uint32_t wnd_end = sk->snd_una + sk->snd_wnd;
		if (SEQ_LT(sk->snd_nxt, data_end)) {
			uint32_t avail = data_end - sk->snd_nxt;
			uint32_t win = SEQ_GT(wnd_end, sk->snd_nxt) ? wnd_end - sk->snd_nxt : 0;
			uint32_t len = MIN(MIN(avail, win), tcp_seg_max(sk));
			if (len == 0)
				break;                   /* window full: wait for an ACK (or the persist timer) */
			bool in_flight = sk->snd_una != sk->snd_max;
			/* Nagle (RFC 896): while data is unacknowledged, send only
			 * full segments; also no small window-limited ones (SWS). */
			if (len < sk->mss && in_flight && ((len == avail && !sk->nodelay && !sk->fin_queued) ||
							   len < avail))
				break;
			uint8_t flags = TCP_ACK;
			if (len == avail)
				flags |= TCP_PSH;
			if (sk->fin_queued && sk->snd_nxt + len == sk->fin_seq)
				flags |= TCP_FIN;
			bool retransmit = SEQ_LT(sk->snd_nxt, sk->snd_max);
			int got = tcp_xmit(sk, sk->snd_nxt, len, flags);
			if (got <= 0)
				break;
			if (retransmit)
				NETSTAT_ADD(tcp_retransmits, segments(sk, got));
			else if (!sk->rtt_timing) {
				sk->rtt_timing = true;       /* time this segment (Karn: new data only) */
				sk->rtt_seq = sk->snd_nxt;
				sk->rtt_start = ticks;
			}
			sk->snd_nxt += got;
			if ((flags & TCP_FIN) && (uint32_t)got == len)
				sk->snd_nxt++;
			if (SEQ_GT(sk->snd_nxt, sk->snd_max))
				sk->snd_max = sk->snd_nxt;
			continue;
		}
		if (sk->fin_queued && sk->snd_nxt == sk->fin_seq) {
			tcp_xmit(sk, sk->snd_nxt, 0, TCP_FIN | TCP_ACK);
			sk->snd_nxt++;
			if (SEQ_GT(sk->snd_nxt, sk->snd_max))
				sk->snd_max = sk->snd_nxt;
		}
		break;
	}
	tcp_arm_rto(sk);
out:
	net_batch_end();
}

/* ---- output after a batch of ACKs ----------------------------------- */

/* The sockets whose output waits for the end of the receive batch. */
#define DEFER_MAX 8
static struct sock *deferred[DEFER_MAX];
static int ndeferred;

/* A pure ACK arrived inside a receive batch (the e1000 hands over every
 * frame it has, and slirp acknowledges every segment): instead of one
 * segment per ACK, send once when the batch ends (tcp_flush_output), so
 * one TSO netbuf carries what all the ACKs opened.  Only where TSO is on.
 * Interrupts off. */
bool tcp_defer_output(struct sock *sk)
{
	if (tcp_seg_max(sk) == sk->mss)
		return false;
	for (int i = 0; i < ndeferred; i++)
		if (deferred[i] == sk)
			return true;
	if (ndeferred == DEFER_MAX)
		return false;
	sock_get(sk);                        /* the batch may end the connection */
	deferred[ndeferred++] = sk;
	return true;
}

/* The batch ends (net_batch_end): send for every deferred socket. */
void tcp_flush_output(void)
{
	while (ndeferred) {
		struct sock *sk = deferred[--ndeferred];
		tcp_output(sk);
		sock_put(sk);
	}
}
