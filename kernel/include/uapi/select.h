/*
 * uapi/select.h - select(2)'s descriptor sets (Linux: linux/posix_types.h,
 * __kernel_fd_set): a bitmap of FD_SETSIZE bits, bit fd % 32 of word
 * fd / 32.  The kernel reads only the words that cover nfds descriptors.
 * Shared by the kernel and user/lib.
 */
#ifndef ZC32_UAPI_SELECT_H
#define ZC32_UAPI_SELECT_H

#define FD_SETSIZE 1024
#define NFDBITS    32

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / NFDBITS];
} fd_set;

#endif
