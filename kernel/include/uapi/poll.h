/*
 * uapi/poll.h - poll(2)'s events and struct pollfd, with Linux's values
 * (include/uapi/asm-generic/poll.h).  Shared by the kernel (fs/poll.c,
 * every file's ops->poll) and user programs (user/lib/poll.h).
 */
#ifndef ZC32_UAPI_POLL_H
#define ZC32_UAPI_POLL_H

#define POLLIN   0x001             /* data to read */
#define POLLPRI  0x002             /* urgent data */
#define POLLOUT  0x004             /* room to write */
#define POLLERR  0x008             /* an error (always reported) */
#define POLLHUP  0x010             /* the other end hung up (always reported) */
#define POLLNVAL 0x020             /* fd is not open (always reported) */

struct pollfd {
	int   fd;
	short events;                  /* what to wait for */
	short revents;                 /* what happened */
};

#endif
