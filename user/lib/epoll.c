/* epoll.c - the errno-setting wrappers of select (select.h) and epoll (epoll.h). */
#include <syscall.h>
#include <select.h>
#include <epoll.h>

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout)
{
	return __sysret(usys_select(nfds, rd, wr, ex, timeout));
}

int epoll_create(int size)   { return __sysret(usys_epoll_create(size)); }
int epoll_create1(int flags) { return __sysret(usys_epoll_create1(flags)); }

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	return __sysret(usys_epoll_ctl(epfd, op, fd, ev));
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms)
{
	return __sysret(usys_epoll_wait(epfd, events, maxevents, timeout_ms));
}
