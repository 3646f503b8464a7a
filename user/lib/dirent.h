/*
 * dirent.h - reading directories with getdents (141) and getdents64 (220).
 *
 * The kernel fills the buffer with variable-length records; step from one
 * to the next with d_reclen.
 */
#ifndef ZC_DIRENT_H
#define ZC_DIRENT_H

#include <types.h>

#include <uapi/dirent.h>    /* the record layouts, shared with the kernel */

int getdents(int fd, struct linux_dirent *buf, unsigned int n);
int getdents64(int fd, struct linux_dirent64 *buf, unsigned int n);

#endif
