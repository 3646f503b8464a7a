/*
 * mman.h - mapping files and memory into the address space.
 *
 * mmap() uses Linux's mmap2 (192), whose last argument counts pages,
 * not bytes, so offsets must be multiples of 4096.
 */
#ifndef ZC_MMAN_H
#define ZC_MMAN_H

#include <types.h>

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
#define MAP_FAILED    ((void *)-1)

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4

#define PAGE_SIZE 4096

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);

#endif
