/*
 * epoll.h - epoll: an instance (a file descriptor) that watches many
 * files and hands back only the ready ones (system calls 254, 255, 256,
 * 319, 329; docs/waiting.md).
 */
#ifndef ZC_EPOLL_H
#define ZC_EPOLL_H

#include <uapi/epoll.h>     /* EPOLL*, struct epoll_event: shared with the kernel */

int epoll_create(int size);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev);
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms);

#endif
