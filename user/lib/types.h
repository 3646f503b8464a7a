/*
 * types.h - the basic C types of zc32's user library.
 *
 * Sizes follow the Linux i386 ABI, because zc32 uses Linux's system-call
 * interface: int, long and pointers are 32 bits, long long is 64.
 * Only <stddef.h>, <stdarg.h> and <stdint.h> come from the compiler
 * (they are part of freestanding C); everything else is ours.
 */
#ifndef ZC_TYPES_H
#define ZC_TYPES_H

#include <stddef.h>     /* size_t, NULL, offsetof */
#include <stdint.h>     /* uint32_t, intptr_t, ... */

typedef int                ssize_t;
typedef long               off_t;       /* 32-bit file offset (lseek) */
typedef long long          loff_t;      /* 64-bit file offset (_llseek) */
typedef int                pid_t;
typedef unsigned int       uid_t;
typedef unsigned int       gid_t;
typedef unsigned int       mode_t;
typedef unsigned long      dev_t;
typedef unsigned long      ino_t;
typedef unsigned int       nlink_t;
typedef long               time_t;
typedef long               suseconds_t;
typedef int                clockid_t;

#endif
