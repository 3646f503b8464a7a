/*
 * dirent.h - reading directories with getdents (141) and getdents64 (220).
 *
 * The kernel fills the buffer with variable-length records; step from one
 * to the next with d_reclen.
 */
#ifndef ZC_DIRENT_H
#define ZC_DIRENT_H

#include <types.h>

struct linux_dirent64 {
	uint64_t       d_ino;
	int64_t        d_off;
	unsigned short d_reclen;   /* length of this record */
	unsigned char  d_type;     /* DT_REG, DT_DIR, ... */
	char           d_name[];   /* NUL-terminated */
};

/* The old format: d_type is the last byte of the record. */
struct linux_dirent {
	unsigned long  d_ino;
	unsigned long  d_off;
	unsigned short d_reclen;
	char           d_name[];
};

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK    10
#define DT_SOCK   12

int getdents(int fd, struct linux_dirent *buf, unsigned int n);
int getdents64(int fd, struct linux_dirent64 *buf, unsigned int n);

#endif
