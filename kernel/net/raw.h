/* raw.h - raw IP sockets (raw.c): ICMP only. */
#ifndef ZC32_RAW_H
#define ZC32_RAW_H
#include "types.h"
struct netbuf;
struct sock;
void    raw_input(struct netbuf *nb, uint8_t proto, uint32_t hlen, uint32_t src, uint32_t dst);
ssize_t raw_send(struct sock *sk, const char *ubuf, size_t n, uint32_t dst);
#endif
