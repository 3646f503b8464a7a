/*
 * file.h - open files.  A struct file is what a file descriptor points
 * at: the thing being read or written (an inode, a pipe, the console),
 * the current offset, and the operations for that kind of thing.  fork
 * and dup share one struct file between descriptors (refs counts them).
 */
#ifndef ZC32_FILE_H
#define ZC32_FILE_H
#include "types.h"
#include "proc/proc.h"

struct file;
struct inode;
struct page;

struct file_ops {
	ssize_t (*read)(struct file *f, char *ubuf, size_t n);
	ssize_t (*write)(struct file *f, const char *ubuf, size_t n);
	void    (*close)(struct file *f);
	long    (*getdents)(struct file *f, void *ubuf, size_t n, bool v64);
	int     (*fsync)(struct file *f);
	int     (*poll)(struct file *f);       /* POLLIN/POLLOUT/... now (net/poll.h); NULL: always ready */
	/* sendfile's way out (fs/sendfile.c, Linux's sendpage): take len
	 * bytes at offset off of page-cache page pg, which the caller holds.
	 * Returns bytes taken (maybe fewer) or -errno.  NULL: EINVAL.
	 * pg NULL and len 0: push out what earlier SEND_PAGE_MORE calls left. */
	ssize_t (*send_page)(struct file *f, struct page *pg, uint32_t off, uint32_t len, int flags);
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
	void *priv;                /* pipe, socket, ... */
};

/* open(2) flags, Linux i386 values. */
#define O_ACCMODE   03
#define O_RDONLY    00
#define O_WRONLY    01
#define O_RDWR      02
#define O_CREAT     0100
#define O_EXCL      0200
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_CLOEXEC   02000000

struct file *file_alloc(const struct file_ops *ops, int flags);
struct file *file_dup(struct file *f);
void         file_put(struct file *f);
int          fd_install(struct file *f);            /* lowest free fd, or -EMFILE */
/* The open file behind descriptor fd, or NULL. */
static inline struct file *fd_get(int fd)
{
	if ((unsigned)fd >= NOFILE)
		return NULL;
	return current->files[fd];
}
void         fd_close_all(void);
void         fd_close_on_exec(void);

struct file *console_file_open(void);
int          pipe_create(struct file **rd, struct file **wr);

long sys_read(int fd, char *buf, size_t n);
long sys_write(int fd, const char *buf, size_t n);
long sys_writev(int fd, const void *iov, int iovcnt);
long sys_close(int fd);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_pipe(int *fds);

void sendfile_init(void);                   /* sendfile=copy|gather (fs/sendfile.c) */

#endif
