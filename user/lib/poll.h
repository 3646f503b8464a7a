/*
 * poll.h - waiting on several file descriptors (system call 168).
 */
#ifndef ZC_POLL_H
#define ZC_POLL_H

#define POLLIN   0x001
#define POLLPRI  0x002
#define POLLOUT  0x004
#define POLLERR  0x008
#define POLLHUP  0x010
#define POLLNVAL 0x020

struct pollfd {
	int   fd;
	short events;    /* what to wait for */
	short revents;   /* what happened */
};

int poll(struct pollfd *fds, unsigned int n, int timeout_ms);

#endif
