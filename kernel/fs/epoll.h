/*
 * epoll.h - epoll instances (kernel/fs/epoll.c): a file that remembers
 * which files to watch and keeps a list of those that told it of an event.
 */
#ifndef ZC32_EPOLL_H
#define ZC32_EPOLL_H
struct file;

/* file_put, on the last reference to f: end every watch on it. */
void epoll_file_gone(struct file *f);

#endif
