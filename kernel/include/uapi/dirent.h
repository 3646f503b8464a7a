/*
 * uapi/dirent.h - the records getdents (141) and getdents64 (220) fill
 * a buffer with (Linux fs/readdir.c), and the file types in them.
 * Records have variable length: step from one to the next by d_reclen.
 */
#ifndef ZC32_UAPI_DIRENT_H
#define ZC32_UAPI_DIRENT_H

struct linux_dirent64 {
	unsigned long long d_ino;
	long long          d_off;
	unsigned short     d_reclen;   /* length of this record, 8-byte aligned */
	unsigned char      d_type;     /* DT_REG, DT_DIR, ... */
	char               d_name[];   /* NUL-terminated */
};

/* The old format: d_type is the last byte of the record. */
struct linux_dirent {
	unsigned long  d_ino;
	unsigned long  d_off;
	unsigned short d_reclen;       /* 4-byte aligned */
	char           d_name[];       /* NUL, padding, then d_type */
};

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK    10
#define DT_SOCK   12

#endif
