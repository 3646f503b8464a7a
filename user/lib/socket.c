/*
 * socket.c - socket system-call wrappers and inet_aton().
 *
 * accept, send and recv have no i386 system calls of their own: they are
 * accept4, sendto and recvfrom with the extra arguments zero.
 */
#include <socket.h>
#include <unistd.h>

int socket(int domain, int type, int proto)
	{ return __sysret(usys_socket(domain, type, proto)); }
int bind(int fd, const struct sockaddr *addr, socklen_t len)
	{ return __sysret(usys_bind(fd, addr, len)); }
int connect(int fd, const struct sockaddr *addr, socklen_t len)
	{ return __sysret(usys_connect(fd, addr, len)); }
int listen(int fd, int backlog)
	{ return __sysret(usys_listen(fd, backlog)); }
int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
	{ return __sysret(usys_accept4(fd, addr, len, flags)); }
int accept(int fd, struct sockaddr *addr, socklen_t *len)
	{ return accept4(fd, addr, len, 0); }
int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
	{ return __sysret(usys_getsockopt(fd, level, name, val, len)); }
int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
	{ return __sysret(usys_setsockopt(fd, level, name, val, len)); }
int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
	{ return __sysret(usys_getsockname(fd, addr, len)); }
int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
	{ return __sysret(usys_getpeername(fd, addr, len)); }
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to, socklen_t len)
	{ return __sysret(usys_sendto(fd, buf, n, flags, to, len)); }
ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *from, socklen_t *len)
	{ return __sysret(usys_recvfrom(fd, buf, n, flags, from, len)); }
ssize_t send(int fd, const void *buf, size_t n, int flags)
	{ return sendto(fd, buf, n, flags, NULL, 0); }
ssize_t recv(int fd, void *buf, size_t n, int flags)
	{ return recvfrom(fd, buf, n, flags, NULL, NULL); }
int shutdown(int fd, int how)
	{ return __sysret(usys_shutdown(fd, how)); }

ssize_t sendfile(int out_fd, int in_fd, off_t *off, size_t n)
	{ return __sysret(usys_sendfile(out_fd, in_fd, off, n)); }
ssize_t sendfile64(int out_fd, int in_fd, loff_t *off, size_t n)
	{ return __sysret(usys_sendfile64(out_fd, in_fd, off, n)); }

/* Dotted quad to a network-order address: exactly four numbers 0-255. */
int inet_aton(const char *s, struct in_addr *out)
{
	uint32_t addr = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 3) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return 0;
		addr = (addr << 8) | v;
		if (part < 3 && *s++ != '.')
			return 0;
	}
	if (*s)
		return 0;
	out->s_addr = htonl(addr);
	return 1;
}
