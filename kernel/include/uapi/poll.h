/*
 * uapi/poll.h - poll() events and struct pollfd (Linux i386:
 * asm-generic/poll.h).  Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_POLL_H
#define ZC32_UAPI_POLL_H

#define POLLIN   0x001
#define POLLPRI  0x002
#define POLLOUT  0x004
#define POLLERR  0x008
#define POLLHUP  0x010
#define POLLNVAL 0x020
#define POLLRDHUP 0x2000  /* a stream's peer closed its sending side */

struct pollfd {
	int   fd;
	short events;    /* what to wait for */
	short revents;   /* what happened */
};

#endif
