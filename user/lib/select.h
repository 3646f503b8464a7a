/*
 * select.h - select(2) (system call 142, _newselect): wait until one of
 * the descriptors in three bitmaps is readable, writable or has an
 * exceptional condition.  docs/waiting.md compares it with poll and epoll.
 */
#ifndef ZC_SELECT_H
#define ZC_SELECT_H

#include <uapi/select.h>    /* fd_set, FD_SETSIZE: shared with the kernel */
#include <uapi/time.h>      /* struct timeval */
#include <string.h>

#define FD_ZERO(s)     memset((s), 0, sizeof(fd_set))
#define FD_SET(fd, s)  ((s)->fds_bits[(fd) / NFDBITS] |= 1ul << ((fd) % NFDBITS))
#define FD_CLR(fd, s)  ((s)->fds_bits[(fd) / NFDBITS] &= ~(1ul << ((fd) % NFDBITS)))
#define FD_ISSET(fd, s) (((s)->fds_bits[(fd) / NFDBITS] >> ((fd) % NFDBITS)) & 1)

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout);

#endif
