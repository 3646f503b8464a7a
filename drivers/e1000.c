/*
 * e1000.c - driver for the Intel 82540EM Gigabit Ethernet controller
 * (QEMU's -device e1000).
 *
 * The NIC moves every frame by DMA through two descriptor rings in RAM:
 *
 *  transmit  e1000_xmit() turns a netbuf into descriptors: a context
 *            descriptor (where the IP and TCP/UDP checksums go, when it
 *            changes), one data descriptor for the headers, and one per
 *            payload fragment, so the NIC gathers the payload straight
 *            from socket-buffer or page-cache pages.  A TCP netbuf with
 *            tso_mss (TCP segmentation offload, SDM 3.5) gets a TSO
 *            context instead: the NIC cuts its payload into MSS-sized
 *            frames, copying and fixing the headers for each, so one
 *            header and one descriptor chain carry up to 64 KiB
 *            (e1000.tso=off on the command line turns it off).
 *            e1000_kick() writes
 *            the tail register (TDT) and the NIC reads them.  The last
 *            descriptor asks for status (RS); once the NIC has written DD
 *            back, tx_reclaim() frees the netbuf and its page references.
 *  receive   every descriptor points at the second half of a netbuf page.
 *            The NIC writes a frame there and raises RXT0; e1000_irq()
 *            hands the filled netbuf up the stack (net_rx) and puts a
 *            fresh page in its place, so a frame is never copied here.
 *
 * The driver talks to the stack only through net/netif.h: it registers
 * its card (e1000_if) and the stack counts the DMA in the ledger.
 *
 * Reference: Intel 8254x Software Developer's Manual (SDM): 3.2 receive
 * descriptors, 3.3 transmit descriptors, 13 registers, 14.4-14.5 setup.
 */
#include "kernel.h"
#include "mmu.h"
#include "pci.h"
#include "cmdline.h"
#include "irq.h"
#include "e1000.h"
#include "timer.h"
#include "mm/pmm.h"
#include "mm/vm.h"
#include "net/netif.h"
#include "net/netbuf.h"

#define RX_RING 256                /* descriptors; 16 bytes each: one page */
#define TX_RING 256

union e1000_tx_desc {
	struct e1000_tx_ctx_desc ctx;
	struct e1000_tx_data_desc data;
};

static struct e1000_nic {         /* one NIC; GDB: p nic (tools/gdb/zc32_printers.py) */
	volatile uint32_t *regs;
	int irq;
	volatile struct e1000_rx_desc *rx;
	struct netbuf *rx_nb[RX_RING];
	uint32_t rx_next;              /* next descriptor the NIC will fill */
	bool rx_discard;               /* dropping the rest of a multi-buffer frame */
	volatile union e1000_tx_desc *tx;
	struct netbuf *tx_nb[TX_RING]; /* set on a packet's last descriptor */
	uint32_t tx_tail;              /* next free descriptor (our TDT) */
	uint32_t tx_clean;             /* oldest descriptor not yet reclaimed */
	uint32_t tx_used;
	/* The checksum context the NIC holds (it stays until replaced). */
	bool ctx_valid;
	uint8_t ctx_ip_hlen, ctx_l4_off;
} nic;

static inline uint32_t rd(uint32_t reg) { return nic.regs[reg / 4]; }
static inline void wr(uint32_t reg, uint32_t v) { nic.regs[reg / 4] = v; }

/* ---- transmit ----------------------------------------------------- */

/* Free the netbufs of packets whose last descriptor has DD set. */
static void tx_reclaim(void)
{
	while (nic.tx_used) {
		uint32_t i = nic.tx_clean, n = 1;
		while (!nic.tx_nb[i]) {          /* context and middle descriptors */
			i = (i + 1) % TX_RING;
			if (++n > nic.tx_used)
				return;
		}
		if (!(nic.tx[i].data.status & TXD_STAT_DD))
			return;
		nb_free(nic.tx_nb[i]);
		nic.tx_nb[i] = NULL;
		nic.tx_used -= n;
		nic.tx_clean = (i + 1) % TX_RING;
	}
}

static volatile union e1000_tx_desc *tx_slot(void)
{
	volatile union e1000_tx_desc *d = &nic.tx[nic.tx_tail];
	nic.tx_nb[nic.tx_tail] = NULL;
	nic.tx_tail = (nic.tx_tail + 1) % TX_RING;
	nic.tx_used++;
	return d;
}

static void tx_data(uint32_t pa, uint32_t len, uint8_t popts, uint32_t tse)
{
	volatile union e1000_tx_desc *d = tx_slot();
	d->data.addr = pa;
	d->data.cmd_len = TXD_CMD_DEXT | TXD_DTYP_D | TXD_CMD_IFCS | tse | len;
	d->data.status = 0;
	d->data.popts = popts;
	d->data.special = 0;
}

/* Load a checksum context (3.3.6) for frames Ethernet + IPv4 + TCP/UDP:
 * the IP checksum covers the IP header; the TCP/UDP one runs from the L4
 * header to the end of the frame and is stored at l4_off inside it.
 * The NIC adds the field's current value into the sum, so the stack
 * seeds it with the pseudo-header sum (tcp_output.c, udp.c). */
static void tx_context(uint8_t ip_hlen, uint8_t l4_off)
{
	volatile union e1000_tx_desc *d = tx_slot();
	d->ctx.ipcss = ETH_HLEN;
	d->ctx.ipcso = ETH_HLEN + 10;
	d->ctx.ipcse = ETH_HLEN + ip_hlen - 1;
	d->ctx.tucss = ETH_HLEN + ip_hlen;
	d->ctx.tucso = ETH_HLEN + ip_hlen + l4_off;
	d->ctx.tucse = 0;
	d->ctx.cmd_len = TXD_CMD_DEXT | TXD_DTYP_C | TXD_CMD_IP | (l4_off == 16 ? TXD_CMD_TCP : 0);
	d->ctx.status = 0;
	d->ctx.hdrlen = 0;
	d->ctx.mss = 0;
	nic.ctx_valid = true;
	nic.ctx_ip_hlen = ip_hlen;
	nic.ctx_l4_off = l4_off;
}

/* A TSO context (3.3.6, 3.5): the headers (Ethernet + IPv4 + TCP, hdrlen
 * bytes) are repeated in front of every mss bytes of the payload's
 * paylen; the NIC fixes the IP length and ID, the TCP sequence number
 * and flags, and both checksums, for each frame.  It replaces the
 * checksum context, which the next plain frame loads again. */
static void tx_tso_context(struct netbuf *nb)
{
	/* LAB e1000: BEGIN */
	uint32_t paylen = nb->frag_len + nb->payload_linear;
	tx_context(nb->ip_hlen, nb->l4_csum_off);
	volatile union e1000_tx_desc *d = &nic.tx[(nic.tx_tail + TX_RING - 1) % TX_RING];
	d->ctx.cmd_len |= TXD_CMD_TSE | paylen;
	d->ctx.hdrlen = nb->len - nb->payload_linear;
	d->ctx.mss = nb->tso_mss;
	nic.ctx_valid = false;
	/* LAB e1000: STUB
	(void)nb;                      // not called while e1000_if.tso is off
	   LAB e1000: END */
}

/* Queue one frame.  Interrupts are off (every caller is inside the
 * stack).  The NIC sees it at the next e1000_kick(). */
static int e1000_xmit(struct netbuf *nb)
{
	tx_reclaim();
	bool l4 = nb->csum & NB_CSUM_L4;
	bool need_ctx = nb->tso_mss || (nb->csum && (!nic.ctx_valid || nic.ctx_ip_hlen != nb->ip_hlen ||
				     (l4 && nic.ctx_l4_off != nb->l4_csum_off)));
	uint32_t need = 1 + nb->nfrags + need_ctx;
	if (nic.tx_used + need > TX_RING - 1) {
		NETSTAT_INC(nic_tx_ring_full);
		nb_free(nb);
		return -ENOBUFS;
	}
	uint32_t tse = nb->tso_mss ? TXD_CMD_TSE : 0;
	if (tse)
		tx_tso_context(nb);
	else if (need_ctx)
		tx_context(nb->ip_hlen, l4 ? nb->l4_csum_off : nic.ctx_l4_off);
	uint8_t popts = (nb->csum & NB_CSUM_IP ? TXD_POPTS_IXSM : 0) | (l4 ? TXD_POPTS_TXSM : 0);
	tx_data(nb_pa(nb), nb->len, popts, tse);
	for (int i = 0; i < nb->nfrags; i++)
		tx_data(nb->frag[i].pa, nb->frag[i].len, 0, tse);
	uint32_t last = (nic.tx_tail + TX_RING - 1) % TX_RING;
	nic.tx[last].data.cmd_len |= TXD_CMD_EOP | TXD_CMD_RS;
	nic.tx_nb[last] = nb;
	NETSTAT_ADD(tx_ctx_descs, need_ctx);
	return 0;
}

/* Hand the queued descriptors to the NIC.  Under QEMU the frames leave
 * before this store returns. */
static void e1000_kick(void)
{
	asm volatile("" ::: "memory");   /* descriptors written before the doorbell */
	wr(REG_TDT, nic.tx_tail);
}

/* What the stack sees of this card; the MAC is read at probe time. */
static struct netif e1000_if = {
	.name = "eth0",
	.mtu = ETH_MTU,
	.features = NETIF_CSUM | NETIF_GATHER,
	.xmit = e1000_xmit,
	.kick = e1000_kick,
};

/* ---- receive ------------------------------------------------------ */

static void rx_poll(void)
{
	uint32_t done = 0, last = 0;
	net_batch_begin();
	while (done < RX_RING) {
		uint32_t i = nic.rx_next;
		volatile struct e1000_rx_desc *d = &nic.rx[i];
		uint8_t status = d->status;
		if (!(status & RXD_STAT_DD))
			break;
		asm volatile("" ::: "memory");   /* read the length after DD */
		uint32_t len = d->length;
		uint8_t errors = d->errors;
		struct netbuf *nb = nic.rx_nb[i];
		struct netbuf *fresh = nb_alloc_rx();
		if (fresh) {
			nic.rx_nb[i] = fresh;
			d->addr = nb_pa(fresh);
		} else {
			NETSTAT_INC(nic_rx_nobuf);   /* keep the old buffer, lose the frame */
		}
		d->status = 0;
		last = i;
		nic.rx_next = (i + 1) % RX_RING;
		done++;
		if (!fresh)
			continue;

		/* A frame longer than one buffer cannot happen without RCTL.LPE;
		 * if it does, drop every piece of it. */
		bool eop = status & RXD_STAT_EOP;
		if (nic.rx_discard || !eop || (errors & RXD_ERR_FRAME) || len == 0 || len > NB_RX_SIZE) {
			nic.rx_discard = !eop;
			NETSTAT_INC(nic_rx_errors);
			nb_free(nb);
			continue;
		}
		nb->len = len;
		net_rx(nb);
	}
	if (done)
		wr(REG_RDT, last);           /* these descriptors belong to the NIC again */
	net_batch_end();
}

static void link_report(void)
{
	uint32_t st = rd(REG_STATUS);
	static const int speed[] = { 10, 100, 1000, 1000 };
	if (st & STATUS_LU)
		printk("e1000: link up, %d Mb/s %s duplex\n", speed[(st >> STATUS_SPEED_SHIFT) & 3],
		       (st & STATUS_FD) ? "full" : "half");
	else
		printk("e1000: link down\n");
}

static void e1000_irq(void *arg)
{
	uint32_t icr = rd(REG_ICR);          /* reading clears the causes */
	if (!icr)
		return;                      /* the line is shared: not ours */
	if (icr & ICR_LSC)
		link_report();
	if (icr & ICR_RXO)
		NETSTAT_INC(nic_rx_overrun);
	if (icr & (ICR_RXT0 | ICR_RXO | ICR_RXDMT0))
		rx_poll();
	if (icr & ICR_TXDW)
		tx_reclaim();
}

/* ---- setup (SDM 14.3-14.5) ---------------------------------------- */

static uint16_t eeprom_read(int word)
{
	wr(REG_EERD, (word << 8) | EERD_START);
	for (int i = 0; i < 100000; i++) {
		uint32_t v = rd(REG_EERD);
		if (v & EERD_DONE)
			return v >> 16;
	}
	return 0;
}

static void read_mac(uint8_t *mac)
{
	uint32_t lo = rd(REG_RAL0), hi = rd(REG_RAH0);
	if (hi & (1u << 31)) {               /* address valid: loaded from the EEPROM */
		for (int i = 0; i < 4; i++)
			mac[i] = lo >> (8 * i);
		mac[4] = hi;
		mac[5] = hi >> 8;
		return;
	}
	for (int i = 0; i < 3; i++) {
		uint16_t w = eeprom_read(i);
		mac[2 * i] = w;
		mac[2 * i + 1] = w >> 8;
	}
	wr(REG_RAL0, mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t)mac[3] << 24);
	wr(REG_RAH0, mac[4] | mac[5] << 8 | (1u << 31));
}

/* The descriptor rings in RAM, and the registers that point the NIC at them. */
static void rings_init(void)
{
	/* Receive ring: every descriptor gets an empty netbuf (14.4). */
	uint32_t rpa = page_alloc_zeroed(), tpa = page_alloc_zeroed();
	if (!rpa || !tpa)
		panic("e1000: no memory for the rings");
	nic.rx = P2V(rpa);
	for (int i = 0; i < RX_RING; i++) {
		nic.rx_nb[i] = nb_alloc_rx();
		if (!nic.rx_nb[i])
			panic("e1000: no memory for receive buffers");
		nic.rx[i].addr = nb_pa(nic.rx_nb[i]);
	}
	wr(REG_RDBAL, rpa);
	wr(REG_RDBAH, 0);
	wr(REG_RDLEN, RX_RING * sizeof(struct e1000_rx_desc));
	wr(REG_RDH, 0);
	wr(REG_RDT, RX_RING - 1);
	wr(REG_RDTR, 0);                     /* interrupt at once, no delay */
	wr(REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_BSIZE_2048 | RCTL_SECRC);

	/* Transmit ring (14.5). */
	nic.tx = P2V(tpa);
	wr(REG_TDBAL, tpa);
	wr(REG_TDBAH, 0);
	wr(REG_TDLEN, TX_RING * sizeof(union e1000_tx_desc));
	wr(REG_TDH, 0);
	wr(REG_TDT, 0);
	wr(REG_TIPG, TIPG_DEFAULT);
	wr(REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
}

void e1000_init(void)
{
	struct pci_device *pd = pci_find(E1000_VENDOR, E1000_DEVICE, 0);
	if (!pd)
		return;
	if (pd->bar_is_io[0] || !pd->bar[0]) {
		printk("e1000: BAR0 is not memory: ignored\n");
		return;
	}
	pci_enable(pd);                      /* bus mastering: the NIC does DMA */
	nic.regs = ioremap(pd->bar[0], pd->bar_size[0] ? pd->bar_size[0] : 0x20000);
	nic.irq = pd->irq;

	wr(REG_IMC, ~0u);                    /* no interrupts while we set up */
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_RST);
	for (int i = 0; i < 100000 && (rd(REG_CTRL) & CTRL_RST); i++)
		;
	wr(REG_IMC, ~0u);
	(void)rd(REG_ICR);
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_SLU);
	read_mac(e1000_if.mac);
	for (int i = 0; i < 128; i++)
		wr(REG_MTA + 4 * i, 0);              /* no multicast */
	rings_init();
	wr(REG_ITR, 0);

	if (irq_register(nic.irq, e1000_irq, NULL) < 0) {
		/* Without its interrupt nothing would ever be received. */
		printk("e1000: %02x:%02x.%x: unusable interrupt line %d: not used\n",
		       pd->bus, pd->dev, pd->fn, nic.irq);
		goto off;
	}
	/* LAB e1000: BEGIN */
	e1000_if.tso = strcmp(cmdline_get("e1000.tso", "on"), "off") != 0;
	/* LAB e1000: STUB
	e1000_if.tso = false;          // the stack sends no TSO frames until tx_tso_context works
	   LAB e1000: END */
	if (net_register(&e1000_if) < 0)
		goto off;
	timer_add_callback(tx_reclaim, 1);   /* free sent frames even when nothing else is sent */
	/* Transmit completion is collected lazily (tx_reclaim), so only
	 * receive and link events interrupt. */
	wr(REG_IMS, ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC);

	const uint8_t *m = e1000_if.mac;
	printk("e1000: %02x:%02x.%x irq %d, MAC %02x:%02x:%02x:%02x:%02x:%02x, %d rx + %d tx descriptors\n",
	       pd->bus, pd->dev, pd->fn, nic.irq, m[0], m[1], m[2], m[3], m[4], m[5], RX_RING, TX_RING);
	link_report();
	return;
off:
	wr(REG_RCTL, 0);                     /* not used: the card neither receives nor sends */
	wr(REG_TCTL, 0);
}
