/*
 * uapi/stat.h - file types and modes, and the layouts of Linux i386's
 * struct stat (stat/lstat/fstat, 106-108) and struct stat64 (195-197),
 * from asm/stat.h.  The kernel fills them in; user/lib reads them.
 */
#ifndef ZC32_UAPI_STAT_H
#define ZC32_UAPI_STAT_H

#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

struct stat {                       /* 64 bytes */
	unsigned long  st_dev;
	unsigned long  st_ino;
	unsigned short st_mode;
	unsigned short st_nlink;
	unsigned short st_uid;
	unsigned short st_gid;
	unsigned long  st_rdev;
	unsigned long  st_size;
	unsigned long  st_blksize;
	unsigned long  st_blocks;       /* in 512-byte units */
	unsigned long  st_atime;
	unsigned long  st_atime_nsec;
	unsigned long  st_mtime;
	unsigned long  st_mtime_nsec;
	unsigned long  st_ctime;
	unsigned long  st_ctime_nsec;
	unsigned long  __unused4;
	unsigned long  __unused5;
};

/* long long is 4-byte aligned inside i386 structs, so no hidden padding. */
struct stat64 {                     /* 96 bytes */
	unsigned long long st_dev;
	unsigned char      __pad0[4];
	unsigned long      __st_ino;    /* low 32 bits of st_ino */
	unsigned int       st_mode;
	unsigned int       st_nlink;
	unsigned long      st_uid;
	unsigned long      st_gid;
	unsigned long long st_rdev;
	unsigned char      __pad3[4];
	long long          st_size;
	unsigned long      st_blksize;
	unsigned long long st_blocks;
	unsigned long      st_atime;
	unsigned long      st_atime_nsec;
	unsigned long      st_mtime;
	unsigned int       st_mtime_nsec;
	unsigned long      st_ctime;
	unsigned long      st_ctime_nsec;
	unsigned long long st_ino;
};

/* statx(2) (383), linux/stat.h: one layout on every architecture. */
struct statx_timestamp {
	long long    tv_sec;
	unsigned int tv_nsec;
	int          __reserved;
};

struct statx {                      /* 256 bytes */
	unsigned int       stx_mask;    /* STATX_* bits the kernel filled in */
	unsigned int       stx_blksize;
	unsigned long long stx_attributes;
	unsigned int       stx_nlink;
	unsigned int       stx_uid;
	unsigned int       stx_gid;
	unsigned short     stx_mode;
	unsigned short     __spare0;
	unsigned long long stx_ino;
	unsigned long long stx_size;
	unsigned long long stx_blocks;
	unsigned long long stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	unsigned int       stx_rdev_major, stx_rdev_minor;
	unsigned int       stx_dev_major, stx_dev_minor;
	unsigned long long __spare2[14];
};

#define STATX_BASIC_STATS 0x7ff      /* type, mode, nlink, uid, gid, times, ino, size, blocks */
#define STATX__RESERVED   0x80000000u

/* utimensat(2)'s special tv_nsec values (linux/stat.h). */
#define UTIME_NOW  ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");
_Static_assert(sizeof(struct stat) == 64, "Linux i386 struct stat is 64 bytes");
_Static_assert(sizeof(struct stat64) == 96, "Linux i386 struct stat64 is 96 bytes");

#endif
