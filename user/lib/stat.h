/*
 * stat.h - file metadata.
 *
 * struct stat is the layout of Linux i386's stat/lstat/fstat (106-108);
 * struct stat64 that of stat64/fstat64 (195, 197), for 64-bit sizes.
 * The kernel fills them in, so these must match Linux's asm/stat.h.
 */
#ifndef ZC_STAT_H
#define ZC_STAT_H

#include <types.h>
#include <uapi/statfs.h>

#include <uapi/stat.h>      /* layouts and S_IF*, shared with the kernel */

int stat(const char *path, struct stat *st);
int statfs(const char *path, struct statfs *st);   /* Linux's statfs(2), <uapi/statfs.h> */
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int stat64(const char *path, struct stat64 *st);
int fstat64(int fd, struct stat64 *st);
int mkdir(const char *path, mode_t mode);

#endif
