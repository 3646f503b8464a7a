/*
 * zc32_net.h - the network counters and socket table that netstat reads
 * with SYS_zc_netstat (listed in uapi/zc32.h).  Shared by the kernel and
 * user programs.  Every dropped frame is counted under the reason it was
 * dropped, so a test can check that bad input was seen and refused.
 */
#ifndef ZC32_UAPI_NET_H
#define ZC32_UAPI_NET_H

/* X(name, description): one counter each, in this order. */
#define ZC_NET_COUNTERS(X) \
	X(rx_frames,        "frames received by the NIC") \
	X(rx_bytes,         "bytes received by the NIC") \
	X(tx_frames,        "frames sent") \
	X(tx_bytes,         "bytes sent") \
	X(tx_descs,         "transmit data descriptors (headers, and one per payload fragment)") \
	X(tx_ctx_descs,     "transmit context descriptors (checksum offload set-up)") \
	X(tx_frames_gathered, "frames sent gathered from several data descriptors") \
	X(nic_rx_errors,    "frames the NIC flagged as bad") \
	X(nic_rx_nobuf,     "frames dropped: no memory for a new receive buffer") \
	X(nic_rx_overrun,   "receive ring overruns (RXO)") \
	X(nic_tx_ring_full, "frames dropped: transmit ring full") \
	X(eth_short,        "frames dropped: shorter than an Ethernet header") \
	X(eth_bad_type,     "frames dropped: not IPv4 or ARP") \
	X(eth_not_for_us,   "frames dropped: another MAC address") \
	X(arp_in,           "ARP packets received") \
	X(arp_bad,          "ARP packets dropped: malformed") \
	X(arp_replies,      "ARP replies sent") \
	X(arp_requests,     "ARP requests sent") \
	X(arp_unresolved,   "packets dropped: no ARP answer") \
	X(ip_in,            "IPv4 packets received") \
	X(ip_bad_header,    "IPv4 dropped: bad version or header length") \
	X(ip_bad_len,       "IPv4 dropped: total length wrong") \
	X(ip_bad_csum,      "IPv4 dropped: bad header checksum") \
	X(ip_fragments,     "IPv4 dropped: fragments (not reassembled)") \
	X(ip_options,       "IPv4 dropped: options other than padding (none supported)") \
	X(ip_not_for_us,    "IPv4 dropped: another destination") \
	X(ip_martians,      "IPv4 dropped: a loopback (127/8) address from the wire") \
	X(ip_bad_proto,     "IPv4 dropped: unknown protocol") \
	X(ip_out,           "IPv4 packets sent") \
	X(ip_loopback,      "IPv4 packets sent to this host itself (loopback, not the NIC)") \
	X(ip_loopback_dropped, "IPv4 dropped: loopback, no memory") \
	X(icmp_in,          "ICMP messages received") \
	X(icmp_bad,         "ICMP dropped: short or bad checksum") \
	X(icmp_echo_replies, "ICMP echo replies sent (answered pings)") \
	X(udp_in,           "UDP datagrams received") \
	X(udp_bad,          "UDP dropped: bad length or checksum") \
	X(udp_no_port,      "UDP dropped: no socket on that port") \
	X(udp_queue_full,   "UDP dropped: receive queue full") \
	X(tcp_in,           "TCP segments received") \
	X(tcp_bad_len,      "TCP dropped: bad header length") \
	X(tcp_bad_csum,     "TCP dropped: bad checksum") \
	X(tcp_bad_flags,    "TCP dropped: impossible flag combination") \
	X(tcp_no_socket,    "TCP segments for no connection (answered with RST)") \
	X(tcp_syn_dropped,  "TCP SYNs dropped: listen queue full") \
	X(tcp_bad_seq,      "TCP segments outside the receive window") \
	X(tcp_bad_ack,      "TCP segments acknowledging unsent data") \
	X(tcp_ooo_queued,   "TCP segments queued out of order") \
	X(tcp_ooo_dropped,  "TCP segments dropped out of order (queue full)") \
	X(tcp_rcv_full,     "TCP segments dropped: receive buffer memory full") \
	X(tcp_out,          "TCP segments sent") \
	X(tcp_retransmits,  "TCP segments retransmitted") \
	X(tcp_fast_retransmits, "TCP fast retransmits (three duplicate ACKs)") \
	X(tcp_drop_tx,      "TCP data segments dropped before the NIC on purpose (net.drop_tx=N test switch)") \
	X(tcp_timeouts,     "TCP connections dropped: retransmission timeout") \
	X(tcp_resets_in,    "TCP connections reset by the peer") \
	X(tcp_resets_out,   "TCP RST segments sent") \
	X(tcp_active_opens, "TCP connections opened by connect()") \
	X(tcp_passive_opens, "TCP connections accepted from listeners") \
	X(tcp_fast_acks,    "TCP ACKs taken by header prediction (tcp_input.c's fast path)") \
	X(tcp_acks_filtered, "TCP pure ACKs freed unread: a later one in the same receive batch covers them") \
	X(raw_in,           "ICMP packets copied to raw sockets (one per socket)") \
	X(raw_dropped,      "ICMP packets not copied to a raw socket: no memory")

enum zc_net_counter {
#define ZC_NET_ENUM(name, desc) ZC_NET_##name,
	ZC_NET_COUNTERS(ZC_NET_ENUM)
#undef ZC_NET_ENUM
	ZC_NET_NCOUNTERS
};

/* One socket, as netstat lists it.  Addresses and ports in network order. */
struct zc_sockinfo {
	int type;                  /* SOCK_STREAM 1, SOCK_DGRAM 2 */
	int proto;                 /* IPPROTO_TCP 6, IPPROTO_UDP 17, IPPROTO_ICMP 1 */
	int state;                 /* TCP state, ZC_TCP_* */
	unsigned int laddr, raddr;
	unsigned short lport, rport;
	unsigned int sendq;        /* bytes not yet acknowledged */
	unsigned int recvq;        /* bytes not yet read */
};

/* TCP states (RFC 793), as in zc_sockinfo.state. */
#define ZC_TCP_STATES(X) \
	X(CLOSED) X(LISTEN) X(SYN_SENT) X(SYN_RCVD) X(ESTABLISHED) X(FIN_WAIT1) \
	X(FIN_WAIT2) X(CLOSE_WAIT) X(CLOSING) X(LAST_ACK) X(TIME_WAIT)

enum zc_tcp_state {
#define ZC_TCP_ENUM(name) ZC_TCP_##name,
	ZC_TCP_STATES(ZC_TCP_ENUM)
#undef ZC_TCP_ENUM
};

/* SYS_zc_netstat(unsigned long long *counters, int ncounters,
 *                struct zc_sockinfo *socks, int max):
 * copies min(ncounters, ZC_NET_NCOUNTERS) counters and up to max sockets;
 * returns the number of sockets copied. */

#endif
