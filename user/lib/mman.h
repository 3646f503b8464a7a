/*
 * mman.h - mapping files and memory into the address space.
 *
 * mmap() uses Linux's mmap2 (192), whose last argument counts pages,
 * not bytes, so offsets must be multiples of 4096.
 */
#ifndef ZC_MMAN_H
#define ZC_MMAN_H

#include <types.h>

#include <uapi/mman.h>      /* PROT_*, MAP_*, MADV_*: shared with the kernel */

#define MAP_FAILED    ((void *)-1)

#define PAGE_SIZE 4096

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);

#endif
