/*
 * file.h - open files.  A struct file is what a file descriptor points
 * at: the thing being read or written (an inode, a pipe, the console),
 * the current offset, and the operations for that kind of thing.  fork
 * and dup share one struct file between descriptors (refs counts them).
 */
#ifndef ZC32_FILE_H
#define ZC32_FILE_H
#include "types.h"
#include "list.h"
#include "proc/proc.h"

struct file;
struct inode;
struct dirent_sink;
struct page;
struct wait_queue;

struct file_ops {
	ssize_t (*read)(struct file *f, char *ubuf, size_t n);
	ssize_t (*write)(struct file *f, const char *ubuf, size_t n);
	void    (*close)(struct file *f);
	int     (*getdents)(struct file *f, struct dirent_sink *out);   /* 0 at the end, or -errno */
	int     (*fsync)(struct file *f);
	int     (*poll)(struct file *f);       /* POLLIN/POLLOUT/... now (fs/poll.h); NULL: always ready */
	/* sendfile's way out (fs/sendfile.c, Linux's sendpage): take len
	 * bytes at offset off of page-cache page pg, which the caller holds.
	 * Returns bytes taken (maybe fewer) or -errno.  NULL: EINVAL.
	 * pg NULL and len 0: push out what earlier SEND_PAGE_MORE calls left. */
	ssize_t (*send_page)(struct file *f, struct page *pg, uint32_t off, uint32_t len, int flags);
	long    (*ioctl)(struct file *f, uint32_t cmd, uint32_t arg);   /* NULL: ENOTTY */
};

/* send_page flags. */
#define SEND_PAGE_MORE 0x1    /* more pages follow at once: push them out together */
#define SEND_PAGE_COPY 0x2    /* copy the bytes; do not keep a reference to the page */

struct file {
	const struct file_ops *ops;
	int refs;
	int flags;                 /* O_* from open */
	uint64_t pos;
	struct inode *inode;       /* for files and directories */
	char *path;                /* a directory's absolute path, for *at() and fchdir */
	void *priv;                /* pipe, socket, ... */
	struct wait_queue *wq;     /* where its state changes are told (fs/poll.h); NULL: never */
	struct list watches;       /* epoll items watching it (fs/epoll.c) */
};

#define MAX_RW_COUNT 0x7ffff000u    /* read, write, sendfile: at most this per call, as Linux */

/* open(2) flags, fcntl commands, lseek whence: uapi/fcntl.h */
#include "uapi/fcntl.h"

struct file *file_alloc(const struct file_ops *ops, int flags);
struct file *file_dup(struct file *f);
void         file_put(struct file *f);
/* The lowest free fd now holds the caller's reference to f, close-on-exec
 * as asked; -EMFILE if none is free, and then the reference is dropped. */
int          fd_install(struct file *f, bool cloexec);
/* The open file behind descriptor fd, or NULL. */
static inline struct file *fd_get(int fd)
{
	if ((unsigned)fd >= NOFILE)
		return NULL;
	return current->files[fd];
}
/* close-on-exec: one bit per descriptor in current->cloexec. */
static inline bool fd_cloexec(int fd)
{
	return current->cloexec[fd / 32] >> (fd % 32) & 1;
}
static inline void fd_set_cloexec(int fd, bool on)
{
	if (on)
		current->cloexec[fd / 32] |= 1u << (fd % 32);
	else
		current->cloexec[fd / 32] &= ~(1u << (fd % 32));
}
void         fd_close_all(void);
void         fd_close_on_exec(void);

int          pipe_create(struct file **rd, struct file **wr);

long sys_read(int fd, char *buf, size_t n);
long sys_write(int fd, const char *buf, size_t n);
long sys_writev(int fd, const void *iov, int iovcnt);
long sys_close(int fd);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_dup3(int oldfd, int newfd, int flags);
long sys_pipe(int *fds);
long sys_pipe2(int *fds, int flags);

void sendfile_init(void);                   /* sendfile=copy|gather (fs/sendfile.c) */

#endif
