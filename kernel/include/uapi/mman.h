/*
 * uapi/mman.h - mmap() protections and flags, madvise() advice (Linux
 * i386: asm-generic/mman-common.h).  Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_MMAN_H
#define ZC32_UAPI_MMAN_H

#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_POPULATE  0x8000

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4

#endif
