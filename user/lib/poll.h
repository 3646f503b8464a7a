/*
 * poll.h - waiting on several file descriptors (system call 168).
 * The events and struct pollfd are the kernel's (uapi/poll.h).
 */
#ifndef ZC_POLL_H
#define ZC_POLL_H
#include <uapi/poll.h>

int poll(struct pollfd *fds, unsigned int n, int timeout_ms);

#endif
