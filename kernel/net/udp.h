/* udp.h - UDP transmit, for socket.c (udp.c). */
#ifndef ZC32_UDP_H
#define ZC32_UDP_H
#include "types.h"
struct netbuf;
struct udp_hdr {
	uint16_t sport, dport;
	uint16_t len;
	uint16_t csum;
} __attribute__((packed));
#define UDP_HLEN 8
#define UDP_MAX_PAYLOAD (1500 - 20 - UDP_HLEN)
int udp_output(struct netbuf *nb, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport);
#endif
