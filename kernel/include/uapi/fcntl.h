/*
 * uapi/fcntl.h - open() flags, fcntl() commands, lseek() whence values
 * and the *at() calls' AT_FDCWD (Linux i386: asm-generic/fcntl.h,
 * linux/fcntl.h, linux/fs.h).  Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_FCNTL_H
#define ZC32_UAPI_FCNTL_H

#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_ACCMODE   00000003
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DSYNC     00010000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_CLOEXEC   02000000

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1    /* the F_GETFD/F_SETFD flag */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define AT_FDCWD (-100)      /* "relative to the current directory" for *at() */
#define AT_SYMLINK_NOFOLLOW 0x100    /* *at() flags: linux/fcntl.h */
#define AT_REMOVEDIR        0x200    /* unlinkat: remove a directory */
#define AT_EACCESS          0x200    /* faccessat: effective ids */
#define AT_SYMLINK_FOLLOW   0x400
#define AT_NO_AUTOMOUNT     0x800
#define AT_EMPTY_PATH       0x1000   /* an empty path names dirfd itself */
#define AT_STATX_SYNC_TYPE  0x6000   /* statx: both bits set is invalid */

struct iovec { void *iov_base; unsigned long iov_len; };   /* readv, writev: linux/uio.h */

#endif
