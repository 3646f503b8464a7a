/*
 * poll.h - waiting on several file descriptors (system call 168).
 */
#ifndef ZC_POLL_H
#define ZC_POLL_H

#include <uapi/poll.h>      /* POLL*, struct pollfd: shared with the kernel */

int poll(struct pollfd *fds, unsigned int n, int timeout_ms);

#endif
