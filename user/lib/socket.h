/*
 * socket.h - BSD sockets over IPv4 (Linux i386 constants).
 *
 * The calls use the direct socket system calls (socket 359 ... shutdown
 * 373), not the older socketcall(102) multiplexer.
 */
#ifndef ZC_SOCKET_H
#define ZC_SOCKET_H

#include <types.h>

#include <uapi/socket.h>    /* constants and struct sockaddr_in, shared with the kernel */

typedef unsigned int socklen_t;

/* x86 is little-endian; the network is big-endian. */
static inline uint16_t htons(uint16_t x) { return (uint16_t)((x << 8) | (x >> 8)); }
static inline uint16_t ntohs(uint16_t x) { return htons(x); }
static inline uint32_t htonl(uint32_t x)
{
	return (x << 24) | ((x & 0xff00) << 8) | ((x >> 8) & 0xff00) | (x >> 24);
}
static inline uint32_t ntohl(uint32_t x) { return htonl(x); }

/* "10.0.2.15" -> network-order address; returns 1 if valid, 0 if not. */
int inet_aton(const char *s, struct in_addr *out);

int socket(int domain, int type, int proto);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *addr, socklen_t *len);
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int getpeername(int fd, struct sockaddr *addr, socklen_t *len);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t len);
ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *len);
int shutdown(int fd, int how);

/* sendfile: copy n bytes from file in_fd (at *off, or its position if
 * off is NULL) to out_fd inside the kernel (sendfile64 = 64-bit offset). */
ssize_t sendfile(int out_fd, int in_fd, off_t *off, size_t n);
ssize_t sendfile64(int out_fd, int in_fd, loff_t *off, size_t n);

#endif
