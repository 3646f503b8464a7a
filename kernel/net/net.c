/*
 * net.c - the network stack's glue: start-up and configuration, the
 * interface between the stack and the driver (net_register, net_rx,
 * net_xmit and doorbell batching), the periodic tick, and the counters
 * netstat reads (SYS_zc_netstat); the checksum is in wire.c.
 *
 * net_xmit and net_rx are the one place where a NIC's DMA enters the
 * ledger (as blk_submit is for disks): payload apart from the headers
 * the CPU wrote (docs/ledger.md).
 *
 * Configuration comes from the kernel command line (docs/boot.md):
 *   ip=10.0.2.15 netmask=255.255.255.0 gw=10.0.2.2   (QEMU slirp's defaults)
 */
#include "kernel.h"
#include "cmdline.h"
#include "timer.h"
#include "mm/uaccess.h"
#include "ledger/ledger.h"
#include "net/net.h"
#include "net/tcp.h"
#include "net/netbuf.h"
#include "net/sock.h"

static struct netif no_card = { .name = "none" };
struct netif *netif = &no_card;
struct ip_config ipconf;
uint64_t net_counters[ZC_NET_NCOUNTERS];

static int batch_depth;
static bool batch_pending;

static const char *ip_str(uint32_t ip, char *buf)
{
	const uint8_t *b = (const uint8_t *)&ip;
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* "10.0.2.15" -> network order; false if malformed. */
static bool parse_ip(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		char *end;
		unsigned long n = strtoul(s, &end, 10);
		if (end == s || n > 255 || (part < 3 && *end != '.') || (part == 3 && *end))
			return false;
		v |= n << (8 * part);
		s = end + 1;
	}
	*out = v;
	return true;
}

static uint32_t config_ip(const char *key, const char *def)
{
	uint32_t ip;
	const char *s = cmdline_get(key, def);
	if (!parse_ip(s, &ip)) {
		printk("net: bad %s=%s, using %s\n", key, s, def);
		parse_ip(def, &ip);
	}
	return ip;
}

/* A driver's card becomes the interface (there is one, eth0). */
int net_register(struct netif *nif)
{
	if (netif != &no_card || (nif->features & NETIF_NEEDS) != NETIF_NEEDS || nif->mtu < ETH_MTU) {
		printk("net: %s not used: one card only, with checksum offload, gather and a %u-byte MTU\n",
		       nif->name, ETH_MTU);
		return -EBUSY;
	}
	netif = nif;
	return 0;
}

/* Every timer tick (interrupts off): TCP's timers and ARP retries. */
static void net_tick(void)
{
	net_batch_begin();                   /* TCP over loopback needs timers without a NIC too */
	tcp_tick();
	arp_tick();
	net_batch_end();
}

/* After the drivers have registered their cards (kernel/main.c). */
void net_init(void)
{
	ipconf.ip = config_ip("ip", "10.0.2.15");
	ipconf.netmask = config_ip("netmask", "255.255.255.0");
	ipconf.gateway = config_ip("gw", "10.0.2.2");
	timer_add_callback(net_tick, 1);
	tcp_drop_tx = cmdline_get_int("net.drop_tx", 0);
	if (tcp_drop_tx)
		printk("net: test switch: every %u-th TCP data segment dropped before the NIC\n",
		       tcp_drop_tx);
	if (!netif->xmit) {
		printk("net: no network card\n");
		return;
	}
	char a[16], m[16], g[16];
	printk("net: %s netmask %s gateway %s\n", ip_str(ipconf.ip, a), ip_str(ipconf.netmask, m),
	       ip_str(ipconf.gateway, g));
}

void net_batch_begin(void)
{
	batch_depth++;
}

/* The outermost end also delivers packets the stack sent to itself
 * (loopback): only here, where no layer is half-way through its work. */
void net_batch_end(void)
{
	if (batch_depth == 1) {              /* still inside: their frames share the doorbell */
		ack_filter_flush();          /* the batch's last pure ACK */
		tcp_flush_output();
	}
	if (--batch_depth)
		return;
	if (batch_pending) {
		batch_pending = false;
		netif->kick();
	}
	ip_loopback_drain();
}

/* The frames a TSO netbuf becomes on the wire (QEMU's model adds a
 * header-only frame when the payload ends on an MSS boundary). */
static uint32_t tso_frames(struct netbuf *nb)
{
	uint32_t paylen = nb->frag_len + nb->payload_linear;
	return (paylen + nb->tso_mss - 1) / nb->tso_mss;
}

/* The NIC will read every byte of the frame: the payload (linear part
 * and fragments) counts as DMA of payload, the headers the CPU wrote
 * count apart (docs/ledger.md). */
static void count_tx(struct netbuf *nb)
{
	uint32_t payload = nb->payload_linear + nb->frag_len;
	uint32_t headers = nb->len - nb->payload_linear;
	if (payload)
		ledger_dma(ZC_DEV_NIC, ZC_DMA_MEM_TO_DEV, payload, nb->what ? nb->what : "socket->nic");
	ledger_headers(headers);
	ledger_dma_headers(headers);
	uint32_t frames = nb->tso_mss ? tso_frames(nb) : 1;
	NETSTAT_ADD(tx_frames, frames);
	NETSTAT_ADD(tx_bytes, nb_total(nb));
	NETSTAT_ADD(tx_descs, 1 + nb->nfrags);   /* one buffer per data descriptor */
	if (nb->nfrags)
		NETSTAT_ADD(tx_frames_gathered, frames);   /* header buffer + payload pages: gather DMA */
}

/* Interrupts are off on every path into here. */
int net_xmit(struct netbuf *nb)
{
	if (!netif->xmit) {
		nb_free(nb);
		return -ENETDOWN;
	}
	int r = netif->xmit(nb);
	if (r < 0)
		return r;
	count_tx(nb);                        /* queued, not yet read: the driver still holds nb */
	if (batch_depth)
		batch_pending = true;
	else
		netif->kick();
	return 0;
}

/* The NIC has written a frame into nb by DMA. */
void net_rx(struct netbuf *nb)
{
	NETSTAT_INC(rx_frames);
	NETSTAT_ADD(rx_bytes, nb->len);
	ledger_dma(ZC_DEV_NIC, ZC_DMA_DEV_TO_MEM, nb->len, "nic->kernel");
	if (batch_depth)
		ack_filter_rx(nb);           /* the driver's receive batch */
	else
		eth_input(nb);
}

long sys_zc_netstat(uint64_t *ucounters, int n, struct zc_sockinfo *usocks, int max)
{
	if (n < 0 || max < 0)
		return -EINVAL;
	n = MIN(n, ZC_NET_NCOUNTERS);
	if (n && put_user_arg(ucounters, net_counters, n * sizeof(uint64_t)) < 0)
		return -EFAULT;
	int count = 0;
	struct zc_sockinfo si;
	for (int i = 0; count < max && sock_info(i, &si); i++) {
		if (put_user_arg(usocks + count, &si, sizeof si) < 0)
			return -EFAULT;
		count++;
	}
	return count;
}
