/*
 * uapi/epoll.h - epoll's events, flags and struct epoll_event (Linux:
 * include/uapi/linux/eventpoll.h).  Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_EPOLL_H
#define ZC32_UAPI_EPOLL_H

/* The events are poll's bits (uapi/poll.h), with EPOLL names. */
#define EPOLLIN        0x001
#define EPOLLPRI       0x002
#define EPOLLOUT       0x004
#define EPOLLERR       0x008
#define EPOLLHUP       0x010
#define EPOLLRDNORM    0x040
#define EPOLLRDHUP     0x2000
/* Input flags that change how an item is reported. */
#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP    (1u << 29)
#define EPOLLONESHOT   (1u << 30)   /* report once, then wait for EPOLL_CTL_MOD */
#define EPOLLET        (1u << 31)   /* edge-triggered: report changes, not states */

/* epoll_ctl's operations. */
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

/* epoll_create1's flag: O_CLOEXEC (uapi/fcntl.h). */
#define EPOLL_CLOEXEC 02000000

/* 12 bytes on i386: data follows events with no padding (Linux packs it
 * on x86-64 to keep this layout). */
struct epoll_event {
	unsigned int events;
	unsigned long long data;
} __attribute__((packed));

#endif
