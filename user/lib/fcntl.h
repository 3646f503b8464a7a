/*
 * fcntl.h - open() flags and fcntl() commands (Linux i386 values).
 */
#ifndef ZC_FCNTL_H
#define ZC_FCNTL_H

#include <types.h>

#include <uapi/fcntl.h>     /* O_*, F_*, SEEK_*, AT_FDCWD: shared with the kernel */

int open(const char *path, int flags, ...);   /* third argument: mode, with O_CREAT */
int creat(const char *path, mode_t mode);
int fcntl(int fd, int cmd, ...);
int ioctl(int fd, unsigned long req, ...);

/* A few ioctl requests (Linux asm-generic/ioctls.h). */
#define TCGETS   0x5401
#define FIONREAD 0x541B
#define FIONBIO  0x5421

#endif
