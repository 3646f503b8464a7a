/*
 * uapi/socket.h - BSD sockets over IPv4: address families, socket types,
 * protocols, options, message flags and struct sockaddr_in (Linux i386:
 * linux/socket.h, asm-generic/socket.h, linux/in.h, linux/tcp.h).
 * Shared by the kernel and user/lib.  Addresses and ports inside
 * struct sockaddr_in are in network byte order.
 */
#ifndef ZC32_UAPI_SOCKET_H
#define ZC32_UAPI_SOCKET_H

#define AF_UNSPEC 0
#define AF_UNIX   1
#define AF_INET   2
#define PF_INET   AF_INET

#define SOCK_STREAM   1
#define SOCK_DGRAM    2
#define SOCK_RAW      3
#define SOCK_NONBLOCK 00004000     /* socket() and accept4() flags, beside the type */
#define SOCK_CLOEXEC  02000000

#define IPPROTO_IP   0
#define IPPROTO_ICMP 1
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17
#define ICMP_ECHO_REPLY   0        /* ICMP types a raw socket sends and reads (RFC 792) */
#define ICMP_ECHO_REQUEST 8

#define SOL_SOCKET   1             /* setsockopt level; IPPROTO_TCP is the other */
#define SO_REUSEADDR 2
#define SO_TYPE      3
#define SO_ERROR     4
#define SO_BROADCAST 6
#define SO_SNDBUF    7
#define SO_RCVBUF    8
#define SO_KEEPALIVE 9
#define TCP_NODELAY  1             /* level IPPROTO_TCP */
#define TCP_MAXSEG   2

#define MSG_PEEK     0x02
#define MSG_DONTWAIT 0x40
#define MSG_WAITALL  0x100
#define MSG_NOSIGNAL 0x4000

#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

struct sockaddr {
	unsigned short sa_family;
	char sa_data[14];
};

struct in_addr {
	unsigned int s_addr;
};

struct sockaddr_in {
	unsigned short sin_family;     /* AF_INET */
	unsigned short sin_port;
	struct in_addr sin_addr;
	unsigned char sin_zero[8];
};

#define INADDR_ANY       0x00000000u
#define INADDR_LOOPBACK  0x7f000001u   /* host byte order: use htonl() */

#endif
