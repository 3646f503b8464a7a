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

/* ioctl requests (TCGETS, FIONREAD, FIONBIO, ...) and struct termios */
#include <uapi/termios.h>

#endif
