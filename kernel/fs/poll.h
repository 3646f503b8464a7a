/*
 * poll.h - poll(2) (kernel/fs/poll.c).  Anything that can make a file
 * readable or writable (socket data, a pipe write, a console line) calls
 * poll_wakeup() so that sleeping pollers look again.
 */
#ifndef ZC32_POLL_H
#define ZC32_POLL_H
#include "types.h"

#include "uapi/poll.h"

void poll_wakeup(void);
void poll_tick(void);
long sys_poll(void *ufds, uint32_t nfds, int timeout_ms);

#endif
